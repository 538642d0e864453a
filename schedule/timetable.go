package schedule

import (
	"slices"

	"github.com/ambtenaar20/dagplanner/models"
)

// Filter narrows a timetable to one format and/or one track; an empty field matches
// every session.
type Filter struct {
	Format string
	Track  string
}

// Match reports whether s passes the filter.
func (f Filter) Match(s ProgrammeSession) bool {
	return (f.Format == "" || s.Format == f.Format) && (f.Track == "" || s.Track == f.Track)
}

// Timetable is one venue of a published programme laid out for a web page: a grid
// with the rooms as columns and the slots as rows (a session over two slots spans two
// rows), and the same sessions by time for narrow screens and screen readers. It also
// lists the formats and tracks at the venue for a filter form.
type Timetable struct {
	Venue   ProgrammeVenue
	Rooms   []ProgrammeRoom
	Rows    []TimetableRow
	Formats []string // formats of the venue's sessions, in the order of models.Formats
	Tracks  []string // tracks of the venue's sessions, sorted
	// Filter is the filter applied: a format or track the venue does not have is
	// dropped rather than showing an empty page.
	Filter Filter
	Shown  int // sessions that pass the filter
	Total  int // sessions at the venue
}

// TimetableRow is one slot: a cell per room, and the sessions that start in it or
// continue from an earlier slot, in room order.
type TimetableRow struct {
	Slot       ProgrammeSlot
	Cells      []TimetableCell
	Starting   []TimetableEntry
	Continuing []TimetableEntry
}

// TimetableCell is one room in one slot. A session over several slots sits in the cell
// of its first slot with RowSpan > 1; the cells below it are Covered and not drawn.
type TimetableCell struct {
	Room    ProgrammeRoom
	Session *ProgrammeSession
	RowSpan int
	Covered bool
}

// TimetableEntry is a session in the list by time, with its room.
type TimetableEntry struct {
	Session *ProgrammeSession
	Room    ProgrammeRoom
}

// NewTimetable lays out the sessions of one venue that pass f. An unknown venue is
// models.ErrNotFound.
func NewTimetable(p Programme, venueSlug string, f Filter) (Timetable, error) {
	v, err := p.venue(venueSlug)
	if err != nil {
		return Timetable{}, err
	}
	t := Timetable{Venue: v, Rooms: v.Rooms, Total: len(v.Sessions)}
	for _, s := range v.Sessions {
		if s.Format != "" && !slices.Contains(t.Formats, s.Format) {
			t.Formats = append(t.Formats, s.Format)
		}
		if s.Track != "" && !slices.Contains(t.Tracks, s.Track) {
			t.Tracks = append(t.Tracks, s.Track)
		}
	}
	slices.SortFunc(t.Formats, func(a, b string) int { return formatRank(a) - formatRank(b) })
	slices.Sort(t.Tracks)
	if slices.Contains(t.Formats, f.Format) {
		t.Filter.Format = f.Format
	}
	if slices.Contains(t.Tracks, f.Track) {
		t.Filter.Track = f.Track
	}

	var roomIDs, slotIDs []uint
	for _, r := range v.Rooms {
		roomIDs = append(roomIDs, r.ID)
	}
	for _, sl := range v.Slots {
		slotIDs = append(slotIDs, sl.ID)
		row := TimetableRow{Slot: sl, Cells: make([]TimetableCell, len(v.Rooms))}
		for j, r := range v.Rooms {
			row.Cells[j] = TimetableCell{Room: r, RowSpan: 1}
		}
		t.Rows = append(t.Rows, row)
	}
	index := newGridIndex(roomIDs, slotIDs)
	for i := range t.Venue.Sessions {
		s := &t.Venue.Sessions[i]
		if !t.Filter.Match(*s) {
			continue
		}
		col, first, below, ok := index.place(s.RoomID, s.SlotIDs)
		if !ok {
			continue
		}
		t.Shown++
		cell := &t.Rows[first].Cells[col]
		cell.Session, cell.RowSpan = s, 1+len(below)
		t.Rows[first].Starting = append(t.Rows[first].Starting, TimetableEntry{Session: s, Room: cell.Room})
		for _, r := range below {
			t.Rows[r].Cells[col].Covered = true
			t.Rows[r].Continuing = append(t.Rows[r].Continuing, TimetableEntry{Session: s, Room: cell.Room})
		}
	}
	for i := range t.Rows {
		byRoom := func(a, b TimetableEntry) int {
			return slices.Index(roomIDs, a.Room.ID) - slices.Index(roomIDs, b.Room.ID)
		}
		slices.SortStableFunc(t.Rows[i].Starting, byRoom)
		slices.SortStableFunc(t.Rows[i].Continuing, byRoom)
	}
	return t, nil
}

// formatRank orders formats as models.Formats lists them, unknown ones last.
func formatRank(f string) int {
	if i := slices.Index(models.Formats, f); i >= 0 {
		return i
	}
	return len(models.Formats)
}
