package tickets_test

import (
	"bytes"
	"testing"

	"github.com/ambtenaar20/dagplanner/tickets"
	"github.com/ambtenaar20/dagplanner/tickets/ticketstest"
)

// TestDocumentsDescribeThemselves: tickets, badges and door lists carry a title, author,
// subject and their language, and their text is written in reading order (pdftotext -raw
// follows the content streams, as a screen reader does in an untagged PDF).
func TestDocumentsDescribeThemselves(t *testing.T) {
	t.Parallel()
	_, priv := testKey(1)
	s := tickets.NewSigner(priv)
	r := newRenderer(t)
	const event = "Dag van de Digitale Overheid 2026"

	t.Run("ticket", func(t *testing.T) {
		for _, L := range []tickets.Labels{tickets.DutchLabels(), tickets.EnglishLabels()} {
			d, _ := sampleTicket(s, "Zoë Ångström-Ñúñez")
			d.Labels = L
			var buf bytes.Buffer
			if err := r.Ticket(&buf, d); err != nil {
				t.Fatal(err)
			}
			ticketstest.WantDescribed(t, "ticket "+L.Lang, buf.Bytes(), event+" – "+L.Ticket, L.Lang)
			// Header, then the left column (who, where), then the code on the right, then the
			// programme row by row (time, title, room), then the footer.
			ticketstest.WantInOrder(t, "ticket "+L.Lang, ticketstest.PDFStreamText(t, buf.Bytes()),
				event, d.Date, d.Name, d.Organisation, d.Venue, d.Address, d.Code, L.Programme,
				d.Programme[0].Time, d.Programme[0].Title, d.Programme[0].Room, d.Programme[1].Time,
				d.Programme[3].Room, L.ScanHint[:20])
		}
	})
	t.Run("badges", func(t *testing.T) {
		in := badges(s, 3)
		var buf bytes.Buffer
		if err := r.Badges(&buf, tickets.BadgeSheetData{Event: event, Venue: "Zwolle", Badges: in,
			Labels: tickets.EnglishLabels()}); err != nil {
			t.Fatal(err)
		}
		ticketstest.WantDescribed(t, "badges", buf.Bytes(), event+" – Zwolle – Name badges", "en")
		names := []string{in[0].Name, in[1].Name, in[2].Name}
		tickets.SortByLastName(names)
		// The badges in their order, each name before its organisation, and the page's footer last.
		text := ticketstest.PDFStreamText(t, buf.Bytes())
		ticketstest.WantInOrder(t, "badges", text, names[0], "Koninkrijksrelaties", names[1], names[2], "page 1 of 1")
	})
	t.Run("door list", func(t *testing.T) {
		entries := []tickets.DoorListEntry{{Name: "Jan van den Berg", Organisation: "Gemeente Zwolle", Code: "ABCD-EFGH"}}
		var buf bytes.Buffer
		if err := r.DoorList(&buf, tickets.DoorListData{Event: event, Date: "12 maart 2026", Venue: "Zwolle",
			Entries: entries, Labels: tickets.DutchLabels()}); err != nil {
			t.Fatal(err)
		}
		ticketstest.WantDescribed(t, "door list", buf.Bytes(), event+" – Zwolle – Deurlijst", "nl")
		ticketstest.WantInOrder(t, "door list", ticketstest.PDFStreamText(t, buf.Bytes()),
			"Deurlijst · Zwolle", "NAAM", "ORGANISATIE", "Berg, Jan van den", "Gemeente Zwolle", "ABCD-EFGH")
	})
}
