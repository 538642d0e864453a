package handlers

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// Two processes on one database: the limits per target hold across them, where each
// process's own limits alone would allow twice as much.
func TestTargetLimitsHoldAcrossProcesses(t *testing.T) {
	modelstest.EachShared(t, func(t *testing.T, a, b *models.Store) {
		var hs [2]*Handler
		for i, s := range []*models.Store{a, b} {
			h, _, err := newHandlerForTest(Config{Store: s, Logger: discardLogger()})
			if err != nil {
				t.Fatal(err)
			}
			hs[i] = h
		}
		c, _ := gin.CreateTestContext(httptest.NewRecorder())
		c.Request = httptest.NewRequest(http.MethodPost, "/boeking/link", nil)

		// Mail to one address, asked for through either process in turn.
		allowed := 0
		for i := range 2 * recipientLimit {
			h := hs[i%2]
			if h.waitFor(c, byAddress(h.mail.recipients, "Doelwit@example.nl")) == 0 {
				allowed++
			}
		}
		if allowed != recipientLimit {
			t.Errorf("mails to one address allowed through two processes = %d, want %d", allowed, recipientLimit)
		}
		// Refused attempts counted nothing: another address still has its whole allowance.
		h := hs[0]
		if wait := h.waitFor(c, byAddress(h.mail.recipients, "ander@example.nl")); wait != 0 {
			t.Errorf("first mail to another address waits %v, want 0", wait)
		}
		// A new registration is counted in its process only (the rush pays no write for it).
		if n := countCounters(t, a, "recipient:mail:nieuw@example.nl"); n != 0 {
			t.Fatalf("counter before = %d", n)
		}
		h.waitFor(c, byRegistrant(h.mail.recipients, "nieuw@example.nl"))
		if n := countCounters(t, a, "recipient:mail:nieuw@example.nl"); n != 0 {
			t.Errorf("a registration wrote %d counter rows, want none", n)
		}

		// Failed sign-ins to one account, through either process in turn.
		for _, h := range hs {
			h.signIn.sharedAccounts.limit = 3
		}
		ctx := modelstest.Ctx()
		taken := 0
		for i := range 8 {
			if ok, _ := hs[i%2].signIn.sharedAccounts.take(ctx, "beheerder@example.nl"); ok {
				taken++
			}
		}
		if taken != 3 {
			t.Errorf("failed sign-ins to one account allowed through two processes = %d, want 3", taken)
		}
	})
}

func countCounters(t *testing.T, s *models.Store, name string) int64 {
	t.Helper()
	return modelstest.Count(t, s, &models.RateCounter{}, modelstest.Where("name = ?", name))
}
