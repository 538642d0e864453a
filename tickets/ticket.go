package tickets

import (
	"fmt"
	"io"
	"strings"
)

// Renderer renders tickets, badge sheets and door lists as PDF. It is safe for
// concurrent use; make one at start-up.
type Renderer struct {
	fonts    *fontSet
	slowRows bool // draw the door list's rows through gofpdf, as when pageOps cannot (tests)
}

// NewRenderer returns a Renderer. It parses the fonts once per process.
func NewRenderer() (*Renderer, error) {
	fs, err := loadFonts()
	if err != nil {
		return nil, err
	}
	return &Renderer{fonts: fs}, nil
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
	c := r.newDoc(d.Event + " – " + d.Labels.Ticket)
	c.pdf.AddPage()
	L := d.Labels

	// Header: what and when.
	y := margin + 3
	c.textColor(muted)
	c.font("B", 9)
	c.text(margin, y, c.clean(strings.ToUpper(L.Ticket)))
	c.textColor(ink)
	c.font("B", 22)
	y += 3
	for _, l := range c.lines(c.clean(d.Event), contentW, 2) {
		y += 22 * ptToMM * 1.15
		c.text(margin, y, l)
	}
	c.font("", 13)
	y += 13 * ptToMM * 1.5
	c.text(margin, y, c.clean(d.Date))
	y += 6
	c.hline(margin, pageW-margin, y, rule, 0.3)
	top := y + 8

	// Right: the QR code and the code to type.
	qrX := pageW - margin - qrSize
	if err := c.qr(d.Payload, qrX, top, qrSize); err != nil {
		return fmt.Errorf("ticket for %q: %w", d.Name, err)
	}
	c.textColor(muted)
	c.font("B", 8.5)
	c.textCenter(qrX+qrSize/2, top+qrSize+7, c.clean(strings.ToUpper(L.Code)))
	c.textColor(ink)
	c.font("B", 17)
	c.textCenter(qrX+qrSize/2, top+qrSize+14, c.clean(d.Code))
	rightBottom := top + qrSize + 16

	// Left: who and where.
	y = top + 3
	c.textColor(muted)
	c.font("B", 8.5)
	c.text(margin, y, c.clean(strings.ToUpper(L.Attendee)))
	name := c.clean(d.Name)
	size := c.fitSize(name, "B", leftW, 22, 14)
	c.textColor(ink)
	c.font("B", size)
	for _, l := range c.lines(name, leftW, 2) {
		y += size * ptToMM * 1.2
		c.text(margin, y, l)
	}
	if d.Organisation != "" {
		c.textColor(muted)
		c.font("", 12)
		for _, l := range c.lines(c.clean(d.Organisation), leftW, 2) {
			y += 12 * ptToMM * 1.35
			c.text(margin, y, l)
		}
	}
	y += 11
	c.textColor(muted)
	c.font("B", 8.5)
	c.text(margin, y, c.clean(strings.ToUpper(L.Venue)))
	c.textColor(ink)
	c.font("B", 13)
	y += 13 * ptToMM * 1.3
	c.text(margin, y, c.fit(c.clean(d.Venue), leftW))
	c.font("", 11)
	for _, l := range c.lines(c.clean(d.Address), leftW, 2) {
		y += 11 * ptToMM * 1.35
		c.text(margin, y, l)
	}
	if d.RouteHint != "" {
		y += 1.5
		c.textColor(muted)
		c.font("", 10)
		for _, l := range c.lines(c.clean(d.RouteHint), leftW, 4) {
			y += 10 * ptToMM * 1.35
			c.text(margin, y, l)
		}
	}

	y = max(y, rightBottom) + 10
	c.programme(d.Programme, L, y, pageH-margin-16)

	// Footer: how the door works.
	c.hline(margin, pageW-margin, pageH-margin-10, rule, 0.3)
	c.textColor(muted)
	c.font("", 9)
	fy := pageH - margin - 4.5
	for _, l := range c.lines(c.clean(L.ScanHint), contentW, 2) {
		c.text(margin, fy, l)
		fy += 9 * ptToMM * 1.3
	}
	return output(c, w, "ticket for "+d.Name)
}

// programme draws the programme table between top and bottom; rows that do not
// fit are left off after a final "…" row.
func (c *doc) programme(lines []ProgrammeLine, L Labels, top, bottom float64) {
	const timeW, roomW = 30.0, 38.0
	titleX := margin + timeW
	titleW := contentW - timeW - roomW - 4
	roomX := pageW - margin - roomW

	y := top
	c.textColor(ink)
	c.font("B", 14)
	c.text(margin, y, c.clean(L.Programme))
	if len(lines) == 0 {
		c.textColor(muted)
		c.font("", 11)
		c.text(margin, y+9, c.clean(L.NoSessions))
		return
	}
	y += 8
	c.textColor(muted)
	c.font("B", 8.5)
	c.text(margin, y, c.clean(strings.ToUpper(L.Time)))
	c.text(titleX, y, c.clean(strings.ToUpper(L.Session)))
	c.text(roomX, y, c.clean(strings.ToUpper(L.Room)))
	y += 2.5
	c.hline(margin, pageW-margin, y, rule, 0.3)

	// Rows shrink a little when there are many.
	size, lead := 11.0, 1.35
	if len(lines) > 7 {
		size, lead = 9.5, 1.3
	}
	lineH := size * ptToMM * lead
	for _, p := range lines {
		c.font("", size)
		title := c.lines(c.clean(p.Title), titleW, 2)
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
			c.textColor(muted)
			c.text(titleX, y+lineH+1, "…")
			return
		}
		base := y + lineH + 0.6
		color := ink
		if p.Waitlisted {
			color = muted
		}
		c.textColor(color)
		c.font("B", size)
		c.text(margin, base, c.fit(c.clean(p.Time), timeW-3))
		c.font("", size)
		for j, l := range title {
			c.text(titleX, base+float64(j)*lineH, l)
		}
		c.text(roomX, base, c.fit(c.clean(p.Room), roomW))
		if note != "" {
			c.font("B", size-1.5)
			c.text(titleX, base+float64(len(title))*lineH, c.clean(note))
		}
		y += rowH
		c.hline(margin, pageW-margin, y, tint, 0.3)
	}
}

// output writes the finished document to w in one Write, so an error never leaves half a
// PDF behind.
func output(c *doc, w io.Writer, what string) error {
	var file finishedFile
	if err := c.pdf.Output(&file); err != nil {
		return fmt.Errorf("render %s: %w", what, err)
	}
	pdf, err := tagSubset(file.b)
	if err != nil {
		return fmt.Errorf("render %s: %w", what, err)
	}
	if _, err := w.Write(pdf); err != nil {
		return fmt.Errorf("write %s: %w", what, err)
	}
	return nil
}

// finishedFile takes the finished PDF from gofpdf without copying it. Output hands over its
// whole buffer in one Write (bytes.Buffer.WriteTo) and the document is never used again,
// so keeping the slice is safe, although io.Writer asks writers not to. At 25,000 people
// the copy was an 18 MB buffer grown by doubling: a fifth of the door list's time.
type finishedFile struct{ b []byte }

func (f *finishedFile) Write(p []byte) (int, error) {
	if f.b == nil {
		f.b = p
	} else {
		f.b = append(f.b[:len(f.b):len(f.b)], p...) // never into gofpdf's spare capacity
	}
	return len(p), nil
}
