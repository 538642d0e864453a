package schedule

import (
	"bytes"
	"testing"

	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/tickets/ticketstest"
)

// TestPDFsDescribeThemselves: the programme and the door signs carry a title, author,
// subject and the reader's language, and their text is written in reading order
// (pdftotext -raw follows the content streams): the page's header, its rows from left to
// right, and the footer last.
func TestPDFsDescribeThemselves(t *testing.T) {
	t.Parallel()
	p := testProgramme()

	var prog bytes.Buffer
	if err := VenueProgrammePDF(&prog, p, "zwolle", translator(t, locale.Dutch)); err != nil {
		t.Fatal(err)
	}
	ticketstest.WantDescribed(t, "programme", prog.Bytes(), p.EventName+" – Programma Stadskantoor, Zwolle", "nl")
	ticketstest.WantInOrder(t, "programme", ticketstest.PDFStreamText(t, prog.Bytes()),
		"Programma Stadskantoor, Zwolle", "Versie 3", "donderdag 14 januari 2027", "ZAAL", "SESSIE",
		"09:30–10:30", "10:45–11:45", "13:00–14:00", "Kamer 3.01", "Schrijven in begrijpelijke taal",
		"training · Communicatie", "14:15–15:15", "pagina 1 van 1")

	var signs bytes.Buffer
	if err := DoorSignsPDF(&signs, p, "rotterdam", translator(t, locale.English)); err != nil {
		t.Fatal(err)
	}
	ticketstest.WantDescribed(t, "door signs", signs.Bytes(), p.EventName+" – Door signs World Trade Center, Rotterdam", "en")
	ticketstest.WantInOrder(t, "door signs", ticketstest.PDFStreamText(t, signs.Bytes()),
		"World Trade Center, Rotterdam · Thursday 14 January 2027", "Maaszaal", "150 seats", "Today in this room",
		"Open data in de praktijk", "Jan de Vries (Rijkswaterstaat)", "presentation · Data", "Version 3")
}
