package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// Texts the review pages show in Dutch.
var (
	rvMsgOrganisersOnly = nlMsgVar("error.organisers_only.title")
	rvMsgHidden         = nlMsgVar("review.hidden_rule")
	rvMsgSaved          = nlMsgVar("review.saved")
	rvMsgWithdrawn      = nlMsgVar("error.proposal_withdrawn.title")
	rvMsgAnswered       = nlMsgVar("error.proposal_answered.title")
)

// isReviewRoute reports whether a /beheer path belongs to the review, which reviewers may
// use too; rvRoutes covers those, bhOrganiserRoutes the rest.
func isReviewRoute(path string) bool {
	return strings.HasPrefix(path, "/beheer/voorstellen") || strings.HasPrefix(path, "/beheer/themas")
}

// rvDemo is the demo with a track and a few proposals picked out.
type rvDemo struct {
	event                  models.Event
	open, other, withdrawn models.Proposal
	track                  models.Track
}

func rvLoadDemo(t *testing.T, ts *testServer) rvDemo {
	t.Helper()
	ctx := modelstest.Ctx()
	var d rvDemo
	var err error
	if d.event, err = ts.Store.CurrentEvent(ctx); err != nil {
		t.Fatal(err)
	}
	props, err := ts.Store.ProposalsOfEvent(ctx, d.event.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range props {
		switch {
		case p.Status == models.ProposalWithdrawn && d.withdrawn.ID == 0:
			d.withdrawn = p
		case p.Status == models.ProposalSubmitted && p.Track == "" && d.open.ID == 0:
			d.open = p
		case p.Status == models.ProposalSubmitted && p.Track == "" && d.other.ID == 0:
			d.other = p
		}
	}
	if d.withdrawn.ID == 0 || d.other.ID == 0 {
		t.Fatal("the demo lacks a withdrawn proposal or two submitted ones")
	}
	if d.track, err = ts.Store.CreateTrack(ctx, d.event.ID, models.TrackInput{Name: "Digitale overheid"}); err != nil {
		t.Fatal(err)
	}
	return d
}

// rvRoutes lists every review route with real ids; decider says only organisers of the whole
// event may use it.
func rvRoutes(d rvDemo) []struct {
	bhRoute
	decider bool
} {
	id, tr := bhID(d.open.ID), bhID(d.track.ID)
	routes := []struct {
		bhRoute
		decider bool
	}{
		{bhRoute{method: "GET", pattern: "/beheer/voorstellen"}, false},
		{bhRoute{method: "GET", pattern: "/beheer/voorstellen/:proposal"}, false},
		{bhRoute{method: "GET", pattern: "/beheer/voorstellen/:proposal/foto"}, false},
		{bhRoute{method: "POST", pattern: "/beheer/voorstellen/:proposal/beoordeling", form: url.Values{"score": {"4"}, "comment": {"Goed"}}}, false},
		{bhRoute{method: "POST", pattern: "/beheer/voorstellen/:proposal/besluit", form: url.Values{"status": {"accepted"}}}, true},
		{bhRoute{method: "POST", pattern: "/beheer/voorstellen/:proposal/thema", form: url.Values{"track": {d.track.Name}}}, true},
		{bhRoute{method: "GET", pattern: "/beheer/themas"}, true},
		{bhRoute{method: "POST", pattern: "/beheer/themas", form: url.Values{"name": {"Gekaapt thema"}}}, true},
		{bhRoute{method: "POST", pattern: "/beheer/themas/:track", form: url.Values{"name": {"Gekaapt thema 2"}}}, true},
		{bhRoute{method: "POST", pattern: "/beheer/themas/:track/verwijderen", form: url.Values{}}, true},
	}
	for i := range routes {
		routes[i].path = strings.NewReplacer(":proposal", id, ":track", tr).Replace(routes[i].pattern)
	}
	return routes
}

// rvSnapshot dumps what the review pages can change.
func rvSnapshot(t *testing.T, ts *testServer) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []struct{ table, columns string }{
		{"reviews", "proposal_id, user_id, score, comment"},
		{"tracks", "id, event_id, name"},
		{"proposals", "id, status, track, decided_at, decided_by"},
	} {
		fmt.Fprintf(&b, "%v\n", modelstest.Rows(t, ts.Store, q.table, q.columns, modelstest.All.OrderBy("id")))
	}
	return b.String()
}

func TestReviewRouteTableIsComplete(t *testing.T) {
	t.Parallel()
	tested := map[string]bool{}
	for _, r := range rvRoutes(rvDemo{}) {
		tested[r.method+" "+r.pattern] = true
	}
	for _, r := range ginRoutes() {
		if key := r.Method + " " + r.Path; isReviewRoute(r.Path) && !tested[key] {
			t.Errorf("route %s is registered but missing from rvRoutes", key)
		}
	}
}

func TestReviewRoutesRoles(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	d := rvLoadDemo(t, ts)
	routes := rvRoutes(d)

	t.Run("anonymous", func(t *testing.T) {
		before := rvSnapshot(t, ts)
		for _, r := range routes {
			resp, body := bhRequest(t, ts.withNewClient(t), r.bhRoute)
			bhExpectRedirect(t, resp, body, "/beheer/inloggen?terug="+r.path)
		}
		if rvSnapshot(t, ts) != before {
			t.Error("anonymous requests changed the data")
		}
	})
	for _, role := range []struct {
		name, role, venue string
		mayDecide         bool
	}{
		{"door", models.RoleDoor, "zwolle", false},
		{"reviewer", models.RoleReviewer, "", false},
		{"venue organiser", models.RoleOrganiser, "zwolle", false},
	} {
		t.Run(role.name, func(t *testing.T) {
			c := ts.withNewClient(t)
			c.loginAs(t, role.role, role.venue)
			before := rvSnapshot(t, ts)
			for _, r := range routes {
				if !r.decider && role.role != models.RoleDoor {
					continue
				}
				resp, body := bhRequest(t, c, r.bhRoute)
				if resp.StatusCode != http.StatusForbidden {
					t.Errorf("%s: status %d, want 403", r, resp.StatusCode)
					continue
				}
				want := bhMsgForbidden
				if role.role != models.RoleDoor {
					want = rvMsgOrganisersOnly // says what they can do instead
				}
				if !strings.Contains(body, want) {
					t.Errorf("%s: the 403 page lacks %q", r, want)
				}
			}
			if got := rvSnapshot(t, ts); got != before {
				t.Errorf("refused requests changed the data:\nbefore %s\nafter  %s", before, got)
			}
		})
	}

	t.Run("reviewer elsewhere in beheer", func(t *testing.T) {
		c := ts.withNewClient(t)
		c.loginAs(t, models.RoleReviewer, "")
		for _, p := range []string{"/beheer", "/beheer/sessies", "/beheer/evenement"} {
			if resp, _ := c.get(t, p); resp.StatusCode != http.StatusForbidden {
				t.Errorf("reviewer GET %s: status %d, want 403", p, resp.StatusCode)
			}
		}
		_, body := c.get(t, "/beheer/voorstellen")
		if !strings.Contains(body, `href="/beheer/voorstellen" aria-current="page"`) || strings.Contains(body, `href="/beheer"`) {
			t.Error("the reviewer's navigation should lead to the proposals and nowhere they may not go")
		}
		if strings.Contains(body, `href="/beheer/themas"`) {
			t.Error("the reviewer's list links to the tracks page, which they may not use")
		}
	})

	t.Run("organiser", func(t *testing.T) {
		c := ts.withNewClient(t)
		c.loginAs(t, models.RoleOrganiser, "")
		for _, r := range routes {
			resp, body := bhRequest(t, c, r.bhRoute)
			want := []int{http.StatusOK, http.StatusSeeOther}
			if strings.HasSuffix(r.pattern, "/foto") {
				want = []int{http.StatusNotFound} // demo proposals have no photo
			}
			if !slices.Contains(want, resp.StatusCode) {
				t.Errorf("%s: status %d, want one of %v; body:\n%s", r, resp.StatusCode, want, body)
			}
		}
	})
}

func TestReviewWithHiddenScores(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	d := rvLoadDemo(t, ts)
	detail := "/beheer/voorstellen/" + bhID(d.open.ID)
	first, second, organiser := ts.withNewClient(t), ts.withNewClient(t), ts.withNewClient(t)
	firstUser := first.loginAs(t, models.RoleReviewer, "")
	second.loginAs(t, models.RoleReviewer, "")
	organiser.loginAs(t, models.RoleOrganiser, "")

	resp, body := first.postForm(t, detail+"/beoordeling", url.Values{"score": {"5"}, "comment": {"Sterk <em>voorstel</em>"}})
	bhExpectRedirect(t, resp, body, detail)
	if _, body := first.get(t, detail); !strings.Contains(body, rvMsgSaved) || !strings.Contains(body, "Sterk &lt;em&gt;voorstel&lt;/em&gt;") {
		t.Errorf("after saving, the first reviewer's page lacks the flash or the escaped comment")
	}

	// The second reviewer sees only that there is a review.
	_, body = second.get(t, detail)
	if strings.Contains(body, "Sterk") || !strings.Contains(body, nlMsg(t, "review.hidden_count", "Count", 1)) || !strings.Contains(body, rvMsgHidden) {
		t.Errorf("before reviewing, the second reviewer sees the first's comment or misses the count:\n%s", body)
	}
	if strings.Contains(body, firstUser.Email) {
		t.Error("a reviewer sees another reviewer's e-mail address")
	}
	if strings.Contains(body, d.open.SpeakerEmail) {
		t.Error("a reviewer sees the speaker's e-mail address")
	}
	row := rvRow(t, second, "/beheer/voorstellen", d.open.Title)
	if !strings.Contains(row, "—") || strings.Contains(row, ">5,0<") {
		t.Errorf("the second reviewer's list row shows the mean before reviewing: %s", row)
	}
	// Sorting by mean does not give the hidden 5 away: it sorts after the second reviewer's
	// own 1 elsewhere, with the unreviewed.
	resp, body = second.postForm(t, "/beheer/voorstellen/"+bhID(d.other.ID)+"/beoordeling", url.Values{"score": {"1"}, "comment": {""}})
	bhExpectRedirect(t, resp, body, "/beheer/voorstellen/"+bhID(d.other.ID))
	_, body = second.get(t, "/beheer/voorstellen?sorteer=gemiddelde&richting=af")
	if titles := rvTitles(body); len(titles) == 0 || titles[0] != d.other.Title {
		t.Errorf("sorted by mean, highest first: %q, want %q (the only mean this reviewer may see) first", titles, d.other.Title)
	}

	resp, body = second.postForm(t, detail+"/beoordeling", url.Values{"score": {"2"}, "comment": {""}})
	bhExpectRedirect(t, resp, body, detail)
	_, body = second.get(t, detail)
	for _, want := range []string{"Sterk &lt;em&gt;voorstel&lt;/em&gt;", "3,5", "2–5", nlMsg(t, "review.reviewer_n", "N", 1) + ": 5"} {
		if !strings.Contains(body, want) {
			t.Errorf("after reviewing, the second reviewer's page lacks %q", want)
		}
	}
	if row := rvRow(t, second, "/beheer/voorstellen", d.open.Title); !strings.Contains(row, "3,5") || !strings.Contains(row, "2–5") {
		t.Errorf("after reviewing, the list row lacks the mean and spread: %s", row)
	}

	// The organiser sees everything without reviewing, with the reviewers' and speaker's addresses.
	_, body = organiser.get(t, detail)
	for _, want := range []string{"Sterk &lt;em&gt;voorstel&lt;/em&gt;", "3,5", firstUser.Email, d.open.SpeakerEmail} {
		if !strings.Contains(body, want) {
			t.Errorf("the organiser's page lacks %q", want)
		}
	}

	// A reviewer changes their own review; it stays one review.
	resp, body = first.postForm(t, detail+"/beoordeling", url.Values{"score": {"3"}, "comment": {"Bij nader inzien"}})
	bhExpectRedirect(t, resp, body, detail)
	if n := bhCountWhere(t, ts, "reviews", "proposal_id = ?", d.open.ID); n != 2 {
		t.Errorf("reviews of the proposal: %d, want 2", n)
	}
	if _, body := organiser.get(t, detail); !strings.Contains(body, "2,5") {
		t.Error("after the change the mean is not 2,5")
	}
}

// rvRow returns the table row of the list that holds title.
func rvRow(t *testing.T, c *testServer, path, title string) string {
	t.Helper()
	_, body := c.get(t, path)
	for _, row := range strings.Split(body, "<tr") {
		if strings.Contains(row, ">"+title+"</a>") {
			return row
		}
	}
	t.Fatalf("no row for %q in %s", title, path)
	return ""
}

var rvTitleRE = regexp.MustCompile(`<a class="utrecht-link" href="/beheer/voorstellen/\d+">([^<]*)</a>`)

// rvTitles lists the titles in the list, in order, as the HTML has them.
func rvTitles(body string) []string {
	var out []string
	for _, m := range rvTitleRE.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestReviewFormRefusesBadInput(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	d := rvLoadDemo(t, ts)
	c := ts.withNewClient(t)
	c.loginAs(t, models.RoleReviewer, "")
	detail := "/beheer/voorstellen/" + bhID(d.open.ID)
	before := rvSnapshot(t, ts)
	for _, tc := range []struct {
		name string
		form url.Values
		want string
	}{
		{"no score", url.Values{"comment": {"Iets"}}, nlMsg(t, "review.score_required")},
		{"zero", url.Values{"score": {"0"}}, nlMsg(t, "review.score_required")},
		{"six", url.Values{"score": {"6"}}, nlMsg(t, "review.score_required")},
		{"not a number", url.Values{"score": {"vijf"}}, nlMsg(t, "review.score_required")},
		{"comment too long", url.Values{"score": {"3"}, "comment": {strings.Repeat("<b>x</b>", 251)}}, nlMsg(t, "form.too_long", "Max", 2000)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := c.postForm(t, detail+"/beoordeling", tc.form)
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", resp.StatusCode)
			}
			if !strings.Contains(body, tc.want) || !strings.Contains(body, "error-summary") {
				t.Errorf("the page lacks the error summary with %q", tc.want)
			}
			if c := tc.form.Get("comment"); c != "" && !strings.Contains(body, strings.ReplaceAll(strings.ReplaceAll(c, "<", "&lt;"), ">", "&gt;")) {
				t.Error("the typed comment is not kept, escaped, in the form")
			}
		})
	}
	if got := rvSnapshot(t, ts); got != before {
		t.Errorf("refused reviews changed the data:\nbefore %s\nafter  %s", before, got)
	}
	// A withdrawn proposal is shown, but not reviewed.
	if resp, body := c.get(t, "/beheer/voorstellen/"+bhID(d.withdrawn.ID)); resp.StatusCode != http.StatusOK || strings.Contains(body, "/beoordeling") {
		t.Errorf("withdrawn proposal: status %d, or it offers the review form", resp.StatusCode)
	}
	resp, body := c.postForm(t, "/beheer/voorstellen/"+bhID(d.withdrawn.ID)+"/beoordeling", url.Values{"score": {"3"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, rvMsgWithdrawn) {
		t.Errorf("review of a withdrawn proposal: status %d, want 409 with %q", resp.StatusCode, rvMsgWithdrawn)
	}
	for _, p := range []string{"/beheer/voorstellen/999999", "/beheer/voorstellen/abc", "/beheer/voorstellen/999999/foto"} {
		if resp, _ := c.get(t, p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", p, resp.StatusCode)
		}
	}
	if got := rvSnapshot(t, ts); got != before {
		t.Error("the withdrawn proposal's review changed the data")
	}
}

func TestReviewPagesEscapeMarkup(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	d := rvLoadDemo(t, ts)
	ctx := modelstest.Ctx()
	const evil = `<script>alert("x")</script>`
	modelstest.Update(t, ts.Store, &models.Proposal{}, modelstest.Where("id = ?", d.open.ID),
		map[string]any{"title": "Titel " + evil, "speaker_bio": evil, "summary": evil})
	track, err := ts.Store.CreateTrack(ctx, d.event.ID, models.TrackInput{Name: "Thema " + evil})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.Store.SetProposalTrack(ctx, d.open.ID, track.Name); err != nil {
		t.Fatal(err)
	}
	c := ts.withNewClient(t)
	u := c.loginAs(t, models.RoleOrganiser, "")
	if _, err := ts.Store.SaveReview(ctx, d.open.ID, u.ID, models.ReviewInput{Score: 4, Comment: evil}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/beheer/voorstellen", "/beheer/voorstellen/" + bhID(d.open.ID), "/beheer/themas"} {
		_, body := c.get(t, p)
		if strings.Contains(body, "<script>alert") {
			t.Errorf("%s shows the script unescaped", p)
		}
		if !strings.Contains(body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") {
			t.Errorf("%s does not show the text escaped", p)
		}
	}
}

func TestReviewListSortsAndFilters(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	d := rvLoadDemo(t, ts)
	ctx := modelstest.Ctx()
	c := ts.withNewClient(t)
	u := c.loginAs(t, models.RoleOrganiser, "")
	if _, err := ts.Store.SaveReview(ctx, d.open.ID, u.ID, models.ReviewInput{Score: 2}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.Store.SaveReview(ctx, d.other.ID, u.ID, models.ReviewInput{Score: 5}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.Store.SetProposalTrack(ctx, d.other.ID, d.track.Name); err != nil {
		t.Fatal(err)
	}

	_, all := c.get(t, "/beheer/voorstellen")
	titles := rvTitles(all)
	if slices.Contains(titles, d.withdrawn.Title) || !slices.Contains(titles, d.open.Title) {
		t.Errorf("unfiltered list: withdrawn shown or open missing: %q", titles)
	}
	_, body := c.get(t, "/beheer/voorstellen?sorteer=gemiddelde&richting=af")
	if got := rvTitles(body); len(got) < 2 || got[0] != d.other.Title || got[1] != d.open.Title {
		t.Errorf("sorted by mean, highest first: %q, want %q then %q", got, d.other.Title, d.open.Title)
	}
	if !strings.Contains(body, `aria-sort="descending"><a class="utrecht-link" href="/beheer/voorstellen?richting=op&amp;sorteer=gemiddelde">`) {
		t.Error("the sorted column lacks aria-sort=descending and a link that turns the order round")
	}
	_, body = c.get(t, "/beheer/voorstellen?sorteer=titel")
	if got := rvTitles(body); !slices.IsSortedFunc(got, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) }) {
		t.Errorf("sorted by title: %q", got)
	}
	_, body = c.get(t, "/beheer/voorstellen?status=withdrawn")
	if got := rvTitles(body); len(got) != 2 || !slices.Contains(got, d.withdrawn.Title) {
		t.Errorf("filtered for withdrawn: %q, want the two withdrawn demo proposals", got)
	}
	_, body = c.get(t, "/beheer/voorstellen?vorm=workshop&sorteer=stemmen")
	for _, title := range rvTitles(body) {
		if !strings.Contains(rvRow(t, c, "/beheer/voorstellen?vorm=workshop", title), ">workshop<") {
			t.Errorf("filtered for workshops, %q is not one", title)
		}
	}
	if !strings.Contains(body, `href="/beheer/voorstellen?richting=op&amp;sorteer=titel&amp;vorm=workshop"`) {
		t.Error("the column links do not keep the filter")
	}
	if !strings.Contains(body, `<input type="hidden" name="sorteer" value="stemmen">`) {
		t.Error("the filter form does not keep the sort")
	}
	_, body = c.get(t, "/beheer/voorstellen?thema="+bhID(d.track.ID))
	if got := rvTitles(body); !slices.Equal(got, []string{d.other.Title}) {
		t.Errorf("filtered for the track: %q, want only %q", got, d.other.Title)
	}
	_, body = c.get(t, "/beheer/voorstellen?thema=geen")
	if got := rvTitles(body); slices.Contains(got, d.other.Title) || !slices.Contains(got, d.open.Title) {
		t.Errorf("filtered for no track: %q", got)
	}
	_, body = c.get(t, "/beheer/voorstellen?locatie=rotterdam")
	for _, title := range rvTitles(body) {
		if row := rvRow(t, c, "/beheer/voorstellen?locatie=rotterdam", title); !strings.Contains(row, "Rotterdam") && !strings.Contains(row, nlMsg(t, "proposal.either_venue")) {
			t.Errorf("filtered for Rotterdam, %q prefers neither Rotterdam nor either", title)
		}
	}
	// Nonsense in the query is ignored, not an error.
	if resp, body := c.get(t, "/beheer/voorstellen?status=%3Cx%3E&sorteer=niets&thema=99999&locatie=mars"); resp.StatusCode != http.StatusOK || !slices.Equal(rvTitles(body), titles) {
		t.Errorf("nonsense filters: status %d, titles %q, want the unfiltered list", resp.StatusCode, rvTitles(body))
	}
}

func TestDecideProposalPages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	d := rvLoadDemo(t, ts)
	c := ts.withNewClient(t)
	c.loginAs(t, models.RoleOrganiser, "")
	detail := "/beheer/voorstellen/" + bhID(d.open.ID)

	resp, body := c.postForm(t, detail+"/besluit", url.Values{"status": {"accepted"}})
	bhExpectRedirect(t, resp, body, detail)
	if _, body := c.get(t, detail); !strings.Contains(body, nlMsg(t, "review.decided", "Status", nlText(t, "proposal.status.accepted"))) ||
		!strings.Contains(body, nlMsgUpTo(t, "review.decided_by", "Email")+"organiser-") {
		t.Error("after accepting, the page lacks the flash or who decided")
	}
	p, err := ts.Store.Proposal(modelstest.Ctx(), d.open.ID)
	if err != nil || p.Status != models.ProposalAccepted || p.DecidedAt == nil {
		t.Fatalf("after accepting: %+v (%v)", p, err)
	}

	before := rvSnapshot(t, ts)
	for _, tc := range []struct {
		name, path, status string
		want               int
		msg                string
	}{
		{"unknown status", detail, "confirmed", http.StatusUnprocessableEntity, "error-summary"},
		{"no status", detail, "", http.StatusUnprocessableEntity, "error-summary"},
		{"withdrawn", "/beheer/voorstellen/" + bhID(d.withdrawn.ID), "accepted", http.StatusConflict, rvMsgWithdrawn},
		{"unknown proposal", "/beheer/voorstellen/999999", "accepted", http.StatusNotFound, nlMsg(t, "error.not_found.title")},
	} {
		resp, body := c.postForm(t, tc.path+"/besluit", url.Values{"status": {tc.status}})
		if resp.StatusCode != tc.want || !strings.Contains(body, tc.msg) {
			t.Errorf("%s: status %d, want %d with %q", tc.name, resp.StatusCode, tc.want, tc.msg)
		}
	}
	if got := rvSnapshot(t, ts); got != before {
		t.Errorf("refused decisions changed the data:\nbefore %s\nafter  %s", before, got)
	}
	modelstest.Set(t, ts.Store, &models.Proposal{}, d.other.ID, "status", models.ProposalConfirmed)
	before = rvSnapshot(t, ts)
	resp, body = c.postForm(t, "/beheer/voorstellen/"+bhID(d.other.ID)+"/besluit", url.Values{"status": {"rejected"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, rvMsgAnswered) {
		t.Errorf("deciding a confirmed proposal: status %d, want 409 with %q", resp.StatusCode, rvMsgAnswered)
	}
	if got := rvSnapshot(t, ts); got != before {
		t.Errorf("refused decisions changed the data:\nbefore %s\nafter  %s", before, got)
	}

	// Back to undecided.
	resp, body = c.postForm(t, detail+"/besluit", url.Values{"status": {"submitted"}})
	bhExpectRedirect(t, resp, body, detail)
	if p, _ := ts.Store.Proposal(modelstest.Ctx(), d.open.ID); p.Status != models.ProposalSubmitted || p.DecidedAt != nil {
		t.Errorf("back to undecided: %s, decided at %v", p.Status, p.DecidedAt)
	}

	// The track form: a track of the event, none, or a refusal.
	resp, body = c.postForm(t, detail+"/thema", url.Values{"track": {d.track.Name}})
	bhExpectRedirect(t, resp, body, detail)
	if p, _ := ts.Store.Proposal(modelstest.Ctx(), d.open.ID); p.Track != d.track.Name {
		t.Errorf("track got %q, want %q", p.Track, d.track.Name)
	}
	before = rvSnapshot(t, ts)
	if resp, _ := c.postForm(t, detail+"/thema", url.Values{"track": {"Bestaat niet"}}); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("unknown track: status %d, want 422", resp.StatusCode)
	}
	if resp, body := c.postForm(t, "/beheer/voorstellen/"+bhID(d.withdrawn.ID)+"/thema", url.Values{"track": {""}}); resp.StatusCode != http.StatusConflict || !strings.Contains(body, rvMsgWithdrawn) {
		t.Errorf("track of a withdrawn proposal: status %d, want 409", resp.StatusCode)
	}
	if got := rvSnapshot(t, ts); got != before {
		t.Errorf("refused track changes changed the data:\nbefore %s\nafter  %s", before, got)
	}
}

func TestTrackPages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	d := rvLoadDemo(t, ts)
	c := ts.withNewClient(t)
	c.loginAs(t, models.RoleAdmin, "")

	resp, body := c.postForm(t, "/beheer/themas", url.Values{"name": {"Zorg & welzijn"}})
	bhExpectRedirect(t, resp, body, "/beheer/themas")
	if _, body := c.get(t, "/beheer/themas"); !strings.Contains(body, nlMsg(t, "track.added", "Name", "Zorg & welzijn")) {
		t.Error("after adding, the flash is missing")
	}
	before := rvSnapshot(t, ts)
	for _, tc := range []struct {
		name, path, value, msg string
	}{
		{"duplicate", "/beheer/themas", "Digitale overheid", nlMsg(t, "track.name_taken")},
		{"empty", "/beheer/themas", "  ", nlMsg(t, "form.required")},
		{"too long", "/beheer/themas", strings.Repeat("x", 101), nlMsg(t, "form.too_long", "Max", 100)},
		{"rename to a taken name", "/beheer/themas/" + bhID(d.track.ID), "Zorg & welzijn", nlMsg(t, "track.name_taken")},
	} {
		resp, body := c.postForm(t, tc.path, url.Values{"name": {tc.value}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, tc.msg) || !strings.Contains(body, "error-summary") {
			t.Errorf("%s: status %d, want 422 with %q in an error summary", tc.name, resp.StatusCode, tc.msg)
		}
	}
	if got := rvSnapshot(t, ts); got != before {
		t.Errorf("refused track forms changed the data:\nbefore %s\nafter  %s", before, got)
	}
	if _, err := ts.Store.SetProposalTrack(modelstest.Ctx(), d.open.ID, d.track.Name); err != nil {
		t.Fatal(err)
	}
	resp, body = c.postForm(t, "/beheer/themas/"+bhID(d.track.ID), url.Values{"name": {"Digitaal"}})
	bhExpectRedirect(t, resp, body, "/beheer/themas")
	if p, _ := ts.Store.Proposal(modelstest.Ctx(), d.open.ID); p.Track != "Digitaal" {
		t.Errorf("after the rename the proposal's track is %q, want Digitaal", p.Track)
	}
	resp, body = c.postForm(t, "/beheer/themas/"+bhID(d.track.ID)+"/verwijderen", url.Values{})
	bhExpectRedirect(t, resp, body, "/beheer/themas")
	if p, _ := ts.Store.Proposal(modelstest.Ctx(), d.open.ID); p.Track != "" {
		t.Errorf("after deleting the track the proposal has %q", p.Track)
	}
	if resp, _ := c.postForm(t, "/beheer/themas/"+bhID(d.track.ID)+"/verwijderen", url.Values{}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("deleting it again: status %d, want 404", resp.StatusCode)
	}
}

func TestReviewFormsRefuseCrossOrigin(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	d := rvLoadDemo(t, ts)
	c := ts.withNewClient(t)
	c.loginAs(t, models.RoleAdmin, "")
	before := rvSnapshot(t, ts)
	for _, r := range rvRoutes(d) {
		if r.method != http.MethodPost {
			continue
		}
		resp, _ := c.postFormCrossOrigin(t, r.path, r.form)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("cross-origin %s: status %d, want 403", r, resp.StatusCode)
		}
	}
	if got := rvSnapshot(t, ts); got != before {
		t.Errorf("cross-origin posts changed the data:\nbefore %s\nafter  %s", before, got)
	}
}

func TestReviewerSeesPhoto(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	form := proposalValuesFor("foto.spreker@example.nl")
	resp, body := ts.postMultipart(t, "/voorstellen", form, "foto.png", pngBytes(t, testPhoto(40, 30)))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit with photo: status %d; body:\n%s", resp.StatusCode, body)
	}
	var p models.Proposal
	if err := modelstest.First(ts.Store, &p, modelstest.Where("speaker_email = ?", "foto.spreker@example.nl")); err != nil {
		t.Fatal(err)
	}
	c := ts.withNewClient(t)
	c.loginAs(t, models.RoleReviewer, "")
	_, page := c.get(t, "/beheer/voorstellen/"+bhID(p.ID))
	if !strings.Contains(page, `src="/beheer/voorstellen/`+bhID(p.ID)+`/foto"`) {
		t.Error("the detail page does not show the photo")
	}
	resp, img := c.get(t, "/beheer/voorstellen/"+bhID(p.ID)+"/foto")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "image/") || len(img) == 0 {
		t.Errorf("photo: status %d, type %q, %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(img))
	}
	door := ts.withNewClient(t)
	door.loginAs(t, models.RoleDoor, "zwolle")
	if resp, _ := door.get(t, "/beheer/voorstellen/"+bhID(p.ID)+"/foto"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("door staff asking for the photo: status %d, want 403", resp.StatusCode)
	}
}
