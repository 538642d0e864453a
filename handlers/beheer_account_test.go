package handlers

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/cluster"
	"github.com/ambtenaar20/dagplanner/locale"
	dpmail "github.com/ambtenaar20/dagplanner/mail"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

const (
	firefoxLinux = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
	chromeMac    = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36"
)

// signIn signs ts's browser in with email and password, sending userAgent.
func (ts *testServer) signIn(t *testing.T, email, password, userAgent string) {
	t.Helper()
	resp, body := ts.postForm(t, "/beheer/inloggen", url.Values{"email": {email}, "password": {password}}, "User-Agent", userAgent)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: status %d, want 303; body:\n%s", email, resp.StatusCode, body)
	}
}

// signedIn reports whether ts's browser is signed in: the account page answers instead of
// sending it to the sign-in page.
func (ts *testServer) signedIn(t *testing.T) bool {
	t.Helper()
	resp, body := ts.get(t, "/beheer/account")
	switch resp.StatusCode {
	case http.StatusOK:
		return true
	case http.StatusSeeOther:
		if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/beheer/inloggen") {
			t.Fatalf("GET /beheer/account: redirected to %q, want the sign-in page", loc)
		}
		return false
	}
	t.Fatalf("GET /beheer/account: status %d; body:\n%s", resp.StatusCode, body)
	return false
}

// newAccount makes an account. The tests of passwords and sign-ins use reviewers, whose role
// needs no second factor by default: they sign in with a password alone.
func newAccount(t *testing.T, ts *testServer, role, password string) models.User {
	t.Helper()
	email := role + "-" + strconv.FormatInt(userSeq.Add(1), 10) + "@example.nl"
	u, err := ts.Store.CreateUser(context.Background(), models.UserInput{Email: email, Password: password, Role: role})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func auditEntries(t *testing.T, ts *testServer, action string, userID uint) int {
	t.Helper()
	n := modelstest.Count(t, ts.Store, &models.AuditEntry{}, modelstest.Where("action = ? AND subject_kind = ? AND subject_id = ?", action, models.SubjectUser, userID))
	return int(n)
}

// TestAccountRoles checks who may use the own-account routes: every signed-in role, and
// nobody who is not signed in; and that a cross-origin POST is refused.
func TestAccountRoles(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	routes := []struct{ method, path string }{
		{"GET", "/beheer/account"},
		{"GET", "/beheer/account/wachtwoord"},
		{"POST", "/beheer/account/wachtwoord"},
		{"GET", "/beheer/account/sessies"},
		{"POST", "/beheer/account/sessies/andere-beeindigen"},
		{"POST", "/beheer/account/sessies/999999/beeindigen"},
	}
	anon := ts.withNewClient(t)
	for _, r := range routes {
		var resp *http.Response
		if r.method == "GET" {
			resp, _ = anon.get(t, r.path)
		} else {
			resp, _ = anon.postForm(t, r.path, url.Values{})
		}
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/beheer/inloggen?terug=") {
			t.Errorf("anonymous %s %s: status %d Location %q, want 303 to the sign-in page", r.method, r.path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	for _, role := range models.Roles {
		t.Run(role, func(t *testing.T) {
			b := ts.withNewClient(t)
			venue := ""
			if role == models.RoleDoor {
				venue = "zwolle"
			}
			u := b.loginAs(t, role, venue)
			for _, path := range []string{"/beheer/account", "/beheer/account/wachtwoord", "/beheer/account/sessies"} {
				resp, body := b.get(t, path)
				if resp.StatusCode != http.StatusOK {
					t.Errorf("GET %s: status %d, want 200", path, resp.StatusCode)
				}
				if path == "/beheer/account" && !strings.Contains(body, u.Email) {
					t.Errorf("the account page does not show the address %s", u.Email)
				}
			}
			// An empty form is a 422 with what is missing, not a 500.
			if resp, _ := b.postForm(t, "/beheer/account/wachtwoord", url.Values{}); resp.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("POST an empty password form: status %d, want 422", resp.StatusCode)
			}
			// Another account's (or no) sign-in is not found.
			if resp, _ := b.postForm(t, "/beheer/account/sessies/999999/beeindigen", url.Values{}); resp.StatusCode != http.StatusNotFound {
				t.Errorf("POST end an unknown sign-in: status %d, want 404", resp.StatusCode)
			}
			if resp, _ := b.postForm(t, "/beheer/account/sessies/andere-beeindigen", url.Values{}); resp.StatusCode != http.StatusSeeOther {
				t.Errorf("POST end other sign-ins: status %d, want 303", resp.StatusCode)
			}
			// CSRF: another site's form cannot change the password.
			resp, _ := b.postFormCrossOrigin(t, "/beheer/account/wachtwoord", url.Values{"current": {testPassword}, "password": {"een ander lang wachtwoord"}})
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("cross-origin POST: status %d, want 403", resp.StatusCode)
			}
			if _, err := ts.Store.Authenticate(context.Background(), u.Email, testPassword); err != nil {
				t.Errorf("the cross-origin POST changed the password: %v", err)
			}
			if !b.signedIn(t) {
				t.Errorf("still signed in after all this: no")
			}
		})
	}
}

// TestChangeOwnPassword: the current password is required, a breached one is refused, and
// the change ends the other sign-ins but not this one.
func TestChangeOwnPassword(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	u := newAccount(t, ts, models.RoleReviewer, testPassword)
	here, there := ts.withNewClient(t), ts.withNewClient(t)
	here.signIn(t, u.Email, testPassword, firefoxLinux)
	there.signIn(t, u.Email, testPassword, chromeMac)

	resp, body := here.postForm(t, "/beheer/account/wachtwoord", url.Values{"current": {"niet mijn wachtwoord"}, "password": {"een nieuw lang wachtwoord"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, nlMsg(t, "account.password.current_wrong")) {
		t.Errorf("wrong current password: status %d, want 422 with the message; body:\n%s", resp.StatusCode, body)
	}
	if strings.Contains(body, "niet mijn wachtwoord") || strings.Contains(body, "een nieuw lang wachtwoord") {
		t.Error("the page echoes a password")
	}
	resp, body = here.postForm(t, "/beheer/account/wachtwoord", url.Values{"current": {testPassword}, "password": {"QwertyQwerty"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, nlMsg(t, "form.password_breached")) {
		t.Errorf("breached new password: status %d, want 422 with the message; body:\n%s", resp.StatusCode, body)
	}
	if !there.signedIn(t) {
		t.Fatal("a refused change signed the other browser out")
	}
	resp, _ = here.postForm(t, "/beheer/account/wachtwoord", url.Values{"current": {testPassword}, "password": {"een nieuw lang wachtwoord"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/beheer/account" {
		t.Fatalf("change password: status %d Location %q, want 303 to /beheer/account", resp.StatusCode, resp.Header.Get("Location"))
	}
	if !here.signedIn(t) {
		t.Error("the browser that changed the password was signed out")
	}
	if there.signedIn(t) {
		t.Error("the other browser is still signed in after the password changed")
	}
	if _, err := ts.Store.Authenticate(context.Background(), u.Email, "een nieuw lang wachtwoord"); err != nil {
		t.Errorf("the new password does not work: %v", err)
	}
	if got := auditEntries(t, ts, models.AuditPasswordChanged, u.ID); got != 1 {
		t.Errorf("password changed audit entries = %d, want 1", got)
	}
}

// TestChangePasswordThrottled: guessing the current password through the change form runs
// into the sign-in throttle (per client), with Retry-After.
func TestChangePasswordThrottled(t *testing.T) {
	t.Parallel()
	ts := newProxiedServer(t, nil) // with the throttle's clock stopped
	u := newAccount(t, ts, models.RoleReviewer, testPassword)
	ts.signIn(t, u.Email, testPassword, firefoxLinux)
	var resp *http.Response
	for range signInClientBurst {
		resp, _ = ts.postForm(t, "/beheer/account/wachtwoord", url.Values{"current": {"geraden wachtwoord"}, "password": {"een nieuw lang wachtwoord"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("guess: status %d, want 422", resp.StatusCode)
		}
	}
	resp, _ = ts.postForm(t, "/beheer/account/wachtwoord", url.Values{"current": {testPassword}, "password": {"een nieuw lang wachtwoord"}})
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("after %d wrong guesses: status %d Retry-After %q, want 429 with Retry-After", signInClientBurst, resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}

// resetMail reads the link to choose a new password out of an e-mail.
var resetLink = regexp.MustCompile(`https?://[^\s"<>]+/beheer/wachtwoord-herstellen/[A-Za-z0-9_-]+`)

// mailText decodes the text parts of a raw e-mail.
func mailText(t *testing.T, raw []byte) string {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse e-mail: %v", err)
	}
	var out strings.Builder
	var walk func(contentType, encoding string, body io.Reader)
	walk = func(contentType, encoding string, body io.Reader) {
		media, params, _ := mime.ParseMediaType(contentType)
		if strings.HasPrefix(media, "multipart/") {
			mr := multipart.NewReader(body, params["boundary"])
			for {
				p, err := mr.NextRawPart()
				if err != nil {
					return
				}
				walk(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p)
			}
		}
		if strings.EqualFold(encoding, "quoted-printable") {
			body = quotedprintable.NewReader(body)
		}
		b, _ := io.ReadAll(body)
		out.Write(b)
	}
	walk(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
	return out.String()
}

// TestPasswordResetFlow: "forgot password" through the real outbox, mail worker and an SMTP
// server: the same page for a known and an unknown address, one e-mail (to the known one),
// a link that works once and signs in, and every other sign-in ended.
func TestPasswordResetFlow(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	srv, err := cluster.StartMailServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	sender, err := dpmail.NewSMTPSender(srv.URL(), "Dagplanner <noreply@dagplanner.example>")
	if err != nil {
		t.Fatal(err)
	}
	worker := &dpmail.Worker{Store: ts.Store, Composer: &dpmail.Composer{Store: ts.Store, BaseURL: ts.URL}, Sender: sender, Log: discardLogger()}
	u := newAccount(t, ts, models.RoleReviewer, testPassword)
	before := ts.withNewClient(t)
	before.signIn(t, u.Email, testPassword, chromeMac)

	// The sign-in page links to the form.
	if _, body := ts.get(t, "/beheer/inloggen"); !strings.Contains(body, `href="/beheer/wachtwoord-vergeten"`) {
		t.Error("the sign-in page has no link to /beheer/wachtwoord-vergeten")
	}
	requestIDs := regexp.MustCompile(`[0-9a-f]{16,}`)
	ask := func(email string) string {
		resp, body := ts.postForm(t, "/beheer/wachtwoord-vergeten", url.Values{"email": {email}})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("POST forgot for %s: status %d, want 200", email, resp.StatusCode)
		}
		return requestIDs.ReplaceAllString(body, "")
	}
	known, unknown := ask(strings.ToUpper(u.Email)), ask("niemand-"+u.Email)
	if known != unknown {
		t.Errorf("the answer differs for a known and an unknown address:\nknown:\n%s\nunknown:\n%s", known, unknown)
	}
	if !strings.Contains(known, nlMsg(t, "password.forgot.sent")) {
		t.Errorf("the answer does not say a link may be on its way:\n%s", known)
	}
	if resp, body := ts.postForm(t, "/beheer/wachtwoord-vergeten", url.Values{"email": {"geen adres"}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `value="geen adres"`) {
		t.Errorf("a malformed address: status %d, want 422 keeping what was typed", resp.StatusCode)
	}

	for {
		sent, failed, err := worker.RunOnce(context.Background())
		if err != nil || failed != 0 {
			t.Fatalf("worker: %d failed, %v", failed, err)
		}
		if sent == 0 {
			break
		}
	}
	msgs := srv.Messages()
	if len(msgs) != 1 || len(msgs[0].To) != 1 || msgs[0].To[0] != u.Email {
		t.Fatalf("e-mails sent %+v, want one to %s", msgs, u.Email)
	}
	link := resetLink.FindString(mailText(t, msgs[0].Raw))
	if link == "" {
		t.Fatalf("no link in the e-mail:\n%s", mailText(t, msgs[0].Raw))
	}
	path := strings.TrimPrefix(link, ts.URL)

	resp, body := ts.get(t, path)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, u.Email) {
		t.Fatalf("GET the link: status %d, want 200 naming the account; body:\n%s", resp.StatusCode, body)
	}
	if resp, body := ts.postForm(t, path, url.Values{"password": {"te kort"}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, nlMsg(t, "form.password_too_short", "Min", 12)) {
		t.Errorf("a short password: status %d, want 422 with the rule", resp.StatusCode)
	}
	// CSRF: another site cannot use the link.
	if resp, _ := ts.postFormCrossOrigin(t, path, url.Values{"password": {"een gekozen wachtwoord"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin POST of the link: status %d, want 403", resp.StatusCode)
	}
	resp, _ = ts.postForm(t, path, url.Values{"password": {"een gekozen wachtwoord"}}, "User-Agent", firefoxLinux)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/beheer/voorstellen" {
		t.Fatalf("POST the link: status %d Location %q, want 303 to the reviewer's first page", resp.StatusCode, resp.Header.Get("Location"))
	}
	if !ts.signedIn(t) {
		t.Error("choosing the new password did not sign in")
	}
	if before.signedIn(t) {
		t.Error("the browser signed in before the reset is still signed in")
	}
	if _, err := ts.Store.Authenticate(context.Background(), u.Email, "een gekozen wachtwoord"); err != nil {
		t.Errorf("the new password does not work: %v", err)
	}
	// Single use.
	other := ts.withNewClient(t)
	if resp, body := other.get(t, path); resp.StatusCode != http.StatusNotFound || !strings.Contains(body, nlMsg(t, "password.reset.invalid")) {
		t.Errorf("GET a used link: status %d, want 404 saying so", resp.StatusCode)
	}
	if resp, _ := other.postForm(t, path, url.Values{"password": {"nog een ander wachtwoord"}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("POST a used link: status %d, want 404", resp.StatusCode)
	}
	var signIns []models.SignIn
	if modelstest.Find(t, ts.Store, &signIns, modelstest.Where("user_id = ? AND method = ?", u.ID, "reset")); len(signIns) != 1 {
		t.Errorf("sign-ins with method reset: %d, want 1", len(signIns))
	}
	if got := auditEntries(t, ts, models.AuditPasswordReset, u.ID); got != 1 {
		t.Errorf("password reset audit entries = %d, want 1", got)
	}
}

// TestPasswordResetRoutesArePublic checks who may use the "forgot password" routes: anyone,
// signed in or not; and TestPasswordResetFlow their CSRF protection.
func TestPasswordResetRoutesArePublic(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	signedIn := ts.withNewClient(t)
	signedIn.loginAs(t, models.RoleDoor, "zwolle")
	for _, b := range []*testServer{ts, signedIn} {
		if resp, _ := b.get(t, "/beheer/wachtwoord-vergeten"); resp.StatusCode != http.StatusOK {
			t.Errorf("GET /beheer/wachtwoord-vergeten: status %d, want 200", resp.StatusCode)
		}
		if resp, _ := b.postForm(t, "/beheer/wachtwoord-vergeten", url.Values{"email": {"wie@example.nl"}}); resp.StatusCode != http.StatusOK {
			t.Errorf("POST /beheer/wachtwoord-vergeten: status %d, want 200", resp.StatusCode)
		}
		if resp, _ := b.get(t, "/beheer/wachtwoord-herstellen/onbekend-maar-lang-genoeg-token"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET an unknown link: status %d, want 404", resp.StatusCode)
		}
		if resp, _ := b.postForm(t, "/beheer/wachtwoord-herstellen/onbekend-maar-lang-genoeg-token", url.Values{"password": {"een gekozen wachtwoord"}}); resp.StatusCode != http.StatusNotFound {
			t.Errorf("POST an unknown link: status %d, want 404", resp.StatusCode)
		}
	}
	if resp, _ := ts.postFormCrossOrigin(t, "/beheer/wachtwoord-vergeten", url.Values{"email": {"wie@example.nl"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin POST /beheer/wachtwoord-vergeten: status %d, want 403", resp.StatusCode)
	}
}

// TestPasswordResetRateLimited: one address gets a few links, then 429 with Retry-After,
// whether or not it has an account.
func TestPasswordResetRateLimited(t *testing.T) {
	ts := newTestServer(t)
	var resp *http.Response
	var body string
	for i := 0; ; i++ {
		resp, body = ts.postForm(t, "/beheer/wachtwoord-vergeten", url.Values{"email": {"onbekend@example.nl"}})
		if resp.StatusCode != http.StatusOK || i > 20 {
			break
		}
	}
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("repeated requests: status %d Retry-After %q, want 429 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if !strings.Contains(body, `value="onbekend@example.nl"`) {
		t.Error("the 429 page does not keep the address typed")
	}
	// Another address from the same client still goes through.
	if resp, _ := ts.postForm(t, "/beheer/wachtwoord-vergeten", url.Values{"email": {"ander@example.nl"}}); resp.StatusCode != http.StatusOK {
		t.Errorf("another address: status %d, want 200", resp.StatusCode)
	}
}

// TestSignInsPage: the list of one's sign-ins, ending one (that browser is signed out on its
// next request), ending all others, and sign-ins ending when idle.
func TestSignInsPage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	u := newAccount(t, ts, models.RoleReviewer, testPassword)
	stranger := newAccount(t, ts, models.RoleReviewer, testPassword)
	here, laptop, phone, strangers := ts.withNewClient(t), ts.withNewClient(t), ts.withNewClient(t), ts.withNewClient(t)
	here.signIn(t, u.Email, testPassword, firefoxLinux)
	laptop.signIn(t, u.Email, testPassword, chromeMac)
	phone.signIn(t, u.Email, testPassword, "Mozilla/5.0 (Linux; Android 15) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36")
	strangers.signIn(t, stranger.Email, testPassword, firefoxLinux)

	resp, body := here.get(t, "/beheer/account/sessies")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET sessies: status %d", resp.StatusCode)
	}
	device := func(browser, system string) string {
		return nlMsg(t, "account.device", "Browser", browser, "System", system)
	}
	for _, want := range []string{device("Firefox", "Linux"), device("Chrome", "macOS"), device("Chrome", "Android"),
		"(" + nlMsg(t, "account.signins.this_browser") + ")", nlMsg(t, "account.signins.end_others")} {
		if !strings.Contains(body, want) {
			t.Errorf("the sign-ins page lacks %q", want)
		}
	}
	list, err := ts.Store.SignInsOf(context.Background(), u.ID, time.Hour)
	if err != nil || len(list) != 3 {
		t.Fatalf("SignInsOf = %d, %v; want 3", len(list), err)
	}
	var laptopID uint
	for _, si := range list {
		if si.UserAgent == chromeMac {
			laptopID = si.ID
		}
	}
	theirs, err := ts.Store.SignInsOf(context.Background(), stranger.ID, time.Hour)
	if err != nil || len(theirs) != 1 {
		t.Fatal(err)
	}
	if resp, _ := here.postForm(t, "/beheer/account/sessies/"+bhID(theirs[0].ID)+"/beeindigen", url.Values{}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("ending another account's sign-in: status %d, want 404", resp.StatusCode)
	}
	if !strangers.signedIn(t) {
		t.Error("another account's sign-in was ended")
	}

	resp, _ = here.postForm(t, "/beheer/account/sessies/"+bhID(laptopID)+"/beeindigen", url.Values{})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("end the laptop's sign-in: status %d, want 303", resp.StatusCode)
	}
	if laptop.signedIn(t) {
		t.Error("the laptop is still signed in after its sign-in was ended")
	}
	if !phone.signedIn(t) || !here.signedIn(t) {
		t.Error("ending the laptop's sign-in signed another browser out")
	}
	resp, _ = here.postForm(t, "/beheer/account/sessies/andere-beeindigen", url.Values{})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("end all others: status %d, want 303", resp.StatusCode)
	}
	if phone.signedIn(t) {
		t.Error("the phone is still signed in after ending all others")
	}
	if !here.signedIn(t) {
		t.Error("ending all others signed this browser out")
	}
	if got := auditEntries(t, ts, models.AuditSignInEnded, u.ID); got != 2 {
		t.Errorf("sign-in ended audit entries = %d, want 2", got)
	}
	if got := auditEntries(t, ts, models.AuditSignIn, u.ID); got != 3 {
		t.Errorf("sign-in audit entries = %d, want 3", got)
	}

	// Idle: two hours and a bit later by the store's clock, nobody is signed in any more.
	ts.Store.SetClock(func() time.Time { return time.Now().Add(models.DefaultSessionIdle + time.Minute) })
	t.Cleanup(func() { ts.Store.SetClock(time.Now) })
	if here.signedIn(t) || strangers.signedIn(t) {
		t.Error("a sign-in idle longer than the idle timeout still works")
	}
}

// TestSignOutEndsSignIn: signing out ends the sign-in, with its audit entry.
func TestSignOutEndsSignIn(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	u := newAccount(t, ts, models.RoleReviewer, testPassword)
	ts.signIn(t, u.Email, testPassword, firefoxLinux)
	if resp, _ := ts.postForm(t, "/beheer/uitloggen", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out: status %d", resp.StatusCode)
	}
	if list, err := ts.Store.SignInsOf(context.Background(), u.ID, time.Hour); err != nil || len(list) != 0 {
		t.Errorf("after signing out %d sign-ins are active (%v), want 0", len(list), err)
	}
	if got := auditEntries(t, ts, models.AuditSignInEnded, u.ID); got != 1 {
		t.Errorf("sign-in ended audit entries = %d, want 1", got)
	}
}

func TestDeviceSummary(t *testing.T) {
	t.Parallel()
	device := func(browser, system string) string {
		return nlText(t, "account.device", "Browser", browser, "System", system)
	}
	cases := map[string]string{
		firefoxLinux: device("Firefox", "Linux"),
		chromeMac:    device("Chrome", "macOS"),
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36 Edg/156.0":                   device("Edge", "Windows"),
		"Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1": device("Safari", "iOS"),
		"curl/8.5.0": device(nlText(t, "account.device.unknown_browser"), nlText(t, "account.device.unknown_system")),
	}
	catalog, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	p := Page{tr: catalog.Translator("nl")}
	for ua, want := range cases {
		if got := deviceSummary(p, ua); got != want {
			t.Errorf("deviceSummary(%q) = %q, want %q", ua, got, want)
		}
	}
}
