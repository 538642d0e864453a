package charts

import (
	"strconv"
	"strings"
	"testing"
)

func TestGroups(t *testing.T) {
	t.Parallel()
	ranks := []Point{{Key: "1", Tick: "1e", Label: "Eerste keuze"}, {Key: "2", Tick: "2e", Label: "Tweede keuze"}, {Key: "none", Tick: "Geen", Label: "Geen keuze"}}
	g := Groups{ID: "toewijzing", Title: "Keuzes gehonoreerd", YAxis: "Personen", XAxis: "Keuze", RowHeader: "Keuze", Points: ranks,
		Series: []Series{{Key: "allocation", Name: "Toewijzing", Values: []int{80, 15, 5}}, {Key: "random", Name: "Willekeurig", Values: []int{60, 20, 0}}}}
	c := g.Draw()
	els := parseSVG(t, c)
	assertMarksMatchTable(t, c, els)
	ms := marks(els)
	if len(ms) != 5 {
		t.Fatalf("%d marks, want 5 (no mark for a zero)", len(ms))
	}
	unit := attr(t, ms[0], "height") / 80
	for _, m := range ms {
		v, _ := strconv.Atoi(m.Attrs["data-value"])
		if !near(attr(t, m, "height"), unit*float64(v)) {
			t.Errorf("column %v is %v high, want %v", m.Attrs, attr(t, m, "height"), unit*float64(v))
		}
	}
	// Grouped, not stacked: the two columns of a rank stand side by side on the axis.
	first, random := ms[0], ms[1]
	if random.Attrs["data-col"] != "random" || !near(attr(t, first, "y")+attr(t, first, "height"), attr(t, random, "y")+attr(t, random, "height")) ||
		attr(t, random, "x") < attr(t, first, "x")+attr(t, first, "width") {
		t.Errorf("the random column %v does not stand beside the allocation's %v", random.Attrs, first.Attrs)
	}
	if strings.Count(string(c.SVG), "<pattern") != 1 {
		t.Error("the second series should be drawn with a pattern, not colour alone")
	}

	// Texts are written instead of the numbers, in the drawing and the table.
	g.Series[1].Texts = []string{"60,4", "19,6", "0"}
	c = g.Draw()
	if got := c.Table.Rows[0].Cells[2]; got.Text != "60,4" || got.Value != 60 {
		t.Errorf("random first choices in the table = %+v, want 60,4 (60)", got)
	}
	if !strings.Contains(string(c.SVG), ">60,4</text>") {
		t.Error("the drawing does not write the average 60,4 on its column")
	}
	if (Groups{ID: "leeg", Title: "Leeg"}).Draw().SVG != "" {
		t.Error("a chart without points draws something")
	}
}
