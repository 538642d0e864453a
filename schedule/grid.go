// Package schedule builds timetables per venue from placed sessions. It is pure code: no
// database, no HTTP.
package schedule

import "github.com/ambtenaar20/dagplanner/models"

// Grid is a venue's timetable: one row per slot, one column per room.
type Grid struct {
	Rooms []models.Room
	Rows  []Row
}

// Row is one slot of the grid.
type Row struct {
	Slot     models.Slot
	Cells    []Cell            // one per room, in the order of Grid.Rooms
	Starting []*models.Session // sessions that start in this slot, in room order
}

// Cell is one room in one slot. A session that spans several slots sits in the cell of its
// first slot with RowSpan > 1; the cells below it are Covered and are not drawn.
type Cell struct {
	Room    models.Room
	Session *models.Session
	RowSpan int
	Covered bool
}

// NewGrid lays out the sessions placed at venue v. Sessions elsewhere or unplaced are ignored.
func NewGrid(v models.Venue, sessions []models.Session) Grid {
	g := Grid{Rooms: v.Rooms}
	slotRow := map[uint]int{}
	roomCol := map[uint]int{}
	for i, r := range v.Rooms {
		roomCol[r.ID] = i
	}
	for i, sl := range v.Slots {
		slotRow[sl.ID] = i
		row := Row{Slot: sl, Cells: make([]Cell, len(v.Rooms))}
		for j, r := range v.Rooms {
			row.Cells[j] = Cell{Room: r, RowSpan: 1}
		}
		g.Rows = append(g.Rows, row)
	}
	for i := range sessions {
		s := &sessions[i]
		if s.RoomID == nil || len(s.Slots) == 0 {
			continue
		}
		col, ok := roomCol[*s.RoomID]
		first, okRow := slotRow[s.Slots[0].SlotID]
		if !ok || !okRow {
			continue
		}
		g.Rows[first].Cells[col].Session = s
		g.Rows[first].Cells[col].RowSpan = len(s.Slots)
		for _, ss := range s.Slots[1:] {
			if r, ok := slotRow[ss.SlotID]; ok {
				g.Rows[r].Cells[col].Covered = true
			}
		}
	}
	for i := range g.Rows {
		for _, c := range g.Rows[i].Cells {
			if c.Session != nil {
				g.Rows[i].Starting = append(g.Rows[i].Starting, c.Session)
			}
		}
	}
	return g
}
