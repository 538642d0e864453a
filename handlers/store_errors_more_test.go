package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

func TestShownStoreError(t *testing.T) {
	own := storeError{models.ErrConflict, storeAnswer{Status: http.StatusConflict, Key: "person.is_cancelled"}}
	for _, tc := range []struct {
		name    string
		err     error
		answers []storeError
		want    storeAnswer
		shown   bool
	}{
		{"the table's row", fmt.Errorf("x: %w", models.ErrStaleDraft), fromTable(models.ErrStaleDraft, models.ErrDraftsChanged),
			storeAnswer{Status: http.StatusConflict, Key: "decision.stale_refused"}, true},
		{"the second sentinel", fmt.Errorf("x: %w", models.ErrDraftsChanged), fromTable(models.ErrStaleDraft, models.ErrDraftsChanged),
			storeAnswer{Status: http.StatusConflict, Key: "decision.drafts_changed"}, true},
		{"the route's own words", fmt.Errorf("x: %w", models.ErrConflict), []storeError{own}, own.storeAnswer, true},
		// An override of ErrConflict answers what wraps it too, as errors.Is did.
		{"a conflict that wraps it", fmt.Errorf("x: %w", models.ErrMessageDone), []storeError{own}, own.storeAnswer, true},
		{"not one of them", fmt.Errorf("x: %w", models.ErrNotFound), fromTable(models.ErrStaleDraft), storeAnswer{}, false},
		{"nil", nil, fromTable(models.ErrStaleDraft), storeAnswer{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, shown := shownStoreError(tc.err, tc.answers...)
			if got != tc.want || shown != tc.shown {
				t.Errorf("shownStoreError(%v) = %+v, %v; want %+v, %v", tc.err, got, shown, tc.want, tc.shown)
			}
		})
	}
}

// TestRouteStoreAnswers checks the answers routes give in their own words: each says what
// the handler answered before it had the table, and its message is in the catalogue.
func TestRouteStoreAnswers(t *testing.T) {
	for _, tc := range []struct {
		name   string
		got    storeError
		err    error
		status int
		code   string
		key    string
	}{
		{"proposal closed", proposalReadOnly[0], models.ErrCallClosed, http.StatusForbidden, "", "proposal.read_only_now"},
		{"proposal withdrawn", proposalReadOnly[1], models.ErrWithdrawn, http.StatusConflict, "", "proposal.read_only_now"},
		{"proposal answered", proposalReadOnly[2], models.ErrSpeakerAnswered, http.StatusConflict, "", "proposal.read_only_now"},
		{"passkey exists", passkeyExists, models.ErrConflict, http.StatusConflict, "exists", "passkey.exists"},
		{"second factor exists", secondFactorExists, models.ErrConflict, http.StatusConflict, "", "account.two_step.already"},
		{"unknown room", unknownRoom, models.ErrNotFound, http.StatusUnprocessableEntity, "", "form.invalid_choice"},
		{"pinned session", pinnedRefused, models.ErrConflict, http.StatusUnprocessableEntity, "", "beheer.board.pinned_refused"},
		{"person cancelled", personCancelled, models.ErrConflict, http.StatusConflict, "", "person.is_cancelled"},
		{"published meanwhile", publishedMeanwhile, models.ErrConflict, http.StatusConflict, "", "beheer.publish.conflict"},
		{"unknown API token", unknownAPIToken, models.ErrNotFound, http.StatusUnauthorized, "unauthorized", "api.unauthorized"},
		{"unknown device", unknownDevice, models.ErrNotFound, http.StatusUnauthorized, "unauthorized", "checkin.unauthorized"},
		{"reset link gone", resetLinkGone[0], models.ErrNotFound, http.StatusNotFound, "not_found", "error.api_not_found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := shownStoreError(fmt.Errorf("x: %w", tc.err), tc.got)
			if !ok || got.Status != tc.status || got.Code != tc.code || got.Key != tc.key {
				t.Errorf("answer = %+v, %v; want status %d, code %q, key %q", got, ok, tc.status, tc.code, tc.key)
			}
			nlText(t, got.Key, "Title", "x") // fails on a key nl.toml lacks
		})
	}
}

// TestStoreErrorAnswersOnPages checks, through the site, answers to store errors that no
// other test looks at by their words.
func TestStoreErrorAnswersOnPages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)

	t.Run("reset link unknown", func(t *testing.T) {
		path := "/beheer/wachtwoord-herstellen/" + strings.Repeat("x", 43)
		resp, body := ts.withNewClient(t).get(t, path)
		wantStatus(t, resp, body, http.StatusNotFound)
		if !strings.Contains(body, nlMsg(t, "password.reset.invalid")) {
			t.Errorf("GET %s: the page does not say the link does not work:\n%s", path, excerpt(body))
		}
		resp, body = ts.withNewClient(t).postForm(t, path, url.Values{"password": {"een heel nieuw wachtwoord"}})
		wantStatus(t, resp, body, http.StatusNotFound)
		if !strings.Contains(body, nlMsg(t, "password.reset.invalid")) {
			t.Errorf("POST %s: the page does not say the link does not work:\n%s", path, excerpt(body))
		}
	})

	t.Run("unknown API token", func(t *testing.T) {
		for _, req := range []struct{ method, path string }{
			{http.MethodGet, "/api/v1/registrations"},
			{http.MethodPost, "/api/v1/walkins"},
		} {
			r, err := http.NewRequest(req.method, ts.URL+req.path, strings.NewReader("{}"))
			if err != nil {
				t.Fatal(err)
			}
			r.Header.Set("Content-Type", "application/json")
			resp, body := ts.do(t, r, "Authorization", "Bearer "+models.APITokenPrefix+strings.Repeat("0", 40),
				"Accept-Language", "nl")
			wantStatus(t, resp, body, http.StatusUnauthorized)
			if e := wantAPIError(t, []byte(body), "unauthorized", ""); e.Message != nlText(t, "api.unauthorized") {
				t.Errorf("%s %s: message got %q, want %q", req.method, req.path, e.Message, nlText(t, "api.unauthorized"))
			}
		}
	})

	t.Run("import expired", func(t *testing.T) {
		organiser := ts.withNewClient(t)
		organiser.loginAs(t, models.RoleOrganiser, "")
		resp, body := organiser.postForm(t, importPage+"/bevestigen", url.Values{"token": {"verlopen"}})
		wantStatus(t, resp, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, nlMsg(t, "import.expired")) {
			t.Errorf("the import page does not say the check expired:\n%s", excerpt(body))
		}
	})

	t.Run("link for a cancelled person", func(t *testing.T) {
		organiser := ts.withNewClient(t)
		organiser.loginAs(t, models.RoleOrganiser, "")
		id := registerDemo(t, ts, "geannuleerd@example.nl")
		if err := ts.Store.Cancel(modelstest.Ctx(), id); err != nil {
			t.Fatal(err)
		}
		resp, body := organiser.postForm(t, personPath(id)+"/link", nil)
		wantStatus(t, resp, body, http.StatusSeeOther)
		if got := resp.Header.Get("Location"); got != personPath(id) {
			t.Errorf("Location got %q, want %q", got, personPath(id))
		}
		_, body = organiser.get(t, personPath(id))
		if !strings.Contains(body, nlMsg(t, "person.is_cancelled")) {
			t.Errorf("the person's page does not say the registration is cancelled:\n%s", excerpt(body))
		}
	})

	t.Run("withdrawn twice", func(t *testing.T) {
		speaker := ts.withNewClient(t)
		token := submitByForm(t, speaker, proposalValuesFor("tweemaal@example.nl"), "", nil)
		p, err := ts.Store.ProposalByToken(modelstest.Ctx(), token)
		if err != nil {
			t.Fatal(err)
		}
		link, _ := mailLink(t, speaker, p.ID, models.MailProposalReceived, "tweemaal@example.nl")
		resp, body := speaker.postForm(t, link+"/intrekken", nil)
		wantStatus(t, resp, body, http.StatusSeeOther)
		_, _ = speaker.get(t, link) // takes the first flash
		resp, body = speaker.postForm(t, link+"/intrekken", nil)
		wantStatus(t, resp, body, http.StatusSeeOther)
		_, body = speaker.get(t, link)
		if !strings.Contains(body, nlMsg(t, "proposal.read_only_now")) {
			t.Errorf("withdrawing again: the page does not say the proposal is read-only now:\n%s", excerpt(body))
		}
	})
}
