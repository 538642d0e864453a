package handlers

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/mail"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// setProposalStatus stands in for the organisers' review, which another part builds.
func setProposalStatus(t *testing.T, ts *testServer, id uint, status string) {
	t.Helper()
	modelstest.Set(t, ts.Store, &models.Proposal{}, id, "status", status)
}

// proposeByForm submits a proposal in the given interface language and returns it with its
// speaker's token.
func proposeByForm(t *testing.T, ts *testServer, email, title, lang string, coSpeakers ...string) (models.Proposal, string) {
	t.Helper()
	values := proposalValuesFor(email)
	values.Set("title", title)
	values.Set("slots", "2")
	values["venues"] = []string{"zwolle"}
	zwolle := testVenue(t, ts, "zwolle")
	values["availability"] = []string{idString(zwolle.Slots[0].ID), idString(zwolle.Slots[1].ID)}
	values.Set("co_speakers", strings.Join(coSpeakers, "\n"))
	resp, body := ts.postMultipart(t, "/voorstellen", values, "", nil, "Accept-Language", lang)
	wantStatus(t, resp, body, http.StatusSeeOther)
	token := proposalLink.FindStringSubmatch(resp.Header.Get("Location"))[1]
	p, err := ts.Store.ProposalByToken(modelstest.Ctx(), token)
	if err != nil {
		t.Fatal(err)
	}
	return p, token
}

var draftField = regexp.MustCompile(`name="draft" value="(\d+)"`)

// confirmed adds to form the confirmation of n e-mails that actions mailing many people ask for.
func confirmed(form url.Values, n string) url.Values {
	out := url.Values{"bevestigd": {"ja"}, "aantal": {n}}
	for k, v := range form {
		out[k] = v
	}
	return out
}

// draftForm returns the hidden draft ids of the outbox page's send form.
func draftForm(body string) url.Values {
	v := url.Values{}
	for _, m := range draftField.FindAllStringSubmatch(body, -1) {
		v.Add("draft", m[1])
	}
	return v
}

func decisionMessages(t *testing.T, ts *testServer) []models.OutboxMessage {
	t.Helper()
	var msgs []models.OutboxMessage
	modelstest.Find(t, ts.Store, &msgs, modelstest.Where("kind = ?", models.MailDecision).OrderBy("id"))
	return msgs
}

// decisionLink composes the decision e-mail to recipient and returns it with the path of its
// link that ends in suffix.
func decisionLink(t *testing.T, ts *testServer, recipient, suffix string) (string, mail.Message) {
	t.Helper()
	for _, msg := range decisionMessages(t, ts) {
		if msg.Recipient != recipient {
			continue
		}
		m, err := (&mail.Composer{Store: ts.Store, BaseURL: ts.URL}).Compose(modelstest.Ctx(), msg)
		if err != nil {
			t.Fatalf("compose the decision mail to %s: %v", recipient, err)
		}
		re := regexp.MustCompile(regexp.QuoteMeta(ts.URL) + `(/voorstel/[A-Za-z0-9_-]{43}` + regexp.QuoteMeta(suffix) + `)\n`)
		if sub := re.FindStringSubmatch(m.Text); sub != nil {
			return sub[1], m
		}
		t.Fatalf("no link …%s in the decision mail:\n%s", suffix, m.Text)
	}
	t.Fatalf("no decision mail to %s in the outbox", recipient)
	return "", mail.Message{}
}

func TestDecisionPagesRefuseOthers(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p, _ := proposeByForm(t, ts, "rollen@example.nl", "Rollen", "nl")
	setProposalStatus(t, ts, p.ID, models.ProposalAccepted)
	paths := []string{"/beheer/besluiten", "/beheer/besluiten/sjablonen", "/beheer/besluiten/sjablonen/accepted/nl"}
	posts := []string{"/beheer/besluiten/voorbereiden", "/beheer/besluiten/verzenden", "/beheer/besluiten/weggooien",
		"/beheer/besluiten/sjablonen/accepted/nl", "/beheer/besluiten/sjablonen/accepted/nl/standaard"}

	anon := ts.withNewClient(t)
	for _, path := range paths {
		resp, body := anon.get(t, path)
		wantStatus(t, resp, body, http.StatusSeeOther)
		if !strings.HasPrefix(resp.Header.Get("Location"), "/beheer/inloggen") {
			t.Errorf("anonymous GET %s went to %q, want the log-in page", path, resp.Header.Get("Location"))
		}
	}
	for _, role := range []struct{ role, venue string }{{models.RoleReviewer, ""}, {models.RoleOrganiser, "zwolle"}} {
		other := ts.withNewClient(t)
		other.loginAs(t, role.role, role.venue)
		for _, path := range paths {
			resp, body := other.get(t, path)
			wantStatus(t, resp, body, http.StatusForbidden)
		}
		for _, path := range posts {
			resp, body := other.postForm(t, path, url.Values{"subject": {"x"}, "body": {"{{.ConfirmLink}}"}})
			wantStatus(t, resp, body, http.StatusForbidden)
		}
	}
	// A cross-site form that an organiser's browser submits is refused too.
	org := ts.withNewClient(t)
	org.loginAs(t, models.RoleOrganiser, "")
	resp, body := org.postFormCrossOrigin(t, "/beheer/besluiten/voorbereiden", nil)
	wantStatus(t, resp, body, http.StatusForbidden)
	if n := countRows(t, ts, &models.DecisionMail{}, ""); n != 0 {
		t.Errorf("refused requests left %d drafts", n)
	}
	if n := countRows(t, ts, &models.DecisionTemplate{}, ""); n != 0 {
		t.Errorf("refused requests stored %d templates", n)
	}
}

func TestDecisionTemplateEditor(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.loginAs(t, models.RoleOrganiser, "")
	resp, body := ts.get(t, "/beheer/besluiten/sjablonen")
	wantStatus(t, resp, body, http.StatusOK)
	wantTranslated(t, "templates page", body)
	if n := strings.Count(body, `href="/beheer/besluiten/sjablonen/`); n != 6 || strings.Count(body, nlMsg(t, "decision.default")) != 6 {
		t.Errorf("templates page lists %d templates, want 6 with the default text:\n%s", n, excerpt(body))
	}
	resp, body = ts.get(t, "/beheer/besluiten/sjablonen/accepted/nl")
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, "the accepted template's form", body, `name="subject"`, "{{.ConfirmLink}}", "Goed nieuws", "<code>{{.EditLink}}</code>")
	for _, path := range []string{"/beheer/besluiten/sjablonen/maybe/nl", "/beheer/besluiten/sjablonen/accepted/de"} {
		resp, body = ts.get(t, path)
		wantStatus(t, resp, body, http.StatusNotFound)
	}

	for _, tc := range []struct {
		name, subject, body, field, message string
	}{
		{"syntax error", "Hallo", "Hallo {{.Name}},\nklik {{.ConfirmLink", "body", nlMsgUpTo(t, "decision.syntax", "Detail", "Line", 2)},
		{"unknown placeholder", "Hallo {{.Naam}}", "{{.ConfirmLink}}", "subject", nlMsg(t, "decision.unknown_field", "Line", 1, "Text", "{{.Naam}}")},
		{"loop", "Hallo", "{{range 100000000}}x{{end}}{{.ConfirmLink}}", "body", nlMsg(t, "decision.construct", "Line", 1, "Text", "{{range 100000000}}x{{end}}")},
		{"no confirm link", `<script>alert("x")</script>`, "Afzeggen: {{.DeclineLink}}", "body", nlMsg(t, "decision.needs_confirm_link")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := ts.postForm(t, "/beheer/besluiten/sjablonen/accepted/nl", url.Values{"subject": {tc.subject}, "body": {tc.body}})
			wantStatus(t, resp, body, http.StatusUnprocessableEntity)
			wantTranslated(t, "refused template", body)
			wantContains(t, "refused template", body, `href="#veld-`+tc.field+`"`, `id="veld-`+tc.field+`-error"`, tc.message)
			if strings.Contains(body, "<script>alert") {
				t.Error("the typed script is in the page unescaped")
			}
			kept := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(tc.subject)
			if !strings.Contains(body, `value="`+kept+`"`) {
				t.Errorf("the refused form lost the subject %q", kept)
			}
			if n := countRows(t, ts, &models.DecisionTemplate{}, ""); n != 0 {
				t.Errorf("a refused template was stored (%d rows)", n)
			}
		})
	}

	edited := "Beste {{.Name}},\r\n\r\nWe willen \"{{.Title}}\" graag op {{.Event}}.\r\nBevestig hier: {{.ConfirmLink}}\r\n"
	resp, body = ts.postForm(t, "/beheer/besluiten/sjablonen/accepted/nl", url.Values{"subject": {"Ja! {{.Title}}"}, "body": {edited}})
	wantStatus(t, resp, body, http.StatusSeeOther)
	_, body = ts.get(t, "/beheer/besluiten/sjablonen")
	wantContains(t, "templates page after saving", body, nlMsg(t, "decision.template_saved"), "Ja! {{.Title}}", "aangepast")

	// A draft made now uses the edited text.
	p, _ := proposeByForm(t, ts, "sjabloon@example.nl", "Sjablonen <em>testen</em>", "nl")
	setProposalStatus(t, ts, p.ID, models.ProposalAccepted)
	resp, body = ts.postForm(t, "/beheer/besluiten/voorbereiden", nil)
	wantStatus(t, resp, body, http.StatusSeeOther)
	_, body = ts.get(t, "/beheer/besluiten")
	wantContains(t, "outbox with the edited template's draft", body, "Ja! Sjablonen &lt;em&gt;testen&lt;/em&gt;",
		"We willen &#34;Sjablonen &lt;em&gt;testen&lt;/em&gt;&#34; graag op", "Bevestig hier: "+ts.URL+"/voorstel/PERSOONLIJKE-CODE/bevestigen")

	if strings.Contains(body, nlMsg(t, "decision.template_changed")) {
		t.Error("a fresh draft is marked as outdated")
	}

	// Restoring the default: the draft no longer matches, and the page says so.
	resp, body = ts.postForm(t, "/beheer/besluiten/sjablonen/accepted/nl/standaard", nil)
	wantStatus(t, resp, body, http.StatusSeeOther)
	if n := countRows(t, ts, &models.DecisionTemplate{}, ""); n != 0 {
		t.Errorf("after restoring the default %d templates are stored, want 0", n)
	}
	_, body = ts.get(t, "/beheer/besluiten")
	if !strings.Contains(body, nlMsg(t, "decision.template_changed")) {
		t.Error("a draft made from a template that changed since is not marked")
	}
}

func TestDecisionOutboxToSession(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ctx := modelstest.Ctx()
	// Start without the demo's decisions, so the outbox holds only this test's two.
	modelstest.Update(t, ts.Store, &models.Proposal{}, modelstest.Where("status IN ?", models.DecisionStatuses),
		map[string]any{"status": models.ProposalSubmitted})
	accepted, token := proposeByForm(t, ts, "ja@example.nl", tricky, "nl", "mede@example.nl")
	coLink, _ := mailLink(t, ts, accepted.ID, models.MailCoSpeakerInvite, "mede@example.nl")
	resp, body := ts.postForm(t, coLink, url.Values{"name": {"Mette Mede"}, "organisation": {"Logius"}})
	wantStatus(t, resp, body, http.StatusSeeOther)
	reserve, reserveToken := proposeByForm(t, ts, "reserve@example.nl", "Op de reservelijst", "en")
	setProposalStatus(t, ts, accepted.ID, models.ProposalAccepted)
	setProposalStatus(t, ts, reserve.ID, models.ProposalReserve)

	// Before the e-mails go out the speaker sees nothing of the decision, and cannot answer.
	_, body = ts.get(t, "/voorstel/"+token)
	if strings.Contains(body, nlMsg(t, "proposal.status.accepted")) || strings.Contains(body, "/bevestigen") {
		t.Errorf("the speaker's page shows the decision before its e-mail went out:\n%s", excerpt(body))
	}
	resp, body = ts.postForm(t, "/voorstel/"+token+"/bevestigen", nil)
	wantStatus(t, resp, body, http.StatusConflict)
	apiPath := "/api/v1/proposals/" + idString(accepted.ID)
	resp, b := ts.apiCall(t, http.MethodGet, apiPath, "", token)
	wantAPIStatus(t, resp, b, http.StatusOK)
	if !strings.Contains(string(b), `"status":"submitted"`) {
		t.Errorf("the API shows the decision before its e-mail went out: %s", b)
	}

	org := ts.withNewClient(t)
	org.loginAs(t, models.RoleOrganiser, "")
	resp, body = org.get(t, "/beheer/besluiten")
	wantStatus(t, resp, body, http.StatusOK)
	wantTranslated(t, "empty outbox", body)
	wantContains(t, "outbox before preparing", body, nlMsg(t, "decision.prepare", "Count", 2), "Zoë&#39;s &lt;script&gt;", "reserve@example.nl")
	if strings.Contains(body, "<script>alert") {
		t.Error("the outbox shows a title unescaped")
	}
	resp, body = org.postForm(t, "/beheer/besluiten/voorbereiden", nil)
	wantStatus(t, resp, body, http.StatusSeeOther)
	_, body = org.get(t, "/beheer/besluiten")
	wantTranslated(t, "outbox with drafts", body)
	wantContains(t, "outbox with drafts", body, nlMsg(t, "decision.prepared", "Count", 2), nlMsg(t, "decision.send_all", "Count", 2),
		ts.URL+"/voorstel/PERSOONLIJKE-CODE/bevestigen", "Your proposal &#34;Op de reservelijst&#34; is on the reserve list")
	if n := len(decisionMessages(t, ts)); n != 0 {
		t.Fatalf("preparing put %d decision mails in the outbox, want none before sending", n)
	}
	sendForm := draftForm(body)
	if len(sendForm["draft"]) != 2 {
		t.Fatalf("send form holds drafts %v, want 2", sendForm["draft"])
	}

	// Sending first asks to confirm the number of e-mails, and queues nothing until then;
	// a confirmation of another number asks again.
	for _, n := range []string{"", "3"} {
		form := url.Values{"draft": sendForm["draft"]}
		if n != "" {
			form = confirmed(form, n)
		}
		resp, body = org.postForm(t, "/beheer/besluiten/verzenden", form)
		if want := map[string]int{"": http.StatusOK, "3": http.StatusConflict}[n]; resp.StatusCode != want {
			t.Fatalf("send confirmed for %q mails: status %d, want %d\n%s", n, resp.StatusCode, want, body)
		}
		wantContains(t, "send confirmation", body, nlMsg(t, "beheer.mail_confirm.title", "Count", 2), nlMsg(t, "beheer.mail_confirm.send", "Count", 2), `name="aantal" value="2"`,
			nlMsg(t, "beheer.mail_confirm.decision_speakers", "Count", 2), // #15: counted with the shared audience
			`name="draft" value="`+sendForm["draft"][0]+`"`, `name="draft" value="`+sendForm["draft"][1]+`"`)
		if n := len(decisionMessages(t, ts)); n != 0 {
			t.Fatalf("an unconfirmed send queued %d mails", n)
		}
	}

	// The decision changes under a draft: sending is refused, with a message, and nothing goes.
	setProposalStatus(t, ts, reserve.ID, models.ProposalRejected)
	resp, body = org.postForm(t, "/beheer/besluiten/verzenden", confirmed(sendForm, "2"))
	wantStatus(t, resp, body, http.StatusConflict)
	wantTranslated(t, "refused send", body)
	wantContains(t, "refused send", body, nlMsg(t, "decision.stale_refused"),
		nlMsg(t, "decision.stale", "Status", nlText(t, "proposal.status."+models.ProposalRejected)))
	if n := len(decisionMessages(t, ts)); n != 0 {
		t.Fatalf("a refused send queued %d mails", n)
	}
	resp, body = org.postForm(t, "/beheer/besluiten/verzenden", confirmed(url.Values{"draft": {"1", "x"}}, "2"))
	wantStatus(t, resp, body, http.StatusConflict)
	resp, body = org.postForm(t, "/beheer/besluiten/voorbereiden", nil)
	wantStatus(t, resp, body, http.StatusSeeOther)
	_, body = org.get(t, "/beheer/besluiten")
	// Preparing again keeps the unchanged decision's draft and replaces the changed one's.
	if fresh := draftForm(body)["draft"]; len(fresh) != 2 || !slices.ContainsFunc(sendForm["draft"], func(id string) bool { return !slices.Contains(fresh, id) }) {
		t.Fatalf("after preparing again the drafts are %v, want 2 that are not all the old %v", fresh, sendForm["draft"])
	}
	resp, body = org.postForm(t, "/beheer/besluiten/verzenden", confirmed(url.Values{"draft": sendForm["draft"]}, "2")) // the old ids
	wantStatus(t, resp, body, http.StatusConflict)
	wantContains(t, "send of drafts no longer there", body, nlMsg(t, "decision.drafts_changed"))
	_, body = org.get(t, "/beheer/besluiten")
	resp, body = org.postForm(t, "/beheer/besluiten/verzenden", confirmed(draftForm(body), "2"))
	wantStatus(t, resp, body, http.StatusSeeOther)
	_, body = org.get(t, "/beheer/besluiten")
	wantContains(t, "outbox after sending", body, nlMsg(t, "decision.sent", "Count", 2), nlMsg(t, "decision.queued_at"), "reserve@example.nl")
	if n := len(decisionMessages(t, ts)); n != 2 {
		t.Fatalf("%d decision mails in the outbox after sending, want 2", n)
	}

	if _, b = ts.apiCall(t, http.MethodGet, apiPath, "", token); !strings.Contains(string(b), `"status":"accepted"`) {
		t.Errorf("the API does not show the decision once its e-mail went out: %s", b)
	}

	// The speaker opens the confirm link from the e-mail: a page with one button.
	confirm, m := decisionLink(t, ts, "ja@example.nl", "/bevestigen")
	if !strings.Contains(m.Text, tricky) || !strings.Contains(m.Subject, tricky) {
		t.Errorf("the mail does not carry the title as typed:\n%s\n%s", m.Subject, m.Text)
	}
	resp, body = ts.get(t, confirm)
	wantStatus(t, resp, body, http.StatusOK)
	wantTranslated(t, "confirm page", body)
	wantContains(t, "confirm page", body, `<form method="post" action="`+confirm+`"`, nlMsg(t, "answer.button.bevestigen"), "Zoë&#39;s &lt;script&gt;")
	if p, _ := ts.Store.Proposal(ctx, accepted.ID); p.Status != models.ProposalAccepted {
		t.Fatalf("opening the link changed the status to %q", p.Status)
	}
	resp, body = ts.postFormCrossOrigin(t, confirm, nil)
	wantStatus(t, resp, body, http.StatusForbidden)
	resp, body = ts.postForm(t, confirm, nil)
	wantStatus(t, resp, body, http.StatusSeeOther)
	page := resp.Header.Get("Location")
	_, body = ts.get(t, page)
	wantContains(t, "speaker page after confirming", body, nlMsg(t, "answer.done.bevestigen"), nlMsg(t, "speaker.session_heading"), nlMsg(t, "speaker.not_placed"),
		"/deelnemers.csv")
	resp, body = ts.postForm(t, confirm, nil)
	wantStatus(t, resp, body, http.StatusSeeOther)
	_, body = ts.get(t, page)
	wantContains(t, "second confirm", body, nlMsg(t, "answer.already.bevestigen"))
	resp, body = ts.postForm(t, strings.Replace(confirm, "/bevestigen", "/afzeggen", 1), nil)
	wantStatus(t, resp, body, http.StatusConflict)
	wantContains(t, "decline after confirming", body, nlMsg(t, "answer.not_accepted", "Status", nlText(t, "proposal.status."+models.ProposalConfirmed)))

	se, err := ts.Store.SessionOfProposal(ctx, accepted.ID)
	if err != nil {
		t.Fatal(err)
	}
	venues, slots, _ := ts.Store.SessionWishes(ctx, se.ID)
	if se.Title != tricky || se.SlotCount != 2 || se.CapacityLimit != 30 || len(venues) != 1 || len(slots) != 2 || len(se.Speakers) != 2 ||
		se.Placed() {
		t.Errorf("session %q slots %d capacity %d wishes %v %v speakers %d placed %v", se.Title, se.SlotCount, se.CapacityLimit,
			venues, slots, len(se.Speakers), se.Placed())
	}
	if n := countRows(t, ts, &models.Session{}, "proposal_id = ?", accepted.ID); n != 1 {
		t.Errorf("%d sessions for the proposal, want 1", n)
	}

	// The rejected speaker's links answer 409; forged links 404.
	resp, body = ts.get(t, "/voorstel/"+reserveToken+"/bevestigen")
	wantStatus(t, resp, body, http.StatusOK)
	if strings.Contains(body, "<button class=\"utrecht-button utrecht-button--primary-action\"") {
		t.Error("the confirm page of a rejected proposal has a button")
	}
	resp, body = ts.postForm(t, "/voorstel/"+reserveToken+"/bevestigen", nil)
	wantStatus(t, resp, body, http.StatusConflict)
	forged := "/voorstel/" + strings.Repeat("A", 43)
	for _, path := range []string{forged + "/bevestigen", forged + "/afzeggen", forged + "/deelnemers.csv"} {
		resp, body = ts.get(t, path)
		wantStatus(t, resp, body, http.StatusNotFound)
	}
	resp, body = ts.postForm(t, forged+"/bevestigen", nil)
	wantStatus(t, resp, body, http.StatusNotFound)
	resp, body = ts.get(t, "/voorstel/"+reserveToken+"/deelnemers.csv")
	wantStatus(t, resp, body, http.StatusNotFound)
	if p, _ := ts.Store.Proposal(ctx, reserve.ID); p.Status != models.ProposalRejected {
		t.Errorf("the rejected proposal is now %q", p.Status)
	}

	checkSpeakerSeesPlacement(t, ts, se, page, coLink)
}

// checkSpeakerSeesPlacement places the session, lets two people register for its one seat,
// and checks the speaker's page and participant list.
func checkSpeakerSeesPlacement(t *testing.T, ts *testServer, se models.Session, page, coLink string) {
	t.Helper()
	ctx := modelstest.Ctx()
	zwolle := testVenue(t, ts, "zwolle")
	room, err := ts.Store.CreateRoom(ctx, zwolle.ID, models.RoomInput{Name: "Testzaal", Capacity: 40})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.Store.UpdateSession(ctx, se.ID, models.SessionInput{Title: se.Title, Format: se.Format, VenueID: zwolle.ID,
		RoomID: room.ID, FirstSlotID: zwolle.Slots[0].ID, SlotCount: 2, CapacityLimit: 1}); err != nil {
		t.Fatalf("place the session: %v", err)
	}
	se, _ = ts.Store.Session(ctx, se.ID)
	for _, who := range []struct{ name, email, org string }{
		{"=HYPERLINK(\"http://evil.example\")", "csv1@example.nl", "@SUM(1+1)"},
		{"Wim Wachter", "csv2@example.nl", "Gemeente Wachtlijst"},
	} {
		_, err := ts.Store.Register(ctx, models.RegistrationInput{Name: who.name, Email: who.email, Organisation: who.org, Lang: "nl",
			Venue: "zwolle", Sessions: []uint{se.ID}, Consent: true})
		if err != nil {
			t.Fatalf("register %s: %v", who.email, err)
		}
	}
	_, body := ts.get(t, page)
	wantContains(t, "speaker page of a placed session", body, zwolle.Name+", "+zwolle.City, se.Room.Name,
		dutch(t).TimeRange(se.Slots[0].Slot.StartsAt, se.Slots[0].Slot.EndsAt), "<dt>Aanmeldingen</dt><dd>1 van 1 plaats</dd>",
		"<dt>Op de wachtlijst</dt><dd>1</dd>")

	resp, csv := ts.get(t, strings.TrimSuffix(page, "/")+"/deelnemers.csv")
	wantStatus(t, resp, csv, http.StatusOK)
	if ct := resp.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("CSV served as %q, %q", ct, resp.Header.Get("Content-Disposition"))
	}
	want := "\uFEFFNaam,Organisatie\r\n\"'=HYPERLINK(\"\"http://evil.example\"\")\",'@SUM(1+1)\r\n"
	if csv != want {
		t.Errorf("CSV got %q, want %q (only the seated person, formulas defused)", csv, want)
	}
	// The co-speaker who confirmed gets the same list through their own link.
	coToken := strings.TrimPrefix(coLink, "/voorstellen/medespreker/")
	resp, coCSV := ts.get(t, "/voorstel/"+coToken+"/deelnemers.csv")
	wantStatus(t, resp, coCSV, http.StatusOK)
	if coCSV != want {
		t.Errorf("co-speaker's CSV %q, want the same as the speaker's", coCSV)
	}
	_, body = ts.get(t, coLink)
	wantContains(t, "co-speaker page", body, nlMsg(t, "speaker.session_heading"), "/voorstel/"+coToken+"/deelnemers.csv")
}

func dutch(t *testing.T) *locale.Translator {
	t.Helper()
	c, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	return c.Translator(locale.Dutch)
}
