// Package tickets will render PDF tickets, name badges and door lists, and sign and verify
// the QR payloads on them (issue #4). It knows no HTTP and no database.
package tickets
