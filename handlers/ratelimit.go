package handlers

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// keyedLimiter allows each key (a client address, an e-mail address) a burst of attempts
// and then one more every interval, so that nobody can repeat a costly or e-mailing request
// without end, while an honest repeat soon goes through again.
type keyedLimiter struct {
	mu       sync.Mutex
	limiters map[string]*rate.Limiter
	every    time.Duration
	burst    int
	// shared, when set, also counts every attempt in the database, so that the limit holds
	// across processes (see shared_limits.go).
	shared *sharedLimit
}

// maxTrackedKeys bounds memory: past it the table starts afresh, which at worst gives an
// attacker who floods it with addresses one fresh burst.
const maxTrackedKeys = 10000

func newKeyedLimiter(every time.Duration, burst int) *keyedLimiter {
	return &keyedLimiter{limiters: map[string]*rate.Limiter{}, every: every, burst: burst}
}

// Allow reports whether one more attempt for key may go ahead now.
func (l *keyedLimiter) Allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.limiter(key).Allow()
}

// limiter returns key's limiter, made on first use; l.mu must be held.
func (l *keyedLimiter) limiter(key string) *rate.Limiter {
	lim, ok := l.limiters[key]
	if !ok {
		if len(l.limiters) >= maxTrackedKeys {
			l.limiters = map[string]*rate.Limiter{}
		}
		lim = rate.NewLimiter(rate.Every(l.every), l.burst)
		l.limiters[key] = lim
	}
	return lim
}
