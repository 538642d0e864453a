package handlers

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/demo"
	"github.com/ambtenaar20/dagplanner/models"
)

// TestContactAddress sets the organisers' contact address in the event form and finds it in
// the footer of every page and on the privacy page, beside the footer's link to the privacy
// statement; a wrong address is refused on its field, in the person's language, keeping what
// was typed.
func TestContactAddress(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	mailto := func(addr string) string { return `<a class="utrecht-link" href="mailto:` + addr + `">` + addr + `</a>` }
	privacyLink := `<a class="utrecht-link" href="/privacy">` + nlMsg(t, "privacy.title") + `</a>`
	for _, path := range []string{"/", "/programma/zwolle", "/aanmelden", "/privacy", "/bestaat-niet"} {
		_, body := ts.get(t, path)
		wantContains(t, path+" footer", footerOf(t, body), nlMsg(t, "footer.contact")+" "+mailto(demo.ContactEmail), privacyLink)
	}
	_, body := ts.get(t, "/privacy")
	wantContains(t, "privacy page", mainOf(t, body), nlMsg(t, "privacy.contact")+" "+mailto(demo.ContactEmail))
	_, body = ts.get(t, "/privacy", "Accept-Language", "en")
	wantContains(t, "English privacy page", body, html.EscapeString("The organisers' e-mail address: ")+mailto(demo.ContactEmail),
		`<a class="utrecht-link" href="/privacy">Privacy statement</a>`)

	ts.loginAs(t, models.RoleOrganiser, "")
	resp, body := ts.get(t, "/beheer/evenement")
	wantStatus(t, resp, body, http.StatusOK)
	if got := bhFieldValue(t, body, "contact_email"); got != demo.ContactEmail {
		t.Errorf("the event form shows contact address %q, want %q", got, demo.ContactEmail)
	}
	wantContains(t, "event form", body, `type="email" id="veld-contact_email" name="contact_email"`)

	e := testEvent(t, ts)
	base := func() url.Values {
		loc := e.Location()
		form := url.Values{"name": {e.Name}, "date": {e.Date}, "timezone": {e.Timezone}, "privacy_version": {e.PrivacyVersion},
			"proposals_open_at": {models.FormatLocal(e.ProposalsOpenAt, loc)}, "proposals_close_at": {models.FormatLocal(e.ProposalsCloseAt, loc)},
			"registration_closes_at": {models.FormatLocal(e.RegistrationClosesAt, loc)}, "contact_email": {e.ContactEmail}}
		setVotingValues(form, e)
		return form
	}
	const p, en = "/beheer/evenement", "Enter a valid email address, for example name@example.com."
	nl := nlText(t, "form.invalid_email")
	bad := func(name, typed string, headers ...string) bhFormCase {
		msg := nl
		if len(headers) > 0 {
			msg = en
		}
		return bhFormCase{name: name, path: p, change: url.Values{"contact_email": {typed}}, headers: headers,
			field: "contact_email", wantMsg: msg, kept: typed}
	}
	bhRunFormCases(t, ts, base, []bhFormCase{
		bad("no domain", "organisatie@"),
		bad("no top-level domain", "organisatie@gemeente"),
		bad("a name with the address", "Organisatie <organisatie@gemeente.nl>"),
		bad("two addresses", "a@gemeente.nl, b@gemeente.nl"),
		bad("a web address", "https://gemeente.nl/contact"),
		bad("english: no domain", "organisatie@", "Accept-Language", "en"),
	})

	form := base()
	form.Set("contact_email", " dagvandeambtenaar@provincie.example ")
	resp, body = ts.postForm(t, p, form)
	wantStatus(t, resp, body, http.StatusSeeOther)
	if got := testEvent(t, ts).ContactEmail; got != "dagvandeambtenaar@provincie.example" {
		t.Errorf("stored contact address %q, want it trimmed", got)
	}
	_, body = ts.get(t, "/")
	wantContains(t, "footer after the change", footerOf(t, body), mailto("dagvandeambtenaar@provincie.example"))

	// Without an address the footer still links the privacy statement.
	form.Set("contact_email", "")
	resp, body = ts.postForm(t, p, form)
	wantStatus(t, resp, body, http.StatusSeeOther)
	_, body = ts.get(t, "/privacy")
	if footer := footerOf(t, body); strings.Contains(footer, "mailto:") || !strings.Contains(footer, privacyLink) {
		t.Errorf("footer without a contact address:\n%s", footer)
	}
	if strings.Contains(mainOf(t, body), "mailto:") {
		t.Error("the privacy page shows a contact address while none is set")
	}
}

// footerOf and mainOf return the page's footer and main content.
func footerOf(t *testing.T, body string) string { return pageSection(t, body, "<footer", "</footer>") }
func mainOf(t *testing.T, body string) string   { return pageSection(t, body, "<main", "</main>") }

func pageSection(t *testing.T, body, start, end string) string {
	t.Helper()
	i := strings.Index(body, start)
	j := strings.LastIndex(body, end)
	if i < 0 || j < i {
		t.Fatalf("no %s…%s in the page:\n%s", start, end, excerpt(body))
	}
	return body[i:j]
}
