// Package tickets renders PDF tickets, name badges and door lists, and signs and
// verifies the QR payloads on them (issue #4). It knows no HTTP and no database.
//
// The server signs with the event's Ed25519 private key (Signer); doors verify
// offline with the public key (Verifier) and compare the ticket's version with the
// booking's current one (Superseded). ShortCode gives the code to type when a QR
// code cannot be scanned. A Renderer, made once at start-up, draws the documents with
// package pdf.
package tickets
