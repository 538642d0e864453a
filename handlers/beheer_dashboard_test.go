package handlers

import (
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// chartOnPage is one chart of a rendered dashboard: its SVG's marks and its table's cells,
// each parsed as XML.
type chartOnPage struct {
	ID    string
	Marks []map[string]string       // the SVG's elements with a data-value, by attribute
	Cells map[string]map[string]int // the table's numbers by row key and column key
	Links map[string]string         // each row's first link, by row key
	Extra map[string]bool           // the table's columns that are not drawn, by key
}

var (
	chartSectionRE = regexp.MustCompile(`(?s)<section class="chart-figure" aria-labelledby="([^"]+)-kop">(.*?)</section>`)
	svgRE          = regexp.MustCompile(`(?s)<svg .*?</svg>`)
	tableRE        = regexp.MustCompile(`(?s)<table .*?</table>`)
)

// chartsOnPage finds the charts of a dashboard page and parses each: the SVG and the table
// must both be well-formed XML.
func chartsOnPage(t *testing.T, page string) map[string]chartOnPage {
	t.Helper()
	out := map[string]chartOnPage{}
	for _, m := range chartSectionRE.FindAllStringSubmatch(page, -1) {
		c := chartOnPage{ID: m[1], Cells: map[string]map[string]int{}, Links: map[string]string{}, Extra: map[string]bool{}}
		if svg := svgRE.FindString(m[2]); svg != "" {
			c.Marks = svgMarks(t, c.ID, svg)
			table := tableRE.FindString(m[2])
			if table == "" {
				t.Errorf("chart %s has no table", c.ID)
			}
			parseChartTable(t, c, table)
		}
		out[c.ID] = c
	}
	return out
}

// svgMarks parses an SVG strictly and returns the attributes of its data marks.
func svgMarks(t *testing.T, id, svg string) []map[string]string {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	d.Strict = true
	var marks []map[string]string
	first := true
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("chart %s: the SVG is not well-formed XML: %v", id, err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			attrs := map[string]string{}
			for _, a := range se.Attr {
				attrs[a.Name.Local] = a.Value
			}
			if first && (se.Name.Local != "svg" || attrs["role"] != "img" || !strings.Contains(attrs["aria-labelledby"], id+"-title")) {
				t.Errorf("chart %s: root %s %v, want <svg role=img> labelled by its title", id, se.Name.Local, attrs)
			}
			first = false
			if _, ok := attrs["data-value"]; ok {
				marks = append(marks, attrs)
			}
		}
	}
	return marks
}

// parseChartTable reads a chart's table (as XML) into c's cells: each row's numbers by the
// column keys of the header.
func parseChartTable(t *testing.T, c chartOnPage, table string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(table))
	d.Strict = true
	var cols []string
	var row, text, link string
	col, inCell := 0, false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("chart %s: the table is not well-formed XML: %v", c.ID, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			attr := func(name string) string {
				for _, a := range tok.Attr {
					if a.Name.Local == name {
						return a.Value
					}
				}
				return ""
			}
			switch tok.Name.Local {
			case "tr":
				row, col = attr("data-row"), 0
			case "th", "td":
				if row == "" {
					cols = append(cols, attr("data-col"))
					c.Extra[attr("data-col")] = attr("data-extra") != ""
				}
				inCell, text = true, ""
			case "a":
				if col == 0 && row != "" {
					link = attr("href")
					c.Links[row] = link
				}
			}
		case xml.CharData:
			if inCell {
				text += string(tok)
			}
		case xml.EndElement:
			if tok.Name.Local != "th" && tok.Name.Local != "td" || row == "" {
				inCell = false
				continue
			}
			if col > 0 && col < len(cols) {
				digits := strings.NewReplacer(".", "", ",", "", "%", "").Replace(strings.TrimSpace(text))
				if n, err := strconv.Atoi(digits); err == nil {
					if c.Cells[row] == nil {
						c.Cells[row] = map[string]int{}
					}
					c.Cells[row][cols[col]] = n
				}
			}
			col++
			inCell = false
		}
	}
}

// TestDashboardChartsMatchTables renders the dashboard of the demo (with a few people checked
// in) in both languages: every chart's SVG and table parse as XML, every mark's number is its
// table cell's, and every number in a table has its mark.
func TestDashboardChartsMatchTables(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ctx := modelstest.Ctx()
	var regs []models.Registration
	modelstest.Find(t, ts.Store, &regs, modelstest.Where("status = ?", models.RegistrationActive).OrderBy("id").Limit(12))
	at := time.Date(2027, 2, 3, 8, 55, 0, 0, time.UTC)
	for i, r := range regs {
		scanned := at.Add(time.Duration(i*4) * time.Minute)
		door := []string{"Hoofdingang", "Zij-ingang"}[i%2]
		if _, err := ts.Store.CheckIn(ctx, models.CheckInInput{VenueID: r.VenueID, RegistrationID: r.ID, Door: door, ScannedAt: &scanned}); err != nil {
			t.Fatal(err)
		}
	}
	ts.loginAs(t, models.RoleAdmin, "")
	for _, lang := range []string{"nl", "en"} {
		t.Run(lang, func(t *testing.T) {
			resp, page := ts.get(t, "/beheer", "Accept-Language", lang)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET /beheer = %d", resp.StatusCode)
			}
			found := chartsOnPage(t, page)
			for _, id := range []string{"grafiek-aanmeldingen", "grafiek-bezetting-zwolle", "grafiek-bezetting-rotterdam", "grafiek-wachtlijsten",
				"grafiek-leegste", "grafiek-organisaties", "grafiek-aankomst"} {
				c, ok := found[id]
				if !ok || len(c.Marks) == 0 {
					t.Errorf("chart %s missing or empty (found %d charts)", id, len(found))
					continue
				}
				seen := map[string]bool{}
				for _, m := range c.Marks {
					want, ok := c.Cells[m["data-row"]][m["data-col"]]
					if got, _ := strconv.Atoi(m["data-value"]); !ok || got != want {
						t.Errorf("%s: mark %s/%s = %s, table %d (%v)", id, m["data-row"], m["data-col"], m["data-value"], want, ok)
					}
					seen[m["data-row"]+"/"+m["data-col"]] = true
				}
				for row, cells := range c.Cells {
					for col, n := range cells {
						if n != 0 && !c.Extra[col] && !seen[row+"/"+col] {
							t.Errorf("%s: table %s/%s = %d has no mark", id, row, col, n)
						}
					}
				}
			}
			arrivals := 0
			for _, m := range found["grafiek-aankomst"].Marks {
				n, _ := strconv.Atoi(m["data-value"])
				arrivals += n
			}
			if arrivals != len(regs) {
				t.Errorf("the arrivals chart counts %d, want %d", arrivals, len(regs))
			}
			for _, want := range map[string][]string{"nl": {nlMsg(t, "dashboard.chart.registrations"), nlMsg(t, "dashboard.chart.as_table"), nlMsg(t, "dashboard.chart.longest_waiting")},
				"en": {"Registrations over time", "Show as a table", "Longest waiting lists"}}[lang] {
				if !strings.Contains(page, want) {
					t.Errorf("the %s dashboard lacks %q", lang, want)
				}
			}
		})
	}
}

var (
	tileRE        = regexp.MustCompile(`<a class="figure__main utrecht-link" href="(/beheer/deelnemers[^"]*)"><span class="figure__value">([^<]+)</span>`)
	peopleCountRE = regexp.MustCompile(`id="lijst">([\d.]+) `)
)

// TestDashboardFiguresLinkToTheirPeople follows every figure at a glance to the people list
// and finds there as many people as the figure says, for an organiser of all venues and for
// one of Rotterdam only, whose dashboard shows nothing of Zwolle.
func TestDashboardFiguresLinkToTheirPeople(t *testing.T) {
	t.Parallel()
	for _, venue := range []string{"", "rotterdam"} {
		t.Run("venue="+venue, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t)
			ts.loginAs(t, models.RoleOrganiser, venue)
			resp, page := ts.get(t, "/beheer")
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET /beheer = %d", resp.StatusCode)
			}
			tiles := tileRE.FindAllStringSubmatch(page, -1)
			if len(tiles) < 5 {
				t.Fatalf("%d linked figures, want at least 5", len(tiles))
			}
			for _, tile := range tiles {
				link := strings.ReplaceAll(tile[1], "&amp;", "&")
				_, list := ts.get(t, link)
				m := peopleCountRE.FindStringSubmatch(list)
				if m == nil || strings.ReplaceAll(m[1], ".", "") != strings.ReplaceAll(tile[2], ".", "") {
					t.Errorf("figure %s links to %s, which lists %v people", tile[2], link, m)
				}
				if venue != "" && !strings.Contains(link, "locatie="+venue) {
					t.Errorf("a Rotterdam organiser's figure links to %s", link)
				}
			}
			charts := chartsOnPage(t, page)
			_, zwolle := charts["grafiek-bezetting-zwolle"]
			if venue == "rotterdam" && (zwolle || strings.Contains(page, "locatie=zwolle") || strings.Contains(page, "/beheer/locaties/"+zwolleID(t, ts)+`"`)) {
				t.Error("the Rotterdam organiser's dashboard shows Zwolle")
			}
			if venue == "" && !zwolle {
				t.Error("the organiser of all venues does not see Zwolle's fill")
			}
			// The organisation types link to the list filtered on them.
			for row, link := range charts["grafiek-organisaties"].Links {
				u, err := url.Parse(strings.ReplaceAll(link, "&amp;", "&"))
				if err != nil || u.Query().Get("organisatietype") == "" {
					t.Errorf("organisation type %s links to %q", row, link)
				}
			}
		})
	}
}

func zwolleID(t *testing.T, ts *testServer) string {
	t.Helper()
	v, err := ts.Store.VenueBySlug(modelstest.Ctx(), "zwolle")
	if err != nil {
		t.Fatal(err)
	}
	return strconv.Itoa(int(v.ID))
}

// TestDashboardRoles: only organisers and admins see the dashboard.
func TestDashboardRoles(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	if resp, _ := ts.get(t, "/beheer"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("signed out: GET /beheer = %d, want a redirect to the log-in", resp.StatusCode)
	}
	ts.loginAs(t, models.RoleReviewer, "")
	if resp, page := ts.get(t, "/beheer"); resp.StatusCode == http.StatusOK && strings.Contains(page, "chart-figure") {
		t.Error("a reviewer sees the dashboard's figures")
	}
}

// TestPeopleOrgTypeFilter: a bad organisation type is an error on the list, keeping what was
// typed, never a 500; a good one narrows the list.
func TestPeopleOrgTypeFilter(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.loginAs(t, models.RoleOrganiser, "")
	resp, page := ts.get(t, "/beheer/deelnemers?organisatietype=ministerie")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `id="veld-organisatietype-error"`) {
		t.Errorf("a bad organisation type: %d, want the list with an error at the field", resp.StatusCode)
	}
	_, all := ts.get(t, "/beheer/deelnemers")
	_, rijk := ts.get(t, "/beheer/deelnemers?organisatietype=rijk")
	n := func(page string) int {
		m := peopleCountRE.FindStringSubmatch(page)
		if m == nil {
			t.Fatal("no count on the list")
		}
		v, _ := strconv.Atoi(strings.ReplaceAll(m[1], ".", ""))
		return v
	}
	if n(rijk) == 0 || n(rijk) >= n(all) || !strings.Contains(rijk, `<option value="rijk" selected>`) {
		t.Errorf("organisatietype=rijk lists %d of %d, want some but not all, with rijk chosen", n(rijk), n(all))
	}
}

// TestDashboardNoShowRateAfterTheDay: before the programme ends the dashboard counts who is
// not in yet; once it is over, the share of registered people who did not come.
func TestDashboardNoShowRateAfterTheDay(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ctx := modelstest.Ctx()
	zwolle, err := ts.Store.VenueBySlug(ctx, "zwolle")
	if err != nil {
		t.Fatal(err)
	}
	var regs []models.Registration
	modelstest.Find(t, ts.Store, &regs, modelstest.Where("venue_id = ? AND status = ?", zwolle.ID, models.RegistrationActive).OrderBy("id"))
	came := len(regs) / 4
	for _, r := range regs[:came] {
		at := time.Date(2027, 2, 3, 9, 0, 0, 0, time.UTC)
		if _, err := ts.Store.CheckIn(ctx, models.CheckInInput{VenueID: zwolle.ID, RegistrationID: r.ID, Door: "Hoofdingang", ScannedAt: &at}); err != nil {
			t.Fatal(err)
		}
	}
	ts.loginAs(t, models.RoleOrganiser, "zwolle")
	_, before := ts.get(t, "/beheer")
	if strings.Contains(before, nlMsg(t, "dashboard.no_show_rate")+"</span>") || !strings.Contains(before, nlMsg(t, "dashboard.not_in_yet")) {
		t.Error("before the day the dashboard should count who is not in yet, not a no-show rate")
	}
	ts.Store.SetClock(func() time.Time { return time.Date(2027, 2, 4, 9, 0, 0, 0, time.UTC) })
	ts.loginAs(t, models.RoleOrganiser, "zwolle") // months later by the store's clock: the sign-in went idle
	_, after := ts.get(t, "/beheer")
	want := percent(len(regs)-came, len(regs))
	tile := regexp.MustCompile(`href="/beheer/deelnemers\?locatie=zwolle&amp;status=niet-binnen"><span class="figure__value">(\d+)%</span> <span class="figure__label">` +
		regexp.QuoteMeta(nlMsg(t, "dashboard.no_show_rate")) + `</span>`).FindStringSubmatch(after)
	if tile == nil || tile[1] != strconv.Itoa(want) {
		t.Errorf("after the day: no-show tile %v, want %d%% (%d of %d did not come) linked to those not in", tile, want, len(regs)-came, len(regs))
	}
}

// TestDashboardMailFiguresLinkToTheirPeople: the e-mail figures lead to the people whose
// e-mails are waiting or failed, per venue and in all.
func TestDashboardMailFiguresLinkToTheirPeople(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ctx := modelstest.Ctx()
	// The demo's own e-mails were discarded; these two people's confirmations wait.
	for _, name := range []string{"Wachtende Wim", "Mislukte Mia"} {
		_, err := ts.Store.Register(ctx, models.RegistrationInput{Name: name, Email: strings.ReplaceAll(strings.ToLower(name), " ", ".") + "@example.nl",
			Organisation: "Gemeente Rotterdam", Venue: "rotterdam", Consent: true, Lang: "nl"})
		if err != nil {
			t.Fatal(err)
		}
	}
	msgs, err := ts.Store.ClaimOutbox(ctx, 100, time.Minute)
	if err != nil || len(msgs) != 2 {
		t.Fatalf("claimed %d e-mails (%v), want the two confirmations", len(msgs), err)
	}
	for _, m := range msgs {
		if strings.HasPrefix(m.Recipient, "mislukte") {
			err = ts.Store.MarkFailed(ctx, m, errors.New("452 mailbox full"))
		} else {
			err = ts.Store.ReleaseOutbox(ctx, m.LockedBy, []uint{m.ID})
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	ts.loginAs(t, models.RoleOrganiser, "")
	_, page := ts.get(t, "/beheer")
	links := map[string]string{}
	for _, m := range regexp.MustCompile(`href="(/beheer/deelnemers\?[^"]*email=[^"]*)"`).FindAllStringSubmatch(page, -1) {
		link := strings.ReplaceAll(m[1], "&amp;", "&")
		links[link] = link
	}
	want := map[string][]string{
		"/beheer/deelnemers?email=wachtend":                    {"Wachtende Wim", "Mislukte Mia"},
		"/beheer/deelnemers?email=mislukt":                     {"Mislukte Mia"},
		"/beheer/deelnemers?email=wachtend&locatie=rotterdam":  {"Wachtende Wim", "Mislukte Mia"},
		"/beheer/deelnemers?email=mislukt&locatie=rotterdam":   {"Mislukte Mia"},
		"/beheer/deelnemers?email=wachtend&locatie=zwolle":     nil,
		"/beheer/deelnemers?email=wachtend&groep=sprekers":     nil,
		"/beheer/deelnemers?email=wachtend&groep=medesprekers": nil,
	}
	for link, names := range want {
		if links[link] == "" {
			t.Errorf("the dashboard has no link to %s; it links to %v", link, links)
			continue
		}
		_, list := ts.get(t, link)
		m := peopleCountRE.FindStringSubmatch(list)
		if m == nil || m[1] != strconv.Itoa(len(names)) {
			t.Errorf("%s lists %v people, want %d", link, m, len(names))
		}
		for _, name := range names {
			if !strings.Contains(list, name) {
				t.Errorf("%s does not list %s", link, name)
			}
		}
	}
	if !strings.Contains(page, nlMsg(t, "dashboard.mail_to_attendees", "Count", 2)) {
		t.Error("the e-mail section does not say the two waiting e-mails go to attendees")
	}
	// A bad state is an error next to the field, never a 500.
	if resp, list := ts.get(t, "/beheer/deelnemers?email=teruggekaatst"); resp.StatusCode >= 500 || !strings.Contains(list, "veld-email-error") {
		t.Errorf("a bad e-mail state: %d, no error next to the field", resp.StatusCode)
	}
}
