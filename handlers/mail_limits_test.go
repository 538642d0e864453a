package handlers

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// The tests of issue #12 point 3: every route that e-mails an address the requester typed is
// limited per client and per recipient, with 429, Retry-After and a message in the person's
// language, and forms keep what was typed.

// newLimitedServer starts the site with a small registration throttle: burst, then perMinute.
func newLimitedServer(t *testing.T, burst, perMinute int) *testServer {
	t.Helper()
	return newTestServerConfig(t, Config{RegistrationBurst: burst, RegistrationsPerMinute: perMinute})
}

// wantRetryAfter fails unless the response says how many seconds to wait.
func wantRetryAfter(t *testing.T, resp *http.Response) {
	t.Helper()
	if n, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || n < 1 {
		t.Errorf("Retry-After got %q, want a number of seconds", resp.Header.Get("Retry-After"))
	}
}

// mailsTo counts the outbox messages to address.
func mailsTo(t *testing.T, ts *testServer, address string) int64 {
	t.Helper()
	return countRows(t, ts, &models.OutboxMessage{}, "LOWER(recipient) = ?", strings.ToLower(address))
}

func TestRegistrationsThrottledPerClient(t *testing.T) {
	ts := newLimitedServer(t, 3, 1)
	for range 3 {
		apiRegister(t, ts, registrationBody(t, nil, nil))
	}
	resp, b := ts.apiCall(t, http.MethodPost, "/api/v1/registrations", registrationBody(t, nil, nil), "", "Accept-Language", "en")
	wantAPIStatus(t, resp, b, http.StatusTooManyRequests)
	if e := wantAPIError(t, b, "too_many_requests", ""); !strings.Contains(e.Message, "Please try again in 1 minute") {
		t.Errorf("message got %q, want it in English with the wait", e.Message)
	}
	wantRetryAfter(t, resp)

	// The form says so in Dutch and keeps what was typed; nothing is stored or mailed.
	email := uniqueEmail("form")
	values := registrationValues("Zoë Getypt", email, nil)
	resp2, body := ts.postForm(t, "/aanmelden/zwolle", values)
	wantStatus(t, resp2, body, http.StatusTooManyRequests)
	wantRetryAfter(t, resp2)
	wantContains(t, "the limited form", body, nlMsg(t, "limit.too_many", "Count", 1), `value="Zoë Getypt"`, `value="`+email+`"`)
	if n := countRows(t, ts, &models.Registration{}, "email = ?", email); n != 0 {
		t.Errorf("a limited registration was stored %d times", n)
	}

	// Typing errors never use up the throttle.
	resp, b = ts.apiCall(t, http.MethodPost, "/api/v1/registrations", registrationBody(t, nil, func(m map[string]any) { m["name"] = "" }), "")
	wantAPIStatus(t, resp, b, http.StatusUnprocessableEntity)

	// Another client address has its own allowance: the server sees the peer address.
	other := &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{
		LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 3, 7)}}).DialContext}}
	req, err := http.NewRequest(http.MethodPost, ts.URL+"/api/v1/registrations", strings.NewReader(registrationBody(t, nil, nil)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp3, err := other.Do(req)
	if err != nil {
		t.Fatalf("register from 127.0.3.7: %v", err)
	}
	resp3.Body.Close()
	if resp3.StatusCode != http.StatusCreated {
		t.Errorf("register from 127.0.3.7: status %d, want 201", resp3.StatusCode)
	}
}

// TestRegistrationThrottleDefaults: by default a whole office behind one NAT address can
// register: a burst of 100, then 30 a minute.
func TestRegistrationThrottleDefaults(t *testing.T) {
	t.Parallel()
	l := newMailLimits(Config{}).registrations
	if l.burst != 100 || l.every != 2*time.Second {
		t.Errorf("registration throttle got burst %d, one every %v; want 100, then one every 2s (30 a minute)", l.burst, l.every)
	}
}

// TestRegisterCancelLoopLimited: registering and cancelling again and again mails the address
// each time; the recipient's limit stops it, whatever client asks.
func TestRegisterCancelLoopLimited(t *testing.T) {
	ts := newTestServer(t)
	victim := uniqueEmail("slachtoffer")
	limited := false
	for i := 0; i < 20 && !limited; i++ {
		resp, b := ts.apiCall(t, http.MethodPost, "/api/v1/registrations",
			registrationBody(t, nil, func(m map[string]any) { m["email"], m["name"] = victim, "Koop nu! https://spam.example" }), "")
		if resp.StatusCode == http.StatusTooManyRequests {
			limited = true
			wantRetryAfter(t, resp)
			break
		}
		wantAPIStatus(t, resp, b, http.StatusCreated)
		var r RegistrationJSON
		decodeStrict(t, b, &r)
		resp, b = ts.apiCall(t, http.MethodDelete, "/api/v1/registrations/"+strconv.Itoa(int(r.ID)), "", r.ManageToken)
		if resp.StatusCode == http.StatusTooManyRequests {
			limited = true
			wantRetryAfter(t, resp)
			break
		}
		wantAPIStatus(t, resp, b, http.StatusNoContent)
	}
	if !limited {
		t.Fatal("20 rounds of register and cancel were never limited")
	}
	if n := mailsTo(t, ts, victim); n > 10 {
		t.Errorf("the address got %d e-mails, want at most 10", n)
	}
}

// TestBookingRoutesLimited: changing and cancelling a booking through its pages, and asking
// for the link again, are limited too; the refused form keeps the choices.
func TestBookingRoutesLimited(t *testing.T) {
	ts := newTestServer(t)
	r := apiRegister(t, ts, registrationBody(t, nil, nil))
	var resp *http.Response
	var body string
	for i := 0; i < 12; i++ {
		resp, body = ts.postForm(t, "/boeking/"+r.ManageToken+"/wijzigen", url.Values{})
		if resp.StatusCode == http.StatusTooManyRequests {
			break
		}
	}
	wantStatus(t, resp, body, http.StatusTooManyRequests)
	wantRetryAfter(t, resp)
	wantContains(t, "the limited change", body, nlMsgUpTo(t, "limit.too_many", "Count"))
	resp, body = ts.postForm(t, "/boeking/"+r.ManageToken+"/annuleren", url.Values{})
	wantStatus(t, resp, body, http.StatusTooManyRequests)
	wantContains(t, "the limited cancellation", body, nlMsg(t, "limit.page_title"), nlMsgUpTo(t, "limit.page_body", "Count"))
	// #17: the erasure sends its confirmation to the address, so it is limited alike.
	resp, body = ts.postForm(t, "/boeking/"+r.ManageToken+"/wissen", url.Values{"confirm": {"ja"}})
	wantStatus(t, resp, body, http.StatusTooManyRequests)

	for i := 0; i < 40; i++ {
		resp, body = ts.postForm(t, "/boeking/link", url.Values{"email": {fmt.Sprintf("link%d@example.test", i)}})
		if resp.StatusCode == http.StatusTooManyRequests {
			break
		}
	}
	wantStatus(t, resp, body, http.StatusTooManyRequests)
	wantRetryAfter(t, resp)
	wantContains(t, "the limited link form", body, nlMsgUpTo(t, "limit.too_many", "Count"), `value="link`)
}

// TestProposalEditsLimited: changing a proposal through its API re-invites co-speakers it
// adds; putting the same co-speaker back again and again is limited per recipient (429) and
// mails them at most once a day, and the speaker's page has a limit of its own.
func TestProposalEditsLimited(t *testing.T) {
	ts := newTestServer(t)
	p := apiSubmit(t, ts, proposalBody(t, nil))
	path := "/api/v1/proposals/" + strconv.Itoa(int(p.ID))
	victim := "medespreker.doelwit@example.nl"
	limited := false
	for i := 0; i < 15 && !limited; i++ {
		for _, co := range []string{`[]`, `["` + victim + `"]`} {
			resp, b := ts.apiCall(t, http.MethodPatch, path, `{"co_speakers": `+co+`}`, p.EditToken)
			if resp.StatusCode == http.StatusTooManyRequests {
				limited = true
				wantRetryAfter(t, resp)
				wantAPIError(t, b, "too_many_requests", "")
				break
			}
			wantAPIStatus(t, resp, b, http.StatusOK)
		}
	}
	if !limited {
		t.Error("15 rounds of taking a co-speaker off and on were never limited")
	}
	if n := mailsTo(t, ts, victim); n > 2 {
		t.Errorf("the co-speaker got %d invitations, want at most 2 (now, and one a day later)", n)
	}

	// The speaker's own page: 20 changes at once, then one every half minute.
	token := p.EditToken
	values := proposalValuesFor("anna.voorstel@example.nl")
	values.Set("title", "Mijn getypte titel")
	var resp *http.Response
	var body string
	for i := 0; i < 25; i++ {
		resp, body = ts.postMultipart(t, "/voorstel/"+token, values, "", nil)
		if resp.StatusCode == http.StatusTooManyRequests {
			break
		}
		wantStatus(t, resp, body, http.StatusSeeOther)
	}
	wantStatus(t, resp, body, http.StatusTooManyRequests)
	wantRetryAfter(t, resp)
	wantContains(t, "the limited edit", body, nlMsgUpTo(t, "limit.too_many", "Count"), `value="Mijn getypte titel"`)
}

// TestProposalPhotoLookedAtLast checks issue #12 point 4 in the handlers: a photo is decoded
// only for a valid form the limits allow. With a title missing, the answer is about the title
// alone; the header's claim of 30,000 × 30,000 pixels is never even read.
func TestProposalPhotoLookedAtLast(t *testing.T) {
	ts := newTestServer(t)
	huge := claimPixels(pngBytes(t, testPhoto(2, 2)), 30000, 30000)
	values := proposalValuesFor("foto.later@example.nl")
	values.Set("title", "")
	resp, body := ts.postMultipart(t, "/voorstellen", values, "groot.png", huge)
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, `id="veld-title-error"`) || strings.Contains(body, `id="veld-photo-error"`) {
		t.Errorf("want a problem on the title and none on the unread photo:\n%s", excerpt(body))
	}
	// Valid otherwise, the photo is read and refused.
	values.Set("title", "Met een foto")
	resp, body = ts.postMultipart(t, "/voorstellen", values, "groot.png", huge)
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	wantContains(t, "the refused photo", body, `id="veld-photo-error"`, nlMsg(t, "proposal.photo_too_many_pixels"))
}

// TestRefusedRequestCountsAgainstNoLimit: a request one limit refuses (the recipient has had
// enough mail) uses up nothing of the other (the client's allowance), so a refused attempt
// never costs an honest client or recipient anything.
func TestRefusedRequestCountsAgainstNoLimit(t *testing.T) {
	h := &Handler{log: discardLogger()}
	clients := newKeyedLimiter(time.Hour, 2)
	recipients := newKeyedLimiter(time.Hour, 1)
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest(http.MethodPost, "/boeking/link", nil)
	client := limitKey{limiter: clients, key: "ip:192.0.2.1"}
	if wait := h.waitFor(c, client, limitKey{limiter: recipients, key: "mail:a@example.nl"}); wait != 0 {
		t.Fatalf("first request waits %v, want 0", wait)
	}
	for range 3 { // refused by the recipient's limit each time
		if wait := h.waitFor(c, client, limitKey{limiter: recipients, key: "mail:a@example.nl"}); wait == 0 {
			t.Fatal("a second mail to the same address went ahead, want it refused")
		}
	}
	if wait := h.waitFor(c, client, limitKey{limiter: recipients, key: "mail:b@example.nl"}); wait != 0 {
		t.Errorf("the client's second request to another address waits %v, want 0: refused requests used up its allowance", wait)
	}
}
