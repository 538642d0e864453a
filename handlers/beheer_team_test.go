package handlers

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/cluster"
	"github.com/ambtenaar20/dagplanner/mail"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// teamActor is who makes the tests' invitations and changes directly in the store.
var teamActor = models.Actor{Kind: models.ActorCLI, Name: "test"}

// teamRoute is one of the team's routes, with the form a POST sends.
type teamRoute struct {
	method, path string
	form         url.Values
	want         int // for an admin
}

// teamRoutes lists every team route for an admin with valid input, in an order that works
// when run one after another: the invitation is sent again before it is withdrawn, the
// account switched off before it is switched on.
func teamRoutes(inv models.Invitation, target models.User) []teamRoute {
	i, u := strconv.Itoa(int(inv.ID)), strconv.Itoa(int(target.ID))
	return []teamRoute{
		{http.MethodGet, "/beheer/team", nil, http.StatusOK},
		{http.MethodPost, "/beheer/team/uitnodigen", url.Values{"email": {"nieuw@example.nl"}, "role": {"reviewer"}, "lang": {"nl"}}, http.StatusSeeOther},
		{http.MethodPost, "/beheer/team/uitnodigingen/" + i + "/opnieuw", url.Values{}, http.StatusSeeOther},
		{http.MethodPost, "/beheer/team/uitnodigingen/" + i + "/intrekken", url.Values{}, http.StatusSeeOther},
		{http.MethodGet, "/beheer/team/" + u, nil, http.StatusOK},
		{http.MethodPost, "/beheer/team/" + u, url.Values{"role": {"organiser"}, "venue": {"zwolle"}}, http.StatusSeeOther},
		{http.MethodPost, "/beheer/team/" + u + "/deactiveren", url.Values{}, http.StatusSeeOther},
		{http.MethodPost, "/beheer/team/" + u + "/activeren", url.Values{}, http.StatusSeeOther},
	}
}

func (r teamRoute) send(t *testing.T, ts *testServer) (*http.Response, string) {
	t.Helper()
	if r.method == http.MethodGet {
		return ts.get(t, r.path)
	}
	return ts.postForm(t, r.path, r.form)
}

// teamFixture makes an open invitation and an organiser's account to act on.
func teamFixture(t *testing.T, ts *testServer) (models.Invitation, models.User) {
	t.Helper()
	ctx := models.WithActor(context.Background(), teamActor)
	inv, err := ts.Store.Invite(ctx, models.InvitationInput{Email: "uitgenodigd@example.nl", Role: models.RoleOrganiser, Lang: "nl"})
	if err != nil {
		t.Fatalf("Invite: %v", err)
	}
	u, err := ts.Store.CreateUser(ctx, models.UserInput{Email: "doelwit@example.nl", Password: testPassword, Role: models.RoleReviewer})
	if err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	return inv, u
}

// TestTeamRoles checks every team route for every role: admins use them (200 or 303),
// organisers, reviewers and door staff get 403, anyone not signed in the sign-in page, and a
// cross-origin POST is refused without changing anything.
func TestTeamRoles(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	inv, target := teamFixture(t, ts)
	routes := teamRoutes(inv, target)

	t.Run("anonymous", func(t *testing.T) {
		for _, r := range routes {
			resp, body := r.send(t, ts)
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/beheer/inloggen?terug="+r.path {
				t.Errorf("%s %s: got %d to %q, want 303 to the sign-in page; body:\n%s", r.method, r.path, resp.StatusCode, resp.Header.Get("Location"), body)
			}
		}
	})
	for _, role := range []string{models.RoleOrganiser, models.RoleReviewer, models.RoleDoor} {
		t.Run(role, func(t *testing.T) {
			ts.Client = ts.newClient(t)
			venue := ""
			if role == models.RoleDoor {
				venue = "zwolle"
			}
			ts.loginAs(t, role, venue)
			for _, r := range routes {
				if resp, body := r.send(t, ts); resp.StatusCode != http.StatusForbidden {
					t.Errorf("%s %s: got %d, want 403; body:\n%s", r.method, r.path, resp.StatusCode, body)
				}
			}
		})
	}
	t.Run("admin", func(t *testing.T) {
		ts.Client = ts.newClient(t)
		ts.loginAs(t, models.RoleAdmin, "")
		for _, r := range routes {
			if r.method == http.MethodPost {
				resp, body := ts.postFormCrossOrigin(t, r.path, r.form)
				if resp.StatusCode != http.StatusForbidden {
					t.Errorf("cross-origin %s: got %d, want 403; body:\n%s", r.path, resp.StatusCode, body)
				}
			}
			if resp, body := r.send(t, ts); resp.StatusCode != r.want {
				t.Errorf("%s %s: got %d, want %d; body:\n%s", r.method, r.path, resp.StatusCode, r.want, body)
			}
		}
		// Every change went through once: the cross-origin attempts changed nothing.
		ctx := context.Background()
		trail, err := ts.Store.AuditTrail(ctx, models.SubjectInvitation, inv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := auditActions(trail); got != "invitation.withdraw,invitation.resend,invitation.create" {
			t.Errorf("invitation's trail = %s, want withdraw, resend, create", got)
		}
		trail, err = ts.Store.AuditTrail(ctx, models.SubjectUser, target.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := auditActions(trail); got != "user.reactivate,user.deactivate,user.change" {
			t.Errorf("account's trail = %s, want reactivate, deactivate, change", got)
		}
		u, err := ts.Store.User(ctx, target.ID)
		if err != nil || u.Role != models.RoleOrganiser || u.Venue == nil || u.Venue.Slug != "zwolle" || !u.Active() {
			t.Errorf("account after the changes = %+v (%v), want an active organiser for zwolle", u, err)
		}
	})
}

func auditActions(trail []models.AuditEntry) string {
	var out []string
	for _, e := range trail {
		out = append(out, e.Action)
	}
	return strings.Join(out, ",")
}

// TestTeamFormErrors checks that bad input keeps what was typed and says what is wrong, next
// to the field, with 422 (or 409 for a clash), never 500.
func TestTeamFormErrors(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	admin := ts.loginAs(t, models.RoleAdmin, "")
	cases := []struct {
		name, path string
		form       url.Values
		want       int
		says       string
	}{
		{"bad address", "/beheer/team/uitnodigen", url.Values{"email": {"geen-adres"}, "role": {"organiser"}, "lang": {"nl"}}, http.StatusUnprocessableEntity, `value="geen-adres"`},
		{"door without venue", "/beheer/team/uitnodigen", url.Values{"email": {"deur@example.nl"}, "role": {"door"}, "lang": {"nl"}}, http.StatusUnprocessableEntity, `id="veld-venue-error"`},
		{"has an account", "/beheer/team/uitnodigen", url.Values{"email": {strings.ToUpper(admin.Email)}, "role": {"organiser"}, "lang": {"en"}}, http.StatusConflict, nlMsg(t, "team.error.has_account")},
		{"unknown role", "/beheer/team/" + strconv.Itoa(int(admin.ID)), url.Values{"role": {"koning"}}, http.StatusUnprocessableEntity, `id="veld-role-error"`},
		{"demote the last admin", "/beheer/team/" + strconv.Itoa(int(admin.ID)), url.Values{"role": {"organiser"}}, http.StatusConflict, nlMsg(t, "team.error.last_admin")},
		{"switch off the last admin", "/beheer/team/" + strconv.Itoa(int(admin.ID)) + "/deactiveren", url.Values{}, http.StatusConflict, nlMsg(t, "team.error.last_admin")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := ts.postForm(t, tc.path, tc.form)
			if resp.StatusCode != tc.want || !strings.Contains(body, tc.says) {
				t.Errorf("got %d, want %d with %q; body:\n%s", resp.StatusCode, tc.want, tc.says, body)
			}
		})
	}
}

// sendOutbox sends everything in the outbox through a real SMTP server inside the test and
// returns what it received.
func sendOutbox(t *testing.T, s *models.Store, srv *cluster.MailServer) []cluster.Mail {
	t.Helper()
	sender, err := mail.NewSMTPSender(srv.URL()+"&timeout=5s", "Dagplanner <noreply@dagplanner.example>")
	if err != nil {
		t.Fatal(err)
	}
	w := &mail.Worker{Store: s, Composer: &mail.Composer{Store: s, BaseURL: "https://dagplanner.example"}, Sender: sender,
		Log: slog.New(slog.DiscardHandler), Batch: 10, Lease: 30e9}
	for {
		sent, failed, err := w.RunOnce(context.Background())
		if err != nil || failed != 0 {
			t.Fatalf("RunOnce: %d failed, %v", failed, err)
		}
		if sent == 0 {
			return srv.Messages()
		}
	}
}

var invitationLinkRE = regexp.MustCompile(`https://dagplanner\.example(/beheer/uitnodiging/[A-Za-z0-9_-]{43})`)

// invitationLink is the path of the invitation link in the last e-mail to recipient.
func invitationLink(t *testing.T, msgs []cluster.Mail, recipient string) string {
	t.Helper()
	for i := len(msgs) - 1; i >= 0; i-- {
		if len(msgs[i].To) == 1 && msgs[i].To[0] == recipient {
			m := invitationLinkRE.FindStringSubmatch(msgs[i].Text)
			if m == nil {
				t.Fatalf("no invitation link in the e-mail to %s:\n%s", recipient, msgs[i].Text)
			}
			return m[1]
		}
	}
	t.Fatalf("no e-mail to %s among %d", recipient, len(msgs))
	return ""
}

// TestInvitationMailAndAccept follows an invitation from the admin's form through the SMTP
// server to the accept page: a short password is refused (422), a good one makes the
// account and signs it in, and the link then works no more (410), nor does an older link
// after the invitation was sent again. Anyone, signed in or not, may open the link.
func TestInvitationMailAndAccept(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	srv, err := cluster.StartMailServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	ts.loginAs(t, models.RoleAdmin, "")
	resp, body := ts.postForm(t, "/beheer/team/uitnodigen", url.Values{"email": {"Nieuw.Lid@Example.nl"}, "role": {"organiser"}, "venue": {"zwolle"}, "lang": {"en"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite: got %d, want 303; body:\n%s", resp.StatusCode, body)
	}
	first := invitationLink(t, sendOutbox(t, ts.Store, srv), "nieuw.lid@example.nl")
	invs, err := ts.Store.OpenInvitations(context.Background())
	if err != nil || len(invs) != 1 {
		t.Fatalf("OpenInvitations = %d (%v), want 1", len(invs), err)
	}
	resp, body = ts.postForm(t, "/beheer/team/uitnodigingen/"+strconv.Itoa(int(invs[0].ID))+"/opnieuw", url.Values{})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("resend: got %d; body:\n%s", resp.StatusCode, body)
	}
	link := invitationLink(t, sendOutbox(t, ts.Store, srv), "nieuw.lid@example.nl")
	if link == first {
		t.Fatal("the invitation sent again has the same link")
	}

	ts.Client = ts.newClient(t) // the invited person's own browser
	if resp, body := ts.get(t, first); resp.StatusCode != http.StatusGone {
		t.Errorf("the first link after sending again: got %d, want 410; body:\n%s", resp.StatusCode, body)
	}
	resp, body = ts.get(t, link)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "nieuw.lid@example.nl") || !strings.Contains(body, "organisator") {
		t.Fatalf("open the link: got %d; body:\n%s", resp.StatusCode, body)
	}
	resp, body = ts.postForm(t, link, url.Values{"password": {"te kort"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="veld-password-error"`) || strings.Contains(body, "te kort") {
		t.Fatalf("short password: got %d, want 422 with the error and without the password; body:\n%s", resp.StatusCode, body)
	}
	if resp, body := ts.postFormCrossOrigin(t, link, url.Values{"password": {"een heel goed wachtwoord"}}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-origin accept: got %d, want 403; body:\n%s", resp.StatusCode, body)
	}
	resp, body = ts.postForm(t, link, url.Values{"password": {"een heel goed wachtwoord"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/beheer" {
		t.Fatalf("accept: got %d to %q, want 303 to /beheer; body:\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	// An organiser must have a second factor (the default policy): the organiser area sends
	// the new account to set one up, which it may.
	if resp, body := ts.get(t, "/beheer"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != twoStepPath {
		t.Fatalf("the organiser area after accepting: got %d to %q, want 303 to %s; body:\n%s", resp.StatusCode, resp.Header.Get("Location"), twoStepPath, body)
	}
	if resp, body := ts.get(t, twoStepPath); resp.StatusCode != http.StatusOK {
		t.Fatalf("setting up the second factor after accepting: got %d, want 200; body:\n%s", resp.StatusCode, body)
	}
	if resp, body := ts.get(t, link); resp.StatusCode != http.StatusGone || !strings.Contains(body, nlMsg(t, "invitation.gone.title")) {
		t.Errorf("the used link: got %d, want 410; body:\n%s", resp.StatusCode, body)
	}
	if resp, body := ts.postForm(t, link, url.Values{"password": {"nog een goed wachtwoord"}}); resp.StatusCode != http.StatusGone {
		t.Errorf("accepting twice: got %d, want 410; body:\n%s", resp.StatusCode, body)
	}
	u, err := ts.Store.Authenticate(context.Background(), "nieuw.lid@example.nl", "een heel goed wachtwoord")
	if err != nil || u.Role != models.RoleOrganiser || u.VenueID == nil {
		t.Errorf("the new account: %+v, %v; want an organiser for one venue", u, err)
	}
	if resp, _ := ts.get(t, "/beheer/uitnodiging/"+strings.Repeat("x", 43)); resp.StatusCode != http.StatusGone {
		t.Errorf("an unknown link: got %d, want 410", resp.StatusCode)
	}

	// An expired link and a withdrawn one: 410 as well.
	ctx := models.WithActor(context.Background(), teamActor)
	for _, email := range []string{"verlopen@example.nl", "ingetrokken@example.nl"} {
		inv, err := ts.Store.Invite(ctx, models.InvitationInput{Email: email, Role: models.RoleReviewer})
		if err != nil {
			t.Fatal(err)
		}
		link := invitationLink(t, sendOutbox(t, ts.Store, srv), email)
		if email == "verlopen@example.nl" {
			modelstest.Set(t, ts.Store, &models.Invitation{}, inv.ID, "expires_at", ts.Store.Now().Add(-time.Hour))
		} else {
			_, err = ts.Store.WithdrawInvitation(ctx, inv.ID)
		}
		if err != nil {
			t.Fatal(err)
		}
		if resp, body := ts.get(t, link); resp.StatusCode != http.StatusGone || !strings.Contains(body, nlMsg(t, "invitation.gone.title")) {
			t.Errorf("%s's link: got %d, want 410; body:\n%s", email, resp.StatusCode, body)
		}
		if resp, _ := ts.postForm(t, link, url.Values{"password": {"een heel goed wachtwoord"}}); resp.StatusCode != http.StatusGone {
			t.Errorf("accept %s's invitation: got %d, want 410", email, resp.StatusCode)
		}
	}
}

// TestDeactivationEndsSessions signs an organiser in, switches the account off as an admin
// in another browser, and finds the organiser's next request sent to the sign-in page, the
// session gone even after the account is switched on again, and signing in refused while off.
func TestDeactivationEndsSessions(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	organiser := ts.loginAs(t, models.RoleOrganiser, "")
	organiserClient := ts.Client
	if resp, body := ts.get(t, "/beheer"); resp.StatusCode != http.StatusOK {
		t.Fatalf("before: got %d; body:\n%s", resp.StatusCode, body)
	}
	ts.Client = ts.newClient(t)
	ts.loginAs(t, models.RoleAdmin, "")
	path := "/beheer/team/" + strconv.Itoa(int(organiser.ID))
	if resp, body := ts.postForm(t, path+"/deactiveren", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("deactivate: got %d; body:\n%s", resp.StatusCode, body)
	}
	admin := ts.Client
	ts.Client = organiserClient
	resp, _ := ts.get(t, "/beheer/sessies")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/beheer/inloggen?terug=/beheer/sessies" {
		t.Fatalf("after deactivation: got %d to %q, want the sign-in page", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body := ts.postForm(t, "/beheer/inloggen", url.Values{"email": {organiser.Email}, "password": {testPassword}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("sign in while deactivated: got %d, want 422; body:\n%s", resp.StatusCode, body)
	}
	ts.Client = admin
	if resp, body := ts.postForm(t, path+"/activeren", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reactivate: got %d; body:\n%s", resp.StatusCode, body)
	}
	ts.Client = organiserClient
	if resp, _ := ts.get(t, "/beheer"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the old session after reactivation: got %d, want 303 (it ended)", resp.StatusCode)
	}
}
