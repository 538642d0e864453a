package templates

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/schedule"
)

// fakePage stands in for handlers.Page: the helpers the partial calls.
type fakePage struct{}

func (fakePage) T(key string, args ...any) string { return key + fmt.Sprintf("%v", args) }
func (fakePage) Format(f string) string           { return "format." + f }
func (fakePage) TimeRange(a, b time.Time) string {
	return a.Format("15:04") + "–" + b.Format("15:04")
}

func TestScheduleTimetablePartial(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2027, 1, 14, h, m, 0, 0, time.UTC) }
	p := schedule.Programme{Venues: []schedule.ProgrammeVenue{{
		Slug: "zwolle", Name: "Stadskantoor", City: "Zwolle",
		Rooms: []schedule.ProgrammeRoom{{ID: 1, Name: "Raadszaal", Capacity: 120}, {ID: 2, Name: "Zaal 2.14", Capacity: 40}},
		Slots: []schedule.ProgrammeSlot{{ID: 10, Start: at(9, 30), End: at(10, 30)}, {ID: 11, Start: at(10, 45), End: at(11, 45)}},
		Sessions: []schedule.ProgrammeSession{
			{ID: 100, Title: `Opening <script>alert("x")</script>`, Format: "lecture", Track: "Digitaal", RoomID: 1,
				SlotIDs: []uint{10}, Start: at(9, 30), End: at(10, 30), Speakers: []schedule.ProgrammeSpeaker{{Name: "Anna de Vries", Organisation: "Gemeente Zwolle"}}},
			{ID: 101, Title: "Training", Format: "training", RoomID: 2, SlotIDs: []uint{10, 11}, Start: at(9, 30), End: at(11, 45)},
		},
	}}}
	tt, err := schedule.NewTimetable(p, "zwolle", schedule.Filter{Format: "lecture"})
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := template.New("x").Funcs(baseFuncs).ParseFS(files, "partials/*.html")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	data := map[string]any{"T": tt, "P": fakePage{}, "Action": "/programma/zwolle"}
	if err := tmpl.ExecuteTemplate(&buf, "schedule_timetable", data); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	for _, want := range []string{
		`<option value="lecture" selected>format.lecture</option>`, `<option value="training">format.training</option>`,
		`Opening &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;`, `Anna de Vries (Gemeente Zwolle)`,
		`href="/programma/zwolle">schedule.filter.clear`, `schedule.filter.shown[Shown 1 Total 2]`,
		`<label class="utrecht-form-label" for="schedule-format">`, `<th class="utrecht-table__header-cell" scope="row">09:30–10:30</th>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("timetable lacks %s:\n%s", want, html)
		}
	}
	if strings.Contains(html, "<script>") || strings.Contains(html, ">Training<") {
		t.Errorf("timetable shows raw HTML or a filtered-out session:\n%s", html)
	}

	// Without a filter the two-slot training spans two rows and its second row has no cell for it.
	tt, _ = schedule.NewTimetable(p, "zwolle", schedule.Filter{})
	buf.Reset()
	data["T"] = tt
	if err := tmpl.ExecuteTemplate(&buf, "schedule_timetable", data); err != nil {
		t.Fatal(err)
	}
	html = buf.String()
	if !strings.Contains(html, `rowspan="2"`) || strings.Count(html, `<td class="utrecht-table__cell"`) != 3 {
		t.Errorf("want the training over two rows and 3 cells in all:\n%s", html)
	}
	if !strings.Contains(html, "schedule.continues[Title Training]") {
		t.Errorf("the list by time does not say the training continues at 10:45:\n%s", html)
	}
}
