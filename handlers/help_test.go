package handlers

import (
	"net/http"
	"strings"
	"testing"
)

// TestHelpPages serves the help for attendees and speakers in Dutch and English: the title
// from the Markdown as the one h1 and in <title>, its headings with ids and a table of contents
// that leads to them, example paths as code rather than links, and a link to the other help.
func TestHelpPages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	event := testEvent(t, ts)
	for _, tc := range []struct {
		path, lang, h1, heading, id, code, other string
	}{
		{"/hulp", "nl", "Hulp voor deelnemers", "Aanmelden", "aanmelden", "/programma/zwolle", "/hulp/sprekers"},
		{"/hulp", "en", "Help for attendees", "Registering", "registering", "/programma/zwolle", "/hulp/sprekers"},
		{"/hulp/sprekers", "nl", "Hulp voor sprekers", "Een sessie voorstellen", "een-sessie-voorstellen", "/voorstellen", "/hulp"},
		{"/hulp/sprekers", "en", "Help for speakers", "Proposing a session", "proposing-a-session", "/voorstellen", "/hulp"},
	} {
		resp, body := ts.get(t, tc.path, "Accept-Language", tc.lang)
		wantStatus(t, resp, body, http.StatusOK)
		main := mainOf(t, body)
		wantContains(t, tc.path+" ("+tc.lang+")", body, `<html lang="`+tc.lang+`"`, "<title>"+tc.h1+" — "+event.Name+"</title>")
		wantContains(t, tc.path+" ("+tc.lang+")", main,
			`<h1 class="utrecht-heading-1">`+tc.h1+`</h1>`,
			`<h2 id="`+tc.id+`" class="utrecht-heading-2">`+tc.heading+`</h2>`,
			`<a class="utrecht-link" href="#`+tc.id+`">`+tc.heading+`</a>`,
			`<code class="utrecht-code">`+tc.code+`</code>`,
			`href="`+tc.other+`"`)
		if n := strings.Count(body, "<h1"); n != 1 {
			t.Errorf("GET %s (%s): %d h1 elements, want 1", tc.path, tc.lang, n)
		}
		if strings.Contains(main, `href="`+tc.code+`"`) {
			t.Errorf("GET %s (%s): an example path became a link:\n%s", tc.path, tc.lang, main)
		}
	}

	resp, body := ts.get(t, "/hulp/onbekend")
	wantStatus(t, resp, body, http.StatusNotFound)
}

// TestHelpLinks: the footer of every page links the help, in the page's language, and the call
// for proposals links the speakers' help.
func TestHelpLinks(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	for _, path := range []string{"/", "/programma/zwolle", "/privacy", "/bestaat-niet"} {
		_, body := ts.get(t, path)
		wantContains(t, path+" footer", footerOf(t, body), `<a class="utrecht-link" href="/hulp">`+nlMsg(t, "footer.help")+`</a>`)
		_, body = ts.get(t, path, "Accept-Language", "en")
		wantContains(t, path+" footer (en)", footerOf(t, body), `<a class="utrecht-link" href="/hulp">Help</a>`)
	}
	resp, body := ts.get(t, "/voorstellen")
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, "call for proposals", mainOf(t, body), `<a class="utrecht-link" href="/hulp/sprekers">`+nlMsg(t, "help.speakers_link")+`</a>`)
}
