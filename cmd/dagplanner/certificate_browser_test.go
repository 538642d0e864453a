package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ambtenaar20/dagplanner/browsertest"
	"github.com/ambtenaar20/dagplanner/tickets/ticketstest"
)

// TestCertificatePages (issue #18): a person admitted at the door downloads their certificate
// of attendance; the address in its QR code is the public check page, which with the booking
// page that links to it, and the page for an altered code, passes axe in Dutch and English
// with the page's language set.
func TestCertificatePages(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	t.Parallel()
	db := demoDB(t, true)
	srv := startServer(t, "--db", db, "--demo")
	token := newDoorToken(t, db, "zwolle")
	session := firstOpenSession(t, srv.URL, "zwolle")
	who := registerAttendee(t, srv.URL, "zwolle", "Cornelia Certificaat", session.ID)
	admit(t, srv.URL, token, who.ID)

	booking := srv.URL + "/boeking/" + who.Manage
	pdf := fetch(t, booking+"/certificaat.pdf", "")
	link := ticketstest.DecodeQR(t, ticketstest.Rasterise(t, pdf, 1, 150))
	code, ok := strings.CutPrefix(link, srv.URL+"/certificaat/")
	if !ok || code == "" {
		t.Fatalf("the certificate's QR code holds %q, want %s/certificaat/ and a code", link, srv.URL)
	}
	flipped := "b"
	if code[10] == 'b' {
		flipped = "c"
	}
	altered := srv.URL + "/certificaat/" + code[:10] + flipped + code[11:]

	for _, lang := range []string{"nl", "en"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			ctx := browsertest.New(t)
			setLanguage(t, ctx, srv.URL, lang)
			for _, page := range []string{link, booking, altered} {
				browsertest.AssertNoAxeViolations(t, ctx, page)
				assertLang(t, ctx, page, lang)
			}
			navigate(t, ctx, link)
			screenshotWidths(t, ctx, "certificate-altered-"+lang)
			navigate(t, ctx, link)
			screenshotWidths(t, ctx, "certificate-check-"+lang)
			text, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[string](`document.querySelector("main").innerText`))
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{who.Name, session.Room.Name} { // the title may be in English
				if !strings.Contains(text, want) {
					t.Errorf("the check page lacks %q:\n%s", want, text)
				}
			}
		})
	}
}

// admit checks registration id in at the door of the device token's venue, as a scan does.
func admit(t *testing.T, base, token string, id uint) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+"/api/v1/checkins", strings.NewReader(fmt.Sprintf(`{"registration": %d}`, id)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	var out struct{ Result string }
	getJSONWith(t, req, &out)
	if out.Result != "admitted" {
		t.Fatalf("check in %d: %q, want admitted", id, out.Result)
	}
}
