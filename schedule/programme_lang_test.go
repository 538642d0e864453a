package schedule

import (
	"bytes"
	"strings"
	"testing"
)

// TestProgrammeInLanguage shows the test programme to an English and a Dutch reader, with an
// English title and venue name for some of it: English where there is some, Dutch where not,
// each text saying its language; the programme itself is left as it was.
func TestProgrammeInLanguage(t *testing.T) {
	t.Parallel()
	e, vs, ss := testModels("2027-01-14")
	vs[0].NameEn = "City Office"
	for i := range ss {
		if ss[i].ID == 102 {
			ss[i].TitleEn, ss[i].AbstractEn = "Writing in plain language", "Two hours of practice."
		}
	}
	p := FromModels(e, vs, ss, testPublication)

	find := func(p Programme, id uint) ProgrammeSession {
		for _, v := range p.Venues {
			for _, s := range v.Sessions {
				if s.ID == id {
					return s
				}
			}
		}
		t.Fatalf("no session %d", id)
		return ProgrammeSession{}
	}
	for _, tc := range []struct {
		lang, title, abstract, titleLang, other, otherLang, venue string
	}{
		{"en", "Writing in plain language", "Two hours of practice.", "en", accentTitle, "nl", "City Office"},
		{"nl", "Schrijven in begrijpelijke taal", "Twee uur oefenen met brieven die iedereen begrijpt.", "nl", accentTitle, "nl", "Stadskantoor"},
	} {
		shown := p.In(tc.lang)
		s, other := find(shown, 102), find(shown, 101)
		if s.Title != tc.title || s.Abstract != tc.abstract || s.TitleLang != tc.titleLang || s.AbstractLang != tc.titleLang {
			t.Errorf("in %s: session 102 got %q / %q in %q/%q, want %q / %q in %q", tc.lang, s.Title, s.Abstract, s.TitleLang, s.AbstractLang, tc.title, tc.abstract, tc.titleLang)
		}
		if other.Title != tc.other || other.TitleLang != tc.otherLang {
			t.Errorf("in %s: a session without English got %q in %q, want %q in %q", tc.lang, other.Title, other.TitleLang, tc.other, tc.otherLang)
		}
		if shown.Venues[0].Name != tc.venue || shown.Venues[1].Name != "World Trade Center" {
			t.Errorf("in %s: venues got %q and %q", tc.lang, shown.Venues[0].Name, shown.Venues[1].Name)
		}

		var ics bytes.Buffer
		if err := WriteVenueICal(&ics, shown, "zwolle"); err != nil {
			t.Fatal(err)
		}
		unfolded := strings.ReplaceAll(ics.String(), "\r\n ", "")
		if want := "SUMMARY;LANGUAGE=" + tc.titleLang + ":" + tc.title + "\r\n"; !strings.Contains(unfolded, want) {
			t.Errorf("in %s: the iCal feed lacks %q:\n%s", tc.lang, want, unfolded)
		}
	}
	if s := find(p, 102); s.Title != "Schrijven in begrijpelijke taal" || s.TitleLang != "" || p.Venues[0].Name != "Stadskantoor" {
		t.Errorf("In changed the programme it was called on: %q (%q) at %q", s.Title, s.TitleLang, p.Venues[0].Name)
	}
}
