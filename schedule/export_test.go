package schedule

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// Titles of the test programme that tests look for.
const (
	scriptTitle  = `Opening: wat de overheid leert van <script>alert("x")</script>`
	accentTitle  = "Café-gesprek: privacy & ethiek in één dag"
	longTitle    = "Een bijzonder lange titel over samenwerking tussen gemeenten, provincies, waterschappen en het Rijk bij de uitvoering van de Omgevingswet in de dagelijkse praktijk"
	formulaTitle = "=SOM(A1:A9) en andere spreadsheets voor beleid"
)

// testModels returns an event with two venues, Zwolle and Rotterdam, three rooms and
// four slots each, and sessions in the order a store might return them: one spans two
// slots, one is not placed, one names a slot of another venue.
func testModels(date string) (models.Event, []models.Venue, []models.Session) {
	e := models.Event{ID: 7, Name: "Dag van de Ambtenaar 2.0", Date: date, Timezone: "Europe/Amsterdam"}
	at := func(clock string) time.Time {
		t, _ := e.At(clock)
		return t.UTC()
	}
	slots := func(venue, first uint) []models.Slot {
		var out []models.Slot
		for i, span := range [][2]string{{"09:30", "10:30"}, {"10:45", "11:45"}, {"13:00", "14:00"}, {"14:15", "15:15"}} {
			out = append(out, models.Slot{ID: first + uint(i), VenueID: venue, StartsAt: at(span[0]), EndsAt: at(span[1])})
		}
		return out
	}
	zwolle := models.Venue{ID: 1, EventID: 7, Slug: "zwolle", Name: "Stadskantoor", City: "Zwolle", Address: "Lübeckplein 2, Zwolle",
		Rooms: []models.Room{{ID: 1, VenueID: 1, Name: "Raadszaal", Capacity: 120}, {ID: 2, VenueID: 1, Name: "Zaal 2.14", Capacity: 40},
			{ID: 3, VenueID: 1, Name: "Kamer 3.01", Capacity: 20}},
		Slots: slots(1, 10)}
	rotterdam := models.Venue{ID: 2, EventID: 7, Slug: "rotterdam", Name: "World Trade Center", City: "Rotterdam",
		Address: "Beursplein 37, 3011 AA Rotterdam",
		Rooms: []models.Room{{ID: 5, VenueID: 2, Name: "Maaszaal", Capacity: 150}, {ID: 4, VenueID: 2, Name: "Zaal 2.14", Capacity: 80},
			{ID: 6, VenueID: 2, Name: "Kamer 5", Capacity: 15}},
		Slots: slots(2, 20)}

	anna := models.Speaker{ID: 1, Name: "Anna de Vries", Organisation: "Gemeente Zwolle"}
	zoe := models.Speaker{ID: 2, Name: "Zoë Ångström", Organisation: "Ministerie van BZK"}
	piet := models.Speaker{ID: 3, Name: "Piet Jansen"}
	jan := models.Speaker{ID: 4, Name: "Jan de Vries", Organisation: "Rijkswaterstaat"}
	place := func(venue, room uint, slotIDs ...uint) (v, r *uint, ss []models.SessionSlot) {
		for _, id := range slotIDs {
			ss = append(ss, models.SessionSlot{SlotID: id, RoomID: room})
		}
		return &venue, &room, ss
	}
	session := func(id uint, title, format, track, abstract string, speakers []models.Speaker, venue, room uint, slotIDs ...uint) models.Session {
		s := models.Session{ID: id, EventID: 7, Title: title, Format: format, Track: track, Abstract: abstract, Speakers: speakers}
		if venue != 0 {
			s.VenueID, s.RoomID, s.Slots = place(venue, room, slotIDs...)
		}
		return s
	}
	sessions := []models.Session{
		session(102, "Schrijven in begrijpelijke taal", "training", "Communicatie",
			"Twee uur oefenen met brieven die iedereen begrijpt.", []models.Speaker{piet}, 1, 3, 13, 12),
		session(100, scriptTitle, "lecture", "Digitaal", "De opening van de dag.", []models.Speaker{anna}, 1, 1, 10),
		session(101, accentTitle, "discussion", "Ethiek", "Een gesprek over keuzes; met koffie, thee en taart.",
			[]models.Speaker{zoe, anna}, 1, 2, 10),
		session(103, longTitle, "presentation", "", "", nil, 1, 1, 11),
		session(104, formulaTitle, "workshop", "Data", "-Rekenen zonder fouten.", []models.Speaker{{ID: 5, Name: "@datateam", Organisation: "+CBS"}}, 1, 2, 13),
		session(105, "Nog niet ingeroosterd", "workshop", "", "", nil, 0, 0),
		session(106, "Slot van een andere locatie", "lecture", "", "", nil, 1, 1, 20),
		session(200, "Open data in de praktijk", "presentation", "Data", "Wat ligt er al open?", []models.Speaker{jan}, 2, 5, 20),
		session(201, "Werken met AI, verantwoord", "lecture", "Digitaal", "", []models.Speaker{zoe}, 2, 4, 21),
		session(202, "Samen sneller", "workshop", "", "", nil, 2, 6, 22),
	}
	return e, []models.Venue{zwolle, rotterdam}, sessions
}

var testPublication = Publication{
	Version:     3,
	PublishedAt: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC),
	BaseURL:     "https://dagplanner.example.nl/",
}

// testProgramme is the published programme of testModels on 14 January 2027.
func testProgramme() Programme {
	e, vs, ss := testModels("2027-01-14")
	return FromModels(e, vs, ss, testPublication)
}

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test -update and review the diff); got:\n%s", name, got)
	}
}

// needTool skips the test when a command-line tool is missing, or fails it when the
// test environment promised every tool (scripts/test sets DAGPLANNER_REQUIRE_POSTGRES).
func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("DAGPLANNER_REQUIRE_POSTGRES") == "1" {
			t.Fatalf("%s not installed (scripts/test installs it)", name)
		}
		t.Skipf("%s not installed", name)
	}
}
