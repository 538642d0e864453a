package tickets_test

import (
	"fmt"
	"io"
	"testing"

	"github.com/ambtenaar20/dagplanner/tickets"
)

// BenchmarkDoorList25000 renders the door list of a venue of 25,000 people (500 pages).
func BenchmarkDoorList25000(b *testing.B) {
	r := newRenderer(b)
	entries := make([]tickets.DoorListEntry, 25000)
	for i := range entries {
		entries[i] = tickets.DoorListEntry{Name: fmt.Sprintf("Jan van den Berg%05d", i),
			Organisation: "Gemeente Zwolle, afdeling Dienstverlening", Code: fmt.Sprintf("ABCD-EF%05d", i)}
	}
	data := tickets.DoorListData{Event: "Dag van de Ambtenaar 2.0", Date: "3 februari 2027", Venue: "Zwolle",
		Entries: entries, Labels: tickets.DutchLabels()}
	for b.Loop() {
		if err := r.DoorList(io.Discard, data); err != nil {
			b.Fatal(err)
		}
	}
}
