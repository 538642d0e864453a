package schedule

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func TestFromModels(t *testing.T) {
	p := testProgramme()
	if p.EventSlug != "dag-van-de-ambtenaar-2-0" || p.TimeZone != "Europe/Amsterdam" || p.Version != 3 {
		t.Errorf("programme = slug %q, zone %q, version %d; want dag-van-de-ambtenaar-2-0, Europe/Amsterdam, 3",
			p.EventSlug, p.TimeZone, p.Version)
	}
	if p.BaseURL != "https://dagplanner.example.nl" {
		t.Errorf("BaseURL = %q, want it without the trailing slash", p.BaseURL)
	}
	if p.Licence != DefaultLicence {
		t.Errorf("Licence = %+v, want the default %+v", p.Licence, DefaultLicence)
	}
	if len(p.Venues) != 2 {
		t.Fatalf("%d venues, want 2", len(p.Venues))
	}
	z := p.Venues[0]
	var ids []uint
	for _, s := range z.Sessions {
		ids = append(ids, s.ID)
	}
	// By start time, then room order (Raadszaal, Zaal 2.14, Kamer 3.01); the unplaced
	// session and the one in another venue's slot are left out.
	if want := []uint{100, 101, 103, 102, 104}; !reflect.DeepEqual(ids, want) {
		t.Errorf("Zwolle sessions = %v, want %v", ids, want)
	}
	training := z.Sessions[3]
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	if want := time.Date(2027, 1, 14, 13, 0, 0, 0, ams); !training.Start.Equal(want) {
		t.Errorf("two-slot training starts %v, want %v", training.Start, want)
	}
	if want := time.Date(2027, 1, 14, 15, 15, 0, 0, ams); !training.End.Equal(want) {
		t.Errorf("two-slot training ends %v, want the end of its second slot %v", training.End, want)
	}
	if !reflect.DeepEqual(training.SlotIDs, []uint{12, 13}) {
		t.Errorf("training slots = %v, want [12 13] in time order", training.SlotIDs)
	}
	if got := z.Sessions[1].SpeakerNames(); got != "Zoë Ångström (Ministerie van BZK), Anna de Vries (Gemeente Zwolle)" {
		t.Errorf("SpeakerNames() = %q", got)
	}
	if got := z.RoomLabel(2); got != "Zaal 2.14 (Zwolle)" {
		t.Errorf("RoomLabel(2) = %q, want Zaal 2.14 (Zwolle)", got)
	}

	// A stored snapshot reads back the same.
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var back Programme
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if got := back.Venues[0].Sessions[3]; !got.Start.Equal(training.Start) || got.Title != training.Title {
		t.Errorf("after a JSON round trip the training is %+v, want %+v", got, training)
	}
}

func TestSlugify(t *testing.T) {
	for _, tc := range []struct{ in, suffix, want string }{
		{"Dag van de Ambtenaar 2.0", "2027", "dag-van-de-ambtenaar-2-0"},
		{"  Café  Één!  ", "", "cafe-een"},
		{"DvdA", "2027", "dvda"},
		{"Dag", "2027", "dag-2027"},
		{"日本", "", "xxxx"},
	} {
		if got := Slugify(tc.in, 4, tc.suffix); got != tc.want {
			t.Errorf("Slugify(%q, 4, %q) = %q, want %q", tc.in, tc.suffix, got, tc.want)
		}
	}
}
