package schedule

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
)

// TestFrabXMLValid validates every venue's schedule.xml against the schema that
// Giggity, EventFahrplan and pretalx use, and checks what apps show.
func TestFrabXMLValid(t *testing.T) {
	needTool(t, "xmllint")
	p := testProgramme()
	for _, v := range p.Venues {
		t.Run(v.Slug, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteFrabXML(&buf, p, v.Slug); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "schedule.xml")
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command("xmllint", "--noout", "--schema", filepath.Join("testdata", "schedule.xml.xsd"), path).CombinedOutput()
			if err != nil {
				t.Fatalf("xmllint: %v\n%s\n%s", err, out, buf.String())
			}
		})
	}
}

// TestFrabXMLValidatorRejects makes sure the validation above can fail: a schedule
// without a version is refused.
func TestFrabXMLValidatorRejects(t *testing.T) {
	needTool(t, "xmllint")
	var buf bytes.Buffer
	if err := WriteFrabXML(&buf, testProgramme(), "zwolle"); err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(buf.String(), "<version>3</version>", "", 1)
	path := filepath.Join(t.TempDir(), "schedule.xml")
	if err := os.WriteFile(path, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("xmllint", "--noout", "--schema", filepath.Join("testdata", "schedule.xml.xsd"), path).CombinedOutput(); err == nil {
		t.Fatalf("xmllint accepted a schedule without a version:\n%s", out)
	}
}

type parsedXML struct {
	Version    string `xml:"version"`
	Conference struct {
		Acronym string `xml:"acronym"`
		Title   string `xml:"title"`
		TZ      string `xml:"time_zone_name"`
	} `xml:"conference"`
	Days []struct {
		Start string `xml:"start,attr"`
		End   string `xml:"end,attr"`
		Rooms []struct {
			Name   string `xml:"name,attr"`
			Events []struct {
				ID       uint     `xml:"id,attr"`
				GUID     string   `xml:"guid,attr"`
				Room     string   `xml:"room"`
				Title    string   `xml:"title"`
				Date     string   `xml:"date"`
				Start    string   `xml:"start"`
				Duration string   `xml:"duration"`
				Persons  []string `xml:"persons>person"`
			} `xml:"event"`
		} `xml:"room"`
	} `xml:"day"`
}

func TestFrabXMLContent(t *testing.T) {
	p := testProgramme()
	var buf bytes.Buffer
	if err := WriteFrabXML(&buf, p, "zwolle"); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "<script>") {
		t.Error("the XML holds an unescaped <script> tag")
	}
	var got parsedXML
	if err := xml.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Conference.Acronym != "dag_van_de_ambtenaar_2_0_zwolle" || got.Conference.Title != "Dag van de Ambtenaar 2.0 – Zwolle" ||
		got.Conference.TZ != "Europe/Amsterdam" {
		t.Errorf("conference = %+v", got.Conference)
	}
	if d := got.Days[0]; d.Start != "2027-01-14T09:30:00+01:00" || d.End != "2027-01-14T15:15:00+01:00" {
		t.Errorf("day runs %s to %s, want 09:30 to 15:15 +01:00", d.Start, d.End)
	}
	var names []string
	events := map[uint]int{}
	for ri, r := range got.Days[0].Rooms {
		names = append(names, r.Name)
		for ei, e := range r.Events {
			events[e.ID] = ri*100 + ei
			if e.Room != r.Name {
				t.Errorf("event %d names room %q inside room %q", e.ID, e.Room, r.Name)
			}
		}
	}
	if want := "Raadszaal (Zwolle),Zaal 2.14 (Zwolle),Kamer 3.01 (Zwolle)"; strings.Join(names, ",") != want {
		t.Errorf("rooms = %v, want %s", names, want)
	}
	training := got.Days[0].Rooms[2].Events[0]
	if training.ID != 102 || training.Date != "2027-01-14T13:00:00+01:00" || training.Start != "13:00" || training.Duration != "02:15" {
		t.Errorf("two-slot training = %+v, want id 102 on 13:00 for 02:15", training)
	}
	first := got.Days[0].Rooms[0].Events[0]
	if first.Title != scriptTitle || len(first.Persons) != 1 || first.Persons[0] != "Anna de Vries" {
		t.Errorf("first event = %+v", first)
	}
	if len(events) != 5 {
		t.Errorf("%d events, want 5", len(events))
	}

	// The guid is a UUID that stays the same in a later version of the programme.
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(first.GUID) {
		t.Errorf("guid %q is not a version 5 UUID", first.GUID)
	}
	later := p
	later.Version = 4
	buf.Reset()
	if err := WriteFrabXML(&buf, later, "zwolle"); err != nil {
		t.Fatal(err)
	}
	var again parsedXML
	if err := xml.Unmarshal(buf.Bytes(), &again); err != nil {
		t.Fatal(err)
	}
	if again.Version != "4" || again.Days[0].Rooms[0].Events[0].GUID != first.GUID {
		t.Errorf("version 4 has version %q and guid %q, want 4 and %q", again.Version, again.Days[0].Rooms[0].Events[0].GUID, first.GUID)
	}
}

func TestFrabUnknownVenue(t *testing.T) {
	for name, write := range map[string]func() error{
		"xml":  func() error { return WriteFrabXML(&bytes.Buffer{}, testProgramme(), "utrecht") },
		"json": func() error { return WriteFrabJSON(&bytes.Buffer{}, testProgramme(), "utrecht") },
		"ical": func() error { return WriteVenueICal(&bytes.Buffer{}, testProgramme(), "utrecht") },
	} {
		if err := write(); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("%s of an unknown venue: error = %v, want ErrNotFound", name, err)
		}
	}
}

func TestFrabJSON(t *testing.T) {
	p := testProgramme()
	var buf bytes.Buffer
	if err := WriteFrabJSON(&buf, p, "rotterdam"); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Schedule struct {
			Version    string `json:"version"`
			URL        string `json:"url"`
			Conference struct {
				Acronym          string `json:"acronym"`
				DaysCount        int    `json:"daysCount"`
				TimeslotDuration string `json:"timeslot_duration"`
				Rooms            []struct {
					Name, GUID string
				} `json:"rooms"`
				Days []struct {
					Index    int                         `json:"index"`
					DayStart string                      `json:"day_start"`
					Rooms    map[string][]map[string]any `json:"rooms"`
				} `json:"days"`
			} `json:"conference"`
		} `json:"schedule"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	s := got.Schedule
	if s.Version != "3" || s.URL != "https://dagplanner.example.nl/api/v1/venues/rotterdam/schedule.json" {
		t.Errorf("version %q, url %q", s.Version, s.URL)
	}
	c := s.Conference
	if c.Acronym != "dag_van_de_ambtenaar_2_0_rotterdam" || c.DaysCount != 1 || c.TimeslotDuration != "00:15" {
		t.Errorf("conference = %+v", c)
	}
	if len(c.Rooms) != 3 || c.Rooms[1].Name != "Zaal 2.14 (Rotterdam)" {
		t.Errorf("rooms = %+v, want Zaal 2.14 (Rotterdam) second", c.Rooms)
	}
	if len(c.Days) != 1 || c.Days[0].Index != 1 || c.Days[0].DayStart != "2027-01-14T09:30:00+01:00" {
		t.Fatalf("days = %+v", c.Days)
	}
	events := c.Days[0].Rooms["Maaszaal (Rotterdam)"]
	if len(events) != 1 {
		t.Fatalf("Maaszaal has %d events, want 1", len(events))
	}
	e := events[0]
	for key, want := range map[string]any{
		"id": 200.0, "title": "Open data in de praktijk", "start": "09:30", "duration": "01:00",
		"date": "2027-01-14T09:30:00+01:00", "room": "Maaszaal (Rotterdam)", "type": "presentation", "track": "Data",
		"language": "nl", "url": "https://dagplanner.example.nl/sessies/200",
		"guid": uuid5("dagplanner:event/7/session/200"),
	} {
		if e[key] != want {
			t.Errorf("event[%q] = %v, want %v", key, e[key], want)
		}
	}
	persons, _ := e["persons"].([]any)
	if len(persons) != 1 {
		t.Fatalf("persons = %v, want Jan de Vries", e["persons"])
	}
	// Both names, but no numeric id: the schema takes a frab person or a pretalx one, not both.
	if p := persons[0].(map[string]any); p["name"] != "Jan de Vries" || p["public_name"] != "Jan de Vries" || p["id"] != nil {
		t.Errorf("person = %v, want name and public_name Jan de Vries and no id", p)
	}
	if rooms := c.Days[0].Rooms["Kamer 5 (Rotterdam)"]; len(rooms) != 1 || rooms[0]["track"] != nil {
		t.Errorf("Kamer 5 = %v, want one event with track null", rooms)
	}
}

func TestUUID5(t *testing.T) {
	// Python: uuid.uuid5(uuid.NAMESPACE_URL, "http://python.org/")
	if got, want := uuid5("http://python.org/"), "4c565f0d-3f5a-5890-b41b-20cf47701c5e"; got != want {
		t.Errorf("uuid5(python.org) = %s, want %s", got, want)
	}
}

func TestGoldenFrab(t *testing.T) {
	p := testProgramme()
	var x, j bytes.Buffer
	if err := WriteFrabXML(&x, p, "zwolle"); err != nil {
		t.Fatal(err)
	}
	if err := WriteFrabJSON(&j, p, "zwolle"); err != nil {
		t.Fatal(err)
	}
	golden(t, "zwolle.schedule.xml.golden", x.Bytes())
	golden(t, "zwolle.schedule.json.golden", j.Bytes())
}
