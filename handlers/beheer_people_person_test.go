package handlers

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// personFixture is the demo with a zwolle session of one seat and three people for it: the
// first has the seat, the other two wait.
type personFixture struct {
	d      bhDemo
	one    models.Session
	people []models.Registration
}

func newPersonFixture(t *testing.T, ts *testServer) personFixture {
	t.Helper()
	ctx := modelstest.Ctx()
	f := personFixture{d: bhLoadDemo(t, ts)}
	room, slot := bhFreePlace(t, ts, f.d.zwolle, 1)
	var err error
	f.one, err = ts.Store.CreateSession(ctx, f.d.event.ID, models.SessionInput{Title: "Eén plaats", Format: "workshop",
		VenueID: f.d.zwolle.ID, RoomID: room.ID, FirstSlotID: slot.ID, SlotCount: 1, CapacityLimit: 1})
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"<script>alert(1)</script> Zoë", "Bram Wachter", "Cas Wachter"} {
		res, err := ts.Store.Register(ctx, models.RegistrationInput{Name: name, Email: fmt.Sprintf("persoon%d-%d@example.nl", i, time.Now().UnixNano()),
			Organisation: "Gemeente Zwolle", Venue: "zwolle", Sessions: []uint{f.one.ID}, Consent: true})
		if err != nil {
			t.Fatal(err)
		}
		f.people = append(f.people, res.Registration)
	}
	return f
}

// outboxOnBehalf counts a registration's e-mails of a kind that say an organiser acted.
func outboxOnBehalf(t *testing.T, ts *testServer, regID uint, kind string) int64 {
	t.Helper()
	return bhCountWhere(t, ts, "outbox_messages", "registration_id = ? AND kind = ? AND on_behalf = ?", regID, kind, true)
}

func bookingStatus(t *testing.T, ts *testServer, regID, sessionID uint) string {
	t.Helper()
	var b models.Booking
	modelstest.Find(t, ts.Store, &b, modelstest.Where("registration_id = ? AND session_id = ?", regID, sessionID))
	return b.Status
}

func TestPersonPageShowsTheRecord(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	f := newPersonFixture(t, ts)
	zoe := f.people[0]
	now := time.Now().UTC()
	modelstest.Insert(t, ts.Store, &models.CheckIn{VenueID: f.d.zwolle.ID, RegistrationID: zoe.ID, CheckedInAt: now, ReceivedAt: now, Door: "Hoofdingang <oost>"})
	org := models.Actor{Kind: models.ActorUser, ID: 1, Name: "hulp@example.nl"}
	in := models.DetailsOf(zoe)
	in.Dietary = "Halal"
	if _, err := ts.Store.UpdateDetails(modelstest.Ctx(), org, zoe.ID, in, "belde <b>zelf</b>"); err != nil {
		t.Fatal(err)
	}
	ts.loginAs(t, models.RoleOrganiser, "zwolle")
	resp, body := ts.get(t, personPath(zoe.ID))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want 200; body:\n%s", resp.StatusCode, body)
	}
	if strings.Contains(body, "<script>alert(1)") || strings.Contains(body, "<b>zelf</b>") || strings.Contains(body, "<oost>") {
		t.Error("the page shows typed markup unescaped")
	}
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt; Zoë", "Hoofdingang &lt;oost&gt;", "Halal",
		nlMsg(t, "person.mail.confirmation"), nlMsg(t, "person.mail.changed") + " (" + nlMsg(t, "person.on_behalf") + ")", nlMsg(t, "person.mail_state.pending"),
		"hulp@example.nl", nlMsg(t, "person.audit.registration.details") + ": " + nlMsg(t, "register.dietary"),
		"belde &lt;b&gt;zelf&lt;/b&gt;", "Eén plaats", nlMsg(t, "person.mail.link")} {
		if !strings.Contains(body, want) {
			t.Errorf("person page lacks %q", want)
		}
	}
	// A waiting person's page shows their place and the form to move or promote them.
	_, body = ts.get(t, personPath(f.people[2].ID))
	for _, want := range []string{nlMsg(t, "person.waitlist_place", "Position", 2, "Length", 2), `name="do" value="promote"`, `/wachtlijst/` + bhID(f.one.ID)} {
		if !strings.Contains(body, want) {
			t.Errorf("waiting person's page lacks %q", want)
		}
	}
	// A zwolle organiser cannot see that a rotterdam person exists; an admin can.
	if resp, _ := ts.get(t, personPath(f.d.rotterdamPerson.ID)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("rotterdam person for a zwolle organiser: %d, want 404", resp.StatusCode)
	}
	if resp, _ := ts.get(t, "/beheer/deelnemers/999999"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown person: %d, want 404", resp.StatusCode)
	}
	ts.Client = ts.newClient(t)
	ts.loginAs(t, models.RoleAdmin, "")
	if resp, _ := ts.get(t, personPath(f.d.rotterdamPerson.ID)); resp.StatusCode != http.StatusOK {
		t.Errorf("rotterdam person for an admin: %d, want 200", resp.StatusCode)
	}
}

func TestPersonActionsOnBehalf(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	f := newPersonFixture(t, ts)
	first, second, third := f.people[0], f.people[1], f.people[2]
	ts.loginAs(t, models.RoleOrganiser, "zwolle")
	sid := bhID(f.one.ID)

	t.Run("details", func(t *testing.T) {
		resp, body := ts.postForm(t, personPath(first.ID)+"/gegevens", url.Values{"name": {"Zoë de Vries"}, "email": {"zoe.nieuw@example.nl"},
			"organisation": {"Provincie"}, "dietary": {"Vegetarisch"}, "details_reason": {"typfout"}})
		bhExpectRedirect(t, resp, body, personPath(first.ID))
		r, _ := ts.Store.Registration(modelstest.Ctx(), first.ID)
		if r.Name != "Zoë de Vries" || r.Email != "zoe.nieuw@example.nl" || r.Dietary != "Vegetarisch" {
			t.Errorf("after the change: %q %q %q", r.Name, r.Email, r.Dietary)
		}
		if n := outboxOnBehalf(t, ts, first.ID, models.MailChanged); n != 1 {
			t.Errorf("changed e-mails on behalf = %d, want 1", n)
		}
		if n := bhCountWhere(t, ts, "audit_entries", "subject_id = ? AND action = ? AND reason = ?", first.ID, models.AuditRegistrationDetails, "typfout"); n != 1 {
			t.Errorf("audit entries = %d, want 1", n)
		}
		_, body = ts.get(t, personPath(first.ID))
		if !strings.Contains(body, nlMsg(t, "person.details_saved")) {
			t.Error("no flash message after saving")
		}
	})

	t.Run("details: bad input keeps what was typed", func(t *testing.T) {
		resp, body := ts.postForm(t, personPath(first.ID)+"/gegevens", url.Values{"name": {"<b>Getypt</b>"}, "email": {"geen-adres"},
			"organisation": {"Provincie"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", resp.StatusCode)
		}
		bhCheckProblem(t, body, "email", nlMsg(t, "form.invalid_email"))
		if !strings.Contains(body, `value="&lt;b&gt;Getypt&lt;/b&gt;"`) || !strings.Contains(body, `value="geen-adres"`) {
			t.Error("the re-rendered form lost what was typed")
		}
		resp, body = ts.postForm(t, personPath(first.ID)+"/gegevens", url.Values{"name": {""}, "email": {"x"}, "organisation": {"P"}}, "Accept-Language", "en")
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", resp.StatusCode)
		}
		bhCheckProblem(t, body, "email", "Enter a valid email address, for example name@example.com.")
		// Another person's address is refused on the field.
		resp, body = ts.postForm(t, personPath(first.ID)+"/gegevens", url.Values{"name": {"Zoë"}, "email": {second.Email}, "organisation": {"P"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("taken address: status %d, want 422", resp.StatusCode)
		}
		bhCheckProblem(t, body, "email", nlMsg(t, "person.email_taken"))
	})

	t.Run("waiting list needs a reason", func(t *testing.T) {
		resp, body := ts.postForm(t, personPath(third.ID)+"/wachtlijst/"+sid, url.Values{"do": {"up"}, "reason_" + sid: {""}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", resp.StatusCode)
		}
		bhCheckProblem(t, body, "reason_"+sid, nlMsg(t, "form.required"))
	})

	t.Run("move up", func(t *testing.T) {
		resp, body := ts.postForm(t, personPath(third.ID)+"/wachtlijst/"+sid, url.Values{"do": {"up"}, "reason_" + sid: {"spreker"}})
		bhExpectRedirect(t, resp, body, personPath(third.ID))
		r, _ := ts.Store.Registration(modelstest.Ctx(), third.ID)
		if r.Bookings[0].Position != 1 {
			t.Errorf("after moving up: place %d, want 1", r.Bookings[0].Position)
		}
	})

	t.Run("promote into a full session needs over capacity", func(t *testing.T) {
		resp, body := ts.postForm(t, personPath(second.ID)+"/wachtlijst/"+sid, url.Values{"do": {"promote"}, "reason_" + sid: {"gast"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", resp.StatusCode)
		}
		bhCheckProblem(t, body, "reason_"+sid, nlText(t, "person.session_full"))
		if !strings.Contains(body, `value="gast"`) {
			t.Error("the reason typed was lost")
		}
		resp, body = ts.postForm(t, personPath(second.ID)+"/wachtlijst/"+sid, url.Values{"do": {"promote"}, "reason_" + sid: {"gast"}, "over_capacity_" + sid: {"ja"}})
		bhExpectRedirect(t, resp, body, personPath(second.ID))
		if got := bookingStatus(t, ts, second.ID, f.one.ID); got != models.BookingConfirmed {
			t.Errorf("promoted: %s, want confirmed", got)
		}
		if n := outboxOnBehalf(t, ts, second.ID, models.MailPromoted); n != 1 {
			t.Errorf("promoted e-mails on behalf = %d, want 1", n)
		}
	})

	t.Run("change sessions", func(t *testing.T) {
		resp, body := ts.postForm(t, personPath(second.ID)+"/sessies", url.Values{})
		bhExpectRedirect(t, resp, body, personPath(second.ID))
		if got := bookingStatus(t, ts, second.ID, f.one.ID); got != "" {
			t.Errorf("after choosing nothing: %q, want no booking", got)
		}
		if n := outboxOnBehalf(t, ts, second.ID, models.MailChanged); n != 1 {
			t.Errorf("changed e-mails on behalf = %d, want 1", n)
		}
	})

	t.Run("resend link", func(t *testing.T) {
		resp, body := ts.postForm(t, personPath(third.ID)+"/link", url.Values{})
		bhExpectRedirect(t, resp, body, personPath(third.ID))
		if n := outboxOnBehalf(t, ts, third.ID, models.MailLink); n != 1 {
			t.Errorf("link e-mails on behalf = %d, want 1", n)
		}
	})

	t.Run("cancel asks first, then promotes the next in line once", func(t *testing.T) {
		resp, body := ts.get(t, personPath(first.ID)+"/annuleren")
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, nlMsg(t, "person.cancel_yes")) {
			t.Fatalf("confirmation page: %d", resp.StatusCode)
		}
		resp, _ = ts.postFormCrossOrigin(t, personPath(first.ID)+"/annuleren", url.Values{"reason": {"ziek"}})
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("cross-origin cancel: %d, want 403", resp.StatusCode)
		}
		if got := bookingStatus(t, ts, first.ID, f.one.ID); got != models.BookingConfirmed {
			t.Fatalf("after a refused cross-origin cancel: %q, want still confirmed", got)
		}
		resp, body = ts.postForm(t, personPath(first.ID)+"/annuleren", url.Values{"reason": {"ziek"}})
		bhExpectRedirect(t, resp, body, personPath(first.ID))
		if got := bookingStatus(t, ts, third.ID, f.one.ID); got != models.BookingConfirmed {
			t.Errorf("next in line: %q, want confirmed", got)
		}
		if n := bhCountWhere(t, ts, "outbox_messages", "registration_id = ? AND kind = ?", third.ID, models.MailPromoted); n != 1 {
			t.Errorf("promotions of the next in line = %d, want 1", n)
		}
		if n := outboxOnBehalf(t, ts, first.ID, models.MailCancelled); n != 1 {
			t.Errorf("cancellation e-mails on behalf = %d, want 1", n)
		}
		if n := bhCountWhere(t, ts, "audit_entries", "subject_id = ? AND action = ? AND reason = ?", first.ID, models.AuditRegistrationCancel, "ziek"); n != 1 {
			t.Errorf("cancel audit entries = %d, want 1", n)
		}
	})
}

func TestNewPersonByHand(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	f := newPersonFixture(t, ts)
	ts.loginAs(t, models.RoleOrganiser, "")
	_, body := ts.get(t, "/beheer/deelnemers/nieuw")
	if !strings.Contains(body, `name="locatie"`) || !strings.Contains(body, `value="rotterdam"`) {
		t.Error("without a venue the page asks for one")
	}
	_, body = ts.get(t, "/beheer/deelnemers/nieuw?locatie=zwolle")
	if !strings.Contains(body, `name="over_capacity"`) || !strings.Contains(body, `name="slot-`) {
		t.Error("the form lacks the over-capacity choice or the sessions")
	}
	slot := "slot-" + bhID(f.one.Slots[0].SlotID)
	form := url.Values{"venue": {"zwolle"}, "name": {"Vip <Gast>"}, "email": {"vip@example.nl"}, "organisation": {"Spreker"},
		"lang": {"en"}, slot: {bhID(f.one.ID)}}
	resp, body := ts.postForm(t, "/beheer/deelnemers/nieuw", form)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("without consent: %d, want 422", resp.StatusCode)
	}
	if !strings.Contains(body, `value="Vip &lt;Gast&gt;"`) {
		t.Error("the form lost the typed name")
	}
	form.Set("consent", "ja")
	form.Set("over_capacity", "ja")
	resp, body = ts.postForm(t, "/beheer/deelnemers/nieuw", form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d, want 303; body:\n%s", resp.StatusCode, body)
	}
	var r models.Registration
	if err := modelstest.First(ts.Store, &r, modelstest.Where("email = ?", "vip@example.nl")); err != nil {
		t.Fatal(err)
	}
	if got := resp.Header.Get("Location"); got != personPath(r.ID) {
		t.Errorf("Location %q, want %q", got, personPath(r.ID))
	}
	if got := bookingStatus(t, ts, r.ID, f.one.ID); got != models.BookingConfirmed || r.Lang != "en" {
		t.Errorf("over capacity: %q (lang %s), want a seat in the full session", got, r.Lang)
	}
	if n := outboxOnBehalf(t, ts, r.ID, models.MailConfirmation); n != 1 {
		t.Errorf("confirmations on behalf = %d, want 1", n)
	}
	var e models.AuditEntry
	if err := modelstest.First(ts.Store, &e, modelstest.Where("subject_id = ? AND action = ?", r.ID, models.AuditRegistrationCreated)); err != nil || e.DetailMap()["over_capacity"] != true {
		t.Errorf("audit entry %+v (%v), want over_capacity recorded", e, err)
	}

	// A zwolle organiser cannot register anyone at rotterdam.
	ts.Client = ts.newClient(t)
	ts.loginAs(t, models.RoleOrganiser, "zwolle")
	if resp, _ := ts.get(t, "/beheer/deelnemers/nieuw?locatie=rotterdam"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("zwolle organiser, rotterdam form: %d, want 404", resp.StatusCode)
	}
	form = url.Values{"venue": {"rotterdam"}, "name": {"X"}, "email": {"x@example.nl"}, "organisation": {"Y"}, "consent": {"ja"}}
	if resp, _ := ts.postForm(t, "/beheer/deelnemers/nieuw", form); resp.StatusCode != http.StatusNotFound {
		t.Errorf("zwolle organiser registering at rotterdam: %d, want 404", resp.StatusCode)
	}
	if n := bhCountWhere(t, ts, "registrations", "email = ?", "x@example.nl"); n != 0 {
		t.Errorf("registrations written: %d, want 0", n)
	}
}

func TestRegistrationAPIForOrganisers(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	f := newPersonFixture(t, ts)
	ctx := modelstest.Ctx()
	_, all, err := ts.Store.CreateAPIToken(ctx, models.APITokenInput{Name: "koppeling", Role: models.RoleOrganiser})
	if err != nil {
		t.Fatal(err)
	}
	_, rotterdam, err := ts.Store.CreateAPIToken(ctx, models.APITokenInput{Name: "rotterdam", Role: models.RoleOrganiser, VenueSlug: "rotterdam"})
	if err != nil {
		t.Fatal(err)
	}
	first, second := f.people[0], f.people[1]
	path := "/api/v1/registrations/" + bhID(first.ID)

	resp, body := ts.apiCall(t, http.MethodGet, path, "", all)
	wantAPIStatus(t, resp, body, http.StatusOK)
	var got OrganiserRegistrationJSON
	decodeStrict(t, body, &got)
	if got.ID != first.ID || got.Name != first.Name || len(got.Sessions) != 1 {
		t.Errorf("GET: %+v", got)
	}
	resp, body = ts.apiCall(t, http.MethodGet, path, "", rotterdam)
	wantAPIStatus(t, resp, body, http.StatusNotFound)
	resp, body = ts.apiCall(t, http.MethodGet, path, "", "dpo_onbekend")
	wantAPIStatus(t, resp, body, http.StatusUnauthorized)

	resp, body = ts.apiCall(t, http.MethodPatch, path, `{"organisation": "Provincie Overijssel", "sessions": [], "reason": "telefoon"}`, all)
	wantAPIStatus(t, resp, body, http.StatusOK)
	decodeStrict(t, body, &got)
	if got.Organisation != "Provincie Overijssel" || len(got.Sessions) != 0 {
		t.Errorf("PATCH: %+v", got)
	}
	if got := bookingStatus(t, ts, second.ID, f.one.ID); got != models.BookingConfirmed {
		t.Errorf("next in line after the API change: %q, want confirmed", got)
	}
	if n := bhCountWhere(t, ts, "audit_entries", "subject_id = ? AND actor_kind = ? AND actor_name = ?", first.ID, models.ActorToken, "koppeling"); n != 2 {
		t.Errorf("audit entries by the token = %d, want 2 (sessions, details)", n)
	}
	resp, body = ts.apiCall(t, http.MethodPatch, path, `{"email": "geen-adres"}`, all)
	wantAPIStatus(t, resp, body, http.StatusUnprocessableEntity)
	wantAPIError(t, body, "invalid", "email")

	// on_behalf and over_capacity: organisers only.
	reg := func(edit func(map[string]any)) string { return registrationBody(t, []uint{f.one.ID}, edit) }
	resp, body = ts.apiCall(t, http.MethodPost, "/api/v1/registrations", reg(func(m map[string]any) { m["on_behalf"] = true }), "")
	wantAPIStatus(t, resp, body, http.StatusForbidden)
	resp, body = ts.apiCall(t, http.MethodPost, "/api/v1/registrations", reg(func(m map[string]any) { m["over_capacity"] = true }), rotterdam)
	wantAPIStatus(t, resp, body, http.StatusForbidden)
	resp, body = ts.apiCall(t, http.MethodPost, "/api/v1/registrations", reg(func(m map[string]any) {
		m["on_behalf"], m["over_capacity"], m["email"] = true, true, "vip-api@example.nl"
	}), all)
	wantAPIStatus(t, resp, body, http.StatusCreated)
	var created OrganiserRegistrationJSON
	decodeStrict(t, body, &created)
	if len(created.Sessions) != 1 || created.Sessions[0].Status != models.BookingConfirmed {
		t.Errorf("over capacity: %+v, want a seat", created.Sessions)
	}
	if n := outboxOnBehalf(t, ts, created.ID, models.MailConfirmation); n != 1 {
		t.Errorf("confirmation on behalf = %d, want 1", n)
	}
	var conf map[string]any
	if err := json.Unmarshal(body, &conf); err != nil || conf["manage_token"] != nil {
		t.Errorf("an on-behalf answer carries the personal token: %s", body)
	}

	// A reviewer's session is refused; an organiser's session works.
	ts.loginAs(t, models.RoleReviewer, "")
	resp, body = ts.apiCall(t, http.MethodGet, path, "", "")
	wantAPIStatus(t, resp, body, http.StatusForbidden)
	ts.Client = ts.newClient(t)
	ts.loginAs(t, models.RoleOrganiser, "zwolle")
	resp, body = ts.apiCall(t, http.MethodDelete, path+"?reason=dubbel", "", "", "Origin", ts.URL, "Sec-Fetch-Site", "same-origin")
	wantAPIStatus(t, resp, body, http.StatusNoContent)
	if n := outboxOnBehalf(t, ts, first.ID, models.MailCancelled); n != 1 {
		t.Errorf("cancellation on behalf = %d, want 1", n)
	}
	resp, body = ts.apiCall(t, http.MethodDelete, "/api/v1/registrations/"+bhID(f.d.rotterdamPerson.ID), "", "", "Origin", ts.URL, "Sec-Fetch-Site", "same-origin")
	wantAPIStatus(t, resp, body, http.StatusNotFound)
	// Cross-origin: refused before anything happens.
	resp, _ = ts.apiCall(t, http.MethodDelete, "/api/v1/registrations/"+bhID(second.ID), "", "", "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin DELETE: %d, want 403", resp.StatusCode)
	}
	if got := bookingStatus(t, ts, second.ID, f.one.ID); got != models.BookingConfirmed {
		t.Errorf("after a refused cross-origin DELETE: %q, want still confirmed", got)
	}
}
