package handlers

import (
	"context"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
)

// Limits per target (an address that mail is sent to, an account whose password is checked)
// must hold whichever process answers: with several processes behind a proxy, a limit kept
// in memory would let an attacker have as many allowances as there are processes. So they
// are also counted in the database, a fixed window per target (models.CountAttempt: one
// upsert per attempt), behind the finer per-process token buckets, which keep answering
// first. Limits per client address stay per process: at the proxy, nginx's limit_req holds
// them across processes (see docs/operations.md), and the registration rush pays no database write
// for them.
//
// A registration is limited per recipient only in memory: it e-mails an address only when it
// creates that address's one active registration (a repeat is refused as already registered,
// without mail), so across processes the database itself bounds it; cancelling to register
// again goes through the shared limit.

// sharedLimit allows limit attempts per key in each window, counted in the database.
type sharedLimit struct {
	store  *models.Store
	prefix string
	window time.Duration
	limit  int
}

// Shared limits: about the per-process buckets' allowance over the same time, so that one
// process alone meets its own bucket first.
const (
	recipientWindow = time.Hour
	recipientLimit  = 14 // the bucket's 10, then 4 an hour
	accountWindow   = 30 * time.Minute
	accountLimit    = signInAccountBurst + int(accountWindow/signInAccountEvery)
)

// LongestRateWindow is the longest window of the limits counted in the database: counters
// whose window started before it are over and may be deleted.
const LongestRateWindow = recipientWindow

// take counts an attempt for key and reports whether it may go ahead, and otherwise how long
// until the window ends. When the database cannot count, the attempt goes ahead: the
// per-process limits still hold, and a rate limit must not fail a request the database can
// serve a moment later.
func (l *sharedLimit) take(ctx context.Context, key string) (bool, time.Duration) {
	if l == nil || l.store == nil {
		return true, 0
	}
	hits, ends, err := l.store.CountAttempt(ctx, l.prefix+key, l.window)
	if err != nil || hits <= l.limit {
		return true, 0
	}
	return false, max(time.Second, time.Until(ends))
}

// giveBack takes back an attempt counted for key.
func (l *sharedLimit) giveBack(ctx context.Context, key string) {
	if l == nil || l.store == nil {
		return
	}
	l.store.UncountAttempt(context.WithoutCancel(ctx), l.prefix+key)
}
