package handlers

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

var (
	composeCountRE = regexp.MustCompile(nlCountPattern("message.recipients_count"))
	listCountRE    = regexp.MustCompile(`id="lijst">(?:` + nlCountPattern("people.count") + "|" + nlCountPattern("audience.count.speakers") + "|" +
		nlCountPattern("audience.count.cospeakers") + "|" + nlCountPattern("audience.count.reviewers") + "|" +
		nlCountPattern("audience.count.voters") + ")<")
	messagePathRE = regexp.MustCompile(`^/beheer/berichten/(\d+)$`)
)

func firstNumber(t *testing.T, re *regexp.Regexp, body, what string) int {
	t.Helper()
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no %s (%s) in the page", what, re)
	}
	// The pattern may hold a submatch for each plural form: the number is the one that matched.
	for _, s := range m[1:] {
		if s != "" {
			n, _ := strconv.Atoi(s)
			return n
		}
	}
	t.Fatalf("no number in the %s %q", what, m[0])
	return 0
}

// composeForm is a message to the audience in query (the list's parameters).
func composeForm(query, subject, body string) url.Values {
	form, _ := url.ParseQuery(query)
	form.Set("subject_nl", subject)
	form.Set("body_nl", body)
	form.Set("actie", "opslaan")
	return form
}

// saveMessage posts the compose form and returns the message it made.
func saveMessage(t *testing.T, ts *testServer, form url.Values) models.Message {
	t.Helper()
	resp, body := ts.postForm(t, "/beheer/berichten/nieuw", form)
	m := messagePathRE.FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("save message: status %d, Location %q; body:\n%.2000s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	id, _ := strconv.Atoi(m[1])
	return must(ts.Store.Message(modelstest.Ctx(), uint(id)))
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestMessageAudienceCountsAgree: for the same filter, the list of people, its export and a
// message select the same people, for every group.
func TestMessageAudienceCountsAgree(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.loginAs(t, models.RoleOrganiser, "")
	for _, query := range []string{
		"status=bevestigd", "locatie=zwolle&status=bevestigd", "status=wachtlijst", "behoeften=1&status=bevestigd",
		"groep=sprekers", "groep=sprekers&voorstel=aanvaard", "groep=medesprekers", "groep=beoordelaars",
	} {
		_, list := ts.get(t, "/beheer/deelnemers?"+query)
		listed := firstNumber(t, listCountRE, list, query+": the list's count")
		resp, csvBody := ts.get(t, "/beheer/deelnemers/export.csv?scheiding=komma&"+query)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: export status %d", query, resp.StatusCode)
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvBody, "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatalf("%s: read the export: %v", query, err)
		}
		_, compose := ts.get(t, "/beheer/berichten/nieuw?"+query)
		counted := firstNumber(t, composeCountRE, compose, query+": the compose form's count")
		if listed != len(rows)-1 || listed != counted {
			t.Errorf("%s: the list shows %d, the export has %d rows, the message goes to %d", query, listed, len(rows)-1, counted)
		}
	}
	// Voters are a number on the list (those who asked to hear about the vote), with no
	// export; a message to them has only the event's placeholders.
	_, list := ts.get(t, "/beheer/deelnemers?groep=stemmers")
	if !strings.Contains(list, nlMsg(t, "audience.voters_explained")) {
		t.Errorf("voters' list: want the explanation that they have no names")
	}
	resp, body := ts.postForm(t, "/beheer/berichten/nieuw", composeForm("groep=stemmers", "Stem!", "Stem op {naam}"))
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "veld-body_nl-error") {
		t.Errorf("a message to voters with {naam}: status %d, want 422 with the problem next to the text", resp.StatusCode)
	}
}

// TestComposeMessageRefusesAndKeepsWhatWasTyped: an unknown placeholder, one that does not
// fit the group and a filter of another group are each named next to their field, and the
// form keeps everything typed.
func TestComposeMessageRefusesAndKeepsWhatWasTyped(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.loginAs(t, models.RoleOrganiser, "")
	for _, tc := range []struct {
		query, subject, body string
		wants                []string
	}{
		{"status=bevestigd", "Hallo <{voornaam}>", "Tekst & meer", []string{nlMsg(t, "message.unknown_placeholder", "Name", "{voornaam}", "Known", strings.Join(models.PlaceholdersFor(models.AudienceAttendees), ", ")), `value="Hallo &lt;{voornaam}&gt;"`,
			">Tekst &amp; meer</textarea>", `<option value="bevestigd" selected>`}},
		{"groep=sprekers", "Welkom", "Tot in {locatie}", []string{nlMsg(t, "message.placeholder_not_for_group", "Name", "{locatie}", "Known", strings.Join(models.PlaceholdersFor(models.AudienceSpeakers), ", ")), `<option value="sprekers" selected>`}},
		{"groep=sprekers&status=binnen", "Welkom", "Hallo", []string{nlMsg(t, "audience.not_for_group"), `<option value="binnen" selected>`}},
		{"status=bevestigd", "Jouw {sessies}", "Hallo", []string{nlMsg(t, "message.placeholder_not_in_subject", "Name", "{sessies}")}},
	} {
		resp, body := ts.postForm(t, "/beheer/berichten/nieuw", composeForm(tc.query, tc.subject, tc.body))
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s %q: status %d, want 422", tc.query, tc.body, resp.StatusCode)
		}
		for _, want := range append(tc.wants, `class="utrecht-alert utrecht-alert--error error-summary"`) {
			if !strings.Contains(body, want) {
				t.Errorf("%s %q: the page lacks %q", tc.query, tc.body, want)
			}
		}
	}
	// Counting again keeps the texts and saves nothing.
	form := composeForm("groep=medesprekers", "Over {evenement}", "Hallo {naam}")
	form.Set("actie", "tellen")
	resp, body := ts.postForm(t, "/beheer/berichten/nieuw", form)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `value="Over {evenement}"`) || !composeCountRE.MatchString(body) {
		t.Errorf("counting again: status %d; want the form back with the texts and the number", resp.StatusCode)
	}
	event := must(ts.Store.CurrentEvent(modelstest.Ctx()))
	if n := len(must(ts.Store.Messages(modelstest.Ctx(), event.ID, nil))); n != 0 {
		t.Errorf("counting saved %d messages", n)
	}
}

// TestMessageLifecycle: saved once however often the form is submitted, previewed with a
// real person's e-mail, tested on the organiser, sent only with the number shown, planned
// only in the future, cancelled; every step names what it did.
func TestMessageLifecycle(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	u := ts.loginAs(t, models.RoleOrganiser, "")
	ctx := modelstest.Ctx()
	query := "locatie=zwolle&status=bevestigd"
	form := composeForm(query, "Tot {datum}", "Hallo {naam},\n\n{sessies}\n\nWijzig: {persoonlijke_link}")
	form.Set("subject_en", "See you on {date}")
	form.Set("body_en", "Hello {name},\n\n{sessions}\n\n{personal_link}")
	form.Set("form_key", "dubbel-1")
	m := saveMessage(t, ts, form)
	if again := saveMessage(t, ts, form); again.ID != m.ID {
		t.Errorf("the form posted twice made messages %d and %d", m.ID, again.ID)
	}
	want := must(ts.Store.CountAudience(ctx, m.Audience))
	_, page := ts.get(t, messagePath(m.ID))
	for _, s := range []string{nlMsg(t, "message.recipients_count", "Count", want), nlMsg(t, "message.preview.nl"), nlMsg(t, "message.preview.en"),
		"/boeking/PERSOONLIJKE-CODE", "Tot woensdag 3 februari 2027", "See you on Wednesday 3 February 2027",
		fmt.Sprintf(`name="aantal" value="%d"`, want),
		nlMsg(t, "audience.group.deelnemers") + " · " + nlMsg(t, "audience.words.venue", "Name", "Provinciehuis Overijssel") + " · " + strings.ToLower(nlMsg(t, "people.filter.bevestigd"))} {
		if !strings.Contains(page, s) {
			t.Errorf("the message's page lacks %q", s)
		}
	}
	if strings.Contains(page, "{naam}</") || strings.Contains(page, "Hallo {naam}") {
		t.Errorf("the preview is not filled in")
	}

	resp, _ := ts.postForm(t, messagePath(m.ID)+"/test", url.Values{})
	var tests []models.OutboxMessage
	modelstest.Find(t, ts.Store, &tests, modelstest.Where("kind = ? AND recipient = ?", models.MailMessage, u.Email))
	if resp.StatusCode != http.StatusSeeOther || len(tests) != 2 {
		t.Errorf("test: status %d, %d e-mails to %s; want 2 (Dutch and English)", resp.StatusCode, len(tests), u.Email)
	}

	resp, body := ts.postForm(t, messagePath(m.ID)+"/versturen", url.Values{"wanneer": {"later"}, "send_at": {"morgen"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `value="morgen"`) || !strings.Contains(body, nlMsg(t, "form.invalid_datetime")) {
		t.Errorf("planning at %q: status %d; want 422 keeping what was typed", "morgen", resp.StatusCode)
	}
	resp, body = ts.postForm(t, messagePath(m.ID)+"/versturen", url.Values{"wanneer": {"later"}, "send_at": {"2020-01-01T09:00"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, nlMsg(t, "message.send_at_past")) {
		t.Errorf("planning in the past: status %d, want 422", resp.StatusCode)
	}
	resp, body = ts.postForm(t, messagePath(m.ID)+"/versturen", url.Values{"wanneer": {"nu"}, "aantal": {fmt.Sprint(want + 1)}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, nlMsg(t, "message.count_changed", "Count", want)) {
		t.Errorf("sending with another number: status %d, want 409 and nothing sent", resp.StatusCode)
	}
	if n := len(must(ts.Store.MessageCounts(ctx, []uint{m.ID}))); n != 0 {
		t.Fatalf("a refused send queued e-mails")
	}
	resp, _ = ts.postForm(t, messagePath(m.ID)+"/versturen", url.Values{"wanneer": {"nu"}, "aantal": {fmt.Sprint(want)}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("send: status %d, want 303", resp.StatusCode)
	}
	_, page = ts.get(t, messagePath(m.ID))
	if c := must(ts.Store.MessageCounts(ctx, []uint{m.ID}))[m.ID]; c.Waiting != want || !strings.Contains(page, nlMsg(t, "message.sent_flash", "Count", want)) {
		t.Errorf("after sending: %+v waiting, want %d, and the flash message", c, want)
	}
	resp, _ = ts.postForm(t, messagePath(m.ID)+"/versturen", url.Values{"wanneer": {"nu"}, "aantal": {fmt.Sprint(want)}})
	if c := must(ts.Store.MessageCounts(ctx, []uint{m.ID}))[m.ID]; resp.StatusCode != http.StatusSeeOther || c.Waiting != want {
		t.Errorf("sending twice: status %d, %d waiting; want still %d", resp.StatusCode, c.Waiting, want)
	}
	resp, _ = ts.postForm(t, messagePath(m.ID)+"/annuleren", url.Values{})
	if got := must(ts.Store.Message(ctx, m.ID)); resp.StatusCode != http.StatusSeeOther || got.Status() != models.MessageCancelled || got.Withdrawn != want {
		t.Errorf("cancel: status %d, message %+v; want cancelled with %d withdrawn", resp.StatusCode, got, want)
	}
	_, list := ts.get(t, "/beheer/berichten")
	if !strings.Contains(list, nlMsg(t, "message.state.cancelled")) || !strings.Contains(list, messagePath(m.ID)) {
		t.Errorf("the list lacks the cancelled message")
	}

	// Planned, then changed: a changed message is a draft again, to be confirmed anew.
	p := saveMessage(t, ts, composeForm("groep=sprekers", "Programma", "Hallo {naam}"))
	event := must(ts.Store.CurrentEvent(ctx))
	later := time.Now().Add(48 * time.Hour).In(event.Location()).Format("2006-01-02T15:04")
	resp, _ = ts.postForm(t, messagePath(p.ID)+"/versturen", url.Values{"wanneer": {"later"}, "send_at": {later}})
	if got := must(ts.Store.Message(ctx, p.ID)); resp.StatusCode != http.StatusSeeOther || got.Status() != models.MessageScheduled {
		t.Fatalf("plan: status %d, %s; want scheduled", resp.StatusCode, got.Status())
	}
	_, edit := ts.get(t, messagePath(p.ID)+"/bewerken")
	if !strings.Contains(edit, `<option value="sprekers" selected>`) || !strings.Contains(edit, `value="Programma"`) {
		t.Errorf("the edit form does not start from the message")
	}
	edited := composeForm("groep=sprekers&voorstel=aanvaard", "Programma!", "Hallo {naam}")
	resp, _ = ts.postForm(t, messagePath(p.ID)+"/bewerken", edited)
	if got := must(ts.Store.Message(ctx, p.ID)); resp.StatusCode != http.StatusSeeOther || got.Status() != models.MessageDraft ||
		got.Audience.ProposalStatus != models.ProposalAccepted || got.SubjectNL != "Programma!" {
		t.Errorf("edit: status %d, %+v; want a draft with the new audience and subject", resp.StatusCode, got)
	}
	if resp, _ := ts.postFormCrossOrigin(t, messagePath(p.ID)+"/versturen", url.Values{"wanneer": {"nu"}, "aantal": {"1"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a cross-site post: status %d, want 403", resp.StatusCode)
	}
}

// TestMessageRoles: organisers and admins only; a venue-scoped organiser writes to their
// venue's people, sees only their venue's messages and cannot choose event-wide groups.
func TestMessageRoles(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ctx := modelstest.Ctx()
	ts.loginAs(t, models.RoleOrganiser, "")
	global := saveMessage(t, ts, composeForm("status=bevestigd", "Aan iedereen", "Hallo"))
	for _, tc := range []struct {
		role, venue string
		want        int
	}{{"", "", http.StatusSeeOther}, {models.RoleReviewer, "", http.StatusForbidden}, {models.RoleDoor, "zwolle", http.StatusForbidden},
		{models.RoleAdmin, "", http.StatusOK}} {
		ts.Client = ts.newClient(t)
		if tc.role != "" {
			ts.loginAs(t, tc.role, tc.venue)
		}
		for _, path := range []string{"/beheer/berichten", "/beheer/berichten/nieuw", messagePath(global.ID)} {
			if resp, _ := ts.get(t, path); resp.StatusCode != tc.want {
				t.Errorf("%s %s: status %d, want %d", tc.role, path, resp.StatusCode, tc.want)
			}
		}
		if resp, _ := ts.postForm(t, messagePath(global.ID)+"/annuleren", url.Values{}); tc.want != http.StatusOK && resp.StatusCode == http.StatusSeeOther && tc.role != "" {
			t.Errorf("%s could cancel a message", tc.role)
		}
	}
	ts.Client = ts.newClient(t)
	ts.loginAs(t, models.RoleOrganiser, "zwolle")
	if resp, _ := ts.get(t, messagePath(global.ID)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the Zwolle organiser opens a message for the whole event: status %d, want 404", resp.StatusCode)
	}
	_, list := ts.get(t, "/beheer/berichten")
	if strings.Contains(list, "Aan iedereen") {
		t.Errorf("the Zwolle organiser's list shows a message for the whole event")
	}
	_, compose := ts.get(t, "/beheer/berichten/nieuw?groep=beoordelaars")
	if !strings.Contains(compose, nlMsg(t, "audience.group_event_wide")) || strings.Contains(compose, `value="beoordelaars"`) {
		t.Errorf("the Zwolle organiser may choose reviewers")
	}
	own := saveMessage(t, ts, composeForm("status=bevestigd", "Zwolle", "Hallo"))
	zwolle := must(ts.Store.VenueBySlug(ctx, "zwolle"))
	if len(own.Audience.Scope) != 1 || own.Audience.Scope[0] != zwolle.ID {
		t.Fatalf("the Zwolle organiser's message has scope %v, want Zwolle only", own.Audience.Scope)
	}
	wantN := must(ts.Store.CountAudience(ctx, models.Audience{VenueID: zwolle.ID, Status: models.StatusConfirmed}))
	_, page := ts.get(t, messagePath(own.ID))
	if !strings.Contains(page, nlMsg(t, "message.recipients_count", "Count", wantN)) {
		t.Errorf("the Zwolle organiser's message should go to Zwolle's %d confirmed people", wantN)
	}
	var audit []models.AuditEntry
	ts.postForm(t, messagePath(own.ID)+"/versturen", url.Values{"wanneer": {"nu"}, "aantal": {fmt.Sprint(wantN)}})
	modelstest.Find(t, ts.Store, &audit, modelstest.Where("subject_kind = ? AND subject_id = ? AND action = ?", models.SubjectMessage, own.ID, "message.sent"))
	if len(audit) != 1 || audit[0].Action != "message.sent" || audit[0].VenueID == nil || *audit[0].VenueID != zwolle.ID {
		t.Errorf("audit %+v, want message.sent for Zwolle", audit)
	}
}

// TestReminderCountsWithTheSharedAudience: the "still coming?" e-mail's confirmation names
// the number the list of people shows for "confirmed", and links to that list.
func TestReminderCountsWithTheSharedAudience(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.loginAs(t, models.RoleOrganiser, "")
	_, list := ts.get(t, "/beheer/deelnemers?status=bevestigd")
	listed := firstNumber(t, listCountRE, list, "the list's count")
	_, body := ts.postForm(t, "/beheer/herinnering", url.Values{})
	if !strings.Contains(body, nlMsg(t, "beheer.mail_confirm.title", "Count", listed)) || !strings.Contains(body, `href="/beheer/deelnemers?status=bevestigd"`) {
		t.Errorf("the reminder's confirmation: want %d e-mails and a link to the list of confirmed people", listed)
	}
}

// TestMessagePagesAreTranslated renders every page of messages, and the other groups' lists,
// in Dutch and English without a missing message key.
func TestMessagePagesAreTranslated(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.loginAs(t, models.RoleOrganiser, "")
	draft := saveMessage(t, ts, composeForm("groep=sprekers", "Hallo {naam}", "Je voorstel: {sessies}\n{persoonlijke_link}"))
	sent := saveMessage(t, ts, composeForm("groep=beoordelaars", "Beoordelen", "Tot {datum}"))
	ts.postForm(t, messagePath(sent.ID)+"/versturen", url.Values{"wanneer": {"nu"}, "aantal": {fmt.Sprint(must(ts.Store.CountAudience(modelstest.Ctx(), sent.Audience)))}})
	missing := regexp.MustCompile(`\[[a-z_]+\.[a-z_.]+\]`)
	for _, lang := range []string{"nl", "en"} {
		for _, path := range []string{"/beheer/berichten", "/beheer/berichten/nieuw", "/beheer/berichten/nieuw?groep=stemmers&q=x",
			messagePath(draft.ID), messagePath(draft.ID) + "/bewerken", messagePath(sent.ID), "/beheer/deelnemers?groep=sprekers",
			"/beheer/deelnemers?groep=medesprekers", "/beheer/deelnemers?groep=beoordelaars", "/beheer/deelnemers?groep=stemmers"} {
			resp, body := ts.get(t, path, "Cookie", "lang="+lang)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s %s: status %d", lang, path, resp.StatusCode)
			}
			if m := missing.FindString(body); m != "" {
				t.Errorf("%s %s: missing message %s", lang, path, m)
			}
			if !strings.Contains(body, `<html lang="`+lang+`"`) {
				t.Errorf("%s %s: not in %s", lang, path, lang)
			}
		}
	}
}
