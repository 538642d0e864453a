package schedule

import (
	"bytes"
	"testing"

	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/tickets/ticketstest"
)

// TestPDFFontSubsetsAreTagged: the programme and the door signs embed a subset of the
// tickets' font, named with a subset tag as the PDF standard asks (pdffonts: sub yes).
func TestPDFFontSubsetsAreTagged(t *testing.T) {
	p := testProgramme()
	tr := translator(t, locale.Dutch)
	var programme, signs bytes.Buffer
	if err := VenueProgrammePDF(&programme, p, "zwolle", tr); err != nil {
		t.Fatal(err)
	}
	if err := DoorSignsPDF(&signs, p, "zwolle", tr); err != nil {
		t.Fatal(err)
	}
	ticketstest.WantTaggedSubsets(t, "programme", programme.Bytes())
	ticketstest.WantTaggedSubsets(t, "door signs", signs.Bytes())
}
