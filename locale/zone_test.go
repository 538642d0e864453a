package locale_test

import (
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/locale"
)

// TestTranslatorIn shows dates and times in the event's zone, and in Europe/Amsterdam for a
// translator that was given none.
func TestTranslatorIn(t *testing.T) {
	cat, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	curacao, err := time.LoadLocation("America/Curacao")
	if err != nil {
		t.Fatal(err)
	}
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	// 23:30 on 2 February in UTC: 3 February in Amsterdam, still 2 February on Curaçao.
	at := time.Date(2027, 2, 2, 23, 30, 0, 0, time.UTC)
	nl := cat.Translator(locale.Dutch)
	cases := []struct {
		name                  string
		tr                    *locale.Translator
		zone                  *time.Location
		date, clock, dateTime string
	}{
		{"default", nl, locale.DefaultZone(), "woensdag 3 februari 2027", "00:30", "woensdag 3 februari 2027, 00:30"},
		{"Curaçao", nl.In(curacao), curacao, "dinsdag 2 februari 2027", "19:30", "dinsdag 2 februari 2027, 19:30"},
		{"London", nl.In(london), london, "dinsdag 2 februari 2027", "23:30", "dinsdag 2 februari 2027, 23:30"},
		{"English on Curaçao", cat.Translator(locale.English).In(curacao), curacao, "Tuesday 2 February 2027", "19:30", "Tuesday 2 February 2027, 19:30"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.tr.Zone(); got != tc.zone {
				t.Errorf("Zone() = %v, want %v", got, tc.zone)
			}
			if got := tc.tr.Date(at); got != tc.date {
				t.Errorf("Date = %q, want %q", got, tc.date)
			}
			if got := tc.tr.Time(at); got != tc.clock {
				t.Errorf("Time = %q, want %q", got, tc.clock)
			}
			if got := tc.tr.DateTime(at); got != tc.dateTime {
				t.Errorf("DateTime = %q, want %q", got, tc.dateTime)
			}
		})
	}
	if nl.Zone() != locale.DefaultZone() || nl.Lang() != locale.Dutch {
		t.Errorf("In changed the catalogue's translator: zone %v, language %s", nl.Zone(), nl.Lang())
	}
	if got := nl.In(nil).Zone(); got != locale.DefaultZone() {
		t.Errorf("In(nil).Zone() = %v, want the default", got)
	}
}
