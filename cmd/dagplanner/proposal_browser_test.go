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

// mailedLink waits until the server's log shows an e-mail to recipient with a personal link
// under prefix (the mail worker polls every few seconds), and returns the link's path.
func mailedLink(t *testing.T, srv *testServer, recipient, prefix string) string {
	t.Helper()
	re := regexp.MustCompile(`to=` + regexp.QuoteMeta(recipient) + `[^\n]*?(` + regexp.QuoteMeta(prefix) + `[A-Za-z0-9_-]{43})`)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(srv.Out.String()); m != nil {
			return m[1]
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no e-mail to %s with a link %s… in the log within 30 s:\n%s", recipient, prefix, srv.Out.String())
	return ""
}

// TestProposalKeyboardOnly submits a proposal with nothing but the keyboard, opens the
// personal link from the e-mail, changes the proposal, and finds it read-only once the
// deadline has passed; axe checks every page on the way.
func TestProposalKeyboardOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	t.Parallel()
	db := demoDB(t, false)
	srv := startServer(t, "--db", db, "--demo", "--demo-registrations=false")
	ctx := browsertest.New(t)
	setLanguage(t, ctx, srv.URL, "nl")

	navigate(t, ctx, srv.URL+"/voorstellen")
	browsertest.AssertNoAxeViolationsHere(t, ctx, "proposal form")

	// First attempt: only a title, which the server must refuse and explain.
	tabTo(t, ctx, "#veld-title")
	keys(t, ctx, "Samen <b>sneller</b> beslissen")
	tabTo(t, ctx, `main form button[type="submit"]`)
	pressAndWait(t, ctx, kb.Enter, ".error-summary")
	browsertest.AssertNoAxeViolationsHere(t, ctx, "proposal form with errors")
	checkErrorSummary(t, ctx, []string{"#veld-summary", "#veld-format", "#veld-speaker_name", "#veld-consent"})
	if got, err := chromedp.Run(timeout(ctx), chromedp.Value("#veld-title")); err != nil || got != "Samen <b>sneller</b> beslissen" {
		t.Errorf("after the refused submit the title holds %q (%v), want what was typed", got, err)
	}

	// Second attempt: fill in the rest.
	for _, f := range []struct{ sel, text string }{
		{"#veld-summary", "Besluiten in een uur in plaats van een maand."},
		{"#veld-description", "We oefenen met echte besluiten."},
		{"#veld-format", "w"}, // type-ahead chooses "workshop"
		{"#veld-max_participants", "24"},
		{"#veld-venues-zwolle", " "},
		{"#veld-needs-flipover", " "},
		{"#veld-speaker_name", zoe},
		{"#veld-speaker_email", "zoe.voorstel@example.nl"},
		{"#veld-speaker_organisation", "Gemeente Ølst & Wijhe"},
		{"#veld-co_speakers", "kees.mede@example.nl"},
		{"#veld-consent", " "},
	} {
		tabTo(t, ctx, f.sel)
		keys(t, ctx, f.text)
	}
	if v, err := chromedp.Run(timeout(ctx), chromedp.Value("#veld-format")); err != nil || v != "workshop" {
		t.Fatalf("typing w on the format list chose %q (%v), want workshop", v, err)
	}
	tabTo(t, ctx, `main form button[type="submit"]`)
	pressAndWait(t, ctx, kb.Enter, `form[action$="/intrekken"]`)
	page, err := chromedp.Run(timeout(ctx), chromedp.Location())
	if err != nil || !strings.HasPrefix(page, srv.URL+"/voorstel/") {
		t.Fatalf("after submitting the browser is at %s (%v), want /voorstel/…", page, err)
	}
	if text := pageText(t, ctx); !strings.Contains(text, "Je voorstel is binnen") || !strings.Contains(text, "Samen <b>sneller</b> beslissen") {
		t.Errorf("the proposal page does not confirm or shows the title changed:\n%s", text)
	}
	browsertest.AssertNoAxeViolationsHere(t, ctx, "proposal page")

	// The e-mail's link opens the same proposal, for editing.
	link := mailedLink(t, srv, "zoe.voorstel@example.nl", "/voorstel/")
	navigate(t, ctx, srv.URL+link)
	tabTo(t, ctx, "#veld-audience")
	keys(t, ctx, "Teamleiders")
	tabTo(t, ctx, `form[enctype] button[type="submit"]`)
	pressAndWait(t, ctx, kb.Enter, `main .utrecht-alert--ok`)
	assertAt(t, ctx, srv.URL+link)
	if v, err := chromedp.Run(timeout(ctx), chromedp.Value("#veld-audience")); err != nil || v != "Teamleiders" {
		t.Errorf("after saving the audience reads %q (%v), want Teamleiders", v, err)
	}
	browsertest.AssertNoAxeViolationsHere(t, ctx, "proposal page after saving")

	// The co-speaker's invitation opens their page.
	coLink := mailedLink(t, srv, "kees.mede@example.nl", "/voorstellen/medespreker/")
	navigate(t, ctx, srv.URL+coLink)
	browsertest.AssertNoAxeViolationsHere(t, ctx, "co-speaker page")
	tabTo(t, ctx, "#veld-name")
	keys(t, ctx, "Kees de Mede")
	tabTo(t, ctx, "#veld-organisation")
	keys(t, ctx, "Logius")
	tabTo(t, ctx, `main form button[type="submit"]`)
	pressAndWait(t, ctx, kb.Enter, `main .utrecht-alert--ok`)
	if text := pageText(t, ctx); !strings.Contains(text, "bevestigd") {
		t.Errorf("after confirming the co-speaker page does not say so:\n%s", text)
	}

	// The deadline passes: the organiser's close time moves into the past.
	bg := modelstest.Ctx()
	s, err := models.Open(bg, db)
	if err != nil {
		t.Fatalf("open %s: %v", db, err)
	}
	past := time.Now().Add(-time.Minute).UTC()
	modelstest.Update(t, s, &models.Event{}, modelstest.All, map[string]any{"proposals_close_at": past})
	s.Close()

	navigate(t, ctx, srv.URL+link)
	text := pageText(t, ctx)
	if !strings.Contains(text, "De deadline is voorbij") || !strings.Contains(text, "Teamleiders") || !strings.Contains(text, zoe) {
		t.Errorf("after the deadline the page does not show the proposal read-only:\n%s", text)
	}
	if n, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[int](`document.querySelectorAll('main form input, main form textarea').length`)); err != nil || n != 0 {
		t.Errorf("after the deadline the page still has %d form fields (%v), want none", n, err)
	}
	browsertest.AssertNoAxeViolationsHere(t, ctx, "read-only proposal page")
	navigate(t, ctx, srv.URL+coLink)
	browsertest.AssertNoAxeViolationsHere(t, ctx, "read-only co-speaker page")
	navigate(t, ctx, srv.URL+"/voorstellen")
	if text := pageText(t, ctx); !strings.Contains(text, "is gesloten") {
		t.Errorf("after the deadline /voorstellen does not say the call is closed:\n%s", text)
	}
	browsertest.AssertNoAxeViolationsHere(t, ctx, "closed call")

	// The read-only pages in English too.
	setLanguage(t, ctx, srv.URL, "en")
	for _, p := range []string{link, coLink, "/voorstellen"} {
		browsertest.AssertNoAxeViolations(t, ctx, srv.URL+p)
		assertLang(t, ctx, p, "en")
	}
	if text := pageText(t, ctx); !strings.Contains(text, "is closed") {
		t.Errorf("the English closed call does not say so:\n%s", text)
	}
}
