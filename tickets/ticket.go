package tickets

import (
	"fmt"
	"io"
	"strings"

	"github.com/ambtenaar20/dagplanner/pdf"
)

// Renderer renders tickets, badge sheets and door lists as PDF. It is safe for
// concurrent use; make one at start-up.
type Renderer struct {
	fonts    *pdf.Fonts
	slowRows bool // draw the door list's rows through gofpdf, as when pageOps cannot (tests)
}

// NewRenderer returns a Renderer. It parses the fonts once per process.
func NewRenderer() (*Renderer, error) {
	fs, err := pdf.LoadFonts()
	if err != nil {
		return nil, err
	}
	return &Renderer{fonts: fs}, nil
}

// doc is one document being drawn, with the drawing of its parts as methods.
type doc struct{ *pdf.Doc }

// newDoc starts a document with its title, subject and language (see package pdf, meta.go).
func (r *Renderer) newDoc(title, subject string, L Labels) doc {
	d := r.fonts.NewDoc(title)
	d.SetSubject(subject)
	d.SetLang(L.Lang)
	return doc{d}
}

// ProgrammeLine is one slot of an attendee's personal programme.
type ProgrammeLine struct {
	Time       string // e.g. "10:30–11:15"
	Title      string
	Room       string
	Waitlisted bool // on the waiting list for this session, not (yet) in it
	Position   int  // place on the waiting list, 0 if unknown
}

// TicketData is everything printed on one attendee's ticket.
type TicketData struct {
	Event, Date               string
	Venue, Address, RouteHint string
	Name, Organisation        string
	Programme                 []ProgrammeLine
	Payload                   string // from Signer.Payload
	Code                      string // from ShortCode
	Labels                    Labels // DutchLabels or EnglishLabels
}

// Page geometry of the ticket, in millimetres.
const (
	pageW, pageH = 210.0, 297.0
	margin       = 18.0
	contentW     = pageW - 2*margin
	qrSize       = 56.0
	leftW        = contentW - qrSize - 14
)

// Ticket writes d as a one-page A4 PDF ticket to w.
func (r *Renderer) Ticket(w io.Writer, d TicketData) error {
	c := r.newDoc(d.Event+" – "+d.Labels.Ticket, d.Labels.TicketSubject, d.Labels)
	c.AddPage()
	L := d.Labels

	// Header: what and when.
	y := margin + 3
	c.TextColor(pdf.Muted)
	c.Font(true, 9)
	c.Text(margin, y, c.Clean(strings.ToUpper(L.Ticket)))
	c.TextColor(pdf.Ink)
	c.Font(true, 22)
	y += 3
	for _, l := range c.Lines(c.Clean(d.Event), contentW, 2) {
		y += 22 * pdf.PtToMM * 1.15
		c.Text(margin, y, l)
	}
	c.Font(false, 13)
	y += 13 * pdf.PtToMM * 1.5
	c.Text(margin, y, c.Clean(d.Date))
	y += 6
	c.HLine(margin, pageW-margin, y, pdf.Rule, 0.3)
	top := y + 8

	// Left: who and where, written before the QR code on the right so that the text
	// reads in order: the left column, then the right one.
	qrX := pageW - margin - qrSize
	rightBottom := top + qrSize + 16
	y = top + 3
	c.TextColor(pdf.Muted)
	c.Font(true, 8.5)
	c.Text(margin, y, c.Clean(strings.ToUpper(L.Attendee)))
	name := c.Clean(d.Name)
	size := c.FitSize(name, true, leftW, 22, 14)
	c.TextColor(pdf.Ink)
	c.Font(true, size)
	for _, l := range c.Lines(name, leftW, 2) {
		y += size * pdf.PtToMM * 1.2
		c.Text(margin, y, l)
	}
	if d.Organisation != "" {
		c.TextColor(pdf.Muted)
		c.Font(false, 12)
		for _, l := range c.Lines(c.Clean(d.Organisation), leftW, 2) {
			y += 12 * pdf.PtToMM * 1.35
			c.Text(margin, y, l)
		}
	}
	y += 11
	c.TextColor(pdf.Muted)
	c.Font(true, 8.5)
	c.Text(margin, y, c.Clean(strings.ToUpper(L.Venue)))
	c.TextColor(pdf.Ink)
	c.Font(true, 13)
	y += 13 * pdf.PtToMM * 1.3
	c.Text(margin, y, c.Fit(c.Clean(d.Venue), leftW))
	c.Font(false, 11)
	for _, l := range c.Lines(c.Clean(d.Address), leftW, 2) {
		y += 11 * pdf.PtToMM * 1.35
		c.Text(margin, y, l)
	}
	if d.RouteHint != "" {
		y += 1.5
		c.TextColor(pdf.Muted)
		c.Font(false, 10)
		for _, l := range c.Lines(c.Clean(d.RouteHint), leftW, 4) {
			y += 10 * pdf.PtToMM * 1.35
			c.Text(margin, y, l)
		}
	}

	// Right: the QR code and the code to type.
	if err := c.QR(d.Payload, qrX, top, qrSize); err != nil {
		return fmt.Errorf("ticket for %q: %w", d.Name, err)
	}
	c.TextColor(pdf.Muted)
	c.Font(true, 8.5)
	c.TextCenter(qrX+qrSize/2, top+qrSize+7, c.Clean(strings.ToUpper(L.Code)))
	c.TextColor(pdf.Ink)
	c.Font(true, 17)
	c.TextCenter(qrX+qrSize/2, top+qrSize+14, c.Clean(d.Code))

	y = max(y, rightBottom) + 10
	c.programme(d.Programme, L, y, pageH-margin-16)

	// Footer: how the door works.
	c.HLine(margin, pageW-margin, pageH-margin-10, pdf.Rule, 0.3)
	c.TextColor(pdf.Muted)
	c.Font(false, 9)
	fy := pageH - margin - 4.5
	for _, l := range c.Lines(c.Clean(L.ScanHint), contentW, 2) {
		c.Text(margin, fy, l)
		fy += 9 * pdf.PtToMM * 1.3
	}
	return c.Output(w, "ticket for "+d.Name)
}

// programme draws the programme table between top and bottom; rows that do not
// fit are left off after a final "…" row.
func (c doc) programme(lines []ProgrammeLine, L Labels, top, bottom float64) {
	const timeW, roomW = 30.0, 38.0
	titleX := margin + timeW
	titleW := contentW - timeW - roomW - 4
	roomX := pageW - margin - roomW

	y := top
	c.TextColor(pdf.Ink)
	c.Font(true, 14)
	c.Text(margin, y, c.Clean(L.Programme))
	if len(lines) == 0 {
		c.TextColor(pdf.Muted)
		c.Font(false, 11)
		c.Text(margin, y+9, c.Clean(L.NoSessions))
		return
	}
	y += 8
	c.TextColor(pdf.Muted)
	c.Font(true, 8.5)
	c.Text(margin, y, c.Clean(strings.ToUpper(L.Time)))
	c.Text(titleX, y, c.Clean(strings.ToUpper(L.Session)))
	c.Text(roomX, y, c.Clean(strings.ToUpper(L.Room)))
	y += 2.5
	c.HLine(margin, pageW-margin, y, pdf.Rule, 0.3)

	// Rows shrink a little when there are many.
	size, lead := 11.0, 1.35
	if len(lines) > 7 {
		size, lead = 9.5, 1.3
	}
	lineH := size * pdf.PtToMM * lead
	for _, p := range lines {
		c.Font(false, size)
		title := c.Lines(c.Clean(p.Title), titleW, 2)
		note := ""
		if p.Waitlisted {
			note = L.WaitlistedOnly
			if p.Position > 0 {
				note = fmt.Sprintf(L.Waitlisted, p.Position)
			}
		}
		rowH := float64(len(title))*lineH + 3.5
		if note != "" {
			rowH += lineH * 0.9
		}
		if y+rowH > bottom {
			c.TextColor(pdf.Muted)
			c.Text(titleX, y+lineH+1, "…")
			return
		}
		base := y + lineH + 0.6
		color := pdf.Ink
		if p.Waitlisted {
			color = pdf.Muted
		}
		c.TextColor(color)
		c.Font(true, size)
		c.Text(margin, base, c.Fit(c.Clean(p.Time), timeW-3))
		c.Font(false, size)
		for j, l := range title {
			c.Text(titleX, base+float64(j)*lineH, l)
		}
		c.Text(roomX, base, c.Fit(c.Clean(p.Room), roomW))
		if note != "" {
			c.Font(true, size-1.5)
			c.Text(titleX, base+float64(len(title))*lineH, c.Clean(note))
		}
		y += rowH
		c.HLine(margin, pageW-margin, y, pdf.Tint, 0.3)
	}
}
