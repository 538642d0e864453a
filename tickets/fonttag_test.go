package tickets_test

import (
	"bytes"
	"testing"

	"github.com/ambtenaar20/dagplanner/pdf"
	"github.com/ambtenaar20/dagplanner/tickets"
	"github.com/ambtenaar20/dagplanner/tickets/ticketstest"
)

// TestFontSubsetsAreTagged: every document embeds a subset of its font, which the PDF
// standard asks to mark with a six-letter tag; the same subset always gets the same tag.
func TestFontSubsetsAreTagged(t *testing.T) {
	_, priv := testKey(1)
	s := tickets.NewSigner(priv)
	r := newRenderer(t)
	render := func(t *testing.T, what string) []byte {
		var buf bytes.Buffer
		var err error
		switch what {
		case "ticket":
			d, _ := sampleTicket(s, "Zoë Ångström-Ñúñez")
			err = r.Ticket(&buf, d)
		case "other ticket":
			d, _ := sampleTicket(s, "Дмитрий Шостакович")
			err = r.Ticket(&buf, d)
		case "badges":
			err = r.Badges(&buf, tickets.BadgeSheetData{Event: "Dag van de Digitale Overheid 2026", Venue: "Jaarbeurs Utrecht",
				Badges: badges(s, 10), Labels: tickets.DutchLabels()})
		case "door list":
			var entries []tickets.DoorListEntry
			for _, b := range badges(s, 12) {
				entries = append(entries, tickets.DoorListEntry{Name: b.Name, Organisation: b.Organisation, Code: b.Code})
			}
			err = r.DoorList(&buf, tickets.DoorListData{Event: "Dag van de Digitale Overheid 2026", Date: "12 maart 2026",
				Venue: "Zwolle", Entries: entries, Labels: tickets.DutchLabels()})
		case "sheet":
			var sh *pdf.Sheet
			sh, err = pdf.NewSheet("Programma", true)
			if err == nil {
				sh.AddPage()
				sh.Font(true, 14)
				sh.Text(20, 20, "Zaal 2.14 – Ωμέγα")
				err = sh.Output(&buf)
			}
		}
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return buf.Bytes()
	}
	names := map[string]string{}
	for _, what := range []string{"ticket", "other ticket", "badges", "door list", "sheet"} {
		t.Run(what, func(t *testing.T) {
			pdf := render(t, what)
			ticketstest.WantTaggedSubsets(t, what, pdf)
			fonts := ticketstest.PDFFonts(t, pdf)
			if len(fonts) > 0 {
				names[what] = fonts[0].Name
			}
			if again := ticketstest.PDFFonts(t, render(t, what)); len(again) == 0 || again[0].Name != names[what] {
				t.Errorf("rendered again, the font is %v, want the same name %q", again, names[what])
			}
		})
	}
	if names["ticket"] == names["other ticket"] {
		t.Errorf("tickets with different letters both embed %q, want a tag per subset", names["ticket"])
	}
}
