package models

import (
	"slices"
	"strings"
)

// Event content is written in Dutch and may have an English version next to it: the event's
// theme and description, a venue's name, route and accessibility texts, a session's title and
// abstract. English visitors (the site's language switch) and English-speaking attendees (their
// registration's language) see the English version where there is one, the Dutch where not.
// InLang is the one place that choice is made; the methods below and the In copies use it, so
// templates never choose a language themselves.

// English is the language code of the optional second version of event content.
const English = "en"

// InLang picks the version of a text for lang: en when lang is English and en is not blank,
// nl otherwise.
func InLang(lang, nl, en string) string {
	if lang == English && strings.TrimSpace(en) != "" {
		return en
	}
	return nl
}

// LangShown is the language of what InLang shows for lang when the English version is en:
// "en" or "nl". Pages mark Dutch text shown to an English visitor with it (lang="nl").
func LangShown(lang, en string) string {
	if InLang(lang, "", en) != "" {
		return English
	}
	return "nl"
}

// ThemeIn is the event's theme in lang.
func (e Event) ThemeIn(lang string) string { return InLang(lang, e.Theme, e.ThemeEn) }

// DescriptionIn is the event's description in lang.
func (e Event) DescriptionIn(lang string) string { return InLang(lang, e.Description, e.DescriptionEn) }

// In returns the event with its theme and description in lang, for pages that show it.
func (e Event) In(lang string) Event {
	e.Theme, e.Description = e.ThemeIn(lang), e.DescriptionIn(lang)
	return e
}

// NameIn is the venue's name in lang.
func (v Venue) NameIn(lang string) string { return InLang(lang, v.Name, v.NameEn) }

// RouteHintIn is the venue's route text in lang.
func (v Venue) RouteHintIn(lang string) string { return InLang(lang, v.RouteHint, v.RouteHintEn) }

// AccessibilityIn is the venue's accessibility text in lang.
func (v Venue) AccessibilityIn(lang string) string {
	return InLang(lang, v.Accessibility, v.AccessibilityEn)
}

// In returns the venue with its name, route and accessibility texts in lang. Its rooms and
// slots are shared with v: rooms have no English version.
func (v Venue) In(lang string) Venue {
	v.Name, v.RouteHint, v.Accessibility = v.NameIn(lang), v.RouteHintIn(lang), v.AccessibilityIn(lang)
	return v
}

// VenuesIn returns copies of the venues in lang.
func VenuesIn(vs []Venue, lang string) []Venue {
	out := make([]Venue, len(vs))
	for i, v := range vs {
		out[i] = v.In(lang)
	}
	return out
}

// TitleIn is the session's title in lang.
func (s Session) TitleIn(lang string) string { return InLang(lang, s.Title, s.TitleEn) }

// AbstractIn is the session's abstract in lang.
func (s Session) AbstractIn(lang string) string { return InLang(lang, s.Abstract, s.AbstractEn) }

// In returns the session with its title, abstract and venue in lang.
func (s Session) In(lang string) Session {
	s.Title, s.Abstract = s.TitleIn(lang), s.AbstractIn(lang)
	if s.Venue != nil {
		v := s.Venue.In(lang)
		s.Venue = &v
	}
	return s
}

// SessionsIn returns copies of the sessions in lang.
func SessionsIn(ss []Session, lang string) []Session {
	out := make([]Session, len(ss))
	for i, s := range ss {
		out[i] = s.In(lang)
	}
	return out
}

// In returns the registration with its venue and its booked sessions in lang; the bookings
// are copied, so r's own are left as they are.
func (r Registration) In(lang string) Registration {
	r.Venue = r.Venue.In(lang)
	r.Bookings = slices.Clone(r.Bookings)
	for i := range r.Bookings {
		r.Bookings[i].Session = r.Bookings[i].Session.In(lang)
	}
	return r
}

// TitleIn is the published session's title in lang.
func (p PublishedSession) TitleIn(lang string) string { return InLang(lang, p.Title, p.TitleEn) }

// AbstractIn is the published session's abstract in lang.
func (p PublishedSession) AbstractIn(lang string) string {
	return InLang(lang, p.Abstract, p.AbstractEn)
}
