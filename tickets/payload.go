package tickets

import (
	"crypto/ed25519"
	"encoding/binary"
	"errors"
	"fmt"
)

// The QR payload, format 1, is plain text in the QR alphanumeric character set
// (0-9 A-Z space $ % * + - . / :), so a QR code holds it in alphanumeric mode:
//
//	"DP1" + BLOCK + VENUE
//
//	BLOCK  102 characters: the 70 bytes ID (4, big-endian) || Version (2, big-endian)
//	       || Ed25519 signature (64) read as one big-endian number and written in
//	       base 45 with the RFC 9285 alphabet "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:",
//	       most significant digit first, padded on the left with '0' to 102 digits
//	VENUE  the venue slug in upper case: 1 to 20 characters A-Z, 0-9 and '-'
//
// The signature covers signContext || ID || Version || venue slug (lower case).
// Decoding is a bijection (a block worth 2^560 or more, or any lower-case letter, is
// rejected), so changing any one character changes the signed message or the
// signature and verification fails. Its length is 106 to 125 characters: 117 for a
// 12-character slug. The 64-byte signature alone takes 98 characters, so with a
// 20-character slug no encoding fits in fewer than 120. What the camera sees is the
// QR version: at level M a slug of up to 17 characters gives version 5 (37 modules,
// as any payload of 91 to 122 characters would), a longer one version 6 (41 modules).
const (
	payloadPrefix = "DP1"
	blockBytes    = 4 + 2 + ed25519.SignatureSize
	blockDigits   = 102 // smallest n with 45^n >= 2^560
	signContext   = "dagplanner ticket v1\x00"

	// MaxVenueLen is the longest venue slug a ticket payload can carry, in bytes.
	MaxVenueLen = 20
	// MaxPayloadLen is the length of the longest payload Payload returns.
	MaxPayloadLen = len(payloadPrefix) + blockDigits + MaxVenueLen
)

const base45Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

// base45Value maps a byte to its base 45 digit value, or -1.
var base45Value = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(base45Alphabet); i++ {
		t[base45Alphabet[i]] = int8(i)
	}
	return t
}()

// ErrInvalid is returned by Verify for a payload that is unreadable, malformed or
// not signed by the event's key.
var ErrInvalid = errors.New("invalid ticket payload")

// Ticket is what a QR code on a ticket or badge proves: which ticket, for which
// venue, and in which version of the booking.
type Ticket struct {
	ID      uint32
	Venue   string // venue slug: 1 to MaxVenueLen bytes of a-z, 0-9 and '-'
	Version uint16 // raised whenever the booking changes in a way that matters at the door
}

// ValidVenue reports whether slug can be carried in a ticket payload.
func ValidVenue(slug string) bool {
	if len(slug) == 0 || len(slug) > MaxVenueLen {
		return false
	}
	for i := 0; i < len(slug); i++ {
		c := slug[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// Superseded reports whether t was issued for an older version of its booking than
// currentVersion, so the door should refuse it and look the booking up.
func Superseded(t Ticket, currentVersion uint16) bool {
	return t.Version < currentVersion
}

// Signer makes signed payloads with the event's private key; it never leaves the server.
type Signer struct {
	priv ed25519.PrivateKey
}

// NewSigner returns a Signer for priv. It panics if priv is not an Ed25519 private key.
func NewSigner(priv ed25519.PrivateKey) Signer {
	if len(priv) != ed25519.PrivateKeySize {
		panic(fmt.Sprintf("tickets: private key is %d bytes, want %d", len(priv), ed25519.PrivateKeySize))
	}
	return Signer{priv: priv}
}

// Public returns the public key that doors need to verify this Signer's payloads.
func (s Signer) Public() ed25519.PublicKey {
	return s.priv.Public().(ed25519.PublicKey)
}

// Payload returns the signed QR content for t in the format described above. It
// panics if t.Venue is not a valid slug (see ValidVenue): check slugs when venues
// are created.
func (s Signer) Payload(t Ticket) string {
	if !ValidVenue(t.Venue) {
		panic(fmt.Sprintf("tickets: venue slug %q cannot be put in a payload", t.Venue))
	}
	var block [blockBytes]byte
	binary.BigEndian.PutUint32(block[0:], t.ID)
	binary.BigEndian.PutUint16(block[4:], t.Version)
	copy(block[6:], ed25519.Sign(s.priv, signedMessage(block[:6], t.Venue)))

	out := make([]byte, 0, len(payloadPrefix)+blockDigits+len(t.Venue))
	out = append(out, payloadPrefix...)
	out = appendBase45(out, block)
	for i := 0; i < len(t.Venue); i++ {
		c := t.Venue[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		out = append(out, c)
	}
	return string(out)
}

// Verifier checks payloads offline with the event's public key.
type Verifier struct {
	pub ed25519.PublicKey
}

// NewVerifier returns a Verifier for the event's public key.
func NewVerifier(pub ed25519.PublicKey) Verifier {
	return Verifier{pub: pub}
}

// Verify returns the ticket in payload, or ErrInvalid if payload is unreadable,
// malformed or not signed with the event's key. It does not know the booking's
// current version: check that with Superseded.
func (v Verifier) Verify(payload string) (Ticket, error) {
	if len(v.pub) != ed25519.PublicKeySize {
		return Ticket{}, ErrInvalid
	}
	n := len(payload) - len(payloadPrefix) - blockDigits
	if n < 1 || n > MaxVenueLen || payload[:len(payloadPrefix)] != payloadPrefix {
		return Ticket{}, ErrInvalid
	}
	block, ok := parseBase45(payload[len(payloadPrefix) : len(payloadPrefix)+blockDigits])
	if !ok {
		return Ticket{}, ErrInvalid
	}
	venue := []byte(payload[len(payloadPrefix)+blockDigits:])
	for i, c := range venue {
		switch {
		case c >= 'A' && c <= 'Z':
			venue[i] = c + ('a' - 'A')
		case c >= '0' && c <= '9' || c == '-':
		default:
			return Ticket{}, ErrInvalid
		}
	}
	if !ed25519.Verify(v.pub, signedMessage(block[:6], string(venue)), block[6:]) {
		return Ticket{}, ErrInvalid
	}
	return Ticket{
		ID:      binary.BigEndian.Uint32(block[0:]),
		Version: binary.BigEndian.Uint16(block[4:]),
		Venue:   string(venue),
	}, nil
}

// signedMessage is what the signature covers: a context string, the ID and version
// bytes, and the lower-case venue slug.
func signedMessage(idVersion []byte, venue string) []byte {
	msg := make([]byte, 0, len(signContext)+len(idVersion)+len(venue))
	msg = append(msg, signContext...)
	msg = append(msg, idVersion...)
	return append(msg, venue...)
}

// appendBase45 appends block as a blockDigits-digit base 45 number.
func appendBase45(dst []byte, block [blockBytes]byte) []byte {
	var digits [blockDigits]byte
	num := block
	for i := blockDigits - 1; i >= 0; i-- {
		// Long division of num by 45, most significant byte first.
		rem := 0
		for j := range num {
			cur := rem<<8 | int(num[j])
			num[j] = byte(cur / 45)
			rem = cur % 45
		}
		digits[i] = base45Alphabet[rem]
	}
	return append(dst, digits[:]...)
}

// parseBase45 reads a blockDigits-digit base 45 number; ok is false for a character
// outside the alphabet or a value that does not fit in blockBytes bytes.
func parseBase45(s string) (block [blockBytes]byte, ok bool) {
	for i := 0; i < len(s); i++ {
		d := base45Value[s[i]]
		if d < 0 {
			return block, false
		}
		carry := int(d)
		for j := len(block) - 1; j >= 0; j-- {
			cur := int(block[j])*45 + carry
			block[j] = byte(cur)
			carry = cur >> 8
		}
		if carry != 0 {
			return block, false
		}
	}
	return block, true
}
