package handlers

import (
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
)

// invisibleMsg is form.invisible_chars for U+202E in each language.
var invisibleMsg = map[string]string{
	"nl": nlTextVar("form.invisible_chars", "Char", "U+202E"),
	"en": "Remove the invisible character U+202E (a text-direction or zero-width character, often copied along from another program), or type the text again.",
}

// TestRegisterFormRefusesBidiOverride: a name with a right-to-left override would show
// reversed on the badge and the door list; the form says which character to remove and
// keeps what was typed.
func TestRegisterFormRefusesBidiOverride(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	for _, lang := range []string{"nl", "en"} {
		t.Run(lang, func(t *testing.T) {
			name := "Jan \u202Enasor"
			form := registrationValues(name, uniqueEmail("bidi"), nil)
			regs := registrationCount(t, ts)
			resp, body := ts.postForm(t, "/aanmelden/zwolle", form, "Accept-Language", lang)
			wantStatus(t, resp, body, http.StatusUnprocessableEntity)
			wantContains(t, "message next to the field", body, `id="veld-name-error">`+strings.ReplaceAll(html.EscapeString(invisibleMsg[lang]), "+", "&#43;")+"<")
			wantContains(t, "error summary", body, `href="#veld-name"`)
			wantContains(t, "kept name", body, `name="name" value="`+html.EscapeString(name)+`"`)
			wantTranslated(t, "invalid form", body)
			if got := registrationCount(t, ts); got != regs {
				t.Errorf("registrations: got %d, want %d (nothing written)", got, regs)
			}
		})
	}
}

// TestAPIRefusesInvisibleChars: the API answers 422 and names the field.
func TestAPIRefusesInvisibleChars(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	for _, tc := range []struct{ field, value string }{
		{"name", "Jan\u202Enasor"},
		{"organisation", "Gemeente\u200BZwolle"},
		{"job_title", "\uFEFFAdviseur"},
		{"name", "Anna\u2066Bakker\u2069"},
	} {
		t.Run(tc.field, func(t *testing.T) {
			regs := registrationCount(t, ts)
			body := registrationBody(t, nil, func(m map[string]any) { m[tc.field] = tc.value })
			resp, b := ts.apiCall(t, http.MethodPost, "/api/v1/registrations", body, "", "Accept-Language", "en")
			wantAPIStatus(t, resp, b, http.StatusUnprocessableEntity)
			wantAPIError(t, b, "invalid", tc.field)
			if got := registrationCount(t, ts); got != regs {
				t.Errorf("registrations: got %d, want %d (nothing written)", got, regs)
			}
		})
	}
	t.Run("message names the character", func(t *testing.T) {
		for lang, want := range invisibleMsg {
			body := registrationBody(t, nil, func(m map[string]any) { m["name"] = "Jan\u202Enasor" })
			_, b := ts.apiCall(t, http.MethodPost, "/api/v1/registrations", body, "", "Accept-Language", lang)
			if got := wantAPIError(t, b, "invalid", "name").Fields["name"]; got != want {
				t.Errorf("%s: name message got %q, want %q", lang, got, want)
			}
		}
	})
	for _, tc := range []struct {
		field string
		edit  func(map[string]any)
	}{
		{"title", func(m map[string]any) { m["title"] = "Open data\u200F" }},
		{"speaker.name", func(m map[string]any) { m["speaker"].(map[string]any)["name"] = "Anna\u202Bde Vries" }},
		{"speaker.organisation", func(m map[string]any) { m["speaker"].(map[string]any)["organisation"] = "\u2067Gemeente Zwolle" }},
	} {
		t.Run("proposal "+tc.field, func(t *testing.T) {
			before := countRows(t, ts, &models.Proposal{}, "1 = 1")
			resp, b := ts.apiCall(t, http.MethodPost, "/api/v1/proposals", proposalBody(t, tc.edit), "")
			wantAPIStatus(t, resp, b, http.StatusUnprocessableEntity)
			if e := wantAPIError(t, b, "invalid", tc.field); len(e.Fields) != 1 {
				t.Errorf("fields got %v, want only %q", e.Fields, tc.field)
			}
			if got := countRows(t, ts, &models.Proposal{}, "1 = 1"); got != before {
				t.Errorf("proposals: got %d, want %d (nothing written)", got, before)
			}
		})
	}
}
