package schedule

import (
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
)

func ptr(v uint) *uint { return &v }

func TestNewGrid(t *testing.T) {
	v := models.Venue{
		ID:    1,
		Rooms: []models.Room{{ID: 10, Name: "Statenzaal"}, {ID: 11, Name: "Kamer 1"}},
		Slots: []models.Slot{{ID: 100}, {ID: 101}, {ID: 102}},
	}
	sessions := []models.Session{
		{ID: 1, Title: "Training", RoomID: ptr(11), Slots: []models.SessionSlot{{SlotID: 100}, {SlotID: 101}}},
		{ID: 2, Title: "Lezing", RoomID: ptr(10), Slots: []models.SessionSlot{{SlotID: 101}}},
		{ID: 3, Title: "Elders", RoomID: ptr(99), Slots: []models.SessionSlot{{SlotID: 100}}},
		{ID: 4, Title: "Zonder plek"},
	}
	g := NewGrid(v, sessions)
	if len(g.Rows) != 3 || len(g.Rows[0].Cells) != 2 {
		t.Fatalf("grid is %d×%d, want 3×2", len(g.Rows), len(g.Rows[0].Cells))
	}
	training := g.Rows[0].Cells[1]
	if training.Session == nil || training.Session.ID != 1 || training.RowSpan != 2 {
		t.Errorf("slot 1, Kamer 1 = %+v, want the training spanning 2 rows", training)
	}
	if !g.Rows[1].Cells[1].Covered {
		t.Error("slot 2, Kamer 1 is not covered by the two-slot training")
	}
	if c := g.Rows[1].Cells[0]; c.Session == nil || c.Session.ID != 2 || c.Covered {
		t.Errorf("slot 2, Statenzaal = %+v, want the lecture", c)
	}
	if c := g.Rows[2].Cells[1]; c.Session != nil || c.Covered {
		t.Errorf("slot 3, Kamer 1 = %+v, want empty", c)
	}
	if got := len(g.Rows[0].Starting); got != 1 {
		t.Errorf("sessions starting in slot 1 = %d, want 1 (the one in an unknown room is left out)", got)
	}
	if got := len(g.Rows[1].Starting); got != 1 || g.Rows[1].Starting[0].ID != 2 {
		t.Errorf("sessions starting in slot 2 = %d, want just the lecture", got)
	}
}
