package certificate

import (
	"crypto/ed25519"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
)

// The certificate code, format 1, is 117 characters of lower-case base 32 (RFC 4648's
// alphabet "abcdefghijklmnopqrstuvwxyz234567", without padding) of 73 bytes:
//
//	0x01 || EventID (4, big-endian) || RegistrationID (4, big-endian) || signature (64)
//
// The Ed25519 signature, by the event's key, covers signContext || the first 9 bytes. The
// code names a person only through the signature: registration ids are counted from 1, and
// without it anyone could walk through the attendees. It says nothing of what they attended:
// the check page reads that from the database, so a certificate printed before a correction
// is checked against what is true now, and an erased registration is no longer confirmed.
// Reading is strict: any other length, a character outside the alphabet (an upper-case
// letter too) or a last character whose unused bit is set is rejected, so one code has one
// spelling and changing any character of it makes it invalid.
const (
	codeVersion = 1
	headerBytes = 1 + 4 + 4
	codeBytes   = headerBytes + ed25519.SignatureSize
	signContext = "dagplanner certificate v1\x00"

	// CodeLen is the length of every code Sign returns.
	CodeLen = (codeBytes*8 + 4) / 5
)

var encoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// ErrInvalid is returned for a code that is unreadable, malformed or not signed by the
// event's key.
var ErrInvalid = errors.New("invalid certificate code")

// Code is what a certificate code names: one registration of one event.
type Code struct {
	EventID        uint32
	RegistrationID uint32
}

// Sign returns the code for c, signed with the event's private key. It panics if priv is not
// an Ed25519 private key.
func Sign(priv ed25519.PrivateKey, c Code) string {
	if len(priv) != ed25519.PrivateKeySize {
		panic(fmt.Sprintf("certificate: private key is %d bytes, want %d", len(priv), ed25519.PrivateKeySize))
	}
	var b [codeBytes]byte
	b[0] = codeVersion
	binary.BigEndian.PutUint32(b[1:], c.EventID)
	binary.BigEndian.PutUint32(b[5:], c.RegistrationID)
	copy(b[headerBytes:], ed25519.Sign(priv, signedMessage(b[:headerBytes])))
	return encoding.EncodeToString(b[:])
}

// EventOf returns the event whose key code claims to be signed with, without checking the
// signature: what a verifier needs to find the key. ErrInvalid for a malformed code.
func EventOf(code string) (uint32, error) {
	b, err := read(code)
	if err != nil {
		return 0, err
	}
	return binary.BigEndian.Uint32(b[1:]), nil
}

// Verify returns what code names, or ErrInvalid if it is malformed or not signed with pub.
func Verify(pub ed25519.PublicKey, code string) (Code, error) {
	b, err := read(code)
	if err != nil || len(pub) != ed25519.PublicKeySize {
		return Code{}, ErrInvalid
	}
	if !ed25519.Verify(pub, signedMessage(b[:headerBytes]), b[headerBytes:]) {
		return Code{}, ErrInvalid
	}
	return Code{EventID: binary.BigEndian.Uint32(b[1:]), RegistrationID: binary.BigEndian.Uint32(b[5:])}, nil
}

// read decodes a code in its one spelling.
func read(code string) ([]byte, error) {
	if len(code) != CodeLen {
		return nil, ErrInvalid
	}
	b, err := encoding.DecodeString(code)
	if err != nil || len(b) != codeBytes || b[0] != codeVersion || encoding.EncodeToString(b) != code {
		return nil, ErrInvalid
	}
	return b, nil
}

// signedMessage is what the signature covers: a context string and the header.
func signedMessage(header []byte) []byte {
	return append([]byte(signContext), header...)
}
