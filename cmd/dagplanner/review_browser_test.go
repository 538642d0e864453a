package main

import (
	"bytes"
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/ambtenaar20/dagplanner/browsertest"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// reviewerPassword is the password of the reviewer accounts the tests add.
const reviewerPassword = "een lang wachtwoord voor beoordelaars"

// addReviewer adds a reviewer account with "dagplanner user add", as an organiser would on
// the server, while the server runs on the same database.
func addReviewer(t *testing.T, db, email string) {
	t.Helper()
	var out bytes.Buffer
	args := []string{"user", "add", "--db", db, "--email", email, "--role", "reviewer", "--password-stdin"}
	if err := run(modelstest.Ctx(), args, envMap(nil), strings.NewReader(reviewerPassword+"\n"), &out); err != nil {
		t.Fatalf("dagplanner %s: %v\n%s", strings.Join(args, " "), err, out.String())
	}
}

// keyboardSignOut signs out with the footer's button and waits for the home page it leads
// to. (Waiting for an element instead raced: the page being left has the same links, and a
// next navigation could abort the sign-out's.)
func keyboardSignOut(t *testing.T, ctx context.Context) {
	t.Helper()
	tabTo(t, ctx, `footer form[action="/beheer/uitloggen"] button`)
	keys(t, ctx, kb.Enter)
	deadline := time.Now().Add(10 * time.Second)
	for {
		at, err := chromedp.Run(timeout(ctx), chromedp.Location())
		if u, perr := url.Parse(at); err == nil && perr == nil && u.Path == "/" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after signing out the browser is at %s (%v), want the home page", at, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := chromedp.Do(timeout(ctx), chromedp.WaitVisible(`a[href="/beheer"]`)); err != nil {
		t.Fatalf("the home page after signing out: %v", err)
	}
}

// keyboardReview gives the open proposal a score and a comment with the keyboard alone.
func keyboardReview(t *testing.T, ctx context.Context, score int, comment string) {
	t.Helper()
	tabTo(t, ctx, `input[name="score"]`)
	keys(t, ctx, " ") // the first radio: 1
	for range score - 1 {
		keys(t, ctx, kb.ArrowDown)
	}
	if on, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[bool](`document.querySelector('#veld-score-`+strconv.Itoa(score)+`').checked`)); err != nil || !on {
		t.Fatalf("the arrow keys did not choose score %d (%v)", score, err)
	}
	tabTo(t, ctx, "#veld-comment")
	keys(t, ctx, comment)
	tabTo(t, ctx, `main form[action$="/beoordeling"] button[type="submit"]`)
	pressAndWait(t, ctx, kb.Enter, "main .utrecht-alert--ok")
}

// TestReviewKeyboardOnly has two reviewers review the same proposal with nothing but the
// keyboard: the second does not see the first's score and comment until giving their own.
// Then an organiser accepts the proposal. Axe checks the pages on the way.
func TestReviewKeyboardOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	t.Parallel()
	db := demoDB(t, false)
	srv := startServer(t, "--db", db, "--demo", "--demo-registrations=false")
	undoDemoDecisions(t, db)
	addReviewer(t, db, "anna.beoordelaar@example.nl")
	addReviewer(t, db, "bert.beoordelaar@example.nl")
	ctx := browsertest.New(t)
	setLanguage(t, ctx, srv.URL, "nl")

	// Anna lands on the list and opens the first proposal.
	keyboardSignIn(t, ctx, srv.URL, "anna.beoordelaar@example.nl", reviewerPassword, "main table")
	assertAt(t, ctx, srv.URL+"/beheer/voorstellen")
	browsertest.AssertNoAxeViolationsHere(t, ctx, "proposal list (reviewer)")
	tabTo(t, ctx, `main tbody tr:first-child a`)
	pressAndWait(t, ctx, kb.Enter, `input[name="score"]`)
	detail, err := chromedp.Run(timeout(ctx), chromedp.Location())
	if err != nil || !regexp.MustCompile(`/beheer/voorstellen/\d+$`).MatchString(detail) {
		t.Fatalf("the first proposal's link led to %s (%v)", detail, err)
	}
	browsertest.AssertNoAxeViolationsHere(t, ctx, "proposal before the reviewer's own review")
	const annasComment = "Sterk <b>voorstel</b>, graag"
	keyboardReview(t, ctx, 4, annasComment)
	if text := pageText(t, ctx); !strings.Contains(text, "Je beoordeling is opgeslagen.") || !strings.Contains(text, "Jij: 4") || !strings.Contains(text, annasComment) {
		t.Errorf("after reviewing, Anna's page lacks the flash or her review:\n%s", text)
	}
	keyboardSignOut(t, ctx)

	// Bert sees that there is a review, not what it says.
	keyboardSignIn(t, ctx, srv.URL, "bert.beoordelaar@example.nl", reviewerPassword, "main table")
	path := strings.TrimPrefix(detail, srv.URL)
	tabTo(t, ctx, `main tbody a[href="`+path+`"]`)
	pressAndWait(t, ctx, kb.Enter, `input[name="score"]`)
	text := pageText(t, ctx)
	if strings.Contains(text, "Sterk") || !strings.Contains(text, "Er is 1 beoordeling.") {
		t.Errorf("before his own review Bert sees Anna's review, or not that there is one:\n%s", text)
	}
	keyboardReview(t, ctx, 2, "Te breed")
	text = pageText(t, ctx)
	for _, want := range []string{annasComment, "Beoordelaar 1: 4", "Jij: 2", "3,0", "2–4"} {
		if !strings.Contains(text, want) {
			t.Errorf("after his own review Bert's page lacks %q:\n%s", want, text)
		}
	}
	browsertest.AssertNoAxeViolationsHere(t, ctx, "proposal after the reviewer's own review")
	keyboardSignOut(t, ctx)

	// The organiser goes from the dashboard to the proposal and accepts it.
	keyboardSignIn(t, ctx, srv.URL, demoEmail, demoPassword(t, srv.Out.String()), `main a[href="/beheer/voorstellen"]`)
	tabTo(t, ctx, `main a[href="/beheer/voorstellen"]`)
	pressAndWait(t, ctx, kb.Enter, "main table")
	tabTo(t, ctx, `main tbody a[href="`+path+`"]`)
	pressAndWait(t, ctx, kb.Enter, `input[name="status"]`)
	if text := pageText(t, ctx); !strings.Contains(text, "anna.beoordelaar@example.nl: 4") || !strings.Contains(text, "bert.beoordelaar@example.nl: 2") {
		t.Errorf("the organiser does not see who gave which score:\n%s", text)
	}
	tabTo(t, ctx, `input[name="status"]`) // the checked one: "no decision yet", the last
	for range 3 {
		keys(t, ctx, kb.ArrowUp)
	}
	if on, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[bool](`document.querySelector('#veld-status-accepted').checked`)); err != nil || !on {
		t.Fatalf("the arrow keys did not choose 'accept' (%v)", err)
	}
	tabTo(t, ctx, `main form[action$="/besluit"] button[type="submit"]`)
	pressAndWait(t, ctx, kb.Enter, "main .utrecht-alert--ok")
	if text := pageText(t, ctx); !strings.Contains(text, "Het voorstel heeft nu de status: Geaccepteerd.") || !strings.Contains(text, "besloten door "+demoEmail) {
		t.Errorf("after accepting, the page does not say so:\n%s", text)
	}
	browsertest.AssertNoAxeViolationsHere(t, ctx, "accepted proposal (organiser)")
	keyboardSignOut(t, ctx)

	// In English, a reviewer's view of a proposal they have not reviewed, and of the list.
	setLanguage(t, ctx, srv.URL, "en")
	keyboardSignIn(t, ctx, srv.URL, "anna.beoordelaar@example.nl", reviewerPassword, "main table")
	browsertest.AssertNoAxeViolationsHere(t, ctx, "proposal list (reviewer, en)")
	assertLang(t, ctx, "proposal list", "en")
	tabTo(t, ctx, `main tbody tr:nth-child(2) a`)
	pressAndWait(t, ctx, kb.Enter, `input[name="score"]`)
	browsertest.AssertNoAxeViolationsHere(t, ctx, "proposal before the reviewer's own review (en)")
	if text := pageText(t, ctx); !strings.Contains(text, "You see other people's scores and comments only after giving your own score.") {
		t.Errorf("the English page does not explain the hidden scores:\n%s", text)
	}
}

// firstProposalPath signs in over HTTP as the demo's admin and returns the path of the first
// proposal in the reviewers' list.
func firstProposalPath(t *testing.T, srv *testServer) string {
	t.Helper()
	c := newClient(t)
	login(t, c, srv.URL, demoEmail, demoPassword(t, srv.Out.String()))
	_, list := get(t, c, srv.URL, "/beheer/voorstellen")
	return "/beheer/voorstellen/" + firstMatch(t, regexp.MustCompile(`href="/beheer/voorstellen/(\d+)"`), list, "proposal link")
}

// reviewFormsWithErrors submits the review form without a score and the track form without a
// name, and runs axe on each page with its error summary.
func reviewFormsWithErrors(t *testing.T, ctx context.Context, base, proposal string) {
	t.Helper()
	err := chromedp.Do(timeout(ctx),
		chromedp.Navigate(base+proposal),
		chromedp.Click(`main form[action$="/beoordeling"] button[type="submit"]`),
		chromedp.WaitVisible(".error-summary"),
	)
	if err != nil {
		t.Fatalf("submit the review form without a score: %v", err)
	}
	browsertest.AssertNoAxeViolationsHere(t, ctx, "review form with errors")
	err = chromedp.Do(timeout(ctx),
		chromedp.Navigate(base+"/beheer/themas"),
		chromedp.Click(`main form[action="/beheer/themas"] button[type="submit"]`),
		chromedp.WaitVisible(".error-summary"),
	)
	if err != nil {
		t.Fatalf("submit the track form without a name: %v", err)
	}
	browsertest.AssertNoAxeViolationsHere(t, ctx, "track form with errors")
}
