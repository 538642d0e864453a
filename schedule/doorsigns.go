package schedule

import (
	"io"

	"github.com/ambtenaar20/dagplanner/pdf"
)

// Door sign geometry (A4 portrait), in millimetres.
const (
	signMargin = 18.0
	signW      = 210.0 - 2*signMargin
	signTimeW  = 50.0
	signBottom = 297.0 - signMargin - 10
)

// DoorSignsPDF writes one A4 page per room of a venue, to hang by its door: the room's
// name as large as fits, then the day's sessions in it with times, titles, speakers,
// format and track. A room with more sessions than fit gets a second page.
func DoorSignsPDF(w io.Writer, p Programme, venueSlug string, tr Texts) error {
	v, err := p.venue(venueSlug)
	if err != nil {
		return err
	}
	venue := v.Name + ", " + v.City
	sh, err := newSheet(tr, p.EventName+" – "+tr.T("schedule.pdf.door_signs_title", "Venue", venue),
		tr.T("schedule.pdf.door_signs_subject", "Venue", venue), false)
	if err != nil {
		return err
	}
	for _, r := range v.Rooms {
		nameSize, nameLines := roomName(sh, r.Name)
		top := signMargin + 10 + float64(len(nameLines))*lineH(nameSize) + 26
		var blocks []block
		for _, s := range v.Sessions {
			if s.RoomID == r.ID {
				blocks = append(blocks, signBlock(sh, tr, s))
			}
		}
		if len(blocks) == 0 {
			blocks = append(blocks, block{h: 12, draw: func(y float64) {
				sh.Muted(false)
				sh.Font(false, 16)
				sh.Text(signMargin, y+8, tr.T("schedule.pdf.room_empty"))
			}})
		}
		pages := paginate(blocks, top, signBottom)
		header := func(page, n int) {
			sh.Muted(true)
			sh.Font(false, 13)
			sh.Text(signMargin, signMargin+5, venue+" · "+tr.Date(eventDay(p)))
			sh.Muted(false)
			sh.Font(true, nameSize)
			drawLines(sh, signMargin, signMargin+9, nameSize, nameLines)
			y := signMargin + 9 + float64(len(nameLines))*lineH(nameSize)
			sh.Muted(true)
			sh.Font(false, 14)
			sh.Text(signMargin, y+6, tr.T("room.capacity_short", "Count", r.Capacity))
			sh.Rule(signMargin, signMargin+signW, y+10)
			sh.Muted(false)
			sh.Font(true, 14)
			sh.Text(signMargin, y+19, tr.T("schedule.pdf.today_in_room"))
		}
		footer := func(page, n int) {
			sh.Muted(true)
			sh.Font(false, 9)
			line := p.EventName + " · " + versionLine(p, tr)
			if n > 1 {
				line += " · " + tr.T("schedule.pdf.page", "Page", page, "Pages", n)
			}
			sh.Text(signMargin, 297-signMargin, line)
		}
		drawPages(sh, pages, top, header, footer)
	}
	return sh.Output(w)
}

// roomName picks the size of the room's name: the largest from 64 pt down to 32 pt
// at which it fits on one line, else 32 pt over several lines.
func roomName(sh *pdf.Sheet, name string) (size float64, lines []string) {
	size = sh.FitSize(name, true, signW, 64, 32)
	sh.Font(true, size)
	if sh.Width(name) <= signW {
		return size, []string{name}
	}
	return size, sh.Wrap(name, signW, 3)
}

// signBlock is one session on a door sign: its times on the left, then title,
// speakers, and format and track.
func signBlock(sh *pdf.Sheet, tr Texts, s ProgrammeSession) block {
	textX, textW := signMargin+signTimeW, signW-signTimeW
	sh.Font(true, 17)
	titleLines := sh.Wrap(s.Title, textW, 0)
	sh.Font(false, 13)
	speakerLines := sh.Wrap(s.SpeakerNames(), textW, 0)
	sh.Font(false, 11.5)
	metaLines := sh.Wrap(meta(tr, s), textW, 0)
	h := float64(len(titleLines))*lineH(17) + float64(len(speakerLines))*lineH(13) + float64(len(metaLines))*lineH(11.5)
	h = max(h, lineH(16)) + 9
	return block{h: h, draw: func(y float64) {
		y += 3
		sh.Muted(false)
		sh.Font(true, 16)
		drawLines(sh, signMargin, y+0.5, 16, []string{tr.TimeRange(s.Start, s.End)})
		sh.Font(true, 17)
		drawLines(sh, textX, y, 17, titleLines)
		y += float64(len(titleLines)) * lineH(17)
		sh.Font(false, 13)
		drawLines(sh, textX, y, 13, speakerLines)
		y += float64(len(speakerLines)) * lineH(13)
		sh.Muted(true)
		sh.Font(false, 11.5)
		drawLines(sh, textX, y, 11.5, metaLines)
	}}
}
