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
	var roomIDs, slotIDs []uint
	for _, r := range v.Rooms {
		roomIDs = append(roomIDs, r.ID)
	}
	for _, sl := range v.Slots {
		slotIDs = append(slotIDs, sl.ID)
		row := Row{Slot: sl, Cells: make([]Cell, len(v.Rooms))}
		for j, r := range v.Rooms {
			row.Cells[j] = Cell{Room: r, RowSpan: 1}
		}
		g.Rows = append(g.Rows, row)
	}
	index := newGridIndex(roomIDs, slotIDs)
	for i := range sessions {
		s := &sessions[i]
		if s.RoomID == nil {
			continue
		}
		col, first, below, ok := index.place(*s.RoomID, s.SlotIDs())
		if !ok {
			continue
		}
		g.Rows[first].Cells[col].Session = s
		g.Rows[first].Cells[col].RowSpan = len(s.Slots)
		for _, r := range below {
			g.Rows[r].Cells[col].Covered = true
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

// gridIndex finds the column of a room and the row of a slot in a timetable grid.
type gridIndex struct{ col, row map[uint]int }

func newGridIndex(roomIDs, slotIDs []uint) gridIndex {
	g := gridIndex{col: map[uint]int{}, row: map[uint]int{}}
	for i, id := range roomIDs {
		g.col[id] = i
	}
	for i, id := range slotIDs {
		g.row[id] = i
	}
	return g
}

// place returns where a session in room over slots (earliest first) goes: its column,
// the row of its first slot and the rows below that it covers. ok is false when the
// room or first slot is not in the grid.
func (g gridIndex) place(room uint, slots []uint) (col, first int, below []int, ok bool) {
	if len(slots) == 0 {
		return 0, 0, nil, false
	}
	col, okCol := g.col[room]
	first, okRow := g.row[slots[0]]
	if !okCol || !okRow {
		return 0, 0, nil, false
	}
	for _, id := range slots[1:] {
		if r, ok := g.row[id]; ok {
			below = append(below, r)
		}
	}
	return col, first, below, true
}
