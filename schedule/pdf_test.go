package schedule

import (
	"bytes"
	"errors"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/tickets/ticketstest"
)

func translator(t *testing.T, l locale.Lang) *locale.Translator {
	t.Helper()
	c, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	return c.Translator(l)
}

// pdfText returns the text of each page of pdf as pdftotext reads it: in reading
// order, not -layout, so a title that wraps is not interleaved with the next column.
func pdfText(t *testing.T, pdf []byte) []string {
	t.Helper()
	ticketstest.NeedTool(t, "pdftotext")
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", ticketstest.WritePDF(t, pdf), "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return strings.Split(strings.TrimRight(string(out), "\f\n"), "\f")
}

var space = regexp.MustCompile(`\s+`)

// squash joins all white space, so text that wraps over lines reads as one line.
func squash(s string) string { return space.ReplaceAllString(s, " ") }

// lineOf returns the 0-based line of text on which s starts, or -1.
func lineOf(text, s string) int {
	i := strings.Index(text, s)
	if i < 0 {
		return -1
	}
	return strings.Count(text[:i], "\n")
}

func TestVenueProgrammePDF(t *testing.T) {
	p := testProgramme()
	var buf bytes.Buffer
	if err := VenueProgrammePDF(&buf, p, "zwolle", translator(t, locale.Dutch)); err != nil {
		t.Fatal(err)
	}
	pages := pdfText(t, buf.Bytes())
	text := strings.Join(pages, "\n")
	all := squash(text)
	for _, want := range []string{
		"Programma Stadskantoor, Zwolle", "donderdag 14 januari 2027", "Versie 3, gepubliceerd op dinsdag 1 december 2026",
		"09:30–10:30", "10:45–11:45", "13:00–14:00", "14:15–15:15", "13:00–15:15",
		"Raadszaal", "Zaal 2.14", "Kamer 3.01", "120 plaatsen",
		squash(scriptTitle), accentTitle, longTitle, formulaTitle, "Schrijven in begrijpelijke taal",
		"Zoë Ångström (Ministerie van BZK), Anna de Vries (Gemeente Zwolle)", "lezing · Digitaal", "training · Communicatie",
		"loopt door: Schrijven in begrijpelijke taal", "pagina 1 van",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("programme PDF lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "…") {
		t.Errorf("programme PDF cuts a text short:\n%s", text)
	}
	// The long title wraps: its first and last words are on different lines.
	if first, last := lineOf(text, "Een bijzonder lange titel"), lineOf(text, "dagelijkse praktijk"); first < 0 || last <= first {
		t.Errorf("long title starts on line %d and ends on line %d, want it wrapped", first, last)
	}
	if strings.Contains(all, "Open data in de praktijk") {
		t.Error("Zwolle's programme shows a Rotterdam session")
	}
}

func TestVenueProgrammePDFEnglish(t *testing.T) {
	var buf bytes.Buffer
	if err := VenueProgrammePDF(&buf, testProgramme(), "rotterdam", translator(t, locale.English)); err != nil {
		t.Fatal(err)
	}
	all := squash(strings.Join(pdfText(t, buf.Bytes()), "\n"))
	for _, want := range []string{"Programme World Trade Center, Rotterdam", "Thursday 14 January 2027", "Version 3",
		"Open data in de praktijk", "Jan de Vries (Rijkswaterstaat)", "presentation · Data", "Maaszaal", "150 seats"} {
		if !strings.Contains(all, want) {
			t.Errorf("English programme PDF lacks %q:\n%s", want, all)
		}
	}
}

func TestVenueProgrammePDFManyPages(t *testing.T) {
	p := testProgramme()
	v := &p.Venues[0]
	// 40 sessions in one slot: more than a page holds.
	for i := range 40 {
		v.Rooms = append(v.Rooms, ProgrammeRoom{ID: uint(1000 + i), Name: "Extra zaal " + string(rune('A'+i%26)), Capacity: 10})
		v.Sessions = append(v.Sessions, ProgrammeSession{ID: uint(1000 + i), Title: "Sessie nummer " + string(rune('A'+i%26)),
			Format: "workshop", RoomID: uint(1000 + i), SlotIDs: []uint{v.Slots[0].ID}, Start: v.Slots[0].Start, End: v.Slots[0].End})
	}
	v.sortSessions()
	var buf bytes.Buffer
	if err := VenueProgrammePDF(&buf, p, "zwolle", translator(t, locale.Dutch)); err != nil {
		t.Fatal(err)
	}
	pages := pdfText(t, buf.Bytes())
	if len(pages) < 2 {
		t.Fatalf("%d page(s), want the programme spread over several", len(pages))
	}
	for i, page := range pages {
		if want := "Programma Stadskantoor, Zwolle"; !strings.Contains(page, want) {
			t.Errorf("page %d lacks the header %q", i+1, want)
		}
	}
	if all := squash(strings.Join(pages, " ")); !strings.Contains(all, longTitle) || !strings.Contains(all, formulaTitle) {
		t.Error("sessions after the page break are missing")
	}
}

func TestDoorSignsPDF(t *testing.T) {
	p := testProgramme()
	var buf bytes.Buffer
	if err := DoorSignsPDF(&buf, p, "zwolle", translator(t, locale.Dutch)); err != nil {
		t.Fatal(err)
	}
	pages := pdfText(t, buf.Bytes())
	if len(pages) != 3 {
		t.Fatalf("%d pages, want one per room (3)", len(pages))
	}
	for i, tc := range []struct {
		room    string
		want    []string
		notWant []string
	}{
		{"Raadszaal", []string{"09:30–10:30", squash(scriptTitle), "10:45–11:45", longTitle, "Anna de Vries (Gemeente Zwolle)"}, []string{accentTitle}},
		{"Zaal 2.14", []string{"09:30–10:30", accentTitle, "14:15–15:15", formulaTitle, "discussie · Ethiek"}, []string{longTitle}},
		{"Kamer 3.01", []string{"13:00–15:15", "Schrijven in begrijpelijke taal", "Piet Jansen", "training · Communicatie"}, nil},
	} {
		page := squash(pages[i])
		for _, want := range append([]string{tc.room, "Stadskantoor, Zwolle · donderdag 14 januari 2027", "Vandaag in deze zaal"}, tc.want...) {
			if !strings.Contains(page, want) {
				t.Errorf("door sign %d (%s) lacks %q:\n%s", i+1, tc.room, want, pages[i])
			}
		}
		for _, no := range tc.notWant {
			if strings.Contains(page, no) {
				t.Errorf("door sign %d (%s) shows %q from another room", i+1, tc.room, no)
			}
		}
	}
	if first, last := lineOf(pages[0], "Een bijzonder lange titel"), lineOf(pages[0], "dagelijkse praktijk"); first < 0 || last <= first {
		t.Errorf("long title starts on line %d and ends on line %d, want it wrapped", first, last)
	}
}

func TestDoorSignEmptyRoom(t *testing.T) {
	p := testProgramme()
	var buf bytes.Buffer
	if err := DoorSignsPDF(&buf, p, "rotterdam", translator(t, locale.English)); err != nil {
		t.Fatal(err)
	}
	pages := pdfText(t, buf.Bytes())
	if len(pages) != 3 {
		t.Fatalf("%d pages, want 3", len(pages))
	}
	// Kamer 5 has a session; the sign of a room without one says so.
	p.Venues[1].Sessions = p.Venues[1].Sessions[:2]
	buf.Reset()
	if err := DoorSignsPDF(&buf, p, "rotterdam", translator(t, locale.English)); err != nil {
		t.Fatal(err)
	}
	pages = pdfText(t, buf.Bytes())
	if page := squash(pages[2]); !strings.Contains(page, "Kamer 5") || !strings.Contains(page, "There are no sessions in this room today.") {
		t.Errorf("sign of the empty room:\n%s", pages[2])
	}
}

func TestPDFUnknownVenue(t *testing.T) {
	tr := translator(t, locale.Dutch)
	if err := VenueProgrammePDF(&bytes.Buffer{}, testProgramme(), "utrecht", tr); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("programme of an unknown venue: error = %v, want ErrNotFound", err)
	}
	if err := DoorSignsPDF(&bytes.Buffer{}, testProgramme(), "utrecht", tr); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("door signs of an unknown venue: error = %v, want ErrNotFound", err)
	}
}
