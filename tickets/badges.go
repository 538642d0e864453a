package tickets

import (
	"fmt"
	"io"
	"strings"

	"github.com/ambtenaar20/dagplanner/pdf"
)

// Badge is one name badge.
type Badge struct {
	Name, Organisation string
	Payload            string // from Signer.Payload
	Code               string // from ShortCode
}

// BadgeSheetData is everything printed on the badge sheets of one venue.
type BadgeSheetData struct {
	Event, Venue string
	Badges       []Badge
	Labels       Labels
}

// Badge grid on A4: 2 × 4 badges of 95 × 65 mm with cut marks around the grid.
const (
	badgeW, badgeH       = 95.0, 65.0
	badgeCols, badgeRows = 2, 4
	badgesPerPage        = badgeCols * badgeRows
	badgeX               = (pageW - badgeCols*badgeW) / 2
	badgeY               = (pageH - badgeRows*badgeH) / 2
	badgePad             = 6.0
	badgeQR              = 30.0
)

// Badges writes the name badges in d, sorted by last name, as A4 sheets of eight
// with cut marks to w.
func (r *Renderer) Badges(w io.Writer, d BadgeSheetData) error {
	badges := append([]Badge(nil), d.Badges...)
	sortByLastName(len(badges), func(i int) string { return badges[i].Name },
		func(i, j int) { badges[i], badges[j] = badges[j], badges[i] })

	c := r.newDoc(d.Event+" – "+d.Venue+" – "+d.Labels.Badges, d.Labels.BadgesSubject, d.Labels)
	event, venue := c.Clean(d.Event), c.Clean(d.Venue)
	pages := (len(badges) + badgesPerPage - 1) / badgesPerPage
	for p := 0; p < max(pages, 1); p++ {
		c.AddPage()
		c.CropMarks(badgeX, badgeY, badgeW, badgeH, badgeCols, badgeRows)
		for i := 0; i < badgesPerPage && p*badgesPerPage+i < len(badges); i++ {
			x := badgeX + float64(i%badgeCols)*badgeW
			y := badgeY + float64(i/badgeCols)*badgeH
			if err := c.badge(badges[p*badgesPerPage+i], event, venue, x, y); err != nil {
				return err
			}
		}
		// The footer at the foot of the page comes last in reading order.
		c.TextColor(pdf.Faint)
		c.Font(false, 7)
		footer := fmt.Sprintf("%s · %s · %s · "+d.Labels.PageOf, event, venue, c.Clean(d.Labels.Badges), p+1, max(pages, 1))
		c.TextCenter(pageW/2, pageH-6, c.Clean(footer))
	}
	return c.Output(w, "badges for "+d.Venue)
}

// badge draws one badge with its top left corner at x, y.
func (c doc) badge(b Badge, event, venue string, x, y float64) error {
	inner := badgeW - 2*badgePad
	c.TextColor(pdf.Muted)
	c.Font(false, 8)
	c.Text(x+badgePad, y+badgePad+3, c.Fit(event, inner))

	name := c.Clean(b.Name)
	size := c.FitSize(name, true, inner, 24, 15)
	c.TextColor(pdf.Ink)
	c.Font(true, size)
	ty := y + badgePad + 4
	for _, l := range c.Lines(name, inner, 2) {
		ty += size * pdf.PtToMM * 1.15
		c.Text(x+badgePad, ty, l)
	}

	// The organisation goes left of the QR code.
	qrX, qrY := x+badgeW-badgePad-badgeQR, y+badgeH-badgePad-badgeQR-4.5
	if org := strings.TrimSpace(b.Organisation); org != "" {
		c.TextColor(pdf.Muted)
		c.Font(false, 11.5)
		oy := ty + 1.5
		for _, l := range c.Lines(c.Clean(org), qrX-x-badgePad-4, 3) {
			oy += 11.5 * pdf.PtToMM * 1.3
			c.Text(x+badgePad, oy, l)
		}
	}
	c.TextColor(pdf.Faint)
	c.Font(false, 8)
	c.Text(x+badgePad, y+badgeH-badgePad-0.5, c.Fit(venue, qrX-x-badgePad-4))

	if err := c.QR(b.Payload, qrX, qrY, badgeQR); err != nil {
		return fmt.Errorf("badge for %q: %w", b.Name, err)
	}
	c.TextColor(pdf.Muted)
	c.Font(true, 7.5)
	c.TextCenter(qrX+badgeQR/2, y+badgeH-badgePad-0.5, c.Clean(b.Code))
	return nil
}
