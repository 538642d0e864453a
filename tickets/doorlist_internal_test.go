package tickets

import (
	"bytes"
	"fmt"
	"image"
	"testing"

	"github.com/ambtenaar20/dagplanner/pdf"
	"github.com/ambtenaar20/dagplanner/tickets/ticketstest"
)

// The door list's rows are written as operators of our own (pageOps) when gofpdf's fields
// allow it, and through gofpdf otherwise: both must give the same pages, pixel for pixel,
// with the same text, also for names that need escaping, shortening or other scripts.
func TestDoorListFastRowsMatchGofpdf(t *testing.T) {
	ticketstest.NeedTool(t, "pdftoppm")
	entries := []DoorListEntry{
		{Name: "Jan (Johannes) van den Berg", Organisation: `Gemeente Zwolle \ Team (Dienstverlening)`, Code: "ABCD-EFGH"},
		{Name: "Zoë Ğüneş-van den Bërg", Organisation: "Provincie Overijssel", Code: "KLMN-PQRS"},
		{Name: "Αλέξανδρος Παπαδόπουλος", Organisation: "Дмитрий Шостакович Instituut", Code: "TUVW-XYZ2"},
		{Name: "Maximiliaan Wolfgang Christoffel Adriaanszoon-Vanderhoeven-Oppenheimer", Code: "2345-6789",
			Organisation: "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties, Directie Digitale Overheid"},
		{Name: "Anna", Organisation: "", Code: "CDEF-GHJK"},
		{Name: "Kees in 't Veld", Organisation: "Waterschap Drents Overijsselse Delta", Code: "MNPQ-RSTV"},
	}
	for i := range 40 { // a second page, shaded rows on both
		entries = append(entries, DoorListEntry{Name: fmt.Sprintf("Extra Zwart%02d", i), Organisation: "Gemeente", Code: fmt.Sprintf("AAAA-%04d", i)})
	}
	data := DoorListData{Event: "Dag van de Ambtenaar 2.0", Date: "3 februari 2027", Venue: "Zwolle", Entries: entries, Labels: DutchLabels()}
	render := func(slow bool) []byte {
		fs, err := pdf.LoadFonts()
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := (&Renderer{fonts: fs, slowRows: slow}).DoorList(&buf, data); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	c := (&Renderer{fonts: mustFonts(t)}).newDoc("probe", "probe", DutchLabels())
	c.AddPage()
	c.Font(false, 10)
	if _, ok := pdf.NewPageOps(c.Doc); !ok {
		t.Fatal("newPageOps does not work with this gofpdf: the door list is drawn the slow way")
	}

	fast, slow := render(false), render(true)
	if len(fast) >= len(slow) {
		t.Errorf("fast rows give %d bytes, gofpdf's %d: want fewer", len(fast), len(slow))
	}
	if a, b := ticketstest.PDFText(t, fast, "-layout"), ticketstest.PDFText(t, slow, "-layout"); a != b {
		t.Errorf("text differs:\nfast:\n%s\ngofpdf:\n%s", a, b)
	}
	for page := 1; page <= 2; page++ {
		a, b := ticketstest.Rasterise(t, fast, page, 100), ticketstest.Rasterise(t, slow, page, 100)
		if n := differentPixels(a, b); n > 0 {
			t.Errorf("page %d: %d pixels differ between fast rows and gofpdf's", page, n)
		}
	}
}

func mustFonts(t *testing.T) *pdf.Fonts {
	fs, err := pdf.LoadFonts()
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

func differentPixels(a, b image.Image) int {
	if a.Bounds() != b.Bounds() {
		return a.Bounds().Dx() * a.Bounds().Dy()
	}
	n := 0
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				n++
			}
		}
	}
	return n
}
