package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/ambtenaar20/dagplanner/browsertest"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// setVoting changes the demo event's voting settings in the database the server runs on:
// voting on, open from a minute ago until closes, limit votes each, for domains.
func setVoting(t *testing.T, db string, closes time.Time, limit int, domains string) {
	t.Helper()
	s, err := models.Open(modelstest.Ctx(), db)
	if err != nil {
		t.Fatalf("open %s: %v", db, err)
	}
	defer s.Close()
	modelstest.Update(t, s, &models.Event{}, modelstest.All, map[string]any{"voting_enabled": true,
		"voting_opens_at": time.Now().Add(-time.Minute).UTC(), "voting_closes_at": closes.UTC(), "votes_per_voter": limit,
		"voting_domains": domains, "voting_counts_public": true})
}

// ballotBoxes lists the ids of the ballot's check boxes, in page order.
func ballotBoxes(t *testing.T, ctx context.Context) []string {
	t.Helper()
	ids, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[[]string](`[...document.querySelectorAll('input[name="votes"]')].map(e => e.id)`))
	if err != nil || len(ids) < 3 {
		t.Fatalf("the ballot has check boxes %q (%v), want at least 3", ids, err)
	}
	return ids
}

// tickWithKeyboard moves the focus to each check box with Tab and presses Space on it.
func tickWithKeyboard(t *testing.T, ctx context.Context, ids ...string) {
	t.Helper()
	for _, id := range ids {
		tabTo(t, ctx, "#"+id)
		keys(t, ctx, " ")
	}
}

func counterText(t *testing.T, ctx context.Context) string {
	t.Helper()
	text, err := chromedp.Run(timeout(ctx), chromedp.Text("#vote-counter"))
	if err != nil {
		t.Fatalf("read the vote counter: %v", err)
	}
	return strings.TrimSpace(text)
}

// TestVoteKeyboardOnly asks for a ballot, opens the e-mailed link, ticks too many sessions,
// is refused, corrects and votes, all with the keyboard; then a second submission of the
// same ballot, from another tab, is refused. axe checks every page on the way.
func TestVoteKeyboardOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	t.Parallel()
	db := demoDB(t, false)
	srv := startServer(t, "--db", db, "--demo", "--demo-registrations=false")
	setVoting(t, db, time.Now().Add(24*time.Hour), 2, "example.nl")
	ctx := browsertest.New(t)
	setLanguage(t, ctx, srv.URL, "nl")

	// Ask for a ballot: first with an address of another domain.
	navigate(t, ctx, srv.URL+"/stemmen")
	tabTo(t, ctx, "#veld-email")
	keys(t, ctx, "kiezer@example.org")
	tabTo(t, ctx, `main form button[type="submit"]`)
	pressAndWait(t, ctx, kb.Enter, ".error-summary")
	checkErrorSummary(t, ctx, []string{"#veld-email"})
	if text := pageText(t, ctx); !strings.Contains(text, "Stemmen kan alleen met een adres van: example.nl.") {
		t.Errorf("the refused address is not explained:\n%s", text)
	}
	tabTo(t, ctx, "#veld-email")
	keys(t, ctx, kb.End+strings.Repeat(kb.Backspace, len("org"))+"nl")
	if v, err := chromedp.Run(timeout(ctx), chromedp.Value("#veld-email")); err != nil || v != "kiezer@example.nl" {
		t.Fatalf("the address field holds %q (%v), want kiezer@example.nl", v, err)
	}
	tabTo(t, ctx, `main form button[type="submit"]`)
	pressAndWait(t, ctx, kb.Enter, "main .utrecht-alert--ok")
	assertAt(t, ctx, srv.URL+"/stemmen")

	// The e-mailed link opens the ballot, here and in a second tab.
	link := mailedLink(t, srv, "kiezer@example.nl", "/stemmen/stembiljet/")
	navigate(t, ctx, srv.URL+link)
	stale, cancel := chromedp.NewContext(ctx)
	defer cancel()
	navigate(t, stale, srv.URL+link)

	boxes := ballotBoxes(t, ctx)
	tickWithKeyboard(t, ctx, boxes[0], boxes[1], boxes[2])
	if got := counterText(t, ctx); got != "3 van 2 gekozen: dat zijn er te veel" {
		t.Errorf("the counter reads %q, want 3 van 2 gekozen: dat zijn er te veel", got)
	}
	tabTo(t, ctx, `main form button[type="submit"]`)
	pressAndWait(t, ctx, kb.Enter, ".error-summary")
	checkErrorSummary(t, ctx, []string{"#veld-votes"})
	if text := pageText(t, ctx); !strings.Contains(text, "Je koos 3 sessies, maar je mag er ten hoogste 2 kiezen.") {
		t.Errorf("too many votes are not explained:\n%s", text)
	}
	n, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[int](`document.querySelectorAll('input[name="votes"]:checked').length`))
	if err != nil || n != 3 {
		t.Errorf("after the refusal %d boxes are ticked (%v), want the 3 ticked before", n, err)
	}
	browsertest.AssertNoAxeViolationsHere(t, ctx, "ballot with too many votes")

	// Untick one and vote.
	tickWithKeyboard(t, ctx, boxes[2])
	if got := counterText(t, ctx); got != "2 van 2 gekozen" {
		t.Errorf("the counter reads %q, want 2 van 2 gekozen", got)
	}
	titles, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[[]string](fmt.Sprintf(
		`[%q, %q].map(id => document.querySelector('label[for="' + id + '"]').textContent.trim())`, boxes[0], boxes[1])))
	if err != nil {
		t.Fatal(err)
	}
	tabTo(t, ctx, `main form button[type="submit"]`)
	pressAndWait(t, ctx, kb.Enter, "main .utrecht-alert--ok")
	assertAt(t, ctx, srv.URL+link)
	text := pageText(t, ctx)
	if !strings.Contains(text, "Je stem is opgeslagen") || !strings.Contains(text, titles[0]) || !strings.Contains(text, titles[1]) {
		t.Errorf("after voting the page does not confirm the votes %q:\n%s", titles, text)
	}
	browsertest.AssertNoAxeViolationsHere(t, ctx, "ballot after voting")

	// The stale tab still shows the form; its submission is refused.
	tickWithKeyboard(t, stale, boxes[2])
	tabTo(t, stale, `main form button[type="submit"]`)
	pressAndWait(t, stale, kb.Enter, ".vote-notice")
	if text := pageText(t, stale); !strings.Contains(text, "Je hebt al gestemd.") || !strings.Contains(text, titles[0]) {
		t.Errorf("a second submission is not refused with the recorded votes:\n%s", text)
	}
	browsertest.AssertNoAxeViolationsHere(t, stale, "second submission refused")
}

// TestVotingAccessibility runs axe on the voting pages in every state, in Dutch and English:
// /stemmen open, refused and after asking; the ballot open, refused and voted; and both once
// voting has closed, with the counts shown.
func TestVotingAccessibility(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	t.Parallel()
	db := demoDB(t, false)
	srv := startServer(t, "--db", db, "--demo", "--demo-registrations=false")
	setVoting(t, db, time.Now().Add(24*time.Hour), 3, "example.nl\nexample.org")
	ctx := browsertest.New(t)
	unvoted := map[string]string{}
	for _, lang := range []string{"nl", "en"} {
		t.Run(lang, func(t *testing.T) {
			setLanguage(t, ctx, srv.URL, lang)
			browsertest.AssertNoAxeViolations(t, ctx, srv.URL+"/stemmen")
			assertLang(t, ctx, "/stemmen", lang)
			err := chromedp.Do(timeout(ctx),
				chromedp.SendKeys("#veld-email", "niet@elders.test"),
				chromedp.Click(`main form button[type="submit"]`),
				chromedp.WaitVisible(".error-summary"),
			)
			if err != nil {
				t.Fatalf("submit a refused address: %v", err)
			}
			browsertest.AssertNoAxeViolationsHere(t, ctx, "/stemmen with an error")
			for _, who := range []string{"a11y-" + lang, "later-" + lang} {
				err = chromedp.Do(timeout(ctx),
					chromedp.Navigate(srv.URL+"/stemmen"),
					chromedp.SendKeys("#veld-email", who+"@example.org"),
					chromedp.Click(`main form button[type="submit"]`),
					chromedp.WaitVisible("main .utrecht-alert--ok"),
				)
				if err != nil {
					t.Fatalf("ask for a ballot: %v", err)
				}
			}
			browsertest.AssertNoAxeViolationsHere(t, ctx, "/stemmen after asking")

			link := mailedLink(t, srv, "a11y-"+lang+"@example.org", "/stemmen/stembiljet/")
			unvoted[lang] = mailedLink(t, srv, "later-"+lang+"@example.org", "/stemmen/stembiljet/")
			browsertest.AssertNoAxeViolations(t, ctx, srv.URL+link)
			assertLang(t, ctx, "ballot", lang)
			err = chromedp.Do(timeout(ctx),
				chromedp.Click(`main form button[type="submit"]`),
				chromedp.WaitVisible(".error-summary"),
			)
			if err != nil {
				t.Fatalf("submit an empty ballot: %v", err)
			}
			browsertest.AssertNoAxeViolationsHere(t, ctx, "ballot with an error")
			boxes := ballotBoxes(t, ctx)
			err = chromedp.Do(timeout(ctx),
				chromedp.Click("#"+boxes[0]),
				chromedp.Click(`main form button[type="submit"]`),
				chromedp.WaitVisible("main .utrecht-alert--ok"),
			)
			if err != nil {
				t.Fatalf("vote: %v", err)
			}
			browsertest.AssertNoAxeViolationsHere(t, ctx, "ballot after voting")
			// #17: what is kept about the voter, and the page that erases it (not used here).
			for page, title := range map[string]map[string]string{
				"/gegevens": {"nl": "Jouw gegevens als stemmer", "en": "Your data as a voter"},
				"/wissen":   {"nl": "Je stembiljet wissen", "en": "Erase your ballot"},
			} {
				browsertest.AssertNoAxeViolations(t, ctx, srv.URL+link+page)
				assertLang(t, ctx, "ballot"+page, lang)
				if text := pageText(t, ctx); !strings.Contains(text, title[lang]) {
					t.Errorf("%s: the ballot's %s page lacks its title %q:\n%s", lang, page, title[lang], text)
				}
			}
		})
	}

	// The organisers' settings, also refused with an invalid domain.
	signIn(t, ctx, srv.URL, demoEmail, demoPassword(t, srv.Out.String()), `main a[href="/beheer/sessies"]`)
	for _, lang := range []string{"nl", "en"} {
		setLanguage(t, ctx, srv.URL, lang)
		browsertest.AssertNoAxeViolations(t, ctx, srv.URL+"/beheer/evenement")
		err := chromedp.Do(timeout(ctx),
			chromedp.SetValue("#veld-voting_domains", "rijksoverheid.nl, niet_goed"),
			chromedp.Click(`main form button[type="submit"]`),
			chromedp.WaitVisible(".error-summary"),
		)
		if err != nil {
			t.Fatalf("submit an invalid domain: %v", err)
		}
		checkErrorSummary(t, ctx, []string{"#veld-voting_domains"})
		browsertest.AssertNoAxeViolationsHere(t, ctx, "event form with an invalid domain")
	}

	// Voting closes: the counts are public, and a ballot not used says it closed.
	setVoting(t, db, time.Now().Add(-time.Second), 3, "example.nl\nexample.org")
	for _, lang := range []string{"nl", "en"} {
		setLanguage(t, ctx, srv.URL, lang)
		browsertest.AssertNoAxeViolations(t, ctx, srv.URL+"/stemmen")
		assertLang(t, ctx, "/stemmen closed", lang)
		if text := pageText(t, ctx); !strings.Contains(text, map[string]string{"nl": "2 stemmen", "en": "2 votes"}[lang]) {
			t.Errorf("%s: the closed voting page shows no counts:\n%s", lang, text)
		}
		browsertest.AssertNoAxeViolations(t, ctx, srv.URL+unvoted[lang])
		if text := pageText(t, ctx); !strings.Contains(text, map[string]string{"nl": "gesloten", "en": "closed"}[lang]) {
			t.Errorf("%s: the closed ballot does not say so:\n%s", lang, text)
		}
	}
}
