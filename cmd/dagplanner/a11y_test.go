package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/ambtenaar20/dagplanner/browsertest"
)

// TestAccessibility runs axe-core (WCAG 2.0 and 2.1, A and AA) on every page of the public site
// and the organisers' area, in Dutch and English, with the demo loaded and signed in as its
// admin. Set DAGPLANNER_SCREENSHOTS to a folder to keep screenshots of a few pages.
func TestAccessibility(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	t.Parallel()
	srv := startDemoWithSSO(t) // #16 sso: the sign-in page with its single sign-on button
	ids := demoIDs(t, srv)
	booking := "/boeking/" + registerViaAPI(t, srv.URL, "a11y@example.org")
	proposal := "/voorstel/" + proposeViaAPI(t, srv.URL, "a11y.spreker@example.org", "a11y.mede@example.org")
	coSpeaker := mailedLink(t, srv, "a11y.mede@example.org", "/voorstellen/medespreker/")
	reviewed := firstProposalPath(t, srv)
	person := "/beheer/deelnemers/" + registrationIDViaAPI(t, srv.URL, "a11y.persoon@example.org")
	account := "/beheer/team/" + firstMatch(t, regexp.MustCompile(`href="/beheer/team/(\d+)"`), inviteOverHTTP(t, srv, "a11y.team@example.org"), "an account") // #16 team
	invitation := mailedLink(t, srv, "a11y.team@example.org", "/beheer/uitnodiging/")
	resetPassword := passwordResetLink(t, srv, demoEmail) // #16 pass
	pages := []string{
		"/",
		"/programma/zwolle",
		"/programma/rotterdam",
		"/sessies/" + ids.session,
		"/aanmelden",
		"/aanmelden/zwolle",
		"/aanmelden/zwolle?sessie=" + ids.session,
		"/aanmelden/rotterdam",
		"/privacy",
		"/toegankelijkheid", // #17 statements
		"/hulp",
		"/hulp/sprekers",
		"/boeking/link",
		booking,
		booking + "/annuleren",
		booking + "/gegevens", // #17: the attendee's data and the erasure page
		booking + "/wissen",
		"/voorstellen",
		proposal,
		proposal + "/gegevens", // #17: the speaker's data, and erasing it
		proposal + "/wissen",
		coSpeaker,
		coSpeaker + "/gegevens", // #17: a co-speaker's data, and erasing it
		coSpeaker + "/wissen",
		"/beheer/inloggen",
		"/beheer/inloggen/sso/terug?state=verlopen&code=x", // #16 sso: a refused single sign-on
		"/bestaat-niet",
		"/beheer",
		"/beheer/evenement",
		"/beheer/locaties/nieuw",
		"/beheer/locaties/" + ids.venue,
		"/beheer/locaties/" + ids.venue + "/bewerken",
		"/beheer/locaties/" + ids.venue + "/zalen/nieuw",
		"/beheer/zalen/" + ids.room,
		"/beheer/locaties/" + ids.venue + "/tijdvakken/nieuw",
		"/beheer/tijdvakken/" + ids.slot,
		"/beheer/sessies",
		"/beheer/sessies/nieuw",
		"/beheer/sessies/" + ids.session,
		"/beheer/binnenkomst",
		"/beheer/locaties/" + ids.venue + "/apparaten",
		"/beheer/locaties/" + ids.venue + "/behoeften", // #13 D
		"/beheer/voorstellen",
		"/beheer/voorstellen?status=withdrawn&sorteer=gemiddelde&richting=af",
		reviewed,
		"/beheer/themas",
		"/beheer/deelnemers/importeren",
		person,
		person + "/annuleren",
		"/beheer/deelnemers/nieuw",
		"/beheer/deelnemers/nieuw?locatie=zwolle",
		"/beheer/deelnemers",
		"/beheer/deelnemers?q=zoe&status=bevestigd&sorteer=nieuwste&pagina=1",
		"/beheer/deelnemers?status=soms&van=gisteren&behoeften=misschien",
		"/beheer/deelnemers?pagina=3",
		// #15 messages: the list, the compose form (also refused), the people of other groups
		"/beheer/berichten",
		"/beheer/feedback", // #18 feedback: the results, and the survey's questions
		"/beheer/feedback/vragen",
		"/beheer/berichten/nieuw",
		"/beheer/berichten/nieuw?groep=sprekers&status=binnen",
		"/beheer/deelnemers?groep=sprekers",
		"/beheer/deelnemers?groep=stemmers",
		// #16 team: the team with an open invitation, the demo admin's account, the link
		"/beheer/team",
		account,
		invitation,
		// #16 audit: the log, filtered to a person (with their history), and refused filters
		"/beheer/logboek",
		"/beheer/logboek?object=registration%3A" + strings.TrimPrefix(person, "/beheer/deelnemers/"),
		"/beheer/logboek?van=gisteren&object=sessie",
		// #16 2fa: setting up one's second factor (the demo admin has none), the admins' page;
		// the second step and the recovery codes are checked in TestSecondFactorKeyboardOnly
		"/beheer/account/tweestaps",
		"/beheer/beveiliging",
		"/beheer/account/passkeys", // #16 passkey; the second-step page is checked in TestPasskeysInTheBrowser
		// --- #16 pass ---
		"/beheer/account",
		"/beheer/account/wachtwoord",
		"/beheer/account/sessies",
		"/beheer/wachtwoord-vergeten",
		resetPassword,
		"/beheer/wachtwoord-herstellen/" + strings.Repeat("x", 43), // a link that does not work
		// --- end #16 pass ---
	}

	password := demoPassword(t, srv.Out.String())
	// The languages, the phone and the keyboard each have a browser of their own and run side
	// by side: what they change on the server (walk-ins, imports, door devices) is their own.
	for _, lang := range []string{"nl", "en"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			ctx := browsertest.New(t)
			setLanguage(t, ctx, srv.URL, lang)

			// A failed log-in re-renders the form with an error summary and field errors.
			signIn(t, ctx, srv.URL, demoEmail, "niet het goede wachtwoord", ".error-summary")
			browsertest.AssertNoAxeViolationsHere(t, ctx, "failed log-in")
			assertLang(t, ctx, "failed log-in", lang)
			signIn(t, ctx, srv.URL, demoEmail, password, `main a[href="/beheer/sessies"]`)

			for _, p := range pages {
				browsertest.AssertNoAxeViolations(t, ctx, srv.URL+p)
				assertLang(t, ctx, p, lang)
				// A lost sign-in would send the organiser pages to the log-in form, and axe
				// would then check that form instead, without a word.
				if at, err := chromedp.Run(timeout(ctx), chromedp.Location()); err != nil || at != srv.URL+p {
					t.Errorf("loading %s ended at %s (%v), want the page itself", p, at, err)
				}
			}

			// Pairing a door device shows its code and QR code once; a few scans with it fill
			// the arrivals page's chart and lists. Each language pairs its own device.
			{
				err := chromedp.Do(timeout(ctx),
					chromedp.Navigate(srv.URL+"/beheer/locaties/"+ids.venue+"/apparaten"),
					chromedp.SendKeys("#veld-name", "Ingang Oost "+lang),
					chromedp.Click(`main form button[type="submit"]`),
					chromedp.WaitVisible(".pairing-qr img"),
				)
				if err != nil {
					t.Fatalf("pair a door device: %v", err)
				}
				browsertest.AssertNoAxeViolationsHere(t, ctx, "device pairing page")
				token, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[string](`[...document.querySelectorAll(".pairing-token")].map(e => e.textContent).find(t => t.startsWith("dpd_")) || ""`))
				if err != nil || token == "" {
					t.Fatalf("no device code on the pairing page (%v)", err)
				}
				scanSome(t, srv.URL, token, 5*slices.Index([]string{"nl", "en"}, lang), 5) // each language its own five
			}
			browsertest.AssertNoAxeViolations(t, ctx, srv.URL+"/beheer/locaties/"+ids.venue+"/binnenkomst")
			if n, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[int](`document.querySelectorAll(".arrivals-chart rect").length`)); err != nil || n == 0 {
				t.Errorf("arrivals page has no bars in its chart (%v)", err)
			}
			// #15: the dashboard with those arrivals in its charts, its tables opened.
			navigate(t, ctx, srv.URL+"/beheer")
			if n, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[int](`[...document.querySelectorAll("main details")].map(d => d.open = true).length`)); err != nil || n < 5 {
				t.Errorf("the dashboard has %d charts with a table (%v), want at least 5", n, err)
			}
			browsertest.AssertNoAxeViolationsHere(t, ctx, "dashboard with its charts' tables open")

			// #13 D: the walk-in form on the arrivals page, refused and then accepted.
			walkIn := `main form[action$="/binnenlopers"]`
			err := chromedp.Do(timeout(ctx),
				chromedp.Navigate(srv.URL+"/beheer/locaties/"+ids.venue+"/binnenkomst"),
				chromedp.Click(walkIn+` button[type="submit"]`),
				chromedp.WaitVisible(".error-summary"),
			)
			if err != nil {
				t.Fatalf("submit the empty walk-in form: %v", err)
			}
			browsertest.AssertNoAxeViolationsHere(t, ctx, "walk-in form with errors")
			err = chromedp.Do(timeout(ctx),
				chromedp.SendKeys("#veld-name", "Binnenloper "+lang),
				chromedp.SendKeys("#veld-organisation", "Gemeente Kampen"),
				chromedp.Click(walkIn+` button[type="submit"]`),
				chromedp.WaitVisible("main .utrecht-alert--ok"),
			)
			if err != nil {
				t.Fatalf("submit the walk-in form: %v", err)
			}
			browsertest.AssertNoAxeViolationsHere(t, ctx, "walk-in registered")

			// An organiser form re-rendered with its problems, as the browser submitted it.
			err = chromedp.Do(timeout(ctx),
				chromedp.Navigate(srv.URL+"/beheer/locaties/nieuw"),
				chromedp.Click(`main form button[type="submit"]`),
				chromedp.WaitVisible(".error-summary"),
			)
			if err != nil {
				t.Fatalf("submit the empty venue form: %v", err)
			}
			browsertest.AssertNoAxeViolationsHere(t, ctx, "venue form with errors")

			// #15: the session form refused on its English title, with the Dutch fields and the
			// other English ones as typed.
			err = chromedp.Do(timeout(ctx), chromedp.Navigate(srv.URL+"/beheer/sessies/"+ids.session), chromedp.WaitVisible("#veld-title_en"))
			if err == nil {
				_, err = chromedp.Run(timeout(ctx), chromedp.Evaluate[bool](`(document.querySelector("#veld-title_en").value = "x".repeat(201), true)`))
			}
			if err == nil {
				err = chromedp.Do(timeout(ctx),
					chromedp.Click(`main form button[type="submit"]`),
					chromedp.WaitVisible("#veld-title_en-error"),
				)
			}
			if err != nil {
				t.Fatalf("submit the session form with a too long English title: %v", err)
			}
			browsertest.AssertNoAxeViolationsHere(t, ctx, "session form with an error in an English field")

			// Importing attendees: a file with problems, then a clean one with its preview.
			importPreviews(t, ctx, srv.URL, lang)
			// A person's details form refused, re-rendered on their page.
			err = chromedp.Do(timeout(ctx), chromedp.Navigate(srv.URL+person), chromedp.WaitVisible("#veld-name"))
			if err == nil {
				_, err = chromedp.Run(timeout(ctx), chromedp.Evaluate[bool](`(document.querySelector("#veld-name").value = "", true)`))
			}
			if err == nil {
				err = chromedp.Do(timeout(ctx),
					chromedp.Click(`main form[action$="/gegevens"] button[type="submit"]`),
					chromedp.WaitVisible(".error-summary"),
				)
			}
			if err != nil {
				t.Fatalf("submit the person's details without a name: %v", err)
			}
			browsertest.AssertNoAxeViolationsHere(t, ctx, "person page with errors")

			// The proposal form refused, with its error summary and field errors.
			err = chromedp.Do(timeout(ctx),
				chromedp.Navigate(srv.URL+"/voorstellen"),
				chromedp.Click(`main form button[type="submit"]`),
				chromedp.WaitVisible(".error-summary"),
			)
			if err != nil {
				t.Fatalf("submit the empty proposal form: %v", err)
			}
			browsertest.AssertNoAxeViolationsHere(t, ctx, "proposal form with errors")

			// E-mailing every attendee first asks to confirm the number (not confirmed here).
			err = chromedp.Do(timeout(ctx),
				chromedp.Navigate(srv.URL+"/beheer"),
				chromedp.Click(`main form[action="/beheer/herinnering"] button`),
				chromedp.WaitVisible(`main button[name="bevestigd"]`),
			)
			if err != nil {
				t.Fatalf("press the reminder button: %v", err)
			}
			browsertest.AssertNoAxeViolationsHere(t, ctx, "confirmation of the number of e-mails")

			// The review's forms refused: no score, no track name.
			reviewFormsWithErrors(t, ctx, srv.URL, reviewed)

			// Asking for the personal link again: first without an address, then with one.
			err = chromedp.Do(timeout(ctx),
				chromedp.Navigate(srv.URL+"/boeking/link"),
				chromedp.Click(`main form button[type="submit"]`),
				chromedp.WaitVisible(".error-summary"),
			)
			if err != nil {
				t.Fatalf("submit the empty resend-link form: %v", err)
			}
			browsertest.AssertNoAxeViolationsHere(t, ctx, "resend-link form with errors")
			err = chromedp.Do(timeout(ctx),
				chromedp.SendKeys("#veld-email", "a11y@example.org"),
				chromedp.Click(`main form button[type="submit"]`),
				chromedp.WaitVisible("main .utrecht-alert--ok"),
			)
			if err != nil {
				t.Fatalf("submit the resend-link form: %v", err)
			}
			browsertest.AssertNoAxeViolationsHere(t, ctx, "resend-link form sent")

			if dir := os.Getenv("DAGPLANNER_SCREENSHOTS"); dir != "" && lang == "nl" {
				browsertest.Screenshot(t, ctx, filepath.Join(dir, lang+"-venue-form-errors.png"))
				for name, p := range map[string]string{"home": "/", "programme": "/programma/zwolle", "session": "/sessies/" + ids.session, "venue-form": "/beheer/locaties/" + ids.venue + "/bewerken", "dashboard": "/beheer", "sessions": "/beheer/sessies", "session-form": "/beheer/sessies/" + ids.session} {
					navigate(t, ctx, srv.URL+p)
					browsertest.Screenshot(t, ctx, filepath.Join(dir, lang+"-"+name+".png"))
				}
			}
		})
	}

	t.Run("phone", func(t *testing.T) {
		t.Parallel()
		phone := browsertest.NewWithSize(t, 390, 844)
		for _, lang := range []string{"nl", "en"} {
			setLanguage(t, phone, srv.URL, lang)
			for _, p := range []string{"/", "/programma/zwolle", "/programma/rotterdam", "/aanmelden", booking} {
				browsertest.AssertNoAxeViolations(t, phone, srv.URL+p)
				assertLang(t, phone, p, lang)
			}
			if dir := os.Getenv("DAGPLANNER_SCREENSHOTS"); dir != "" {
				navigate(t, phone, srv.URL+"/programma/zwolle")
				viewportScreenshot(t, phone, filepath.Join(dir, lang+"-phone-programme.png"))
			}
			// #15: the organisers' dashboard fits a phone: its charts scale, its tables scroll
			// in their own regions, the page itself never sideways.
			if lang == "nl" {
				signIn(t, phone, srv.URL, demoEmail, password, `main a[href="/beheer/sessies"]`)
			}
			browsertest.AssertNoAxeViolations(t, phone, srv.URL+"/beheer")
			assertNoPageOverflow(t, phone, "/beheer")
			if dir := os.Getenv("DAGPLANNER_SCREENSHOTS"); dir != "" {
				browsertest.Screenshot(t, phone, filepath.Join(dir, lang+"-phone-dashboard.png"))
			}
			// The registration form last, so the screenshots show it.
			browsertest.AssertNoAxeViolations(t, phone, srv.URL+"/aanmelden/zwolle")
			assertLang(t, phone, "/aanmelden/zwolle", lang)
			assertNoSidewaysScroll(t, phone, "/aanmelden/zwolle")
			if dir := os.Getenv("DAGPLANNER_SCREENSHOTS"); dir != "" {
				viewportScreenshot(t, phone, filepath.Join(dir, lang+"-phone-register.png"))
				browsertest.Screenshot(t, phone, filepath.Join(dir, lang+"-phone-register-full.png"))
			}
		}
	})

	t.Run("keyboard language switch", func(t *testing.T) {
		t.Parallel()
		ctx := browsertest.New(t)
		setLanguage(t, ctx, srv.URL, "nl")
		navigate(t, ctx, srv.URL+"/programma/zwolle")
		assertLang(t, ctx, "/programma/zwolle", "nl")
		const onSwitch = `document.activeElement !== null && document.activeElement.matches('.lang-switch button')`
		found := false
		for range 20 {
			if err := chromedp.Do(timeout(ctx), chromedp.KeyEvent(kb.Tab)); err != nil {
				t.Fatalf("press Tab: %v", err)
			}
			on, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[bool](onSwitch))
			if err != nil {
				t.Fatalf("read the focused element: %v", err)
			}
			if on {
				found = true
				break
			}
		}
		if !found {
			t.Fatal("20 presses of Tab never reached the language switch")
		}
		outline, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[string](
			`(s => s.outlineStyle + ' ' + s.outlineWidth)(getComputedStyle(document.activeElement))`))
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(outline, "none") || strings.HasSuffix(outline, " 0px") {
			t.Errorf("the focused language switch has outline %q, want a visible focus ring", outline)
		}
		if dir := os.Getenv("DAGPLANNER_SCREENSHOTS"); dir != "" {
			viewportScreenshot(t, ctx, filepath.Join(dir, "focus-language-switch.png"))
		}
		err = chromedp.Do(timeout(ctx),
			chromedp.KeyEvent(kb.Enter),
			chromedp.WaitReady(`html[lang="en"]`),
		)
		if err != nil {
			t.Fatalf("press Enter on the language switch: %v", err)
		}
		url, err := chromedp.Run(timeout(ctx), chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		if want := srv.URL + "/programma/zwolle"; url != want {
			t.Errorf("after switching the language the browser is at %s, want %s (the same page)", url, want)
		}
	})
}

// registrationIDViaAPI registers email at zwolle through the API, as registerViaAPI does,
// and returns the registration's id, for the organisers' person page.
func registrationIDViaAPI(t *testing.T, base, email string) string {
	t.Helper()
	body, err := json.Marshal(map[string]any{"name": "Test Deelnemer", "email": email, "organisation": "Gemeente Test",
		"venue": "zwolle", "sessions": []int{}, "consent": true})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(base+"/api/v1/registrations", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatalf("POST /api/v1/registrations: %v", err)
	}
	defer resp.Body.Close()
	var out struct {
		ID int `json:"id"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusCreated || out.ID == 0 {
		t.Fatalf("POST /api/v1/registrations for %s = %d (%v), want 201 with an id", email, resp.StatusCode, err)
	}
	return fmt.Sprint(out.ID)
}

// ids holds the database ids of one demo venue, and a room, slot and session in it.
type ids struct{ venue, room, slot, session string }

// demoIDs signs in over HTTP and reads the ids from the organisers' pages.
func demoIDs(t *testing.T, srv *testServer) ids {
	t.Helper()
	c := newClient(t)
	login(t, c, srv.URL, demoEmail, demoPassword(t, srv.Out.String()))
	var out ids
	_, dashboard := get(t, c, srv.URL, "/beheer")
	out.venue = firstMatch(t, regexp.MustCompile(`href="/beheer/locaties/(\d+)"`), dashboard, "venue link")
	status, venue := get(t, c, srv.URL, "/beheer/locaties/"+out.venue)
	if status != http.StatusOK {
		t.Fatalf("GET /beheer/locaties/%s = %d, want 200", out.venue, status)
	}
	out.room = firstMatch(t, regexp.MustCompile(`href="/beheer/zalen/(\d+)"`), venue, "room link")
	out.slot = firstMatch(t, regexp.MustCompile(`href="/beheer/tijdvakken/(\d+)"`), venue, "slot link")
	out.session = firstMatch(t, regexp.MustCompile(`href="/beheer/sessies/(\d+)"`), venue, "session link")
	return out
}

// timeout bounds one browser step, so a page that never loads fails instead of hanging.
func timeout(ctx context.Context) context.Context {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	context.AfterFunc(ctx, cancel) // released when the step's deadline passes or the browser stops
	return ctx
}

func navigate(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(timeout(ctx), chromedp.Navigate(url), chromedp.WaitReady("body")); err != nil {
		t.Fatalf("load %s: %v", url, err)
	}
}

// setLanguage sets the cookie that the language switch sets, for the whole site.
func setLanguage(t *testing.T, ctx context.Context, base, lang string) {
	t.Helper()
	err := chromedp.Do(timeout(ctx), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.SetCookie, network.SetCookieParams{Name: "lang", Value: lang, URL: base + "/"})
		return err
	}))
	if err != nil {
		t.Fatalf("set the lang cookie: %v", err)
	}
}

// assertLang checks the page's html lang attribute.
func assertLang(t *testing.T, ctx context.Context, what, want string) {
	t.Helper()
	got, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[string](`document.documentElement.lang`))
	if err != nil {
		t.Fatalf("%s: read html lang: %v", what, err)
	}
	if got != want {
		t.Errorf("%s: html lang = %q, want %q", what, got, want)
	}
}

// assertNoSidewaysScroll checks that the page fits the width of the window, as WCAG 1.4.10
// (reflow) asks at 320 CSS pixels and a phone needs at 390.
func assertNoSidewaysScroll(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	wide, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[[]string](`[...document.querySelectorAll('body *')]
		.filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
		.slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + String(e.className).split(' ').join('.') : ''))`))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if len(wide) > 0 {
		t.Errorf("%s: elements wider than the window, so the page scrolls sideways: %q", what, wide)
	}
}

// assertNoPageOverflow fails when the page scrolls sideways. Unlike assertNoSidewaysScroll it
// allows a wide table inside a region of its own that scrolls (the organisers' tables).
func assertNoPageOverflow(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	wide, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, document.documentElement.clientWidth]`))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if len(wide) == 2 && wide[0] > wide[1] {
		t.Errorf("%s: the page is %d px wide in a window of %d: it scrolls sideways", what, wide[0], wide[1])
	}
}

// viewportScreenshot saves a PNG of what the window shows, which is easier to read than a whole
// phone-width page.
func viewportScreenshot(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	png, err := chromedp.Run(timeout(ctx), chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// scanSome checks in n active attendees of the device's venue, picked by name, after skipping
// the first skip of them (so two callers can each have attendees of their own).
func scanSome(t *testing.T, base, token string, skip, n int) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/door", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	var door struct {
		Venue struct{ Slug string } `json:"venue"`
	}
	getJSONWith(t, req, &door)
	req, _ = http.NewRequest(http.MethodGet, base+"/api/v1/venues/"+door.Venue.Slug+"/checkin-list", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	var list struct {
		Attendees []struct {
			ID     uint   `json:"id"`
			Status string `json:"status"`
		} `json:"attendees"`
	}
	getJSONWith(t, req, &list)
	done, skipped := 0, 0
	for _, a := range list.Attendees {
		if done == n || a.Status != "active" {
			continue
		}
		if skipped < skip {
			skipped++
			continue
		}
		admit(t, base, token, a.ID)
		done++
	}
}

func getJSONWith(t *testing.T, req *http.Request, v any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %s", req.Method, req.URL, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
}

// importPreviews uploads a file with problems and then a clean one on the import page, and
// checks both previews with axe (#13 C).
func importPreviews(t *testing.T, ctx context.Context, base, lang string) {
	t.Helper()
	dir := t.TempDir()
	bad := filepath.Join(dir, "fouten.csv")
	good := filepath.Join(dir, "goed.csv")
	os.WriteFile(bad, []byte("naam;email;organisatie\nJan;geen-adres;Rijk\nPiet;piet."+lang+"@example.org;=1+1\n"), 0o600)
	os.WriteFile(good, []byte("\ufeffnaam;email;organisatie;taal\nZoë;zoe.import."+lang+"@example.org;Rijk;en\n"), 0o600)
	for _, tc := range []struct{ file, wait, what string }{
		{bad, ".error-summary", "import preview with problems"},
		{good, `form[action="/beheer/deelnemers/importeren/bevestigen"]`, "import preview ready to import"},
	} {
		err := chromedp.Do(timeout(ctx),
			chromedp.Navigate(base+"/beheer/deelnemers/importeren"),
			chromedp.SetUploadFiles("#veld-bestand", []string{tc.file}),
			chromedp.Click(`main form[enctype] button[type="submit"]`),
			chromedp.WaitVisible(tc.wait),
		)
		if err != nil {
			t.Fatalf("%s: %v", tc.what, err)
		}
		browsertest.AssertNoAxeViolationsHere(t, ctx, tc.what)
	}
}

// passwordResetLink asks for a link to choose a new password for email, as the "forgot
// password" form does, and returns the link's path from the e-mail in the server's log.
func passwordResetLink(t *testing.T, srv *testServer, email string) string {
	t.Helper()
	resp, err := http.PostForm(srv.URL+"/beheer/wachtwoord-vergeten", url.Values{"email": {email}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /beheer/wachtwoord-vergeten: status %d", resp.StatusCode)
	}
	return mailedLink(t, srv, email, "/beheer/wachtwoord-herstellen/")
}
