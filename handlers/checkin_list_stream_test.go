package handlers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
)

// A whole venue's check-in list is written an attendee at a time (writeListJSON); the
// door must get exactly what json.Marshal gives, whatever the names hold.
func TestWriteListJSONMatchesMarshal(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 2500} {
		out := CheckInListJSON{Venue: VenueRefJSON{Slug: "zwolle", Name: `Zwolle "attendees":[] <b>`},
			Venues: map[string]string{"zwolle": "Zwolle"}, OtherCodes: map[string]string{"AB": "rotterdam"},
			GeneratedAt: "2027-02-03T08:00:00+01:00", Cursor: "c1", Attendees: []DoorEntryJSON{}}
		for i := range n {
			e := DoorEntryJSON{ID: uint(i + 1), Version: 1, Status: "active", Code: fmt.Sprintf("AB%05d", i),
				Name: fmt.Sprintf(`Jan "attendees":[] <script>&%d`, i), Organisation: "Gemeente\nZwolle \u2028"}
			if i%3 == 0 {
				e.Session = &FirstSessionJSON{Title: "Open data", Room: "Zaal 1", StartsAt: "2027-02-03T10:00:00+01:00"}
			}
			if i%5 == 0 {
				e.CheckIn = &CheckInRefJSON{ID: uint(i), CheckedInAt: "2027-02-03T08:30:00+01:00", Door: "Deur 1"}
			}
			out.Attendees = append(out.Attendees, e)
		}
		want, err := json.Marshal(out)
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := writeListJSON(&got, out); err != nil {
			t.Fatalf("%d attendees: writeListJSON() error = %v", n, err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("%d attendees: written %d bytes, json.Marshal %d; they differ", n, got.Len(), len(want))
		}
	}
}
