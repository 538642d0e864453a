package handlers

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"html"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
	"github.com/ambtenaar20/dagplanner/tickets/ticketstest"
)

// Tests of two-step sign-in (#16 2fa): the second step, the gate that sends accounts to
// enrol, enrolling and turning off through the pages, the admins' page, roles and CSRF.

const (
	twoStepURL  = "/beheer/account/tweestaps"
	securityURL = "/beheer/beveiliging"
)

// sfUser makes an account with role and a password, without a second factor.
func sfUser(t *testing.T, ts *testServer, role string) models.User {
	t.Helper()
	email := bhCreateUser(t, ts, role, "")
	var user models.User
	if err := modelstest.First(ts.Store, &user, modelstest.Where("email = ?", email)); err != nil {
		t.Fatal(err)
	}
	return user
}

// sfPassword signs browser in with the password and returns where it was sent.
func sfPassword(t *testing.T, browser *testServer, u models.User, back string) string {
	t.Helper()
	resp, body := browser.postForm(t, "/beheer/inloggen", url.Values{"email": {u.Email}, "password": {testPassword}, "terug": {back}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("password sign-in of %s: status %d, want 303; body:\n%s", u.Email, resp.StatusCode, body)
	}
	return resp.Header.Get("Location")
}

func TestSecondStepSignIn(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	u := sfUser(t, ts, models.RoleOrganiser)
	secret := enrolTOTP(t, ts.Store, u)

	t.Run("password alone is not signed in", func(t *testing.T) {
		browser := ts.withNewClient(t)
		if got := sfPassword(t, browser, u, "/beheer/sessies"); got != secondStepURL {
			t.Fatalf("after the password: Location %q, want %q", got, secondStepURL)
		}
		bhExpectRedirect(t, mustGet(t, browser, "/beheer"), "", "/beheer/inloggen?terug=/beheer")
		resp, body := browser.get(t, secondStepURL)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `action="/beheer/inloggen/tweede-stap"`) || !strings.Contains(body, `autocomplete="one-time-code"`) {
			t.Fatalf("GET second step: status %d, want 200 and the code form; body:\n%s", resp.StatusCode, body)
		}

		resp, body = browser.postForm(t, secondStepURL, url.Values{"code": {wrongCode(t, secret)}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("wrong code: status %d, want 422", resp.StatusCode)
		}
		bhCheckProblem(t, body, "code", nlMsg(t, "login.code_wrong"))
		resp, body = browser.postForm(t, secondStepURL, url.Values{"code": {""}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("no code: status %d, want 422", resp.StatusCode)
		}
		bhCheckProblem(t, body, "code", nlMsg(t, "form.required"))

		pending := bhJarSessionToken(t, browser)
		code := nextTOTP(t, ts.Store, secret)
		resp, body = browser.postForm(t, secondStepURL, url.Values{"code": {code}})
		bhExpectRedirect(t, resp, body, "/beheer/sessies")
		if c := bhCookie(resp, bhSessionCookie); c == nil || c.Value == pending || pending == "" {
			t.Errorf("the second step kept the pending session's token %q; want a fresh one", pending)
		}
		if resp, body := browser.get(t, "/beheer"); resp.StatusCode != http.StatusOK {
			t.Errorf("GET /beheer after the second step: status %d, want 200; body:\n%s", resp.StatusCode, body)
		}

		// The same code from another browser, which knows the password too: refused.
		thief := ts.withNewClient(t)
		sfPassword(t, thief, u, "")
		resp, body = thief.postForm(t, secondStepURL, url.Values{"code": {code}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("replayed code: status %d, want 422", resp.StatusCode)
		}
		bhCheckProblem(t, body, "code", nlMsg(t, "login.code_used"))
		if strings.Contains(body, code) {
			t.Errorf("the page echoes the typed code")
		}
	})

	t.Run("recovery code, once, audited", func(t *testing.T) {
		v := sfUser(t, ts, models.RoleAdmin)
		codes := enrolTOTPCodes(t, ts.Store, v)
		browser := ts.withNewClient(t)
		sfPassword(t, browser, v, "")
		resp, body := browser.postForm(t, secondStepURL, url.Values{"recovery": {codes[0]}})
		bhExpectRedirect(t, resp, body, "/beheer")
		trail, err := ts.Store.AuditTrail(context.Background(), models.SubjectUser, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(trail) < 2 || trail[0].Action != models.AuditSignIn || trail[0].DetailMap()["method"] != signInRecoveryCode ||
			trail[1].Action != "second_factor.recovery_code_used" || trail[1].ActorName != v.Email {
			t.Errorf("audit trail: %+v, want the sign-in with a recovery code on top, after the code's use by %s", trail, v.Email)
		}
		again := ts.withNewClient(t)
		sfPassword(t, again, v, "")
		resp, body = again.postForm(t, secondStepURL, url.Values{"recovery": {codes[0]}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("used recovery code: status %d, want 422", resp.StatusCode)
		}
		bhCheckProblem(t, body, "recovery", nlMsg(t, "login.code_wrong"))
	})

	t.Run("a session begun without the second factor owes it", func(t *testing.T) {
		// As another way of signing in (a password reset, say) would leave it: user_id set,
		// no second factor remembered. The gate asks for the code before anything else.
		const planted = "zonder-tweede-stap-0123456789abcdef01234"
		v := sfUser(t, ts, models.RoleOrganiser)
		vSecret := enrolTOTP(t, ts.Store, v)
		si, err := ts.Store.StartSignIn(modelstest.Ctx(), v, models.SignInInput{Method: signInReset})
		if err != nil {
			t.Fatal(err)
		}
		data, err := scs.GobCodec{}.Encode(time.Now().Add(time.Hour), map[string]any{sessionUserID: int(v.ID), sessionSignInID: int(si.ID)})
		if err != nil {
			t.Fatal(err)
		}
		if err := ts.Store.WebSessions().Commit(planted, data, time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		weak := ts.withNewClient(t)
		bhSetSessionCookie(t, weak, weak.Client, planted)
		bhExpectRedirect(t, mustGet(t, weak, "/beheer/sessies"), "", secondStepURL)
		bhExpectRedirect(t, mustGet(t, weak, "/beheer"), "", "/beheer/inloggen?terug=/beheer") // no longer signed in
		resp, body := weak.postForm(t, secondStepURL, url.Values{"code": {nextTOTP(t, ts.Store, vSecret)}})
		bhExpectRedirect(t, resp, body, "/beheer/sessies")
	})

	t.Run("pending state expires", func(t *testing.T) {
		const planted = "tweede-stap-verlopen-0123456789abcdef0123"
		data, err := scs.GobCodec{}.Encode(time.Now().Add(time.Hour), map[string]any{
			sessionPendingUser: int(u.ID), sessionPendingAt: time.Now().Add(-pendingTTL - time.Minute).Unix()})
		if err != nil {
			t.Fatal(err)
		}
		if err := ts.Store.WebSessions().Commit(planted, data, time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		late := ts.withNewClient(t)
		bhSetSessionCookie(t, late, late.Client, planted)
		resp, body := late.postForm(t, secondStepURL, url.Values{"code": {modelstest.TOTP(t, secret, time.Now())}})
		bhExpectRedirect(t, resp, body, "/beheer/inloggen")
		bhExpectRedirect(t, mustGet(t, late, "/beheer"), "", "/beheer/inloggen?terug=/beheer")
		// Never begun: the same.
		resp, body = ts.withNewClient(t).get(t, secondStepURL)
		bhExpectRedirect(t, resp, body, "/beheer/inloggen")
	})

	t.Run("wrong codes are limited per account and per client", func(t *testing.T) {
		limited := newTestServerConfig(t, Config{})
		var secrets []string
		var users []models.User
		for range 3 {
			w := sfUser(t, limited, models.RoleOrganiser)
			users = append(users, w)
			secrets = append(secrets, enrolTOTP(t, limited.Store, w))
		}
		browser := limited.withNewClient(t)
		sfPassword(t, browser, users[0], "")
		for i := range secondStepAccountBurst {
			if resp, _ := browser.postForm(t, secondStepURL, url.Values{"code": {wrongCode(t, secrets[0])}}); resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("wrong code %d: status %d, want 422", i+1, resp.StatusCode)
			}
		}
		resp, body := browser.postForm(t, secondStepURL, url.Values{"code": {nextTOTP(t, limited.Store, secrets[0])}})
		if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
			t.Fatalf("after %d wrong codes: status %d (Retry-After %q), want 429 with Retry-After", secondStepAccountBurst, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		if !strings.Contains(html.UnescapeString(body), html.UnescapeString(nlMsgUpTo(t, "login.too_many_codes", "Count"))) {
			t.Errorf("429 page does not say the account's codes are used up")
		}
		// Another account from the same client: its own budget, until the client's is spent.
		browser2 := limited.withNewClient(t)
		sfPassword(t, browser2, users[1], "")
		for i := range secondStepClientBurst - secondStepAccountBurst {
			if resp, _ := browser2.postForm(t, secondStepURL, url.Values{"code": {wrongCode(t, secrets[1])}}); resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("wrong code %d for a second account: status %d, want 422", i+1, resp.StatusCode)
			}
		}
		browser3 := limited.withNewClient(t)
		sfPassword(t, browser3, users[2], "")
		resp, body = browser3.postForm(t, secondStepURL, url.Values{"code": {nextTOTP(t, limited.Store, secrets[2])}})
		if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(html.UnescapeString(body), html.UnescapeString(nlMsgUpTo(t, "login.too_many_from_client", "Count"))) {
			t.Fatalf("a third account from a client with %d wrong codes: status %d, want 429 about the network", secondStepClientBurst, resp.StatusCode)
		}
	})
}

// mustGet is get returning only the response, for bhExpectRedirect.
func mustGet(t *testing.T, ts *testServer, path string) *http.Response {
	t.Helper()
	resp, _ := ts.get(t, path)
	return resp
}

// wrongCode is six digits that are not the code of any step around now.
func wrongCode(t *testing.T, secret string) string {
	t.Helper()
	now := time.Now().Unix() / 30
	for _, c := range []string{"000000", "111111", "222222", "333333", "444444"} {
		clash := false
		for s := now - 2; s <= now+2; s++ {
			clash = clash || modelstest.TOTPStep(t, secret, s) == c
		}
		if !clash {
			return c
		}
	}
	t.Fatal("no wrong code found")
	return ""
}

// enrolTOTPCodes enrols u and returns the recovery codes.
func enrolTOTPCodes(t *testing.T, store *models.Store, u models.User) []string {
	t.Helper()
	key, err := models.NewTOTPKey("Test", u.Email)
	if err != nil {
		t.Fatal(err)
	}
	ctx := models.WithActor(context.Background(), models.Actor{Kind: models.ActorCLI, Name: "test"})
	codes, err := store.EnableTOTP(ctx, u.ID, key.Secret(), modelstest.TOTP(t, key.Secret(), time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	return codes
}

var (
	secretRE = regexp.MustCompile(`id="totp-secret">([A-Z2-7 ]+)<`)
	qrRE     = regexp.MustCompile(`src="data:image/png;base64,([^"]+)"`)
	codeRE   = regexp.MustCompile(`<li><code>([0-9a-z-]{19})</code></li>`)
)

func TestSecondFactorGateAndEnrolment(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	u := sfUser(t, ts, models.RoleOrganiser)
	browser := ts.withNewClient(t)
	if got := sfPassword(t, browser, u, ""); got != "/beheer" {
		t.Fatalf("an account without a second factor: Location %q after the password, want /beheer", got)
	}

	t.Run("the gate sends to enrolment", func(t *testing.T) {
		for _, path := range []string{"/beheer", "/beheer/sessies", "/beheer/deelnemers", "/beheer/berichten"} {
			bhExpectRedirect(t, mustGet(t, browser, path), "", twoStepURL)
		}
		resp, body := browser.get(t, "/api/v1/registrations")
		var e struct {
			Error struct{ Code string } `json:"error"`
		}
		if err := json.Unmarshal([]byte(body), &e); resp.StatusCode != http.StatusForbidden || err != nil || e.Error.Code != "second_factor_required" {
			t.Errorf("API with the session cookie: status %d, body %s; want 403 second_factor_required", resp.StatusCode, body)
		}
		// An organiser's API token is not a session: not affected.
		token := organiserToken(t, ts, "")
		if resp, body := ts.get(t, "/api/v1/registrations", "Authorization", "Bearer "+token); resp.StatusCode != http.StatusOK {
			t.Errorf("API with an organiser's token: status %d, want 200; body %s", resp.StatusCode, body)
		}
		// A reviewer needs no second factor by default.
		reviewer := ts.withNewClient(t)
		sfPassword(t, reviewer, sfUser(t, ts, models.RoleReviewer), "")
		if resp, _ := reviewer.get(t, "/beheer/voorstellen"); resp.StatusCode != http.StatusOK {
			t.Errorf("reviewer without a second factor: status %d, want 200", resp.StatusCode)
		}
	})

	t.Run("enrol through the page", func(t *testing.T) {
		resp, body := browser.get(t, twoStepURL)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, nlMsg(t, "account.two_step.required")) {
			t.Fatalf("GET %s: status %d, want 200 saying the role requires it; body:\n%s", twoStepURL, resp.StatusCode, body)
		}
		secret := strings.ReplaceAll(firstSub(t, secretRE, body), " ", "")
		img, err := png.Decode(bytes.NewReader(mustBase64(t, html.UnescapeString(firstSub(t, qrRE, body)))))
		if err != nil {
			t.Fatal(err)
		}
		uri, err := url.Parse(ticketstest.DecodeQR(t, img))
		if err != nil || uri.Scheme != "otpauth" || uri.Host != "totp" || uri.Query().Get("secret") != secret || uri.Query().Get("issuer") == "" {
			t.Fatalf("the QR code holds %v (%v), want otpauth://totp/… with the page's secret %s and an issuer", uri, err, secret)
		}
		// Reloading keeps the same secret.
		if _, again := browser.get(t, twoStepURL); strings.ReplaceAll(firstSub(t, secretRE, again), " ", "") != secret {
			t.Errorf("reloading the page changed the secret")
		}
		resp, body = browser.postForm(t, twoStepURL, url.Values{"code": {wrongCode(t, secret)}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("wrong enrolment code: status %d, want 422", resp.StatusCode)
		}
		bhCheckProblem(t, body, "code", nlMsg(t, "account.two_step.code_wrong"))
		resp, body = browser.postForm(t, twoStepURL, url.Values{"code": {modelstest.TOTP(t, secret, time.Now())}})
		bhExpectRedirect(t, resp, body, twoStepURL+"/herstelcodes")
		resp, body = browser.get(t, twoStepURL+"/herstelcodes")
		codes := codeRE.FindAllStringSubmatch(body, -1)
		if resp.StatusCode != http.StatusOK || len(codes) != models.RecoveryCodeCount {
			t.Fatalf("recovery codes page: status %d with %d codes, want 200 and %d", resp.StatusCode, len(codes), models.RecoveryCodeCount)
		}
		bhExpectRedirect(t, mustGet(t, browser, twoStepURL+"/herstelcodes"), "", twoStepURL) // shown once
		if resp, _ := browser.get(t, "/beheer"); resp.StatusCode != http.StatusOK {
			t.Errorf("GET /beheer after enrolling: status %d, want 200", resp.StatusCode)
		}
		// Signing in again needs the code; a recovery code from the page works.
		again := ts.withNewClient(t)
		if got := sfPassword(t, again, u, ""); got != secondStepURL {
			t.Fatalf("after enrolling, the password leads to %q, want the second step", got)
		}
		resp, body = again.postForm(t, secondStepURL, url.Values{"recovery": {codes[4][1]}})
		bhExpectRedirect(t, resp, body, "/beheer")
	})

	t.Run("turning off", func(t *testing.T) {
		resp, body := browser.postForm(t, twoStepURL+"/uitzetten", url.Values{"proof": {testPassword}})
		bhExpectRedirect(t, resp, body, twoStepURL)
		if _, body := browser.get(t, twoStepURL); strings.Count(body, nlMsg(t, "account.two_step.required_cannot_disable")) != 2 {
			t.Errorf("turning off while required: the page does not say (as flash and as text) that the role requires it")
		}
		if has, _ := ts.Store.HasSecondFactor(context.Background(), u.ID); !has {
			t.Fatalf("turning off while required removed the second factor")
		}
		admin := models.WithActor(context.Background(), models.Actor{Kind: models.ActorCLI, Name: "test"})
		if err := ts.Store.SetSecondFactorPolicy(admin, map[string]bool{models.RoleOrganiser: false}); err != nil {
			t.Fatal(err)
		}
		resp, body = browser.postForm(t, twoStepURL+"/uitzetten", url.Values{"proof": {"niet het goede wachtwoord"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("turning off with a wrong password: status %d, want 422", resp.StatusCode)
		}
		bhCheckProblem(t, body, "proof", nlMsg(t, "account.two_step.proof_wrong"))
		resp, body = browser.postForm(t, twoStepURL+"/uitzetten", url.Values{"proof": {testPassword}})
		bhExpectRedirect(t, resp, body, twoStepURL)
		if has, err := ts.Store.HasSecondFactor(context.Background(), u.ID); err != nil || has {
			t.Errorf("HasSecondFactor after turning off = %v, %v; want false", has, err)
		}
		trail, err := ts.Store.AuditTrail(context.Background(), models.SubjectUser, u.ID)
		if err != nil || len(trail) == 0 || trail[0].Action != "second_factor.disabled" || trail[0].ActorName != u.Email {
			t.Errorf("audit trail: %+v (%v), want second_factor.disabled by %s on top", trail, err, u.Email)
		}
	})
}

func TestSecurityPageResetsAndSetsPolicy(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	admin := ts.loginAs(t, models.RoleAdmin, "")
	u := sfUser(t, ts, models.RoleOrganiser)
	secret := enrolTOTP(t, ts.Store, u)

	resp, body := ts.get(t, securityURL)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, u.Email) || !strings.Contains(body, `action="/beheer/beveiliging/`+bhID(u.ID)+`/herstellen"`) {
		t.Fatalf("GET %s: status %d, want 200 listing %s with a reset button; body:\n%s", securityURL, resp.StatusCode, u.Email, body)
	}
	resp, body = ts.postForm(t, securityURL+"/"+bhID(u.ID)+"/herstellen", url.Values{})
	bhExpectRedirect(t, resp, body, securityURL)
	if has, _ := ts.Store.HasSecondFactor(context.Background(), u.ID); has {
		t.Errorf("after the reset the account still has a second factor")
	}
	trail, err := ts.Store.AuditTrail(context.Background(), models.SubjectUser, u.ID)
	if err != nil || len(trail) == 0 || trail[0].Action != "second_factor.reset" || trail[0].ActorName != admin.Email {
		t.Errorf("audit trail: %+v (%v), want second_factor.reset by %s on top", trail, err, admin.Email)
	}
	if strings.Contains(trail[0].Details, secret) {
		t.Errorf("the audit entry holds the secret")
	}
	// At the next sign-in the person goes straight to enrolment.
	person := ts.withNewClient(t)
	if got := sfPassword(t, person, u, ""); got != "/beheer" {
		t.Fatalf("after the reset the password leads to %q, want /beheer (then the gate)", got)
	}
	bhExpectRedirect(t, mustGet(t, person, "/beheer"), "", twoStepURL)
	if resp, _ := ts.postForm(t, securityURL+"/999999/herstellen", url.Values{}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("resetting an unknown account: status %d, want 404", resp.StatusCode)
	}

	// The policy: untick organiser, tick reviewer.
	resp, body = ts.postForm(t, securityURL, url.Values{"required_admin": {"ja"}, "required_reviewer": {"ja"}})
	bhExpectRedirect(t, resp, body, securityURL)
	policy, err := ts.Store.SecondFactorPolicy(context.Background())
	if err != nil || !policy[models.RoleAdmin] || policy[models.RoleOrganiser] || !policy[models.RoleReviewer] || policy[models.RoleDoor] {
		t.Errorf("policy after the form: %v (%v), want admin and reviewer", policy, err)
	}
	if resp, _ := person.get(t, "/beheer"); resp.StatusCode != http.StatusOK {
		t.Errorf("organiser without a second factor once it is optional: status %d, want 200", resp.StatusCode)
	}
	reviewer := ts.withNewClient(t)
	sfPassword(t, reviewer, sfUser(t, ts, models.RoleReviewer), "")
	bhExpectRedirect(t, mustGet(t, reviewer, "/beheer/voorstellen"), "", twoStepURL)
	_, body = ts.get(t, securityURL)
	if !strings.Contains(body, `id="veld-required-reviewer" name="required_reviewer" value="ja" checked`) ||
		strings.Contains(body, `id="veld-required-organiser" name="required_organiser" value="ja" checked`) {
		t.Errorf("the form does not show the stored policy")
	}
}

// sfRoutes are the routes of two-step sign-in, with a form that passes the role check.
var sfRoutes = []struct {
	method, path string
	form         url.Values
}{
	{"GET", "/beheer/inloggen/tweede-stap", nil},
	{"POST", "/beheer/inloggen/tweede-stap", url.Values{"code": {"123456"}}},
	{"GET", twoStepURL, nil},
	{"POST", twoStepURL, url.Values{"code": {"123456"}}},
	{"GET", twoStepURL + "/herstelcodes", nil},
	{"POST", twoStepURL + "/uitzetten", url.Values{"proof": {"123456"}}},
	{"GET", securityURL, nil},
	{"POST", securityURL, url.Values{"required_admin": {"ja"}}},
	{"POST", securityURL + "/:user/herstellen", url.Values{}},
}

// TestSecondFactorRoles checks who may use each route of two-step sign-in: the second step is
// public (it needs a pending sign-in), one's own second factor any signed-in account, the
// security page admins only.
func TestSecondFactorRoles(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	target := sfUser(t, ts, models.RoleOrganiser)
	enrolTOTP(t, ts.Store, target)
	path := func(p string) string { return strings.Replace(p, ":user", bhID(target.ID), 1) }
	type who struct{ role, venue string }
	for _, w := range []who{{"", ""}, {models.RoleDoor, "zwolle"}, {models.RoleReviewer, ""}, {models.RoleOrganiser, ""}, {models.RoleOrganiser, "zwolle"}, {models.RoleAdmin, ""}} {
		t.Run(w.role+"@"+w.venue, func(t *testing.T) {
			browser := ts.withNewClient(t)
			if w.role != "" {
				browser.loginAs(t, w.role, w.venue)
			}
			for _, r := range sfRoutes {
				p := path(r.path)
				var want int
				var where string
				switch {
				case strings.HasPrefix(p, "/beheer/inloggen/"):
					want, where = http.StatusSeeOther, "/beheer/inloggen" // no pending sign-in
				case w.role == "":
					want, where = http.StatusSeeOther, "/beheer/inloggen?terug="+p
				case strings.HasPrefix(p, securityURL) && w.role != models.RoleAdmin:
					want = http.StatusForbidden
				case r.method == "POST" && p == twoStepURL && (w.role == models.RoleReviewer || w.role == models.RoleDoor):
					want = http.StatusUnprocessableEntity // without a second factor, the page began enrolling; wrong code
				case strings.HasPrefix(p, twoStepURL+"/herstelcodes"), r.method == "POST" && p == twoStepURL:
					want, where = http.StatusSeeOther, twoStepURL // nothing to show, nothing being enrolled
				case p == twoStepURL+"/uitzetten":
					want, where = http.StatusSeeOther, twoStepURL // a role that requires it, or nothing to turn off
				case r.method == "POST":
					want, where = http.StatusSeeOther, securityURL
				default:
					want = http.StatusOK
				}
				var resp *http.Response
				var body string
				if r.method == "GET" {
					resp, body = browser.get(t, p)
				} else {
					resp, body = browser.postForm(t, p, r.form)
				}
				if resp.StatusCode != want || (where != "" && resp.Header.Get("Location") != where) {
					t.Errorf("%s %s: status %d at %q, want %d at %q; body:\n%.400s", r.method, p, resp.StatusCode, resp.Header.Get("Location"), want, where, body)
				}
			}
		})
	}
}

func TestSecondFactorCrossOriginRefused(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.loginAs(t, models.RoleAdmin, "")
	target := sfUser(t, ts, models.RoleOrganiser)
	enrolTOTP(t, ts.Store, target)
	for _, r := range sfRoutes {
		if r.method != "POST" {
			continue
		}
		p := strings.Replace(r.path, ":user", bhID(target.ID), 1)
		t.Run(p, func(t *testing.T) {
			before := bhSnapshot(t, ts)
			resp, body := ts.post(t, p, r.form, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, nlMsg(t, "error.cross_origin.title")) {
				t.Fatalf("cross-origin POST %s: status %d, want 403 refusal", p, resp.StatusCode)
			}
			if got := bhSnapshot(t, ts); got != before {
				t.Errorf("a refused request changed the data")
			}
		})
	}
	if has, _ := ts.Store.HasSecondFactor(context.Background(), target.ID); !has {
		t.Errorf("a cross-origin reset removed the second factor")
	}
	if p, _ := ts.Store.SecondFactorPolicy(context.Background()); !p[models.RoleOrganiser] {
		t.Errorf("a cross-origin policy change was stored")
	}
}

func firstSub(t *testing.T, re *regexp.Regexp, s string) string {
	t.Helper()
	m := re.FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no %s in the page:\n%s", re, s)
	}
	return m[1]
}

func mustBase64(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
