package models

import (
	"fmt"
	"unicode"
)

// Names, titles and organisations are what door staff read on badges, door lists and
// the scan screen. Unicode's format characters (category Cf) are invisible there: the
// bidi controls U+202A–U+202E and U+2066–U+2069 reorder what is shown, and U+200B–U+200F,
// U+2060–U+2064, U+00AD and U+FEFF make two names that look the same differ. They are
// refused in every field a person types a name or title into, with a message that names
// the character, since nobody can see it.

// InvisibleChar returns the first format character (Unicode category Cf: bidi
// controls, zero-width characters, the byte order mark) in s, and whether there is one.
func InvisibleChar(s string) (rune, bool) {
	for _, r := range s {
		if unicode.Is(unicode.Cf, r) {
			return r, true
		}
	}
	return 0, false
}

// checkName refuses invisible format characters in a name, title or organisation. It
// adds nothing when the field already has a problem.
func (p Problems) checkName(field, value string) {
	if r, bad := InvisibleChar(value); bad {
		p.Add(field, "form.invisible_chars", "Char", fmt.Sprintf("U+%04X", r))
	}
}
