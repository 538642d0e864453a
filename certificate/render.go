package certificate

import (
	"fmt"
	"io"
	"iter"
	"strings"

	"github.com/ambtenaar20/dagplanner/pdf"
)

// Labels holds the fixed texts of a certificate in one language, from the message catalogue.
type Labels struct {
	Lang       string // the certificate's language, a BCP 47 tag ("nl", "en")
	Title      string // "Bewijs van deelname"
	Subject    string // what the document is for, in its metadata
	Certifies  string // the words above the name: "Hierbij bevestigen we dat"
	Sessions   string // heading above the sessions attended
	Time       string // column
	Session    string // column
	Room       string // column
	NoSessions string // shown when the person was there but attended no session
	Total      string // before the total hours
	Verify     string // heading beside the QR code
	VerifyHint string // how an employer checks the certificate
	Code       string // before the certificate code
	Signed     string // the footer: how the code is signed
}

// Line is one session attended.
type Line struct {
	Time  string // e.g. "10:30–11:15", in the event's time zone
	Title string
	Room  string
}

// Data is everything printed on one certificate.
type Data struct {
	Event, Date, Venue string
	Name, Organisation string
	// Statement says what the person did: "heeft deelgenomen aan … op … in …".
	Statement string
	Sessions  []Line
	Hours     string // the total, formatted: "4,5 uur"
	URL       string // the check page, also in the QR code
	Code      string // from Sign
	Labels    Labels
}

// Renderer draws certificates. It is safe for concurrent use; make one at start-up.
type Renderer struct{ fonts *pdf.Fonts }

// NewRenderer returns a Renderer; the fonts are parsed once per process.
func NewRenderer() (*Renderer, error) {
	fs, err := pdf.LoadFonts()
	if err != nil {
		return nil, err
	}
	return &Renderer{fonts: fs}, nil
}

// Certificate writes d as a one-page A4 PDF to w.
func (r *Renderer) Certificate(w io.Writer, d Data) error {
	c := r.newDoc(d.Event+" – "+d.Labels.Title+" – "+d.Name, d.Labels)
	if err := c.page(d); err != nil {
		return err
	}
	return c.Output(w, "certificate for "+d.Name)
}

// Batch describes a document of many certificates: its title and its language (the
// organisers'; each page is in its attendee's own language).
type Batch struct {
	Title  string
	Labels Labels
}

// Certificates writes one page per certificate that pages yields, in that order, to w; the
// first error pages yields stops it. The pages are left uncompressed, as the door list's
// are (see tickets.Renderer.DoorList): send the file gzipped.
func (r *Renderer) Certificates(w io.Writer, b Batch, pages iter.Seq2[Data, error]) error {
	c := r.newDoc(b.Title, b.Labels)
	c.Uncompressed()
	for d, err := range pages {
		if err != nil {
			return err
		}
		if err := c.page(d); err != nil {
			return err
		}
	}
	return c.Output(w, "certificates: "+b.Title)
}

// doc is one document being drawn.
type doc struct{ *pdf.Doc }

func (r *Renderer) newDoc(title string, L Labels) doc {
	d := r.fonts.NewDoc(r.fonts.Clean(title))
	d.SetSubject(L.Subject)
	d.SetLang(L.Lang)
	return doc{d}
}

// Page geometry, in millimetres.
const (
	pageW, pageH = 210.0, 297.0
	margin       = 20.0
	contentW     = pageW - 2*margin
	qrSize       = 42.0
	checkTop     = pageH - margin - 62 // the rule above the check block
)

// page draws one certificate on a page of its own, in reading order: what it is, who, what
// they did, the sessions, the total, and how to check it.
func (c doc) page(d Data) error {
	L := d.Labels
	c.AddPage()
	y := margin + 3
	c.style(pdf.Muted, true, 9)
	c.Text(margin, y, c.Clean(strings.ToUpper(L.Title)))
	c.style(pdf.Ink, true, 20)
	y = c.Paragraph(margin, y+2, contentW, c.Clean(d.Event), 2, 1.15)
	c.Font(false, 12.5)
	y += 12.5 * pdf.PtToMM * 1.5
	c.Text(margin, y, c.Fit(c.Clean(d.Date+" · "+d.Venue), contentW))
	y += 6
	c.HLine(margin, pageW-margin, y, pdf.Rule, 0.3)

	y += 12
	c.style(pdf.Muted, false, 11)
	c.Text(margin, y, c.Clean(L.Certifies))
	name := c.Clean(d.Name)
	c.style(pdf.Ink, true, c.FitSize(name, true, contentW, 26, 15))
	y = c.Paragraph(margin, y, contentW, name, 2, 1.25)
	c.style(pdf.Muted, false, 13)
	y = c.Paragraph(margin, y, contentW, c.Clean(d.Organisation), 2, 1.35)
	c.style(pdf.Ink, false, 11.5)
	y = c.Paragraph(margin, y+4, contentW, c.Clean(d.Statement), 3, 1.4)
	y = c.sessions(d, y+11, checkTop-14)
	c.style(pdf.Ink, true, 12)
	c.Text(margin, y+7, c.Clean(L.Total+" "+d.Hours))
	return c.check(d)
}

// style sets the colour, weight and size of the text that follows.
func (c doc) style(color pdf.Color, bold bool, size float64) {
	c.TextColor(color)
	c.Font(bold, size)
}

// sessions draws the table of sessions from top, leaving off rows that would pass bottom
// after a final "…"; it returns where the table ends.
func (c doc) sessions(d Data, top, bottom float64) float64 {
	L := d.Labels
	const timeW, roomW = 30.0, 38.0
	titleX, roomX := margin+timeW, pageW-margin-roomW
	titleW := contentW - timeW - roomW - 4
	y := top
	c.style(pdf.Ink, true, 13)
	c.Text(margin, y, c.Clean(L.Sessions))
	if len(d.Sessions) == 0 {
		c.style(pdf.Muted, false, 11)
		c.Text(margin, y+8, c.Clean(L.NoSessions))
		return y + 10
	}
	y += 7
	c.style(pdf.Muted, true, 8.5)
	c.Text(margin, y, c.Clean(strings.ToUpper(L.Time)))
	c.Text(titleX, y, c.Clean(strings.ToUpper(L.Session)))
	c.Text(roomX, y, c.Clean(strings.ToUpper(L.Room)))
	y += 2.5
	c.HLine(margin, pageW-margin, y, pdf.Rule, 0.3)
	size := 10.5
	lineH := size * pdf.PtToMM * 1.35
	for _, s := range d.Sessions {
		c.Font(false, size)
		title := c.Lines(c.Clean(s.Title), titleW, 2)
		rowH := float64(len(title))*lineH + 3
		if y+rowH > bottom {
			c.TextColor(pdf.Muted)
			c.Text(titleX, y+lineH+0.6, "…")
			return y + rowH
		}
		base := y + lineH + 0.6
		c.TextColor(pdf.Ink)
		c.Font(true, size)
		c.Text(margin, base, c.Fit(c.Clean(s.Time), timeW-3))
		c.Font(false, size)
		for j, l := range title {
			c.Text(titleX, base+float64(j)*lineH, l)
		}
		c.Text(roomX, base, c.Fit(c.Clean(s.Room), roomW))
		y += rowH
		c.HLine(margin, pageW-margin, y, pdf.Tint, 0.3)
	}
	return y
}

// check draws how to check the certificate: the words and the address on the left, then the
// QR code on the right, and the footer.
func (c doc) check(d Data) error {
	L := d.Labels
	c.HLine(margin, pageW-margin, checkTop, pdf.Rule, 0.3)
	qrX, top := pageW-margin-qrSize, checkTop+8
	leftW := qrX - margin - 8
	y := top + 3
	c.style(pdf.Ink, true, 11)
	c.Text(margin, y, c.Clean(L.Verify))
	c.style(pdf.Muted, false, 9.5)
	y = c.Paragraph(margin, y, leftW, c.Clean(L.VerifyHint), 3, 1.35)
	c.style(pdf.Ink, false, 8.5)
	y = c.Paragraph(margin, y+2, leftW, c.Clean(d.URL), 4, 1.3)
	c.style(pdf.Muted, false, 8)
	c.Paragraph(margin, y+2, leftW, c.Clean(L.Code+" "+d.Code), 4, 1.3)
	if err := c.QR(d.URL, qrX, top, qrSize); err != nil {
		return fmt.Errorf("certificate for %q: %w", d.Name, err)
	}
	c.style(pdf.Faint, false, 7.5)
	c.TextCenter(pageW/2, pageH-margin+6, c.Fit(c.Clean(L.Signed), contentW))
	return nil
}
