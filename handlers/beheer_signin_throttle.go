package handlers

import (
	"context"
	"math"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// Sign-in throttling. Two things are limited, for two reasons:
//
//   - Failed sign-ins, so that passwords cannot be guessed. The budget is kept per client
//     address (small: guessing across many accounts from one client soon stops) and per
//     account (much larger: an attacker elsewhere cannot lock its owner out). A successful
//     sign-in never uses it up.
//   - Password hashes running at once, so that memory stays bounded: each argon2id hash
//     holds 19 MiB, and it runs for unknown addresses too (so that a failure takes as long
//     either way).

const (
	// signInClientBurst failed sign-ins from one client address, then one per
	// signInClientEvery: an office behind one address has room for typing errors.
	signInClientBurst = 20
	signInClientEvery = 30 * time.Second
	// signInAccountBurst failed sign-ins to one account from anywhere, then one per
	// signInAccountEvery: only a guesser using many addresses ever reaches it.
	signInAccountBurst = 100
	signInAccountEvery = 30 * time.Second
	// signInHashWait is how long a sign-in waits for a free hash slot before it is told
	// to try again; signInBusyRetry is the Retry-After it then gets.
	signInHashWait  = 3 * time.Second
	signInBusyRetry = 5 * time.Second
)

// signInThrottle holds the failure budgets and the hash gate of the sign-in form.
type signInThrottle struct {
	clients  *failureBudget
	accounts *failureBudget
	// sharedAccounts counts failures per account in the database as well, so that the
	// account's budget holds across processes (see shared_limits.go).
	sharedAccounts *sharedLimit
	hashes         *hashGate
}

// newSignInThrottle lets hashes password hashes run at once; 0 means half the CPUs (at
// least one), so that hashing never takes every core from the attendees' pages.
func newSignInThrottle(hashes int, store *models.Store) *signInThrottle {
	if hashes <= 0 {
		hashes = max(1, runtime.NumCPU()/2)
	}
	return &signInThrottle{
		clients:        newFailureBudget(signInClientEvery, signInClientBurst),
		accounts:       newFailureBudget(signInAccountEvery, signInAccountBurst),
		sharedAccounts: &sharedLimit{store: store, prefix: "signin:", window: accountWindow, limit: accountLimit},
		hashes:         newHashGate(hashes, signInHashWait),
	}
}

// clientKey is the budget key of a client address: the address itself for IPv4, and its
// /64 network for IPv6, since one household or server holds a whole /64.
func clientKey(ip string) string {
	addr := net.ParseIP(ip)
	if addr == nil || addr.To4() != nil {
		return ip
	}
	return addr.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// failureBudget is a token bucket per key: take one token before an attempt and give it
// back when the attempt succeeds, so that only failures use the budget up, and attempts
// made at the same moment cannot together overrun it.
type failureBudget struct {
	mu      sync.Mutex
	buckets map[string]*bucket
	every   time.Duration
	burst   float64
	now     func() time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newFailureBudget(every time.Duration, burst int) *failureBudget {
	return &failureBudget{buckets: map[string]*bucket{}, every: every, burst: float64(burst), now: time.Now}
}

// refill brings b up to date at now.
func (f *failureBudget) refill(b *bucket, now time.Time) {
	b.tokens = math.Min(f.burst, b.tokens+float64(now.Sub(b.at))/float64(f.every))
	b.at = now
}

// take uses one attempt of key's budget. When none is left it reports false and how long
// until the next attempt is allowed.
func (f *failureBudget) take(key string) (bool, time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	b, ok := f.buckets[key]
	if !ok {
		f.makeRoom(now)
		b = &bucket{tokens: f.burst, at: now}
		f.buckets[key] = b
	}
	f.refill(b, now)
	if b.tokens < 1 {
		return false, time.Duration((1 - b.tokens) * float64(f.every))
	}
	b.tokens--
	return true, 0
}

// giveBack returns an attempt taken for key: it succeeded, or it was never made.
func (f *failureBudget) giveBack(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if b, ok := f.buckets[key]; ok {
		f.refill(b, f.now())
		b.tokens = math.Min(f.burst, b.tokens+1)
	}
}

// makeRoom bounds memory at maxTrackedKeys: it forgets the keys whose budget is whole
// again (they hold nothing worth remembering) and, if that is not enough, all of them.
func (f *failureBudget) makeRoom(now time.Time) {
	if len(f.buckets) < maxTrackedKeys {
		return
	}
	for k, b := range f.buckets {
		if f.refill(b, now); b.tokens >= f.burst {
			delete(f.buckets, k)
		}
	}
	if len(f.buckets) >= maxTrackedKeys {
		f.buckets = map[string]*bucket{}
	}
}

// hashGate bounds how many password hashes run at once. A sign-in waits briefly for a
// slot; a short queue keeps that wait short, and anyone beyond it is refused at once.
type hashGate struct {
	slots   chan struct{}
	wait    time.Duration
	waiting atomic.Int64
	// maxWaiting is how many sign-ins may wait for a slot at the same time.
	maxWaiting int64
}

func newHashGate(n int, wait time.Duration) *hashGate {
	return &hashGate{slots: make(chan struct{}, n), wait: wait, maxWaiting: int64(16 * n)}
}

// enter takes a slot, waiting up to g.wait for one. It reports false when none came free,
// the queue was full, or ctx ended; only after true must the caller call leave.
func (g *hashGate) enter(ctx context.Context) bool {
	select {
	case g.slots <- struct{}{}:
		return true
	default:
	}
	if g.waiting.Add(1) > g.maxWaiting {
		g.waiting.Add(-1)
		return false
	}
	defer g.waiting.Add(-1)
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-ctx.Done():
		return false
	}
}

// leave frees the slot taken by enter.
func (g *hashGate) leave() { <-g.slots }

// checkSignIn checks email and password behind the throttle and returns the account. When
// the sign-in fails it records why on form and returns the status to answer with (429 or
// 503 with Retry-After when the person must wait); the error is for anything else.
func (h *Handler) checkSignIn(c *gin.Context, form *Form, email, password string) (models.User, int, error) {
	t := h.signIn
	client, account := "ip:"+clientKey(c.ClientIP()), models.NormalizeEmail(email)
	if ok, wait := t.clients.take(client); !ok {
		return h.refuseSignIn(c, form, http.StatusTooManyRequests, "login.too_many_from_client", wait)
	}
	if ok, wait := t.accounts.take(account); !ok {
		t.clients.giveBack(client)
		return h.refuseSignIn(c, form, http.StatusTooManyRequests, "login.too_many_for_account", wait)
	}
	ctx := c.Request.Context()
	if ok, wait := t.sharedAccounts.take(ctx, account); !ok {
		t.clients.giveBack(client)
		t.accounts.giveBack(account)
		return h.refuseSignIn(c, form, http.StatusTooManyRequests, "login.too_many_for_account", wait)
	}
	if !t.hashes.enter(ctx) {
		t.clients.giveBack(client)
		t.accounts.giveBack(account)
		t.sharedAccounts.giveBack(ctx, account)
		return h.refuseSignIn(c, form, http.StatusServiceUnavailable, "login.busy", signInBusyRetry)
	}
	user, err := h.store.Authenticate(c.Request.Context(), email, password)
	t.hashes.leave()
	if st, shown := form.showStoreError(err, formAnswer{Err: models.ErrInvalidCredentials, Field: "email"}); shown && err != nil {
		return models.User{}, st, nil
	}
	// Only a wrong password counts: a success, or a failure of ours, is given back.
	t.clients.giveBack(client)
	t.accounts.giveBack(account)
	t.sharedAccounts.giveBack(ctx, account)
	if err != nil {
		return models.User{}, 0, err
	}
	return user, http.StatusOK, nil
}

// refuseSignIn answers a sign-in that must wait: Retry-After in whole seconds, and the
// same number in the message on the form.
func (h *Handler) refuseSignIn(c *gin.Context, form *Form, status int, key string, wait time.Duration) (models.User, int, error) {
	secs := retryAfter(c, wait)
	form.Problems.Add("email", key, "Count", secs)
	h.log.Warn("sign-in refused", "id", c.GetString(ctxRequestID), "reason", key, "retry_after", secs)
	return models.User{}, status, nil
}

// retryAfter sets the Retry-After header to wait in whole seconds (at least one) and returns
// that number, for the message.
func retryAfter(c *gin.Context, wait time.Duration) int {
	secs := max(1, int(math.Ceil(wait.Seconds())))
	c.Header("Retry-After", strconv.Itoa(secs))
	return secs
}
