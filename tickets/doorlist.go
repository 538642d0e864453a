package tickets

import (
	"fmt"
	"io"
	"strings"

	"github.com/ambtenaar20/dagplanner/pdf"
)

// DoorListEntry is one attendee on a door list.
type DoorListEntry struct {
	Name, Organisation, Code string
}

// DoorListData is everything printed on the door list of one venue.
type DoorListData struct {
	Event, Date, Venue string
	Entries            []DoorListEntry
	Labels             Labels
}

// Door list geometry, in millimetres.
const (
	listMargin  = 15.0
	listTop     = listMargin + 27 // first row
	rowH        = 8.0
	rowsPerPage = 29 // (pageH - listMargin - 8 - listTop) / rowH
	boxSize     = 4.5
	nameMinX    = listMargin + 10 // the name column starts here, or after a longer tick-box header
	orgX        = listMargin + 88
	codeX       = pageW - listMargin - 27
)

// DoorList writes the door list in d to w: every attendee alphabetically by last
// name with organisation, ticket code and a box to tick, a header on every page.
func (r *Renderer) DoorList(w io.Writer, d DoorListData) error {
	entries := append([]DoorListEntry(nil), d.Entries...)
	sortByLastName(len(entries), func(i int) string { return entries[i].Name },
		func(i, j int) { entries[i], entries[j] = entries[j], entries[i] })

	c := r.newDoc(d.Event+" – "+d.Venue+" – "+d.Labels.DoorList, d.Labels.DoorListSubject, d.Labels)
	// gofpdf compresses each page with a zlib writer of its own, a megabyte to set up: at
	// 500 pages (25,000 people) that was half the time and most of the memory. The pages go
	// uncompressed; the handler gzips the whole file on the wire instead.
	c.Uncompressed()
	nameX := c.nameColumn(d.Labels)
	o, fast := pdf.NewPageOps(c.Doc)
	ops := pageOps{o}
	fast = fast && !r.slowRows
	pages := max((len(entries)+rowsPerPage-1)/rowsPerPage, 1)
	for p := 0; p < pages; p++ {
		c.AddPage()
		c.listHeader(d, nameX, p+1, pages, len(entries))
		// The rows' tint and tick boxes, set once a page rather than once a row.
		c.FillColor(pdf.Tint)
		c.DrawColor(pdf.Ink)
		c.LineWidth(0.3)
		for i := 0; i < rowsPerPage && p*rowsPerPage+i < len(entries); i++ {
			e, y, shaded := entries[p*rowsPerPage+i], listTop+float64(i)*rowH, i%2 == 1
			if fast {
				ops.listRow(e, nameX, y, shaded)
			} else {
				c.listRow(e, nameX, y, shaded)
			}
		}
		if fast {
			ops.Flush()
		}
	}
	if fast {
		ops.Close()
	}
	return c.Output(w, "door list for "+d.Venue)
}

// nameColumn is where the name column starts: after the tick boxes' header as it is printed
// ("BINNEN" is wider than the boxes), so the two headers never overprint.
func (c doc) nameColumn(L Labels) float64 {
	c.Font(true, 8)
	return max(nameMinX, listMargin+c.Width(c.Clean(strings.ToUpper(L.Present)))+3)
}

func (c doc) listHeader(d DoorListData, nameX float64, page, pages, n int) {
	L := d.Labels
	right := pageW - listMargin
	y := listMargin + 5
	c.TextColor(pdf.Ink)
	c.Font(true, 15)
	c.Text(listMargin, y, c.Fit(c.Clean(L.DoorList+" · "+d.Venue), 140))
	c.TextColor(pdf.Muted)
	c.Font(false, 9)
	c.TextRight(right, y, c.Clean(fmt.Sprintf(L.PageOf, page, pages)))
	c.Font(false, 10)
	c.Text(listMargin, y+6, c.Fit(c.Clean(d.Event+" · "+d.Date+" · "+fmt.Sprintf(L.Attendees, n)), right-listMargin))

	y = listTop - 3.5
	c.Font(true, 8)
	c.Text(listMargin, y, c.Clean(strings.ToUpper(L.Present)))
	c.Text(nameX, y, c.Clean(strings.ToUpper(L.Name)))
	c.Text(orgX, y, c.Clean(strings.ToUpper(L.Organisation)))
	c.Text(codeX, y, c.Clean(strings.ToUpper(L.Code)))
	c.HLine(listMargin, right, listTop-0.5, pdf.Faint, 0.3)
}

// pageOps writes a door list page's rows as operators of our own; see pdf.PageOps.
type pageOps struct{ *pdf.PageOps }

// listRow draws one attendee in the row starting at y, on a tint if shaded, exactly as
// doc.listRow does, into the page's operators.
func (p pageOps) listRow(e DoorListEntry, nameX, y float64, shaded bool) {
	if shaded {
		p.Rect(listMargin, y, pageW-2*listMargin, rowH, "f")
	}
	p.Rect(listMargin+1, y+(rowH-boxSize)/2, boxSize, boxSize, "S")
	base := y + rowH/2 + 1.4
	last, given, parts := splitName(e.Name)
	rest := strings.TrimSpace(given + " " + parts)
	nameW := orgX - nameX - 3
	last = p.Fit(p.Clean(last), nameW, 10.5, true)

	// In reading order: the name, the organisation, the code.
	p.Raw("q\n")
	p.Fill(pdf.Ink)
	p.Font(10.5)
	p.Bold(pdf.Ink, 10.5)
	p.Text(nameX, base, last)
	p.Regular()
	if rest != "" {
		lw := p.Width(last, 10.5, true)
		p.Text(nameX+lw, base, p.Fit(p.Clean(", "+rest), nameW-lw, 10.5, false))
	}
	p.Fill(pdf.Muted)
	p.Font(9.5)
	p.Text(orgX, base, p.Fit(p.Clean(e.Organisation), codeX-orgX-3, 9.5, false))
	p.Fill(pdf.Ink)
	p.Font(10.5)
	p.BoldAgain(10.5)
	p.Text(codeX, base, p.Clean(e.Code))
	p.Raw("Q\n")
}

// listRow draws one attendee in the row starting at y, on a tint if shaded, with the fill
// and stroke DoorList set for the page.
func (c doc) listRow(e DoorListEntry, nameX, y float64, shaded bool) {
	if shaded {
		c.FillRect(listMargin, y, pageW-2*listMargin, rowH)
	}
	base := y + rowH/2 + 1.4
	c.StrokeRect(listMargin+1, y+(rowH-boxSize)/2, boxSize, boxSize)

	// "Berg, Jan van den": the last name, which the list is sorted by, in bold, with the rest
	// of the name right after it (text extraction joins them); then the organisation and the
	// code, in reading order.
	last, given, parts := splitName(e.Name)
	rest := strings.TrimSpace(given + " " + parts)
	nameW := orgX - nameX - 3
	c.TextColor(pdf.Ink)
	c.Font(true, 10.5)
	last = c.Fit(c.Clean(last), nameW)
	lw := c.Width(last)
	c.Text(nameX, base, last)
	if rest != "" {
		c.Font(false, 10.5)
		c.Text(nameX+lw, base, c.Fit(c.Clean(", "+rest), nameW-lw))
	}
	c.TextColor(pdf.Muted)
	c.Font(false, 9.5)
	c.Text(orgX, base, c.Fit(c.Clean(e.Organisation), codeX-orgX-3))
	c.TextColor(pdf.Ink)
	c.Font(true, 10.5)
	c.Text(codeX, base, c.Clean(e.Code))
}
