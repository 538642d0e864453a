package models

import (
	"regexp"
	"slices"
	"strings"
)

// Placeholder is a word between braces in a message, filled in for each person: "{naam}".
// Organisers write the Dutch name; the English one works too, in either language's text.
type Placeholder struct {
	Name  string // "naam"
	Alias string // "name"
	// Groups are the audience groups it can be filled in for.
	Groups []string
	// Line is set when the value fits on one line, so it may be used in a subject.
	Line bool
}

var (
	everyGroup    = []string{AudienceAttendees, AudienceSpeakers, AudienceCoSpeakers, AudienceReviewers, AudienceVoters}
	namedGroups   = []string{AudienceAttendees, AudienceSpeakers, AudienceCoSpeakers}
	attendeeGroup = []string{AudienceAttendees}
)

// Placeholders lists what a message may hold, in the order the compose page explains them.
// A reviewer is an account with an address only, so only the event's own details apply.
var Placeholders = []Placeholder{
	{Name: "naam", Alias: "name", Groups: namedGroups, Line: true},
	{Name: "organisatie", Alias: "organisation", Groups: namedGroups, Line: true},
	{Name: "evenement", Alias: "event", Groups: everyGroup, Line: true},
	{Name: "datum", Alias: "date", Groups: everyGroup, Line: true},
	{Name: "locatie", Alias: "venue", Groups: attendeeGroup, Line: true},
	{Name: "adres", Alias: "address", Groups: attendeeGroup, Line: true},
	{Name: "sessies", Alias: "sessions", Groups: namedGroups},
	{Name: "persoonlijke_link", Alias: "personal_link", Groups: namedGroups},
}

// placeholderPattern finds a word between braces: anything without braces or spaces.
var placeholderPattern = regexp.MustCompile(`\{([^{}\s]{1,40})\}`)

// placeholder finds a placeholder by its Dutch or English name, ignoring case.
func placeholder(name string) (Placeholder, bool) {
	name = strings.ToLower(name)
	for _, p := range Placeholders {
		if p.Name == name || p.Alias == name {
			return p, true
		}
	}
	return Placeholder{}, false
}

// PlaceholdersFor lists the placeholders that can be filled in for a group, as written:
// "{naam}".
func PlaceholdersFor(group string) []string {
	var out []string
	for _, p := range Placeholders {
		if slices.Contains(p.Groups, group) {
			out = append(out, "{"+p.Name+"}")
		}
	}
	return out
}

// checkPlaceholders records the first placeholder in text that is unknown, does not apply
// to the group, or (in a subject) does not fit on one line.
func (p Problems) checkPlaceholders(field, text, group string, subject bool) {
	known := strings.Join(PlaceholdersFor(group), ", ")
	for _, m := range placeholderPattern.FindAllStringSubmatch(text, -1) {
		ph, ok := placeholder(m[1])
		switch {
		case !ok:
			p.Add(field, "message.unknown_placeholder", "Name", m[0], "Known", known)
		case !slices.Contains(ph.Groups, group):
			p.Add(field, "message.placeholder_not_for_group", "Name", m[0], "Known", known)
		case subject && !ph.Line:
			p.Add(field, "message.placeholder_not_in_subject", "Name", m[0])
		}
	}
}

// UsedPlaceholders returns the Dutch names of the placeholders the texts use, so that only
// what is needed is looked up (and a personal link is made only when asked for).
func UsedPlaceholders(texts ...string) map[string]bool {
	used := map[string]bool{}
	for _, text := range texts {
		for _, m := range placeholderPattern.FindAllStringSubmatch(text, -1) {
			if ph, ok := placeholder(m[1]); ok {
				used[ph.Name] = true
			}
		}
	}
	return used
}

// FillPlaceholders replaces every known placeholder in text by its value (values is keyed
// by the Dutch name); anything else between braces stays as written.
func FillPlaceholders(text string, values map[string]string) string {
	return placeholderPattern.ReplaceAllStringFunc(text, func(m string) string {
		ph, ok := placeholder(m[1 : len(m)-1])
		if !ok {
			return m
		}
		return values[ph.Name]
	})
}
