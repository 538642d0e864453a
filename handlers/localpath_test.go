package handlers

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestLocalPathRefusesWhatBrowsersCleanIntoAnotherSite checks localPath against every ASCII
// control character and the backslash forms: browsers drop tabs and newlines from URLs and
// read a backslash as a slash, so "/<tab>/evil.example" would lead to evil.example.
func TestLocalPathRefusesWhatBrowsersCleanIntoAnotherSite(t *testing.T) {
	t.Parallel()
	var bad []string
	for b := 0; b < 0x20; b++ {
		ch := string(rune(b))
		bad = append(bad, "/"+ch+"/evil.example", "/"+ch+"\\evil.example", ch+"//evil.example", "/"+ch+ch+"/evil.example",
			"//"+ch+"evil.example", "/programma"+ch)
	}
	bad = append(bad, "/\x7f/evil.example", "/programma\x7f",
		`/\evil.example`, `\/evil.example`, `\\evil.example`, `/\/evil.example`, `//\evil.example`, `\evil.example`,
		"//evil.example", "///evil.example", "https://evil.example", "https:/evil.example", "javascript:alert(1)",
		"", "programma", " //evil.example", "/\r\nSet-Cookie: x=1")
	for _, p := range bad {
		if got := localPath(p); got != "/" {
			t.Errorf("localPath(%q) = %q, want %q", p, got, "/")
		}
	}
	for _, p := range []string{"/", "/programma/zwolle", "/sessies/1?x=1#top", "/%5cevil.example", "/%09/evil.example",
		"/beheer/inloggen?terug=/beheer", "/zoeken?q=a b"} {
		if got := localPath(p); got != p {
			t.Errorf("localPath(%q) = %q, want it kept", p, got)
		}
	}
}

// TestLanguageSwitchRefusesEncodedControlCharacters posts terug=/%09/evil.example the way a
// crafted form does: the value arrives with a real tab, and Location must stay on this site.
func TestLanguageSwitchRefusesEncodedControlCharacters(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	var encoded []string
	for b := 0; b < 0x20; b++ {
		encoded = append(encoded, fmt.Sprintf("/%%%02X/evil.example", b))
	}
	encoded = append(encoded, "/%7F/evil.example", "/%5Cevil.example", "%5C/evil.example", "/%5C%5Cevil.example")
	for _, terug := range encoded {
		req, err := http.NewRequest(http.MethodPost, ts.URL+"/taal", strings.NewReader("lang=en&terug="+terug))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, body := ts.do(t, req, "Origin", ts.URL, "Sec-Fetch-Site", "same-origin")
		wantStatus(t, resp, body, http.StatusSeeOther)
		if got := resp.Header.Get("Location"); got != "/" {
			t.Errorf("terug=%s: Location got %q, want %q", terug, got, "/")
		}
	}
}
