package handlers

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// tricky is text a speaker might send: accents, emoji, quotes, markup and surrounding spaces.
const tricky = `  Zoë's <script>alert("x")</script> & “quotes” 🎉  `

// proposalBody builds a POST body from a valid proposal, changed by edit.
func proposalBody(t *testing.T, edit func(map[string]any)) string {
	t.Helper()
	m := map[string]any{
		"title": "Samen schrijven aan beleid", "summary": "Kort.", "description": "Lang\nen uitgebreid.",
		"format": "workshop", "slots": 1, "max_participants": 25, "audience": "Iedereen", "level": "beginner",
		"venues": []string{}, "availability": []uint{},
		"speaker":     map[string]any{"name": "Anna de Vries", "email": "anna.voorstel@example.nl", "organisation": "Gemeente Zwolle", "bio": "Schrijft."},
		"co_speakers": []string{}, "needs": []string{"projector"}, "consent": true,
	}
	if edit != nil {
		edit(m)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func apiSubmit(t *testing.T, ts *testServer, body string) ProposalJSON {
	t.Helper()
	resp, b := ts.apiCall(t, http.MethodPost, "/api/v1/proposals", body, "")
	wantAPIStatus(t, resp, b, http.StatusCreated)
	var out ProposalJSON
	decodeStrict(t, b, &out)
	if want := "/api/v1/proposals/" + strconv.Itoa(int(out.ID)); resp.Header.Get("Location") != want {
		t.Errorf("Location got %q, want %q", resp.Header.Get("Location"), want)
	}
	return out
}

// demoDeadline is when the demo's call for proposals closes.
func demoDeadline(t *testing.T, ts *testServer) time.Time {
	t.Helper()
	e := testEvent(t, ts)
	if e.ProposalsCloseAt == nil {
		t.Fatal("the demo's call for proposals has no deadline")
	}
	return *e.ProposalsCloseAt
}

func TestAPIProposalLifecycle(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	zwolle := testVenue(t, ts, "zwolle")
	slots := []uint{zwolle.Slots[0].ID, zwolle.Slots[1].ID} // two in a row, for a two-slot session
	body := proposalBody(t, func(m map[string]any) {
		m["title"], m["summary"], m["description"] = tricky, tricky, tricky+"\nregel 2"
		m["audience"] = tricky
		m["speaker"] = map[string]any{"name": tricky, "email": "Anna.Voorstel@Example.nl", "organisation": tricky, "bio": tricky}
		m["venues"], m["availability"] = []string{"zwolle"}, slots
		m["co_speakers"] = []string{"bram@example.nl", "carla@example.org"}
		m["needs"] = []string{"flipover", tricky}
		m["format"], m["slots"], m["max_participants"] = "training", 2, 12
	})
	p := apiSubmit(t, ts, body)
	if p.ID == 0 || p.Status != "submitted" || len(p.EditToken) < 43 || !p.Editable || p.HasPhoto {
		t.Errorf("created: id %d status %q token %q editable %v photo %v", p.ID, p.Status, p.EditToken, p.Editable, p.HasPhoto)
	}
	for name, got := range map[string]string{"title": p.Title, "summary": p.Summary, "audience": p.Audience,
		"speaker.name": p.Speaker.Name, "speaker.organisation": p.Speaker.Organisation, "speaker.bio": p.Speaker.Bio, "needs[1]": p.Needs[1]} {
		if got != tricky {
			t.Errorf("%s got %q, want exactly %q", name, got, tricky)
		}
	}
	if p.Description != tricky+"\nregel 2" || p.Speaker.Email != "Anna.Voorstel@Example.nl" {
		t.Errorf("description %q email %q, want them exactly as sent", p.Description, p.Speaker.Email)
	}
	if p.Format != "training" || p.Slots != 2 || p.MaxParticipants != 12 || !slices.Equal(p.Venues, []string{"zwolle"}) ||
		!slices.Equal(p.Availability, slots) || !slices.Equal(p.CoSpeakers, []string{"bram@example.nl", "carla@example.org"}) || !p.Consent {
		t.Errorf("created: %+v", p)
	}

	// The e-mails: one to the speaker, one per co-speaker, in the request's language.
	var msgs []models.OutboxMessage
	modelstest.Find(t, ts.Store, &msgs, modelstest.Where("proposal_id = ?", p.ID).OrderBy("id"))
	var got []string
	for _, m := range msgs {
		got = append(got, m.Kind+" "+m.Recipient+" "+m.Lang)
	}
	want := []string{"proposal_received Anna.Voorstel@Example.nl nl", "cospeaker_invite bram@example.nl nl", "cospeaker_invite carla@example.org nl"}
	if !slices.Equal(got, want) {
		t.Errorf("outbox got %q, want %q", got, want)
	}

	// Reading it back needs the token; anything else is a 404, like an unknown id.
	path := "/api/v1/proposals/" + strconv.Itoa(int(p.ID))
	resp, b := ts.apiCall(t, http.MethodGet, path, "", p.EditToken)
	wantAPIStatus(t, resp, b, http.StatusOK)
	var read ProposalJSON
	decodeStrict(t, b, &read)
	if read.EditToken != "" || read.Title != tricky || read.ID != p.ID {
		t.Errorf("GET: token %q title %q id %d; want no token, the title, id %d", read.EditToken, read.Title, read.ID, p.ID)
	}
	other := apiSubmit(t, ts, proposalBody(t, nil))
	for _, tc := range []struct{ name, path, token string }{
		{"no token", path, ""},
		{"wrong token", path, strings.Repeat("x", 43)},
		{"another proposal's token", path, other.EditToken},
		{"unknown id", "/api/v1/proposals/99999", p.EditToken},
		{"bad id", "/api/v1/proposals/abc", p.EditToken},
	} {
		for _, method := range []string{http.MethodGet, http.MethodPatch, http.MethodDelete} {
			resp, b := ts.apiCall(t, method, tc.path, `{"title": "gekaapt"}`, tc.token)
			wantAPIStatus(t, resp, b, http.StatusNotFound)
			wantAPIError(t, b, "not_found", "")
		}
	}

	// PATCH replaces what it sends and keeps the rest; a new co-speaker is invited.
	resp, b = ts.apiCall(t, http.MethodPatch, path, `{"title": "Nieuwe titel", "co_speakers": ["carla@example.org", "daan@example.nl"], "venues": []}`, p.EditToken)
	wantAPIStatus(t, resp, b, http.StatusOK)
	var changed ProposalJSON
	decodeStrict(t, b, &changed)
	if changed.Title != "Nieuwe titel" || changed.Summary != tricky || len(changed.Venues) != 0 ||
		!slices.Equal(changed.CoSpeakers, []string{"carla@example.org", "daan@example.nl"}) || changed.Speaker.Bio != tricky {
		t.Errorf("after PATCH: %+v", changed)
	}
	if n := countRows(t, ts, &models.OutboxMessage{}, "proposal_id = ? AND kind = ? AND recipient = ?", p.ID, models.MailCoSpeakerInvite, "daan@example.nl"); n != 1 {
		t.Errorf("invitations to the new co-speaker: %d, want 1", n)
	}
	resp, b = ts.apiCall(t, http.MethodPatch, path, `{"slots": 3}`, p.EditToken)
	wantAPIStatus(t, resp, b, http.StatusUnprocessableEntity)
	wantAPIError(t, b, "invalid", "slots")

	// DELETE withdraws; the proposal can then be read, not changed.
	resp, b = ts.apiCall(t, http.MethodDelete, path, "", p.EditToken)
	wantAPIStatus(t, resp, b, http.StatusNoContent)
	resp, b = ts.apiCall(t, http.MethodGet, path, "", p.EditToken)
	wantAPIStatus(t, resp, b, http.StatusOK)
	decodeStrict(t, b, &read)
	if read.Status != "withdrawn" || read.Editable {
		t.Errorf("after DELETE: status %q editable %v, want withdrawn and not editable", read.Status, read.Editable)
	}
	for _, method := range []string{http.MethodPatch, http.MethodDelete} {
		resp, b = ts.apiCall(t, method, path, `{"title": "weer terug"}`, p.EditToken)
		wantAPIStatus(t, resp, b, http.StatusConflict)
		wantAPIError(t, b, "withdrawn", "")
	}
}

func TestAPIProposalBadInput(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	before := countRows(t, ts, &models.Proposal{}, "1 = 1")
	rotterdamSlot := testVenue(t, ts, "rotterdam").Slots[0].ID
	for _, tc := range []struct {
		name, field string
		edit        func(map[string]any)
	}{
		{"missing title", "title", func(m map[string]any) { delete(m, "title") }},
		{"blank title", "title", func(m map[string]any) { m["title"] = "   " }},
		{"title over 200", "title", func(m map[string]any) { m["title"] = strings.Repeat("ë", 201) }},
		{"title with a newline", "title", func(m map[string]any) { m["title"] = "twee\nregels" }},
		{"missing summary", "summary", func(m map[string]any) { m["summary"] = "" }},
		{"summary over 500", "summary", func(m map[string]any) { m["summary"] = strings.Repeat("a", 501) }},
		{"missing description", "description", func(m map[string]any) { delete(m, "description") }},
		{"description over 4000", "description", func(m map[string]any) { m["description"] = strings.Repeat("🎉", 4001) }},
		{"missing format", "format", func(m map[string]any) { delete(m, "format") }},
		{"unknown format", "format", func(m map[string]any) { m["format"] = "keynote" }},
		{"no slots", "slots", func(m map[string]any) { delete(m, "slots") }},
		{"three slots", "slots", func(m map[string]any) { m["slots"] = 3 }},
		{"no participants", "max_participants", func(m map[string]any) { m["max_participants"] = 0 }},
		{"too many participants", "max_participants", func(m map[string]any) { m["max_participants"] = 1001 }},
		{"audience over 200", "audience", func(m map[string]any) { m["audience"] = strings.Repeat("a", 201) }},
		{"unknown level", "level", func(m map[string]any) { m["level"] = "guru" }},
		{"unknown venue", "venues", func(m map[string]any) { m["venues"] = []string{"atlantis"} }},
		{"unknown slot", "availability", func(m map[string]any) { m["availability"] = []uint{999999} }},
		{"slot at another venue", "availability", func(m map[string]any) {
			m["venues"], m["availability"] = []string{"zwolle"}, []uint{rotterdamSlot}
		}},
		{"no speaker name", "speaker.name", func(m map[string]any) { m["speaker"].(map[string]any)["name"] = "" }},
		{"malformed e-mail", "speaker.email", func(m map[string]any) { m["speaker"].(map[string]any)["email"] = "anna@@example" }},
		{"no organisation", "speaker.organisation", func(m map[string]any) { delete(m["speaker"].(map[string]any), "organisation") }},
		{"bio over 1000", "speaker.bio", func(m map[string]any) { m["speaker"].(map[string]any)["bio"] = strings.Repeat("a", 1001) }},
		{"malformed co-speaker", "co_speakers", func(m map[string]any) { m["co_speakers"] = []string{"bram@example.nl", "geen-adres"} }},
		{"co-speaker twice", "co_speakers", func(m map[string]any) { m["co_speakers"] = []string{"bram@example.nl", "BRAM@example.nl"} }},
		{"six co-speakers", "co_speakers", func(m map[string]any) {
			m["co_speakers"] = []string{"a@example.nl", "b@example.nl", "c@example.nl", "d@example.nl", "e@example.nl", "f@example.nl"}
		}},
		{"need over 200", "needs", func(m map[string]any) { m["needs"] = []string{strings.Repeat("a", 201)} }},
		{"empty need", "needs", func(m map[string]any) { m["needs"] = []string{" "} }},
		{"no consent", "consent", func(m map[string]any) { m["consent"] = false }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, b := ts.apiCall(t, http.MethodPost, "/api/v1/proposals", proposalBody(t, tc.edit), "")
			wantAPIStatus(t, resp, b, http.StatusUnprocessableEntity)
			e := wantAPIError(t, b, "invalid", tc.field)
			if len(e.Fields) != 1 {
				t.Errorf("fields got %v, want only %q", e.Fields, tc.field)
			}
		})
	}
	t.Run("every invalid field at once", func(t *testing.T) {
		resp, b := ts.apiCall(t, http.MethodPost, "/api/v1/proposals", `{"slots": 5, "speaker": {"email": "x"}}`, "")
		wantAPIStatus(t, resp, b, http.StatusUnprocessableEntity)
		e := wantAPIError(t, b, "invalid", "title")
		for _, f := range []string{"title", "summary", "description", "format", "slots", "max_participants",
			"speaker.name", "speaker.email", "speaker.organisation", "consent"} {
			if e.Fields[f] == "" {
				t.Errorf("fields got %v, want a message for %q", e.Fields, f)
			}
		}
	})
	for _, tc := range []struct{ name, body, field string }{
		{"not JSON", `{"title": `, ""},
		{"an array", `[]`, ""},
		{"unknown field", `{"titel": "x"}`, ""},
		{"slots as text", `{"slots": "twee"}`, "slots"},
		{"venues as a string", `{"venues": "zwolle"}`, "venues"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, b := ts.apiCall(t, http.MethodPost, "/api/v1/proposals", tc.body, "")
			wantAPIStatus(t, resp, b, http.StatusBadRequest)
			wantAPIError(t, b, "malformed", tc.field)
		})
	}
	t.Run("body over 64 KB", func(t *testing.T) {
		resp, b := ts.apiCall(t, http.MethodPost, "/api/v1/proposals", proposalBody(t, func(m map[string]any) {
			m["description"] = strings.Repeat("a", 70<<10)
		}), "")
		wantAPIStatus(t, resp, b, http.StatusRequestEntityTooLarge)
	})
	if after := countRows(t, ts, &models.Proposal{}, "1 = 1"); after != before {
		t.Errorf("proposals: %d after bad requests, want %d as before", after, before)
	}
}

func TestAPIProposalCallClosed(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := apiSubmit(t, ts, proposalBody(t, nil))
	path := "/api/v1/proposals/" + strconv.Itoa(int(p.ID))
	before := countRows(t, ts, &models.Proposal{}, "1 = 1")
	deadline := demoDeadline(t, ts)
	for _, tc := range []struct {
		name string
		now  time.Time
	}{
		{"at the deadline", deadline},
		{"long after", deadline.AddDate(0, 1, 0)},
		{"before it opens", testEvent(t, ts).ProposalsOpenAt.Add(-time.Minute)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts.Store.SetClock(func() time.Time { return tc.now })
			defer ts.Store.SetClock(time.Now)
			resp, b := ts.apiCall(t, http.MethodPost, "/api/v1/proposals", proposalBody(t, nil), "")
			wantAPIStatus(t, resp, b, http.StatusForbidden)
			e := wantAPIError(t, b, "call_closed", "")
			if !strings.Contains(e.Message, nlText(t, "proposal.api_call_closed")) {
				t.Errorf("message got %q, want it to say the call is closed", e.Message)
			}
			resp, b = ts.apiCall(t, http.MethodPatch, path, `{"title": "Te laat"}`, p.EditToken)
			wantAPIStatus(t, resp, b, http.StatusForbidden)
			wantAPIError(t, b, "call_closed", "")
			// A change that would be invalid too is still told first that the call is closed.
			resp, b = ts.apiCall(t, http.MethodPatch, path, `{"slots": 3}`, p.EditToken)
			wantAPIStatus(t, resp, b, http.StatusForbidden)
			wantAPIError(t, b, "call_closed", "")
			resp, b = ts.apiCall(t, http.MethodDelete, path, "", p.EditToken)
			wantAPIStatus(t, resp, b, http.StatusForbidden)
			resp, b = ts.apiCall(t, http.MethodGet, path, "", p.EditToken)
			wantAPIStatus(t, resp, b, http.StatusOK)
			var read ProposalJSON
			decodeStrict(t, b, &read)
			if read.Editable || read.Status != "submitted" || read.Title != p.Title {
				t.Errorf("after refused changes: editable %v status %q title %q, want read-only, unchanged", read.Editable, read.Status, read.Title)
			}
		})
	}
	if after := countRows(t, ts, &models.Proposal{}, "1 = 1"); after != before {
		t.Errorf("proposals: got %d after a closed call, want %d as before", after, before)
	}
	ts.Store.SetClock(func() time.Time { return deadline })
	resp, b := ts.apiCall(t, http.MethodPost, "/api/v1/proposals", proposalBody(t, nil), "", "Accept-Language", "en")
	wantAPIStatus(t, resp, b, http.StatusForbidden)
	if e := wantAPIError(t, b, "call_closed", ""); !strings.Contains(e.Message, "closed") {
		t.Errorf("English message got %q, want it to say the call is closed", e.Message)
	}
}

// TestProposalSubmissionsLimited checks that one client cannot submit proposals without end,
// each of which mails addresses it chose, and that a refusal stores nothing.
func TestProposalSubmissionsLimited(t *testing.T) {
	ts := newTestServer(t)
	ctx := modelstest.Ctx()
	count := func() int {
		t.Helper()
		ps, err := ts.Store.ProposalsOfEvent(ctx, testEvent(t, ts).ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(ps)
	}
	before := count()
	for i := range 10 {
		apiSubmit(t, ts, proposalBody(t, func(m map[string]any) {
			m["speaker"].(map[string]any)["email"] = fmt.Sprintf("spreker%d@example.nl", i)
		}))
	}
	// A forged X-Forwarded-For must not make the client look new: no proxy is trusted.
	body := proposalBody(t, func(m map[string]any) { m["speaker"].(map[string]any)["email"] = "nieuw@example.nl" })
	req, err := http.NewRequest(http.MethodPost, ts.URL+"/api/v1/proposals", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, page := ts.do(t, req, "X-Forwarded-For", "203.0.113.99")
	wantAPIStatus(t, resp, []byte(page), http.StatusTooManyRequests)
	if b := page; !strings.Contains(b, `"too_many_requests"`) || !strings.Contains(b, nlText(t, "limit.api_too_many", "Count", 3)) {
		t.Errorf("body got %s, want the too_many_requests code and a Dutch explanation", b)
	}
	if got := resp.Header.Get("Retry-After"); got == "" || got == "0" {
		t.Errorf("Retry-After got %q, want the seconds to wait", got)
	}

	// The form says the same, keeps what was typed, and stores nothing.
	values := proposalValuesFor("nog.een@example.nl")
	values.Set("title", "Mijn getypte titel")
	fresp, page := ts.postMultipart(t, "/voorstellen", values, "", nil)
	wantStatus(t, fresp, page, http.StatusTooManyRequests)
	for _, want := range []string{nlMsg(t, "limit.too_many", "Count", 3), `value="Mijn getypte titel"`} {
		if !strings.Contains(page, want) {
			t.Errorf("form page lacks %q", want)
		}
	}
	if got := count(); got != before+10 {
		t.Errorf("proposals got %d, want %d: a refused submission was stored", got, before+10)
	}

	// An invalid submission is answered 422 as ever: typing errors never hit the limit.
	resp, b := ts.apiCall(t, http.MethodPost, "/api/v1/proposals", proposalBody(t, func(m map[string]any) { m["title"] = "" }), "")
	wantAPIStatus(t, resp, b, http.StatusUnprocessableEntity)
}

// TestAPIAnsweredProposalIsSettled: after the speaker confirmed, the API refuses changes and
// withdrawal with 409 "answered", and the web page no longer offers them.
func TestAPIAnsweredProposalIsSettled(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ctx := modelstest.Ctx()
	p := apiSubmit(t, ts, proposalBody(t, nil))
	modelstest.Set(t, ts.Store, &models.Proposal{}, p.ID, "status", models.ProposalAccepted)
	if _, err := ts.Store.ConfirmProposal(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/proposals/" + strconv.Itoa(int(p.ID))
	for _, method := range []string{http.MethodPatch, http.MethodDelete} {
		resp, b := ts.apiCall(t, method, path, `{"title": "Te laat"}`, p.EditToken)
		wantAPIStatus(t, resp, b, http.StatusConflict)
		if !strings.Contains(string(b), `"answered"`) {
			t.Errorf("%s got %s, want code answered", method, b)
		}
	}
	got, err := ts.Store.Proposal(ctx, p.ID)
	if err != nil || got.Status != models.ProposalConfirmed || got.Title != p.Title {
		t.Errorf("proposal is now %q %q (%v), want confirmed and unchanged", got.Status, got.Title, err)
	}
}
