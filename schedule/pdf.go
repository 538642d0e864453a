package schedule

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ambtenaar20/dagplanner/pdf"
)

// Texts translates the fixed texts of the printed programme and door signs and
// formats their dates; *locale.Translator is one. Keys: schedule.pdf.*, format.*,
// room.capacity_short.
type Texts interface {
	T(key string, args ...any) string
	Date(time.Time) string
	TimeRange(a, b time.Time) string
}

// ptMM converts a font size in points to millimetres.
const ptMM = 25.4 / 72

// lineH is the distance between the baselines of lines set at size points.
func lineH(size float64) float64 { return size * ptMM * 1.3 }

// block is a piece of a page of known height, drawn with its top at y. A keep block
// (a slot's heading) goes to the next page together with the block after it.
type block struct {
	h    float64
	keep bool
	draw func(y float64)
}

// paginate splits blocks into pages whose content runs from top to bottom.
func paginate(blocks []block, top, bottom float64) [][]block {
	var pages [][]block
	var page []block
	y := top
	for i, b := range blocks {
		need := b.h
		if b.keep && i+1 < len(blocks) && !blocks[i+1].keep {
			need += blocks[i+1].h
		}
		if y+need > bottom && len(page) > 0 {
			pages = append(pages, page)
			page, y = nil, top
		}
		page = append(page, b)
		y += b.h
	}
	return append(pages, page)
}

// drawPages draws each page in reading order: its header, its blocks, then its footer.
func drawPages(sh *pdf.Sheet, pages [][]block, top float64, header, footer func(page, pages int)) {
	for i, page := range pages {
		sh.AddPage()
		header(i+1, len(pages))
		y := top
		for _, b := range page {
			b.draw(y)
			y += b.h
		}
		footer(i+1, len(pages))
	}
}

// drawLines draws lines at size points, the first with its top at y.
func drawLines(sh *pdf.Sheet, x, y, size float64, lines []string) {
	for i, l := range lines {
		sh.Text(x, y+size*ptMM+float64(i)*lineH(size), l)
	}
}

func formatName(tr Texts, format string) string {
	if format == "" {
		return ""
	}
	return tr.T("format." + format)
}

// meta is format and track: "workshop · Data".
func meta(tr Texts, s ProgrammeSession) string {
	parts := []string{formatName(tr, s.Format)}
	if s.Track != "" {
		parts = append(parts, s.Track)
	}
	return strings.Join(parts, " · ")
}

func eventDay(p Programme) time.Time {
	d, err := time.ParseInLocation(time.DateOnly, p.Date, p.Location())
	if err != nil {
		return p.PublishedAt
	}
	return d.Add(12 * time.Hour)
}

// versionLine says which version of the programme a printout shows.
func versionLine(p Programme, tr Texts) string {
	return tr.T("schedule.pdf.version", "Version", p.Version, "Date", tr.Date(p.PublishedAt))
}

// newSheet starts a document with its title, subject and the language of tr (see package
// pdf, meta.go).
func newSheet(tr Texts, title, subject string, landscape bool) (*pdf.Sheet, error) {
	sh, err := pdf.NewSheet(title, landscape)
	if err != nil {
		return nil, fmt.Errorf("pdf %q: %w", title, err)
	}
	sh.SetSubject(subject)
	sh.SetLang(tr.T("schedule.pdf.lang"))
	return sh, nil
}

// Programme overview geometry (A4 landscape), in millimetres.
const (
	progMargin = 12.0
	progTop    = progMargin + 24 // first block
	progRoomW  = 58.0
	progMetaW  = 56.0
	progGap    = 4.0
	progPad    = 2.2
)

// VenueProgrammePDF writes one venue's programme as an A4 landscape PDF: per time
// slot, the sessions that start in it by room, with titles in full, speakers, format
// and track, and a note for sessions that continue from the slot before.
func VenueProgrammePDF(w io.Writer, p Programme, venueSlug string, tr Texts) error {
	v, err := p.venue(venueSlug)
	if err != nil {
		return err
	}
	venue := v.Name + ", " + v.City
	title := tr.T("schedule.pdf.programme_title", "Venue", venue)
	sh, err := newSheet(tr, p.EventName+" – "+title, tr.T("schedule.pdf.programme_subject", "Venue", venue), true)
	if err != nil {
		return err
	}
	pageW, pageH := 297.0, 210.0
	right := pageW - progMargin
	titleX := progMargin + progRoomW + progGap
	metaX := right - progMetaW
	titleW := metaX - progGap - titleX

	var blocks []block
	for _, sl := range v.Slots {
		blocks = append(blocks, block{h: 9, keep: true, draw: func(y float64) {
			sh.Band(progMargin, y+1, right-progMargin, 7)
			sh.Muted(false)
			sh.Font(true, 11)
			sh.Text(progMargin+2, y+6.2, tr.TimeRange(sl.Start, sl.End))
		}})
		for _, s := range v.Sessions {
			switch {
			case len(s.SlotIDs) > 0 && s.SlotIDs[0] == sl.ID:
				blocks = append(blocks, sessionBlock(sh, tr, v, s, titleX, titleW, metaX))
			case containsID(s.SlotIDs, sl.ID):
				blocks = append(blocks, continuesBlock(sh, tr, v, s, titleX, titleW))
			}
		}
	}
	if len(v.Sessions) == 0 {
		blocks = []block{{h: 12, draw: func(y float64) {
			sh.Muted(false)
			sh.Font(false, 12)
			sh.Text(progMargin, y+8, tr.T("schedule.pdf.venue_empty"))
		}}}
	}
	pages := paginate(blocks, progTop, pageH-progMargin-6)
	header := func(page, n int) {
		sh.Muted(false)
		sh.Font(true, 17)
		sh.Text(progMargin, progMargin+6, title)
		sh.Muted(true)
		sh.Font(false, 10)
		sh.TextRight(right, progMargin+6, versionLine(p, tr))
		sh.Text(progMargin, progMargin+12.5, p.EventName+" · "+tr.Date(eventDay(p))+" · "+v.Address)
		sh.Font(true, 8)
		sh.Text(progMargin, progTop-2, strings.ToUpper(tr.T("schedule.pdf.room")))
		sh.Text(titleX, progTop-2, strings.ToUpper(tr.T("schedule.pdf.session")))
		sh.Rule(progMargin, right, progTop-0.5)
	}
	footer := func(page, n int) {
		sh.Muted(true)
		sh.Font(false, 10)
		sh.TextRight(right, pageH-progMargin, tr.T("schedule.pdf.page", "Page", page, "Pages", n))
	}
	drawPages(sh, pages, progTop, header, footer)
	return sh.Output(w)
}

func containsID(ids []uint, id uint) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// sessionBlock is one session in the overview: room | title and speakers | format,
// track and, for a session longer than its slot, its own times.
func sessionBlock(sh *pdf.Sheet, tr Texts, v ProgrammeVenue, s ProgrammeSession, titleX, titleW, metaX float64) block {
	room, _ := v.Room(s.RoomID)
	sh.Font(true, 10)
	roomLines := sh.Wrap(room.Name, progRoomW-2, 2)
	sh.Font(true, 11)
	titleLines := sh.Wrap(s.Title, titleW, 0)
	sh.Font(false, 9.5)
	speakerLines := sh.Wrap(s.SpeakerNames(), titleW, 0)
	metaLines := sh.Wrap(meta(tr, s), progMetaW, 2)
	if len(s.SlotIDs) > 1 {
		metaLines = append(metaLines, tr.TimeRange(s.Start, s.End))
	}
	capacity := tr.T("room.capacity_short", "Count", room.Capacity)

	roomH := float64(len(roomLines))*lineH(10) + lineH(8.5)
	textH := float64(len(titleLines))*lineH(11) + float64(len(speakerLines))*lineH(9.5)
	metaH := float64(len(metaLines)) * lineH(9.5)
	h := max(roomH, textH, metaH) + 2*progPad
	return block{h: h, draw: func(y float64) {
		y += progPad
		sh.Muted(false)
		sh.Font(true, 10)
		drawLines(sh, progMargin, y, 10, roomLines)
		sh.Muted(true)
		sh.Font(false, 8.5)
		drawLines(sh, progMargin, y+float64(len(roomLines))*lineH(10), 8.5, []string{capacity})
		sh.Muted(false)
		sh.Font(true, 11)
		drawLines(sh, titleX, y, 11, titleLines)
		sh.Muted(true)
		sh.Font(false, 9.5)
		drawLines(sh, titleX, y+float64(len(titleLines))*lineH(11), 9.5, speakerLines)
		drawLines(sh, metaX, y, 9.5, metaLines)
		sh.Rule(progMargin, metaX+progMetaW, y+h-progPad)
	}}
}

// continuesBlock notes a session that started in an earlier slot and is still on.
func continuesBlock(sh *pdf.Sheet, tr Texts, v ProgrammeVenue, s ProgrammeSession, titleX, titleW float64) block {
	room, _ := v.Room(s.RoomID)
	sh.Font(false, 9.5)
	lines := sh.Wrap(tr.T("schedule.pdf.continues", "Title", s.Title), titleW, 2)
	h := float64(len(lines))*lineH(9.5) + 2*progPad
	return block{h: h, draw: func(y float64) {
		sh.Muted(true)
		sh.Font(false, 9.5)
		drawLines(sh, progMargin, y+progPad, 9.5, sh.Wrap(room.Name, progRoomW-2, 1))
		drawLines(sh, titleX, y+progPad, 9.5, lines)
	}}
}
