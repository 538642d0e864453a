package handlers

import (
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"github.com/ambtenaar20/dagplanner/models"
)

// Rate limits on every route that e-mails an address the requester typed (issue #12 point
// 3): per client address and per recipient address, so that nobody can use Dagplanner to
// send mail to anyone without end. A limited request gets 429 with Retry-After and, on a
// form, the page again with what was typed.

// Defaults of the registration throttle per client address: generous enough for a whole
// ministry registering from behind one office NAT address.
const (
	DefaultRegistrationBurst     = 100
	DefaultRegistrationPerMinute = 30
)

// mailLimits are the limiters of the routes that send e-mail.
type mailLimits struct {
	// registrations throttles registering per client address (Config.RegistrationBurst,
	// Config.RegistrationsPerMinute).
	registrations *keyedLimiter
	// clients limits the other routes that e-mail someone per client address: changing or
	// cancelling a booking, asking for the link again, changing a proposal.
	clients *keyedLimiter
	// recipients limits how often one address is e-mailed at a requester's word: ten, then
	// one every quarter of an hour, whichever route and client asks.
	recipients *keyedLimiter
	// proposalEdits limits changes to one proposal, whose photo is decoded on every change.
	proposalEdits *keyedLimiter
	// imports limits uploads of attendee lists per client (#13 C): each is read, checked
	// and may e-mail thousands of people.
	imports *keyedLimiter
}

func newMailLimits(cfg Config) *mailLimits {
	burst, perMinute := cfg.RegistrationBurst, cfg.RegistrationsPerMinute
	if burst <= 0 {
		burst = DefaultRegistrationBurst
	}
	if perMinute <= 0 {
		perMinute = DefaultRegistrationPerMinute
	}
	recipients := newKeyedLimiter(15*time.Minute, 10)
	recipients.shared = &sharedLimit{store: cfg.Store, prefix: "recipient:", window: recipientWindow, limit: recipientLimit}
	return &mailLimits{
		registrations: newKeyedLimiter(time.Minute/time.Duration(perMinute), burst),
		clients:       newKeyedLimiter(6*time.Second, 30),
		recipients:    recipients,
		proposalEdits: newKeyedLimiter(30*time.Second, 20),
		imports:       newKeyedLimiter(time.Minute, 30),
	}
}

// reserve reserves one attempt for key at now; the caller cancels it (CancelAt(now)) when the
// request does not go ahead after all.
func (l *keyedLimiter) reserve(key string, now time.Time) *rate.Reservation {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.limiter(key).ReserveN(now, 1)
}

// limitKey is one attempt to count: a limiter and the key it is counted against.
type limitKey struct {
	limiter *keyedLimiter
	key     string
	// localOnly skips the limiter's shared count in the database (see shared_limits.go).
	localOnly bool
}

func byClient(l *keyedLimiter, c *gin.Context) limitKey {
	return limitKey{limiter: l, key: "ip:" + c.ClientIP()}
}

func byAddress(l *keyedLimiter, email string) limitKey {
	return limitKey{limiter: l, key: "mail:" + models.NormalizeEmail(email)}
}

// byRegistrant is byAddress for a new registration, counted in this process only: the
// registration rush pays no database write for it (see shared_limits.go).
func byRegistrant(l *keyedLimiter, email string) limitKey {
	k := byAddress(l, email)
	k.localOnly = true
	return k
}

// waitFor counts an attempt against every key and returns the longest wait among those that
// refused it; 0 means the request may go ahead. A refused request counts against none of the
// keys, so that being refused by one limit (a busy recipient) never uses up another (the
// client's). It logs a refusal.
func (h *Handler) waitFor(c *gin.Context, keys ...limitKey) time.Duration {
	var wait time.Duration
	now := time.Now() // one instant, so that a cancelled reservation gives its token back
	held := make([]*rate.Reservation, 0, len(keys))
	for _, k := range keys {
		r := k.limiter.reserve(k.key, now)
		held = append(held, r)
		wait = max(wait, r.DelayFrom(now))
	}
	if wait == 0 {
		wait = h.waitShared(c, keys)
	}
	if wait > 0 {
		for _, r := range held {
			r.CancelAt(now)
		}
		h.log.Warn("rate limited", "id", c.GetString(ctxRequestID), "path", loggedPath(c), "retry_after", wait.Round(time.Second))
		c.Header("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	}
	return wait
}

// waitShared counts the attempt against the keys' limits shared between processes, once the
// process's own limits allowed it, and returns the longest wait among those that refused it,
// giving back the counts of the others.
func (h *Handler) waitShared(c *gin.Context, keys []limitKey) time.Duration {
	var wait time.Duration
	var counted []limitKey
	for _, k := range keys {
		if k.localOnly || k.limiter.shared == nil {
			continue
		}
		ok, w := k.limiter.shared.take(c.Request.Context(), k.key)
		if ok {
			counted = append(counted, k)
		}
		wait = max(wait, w)
	}
	if wait > 0 {
		for _, k := range counted {
			k.limiter.shared.giveBack(c.Request.Context(), k.key)
		}
	}
	return wait
}

// waitMinutes is a wait in whole minutes, rounded up, for the messages.
func waitMinutes(wait time.Duration) int { return max(1, int(math.Ceil(wait.Minutes()))) }

// tooManyProblem records on a form's field that the request was limited, with the wait.
func tooManyProblem(form *Form, field string, wait time.Duration) {
	form.Problems.Add(field, "limit.too_many", "Count", waitMinutes(wait))
}

// tooManyAPI answers a limited API request: 429 in the API's error shape.
func (h *Handler) tooManyAPI(c *gin.Context, wait time.Duration) {
	h.apiError(c, http.StatusTooManyRequests, "too_many_requests", h.tr(c).T("limit.api_too_many", "Count", waitMinutes(wait)), nil)
}

// registrationWait counts a well-formed registration against the client's registration
// throttle and the recipient's limit; correcting a typing error never uses up either.
func (h *Handler) registrationWait(c *gin.Context, form *Form, email string) time.Duration {
	if !form.Valid() {
		return 0
	}
	return h.waitFor(c, byClient(h.mail.registrations, c), byRegistrant(h.mail.recipients, email))
}

// bookingMailWait counts a change or cancellation of registration r, which e-mails its
// address, against the client's and the address's limits.
func (h *Handler) bookingMailWait(c *gin.Context, r models.Registration) time.Duration {
	return h.waitFor(c, byClient(h.mail.clients, c), byAddress(h.mail.recipients, r.Email))
}

// tooManyPage answers a limited request that has no form to show again (cancelling a
// booking) with a calm page that says how long to wait.
func (h *Handler) tooManyPage(c *gin.Context, wait time.Duration) {
	p := h.page(c, h.tr(c).T("limit.page_title"), "")
	h.render(c, http.StatusTooManyRequests, "error", errorData{Page: p, Heading: p.T("limit.page_title"),
		Body: p.T("limit.page_body", "Count", waitMinutes(wait))})
}
