package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// newProxiedServer starts the site behind a trusted proxy on the loopback address, so a
// test chooses each request's client address with X-Forwarded-For. adjust, when not nil,
// changes the handler before it serves.
func newProxiedServer(t *testing.T, adjust func(h *Handler)) *testServer {
	t.Helper()
	store := newDemoStore(t)
	h, handler, err := newHandlerForTest(Config{Store: store, Logger: discardLogger(), TrustedProxies: []string{"127.0.0.1"}})
	if err != nil {
		t.Fatalf("handlers.New: %v", err)
	}
	if adjust != nil {
		adjust(h)
	}
	stopThrottleClocks(h)
	return serve(t, store, handler)
}

// stopThrottleClocks stops the clocks of h's sign-in budgets, so that a slow run (the race
// detector on a busy machine hashing each guess) cannot let a budget refill between the
// guesses a test makes and the refusal it expects.
func stopThrottleClocks(h *Handler) {
	at := time.Now()
	h.signIn.clients.now = func() time.Time { return at }
	h.signIn.accounts.now = func() time.Time { return at }
}

// signInFrom posts the log-in form as a browser at client address ip; headers are extra
// name/value pairs.
func signInFrom(t *testing.T, ts *testServer, ip, email, password string, headers ...string) (*http.Response, string) {
	t.Helper()
	form := url.Values{"email": {email}, "password": {password}}
	return ts.postForm(t, "/beheer/inloggen", form, append([]string{"X-Forwarded-For", ip}, headers...)...)
}

// checkThrottled checks a refused sign-in: the status, a Retry-After of whole seconds, the
// message on the e-mail field (wantMsg with %d for those seconds) and the typed address kept.
func checkThrottled(t *testing.T, resp *http.Response, body string, status int, email string, wantMsg func(secs int) string) {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("status got %d, want %d; body:\n%s", resp.StatusCode, status, body)
	}
	secs, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	if err != nil || secs < 2 {
		t.Errorf("Retry-After got %q, want a whole number of seconds above 1", resp.Header.Get("Retry-After"))
	}
	bhCheckProblem(t, body, "email", wantMsg(secs))
	if got := bhFieldValue(t, body, "email"); got != email {
		t.Errorf("e-mail field got %q, want the typed %q", got, email)
	}
}

// nlSeconds is the Dutch text of a message that asks to wait Count seconds.
func nlSeconds(t *testing.T, key string) func(secs int) string {
	return func(secs int) string { return nlText(t, key, "Count", secs) }
}

func TestSignInAttackerCannotLockOutOwner(t *testing.T) {
	t.Parallel()
	ts := newProxiedServer(t, nil)
	email := bhCreateUser(t, ts, models.RoleOrganiser, "")
	const attacker, owner = "203.0.113.9", "198.51.100.7"

	for i := range signInClientBurst {
		if resp, body := signInFrom(t, ts, attacker, email, fmt.Sprintf("geraden wachtwoord %d", i)); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("guess %d: status got %d, want 422; body:\n%s", i+1, resp.StatusCode, body)
		}
	}
	resp, body := signInFrom(t, ts, attacker, email, "nog een gok van de aanvaller")
	checkThrottled(t, resp, body, http.StatusTooManyRequests, email, nlSeconds(t, "login.too_many_from_client"))
	// Even the right password waits at the attacker's address: a refusal says nothing.
	if resp, _ := signInFrom(t, ts, attacker, email, testPassword); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("right password from the throttled address: status got %d, want 429", resp.StatusCode)
	}

	// The owner, elsewhere, signs in as ever.
	owner1 := ts.newClient(t)
	ts.Client = owner1
	if resp, body := signInFrom(t, ts, owner, email, testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("owner's sign-in from another address: status got %d, want 303; body:\n%s", resp.StatusCode, body)
	}
}

func TestSignInSuccessesDoNotCount(t *testing.T) {
	t.Parallel()
	ts := newProxiedServer(t, nil)
	email := bhCreateUser(t, ts, models.RoleOrganiser, "")
	for i := range signInClientBurst + 5 {
		ts.Client = ts.newClient(t)
		if resp, body := signInFrom(t, ts, "192.0.2.44", email, testPassword); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign-in %d with the right password: status got %d, want 303; body:\n%s", i+1, resp.StatusCode, body)
		}
	}
	// A typing error after all those sign-ins is an ordinary failure, not a throttle.
	if resp, body := signInFrom(t, ts, "192.0.2.44", email, "een tikfout in het wachtwoord"); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("wrong password after %d sign-ins: status got %d, want 422; body:\n%s", signInClientBurst+5, resp.StatusCode, body)
	}
}

func TestSignInThrottlesGuessingAcrossAccounts(t *testing.T) {
	t.Parallel()
	ts := newProxiedServer(t, nil)
	const client = "203.0.113.77"
	for i := range signInClientBurst {
		email := fmt.Sprintf("gok-%d@example.nl", i)
		if resp, body := signInFrom(t, ts, client, email, "wachtwoord123456"); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("guess at %s: status got %d, want 422; body:\n%s", email, resp.StatusCode, body)
		}
	}
	const next = "nog-een-account@example.nl"
	resp, body := signInFrom(t, ts, client, next, "wachtwoord123456", "Accept-Language", "en")
	checkThrottled(t, resp, body, http.StatusTooManyRequests, next, func(secs int) string {
		return fmt.Sprintf("Too many failed attempts to sign in from your network. Try again in %d seconds.", secs)
	})

	// An IPv6 client cannot escape by moving within its /64.
	for i := range signInClientBurst {
		signInFrom(t, ts, fmt.Sprintf("2001:db8:1:2::%x", i+1), "zes@example.nl", "wachtwoord123456")
	}
	if resp, _ := signInFrom(t, ts, "2001:db8:1:2:ffff::1", "zes@example.nl", "wachtwoord123456"); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("guess from the same /64: status got %d, want 429", resp.StatusCode)
	}
}

func TestSignInAccountLimit(t *testing.T) {
	t.Parallel()
	const burst = 3
	ts := newProxiedServer(t, func(h *Handler) { h.signIn.accounts = newFailureBudget(time.Minute, burst) })
	email := bhCreateUser(t, ts, models.RoleOrganiser, "")
	for i := range burst {
		if resp, _ := signInFrom(t, ts, fmt.Sprintf("203.0.113.%d", i+1), email, "fout wachtwoord!!"); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("guess %d: status got %d, want 422", i+1, resp.StatusCode)
		}
	}
	resp, body := signInFrom(t, ts, "203.0.113.200", email, "fout wachtwoord!!")
	checkThrottled(t, resp, body, http.StatusTooManyRequests, email, nlSeconds(t, "login.too_many_for_account"))
	// Refused by the account's budget, the new address's own budget is untouched.
	other := bhCreateUser(t, ts, models.RoleOrganiser, "")
	if resp, _ := signInFrom(t, ts, "203.0.113.200", other, testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("another account from that address: status got %d, want 303", resp.StatusCode)
	}
}

func TestSignInWaitsForAFreeHash(t *testing.T) {
	t.Parallel()
	var gate *hashGate
	ts := newProxiedServer(t, func(h *Handler) {
		gate = newHashGate(1, time.Millisecond)
		h.signIn.hashes = gate
	})
	email := bhCreateUser(t, ts, models.RoleOrganiser, "")
	gate.slots <- struct{}{} // another sign-in is hashing

	// Known and unknown addresses alike go through the gate: both hash a password.
	for _, addr := range []string{email, "onbekend@example.nl"} {
		resp, body := signInFrom(t, ts, "192.0.2.1", addr, testPassword)
		checkThrottled(t, resp, body, http.StatusServiceUnavailable, addr, nlSeconds(t, "login.busy"))
	}
	gate.leave()
	if resp, body := signInFrom(t, ts, "192.0.2.1", email, testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("sign-in once the gate is free: status got %d, want 303; body:\n%s", resp.StatusCode, body)
	}
}

func TestFailureBudget(t *testing.T) {
	t.Parallel()
	now := time.Date(2027, 2, 3, 9, 0, 0, 0, time.UTC)
	f := newFailureBudget(30*time.Second, 2)
	f.now = func() time.Time { return now }
	for i := range 2 {
		if ok, _ := f.take("a"); !ok {
			t.Fatalf("take %d refused, want the first 2 allowed", i+1)
		}
	}
	ok, wait := f.take("a")
	if ok || wait != 30*time.Second {
		t.Errorf("3rd take got (%v, %v), want (false, 30s)", ok, wait)
	}
	f.giveBack("a")
	if ok, _ := f.take("a"); !ok {
		t.Error("take after a give-back refused, want allowed")
	}
	now = now.Add(20 * time.Second)
	if ok, wait := f.take("a"); ok || wait != 10*time.Second {
		t.Errorf("take 20 s later got (%v, %v), want (false, 10s)", ok, wait)
	}
	now = now.Add(10 * time.Second)
	if ok, _ := f.take("a"); !ok {
		t.Error("take 30 s later refused, want one attempt back")
	}
	if ok, _ := f.take("b"); !ok {
		t.Error("another key refused, want its own budget")
	}
}

func TestHashGateQueue(t *testing.T) {
	t.Parallel()
	g := newHashGate(1, time.Hour)
	g.maxWaiting = 0
	ctx := modelstest.Ctx()
	if !g.enter(ctx) {
		t.Fatal("enter on a free gate refused")
	}
	if g.enter(ctx) {
		t.Error("enter with the slot taken and no room to wait allowed, want refused")
	}
	ctx, cancel := context.WithCancel(ctx)
	cancel()
	g.maxWaiting = 1
	if g.enter(ctx) {
		t.Error("enter with the request gone allowed, want refused")
	}
	g.leave()
	if !g.enter(modelstest.Ctx()) {
		t.Error("enter after leave refused")
	}
}

func TestClientKey(t *testing.T) {
	t.Parallel()
	tests := []struct{ ip, want string }{
		{"192.0.2.7", "192.0.2.7"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"2001:db8:1:2::9", "2001:db8:1:2::/64"},
		{"::ffff:192.0.2.7", "::ffff:192.0.2.7"},
	}
	for _, tc := range tests {
		if got := clientKey(tc.ip); got != tc.want {
			t.Errorf("clientKey(%q) = %q, want %q", tc.ip, got, tc.want)
		}
	}
}
