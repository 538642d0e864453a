package pdf_test

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/pdf"
	"github.com/ambtenaar20/dagplanner/tickets/ticketstest"
)

func TestSheet(t *testing.T) {
	for _, landscape := range []bool{false, true} {
		sh, err := pdf.NewSheet("Deurbordjes", landscape)
		if err != nil {
			t.Fatal(err)
		}
		sh.AddPage()
		w, h := sh.Size()
		if landscape != (w > h) || math.Round(max(w, h)) != 297 || math.Round(min(w, h)) != 210 {
			t.Errorf("landscape %v: page is %.0f × %.0f mm", landscape, w, h)
		}
		sh.Font(true, 12)
		long := strings.Repeat("Café-gesprek over één ding ", 12)
		lines := sh.Wrap(long, 80, 0)
		if len(lines) < 4 {
			t.Errorf("Wrap(…, 80 mm, 0) = %d lines, want the whole text over several", len(lines))
		}
		if got := strings.Join(strings.Fields(strings.Join(lines, " ")), " "); got != strings.TrimSpace(long) {
			t.Errorf("wrapped lines lose text: %q", got)
		}
		if cut := sh.Wrap(long, 80, 2); len(cut) != 2 || !strings.HasSuffix(cut[1], "…") {
			t.Errorf("Wrap(…, 80 mm, 2) = %q, want 2 lines ending in an ellipsis", cut)
		}
		for i, l := range lines {
			sh.Text(15, 20+float64(i)*6, l)
		}
		sh.TextRight(w-15, h-15, "Zaal 2.14 🎉") // an emoji the font lacks prints as "?"
		var buf bytes.Buffer
		if err := sh.Output(&buf); err != nil {
			t.Fatal(err)
		}
		text := ticketstest.PDFText(t, buf.Bytes())
		if !strings.Contains(text, "Café-gesprek over één ding") || !strings.Contains(text, "Zaal 2.14 ?") {
			t.Errorf("landscape %v: text = %s", landscape, text)
		}
	}
}
