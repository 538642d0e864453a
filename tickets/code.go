package tickets

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"strings"
)

// codeAlphabet has no characters that are easily read or typed as another: no 0, O
// or Q; no 1, I or L; and of the pairs 5/S, 2/Z, 8/B, 6/G and V/U only the first.
const codeAlphabet = "23456789ACDEFHJKMNPRTVWXY"

// codeLen is the number of symbols in a ticket code: 25^10 ≈ 2^46.4, so codes of
// the tickets at one venue practically never collide.
const codeLen = 10

// ShortCode returns the ticket code for a signed payload: ten characters from an
// alphabet without look-alikes, grouped as "XXXXX-XXXXX", for entry by hand when the
// QR code cannot be scanned. It is derived from the payload, so a new version of a
// booking gets a new code.
func ShortCode(payload string) string {
	sum := sha256.Sum256([]byte(payload))
	n := binary.BigEndian.Uint64(sum[:8])
	var b [codeLen + 1]byte
	for i, j := codeLen-1, len(b)-1; i >= 0; i, j = i-1, j-1 {
		if j == 5 {
			b[j] = '-'
			j--
		}
		b[j] = codeAlphabet[n%uint64(len(codeAlphabet))]
		n /= uint64(len(codeAlphabet))
	}
	return string(b[:])
}

// codeLookalikes maps what people type for a code character they misread to the
// character the code has.
var codeLookalikes = map[rune]rune{
	'S': '5', 'Z': '2', 'B': '8', 'G': '6', 'U': 'V',
	'O': 'D', '0': 'D', 'Q': 'D', // the code has D but no O, 0 or Q
}

// NormalizeCode turns a code as typed at the door into the form ShortCode returns:
// upper case, look-alike characters mapped to the code's own (S→5, Z→2, B→8, G→6,
// U→V, O/0/Q→D), spaces, dashes and dots removed and the dash put back after the
// fifth character. A string that cannot be a code is returned cleaned up but unmatched.
func NormalizeCode(typed string) string {
	var b strings.Builder
	n := 0
	for _, r := range strings.ToUpper(typed) {
		switch r {
		case ' ', '\t', '-', '–', '—', '.', '_', '/':
			continue
		}
		if m, ok := codeLookalikes[r]; ok {
			r = m
		}
		if n == 5 {
			b.WriteByte('-')
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// CodeHint is a short, one-way fingerprint of a ticket code (as ShortCode returns it): the
// first 8 hex digits of its SHA-256. A door's offline list carries the hints of the other
// venues' tickets, so a code typed there is answered "for another venue" without the door
// holding codes it could let anyone in with: a hint matches some 2^14 possible codes.
func CodeHint(code string) string {
	sum := sha256.Sum256([]byte(code))
	return hex.EncodeToString(sum[:4])
}

// LooksLikeCode reports whether typed, once normalised (NormalizeCode), has the shape of a
// ticket code: ten characters of the code's alphabet, "XXXXX-XXXXX". Searches use it to tell
// a typed code from a name.
func LooksLikeCode(typed string) bool {
	code := NormalizeCode(typed)
	if len(code) != codeLen+1 || code[5] != '-' {
		return false
	}
	for i := 0; i < len(code); i++ {
		if i != 5 && strings.IndexByte(codeAlphabet, code[i]) < 0 {
			return false
		}
	}
	return true
}
