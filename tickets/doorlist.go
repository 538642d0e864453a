package tickets

import (
	"fmt"
	"io"
	"strings"
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

	c := r.newDoc(d.Event + " – " + d.Venue + " – " + d.Labels.DoorList)
	// gofpdf compresses each page with a zlib writer of its own, a megabyte to set up: at
	// 500 pages (25,000 people) that was half the time and most of the memory. The pages go
	// uncompressed; the handler gzips the whole file on the wire instead.
	c.pdf.SetCompression(false)
	nameX := c.nameColumn(d.Labels)
	ops, fast := newPageOps(c)
	fast = fast && !r.slowRows
	pages := max((len(entries)+rowsPerPage-1)/rowsPerPage, 1)
	for p := 0; p < pages; p++ {
		c.pdf.AddPage()
		c.listHeader(d, nameX, p+1, pages, len(entries))
		// The rows' tint and tick boxes, set once a page rather than once a row.
		c.pdf.SetFillColor(tint.r, tint.g, tint.b)
		c.pdf.SetDrawColor(ink.r, ink.g, ink.b)
		c.pdf.SetLineWidth(0.3)
		for i := 0; i < rowsPerPage && p*rowsPerPage+i < len(entries); i++ {
			e, y, shaded := entries[p*rowsPerPage+i], listTop+float64(i)*rowH, i%2 == 1
			if fast {
				ops.listRow(e, nameX, y, shaded)
			} else {
				c.listRow(e, nameX, y, shaded)
			}
		}
		if fast {
			ops.flush()
		}
	}
	if fast {
		ops.close()
	}
	return output(c, w, "door list for "+d.Venue)
}

// nameColumn is where the name column starts: after the tick boxes' header as it is printed
// ("BINNEN" is wider than the boxes), so the two headers never overprint.
func (c *doc) nameColumn(L Labels) float64 {
	c.font("B", 8)
	return max(nameMinX, listMargin+c.width(c.clean(strings.ToUpper(L.Present)))+3)
}

func (c *doc) listHeader(d DoorListData, nameX float64, page, pages, n int) {
	L := d.Labels
	right := pageW - listMargin
	y := listMargin + 5
	c.textColor(ink)
	c.font("B", 15)
	c.text(listMargin, y, c.fit(c.clean(L.DoorList+" · "+d.Venue), 140))
	c.textColor(muted)
	c.font("", 9)
	c.textRight(right, y, c.clean(fmt.Sprintf(L.PageOf, page, pages)))
	c.font("", 10)
	c.text(listMargin, y+6, c.fit(c.clean(d.Event+" · "+d.Date+" · "+fmt.Sprintf(L.Attendees, n)), right-listMargin))

	y = listTop - 3.5
	c.font("B", 8)
	c.text(listMargin, y, c.clean(strings.ToUpper(L.Present)))
	c.text(nameX, y, c.clean(strings.ToUpper(L.Name)))
	c.text(orgX, y, c.clean(strings.ToUpper(L.Organisation)))
	c.text(codeX, y, c.clean(strings.ToUpper(L.Code)))
	c.hline(listMargin, right, listTop-0.5, faint, 0.3)
}

// listRow draws one attendee in the row starting at y, on a tint if shaded, exactly as
// doc.listRow does, into the page's operators.
func (p *pageOps) listRow(e DoorListEntry, nameX, y float64, shaded bool) {
	if shaded {
		p.rect(listMargin, y, pageW-2*listMargin, rowH, "f")
	}
	p.rect(listMargin+1, y+(rowH-boxSize)/2, boxSize, boxSize, "S")
	base := y + rowH/2 + 1.4
	fs := p.d.fs
	last, given, parts := splitName(e.Name)
	rest := strings.TrimSpace(given + " " + parts)
	nameW := orgX - nameX - 3
	last = p.fit(fs.clean(last), nameW, 10.5, true)

	p.raw("q\n")
	p.fill(muted)
	p.font(9.5)
	p.text(orgX, base, p.fit(fs.clean(e.Organisation), codeX-orgX-3, 9.5, false))
	p.fill(ink)
	p.font(10.5)
	p.bold(ink, 10.5)
	p.text(nameX, base, last)
	if rest != "" {
		lw := p.width(last, 10.5, true)
		p.regular()
		p.text(nameX+lw, base, p.fit(fs.clean(", "+rest), nameW-lw, 10.5, false))
		p.bold(ink, 10.5)
	}
	p.text(codeX, base, fs.clean(e.Code))
	p.raw("Q\n")
}

// listRow draws one attendee in the row starting at y, on a tint if shaded, with the fill
// and stroke DoorList set for the page.
func (c *doc) listRow(e DoorListEntry, nameX, y float64, shaded bool) {
	if shaded {
		c.pdf.Rect(listMargin, y, pageW-2*listMargin, rowH, "F")
	}
	base := y + rowH/2 + 1.4
	c.pdf.Rect(listMargin+1, y+(rowH-boxSize)/2, boxSize, boxSize, "D")

	// "Berg, Jan van den": the last name, which the list is sorted by, in bold. The row's
	// texts go in an order that changes the font size once and draws both bold texts in one
	// go, with the rest of the name right after the last name (text extraction joins them).
	c.textColor(muted)
	c.font("", 9.5)
	c.text(orgX, base, c.fit(c.clean(e.Organisation), codeX-orgX-3))
	last, given, parts := splitName(e.Name)
	rest := strings.TrimSpace(given + " " + parts)
	nameW := orgX - nameX - 3
	c.textColor(ink)
	c.font("B", 10.5)
	last = c.fit(c.clean(last), nameW)
	lw := c.width(last)
	c.texts(placed{codeX, base, c.clean(e.Code)}, placed{nameX, base, last})
	if rest != "" {
		c.font("", 10.5)
		c.text(nameX+lw, base, c.fit(c.clean(", "+rest), nameW-lw))
	}
}
