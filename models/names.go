package models

import (
	"bytes"
	"sort"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// particles are the lower-case words that stand before a last name but do not count for
// sorting it (Dutch tussenvoegsels, and their German and French kin): "Jan van den Berg"
// sorts under B as "Berg, Jan van den".
var particles = map[string]bool{
	"van": true, "de": true, "der": true, "den": true, "het": true, "'t": true, "’t": true,
	"te": true, "ten": true, "ter": true, "in": true, "op": true, "uit": true, "aan": true,
	"bij": true, "onder": true, "over": true, "voor": true, "vd": true, "v.d.": true,
	"von": true, "vom": true, "zu": true, "zum": true, "zur": true,
	"du": true, "des": true, "la": true, "le": true, "d'": true, "l'": true, "d’": true,
}

func isParticle(w string) bool { return particles[strings.ToLower(w)] }

// joinsDoubleName reports whether w is the first part of a double last name whose second
// part starts with particles, as "Ğüneş-van" in "Zoë Ğüneş-van den Bërg".
func joinsDoubleName(w string) bool {
	i := strings.LastIndex(w, "-")
	return i > 0 && isParticle(w[i+1:])
}

// SplitName splits a full name into its last name, the given names and the particles
// before the last name, as Dutch lists do: "Jan van den Berg" is ("Berg", "Jan", "van den");
// a double name keeps its particles inside ("Zoë Ğüneş-van den Bërg" is ("Ğüneş-van den
// Bërg", "Zoë", "")). Without particles the last word is the last name.
func SplitName(name string) (last, given, parts string) {
	words := strings.Fields(name)
	switch len(words) {
	case 0:
		return "", "", ""
	case 1:
		return words[0], "", ""
	}
	// The first particle after the given names starts the last name; the first word is a
	// given name unless everything before the last word is a particle ("de Vries").
	start := 1
	if allParticles(words[:len(words)-1]) {
		start = 0
	}
	for i := 0; i < len(words)-1; i++ {
		if joinsDoubleName(words[i]) {
			return strings.Join(words[i:], " "), strings.Join(words[:i], " "), ""
		}
		if i < start || !isParticle(words[i]) {
			continue
		}
		j := i
		for j < len(words)-1 && isParticle(words[j]) {
			j++
		}
		return strings.Join(words[j:], " "), strings.Join(words[:i], " "), strings.Join(words[i:j], " ")
	}
	return words[len(words)-1], strings.Join(words[:len(words)-1], " "), ""
}

func allParticles(words []string) bool {
	for _, w := range words {
		if !isParticle(w) {
			return false
		}
	}
	return true
}

// LastNameFirst returns name as a list by last name shows it, the prefix kept:
// "Jan van den Berg" becomes "Berg, Jan van den", "de Vries" becomes "Vries, de".
func LastNameFirst(name string) string {
	last, given, parts := SplitName(name)
	rest := strings.TrimSpace(given + " " + parts)
	if rest == "" {
		return last
	}
	return last + ", " + rest
}

// SortByLastName sorts n items, whose names name returns, with swap: by last name, then
// given names, then particles, with Dutch collation (case and accents count only to break
// ties, "ij" as Dutch readers expect). It is the one order of every list of attendees by
// name: the door list PDF, the badges and the door's list.
func SortByLastName(n int, name func(int) string, swap func(i, j int)) {
	c := collate.New(language.Dutch, collate.IgnoreCase)
	var buf collate.Buffer
	keys := make([][3][]byte, n)
	for i := range keys {
		last, given, parts := SplitName(name(i))
		for p, s := range [3]string{last, given, parts} {
			keys[i][p] = append([]byte(nil), c.KeyFromString(&buf, s)...)
		}
		buf.Reset()
	}
	sort.Stable(keySorter{keys, swap})
}

type keySorter struct {
	keys [][3][]byte
	swap func(i, j int)
}

func (s keySorter) Len() int { return len(s.keys) }

func (s keySorter) Less(i, j int) bool {
	for p := range s.keys[i] {
		if c := bytes.Compare(s.keys[i][p], s.keys[j][p]); c != 0 {
			return c < 0
		}
	}
	return false
}

func (s keySorter) Swap(i, j int) {
	s.keys[i], s.keys[j] = s.keys[j], s.keys[i]
	s.swap(i, j)
}
