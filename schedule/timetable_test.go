package schedule

import (
	"errors"
	"slices"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
)

// ids lists the sessions in the grid row by row, "-" for an empty cell and "|" for a
// covered one.
func gridIDs(t Timetable) [][]string {
	var out [][]string
	for _, r := range t.Rows {
		var row []string
		for _, c := range r.Cells {
			switch {
			case c.Covered:
				row = append(row, "|")
			case c.Session == nil:
				row = append(row, "-")
			default:
				row = append(row, titleID(c.Session))
			}
		}
		out = append(out, row)
	}
	return out
}

func titleID(s *ProgrammeSession) string {
	return map[uint]string{100: "open", 101: "cafe", 102: "train", 103: "long", 104: "som"}[s.ID]
}

func TestNewTimetable(t *testing.T) {
	p := testProgramme()
	tt, err := NewTimetable(p, "zwolle", Filter{})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"open", "cafe", "-"},
		{"long", "-", "-"},
		{"-", "-", "train"},
		{"-", "som", "|"},
	}
	if got := gridIDs(tt); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("grid = %v, want %v", got, want)
	}
	if c := tt.Rows[2].Cells[2]; c.RowSpan != 2 || c.Room.Name != "Kamer 3.01" {
		t.Errorf("training cell = %+v, want Kamer 3.01 spanning 2 rows", c)
	}
	if got := tt.Rows[0].Starting; len(got) != 2 || got[0].Room.Name != "Raadszaal" || got[1].Session.ID != 101 {
		t.Errorf("starting at 09:30 = %+v, want the opening in Raadszaal, then the café", got)
	}
	if got := tt.Rows[3].Continuing; len(got) != 1 || got[0].Session.ID != 102 {
		t.Errorf("continuing at 14:15 = %+v, want the training", got)
	}
	if !slices.Equal(tt.Formats, []string{"workshop", "presentation", "lecture", "training", "discussion"}) {
		t.Errorf("Formats = %v, in the order of models.Formats", tt.Formats)
	}
	if !slices.Equal(tt.Tracks, []string{"Communicatie", "Data", "Digitaal", "Ethiek"}) {
		t.Errorf("Tracks = %v", tt.Tracks)
	}
	if tt.Shown != 5 || tt.Total != 5 {
		t.Errorf("Shown, Total = %d, %d, want 5, 5", tt.Shown, tt.Total)
	}
}

func TestTimetableFilter(t *testing.T) {
	p := testProgramme()
	for _, tc := range []struct {
		name   string
		filter Filter
		want   [][]string
		shown  int
		apply  Filter
	}{
		{"format", Filter{Format: "training"}, [][]string{{"-", "-", "-"}, {"-", "-", "-"}, {"-", "-", "train"}, {"-", "-", "|"}}, 1, Filter{Format: "training"}},
		{"track", Filter{Track: "Ethiek"}, [][]string{{"-", "cafe", "-"}, {"-", "-", "-"}, {"-", "-", "-"}, {"-", "-", "-"}}, 1, Filter{Track: "Ethiek"}},
		{"both, nothing matches", Filter{Format: "lecture", Track: "Data"}, [][]string{{"-", "-", "-"}, {"-", "-", "-"}, {"-", "-", "-"}, {"-", "-", "-"}}, 0, Filter{Format: "lecture", Track: "Data"}},
		{"unknown values are dropped", Filter{Format: "<script>", Track: "Sport"}, [][]string{{"open", "cafe", "-"}, {"long", "-", "-"}, {"-", "-", "train"}, {"-", "som", "|"}}, 5, Filter{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tt, err := NewTimetable(p, "zwolle", tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			if got := gridIDs(tt); !slices.EqualFunc(got, tc.want, slices.Equal) {
				t.Errorf("grid = %v, want %v", got, tc.want)
			}
			if tt.Shown != tc.shown || tt.Filter != tc.apply {
				t.Errorf("Shown %d, Filter %+v; want %d, %+v", tt.Shown, tt.Filter, tc.shown, tc.apply)
			}
			if len(tt.Formats) != 5 || len(tt.Tracks) != 4 {
				t.Errorf("filter options depend on the filter: %v, %v", tt.Formats, tt.Tracks)
			}
		})
	}
	if _, err := NewTimetable(p, "utrecht", Filter{}); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("unknown venue: error = %v, want ErrNotFound", err)
	}
}
