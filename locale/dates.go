package locale

import (
	"fmt"
	"time"

	_ "time/tzdata" // embed the time zone database so Europe/Amsterdam loads everywhere
)

var amsterdam = mustLoadZone("Europe/Amsterdam")

func mustLoadZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// Unreachable in practice: time/tzdata is embedded above.
		panic(fmt.Sprintf("locale: load time zone %s: %v", name, err))
	}
	return loc
}

// DefaultZone returns Europe/Amsterdam: where dates and times are shown when no event names
// its own time zone (an event has one: see Translator.In).
func DefaultZone() *time.Location { return amsterdam }

// Zone returns DefaultZone, under its old name. Times of an event are shown in the event's
// zone (Translator.In with models.Event.Location), not in this one.
func Zone() *time.Location { return amsterdam }

// In returns a translator like t that shows dates and times in loc, the event's time zone
// (nil: DefaultZone). Translators from a Catalog show them in DefaultZone.
func (t *Translator) In(loc *time.Location) *Translator {
	if loc == nil {
		loc = amsterdam
	}
	if loc == t.Zone() {
		return t
	}
	c := *t
	c.zone = loc
	return &c
}

// Zone returns the time zone t shows dates and times in.
func (t *Translator) Zone() *time.Location {
	if t.zone == nil {
		return amsterdam
	}
	return t.zone
}

var dutchDays = [...]string{
	time.Sunday:    "zondag",
	time.Monday:    "maandag",
	time.Tuesday:   "dinsdag",
	time.Wednesday: "woensdag",
	time.Thursday:  "donderdag",
	time.Friday:    "vrijdag",
	time.Saturday:  "zaterdag",
}

var dutchMonths = [...]string{
	time.January:   "januari",
	time.February:  "februari",
	time.March:     "maart",
	time.April:     "april",
	time.May:       "mei",
	time.June:      "juni",
	time.July:      "juli",
	time.August:    "augustus",
	time.September: "september",
	time.October:   "oktober",
	time.November:  "november",
	time.December:  "december",
}

// Date formats tm's calendar day in t's zone, e.g. "woensdag 3 februari 2027" or "Wednesday 3 February 2027".
func (t *Translator) Date(tm time.Time) string {
	tm = tm.In(t.Zone())
	if t.lang == English {
		return tm.Format("Monday 2 January 2006")
	}
	return fmt.Sprintf("%s %d %s %d", dutchDays[tm.Weekday()], tm.Day(), dutchMonths[tm.Month()], tm.Year())
}

// DateTime formats tm in t's zone as date and 24-hour time, e.g. "woensdag 3 februari 2027, 10:30".
func (t *Translator) DateTime(tm time.Time) string {
	return t.Date(tm) + ", " + t.Time(tm)
}

// dutchShortMonths are the months as Dutch tables abbreviate them ("mrt", not "maa").
var dutchShortMonths = [...]string{"jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"}

// ShortDateTime formats tm in t's zone compactly for a table cell, e.g. "3 feb 2027 10:30"
// ("3 Feb 2027 10:30" in English).
func (t *Translator) ShortDateTime(tm time.Time) string {
	tm = tm.In(t.Zone())
	if t.lang == English {
		return tm.Format("2 Jan 2006 15:04")
	}
	return fmt.Sprintf("%d %s %d %s", tm.Day(), dutchShortMonths[tm.Month()-1], tm.Year(), tm.Format("15:04"))
}

// ShortDate formats tm's day in t's zone compactly for a chart's axis, e.g. "3 feb"
// ("3 Feb" in English).
func (t *Translator) ShortDate(tm time.Time) string {
	tm = tm.In(t.Zone())
	if t.lang == English {
		return tm.Format("2 Jan")
	}
	return fmt.Sprintf("%d %s", tm.Day(), dutchShortMonths[tm.Month()-1])
}

// Time formats tm's clock time in t's zone on the 24-hour clock, e.g. "10:30".
func (t *Translator) Time(tm time.Time) string {
	return tm.In(t.Zone()).Format("15:04")
}

// TimeRange formats the clock times (in t's zone) of a and b joined by an en dash, e.g. "10:30–11:30".
func (t *Translator) TimeRange(a, b time.Time) string {
	return t.Time(a) + "\u2013" + t.Time(b)
}
