package locale

import (
	"regexp"
	"strings"
)

// formalWord finds the formal Dutch forms of address ("u", "uw", "uzelf", "alstublieft",
// "a.u.b."): whole words only, so "uur", "U-vormig", "u.s.w." and a template's {{.U}} are
// not taken for them.
var formalWord = regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}.\-'’_])(u|uw|uwe|uzelf|alstublieft|a\.u\.b\.?)(?:$|[^\p{L}\p{N}\-'’_.]|\.(?:$|\s))`)

// FormalWords lists the formal forms of address in a Dutch text. Dagplanner speaks to
// people with "je" and "jouw", in the network's own voice, never with "u" and "uw".
func FormalWords(text string) []string {
	var out []string
	for _, m := range formalWord.FindAllStringSubmatch(text, -1) {
		out = append(out, strings.TrimSuffix(m[1], "."))
	}
	return out
}
