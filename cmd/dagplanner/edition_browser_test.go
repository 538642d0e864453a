package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ambtenaar20/dagplanner/browsertest"
)

// TestEditionsAccessible: axe finds nothing on /beheer/edities (the list with a new, not yet
// published edition made by "dagplanner event copy", the copy form refusing a date, and the
// summary before a copy), on /archief and on an archived programme, in Dutch and in English.
// On the way, the organiser publishes the new edition, which moves the demo to the archive.
func TestEditionsAccessible(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	t.Parallel()
	db := demoDB(t, false)
	var out syncBuffer
	if err := run(t.Context(), []string{"event", "copy", "--db", db, "--date", "2028-02-02", "--what", "venues,rooms,slots,tracks"},
		envMap(nil), strings.NewReader(""), &out); err != nil {
		t.Fatalf("event copy: %v", err)
	}
	srv := startServer(t, "--db", db, "--demo")
	password := demoPassword(t, srv.Out.String())
	for i, lang := range []string{"nl", "en"} {
		ctx := browsertest.New(t)
		setLanguage(t, ctx, srv.URL, lang)
		signIn(t, ctx, srv.URL, demoEmail, password, `main a[href="/beheer/sessies"]`)

		browsertest.AssertNoAxeViolations(t, ctx, srv.URL+"/beheer/edities")
		assertLang(t, ctx, "/beheer/edities", lang)
		screenshotWidths(t, ctx, "editions-"+lang)
		// A date before the edition copied: the form again, with the error summary.
		run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
			t.Helper()
			if err := chromedp.Do(timeout(ctx), actions...); err != nil {
				t.Fatalf("%s (%s): %v", what, lang, err)
			}
		}
		run("copy with a bad date",
			chromedp.SetValue("#veld-date", "2020-01-01"),
			chromedp.Click(`form[action="/beheer/edities/nieuw"] button[type="submit"]`),
			chromedp.WaitVisible(".error-summary"))
		browsertest.AssertNoAxeViolationsHere(t, ctx, "/beheer/edities with a refused date ("+lang+")")
		run("copy's summary",
			chromedp.SetValue("#veld-date", "2029-02-07"),
			chromedp.Click(`form[action="/beheer/edities/nieuw"] button[type="submit"]`),
			chromedp.WaitVisible(`form[action="/beheer/edities/nieuw/bevestigen"]`))
		browsertest.AssertNoAxeViolationsHere(t, ctx, "the copy's summary ("+lang+")")
		screenshotWidths(t, ctx, "edition-summary-"+lang)
		if i == 0 {
			run("publish 2028",
				chromedp.Navigate(srv.URL+"/beheer/edities"),
				chromedp.Click(`form[action$="/publiceren"] button`),
				chromedp.WaitVisible(`[role="status"]`))
		}
		for _, p := range []string{"/archief", "/archief/2027/programma/zwolle"} {
			browsertest.AssertNoAxeViolations(t, ctx, srv.URL+p)
			assertLang(t, ctx, p, lang)
			screenshotWidths(t, ctx, "archive"+strings.ReplaceAll(p, "/", "-")+"-"+lang)
		}
		text, err := chromedp.Run(timeout(ctx), chromedp.Text("main"))
		if err != nil || !strings.Contains(text, "2027") {
			t.Errorf("the archived programme (%s) does not name 2027 (%v):\n%s", lang, err, text)
		}
	}
}
