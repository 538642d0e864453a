package main

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/ambtenaar20/dagplanner/browsertest"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// mailedDecisionLink waits until the log shows the decision e-mail to recipient and returns
// the path of its confirm link.
func mailedDecisionLink(t *testing.T, srv *testServer, recipient string) string {
	t.Helper()
	re := regexp.MustCompile(`to=` + regexp.QuoteMeta(recipient) + `[^\n]*?(/voorstel/[A-Za-z0-9_-]{43}/bevestigen)`)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(srv.Out.String()); m != nil {
			return m[1]
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no decision e-mail to %s with a confirm link in the log within 30 s", recipient)
	return ""
}

// withStore opens the server's database beside it, for what the review (built elsewhere)
// and the planner would do.
func withStore(t *testing.T, db string, fn func(s *models.Store)) {
	t.Helper()
	s, err := models.Open(modelstest.Ctx(), db)
	if err != nil {
		t.Fatalf("open %s: %v", db, err)
	}
	defer s.Close()
	fn(s)
}

// undoDemoDecisions sets the demo's decided proposals back to submitted, for a test that
// follows its own decisions from the start.
func undoDemoDecisions(t *testing.T, db string) {
	t.Helper()
	withStore(t, db, func(s *models.Store) {
		// The demo's confirmed proposals have sessions: those go too.
		modelstest.Delete(t, s, &models.Session{}, modelstest.Where("proposal_id IS NOT NULL"))
		modelstest.Update(t, s, &models.Proposal{},
			modelstest.Where("status IN ?", []string{models.ProposalAccepted, models.ProposalConfirmed, models.ProposalReserve, models.ProposalRejected}),
			map[string]any{"status": models.ProposalSubmitted})
	})
}

func setStatusIn(t *testing.T, db, editToken, status string) models.Proposal {
	t.Helper()
	var p models.Proposal
	withStore(t, db, func(s *models.Store) {
		var err error
		if p, err = s.ProposalByToken(modelstest.Ctx(), editToken); err != nil {
			t.Fatal(err)
		}
		modelstest.SetProposalStatus(t, s, p.ID, status)
	})
	return p
}

// TestDecisionsKeyboardOnly: an organiser prepares, reviews and sends the decision e-mails
// with the keyboard only; a changed decision stops the send; the speaker opens the confirm
// link from the captured e-mail and confirms; the session exists, and once placed the speaker
// sees its room and time. axe checks every page of the decisions in Dutch and English.
func TestDecisionsKeyboardOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	t.Parallel()
	db := demoDB(t, false)
	srv := startServer(t, "--db", db, "--demo", "--demo-registrations=false")
	undoDemoDecisions(t, db)
	password := demoPassword(t, srv.Out.String())
	ctx := browsertest.New(t)
	setLanguage(t, ctx, srv.URL, "nl")

	// Sign in with the keyboard.
	navigate(t, ctx, srv.URL+"/beheer/inloggen")
	tabTo(t, ctx, "#veld-email")
	keys(t, ctx, demoEmail)
	tabTo(t, ctx, "#veld-password")
	keys(t, ctx, password)
	tabTo(t, ctx, `main form button[type="submit"]`)
	pressAndWait(t, ctx, kb.Enter, `main a[href="/beheer/besluiten"]`)
	tabTo(t, ctx, `main a[href="/beheer/besluiten"]`)
	pressAndWait(t, ctx, kb.Enter, `#besluiten-acties`)
	browsertest.AssertNoAxeViolationsHere(t, ctx, "empty decision outbox")

	// The review (built elsewhere) decides two proposals.
	yesToken := proposeViaAPI(t, srv.URL, "ja.spreker@example.org")
	noToken := proposeViaAPI(t, srv.URL, "nee.spreker@example.org")
	yes := setStatusIn(t, db, yesToken, models.ProposalAccepted)
	setStatusIn(t, db, noToken, models.ProposalRejected)

	navigate(t, ctx, srv.URL+"/beheer/besluiten")
	tabTo(t, ctx, `form[action="/beheer/besluiten/voorbereiden"] button`)
	pressAndWait(t, ctx, kb.Enter, `form[action="/beheer/besluiten/verzenden"]`)
	tabTo(t, ctx, `details.draft__preview summary`)
	keys(t, ctx, kb.Enter) // opens the first preview
	if text := pageText(t, ctx); !strings.Contains(text, "/voorstel/PERSOONLIJKE-CODE/bevestigen") || !strings.Contains(text, "Verstuur alle 2 e-mails") {
		t.Errorf("the outbox does not preview the accepted e-mail or offer to send both:\n%s", text)
	}
	browsertest.AssertNoAxeViolationsHere(t, ctx, "decision outbox with drafts")

	// The rejected proposal goes on the reserve list before the send: nothing is sent.
	setStatusIn(t, db, noToken, models.ProposalReserve)
	tabTo(t, ctx, `form[action="/beheer/besluiten/verzenden"] button`)
	pressAndWait(t, ctx, kb.Enter, `main button[name="bevestigd"]`)
	if text := pageText(t, ctx); !strings.Contains(text, "2 e-mails versturen?") || !strings.Contains(text, "Ja, verstuur 2 e-mails") {
		t.Errorf("sending does not first ask to confirm the 2 e-mails:\n%s", text)
	}
	browsertest.AssertNoAxeViolationsHere(t, ctx, "confirmation of the number of e-mails")
	tabTo(t, ctx, `main button[name="bevestigd"]`)
	pressAndWait(t, ctx, kb.Enter, `main .utrecht-alert--error`)
	if text := pageText(t, ctx); !strings.Contains(text, "Er is niets verstuurd") {
		t.Errorf("the refused send does not say nothing was sent:\n%s", text)
	}
	browsertest.AssertNoAxeViolationsHere(t, ctx, "decision outbox with an error")
	setLanguage(t, ctx, srv.URL, "en")
	tabTo(t, ctx, `form[action="/beheer/besluiten/verzenden"] button`)
	pressAndWait(t, ctx, kb.Enter, `html[lang="en"] main button[name="bevestigd"]`)
	tabTo(t, ctx, `main button[name="bevestigd"]`)
	pressAndWait(t, ctx, kb.Enter, `html[lang="en"] main .utrecht-alert--error`)
	assertLang(t, ctx, "English outbox with an error", "en")
	browsertest.AssertNoAxeViolationsHere(t, ctx, "English decision outbox with an error")
	setLanguage(t, ctx, srv.URL, "nl")

	// Prepare again (the stale draft is replaced) and send both.
	navigate(t, ctx, srv.URL+"/beheer/besluiten")
	tabTo(t, ctx, `form[action="/beheer/besluiten/voorbereiden"] button`)
	pressAndWait(t, ctx, kb.Enter, `main .utrecht-alert--ok`)
	tabTo(t, ctx, `form[action="/beheer/besluiten/verzenden"] button`)
	pressAndWait(t, ctx, kb.Enter, `main button[name="bevestigd"]`)
	tabTo(t, ctx, `main button[name="bevestigd"]`)
	pressAndWait(t, ctx, kb.Enter, `section[aria-labelledby="besluiten-verzonden"] table`)
	if text := pageText(t, ctx); !strings.Contains(text, "2 e-mails staan in de verzendrij") {
		t.Errorf("after sending the outbox does not say so:\n%s", text)
	}
	browsertest.AssertNoAxeViolationsHere(t, ctx, "decision outbox after sending")

	// The templates, and a broken one refused with its line.
	navigate(t, ctx, srv.URL+"/beheer/besluiten/sjablonen")
	browsertest.AssertNoAxeViolationsHere(t, ctx, "decision templates")
	tabTo(t, ctx, `main a[href="/beheer/besluiten/sjablonen/rejected/nl"]`)
	pressAndWait(t, ctx, kb.Enter, "#veld-body")
	tabTo(t, ctx, "#veld-body")
	keys(t, ctx, "{{.Naam}}")
	tabTo(t, ctx, `main form button[type="submit"]`)
	pressAndWait(t, ctx, kb.Enter, ".error-summary")
	checkErrorSummary(t, ctx, []string{"#veld-body"})
	browsertest.AssertNoAxeViolationsHere(t, ctx, "decision template with an error")

	// The speaker opens the confirm link from the e-mail and confirms with the keyboard.
	confirm := mailedDecisionLink(t, srv, "ja.spreker@example.org")
	navigate(t, ctx, srv.URL+confirm)
	browsertest.AssertNoAxeViolationsHere(t, ctx, "confirm page")
	tabTo(t, ctx, `main form button[type="submit"]`)
	pressAndWait(t, ctx, kb.Enter, `main .utrecht-alert--ok`)
	if text := pageText(t, ctx); !strings.Contains(text, "Je hebt bevestigd") || !strings.Contains(text, "Nog niet ingepland") {
		t.Errorf("after confirming the speaker's page does not say so:\n%s", text)
	}
	speakerPage := strings.TrimSuffix(confirm, "/bevestigen")

	// The session exists with its constraints; the organiser places it.
	withStore(t, db, func(s *models.Store) {
		bg := modelstest.Ctx()
		se, err := s.SessionOfProposal(bg, yes.ID)
		if err != nil {
			t.Fatalf("no session after confirming: %v", err)
		}
		venues, _, _ := s.SessionWishes(bg, se.ID)
		if se.SlotCount != 1 || se.CapacityLimit != 20 || len(venues) != 1 || se.Placed() {
			t.Errorf("session %+v, venue wishes %v: want 1 slot, 20 seats, Zwolle, unplaced", se, venues)
		}
		zwolle, err := s.VenueBySlug(bg, "zwolle")
		if err != nil {
			t.Fatal(err)
		}
		room, err := s.CreateRoom(bg, zwolle.ID, models.RoomInput{Name: "Zaal Toegankelijk", Capacity: 30})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateSession(bg, se.ID, models.SessionInput{Title: se.Title, Format: se.Format, VenueID: zwolle.ID,
			RoomID: room.ID, FirstSlotID: zwolle.Slots[0].ID, SlotCount: 1, CapacityLimit: 20}); err != nil {
			t.Fatalf("place the session: %v", err)
		}
	})
	navigate(t, ctx, srv.URL+speakerPage)
	if text := pageText(t, ctx); !strings.Contains(text, "Zaal Toegankelijk") || !strings.Contains(text, "Zwolle") {
		t.Errorf("the speaker's page does not show the room and venue:\n%s", text)
	}
	browsertest.AssertNoAxeViolationsHere(t, ctx, "speaker page with a placed session")
	navigate(t, ctx, srv.URL+speakerPage+"/afzeggen")
	browsertest.AssertNoAxeViolationsHere(t, ctx, "decline page after confirming")

	// The same pages in English.
	setLanguage(t, ctx, srv.URL, "en")
	for _, p := range []string{"/beheer/besluiten", "/beheer/besluiten/sjablonen", "/beheer/besluiten/sjablonen/accepted/en",
		confirm, speakerPage + "/afzeggen", speakerPage} {
		browsertest.AssertNoAxeViolations(t, ctx, srv.URL+p)
		assertLang(t, ctx, p, "en")
	}
	if text := pageText(t, ctx); !strings.Contains(text, "Your session in the programme") {
		t.Errorf("the English speaker page does not show the session:\n%s", text)
	}
	navigate(t, ctx, srv.URL+"/beheer/besluiten/sjablonen/accepted/en")
	tabTo(t, ctx, "#veld-body")
	keys(t, ctx, "{{range 5}}x{{end}}")
	tabTo(t, ctx, `main form button[type="submit"]`)
	pressAndWait(t, ctx, kb.Enter, ".error-summary")
	browsertest.AssertNoAxeViolationsHere(t, ctx, "English decision template with an error")
	if v, err := chromedp.Run(timeout(ctx), chromedp.Value("#veld-body")); err != nil || !strings.Contains(v, "{{range 5}}x{{end}}") {
		t.Errorf("the refused template lost what was typed (%v)", err)
	}
}
