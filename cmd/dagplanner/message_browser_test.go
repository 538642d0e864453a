package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ambtenaar20/dagplanner/browsertest"
)

// TestMessagesInTheBrowser writes a message to a group as an organiser does, in Dutch and in
// English, on a desktop and on a phone: the compose form (axe clean), refused with an unknown
// placeholder and keeping what was typed, then saved and previewed, and sent to the number of
// people the list of people shows for the same filter. Set DAGPLANNER_SCREENSHOTS to a folder
// to keep screenshots of the compose form, the preview, the list and a sent message.
func TestMessagesInTheBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	t.Parallel()
	srv := startDemo(t)
	password := demoPassword(t, srv.Out.String())
	filter := "groep=deelnemers&locatie=zwolle&status=bevestigd"
	countRE := regexp.MustCompile(`(\d+) (?:mensen|people)`)
	shots := os.Getenv("DAGPLANNER_SCREENSHOTS")
	for _, size := range []struct {
		name          string
		width, height int
	}{{"desktop", 1280, 900}, {"phone", 390, 844}} {
		t.Run(size.name, func(t *testing.T) {
			ctx := browsertest.NewWithSize(t, size.width, size.height)
			langs := []string{"nl", "en"}
			if size.width < 600 && shots == "" {
				langs = langs[:1] // the phone's layout is the same in either language
			}
			for _, lang := range langs {
				setLanguage(t, ctx, srv.URL, lang)
				signIn(t, ctx, srv.URL, demoEmail, password, `main a[href="/beheer/sessies"]`)
				shot := func(name string) {
					if shots != "" {
						browsertest.Screenshot(t, ctx, filepath.Join(shots, fmt.Sprintf("%s-%s-%d.png", lang, name, size.width)))
					}
				}
				// The list of people's count for the filter: the message must reach exactly them.
				navigate(t, ctx, srv.URL+"/beheer/deelnemers?"+filter)
				listed := firstMatch(t, countRE, text(t, ctx, "#lijst"), "the list's count")

				browsertest.AssertNoAxeViolations(t, ctx, srv.URL+"/beheer/berichten/nieuw?"+filter)
				assertLang(t, ctx, "compose form", lang)
				if got := firstMatch(t, countRE, text(t, ctx, ".message-form__count"), "the compose form's count"); got != listed {
					t.Errorf("compose form counts %s, the list %s", got, listed)
				}
				subject := "Welkom {voornaam} " + lang
				err := chromedp.Do(timeout(ctx),
					chromedp.SendKeys("#veld-subject_nl", subject),
					chromedp.SendKeys("#veld-body_nl", "Hallo {naam},\n\nTot ziens in {locatie}.\n{sessies}\n{persoonlijke_link}"),
					chromedp.Click(`main button[value="opslaan"]`),
					chromedp.WaitVisible(".error-summary"),
				)
				if err != nil {
					t.Fatalf("save with an unknown placeholder: %v", err)
				}
				browsertest.AssertNoAxeViolationsHere(t, ctx, "compose form with errors")
				kept, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[string](`document.querySelector("#veld-subject_nl").value`))
				if err != nil || kept != subject || !strings.Contains(text(t, ctx, ".error-summary"), "{voornaam}") {
					t.Errorf("refused form: subject %q (%v), want %q kept and the placeholder named", kept, err, subject)
				}
				shot("message-compose-errors")
				err = chromedp.Do(timeout(ctx),
					chromedp.SetValue("#veld-subject_nl", "Welkom {naam}"),
					chromedp.Click(`main button[value="opslaan"]`),
					chromedp.WaitVisible(".message-preview"),
				)
				if err != nil {
					t.Fatalf("save the message: %v", err)
				}
				browsertest.AssertNoAxeViolationsHere(t, ctx, "message preview")
				if got := firstMatch(t, countRE, text(t, ctx, "#ontvangers"), "the message's count"); got != listed {
					t.Errorf("the message goes to %s, the list shows %s", got, listed)
				}
				if preview := text(t, ctx, ".message-preview"); !strings.Contains(preview, "Welkom ") || strings.Contains(preview, "{naam}") {
					t.Errorf("the preview is not filled in:\n%s", preview)
				}
				shot("message-preview")
				err = chromedp.Do(timeout(ctx),
					chromedp.Click(`main form[action$="/versturen"] button[type="submit"]`),
					chromedp.WaitVisible("#cijfers"),
				)
				if err != nil {
					t.Fatalf("send the message: %v", err)
				}
				browsertest.AssertNoAxeViolationsHere(t, ctx, "message sent")
				if got := firstMatch(t, regexp.MustCompile(`(?:In de wachtrij gezet|Queued)\s*(\d+)`), text(t, ctx, `section[aria-labelledby="cijfers"]`), "queued"); got != listed {
					t.Errorf("queued %s, want %s", got, listed)
				}
				shot("message-sent")
				browsertest.AssertNoAxeViolations(t, ctx, srv.URL+"/beheer/berichten")
				shot("messages")
				if size.width == 390 {
					pageFitsWidth(t, ctx, "/beheer/berichten")
				}
				browsertest.AssertNoAxeViolations(t, ctx, srv.URL+"/beheer/berichten/nieuw?groep=sprekers")
				shot("message-compose")
				if size.width == 390 {
					pageFitsWidth(t, ctx, "/beheer/berichten/nieuw")
				}
				browsertest.AssertNoAxeViolations(t, ctx, srv.URL+"/beheer/deelnemers?groep=sprekers")
				shot("people-speakers")
				browsertest.AssertNoAxeViolations(t, ctx, srv.URL+"/beheer/deelnemers?groep=stemmers")
			}
		})
	}
}

// text returns the text of the first element matching sel.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(timeout(ctx), chromedp.Text(sel))
	if err != nil {
		t.Fatalf("read %s: %v", sel, err)
	}
	return s
}

// pageFitsWidth checks that the page itself does not scroll sideways on a phone; a wide
// table may, inside its own labelled, focusable region (as WCAG 1.4.10 allows data tables).
func pageFitsWidth(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	wider, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[bool](`document.documentElement.scrollWidth > document.documentElement.clientWidth + 1`))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if wider {
		t.Errorf("%s: the page scrolls sideways on a phone", what)
	}
}
