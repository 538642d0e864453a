package handlers

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

func TestAPIProposalExportAndErase(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, store *models.Store) {
		ts := newTestServerWith(t, store, false)
		p := apiSubmit(t, ts, proposalBody(t, func(m map[string]any) {
			m["speaker"] = map[string]any{"name": "Ida Erasmus", "email": "ida.erasmus@example.nl", "organisation": "Waterschap Vallei", "bio": "Bio."}
			m["co_speakers"] = []string{"jan.mede@example.nl"}
		}))
		other := apiSubmit(t, ts, proposalBody(t, nil))
		path := "/api/v1/proposals/" + strconv.Itoa(int(p.ID))

		resp, b := ts.apiCall(t, http.MethodGet, path+"/export", "", p.EditToken)
		wantAPIStatus(t, resp, b, http.StatusOK)
		var exp models.ProposalExport
		if err := json.Unmarshal(b, &exp); err != nil {
			t.Fatal(err)
		}
		if exp.Speaker.Email != "ida.erasmus@example.nl" || exp.Proposal.ID != p.ID || len(exp.CoSpeakers) != 1 || len(exp.Mails) != 2 {
			t.Errorf("export %+v, want Ida's proposal with one co-speaker and two e-mails", exp)
		}
		if strings.Contains(string(b), "anna.voorstel@example.nl") {
			t.Errorf("the export holds the other speaker's address: %s", b)
		}
		for _, tc := range []struct{ name, method, path, token string }{
			{"export without a token", http.MethodGet, path + "/export", ""},
			{"export with another's token", http.MethodGet, path + "/export", other.EditToken},
			{"erase with another's token", http.MethodPost, path + "/erase", other.EditToken},
		} {
			resp, b := ts.apiCall(t, tc.method, tc.path, "", tc.token)
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("%s: %d %s, want 404", tc.name, resp.StatusCode, b)
			}
		}

		resp, b = ts.apiCall(t, http.MethodPost, path+"/erase", "", p.EditToken)
		wantAPIStatus(t, resp, b, http.StatusOK)
		var erased ProposalErasureJSON
		decodeStrict(t, b, &erased)
		if !erased.Erased || erased.SessionKept || erased.Status != models.ProposalWithdrawn {
			t.Errorf("erase answered %+v, want erased and withdrawn", erased)
		}
		for _, sub := range []string{"", "/export"} {
			if resp, b := ts.apiCall(t, http.MethodGet, path+sub, "", p.EditToken); resp.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s after erasure: %d %s, want 404 (the token stopped working)", path+sub, resp.StatusCode, b)
			}
		}
		if n := countRows(t, ts, &models.OutboxMessage{}, "kind = ? AND recipient = ?", models.MailSpeakerErased, "ida.erasmus@example.nl"); n != 1 {
			t.Errorf("%d confirmations queued to Ida, want 1", n)
		}
		if n := countRows(t, ts, &models.Proposal{}, "id = ? AND speaker_email = ''", p.ID); n != 1 {
			t.Errorf("the proposal row is gone or still names Ida (%d rows anonymised, want 1)", n)
		}
		if resp, b := ts.apiCall(t, http.MethodGet, "/api/v1/proposals/"+strconv.Itoa(int(other.ID)), "", other.EditToken); resp.StatusCode != http.StatusOK {
			t.Errorf("the other proposal after Ida's erasure: %d %s", resp.StatusCode, b)
		}
	})
}

func TestSpeakerDataPages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := apiSubmit(t, ts, proposalBody(t, func(m map[string]any) {
		m["speaker"] = map[string]any{"name": "Ida Erasmus", "email": "ida.erasmus@example.nl", "organisation": "Waterschap Vallei", "bio": "Bio."}
	}))
	base := "/voorstel/" + p.EditToken

	resp, body := ts.get(t, base)
	wantStatus(t, resp, body, http.StatusOK)
	for _, link := range []string{`href="` + base + `/gegevens"`, `href="` + base + `/wissen"`} {
		if !strings.Contains(body, link) {
			t.Errorf("the speaker's page lacks the link %s", link)
		}
	}
	resp, body = ts.get(t, base+"/gegevens")
	wantStatus(t, resp, body, http.StatusOK)
	for _, want := range []string{nlMsg(t, "speaker_data.title"), "Ida Erasmus", "ida.erasmus@example.nl", nlMsg(t, "speaker_data.mail.proposal_received"),
		`href="` + base + `/gegevens.json"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the data page lacks %q", want)
		}
	}
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
	resp, body = ts.get(t, base+"/gegevens.json")
	wantStatus(t, resp, body, http.StatusOK)
	var exp models.ProposalExport
	if err := json.Unmarshal([]byte(body), &exp); err != nil || exp.Speaker.Name != "Ida Erasmus" {
		t.Errorf("gegevens.json: %v, %+v", err, exp.Speaker)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".json") {
		t.Errorf("Content-Disposition %q, want a JSON attachment", cd)
	}
	resp, body = ts.get(t, base+"/wissen")
	wantStatus(t, resp, body, http.StatusOK)
	for _, want := range []string{nlMsg(t, "speaker_erase.button"), nlMsg(t, "speaker_erase.proposal_goes"), `action="` + base + `/wissen"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the erase page lacks %q", want)
		}
	}

	// Another site's page cannot erase it for the speaker.
	if resp, _ := ts.postFormCrossOrigin(t, base+"/wissen", url.Values{}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin erase: %d, want 403", resp.StatusCode)
	}
	resp, body = ts.postForm(t, base+"/wissen", url.Values{})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("erase: %d to %q, want 303 to /: %s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	_, body = ts.get(t, "/")
	if !strings.Contains(body, nlMsg(t, "speaker_erase.done")) {
		t.Errorf("the home page after erasure lacks the flash %q", nlMsg(t, "speaker_erase.done"))
	}
	for _, path := range []string{base, base + "/gegevens", base + "/gegevens.json", base + "/wissen"} {
		if resp, body := ts.get(t, path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s after erasure: %d, want 404\n%.300s", path, resp.StatusCode, body)
		}
	}
	if resp, _ := ts.postForm(t, base+"/wissen", url.Values{}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("erasing twice: %d, want 404", resp.StatusCode)
	}

	// Once the confirmation is sent, nothing anywhere holds her name or address: not the
	// rate limits that counted her address, not the outbox, not the log.
	markOutboxSent(t, ts)
	if traces, err := ts.Store.FindTraces(t.Context(), "Ida Erasmus", "ida.erasmus@example.nl", "Waterschap Vallei"); err != nil || len(traces) != 0 {
		t.Errorf("traces of the erased speaker: %v (%v)", traces, err)
	}
}

// markOutboxSent marks every due e-mail sent, as the worker does once it has sent them.
func markOutboxSent(t *testing.T, ts *testServer) {
	t.Helper()
	for {
		msgs, err := ts.Store.ClaimOutbox(t.Context(), 100, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) == 0 {
			return
		}
		for _, m := range msgs {
			if err := ts.Store.MarkSent(t.Context(), m.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestVoterDataPages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	e := enableVoting(t, ts, 3, "", false)
	resp, body := ts.postForm(t, "/stemmen", url.Values{"email": {"vera.stem@example.nl"}, "op_de_hoogte": {"ja"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("asking for a ballot: %d\n%s", resp.StatusCode, body)
	}
	link := ballotLink(t, ts, "vera.stem@example.nl")
	props, err := ts.Store.VotingProposals(modelstest.Ctx(), e.ID)
	if err != nil || len(props) < 2 {
		t.Fatalf("voting proposals: %d, %v", len(props), err)
	}
	votes := url.Values{"votes": {strconv.Itoa(int(props[0].ID)), strconv.Itoa(int(props[1].ID))}}
	if resp, body := ts.postForm(t, link, votes); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("voting: %d\n%s", resp.StatusCode, body)
	}
	counts, err := ts.Store.VoteCounts(modelstest.Ctx(), e.ID)
	if err != nil {
		t.Fatal(err)
	}

	_, body = ts.get(t, link)
	if !strings.Contains(body, `href="`+link+`/gegevens"`) || !strings.Contains(body, `href="`+link+`/wissen"`) {
		t.Errorf("the ballot lacks the links to the voter's data")
	}
	resp, body = ts.get(t, link+"/gegevens")
	wantStatus(t, resp, body, http.StatusOK)
	for _, want := range []string{nlMsg(t, "voter_data.title"), nlMsg(t, "voter_data.votes_count", "Count", 2), "vera.stem@example.nl"} {
		if !strings.Contains(body, want) {
			t.Errorf("the voter's data page lacks %q", want)
		}
	}
	for _, p := range props[:2] {
		if strings.Contains(body, p.Title) {
			t.Errorf("the voter's data page names a proposal voted for: %q", p.Title)
		}
	}
	resp, body = ts.get(t, link+"/gegevens.json")
	wantStatus(t, resp, body, http.StatusOK)
	var exp models.VoterExport
	if err := json.Unmarshal([]byte(body), &exp); err != nil || exp.Votes != 2 || exp.Contact == nil {
		t.Errorf("gegevens.json: %v, %+v; want 2 votes and the contact address", err, exp)
	}
	resp, body = ts.get(t, link+"/wissen")
	wantStatus(t, resp, body, http.StatusOK)
	if !strings.Contains(body, nlMsg(t, "voter_erase.votes_stay")) || !strings.Contains(body, `action="`+link+`/wissen"`) {
		t.Errorf("the erase page lacks the explanation or the form")
	}

	resp, body = ts.postForm(t, link+"/wissen", url.Values{})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("erase: %d to %q: %s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	if _, body := ts.get(t, "/"); !strings.Contains(body, nlMsg(t, "voter_erase.done_confirmed")) {
		t.Errorf("the home page after erasure lacks the flash %q", nlMsg(t, "voter_erase.done_confirmed"))
	}
	for _, path := range []string{link, link + "/gegevens", link + "/wissen"} {
		if resp, _ := ts.get(t, path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s after erasure: %d, want 404", path, resp.StatusCode)
		}
	}
	after, err := ts.Store.VoteCounts(modelstest.Ctx(), e.ID)
	if err != nil || len(after) != len(counts) || after[props[0].ID] != counts[props[0].ID] || after[props[1].ID] != counts[props[1].ID] {
		t.Errorf("vote counts %v after erasure (%v), want %v", after, err, counts)
	}
	if n := countRows(t, ts, &models.VoteContact{}, "email = ?", "vera.stem@example.nl"); n != 0 {
		t.Errorf("the contact address is still kept (%d rows)", n)
	}
	markOutboxSent(t, ts)
	if traces, err := ts.Store.FindTraces(t.Context(), "vera.stem@example.nl"); err != nil || len(traces) != 0 {
		t.Errorf("traces of the erased voter: %v (%v)", traces, err)
	}
}

func TestErasedProposalInTheReview(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := apiSubmit(t, ts, proposalBody(t, nil))
	if resp, b := ts.apiCall(t, http.MethodPost, "/api/v1/proposals/"+strconv.Itoa(int(p.ID))+"/erase", "", p.EditToken); resp.StatusCode != http.StatusOK {
		t.Fatalf("erase: %d %s", resp.StatusCode, b)
	}
	ts.loginAs(t, models.RoleOrganiser, "")
	for _, path := range []string{"/beheer/voorstellen?status=withdrawn", "/beheer/voorstellen/" + strconv.Itoa(int(p.ID))} {
		resp, body := ts.get(t, path)
		wantStatus(t, resp, body, http.StatusOK)
		if !strings.Contains(body, nlMsg(t, "speaker_erase.erased_title")) || strings.Contains(body, "anna.voorstel@example.nl") {
			t.Errorf("%s: want the erased proposal named as such, without the speaker's address", path)
		}
	}
}

func TestCoSpeakerDataPages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := apiSubmit(t, ts, proposalBody(t, func(m map[string]any) { m["co_speakers"] = []string{"kees.mede@example.nl"} }))
	link, _ := mailLink(t, ts, p.ID, models.MailCoSpeakerInvite, "kees.mede@example.nl")
	resp, body := ts.postForm(t, link, url.Values{"name": {"Kees Medema"}, "organisation": {"Provincie Drenthe"}, "bio": {"Kees."}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirming as co-speaker: %d\n%s", resp.StatusCode, body)
	}

	_, body = ts.get(t, link)
	if !strings.Contains(body, `href="`+link+`/gegevens"`) || !strings.Contains(body, `href="`+link+`/wissen"`) {
		t.Errorf("the co-speaker's page lacks the links to their data")
	}
	resp, body = ts.get(t, link+"/gegevens")
	wantStatus(t, resp, body, http.StatusOK)
	for _, want := range []string{"Kees Medema", "kees.mede@example.nl", "Provincie Drenthe", nlMsg(t, "speaker_data.mail.cospeaker_invite")} {
		if !strings.Contains(body, want) {
			t.Errorf("the co-speaker's data page lacks %q", want)
		}
	}
	if strings.Contains(body, "anna.voorstel@example.nl") {
		t.Errorf("the co-speaker's data page shows the speaker's address")
	}
	resp, body = ts.get(t, link+"/gegevens.json")
	wantStatus(t, resp, body, http.StatusOK)
	var exp models.CoSpeakerExport
	if err := json.Unmarshal([]byte(body), &exp); err != nil || exp.Name != "Kees Medema" || exp.Proposal.ID != p.ID {
		t.Errorf("gegevens.json: %v, %+v", err, exp)
	}
	resp, body = ts.get(t, link+"/wissen")
	wantStatus(t, resp, body, http.StatusOK)
	if !strings.Contains(body, nlMsg(t, "cospeaker_erase.what_goes")) || !strings.Contains(body, `action="`+link+`/wissen"`) {
		t.Errorf("the erase page lacks the explanation or the form")
	}

	resp, body = ts.postForm(t, link+"/wissen", url.Values{})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("erase: %d to %q: %s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	if _, body := ts.get(t, "/"); !strings.Contains(body, nlMsg(t, "speaker_erase.done")) {
		t.Errorf("the home page after erasure lacks the flash")
	}
	for _, path := range []string{link, link + "/gegevens", link + "/wissen"} {
		if resp, _ := ts.get(t, path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s after erasure: %d, want 404", path, resp.StatusCode)
		}
	}
	// The speaker's proposal stays, without the co-speaker.
	resp, b := ts.apiCall(t, http.MethodGet, "/api/v1/proposals/"+strconv.Itoa(int(p.ID)), "", p.EditToken)
	wantAPIStatus(t, resp, b, http.StatusOK)
	if strings.Contains(string(b), "kees.mede@example.nl") {
		t.Errorf("the proposal still names the erased co-speaker: %s", b)
	}
	markOutboxSent(t, ts)
	if traces, err := ts.Store.FindTraces(t.Context(), "Kees Medema", "kees.mede@example.nl", "Provincie Drenthe"); err != nil || len(traces) != 0 {
		t.Errorf("traces of the erased co-speaker: %v (%v)", traces, err)
	}
}
