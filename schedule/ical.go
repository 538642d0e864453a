package schedule

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"

	ics "github.com/arran4/golang-ical"
)

// The iCalendar feeds (RFC 5545) have CRLF line endings, lines folded at 75 octets, a
// VTIMEZONE for the programme's zone, and times in that zone (DTSTART;TZID=...).
// A session keeps its UID in every version and feed, so a calendar that subscribed
// updates the entry when the session moves; SEQUENCE is the programme's version and
// DTSTAMP the moment that version was published, so the same version always gives
// the same file. The feeds declare no METHOD: they are subscriptions, not iTIP messages, and
// RFC 5546 would want an ORGANIZER in every event of a METHOD:PUBLISH calendar.

// SessionUID is the iCalendar UID of a session: the same in every version and feed.
func SessionUID(p Programme, s ProgrammeSession) string {
	return fmt.Sprintf("session-%d@event-%d.dagplanner", s.ID, p.EventID)
}

// WriteVenueICal writes all sessions of one venue as an iCalendar feed. An unknown
// venue is models.ErrNotFound.
func WriteVenueICal(w io.Writer, p Programme, venueSlug string) error {
	v, err := p.venue(venueSlug)
	if err != nil {
		return err
	}
	cal := newCalendar(p, p.EventName+" – "+v.City)
	for _, s := range v.Sessions {
		addEvent(cal, p, v, s)
	}
	return writeCalendar(w, cal, "venue "+venueSlug)
}

// WritePersonalICal writes the given sessions, at whichever venue, as an iCalendar
// feed named calName: an attendee's own programme. Ids the programme does not hold
// (a session dropped from a later version) are left out.
func WritePersonalICal(w io.Writer, p Programme, sessionIDs []uint, calName string) error {
	cal := newCalendar(p, calName)
	type placed struct {
		v ProgrammeVenue
		s ProgrammeSession
	}
	var mine []placed
	for _, v := range p.Venues {
		for _, s := range v.Sessions {
			if slices.Contains(sessionIDs, s.ID) {
				mine = append(mine, placed{v, s})
			}
		}
	}
	slices.SortStableFunc(mine, func(a, b placed) int { return a.s.Start.Compare(b.s.Start) })
	for _, m := range mine {
		addEvent(cal, p, m.v, m.s)
	}
	return writeCalendar(w, cal, "personal calendar")
}

func newCalendar(p Programme, name string) *ics.Calendar {
	cal := ics.NewCalendarFor("Dagplanner")
	cal.SetProductId("-//Dagplanner//Programma " + p.EventSlug + "//NL")
	cal.SetCalscale("GREGORIAN")
	cal.SetName(icalText(name))
	cal.SetXWRCalName(icalText(name))
	cal.SetXWRTimezone(p.Location().String())
	cal.SetRefreshInterval("PT6H")
	cal.SetXPublishedTTL("PT6H")
	cal.AddVTimezone(vtimezone(p))
	return cal
}

func addEvent(cal *ics.Calendar, p Programme, v ProgrammeVenue, s ProgrammeSession) {
	loc := p.Location()
	tzid := ics.WithTZID(loc.String())
	e := cal.AddEvent(SessionUID(p, s))
	e.SetDtStampTime(p.PublishedAt)
	e.SetSequence(p.Version)
	e.SetProperty(ics.ComponentPropertyDtStart, s.Start.In(loc).Format(icalLocal), tzid)
	e.SetProperty(ics.ComponentPropertyDtEnd, s.End.In(loc).Format(icalLocal), tzid)
	e.SetSummary(icalText(s.Title), inLanguage(s.TitleLang)...)
	desc := strings.TrimSpace(s.Abstract + "\n\n" + s.SpeakerNames())
	if desc != "" {
		e.SetDescription(icalText(desc), inLanguage(s.AbstractLang)...)
	}
	e.SetLocation(icalText(location(v, s)))
	for _, c := range []string{s.Format, s.Track} {
		if c != "" {
			e.AddCategory(icalText(c))
		}
	}
	if u := p.SessionURL(s); u != "" {
		e.SetURL(u)
	}
	e.SetStatus(ics.ObjectStatusConfirmed)
	e.SetTimeTransparency(ics.TransparencyOpaque)
}

// inLanguage is the LANGUAGE parameter of a text in lang (RFC 5545, 3.2.10); none when the
// programme was not shown in a language.
func inLanguage(lang string) []ics.PropertyParameter {
	if lang == "" {
		return nil
	}
	return []ics.PropertyParameter{&ics.KeyValues{Key: string(ics.ParameterLanguage), Value: []string{lang}}}
}

// location is room, venue, address and city: "Zaal 2.14, Stadskantoor, Lübeckplein 2,
// Zwolle"; the city is not repeated when the address ends with it.
func location(v ProgrammeVenue, s ProgrammeSession) string {
	r, _ := v.Room(s.RoomID)
	parts := []string{r.Name, v.Name, v.Address}
	if !strings.HasSuffix(strings.ToLower(strings.TrimSpace(v.Address)), strings.ToLower(v.City)) {
		parts = append(parts, v.City)
	}
	return strings.Join(slices.DeleteFunc(parts, func(p string) bool { return strings.TrimSpace(p) == "" }), ", ")
}

const icalLocal = "20060102T150405"

// icalText keeps line breaks as "\n" and turns other control characters into
// spaces; the library escapes backslashes, commas, semicolons and line breaks.
func icalText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		if r == '\n' {
			return r
		}
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

// vtimezone describes the programme's time zone from Go's zone data: one observance
// per change of offset from the year before the event to the year after it, so
// every time in the feed is covered whatever the date.
func vtimezone(p Programme) *ics.VTimezone {
	loc := p.Location()
	tz := ics.NewTimezone(loc.String())
	year := time.Now().Year()
	if d, err := time.Parse(time.DateOnly, p.Date); err == nil {
		year = d.Year()
	}
	from := time.Date(year-1, 1, 1, 0, 0, 0, 0, loc)
	to := time.Date(year+2, 1, 1, 0, 0, 0, 0, loc)
	changes := 0
	for t := from; t.Before(to); {
		next := t.AddDate(0, 0, 1)
		_, a := t.Zone()
		if _, b := next.Zone(); a != b {
			at := transition(t, next)
			addObservance(tz, at.Add(-time.Second), at)
			changes++
		}
		t = next
	}
	if changes == 0 {
		epoch := time.Date(1970, 1, 1, 0, 0, 0, 0, loc)
		addObservance(tz, epoch, epoch)
	}
	return tz
}

// transition finds the first instant after a whose offset differs from a's, to the second.
func transition(a, b time.Time) time.Time {
	_, off := a.Zone()
	for b.Sub(a) > time.Second {
		mid := a.Add(b.Sub(a) / 2)
		if _, o := mid.Zone(); o == off {
			a = mid
		} else {
			b = mid
		}
	}
	return b
}

// addObservance adds a STANDARD or DAYLIGHT part that starts at at, when the offset
// changes from the one at before to the one at at.
func addObservance(tz *ics.VTimezone, before, at time.Time) {
	_, fromOff := before.Zone()
	name, toOff := at.Zone()
	var part *ics.ComponentBase
	if at.IsDST() {
		d := &ics.Daylight{}
		tz.Components = append(tz.Components, d)
		part = &d.ComponentBase
	} else {
		s := &ics.Standard{}
		tz.Components = append(tz.Components, s)
		part = &s.ComponentBase
	}
	// DTSTART is the local time of the change in the offset before it.
	part.SetProperty(ics.ComponentPropertyDtStart, at.UTC().Add(time.Duration(fromOff)*time.Second).Format(icalLocal))
	part.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), utcOffset(fromOff))
	part.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), utcOffset(toOff))
	part.SetProperty(ics.ComponentProperty(ics.PropertyTzname), name)
}

func utcOffset(seconds int) string {
	sign := '+'
	if seconds < 0 {
		sign, seconds = '-', -seconds
	}
	return fmt.Sprintf("%c%02d%02d", sign, seconds/3600, seconds/60%60)
}

func writeCalendar(w io.Writer, cal *ics.Calendar, what string) error {
	var buf bytes.Buffer
	if err := cal.SerializeTo(&buf, ics.WithNewLineWindows); err != nil {
		return fmt.Errorf("ical of %s: %w", what, err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write ical of %s: %w", what, err)
	}
	return nil
}
