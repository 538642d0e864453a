package handlers

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// Helpers shared by the registration tests (HTML and API).

var attendeeSeq atomic.Int64

// uniqueEmail returns an address no demo attendee and no other test uses.
func uniqueEmail(prefix string) string {
	return fmt.Sprintf("%s-%d@example.test", prefix, attendeeSeq.Add(1))
}

// countRows counts the rows of model matching the condition ("" for all).
func countRows(t *testing.T, ts *testServer, model any, query string, args ...any) int64 {
	t.Helper()
	q := modelstest.All
	if query != "" {
		q = modelstest.Where(query, args...)
	}
	return modelstest.Count(t, ts.Store, model, q)
}

func registrationCount(t *testing.T, ts *testServer) int64 {
	t.Helper()
	return countRows(t, ts, &models.Registration{}, "")
}

// outboxCount counts the e-mails of one kind queued for a registration.
func outboxCount(t *testing.T, ts *testServer, regID uint, kind string) int64 {
	t.Helper()
	return countRows(t, ts, &models.OutboxMessage{}, "registration_id = ? AND kind = ?", regID, kind)
}

// venueSessions returns the venue as stored now and its sessions with their current counts.
func venueSessions(t *testing.T, ts *testServer, slug string) (models.Venue, []models.Session) {
	t.Helper()
	v := testVenue(t, ts, slug)
	ss, err := ts.Store.SessionsOfVenue(modelstest.Ctx(), v.ID)
	if err != nil {
		t.Fatalf("sessions of %s: %v", slug, err)
	}
	return v, ss
}

// openSessionIn returns a one-slot session starting in slot that has at least minSeats seats
// left, other than the sessions in except.
func openSessionIn(t *testing.T, ts *testServer, slug string, slot uint, minSeats int, except ...uint) models.Session {
	t.Helper()
	_, ss := venueSessions(t, ts, slug)
	for _, s := range ss {
		if len(s.Slots) == 1 && s.Slots[0].SlotID == slot && s.SeatsLeft() >= minSeats && !contains(idStrings(except), strconv.Itoa(int(s.ID))) {
			return s
		}
	}
	t.Fatalf("%s slot %d: no one-slot session with %d seats left (except %v)", slug, slot, minSeats, except)
	return models.Session{}
}

// sessionCounter returns a session's confirmed-seat counter as stored now.
func sessionCounter(t *testing.T, ts *testServer, id uint) int {
	t.Helper()
	s, err := ts.Store.Session(modelstest.Ctx(), id)
	if err != nil {
		t.Fatalf("session %d: %v", id, err)
	}
	return s.Confirmed
}

// twoSlotSessionAt returns a two-slot session of the venue.
func twoSlotSessionAt(t *testing.T, ts *testServer, slug string) models.Session {
	t.Helper()
	_, ss := venueSessions(t, ts, slug)
	for _, s := range ss {
		if len(s.Slots) == 2 {
			return s
		}
	}
	t.Fatalf("%s: no two-slot session in the demo", slug)
	return models.Session{}
}

// addSmallSession adds a session with room for one person, in a new room at the venue, in
// the venue's slot with the given index, so it clashes with nothing in the demo.
func addSmallSession(t *testing.T, ts *testServer, slug string, slotIndex int, title string) models.Session {
	t.Helper()
	ctx := modelstest.Ctx()
	v := testVenue(t, ts, slug)
	room, err := ts.Store.CreateRoom(ctx, v.ID, models.RoomInput{Name: "Kamer voor " + title, Capacity: 30})
	if err != nil {
		t.Fatalf("create room: %v", err)
	}
	s, err := ts.Store.CreateSession(ctx, testEvent(t, ts).ID, models.SessionInput{
		Title: title, Format: "workshop", VenueID: v.ID, RoomID: room.ID,
		FirstSlotID: v.Slots[slotIndex].ID, SlotCount: 1, CapacityLimit: 1,
	})
	if err != nil {
		t.Fatalf("create session %q: %v", title, err)
	}
	return s
}

func slotField(id uint) string     { return "slot-" + strconv.Itoa(int(id)) }
func waitlistField(id uint) string { return "wachtlijst-" + strconv.Itoa(int(id)) }
func idString(id uint) string      { return strconv.Itoa(int(id)) }

// registrationValues is a complete registration form; choices maps form fields
// ("slot-ID", "wachtlijst-ID") to session ids.
func registrationValues(name, email string, choices map[string]uint) url.Values {
	f := url.Values{
		"name": {name}, "email": {email}, "organisation": {"Gemeente Testdorp"},
		"job_title": {"Adviseur"}, "dietary": {"Vegetarisch, geen noten"}, "accessibility": {""},
		"consent": {"ja"},
	}
	for field, id := range choices {
		f.Set(field, idString(id))
	}
	return f
}

// registerByForm posts the registration form and returns the token of the personal link
// it redirects to.
func registerByForm(t *testing.T, ts *testServer, slug string, form url.Values, headers ...string) string {
	t.Helper()
	resp, body := ts.postForm(t, "/aanmelden/"+slug, form, headers...)
	wantStatus(t, resp, body, http.StatusSeeOther)
	token, ok := strings.CutPrefix(resp.Header.Get("Location"), "/boeking/")
	if !ok || token == "" || strings.Contains(token, "/") {
		t.Fatalf("POST /aanmelden/%s: Location got %q, want /boeking/TOKEN", slug, resp.Header.Get("Location"))
	}
	return token
}

// registrationOf looks up the registration behind a personal link.
func registrationOf(t *testing.T, ts *testServer, token string) models.Registration {
	t.Helper()
	r, err := ts.Store.RegistrationByToken(modelstest.Ctx(), token)
	if err != nil {
		t.Fatalf("registration by token: %v", err)
	}
	return r
}

var bookingLine = regexp.MustCompile(`(?s)href="/sessies/(\d+)">.*?</a>.*?<strong>(.*?)</strong>`)

// bookedSessions reads the "your programme" list of a booking page: session id → status text.
func bookedSessions(t *testing.T, body string) map[uint]string {
	t.Helper()
	out := map[uint]string{}
	start := strings.Index(body, `class="plain-list booking-list"`)
	if start < 0 {
		return out
	}
	list := body[start:]
	list = list[:strings.Index(list, "</ul>")]
	for _, m := range bookingLine.FindAllStringSubmatch(list, -1) {
		id, _ := strconv.Atoi(m[1])
		out[uint(id)] = m[2]
	}
	return out
}

// wantBooked fails unless the booking page lists exactly the sessions in want, each with the
// wanted status text.
func wantBooked(t *testing.T, what, body string, want map[uint]string) {
	t.Helper()
	got := bookedSessions(t, body)
	for id, status := range want {
		if got[id] != status {
			t.Errorf("%s: session %d got status %q, want %q", what, id, got[id], status)
		}
	}
	for id, status := range got {
		if _, ok := want[id]; !ok {
			t.Errorf("%s: session %d listed as %q, want it not listed", what, id, status)
		}
	}
}

var rawKey = regexp.MustCompile(`\[\]|\[(form|register|booking|resend|api|error|venue)\.[a-z_.]+\]|<no value>|%!`)

// wantTranslated fails when a page shows an untranslated message key or a template hole.
func wantTranslated(t *testing.T, what, body string) {
	t.Helper()
	if m := rawKey.FindString(body); m != "" {
		t.Errorf("%s: got %q in the page, want only translated text; body:\n%s", what, m, excerpt(body))
	}
}

// errorMessages counts the error messages shown next to fields.
func errorMessages(body string) int {
	return strings.Count(body, `class="utrecht-form-field-error-message"`)
}

// messages are the texts the registration pages show, per language.
type messages struct {
	seatsLeft     func(n int) string
	registerAt    func(city string) string
	noSession     string
	done          string
	hasSeat       string
	waitlisted    func(pos int) string
	required      string
	invalidEmail  string
	consent       string
	sameSlot      string
	already       string
	duplicateHelp string
	changed       string
	cancelYes     string
	isCancelled   string
	notFoundTitle string
	resendSent    string
	venueFull     string
	notAtVenue    func(id uint) string
	invalidChoice string
}

var texts = map[string]messages{
	"nl": {
		seatsLeft:     func(n int) string { return nlMsgVar("venue.seats_left", "Count", n) },
		registerAt:    func(city string) string { return nlMsgVar("register.at_venue", "Venue", city) },
		noSession:     nlMsgVar("register.no_session"),
		done:          nlMsgVar("register.done"),
		hasSeat:       nlMsgVar("booking.confirmed"),
		waitlisted:    func(pos int) string { return nlMsgVar("booking.waitlisted", "Position", pos) },
		required:      nlMsgVar("form.required"),
		invalidEmail:  nlMsgVar("form.invalid_email"),
		consent:       nlMsgVar("form.consent_required"),
		sameSlot:      nlMsgVar("form.sessions_same_slot"),
		already:       nlMsgVar("register.already_registered"),
		duplicateHelp: nlMsgVar("register.duplicate_help"),
		changed:       nlMsgVar("booking.changed"),
		cancelYes:     nlMsgVar("booking.cancel_yes"),
		isCancelled:   nlMsgVar("booking.is_cancelled"),
		notFoundTitle: nlMsgVar("error.not_found.title"),
		resendSent:    nlMsgVar("resend.sent"),
		venueFull:     nlMsgVar("register.venue_full"),
		notAtVenue: func(id uint) string {
			return nlMsgVar("form.session_not_at_venue", "ID", id)
		},
		invalidChoice: nlMsgVar("form.invalid_choice"),
	},
	"en": {
		seatsLeft:     func(n int) string { return fmt.Sprintf("%d seats left", n) },
		registerAt:    func(city string) string { return "Register in " + city },
		noSession:     "No session in this time slot",
		done:          "You are registered.",
		hasSeat:       "you have a seat",
		waitlisted:    func(pos int) string { return fmt.Sprintf("waiting list, place %d", pos) },
		required:      "Please fill in this field.",
		invalidEmail:  "Enter a valid email address, for example name@example.com.",
		consent:       "Please consent to the use of your details; without it we cannot process your registration.",
		sameSlot:      "Choose one session per time slot. A two-slot session counts for both.",
		already:       "Someone is already registered with this e-mail address.",
		duplicateHelp: "Ask for your personal link again",
		changed:       "Your choices have been saved.",
		cancelYes:     "Yes, cancel my registration",
		isCancelled:   "This registration has been cancelled.",
		notFoundTitle: "Page not found",
		resendSent:    "If this e-mail address is registered, we have just sent a new personal link to it.",
		venueFull:     "This venue is full.",
		notAtVenue: func(id uint) string {
			return fmt.Sprintf("Choose only sessions at this venue (session %d is not one of them).", id)
		},
		invalidChoice: "Choose one of the options.",
	},
}

func TestRegisterVenuesPage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	venues, err := ts.Store.Venues(modelstest.Ctx(), testEvent(t, ts).ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(venues) != 2 {
		t.Fatalf("demo venues: got %d, want 2", len(venues))
	}
	for _, lang := range []string{"nl", "en"} {
		t.Run(lang, func(t *testing.T) {
			msg := texts[lang]
			resp, body := ts.get(t, "/aanmelden", "Accept-Language", lang)
			wantStatus(t, resp, body, http.StatusOK)
			for _, v := range venues {
				if v.SeatsLeft() <= 1 {
					t.Fatalf("venue %s: %d seats left in the demo, want more than 1", v.Slug, v.SeatsLeft())
				}
				wantContains(t, "venue list, "+v.Slug, body,
					html.EscapeString(v.City+": "+v.NameIn(lang)), html.EscapeString(v.Address),
					msg.seatsLeft(v.SeatsLeft()), `href="/aanmelden/`+v.Slug+`"`, msg.registerAt(v.City))
			}
			wantContains(t, "venue list", body, `href="/boeking/link"`)
		})
	}
}

func TestRegisterFormShowsSlots(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	venue, sessions := venueSessions(t, ts, "zwolle")
	for _, lang := range []string{"nl", "en"} {
		t.Run(lang, func(t *testing.T) {
			resp, body := ts.get(t, "/aanmelden/zwolle", "Accept-Language", lang)
			wantStatus(t, resp, body, http.StatusOK)
			if got, want := strings.Count(body, `<fieldset class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset slot-choice"`), len(venue.Slots); got != want {
				t.Errorf("fieldsets: got %d, want one per slot (%d)", got, want)
			}
			if got, want := strings.Count(body, texts[lang].noSession), len(venue.Slots); got != want {
				t.Errorf("%q: got %d, want one per slot (%d)", texts[lang].noSession, got, want)
			}
			sawFull := false
			for _, sl := range venue.Slots {
				field := slotField(sl.ID)
				wantContains(t, "slot "+field, body, `id="veld-`+field+`"`,
					`name="`+field+`" value="" checked>`) // "no session" is the default
				radios := 1
				for _, s := range sessions {
					if len(s.Slots) == 0 || s.Slots[0].SlotID != sl.ID {
						continue // a session waiting for a place is offered in no slot
					}
					radios++
					wantContains(t, "slot "+field, body, `name="`+field+`" value="`+idString(s.ID)+`"`, html.EscapeString(s.TitleIn(lang)))
					if s.SeatsLeft() == 0 {
						sawFull = true
						wantContains(t, "full session", body, `name="`+waitlistField(sl.ID)+`"`, `<option value="`+idString(s.ID)+`">`)
					}
				}
				if got := strings.Count(body, `name="`+field+`"`); got != radios {
					t.Errorf("slot %s: got %d radios, want %d (the sessions starting in it and \"none\")", field, got, radios)
				}
			}
			if !sawFull {
				t.Errorf("demo at zwolle: got no full session, want at least one to offer a waiting list")
			}
			waiting := 0
			for _, s := range sessions {
				if len(s.Slots) == 0 {
					waiting++
					if strings.Contains(body, `value="`+idString(s.ID)+`"`) {
						t.Errorf("session %q has no place yet but is offered in the form", s.Title)
					}
				}
			}
			if waiting == 0 {
				t.Errorf("demo at zwolle: no session waiting for a place, want the demo's unplaced sessions")
			}
			if n := errorMessages(body); n != 0 {
				t.Errorf("fresh form: got %d error messages, want none", n)
			}
			wantTranslated(t, "fresh form", body)
		})
	}
}

func TestRegisterFlow(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	venue := testVenue(t, ts, "zwolle")
	for _, lang := range []string{"nl", "en"} {
		t.Run(lang, func(t *testing.T) {
			msg := texts[lang]
			hdr := []string{"Accept-Language", lang}
			first := openSessionIn(t, ts, "zwolle", venue.Slots[0].ID, 2)
			second := openSessionIn(t, ts, "zwolle", venue.Slots[1].ID, 2)
			last := openSessionIn(t, ts, "zwolle", venue.Slots[3].ID, 2)
			chosen := []models.Session{first, second, last}
			before := map[uint]int{}
			for _, s := range chosen {
				before[s.ID] = s.Confirmed
			}
			registeredBefore := testVenue(t, ts, "zwolle").Registered

			name := "Zoë d'Ancona-" + lang
			email := uniqueEmail("flow-" + lang)
			form := registrationValues(name, email, map[string]uint{
				slotField(venue.Slots[0].ID): first.ID, slotField(venue.Slots[1].ID): second.ID, slotField(venue.Slots[3].ID): last.ID,
			})
			token := registerByForm(t, ts, "zwolle", form, hdr...)

			resp, body := ts.get(t, "/boeking/"+token, hdr...)
			wantStatus(t, resp, body, http.StatusOK)
			wantContains(t, "booking page", body, html.EscapeString(name), html.EscapeString(email),
				html.EscapeString(venue.NameIn(lang)), msg.done)
			wantBooked(t, "booking page", body, map[uint]string{first.ID: msg.hasSeat, second.ID: msg.hasSeat, last.ID: msg.hasSeat})
			if n := errorMessages(body); n != 0 {
				t.Errorf("booking page: got %d error messages, want none", n)
			}
			wantTranslated(t, "booking page", body)

			r := registrationOf(t, ts, token)
			if r.Name != name || r.Email != email || r.Lang != lang || r.Status != models.RegistrationActive || r.JobTitle != "Adviseur" {
				t.Errorf("stored: got name %q email %q lang %q status %q job %q, want %q %q %q %q %q",
					r.Name, r.Email, r.Lang, r.Status, r.JobTitle, name, email, lang, models.RegistrationActive, "Adviseur")
			}
			if got := outboxCount(t, ts, r.ID, models.MailConfirmation); got != 1 {
				t.Errorf("confirmation e-mails queued: got %d, want 1", got)
			}
			for _, s := range chosen {
				if got, want := sessionCounter(t, ts, s.ID), before[s.ID]+1; got != want {
					t.Errorf("session %d confirmed: got %d, want %d", s.ID, got, want)
				}
			}
			if got, want := testVenue(t, ts, "zwolle").Registered, registeredBefore+1; got != want {
				t.Errorf("venue registered: got %d, want %d", got, want)
			}

			// The flash shows once.
			_, body = ts.get(t, "/boeking/"+token, hdr...)
			if strings.Contains(body, msg.done) {
				t.Errorf("booking page, second visit: got the flash %q again, want it shown once", msg.done)
			}

			// Change: another session in the first slot, nothing in the second.
			other := openSessionIn(t, ts, "zwolle", venue.Slots[0].ID, 2, first.ID)
			otherBefore := other.Confirmed
			resp, body = ts.postForm(t, "/boeking/"+token+"/wijzigen", url.Values{
				slotField(venue.Slots[0].ID): {idString(other.ID)}, slotField(venue.Slots[1].ID): {""},
				slotField(venue.Slots[3].ID): {idString(last.ID)},
			}, hdr...)
			wantStatus(t, resp, body, http.StatusSeeOther)
			if got, want := resp.Header.Get("Location"), "/boeking/"+token; got != want {
				t.Errorf("change: Location got %q, want %q", got, want)
			}
			_, body = ts.get(t, "/boeking/"+token, hdr...)
			wantContains(t, "booking page after change", body, msg.changed)
			wantBooked(t, "booking page after change", body, map[uint]string{other.ID: msg.hasSeat, last.ID: msg.hasSeat})
			wantContains(t, "change form", body, `name="`+slotField(venue.Slots[0].ID)+`" value="`+idString(other.ID)+`" checked`)
			for _, c := range []struct {
				id   uint
				want int
			}{{first.ID, before[first.ID]}, {second.ID, before[second.ID]}, {other.ID, otherBefore + 1}, {last.ID, before[last.ID] + 1}} {
				if got := sessionCounter(t, ts, c.id); got != c.want {
					t.Errorf("after change, session %d confirmed: got %d, want %d", c.id, got, c.want)
				}
			}
			if got := outboxCount(t, ts, r.ID, models.MailChanged); got != 1 {
				t.Errorf("change e-mails queued: got %d, want 1", got)
			}

			// Reconfirm.
			resp, body = ts.postForm(t, "/boeking/"+token+"/bevestigen", nil, hdr...)
			wantStatus(t, resp, body, http.StatusSeeOther)
			if r := registrationOf(t, ts, token); r.ReconfirmedAt == nil {
				t.Errorf("after reconfirming: ReconfirmedAt got nil, want a time")
			}

			// Cancel: first a page that asks, then the POST.
			resp, body = ts.get(t, "/boeking/"+token+"/annuleren", hdr...)
			wantStatus(t, resp, body, http.StatusOK)
			wantContains(t, "cancel page", body, `action="/boeking/`+token+`/annuleren"`, msg.cancelYes, html.EscapeString(name))
			if r := registrationOf(t, ts, token); r.Status != models.RegistrationActive {
				t.Fatalf("after GET of the cancel page: status got %q, want %q", r.Status, models.RegistrationActive)
			}
			resp, body = ts.postForm(t, "/boeking/"+token+"/annuleren", nil, hdr...)
			wantStatus(t, resp, body, http.StatusSeeOther)
			if got, want := resp.Header.Get("Location"), "/boeking/"+token; got != want {
				t.Errorf("cancel: Location got %q, want %q", got, want)
			}
			resp, body = ts.get(t, "/boeking/"+token, hdr...)
			wantStatus(t, resp, body, http.StatusOK)
			wantContains(t, "booking page after cancel", body, msg.isCancelled)
			wantBooked(t, "booking page after cancel", body, map[uint]string{})
			for _, s := range append(chosen, other) {
				want := before[s.ID]
				if s.ID == other.ID {
					want = otherBefore
				}
				if got := sessionCounter(t, ts, s.ID); got != want {
					t.Errorf("after cancel, session %d confirmed: got %d, want %d (freed)", s.ID, got, want)
				}
			}
			if got := testVenue(t, ts, "zwolle").Registered; got != registeredBefore {
				t.Errorf("after cancel, venue registered: got %d, want %d", got, registeredBefore)
			}
			r = registrationOf(t, ts, token)
			if r.Status != models.RegistrationCancelled || len(r.Bookings) != 0 {
				t.Errorf("after cancel: status %q with %d bookings, want %q with none", r.Status, len(r.Bookings), models.RegistrationCancelled)
			}
			if got := outboxCount(t, ts, r.ID, models.MailCancelled); got != 1 {
				t.Errorf("cancellation e-mails queued: got %d, want 1", got)
			}

			// The address is free again.
			again := registerByForm(t, ts, "zwolle", registrationValues(name, email, nil), hdr...)
			if again == token {
				t.Errorf("registering again: got the old token, want a new one")
			}
		})
	}
}

func TestRegisterInvalid(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	venue := testVenue(t, ts, "zwolle")
	s0, s1 := venue.Slots[0].ID, venue.Slots[1].ID
	twoSlot := twoSlotSessionAt(t, ts, "zwolle")
	if twoSlot.Slots[0].SlotID != s0 {
		t.Fatalf("demo: two-slot session %d starts in slot %d, want the first slot %d", twoSlot.ID, twoSlot.Slots[0].SlotID, s0)
	}
	first := openSessionIn(t, ts, "zwolle", s0, 1)
	second := openSessionIn(t, ts, "zwolle", s1, 1)
	// A full session in the last slot, to wait for while keeping a seat there.
	full := addSmallSession(t, ts, "zwolle", 3, "Vol")
	registerByForm(t, ts, "zwolle", registrationValues("Al Binnen", uniqueEmail("binnen"), map[string]uint{slotField(venue.Slots[3].ID): full.ID}))
	keep := openSessionIn(t, ts, "zwolle", venue.Slots[3].ID, 1, full.ID)

	for _, lang := range []string{"nl", "en"} {
		msg := texts[lang]
		for _, tc := range []struct {
			name   string
			edit   func(url.Values)
			field  string // the field with the problem
			errID  string // the element that carries the message
			errMsg string
		}{
			{"missing name", func(f url.Values) { f.Set("name", "") }, "name", `id="veld-name-error">`, msg.required},
			{"blank name", func(f url.Values) { f.Set("name", "   ") }, "name", `id="veld-name-error">`, msg.required},
			{"bad e-mail", func(f url.Values) { f.Set("email", "niet-een-adres@") }, "email", `id="veld-email-error">`, msg.invalidEmail},
			{"no consent", func(f url.Values) { f.Del("consent") }, "consent", `id="veld-consent-error">`, msg.consent},
			{"overlapping sessions", func(f url.Values) {
				f.Set(slotField(s0), idString(twoSlot.ID))
				f.Set(slotField(s1), idString(second.ID))
			}, "sessions", `id="veld-sessions">`, msg.sameSlot},
		} {
			t.Run(lang+"/"+tc.name, func(t *testing.T) {
				form := registrationValues("Jan <de> Vries & \"Zn\"", uniqueEmail("invalid"), map[string]uint{
					slotField(s0): first.ID, slotField(s1): second.ID,
				})
				form.Set("accessibility", "Ringleiding\nen een rustige plek")
				form.Set(slotField(venue.Slots[3].ID), idString(keep.ID))
				form.Set(waitlistField(venue.Slots[3].ID), idString(full.ID))
				tc.edit(form)
				regs, mails := registrationCount(t, ts), countRows(t, ts, &models.OutboxMessage{}, "")

				resp, body := ts.postForm(t, "/aanmelden/zwolle", form, "Accept-Language", lang)
				wantStatus(t, resp, body, http.StatusUnprocessableEntity)
				wantContains(t, "message next to the field", body, tc.errID+html.EscapeString(tc.errMsg)+"<")
				wantContains(t, "error summary", body, `href="#veld-`+tc.field+`"`)
				if n := errorMessages(body); n != 1 {
					t.Errorf("error messages next to fields: got %d, want 1 (for %s)", n, tc.field)
				}
				wantTranslated(t, "invalid form", body)
				for _, f := range []string{"name", "email", "organisation", "job_title"} {
					wantContains(t, "kept "+f, body, `name="`+f+`" value="`+html.EscapeString(form.Get(f))+`"`)
				}
				for _, f := range []string{"dietary", "accessibility"} {
					wantContains(t, "kept "+f, body, `name="`+f+`" rows="6"`, ">"+html.EscapeString(form.Get(f))+"</textarea>")
				}
				if form.Get("consent") == "ja" {
					wantContains(t, "kept consent", body, `name="consent" value="ja" checked`)
				} else if strings.Contains(body, `name="consent" value="ja" checked`) {
					t.Errorf("consent: got it checked, want it as left: unchecked")
				}
				for _, sl := range venue.Slots {
					field := slotField(sl.ID)
					if id := form.Get(field); id != "" {
						wantContains(t, "kept choice", body, `name="`+field+`" value="`+id+`" checked`)
						if strings.Contains(body, `name="`+field+`" value="" checked`) {
							t.Errorf("slot %s: got \"no session\" checked too, want only session %s", field, id)
						}
					} else {
						wantContains(t, "kept no choice", body, `name="`+field+`" value="" checked`)
					}
					if id := form.Get(waitlistField(sl.ID)); id != "" {
						wantContains(t, "kept waiting-list choice", body, `<option value="`+id+`" selected>`)
					}
				}
				if got := registrationCount(t, ts); got != regs {
					t.Errorf("registrations: got %d, want %d (nothing written)", got, regs)
				}
				if got := countRows(t, ts, &models.OutboxMessage{}, ""); got != mails {
					t.Errorf("outbox: got %d messages, want %d (nothing queued)", got, mails)
				}
			})
		}
	}
}

func TestRegisterTamperedChoices(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	venue := testVenue(t, ts, "zwolle")
	slot := venue.Slots[0].ID
	elsewhere := openSessionIn(t, ts, "rotterdam", testVenue(t, ts, "rotterdam").Slots[0].ID, 1)
	for _, lang := range []string{"nl", "en"} {
		msg := texts[lang]
		for _, tc := range []struct {
			name, value, want string
		}{
			{"not a number", "abc", `href="#veld-` + slotField(slot) + `">` + msg.invalidChoice + "</a>"},
			{"negative", "-3", `href="#veld-` + slotField(slot) + `">` + msg.invalidChoice + "</a>"},
			{"session of the other venue", idString(elsewhere.ID), `id="veld-sessions">` + msg.notAtVenue(elsewhere.ID) + "</p>"},
			{"unknown session", "999999", `id="veld-sessions">` + msg.notAtVenue(999999) + "</p>"},
		} {
			t.Run(lang+"/"+tc.name, func(t *testing.T) {
				regs := registrationCount(t, ts)
				form := registrationValues("Jan Jansen", uniqueEmail("tamper"), nil)
				form.Set(slotField(slot), tc.value)
				resp, body := ts.postForm(t, "/aanmelden/zwolle", form, "Accept-Language", lang)
				wantStatus(t, resp, body, http.StatusUnprocessableEntity)
				wantContains(t, "tampered choice", body, tc.want, `name="name" value="Jan Jansen"`)
				wantTranslated(t, "tampered choice", body)
				if strings.HasPrefix(tc.want, `href="#veld-`+slotField(slot)) {
					// The slot's own fieldset shows the problem, and its radios point at it.
					wantContains(t, "slot fieldset", body,
						`id="`+slotField(slot)+`-error">`+msg.invalidChoice+"</p>",
						`aria-describedby="`+slotField(slot)+`-error" aria-invalid="true"`)
				}
				if got := registrationCount(t, ts); got != regs {
					t.Errorf("registrations: got %d, want %d", got, regs)
				}
			})
		}
	}
}

func TestBookingChangeInvalid(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	venue := testVenue(t, ts, "zwolle")
	s0, s1 := venue.Slots[0].ID, venue.Slots[1].ID
	first := openSessionIn(t, ts, "zwolle", s0, 2)
	second := openSessionIn(t, ts, "zwolle", s1, 2)
	twoSlot := twoSlotSessionAt(t, ts, "zwolle")
	token := registerByForm(t, ts, "zwolle", registrationValues("Wim Wijzig", uniqueEmail("wijzig"), map[string]uint{slotField(s0): first.ID}))
	before := sessionCounter(t, ts, first.ID)

	for _, lang := range []string{"nl", "en"} {
		t.Run(lang, func(t *testing.T) {
			msg := texts[lang]
			resp, body := ts.postForm(t, "/boeking/"+token+"/wijzigen", url.Values{
				slotField(s0): {idString(twoSlot.ID)}, slotField(s1): {idString(second.ID)},
			}, "Accept-Language", lang)
			wantStatus(t, resp, body, http.StatusUnprocessableEntity)
			wantContains(t, "invalid change", body, `id="veld-sessions">`+msg.sameSlot+"</p>",
				`name="`+slotField(s0)+`" value="`+idString(twoSlot.ID)+`" checked`,
				`name="`+slotField(s1)+`" value="`+idString(second.ID)+`" checked`)
			if n := errorMessages(body); n != 1 {
				t.Errorf("error messages: got %d, want 1", n)
			}
			wantTranslated(t, "invalid change", body)
			// The booking itself is as it was, and the page says so.
			wantBooked(t, "invalid change", body, map[uint]string{first.ID: msg.hasSeat})
			r := registrationOf(t, ts, token)
			if len(r.Bookings) != 1 || r.Bookings[0].SessionID != first.ID || r.Bookings[0].Status != models.BookingConfirmed {
				t.Errorf("bookings after a refused change: got %+v, want only a seat in %d", r.Bookings, first.ID)
			}
			if got := sessionCounter(t, ts, first.ID); got != before {
				t.Errorf("session %d confirmed: got %d, want %d", first.ID, got, before)
			}
			if got := outboxCount(t, ts, r.ID, models.MailChanged); got != 0 {
				t.Errorf("change e-mails: got %d, want 0", got)
			}
		})
	}

	t.Run("after cancelling", func(t *testing.T) {
		resp, body := ts.postForm(t, "/boeking/"+token+"/annuleren", nil)
		wantStatus(t, resp, body, http.StatusSeeOther)
		resp, body = ts.postForm(t, "/boeking/"+token+"/wijzigen", url.Values{slotField(s0): {idString(first.ID)}})
		wantStatus(t, resp, body, http.StatusUnprocessableEntity)
		wantContains(t, "change after cancelling", body, texts["nl"].isCancelled)
		if r := registrationOf(t, ts, token); r.Status != models.RegistrationCancelled || len(r.Bookings) != 0 {
			t.Errorf("after a change of a cancelled registration: status %q with %d bookings, want cancelled with none", r.Status, len(r.Bookings))
		}
	})
}

func TestRegisterDuplicateEmail(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	email := uniqueEmail("dubbel")
	registerByForm(t, ts, "zwolle", registrationValues("Eerste Persoon", email, nil))
	for _, tc := range []struct{ name, lang, venue, email string }{
		{"same address", "nl", "zwolle", email},
		{"other case and spaces", "nl", "zwolle", "  " + strings.ToUpper(email) + " "},
		{"other venue", "en", "rotterdam", strings.ToUpper(email[:1]) + email[1:]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msg := texts[tc.lang]
			regs := registrationCount(t, ts)
			resp, body := ts.postForm(t, "/aanmelden/"+tc.venue, registrationValues("Tweede Persoon", tc.email, nil), "Accept-Language", tc.lang)
			wantStatus(t, resp, body, http.StatusUnprocessableEntity)
			wantContains(t, "duplicate", body, `id="veld-email-error">`+html.EscapeString(msg.already)+"<",
				msg.duplicateHelp, `href="/boeking/link"`, `name="name" value="Tweede Persoon"`)
			if got := registrationCount(t, ts); got != regs {
				t.Errorf("registrations: got %d, want %d", got, regs)
			}
		})
	}
	// The link to resend is only offered for a duplicate.
	_, body := ts.get(t, "/aanmelden/zwolle")
	if strings.Contains(body, `href="/boeking/link"`) {
		t.Errorf("fresh form: got a link to /boeking/link, want it only after a duplicate address")
	}
}

func TestBookingUnknownToken(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	token := registerByForm(t, ts, "zwolle", registrationValues("Echte Persoon", uniqueEmail("echt"), nil))
	fakes := []string{
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", // the length of a real one
		token[:len(token)-1] + "x",
		"kort",
		strings.Repeat("a", 200),
		"%27%20OR%201%3D1--",
	}
	if token[len(token)-1] == 'x' {
		fakes[1] = token[:len(token)-1] + "y"
	}
	for _, fake := range fakes {
		for _, tc := range []struct{ method, suffix string }{
			{http.MethodGet, ""}, {http.MethodGet, "/annuleren"}, {http.MethodPost, "/annuleren"},
			{http.MethodPost, "/wijzigen"}, {http.MethodPost, "/bevestigen"},
		} {
			path := "/boeking/" + fake + tc.suffix
			t.Run(tc.method+" "+path, func(t *testing.T) {
				var resp *http.Response
				var body string
				if tc.method == http.MethodGet {
					resp, body = ts.get(t, path)
				} else {
					resp, body = ts.postForm(t, path, url.Values{})
				}
				wantStatus(t, resp, body, http.StatusNotFound)
				wantContains(t, "404 page", body, texts["nl"].notFoundTitle)
			})
		}
	}
	if r := registrationOf(t, ts, token); r.Status != models.RegistrationActive {
		t.Errorf("real registration after probing: status got %q, want %q", r.Status, models.RegistrationActive)
	}
}

func TestResendLinkRevealsNothing(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	email := uniqueEmail("link")
	token := registerByForm(t, ts, "zwolle", registrationValues("Link Vrager", email, nil))
	r := registrationOf(t, ts, token)
	linksBefore := countRows(t, ts, &models.OutboxMessage{}, "kind = ?", models.MailLink)

	for _, lang := range []string{"nl", "en"} {
		t.Run(lang, func(t *testing.T) {
			resp, page := ts.get(t, "/boeking/link?email="+url.QueryEscape(email), "Accept-Language", lang)
			wantStatus(t, resp, page, http.StatusOK)
			wantContains(t, "resend form", page, `name="email" value="`+html.EscapeString(email)+`"`)

			// Each request from a fresh browser, so no cookie or flash can tell them apart.
			registered := ts.withNewClient(t)
			resp, known := registered.postForm(t, "/boeking/link", url.Values{"email": {" " + strings.ToUpper(email) + " "}}, "Accept-Language", lang)
			wantStatus(t, resp, known, http.StatusOK)
			unknown := ts.withNewClient(t)
			resp2, other := unknown.postForm(t, "/boeking/link", url.Values{"email": {uniqueEmail("niemand")}}, "Accept-Language", lang)
			wantStatus(t, resp2, other, http.StatusOK)
			if known != other {
				t.Errorf("resend link: got different pages for a registered and an unknown address, want byte-identical\nregistered:\n%s\nunknown:\n%s", excerpt(known), excerpt(other))
			}
			wantContains(t, "resend answer", known, html.EscapeString(texts[lang].resendSent))
			for _, h := range []string{"Content-Type", "Content-Length", "Set-Cookie", "Location"} {
				if a, b := resp.Header.Values(h), resp2.Header.Values(h); strings.Join(a, "|") != strings.Join(b, "|") {
					t.Errorf("header %s: got %q for a registered and %q for an unknown address, want the same", h, a, b)
				}
			}
		})
	}
	if got := outboxCount(t, ts, r.ID, models.MailLink); got != 2 {
		t.Errorf("link e-mails for the registered address: got %d, want 2 (one per request)", got)
	}
	if got, want := countRows(t, ts, &models.OutboxMessage{}, "kind = ?", models.MailLink), linksBefore+2; got != want {
		t.Errorf("link e-mails in all: got %d, want %d (none for the unknown address)", got, want)
	}

	t.Run("invalid address", func(t *testing.T) {
		resp, body := ts.postForm(t, "/boeking/link", url.Values{"email": {"geen adres"}})
		wantStatus(t, resp, body, http.StatusUnprocessableEntity)
		wantContains(t, "resend, invalid", body, `id="veld-email-error">`+texts["nl"].invalidEmail, `name="email" value="geen adres"`)
	})
}

func TestRegisterCrossOrigin(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	token := registerByForm(t, ts, "zwolle", registrationValues("Echte Persoon", uniqueEmail("csrf"), nil))
	r := registrationOf(t, ts, token)
	regs, mails := registrationCount(t, ts), countRows(t, ts, &models.OutboxMessage{}, "")
	for _, tc := range []struct {
		path string
		form url.Values
	}{
		{"/aanmelden/zwolle", registrationValues("Kwaadwillende", uniqueEmail("evil"), nil)},
		{"/boeking/" + token + "/annuleren", url.Values{}},
		{"/boeking/" + token + "/wijzigen", url.Values{}},
		{"/boeking/link", url.Values{"email": {r.Email}}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			resp, body := ts.postFormCrossOrigin(t, tc.path, tc.form)
			wantStatus(t, resp, body, http.StatusForbidden)
		})
	}
	if got := registrationCount(t, ts); got != regs {
		t.Errorf("registrations: got %d, want %d", got, regs)
	}
	if got := countRows(t, ts, &models.OutboxMessage{}, ""); got != mails {
		t.Errorf("outbox: got %d, want %d", got, mails)
	}
	if r := registrationOf(t, ts, token); r.Status != models.RegistrationActive {
		t.Errorf("registration after a cross-origin cancel: status got %q, want %q", r.Status, models.RegistrationActive)
	}
}

func TestWaitingListByForm(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	msg := texts["nl"]
	venue := testVenue(t, ts, "zwolle")
	slot := venue.Slots[3].ID
	small := addSmallSession(t, ts, "zwolle", 3, "Eén plek")
	other := openSessionIn(t, ts, "zwolle", slot, 2, small.ID)
	otherBefore := other.Confirmed

	// A takes the only seat.
	tokenA := registerByForm(t, ts, "zwolle", registrationValues("Anna Eerst", uniqueEmail("a"), map[string]uint{slotField(slot): small.ID}))
	_, body := ts.get(t, "/boeking/"+tokenA)
	wantBooked(t, "A", body, map[uint]string{small.ID: msg.hasSeat})

	// The form now offers its waiting list.
	_, body = ts.get(t, "/aanmelden/zwolle")
	wantContains(t, "form with a full session", body, `name="`+waitlistField(slot)+`"`, `<option value="`+idString(small.ID)+`">`,
		nlMsg(t, "register.full_waitlist", "Count", 0))

	// B chooses it anyway and waits.
	tokenB := registerByForm(t, ts, "zwolle", registrationValues("Bert Tweede", uniqueEmail("b"), map[string]uint{slotField(slot): small.ID}))
	_, body = ts.get(t, "/boeking/"+tokenB)
	wantBooked(t, "B", body, map[uint]string{small.ID: msg.waitlisted(1)})

	// C keeps a seat in another session of the slot meanwhile.
	tokenC := registerByForm(t, ts, "zwolle", registrationValues("Cor Derde", uniqueEmail("c"),
		map[string]uint{slotField(slot): other.ID, waitlistField(slot): small.ID}))
	_, body = ts.get(t, "/boeking/"+tokenC)
	wantBooked(t, "C", body, map[uint]string{other.ID: msg.hasSeat, small.ID: msg.waitlisted(2)})
	wantContains(t, "C's change form", body, `name="`+slotField(slot)+`" value="`+idString(other.ID)+`" checked`,
		`<option value="`+idString(small.ID)+`" selected>`)
	if got := sessionCounter(t, ts, other.ID); got != otherBefore+1 {
		t.Errorf("other session confirmed: got %d, want %d", got, otherBefore+1)
	}

	// A cancels: B moves up, C is next.
	resp, body := ts.postForm(t, "/boeking/"+tokenA+"/annuleren", nil)
	wantStatus(t, resp, body, http.StatusSeeOther)
	_, body = ts.get(t, "/boeking/"+tokenB)
	wantBooked(t, "B after A cancelled", body, map[uint]string{small.ID: msg.hasSeat})
	_, body = ts.get(t, "/boeking/"+tokenC)
	wantBooked(t, "C after A cancelled", body, map[uint]string{other.ID: msg.hasSeat, small.ID: msg.waitlisted(1)})
	rb := registrationOf(t, ts, tokenB)
	if got := outboxCount(t, ts, rb.ID, models.MailPromoted); got != 1 {
		t.Errorf("B's promotion e-mails: got %d, want 1", got)
	}
	if got := sessionCounter(t, ts, small.ID); got != 1 {
		t.Errorf("small session confirmed: got %d, want 1", got)
	}

	// B cancels: C gets the seat and gives up the one held meanwhile.
	resp, body = ts.postForm(t, "/boeking/"+tokenB+"/annuleren", nil)
	wantStatus(t, resp, body, http.StatusSeeOther)
	_, body = ts.get(t, "/boeking/"+tokenC)
	wantBooked(t, "C after B cancelled", body, map[uint]string{small.ID: msg.hasSeat})
	if got := sessionCounter(t, ts, other.ID); got != otherBefore {
		t.Errorf("other session confirmed after C moved: got %d, want %d (seat given back)", got, otherBefore)
	}
	if got := sessionCounter(t, ts, small.ID); got != 1 {
		t.Errorf("small session confirmed: got %d, want 1", got)
	}
}

func TestRegisterWhenFullOrClosed(t *testing.T) {
	t.Parallel()
	ctx := modelstest.Ctx()
	t.Run("venue full", func(t *testing.T) {
		ts := newTestServer(t)
		v := testVenue(t, ts, "zwolle")
		if _, err := ts.Store.UpdateVenue(ctx, v.ID, models.VenueInput{Slug: v.Slug, Name: v.Name, City: v.City,
			Address: v.Address, RouteHint: v.RouteHint, Accessibility: v.Accessibility, Capacity: v.Registered}); err != nil {
			t.Fatalf("lower capacity: %v", err)
		}
		_, body := ts.get(t, "/aanmelden")
		wantContains(t, "venue list", body, texts["nl"].venueFull)
		regs := registrationCount(t, ts)
		resp, body := ts.postForm(t, "/aanmelden/zwolle", registrationValues("Te Laat", uniqueEmail("vol"), nil))
		wantStatus(t, resp, body, http.StatusUnprocessableEntity)
		wantContains(t, "full venue", body, texts["nl"].venueFull, `name="name" value="Te Laat"`)
		if got := registrationCount(t, ts); got != regs {
			t.Errorf("registrations: got %d, want %d", got, regs)
		}
		// The other venue still takes people.
		registerByForm(t, ts, "rotterdam", registrationValues("Op Tijd", uniqueEmail("rdam"), nil))
	})
	t.Run("closed", func(t *testing.T) {
		ts := newTestServer(t)
		closeRegistration(t, ts, false)
		regs := registrationCount(t, ts)
		resp, body := ts.postForm(t, "/aanmelden/zwolle", registrationValues("Te Laat", uniqueEmail("dicht"), nil))
		wantStatus(t, resp, body, http.StatusUnprocessableEntity)
		wantContains(t, "closed", body, nlMsg(t, "register.closed"))
		if got := registrationCount(t, ts); got != regs {
			t.Errorf("registrations: got %d, want %d", got, regs)
		}
	})
}

// closeRegistration moves the closing time of registration into the past; waitlist says
// whether waiting lists stay open after it.
func closeRegistration(t *testing.T, ts *testServer, waitlist bool) {
	t.Helper()
	modelstest.Update(t, ts.Store, &models.Event{}, modelstest.Where("id = ?", testEvent(t, ts).ID), map[string]any{
		"registration_closes_at": time.Now().Add(-time.Hour).UTC(), "waitlist_after_close": waitlist,
	})
}

// TestRegistrationWindowFollowsStoreClock checks that the page tells the same story as the
// store enforces: both go by the store's clock.
func TestRegistrationWindowFollowsStoreClock(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	opens := time.Date(2027, 1, 5, 8, 0, 0, 0, time.UTC) // 09:00 in Amsterdam
	modelstest.Update(t, ts.Store, &models.Event{}, modelstest.All, map[string]any{"registration_opens_at": opens})
	ts.Store.SetClock(func() time.Time { return opens.Add(-time.Hour) })
	_, body := ts.get(t, "/aanmelden/zwolle")
	wantContains(t, "before opening", body, nlMsg(t, "register.opens_at", "When", "dinsdag 5 januari 2027, 09:00"))
	if strings.Contains(body, `name="name"`) {
		t.Error("the form is shown before registration opens, want only the notice")
	}
	ts.Store.SetClock(func() time.Time { return opens.Add(time.Hour) })
	_, body = ts.get(t, "/aanmelden/zwolle")
	if !strings.Contains(body, `name="name"`) || strings.Contains(body, strings.TrimSpace(nlMsgUpTo(t, "register.opens_at", "When"))) {
		t.Error("after opening: want the form and no 'opens at' notice")
	}
}
