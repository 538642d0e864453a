package locale

import (
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
)

func mustLoad(t *testing.T) *Catalog {
	t.Helper()
	c, err := Load()
	if err != nil {
		t.Fatalf("Load() error = %v", err)
	}
	return c
}

// readMessages parses locale/<lang>.toml from disk (not the embedded copy's
// parsed result) so the tests cover whatever keys are added later.
func readMessages(t *testing.T, l Lang) map[string]*goi18n.Message {
	t.Helper()
	name := string(l) + ".toml"
	buf, err := os.ReadFile(name)
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	mf, err := goi18n.ParseMessageFileBytes(buf, name, map[string]goi18n.UnmarshalFunc{"toml": toml.Unmarshal})
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	out := make(map[string]*goi18n.Message, len(mf.Messages))
	for _, m := range mf.Messages {
		if _, dup := out[m.ID]; dup {
			t.Errorf("%s: duplicate key %q", name, m.ID)
		}
		out[m.ID] = m
	}
	if len(out) == 0 {
		t.Fatalf("%s: no messages", name)
	}
	return out
}

func TestCataloguesHaveSameKeys(t *testing.T) {
	nl := readMessages(t, Dutch)
	en := readMessages(t, English)
	for k := range nl {
		if _, ok := en[k]; !ok {
			t.Errorf("key %q is in nl.toml but missing from en.toml", k)
		}
	}
	for k := range en {
		if _, ok := nl[k]; !ok {
			t.Errorf("key %q is in en.toml but missing from nl.toml", k)
		}
	}
	// A message that is plural in one language must be plural in the other.
	for k, n := range nl {
		e, ok := en[k]
		if !ok {
			continue
		}
		if (n.One != "") != (e.One != "") {
			t.Errorf("key %q: plural form \"one\" set in nl=%v, en=%v; want both or neither", k, n.One != "", e.One != "")
		}
	}
}

func TestKeysMatchFiles(t *testing.T) {
	c := mustLoad(t)
	for _, l := range Supported {
		msgs := readMessages(t, l)
		want := make([]string, 0, len(msgs))
		for k := range msgs {
			want = append(want, k)
		}
		sort.Strings(want)
		got := c.Keys(l)
		if !slices.Equal(got, want) {
			t.Errorf("Keys(%s) = %v, want %v", l, got, want)
		}
		if !sort.StringsAreSorted(got) {
			t.Errorf("Keys(%s) not sorted: %v", l, got)
		}
	}
	if got := c.Keys("fr"); len(got) != 0 {
		t.Errorf("Keys(fr) = %v, want empty", got)
	}
}

func TestSeedKeysPresent(t *testing.T) {
	c := mustLoad(t)
	seed := []string{
		"site.name", "nav.home", "nav.programme", "nav.organisers",
		"lang.switch_label", "lang.nl", "lang.en", "skip.to_content", "footer.text",
		"error.not_found.title", "error.not_found.body", "error.server.title", "error.server.body",
		"error.forbidden.title", "error.forbidden.body", "venue.seats_left",
		"format.workshop", "format.presentation", "format.lecture", "format.training",
		"format.discussion", "format.other",
		"form.required", "form.too_long", "form.not_positive", "form.invalid_email",
		"form.slot_end_before_start", "form.slot_overlap", "form.capacity_above_room",
		"form.errors_summary",
	}
	for _, l := range Supported {
		keys := c.Keys(l)
		for _, k := range seed {
			if _, found := slices.BinarySearch(keys, k); !found {
				t.Errorf("Keys(%s) lacks seed key %q", l, k)
			}
		}
	}
}

// TestDutchSaysJe fails on a formal "u" or "uw" in a Dutch message: Dagplanner says "je".
func TestDutchSaysJe(t *testing.T) {
	for key, m := range readMessages(t, Dutch) {
		for _, text := range []string{m.Other, m.One, m.Zero, m.Two, m.Few, m.Many} {
			if words := FormalWords(text); len(words) > 0 {
				t.Errorf("nl %q says %q: %q; use je/jouw", key, words, text)
			}
		}
	}
}

func TestFormalWords(t *testing.T) {
	for text, want := range map[string]string{
		"Kies de locatie waar u scant.":           "u",
		"U ziet deze code maar één keer.":         "U",
		"Wat u typte, staat er nog.":              "u",
		"Uw aanmelding is binnen":                 "Uw",
		"Vul dit in, a.u.b.":                      "a.u.b",
		"Komt u?":                                 "u",
		"Dat is voor u.":                          "u",
		"Kies je locatie":                         "",
		"Over een uur begint de sessie":           "",
		"De zaal staat in U-vorm":                 "",
		"Welkom, {{.U}}":                          "",
		"Jouw aanmelding; je ziet hem in je mail": "",
		"Schrijf je in via ru.nl":                 "",
	} {
		if got := strings.Join(FormalWords(text), ","); got != want {
			t.Errorf("FormalWords(%q) = %q, want %q", text, got, want)
		}
	}
}

var fieldRE = regexp.MustCompile(`\{\{-?\s*\.([A-Za-z_][A-Za-z0-9_]*)`)

// plausible returns a sample value for a template field.
func plausible(field string) any {
	switch field {
	case "Count", "Max", "Min", "N":
		return 12
	default:
		return "Voorbeeld"
	}
}

func TestEveryMessageRenders(t *testing.T) {
	c := mustLoad(t)
	for _, l := range Supported {
		tr := c.Translator(l)
		for id, m := range readMessages(t, l) {
			fields := map[string]bool{}
			for _, src := range []string{m.Zero, m.One, m.Two, m.Few, m.Many, m.Other} {
				for _, sub := range fieldRE.FindAllStringSubmatch(src, -1) {
					fields[sub[1]] = true
				}
			}
			plural := m.One != "" || m.Zero != "" || m.Two != "" || m.Few != "" || m.Many != ""
			counts := []any{nil}
			if plural || fields["Count"] {
				counts = []any{1, 5}
			}
			for _, count := range counts {
				var args []any
				for f := range fields {
					if f == "Count" {
						continue
					}
					args = append(args, f, plausible(f))
				}
				if count != nil {
					args = append(args, "Count", count)
				}
				got, err := tr.render(id, args...)
				if err != nil {
					t.Errorf("%s: render(%q, %v) error = %v", l, id, args, err)
					continue
				}
				if strings.TrimSpace(got) == "" {
					t.Errorf("%s: render(%q, %v) = empty, want text", l, id, args)
				}
				if strings.Contains(got, "{{") {
					t.Errorf("%s: render(%q, %v) = %q, contains unrendered template", l, id, args, got)
				}
			}
		}
	}
	if m := c.Missing(); len(m) != 0 {
		t.Errorf("Missing() = %v, want none", m)
	}
}

func TestT(t *testing.T) {
	c := mustLoad(t)
	nl, en := c.Translator(Dutch), c.Translator(English)
	tests := []struct {
		tr   *Translator
		key  string
		args []any
		want string
	}{
		{nl, "site.name", nil, "Dagplanner"},
		{nl, "nav.programme", nil, "Programma"},
		{en, "nav.programme", nil, "Programme"},
		{nl, "nav.organisers", nil, "Beheer"},
		{en, "nav.organisers", nil, "Organisers"},
		{nl, "format.other", nil, "anders"},
		{en, "format.presentation", nil, "presentation"},
		{nl, "venue.seats_left", []any{"Count", 1}, "nog 1 plaats vrij"},
		{nl, "venue.seats_left", []any{"Count", 12}, "nog 12 plaatsen vrij"},
		{nl, "venue.seats_left", []any{"Count", 0}, "nog 0 plaatsen vrij"},
		{en, "venue.seats_left", []any{"Count", 1}, "1 seat left"},
		{en, "venue.seats_left", []any{"Count", int64(5)}, "5 seats left"},
		{en, "venue.seats_left", []any{"Count", uint(2)}, "2 seats left"},
		{nl, "form.too_long", []any{"Max", 200}, "Maximaal 200 tekens."},
		{en, "form.required", nil, "Please fill in this field."},
	}
	for _, tt := range tests {
		if got := tt.tr.T(tt.key, tt.args...); got != tt.want {
			t.Errorf("%s: T(%q, %v) = %q, want %q", tt.tr.Lang(), tt.key, tt.args, got, tt.want)
		}
	}
	if m := c.Missing(); len(m) != 0 {
		t.Errorf("Missing() = %v, want none", m)
	}
}

func TestMissingKey(t *testing.T) {
	c := mustLoad(t)
	en := c.Translator(English)
	if got, want := en.T("no.such.key"), "[no.such.key]"; got != want {
		t.Errorf("T(missing) = %q, want %q", got, want)
	}
	if got, want := c.Translator(Dutch).T("other.missing", "Count", 3), "[other.missing]"; got != want {
		t.Errorf("T(missing with args) = %q, want %q", got, want)
	}
	en.T("no.such.key") // recorded once only
	want := []string{"en:no.such.key", "nl:other.missing"}
	if got := c.Missing(); !slices.Equal(got, want) {
		t.Errorf("Missing() = %v, want %v", got, want)
	}
	// A fresh catalogue has its own, empty record.
	if got := mustLoad(t).Missing(); len(got) != 0 {
		t.Errorf("new Catalog Missing() = %v, want empty", got)
	}
}

func TestMissingConcurrent(t *testing.T) {
	c := mustLoad(t)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tr := c.Translator(Supported[i%2])
			for range 50 {
				_ = tr.T("missing.key")
				_ = tr.T("site.name")
				_ = c.Missing()
			}
		}()
	}
	wg.Wait()
	want := []string{"en:missing.key", "nl:missing.key"}
	if got := c.Missing(); !slices.Equal(got, want) {
		t.Errorf("Missing() = %v, want %v", got, want)
	}
}

func TestTranslator(t *testing.T) {
	c := mustLoad(t)
	for _, l := range Supported {
		if got := c.Translator(l).Lang(); got != l {
			t.Errorf("Translator(%s).Lang() = %s, want %s", l, got, l)
		}
	}
	if got := c.Translator("fr").Lang(); got != Dutch {
		t.Errorf("Translator(fr).Lang() = %s, want %s", got, Dutch)
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in     string
		want   Lang
		wantOK bool
	}{
		{"nl", Dutch, true},
		{"en", English, true},
		{"EN", English, true},
		{" nl ", Dutch, true},
		{"nl-BE", Dutch, true},
		{"en_GB", English, true},
		{"de", "", false},
		{"", "", false},
		{"english", "", false},
	}
	for _, tt := range tests {
		got, ok := Parse(tt.in)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("Parse(%q) = (%q, %v), want (%q, %v)", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestNegotiate(t *testing.T) {
	c := mustLoad(t)
	tests := []struct {
		cookie, accept string
		want           Lang
	}{
		{"", "en-GB,en;q=0.9", English},
		{"", "de", Dutch},
		{"", "fr;q=0.9, en;q=0.5", English},
		{"", "nl-NL,nl;q=0.9,en;q=0.8", Dutch},
		{"", "en-US,nl;q=0.5", English},
		{"", "", Dutch},
		{"", "*", Dutch},
		{"", "this is not a header;;;", Dutch},
		{"en", "nl", English},
		{"nl", "en-GB,en;q=0.9", Dutch},
		{"fr", "en", English},
		{"garbage", "", Dutch},
	}
	for _, tt := range tests {
		if got := c.Negotiate(tt.cookie, tt.accept); got != tt.want {
			t.Errorf("Negotiate(%q, %q) = %q, want %q", tt.cookie, tt.accept, got, tt.want)
		}
	}
}

func TestZone(t *testing.T) {
	if got := Zone().String(); got != "Europe/Amsterdam" {
		t.Errorf("Zone() = %q, want %q", got, "Europe/Amsterdam")
	}
}

func TestDates(t *testing.T) {
	c := mustLoad(t)
	nl, en := c.Translator(Dutch), c.Translator(English)
	winter := time.Date(2027, 2, 3, 9, 30, 0, 0, time.UTC)   // CET, UTC+1
	summer := time.Date(2027, 6, 2, 8, 30, 0, 0, time.UTC)   // CEST, UTC+2
	lateUTC := time.Date(2027, 2, 3, 23, 30, 0, 0, time.UTC) // already 4 February in Amsterdam
	tests := []struct {
		name, got, want string
	}{
		{"nl Date winter", nl.Date(winter), "woensdag 3 februari 2027"},
		{"en Date winter", en.Date(winter), "Wednesday 3 February 2027"},
		{"nl DateTime winter", nl.DateTime(winter), "woensdag 3 februari 2027, 10:30"},
		{"en DateTime winter", en.DateTime(winter), "Wednesday 3 February 2027, 10:30"},
		{"nl Time winter", nl.Time(winter), "10:30"},
		{"en Time winter", en.Time(winter), "10:30"},
		{"nl TimeRange winter", nl.TimeRange(winter, winter.Add(time.Hour)), "10:30–11:30"},
		{"en TimeRange winter", en.TimeRange(winter, winter.Add(time.Hour)), "10:30–11:30"},
		{"nl Date summer", nl.Date(summer), "woensdag 2 juni 2027"},
		{"en Date summer", en.Date(summer), "Wednesday 2 June 2027"},
		{"nl DateTime summer", nl.DateTime(summer), "woensdag 2 juni 2027, 10:30"},
		{"en DateTime summer", en.DateTime(summer), "Wednesday 2 June 2027, 10:30"},
		{"nl Time summer", nl.Time(summer), "10:30"},
		{"en TimeRange summer", en.TimeRange(summer, summer.Add(90*time.Minute)), "10:30–12:00"},
		{"nl Date day boundary", nl.Date(lateUTC), "donderdag 4 februari 2027"},
		{"nl ShortDateTime", nl.ShortDateTime(winter), "3 feb 2027 10:30"},
		{"nl ShortDateTime March", nl.ShortDateTime(time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)), "1 mrt 2027 10:00"},
		{"en ShortDateTime summer", en.ShortDateTime(summer), "2 Jun 2027 10:30"},
		{"nl ShortDateTime day boundary", nl.ShortDateTime(lateUTC), "4 feb 2027 00:30"},
		{"nl ShortDate", nl.ShortDate(time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)), "1 mrt"},
		{"en ShortDate day boundary", en.ShortDate(lateUTC), "4 Feb"},
		{"en Time afternoon", en.Time(time.Date(2027, 2, 3, 14, 5, 0, 0, time.UTC)), "15:05"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
	if got := nl.TimeRange(winter, winter.Add(time.Hour)); !strings.Contains(got, "\u2013") {
		t.Errorf("TimeRange = %q, want an en dash (U+2013)", got)
	}
}

func TestDutchNameTables(t *testing.T) {
	c := mustLoad(t)
	nl := c.Translator(Dutch)
	days := []string{"maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"}
	start := time.Date(2027, 2, 1, 12, 0, 0, 0, time.UTC) // a Monday
	for i, want := range days {
		got := nl.Date(start.AddDate(0, 0, i))
		if !strings.HasPrefix(got, want+" ") {
			t.Errorf("Date(%s) = %q, want prefix %q", start.AddDate(0, 0, i).Format(time.DateOnly), got, want)
		}
	}
	months := []string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"}
	for i, want := range months {
		d := time.Date(2027, time.Month(i+1), 15, 12, 0, 0, 0, time.UTC)
		if got := nl.Date(d); !strings.Contains(got, " 15 "+want+" 2027") {
			t.Errorf("Date(%s) = %q, want month %q", d.Format(time.DateOnly), got, want)
		}
	}
}
