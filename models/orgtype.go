package models

import (
	"strings"
)

// Organisation types: what kind of government a registration's organisation is. The type is
// derived from the organisation's name, never asked: Dutch government bodies name themselves
// by their kind ("Gemeente Zwolle", "Provincie Overijssel", "Waterschap Vechtstromen",
// "Ministerie van BZK"), the registration form stays as short as it is, and every
// registration made before this existed is counted too.
const (
	OrgRijk       = "rijk"
	OrgProvincie  = "provincie"
	OrgGemeente   = "gemeente"
	OrgWaterschap = "waterschap"
	OrgOther      = "other"
)

// OrganisationTypes lists the types in the order pages show them.
var OrganisationTypes = []string{OrgRijk, OrgProvincie, OrgGemeente, OrgWaterschap, OrgOther}

// orgTypeRules decide an organisation's type: the first rule with a word of the name that is
// one of its words, or starts with one of its prefixes, wins; no rule means OrgOther.
// Words are compared in lower case and end at anything that is not a letter a–z, so
// "Gemeenten" (the VNG, an association) and "Unie van Waterschappen" stay "other".
var orgTypeRules = []struct {
	kind     string
	words    []string
	prefixes []string
}{
	{OrgWaterschap, []string{"waterschap", "hoogheemraadschap", "wetterskip"}, nil},
	{OrgProvincie, []string{"provincie"}, nil},
	{OrgGemeente, []string{"gemeente"}, nil},
	// The ministries, "Rijks…" (Rijkswaterstaat, Rijksdienst voor Ondernemend Nederland), and
	// the national services people name by their own name or initials.
	{OrgRijk, []string{"ministerie", "belastingdienst", "douane", "logius", "kadaster", "uwv", "svb", "cbs",
		"duo", "rvo", "rdw", "cjib", "dji", "ind", "defensie"}, []string{"rijks"}},
}

// OrganisationType derives the type of an organisation from its name.
//
// It does in Go what orgTypeSQL does in the database (ASCII letters in lower case, a word
// bounded by anything else), so a page that names one person's type agrees with the counts
// and the filter.
func OrganisationType(name string) string {
	s := []byte(name)
	for i, c := range s {
		if c >= 'A' && c <= 'Z' {
			s[i] = c + 'a' - 'A'
		}
	}
	for _, r := range orgTypeRules {
		for _, w := range r.words {
			if hasWord(s, w, false) {
				return r.kind
			}
		}
		for _, p := range r.prefixes {
			if hasWord(s, p, true) {
				return r.kind
			}
		}
	}
	return OrgOther
}

// hasWord reports whether w occurs in s at the start of a word and, unless prefix, ends one.
func hasWord(s []byte, w string, prefix bool) bool {
	letter := func(i int) bool { return i >= 0 && i < len(s) && s[i] >= 'a' && s[i] <= 'z' }
	for i := 0; i+len(w) <= len(s); i++ {
		if string(s[i:i+len(w)]) == w && !letter(i-1) && (prefix || !letter(i+len(w))) {
			return true
		}
	}
	return false
}

// orgTypeSQL is an SQL expression giving the type of the organisation in column (for
// example "organisation"): a GLOB on SQLite, a regular expression on PostgreSQL, both with
// the rules of OrganisationType. The rules' words are constants of ours, never input, so
// they are written into the SQL.
func orgTypeSQL(column string, sqlite bool) string {
	match := func(w string, prefix bool) string {
		if sqlite {
			end := "[^a-z]*"
			if prefix {
				end = "*"
			}
			return "(' ' || LOWER(" + column + ") || ' ') GLOB '*[^a-z]" + w + end + "'"
		}
		end := "([^a-z]|$)"
		if prefix {
			end = ""
		}
		return "LOWER(" + column + ") ~ '(^|[^a-z])" + w + end + "'"
	}
	var b strings.Builder
	b.WriteString("(CASE")
	for _, r := range orgTypeRules {
		var conds []string
		for _, w := range r.words {
			conds = append(conds, match(w, false))
		}
		for _, p := range r.prefixes {
			conds = append(conds, match(p, true))
		}
		b.WriteString(" WHEN " + strings.Join(conds, " OR ") + " THEN '" + r.kind + "'")
	}
	b.WriteString(" ELSE '" + OrgOther + "' END)")
	return b.String()
}

// orgTypeWhere is a condition on registrations, with one parameter (the type): their
// organisation is of that type. The type is worked out once per organisation name (HAVING
// on the names), not once per person.
func orgTypeWhere(sqlite bool) string {
	return "registrations.organisation IN (SELECT o.organisation FROM registrations o GROUP BY o.organisation HAVING " +
		orgTypeSQL("o.organisation", sqlite) + " = ?)"
}
