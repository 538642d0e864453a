package handlers

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// rfc9116Fields are the fields RFC 9116 defines (section 2.5), and whether one may appear
// more than once.
var rfc9116Fields = map[string]bool{
	"Acknowledgments": true, "Canonical": true, "Contact": true, "Encryption": true,
	"Expires": false, "Hiring": true, "Policy": true, "Preferred-Languages": false,
}

var fieldLine = regexp.MustCompile(`^([A-Za-z0-9-]+): (\S.*)$`)

// parseSecurityTxt reads a security.txt as RFC 9116 section 2.3 describes it: each line
// empty, a comment or "Field: value"; it fails the test on anything else.
func parseSecurityTxt(t *testing.T, body string) map[string][]string {
	t.Helper()
	if !strings.HasSuffix(body, "\n") {
		t.Errorf("security.txt does not end with a line break")
	}
	fields := map[string][]string{}
	for i, line := range strings.Split(strings.TrimSuffix(body, "\n"), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		m := fieldLine.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("line %d %q is neither a comment nor a field", i+1, line)
			continue
		}
		many, known := rfc9116Fields[m[1]]
		if !known {
			t.Errorf("line %d: field %q is not one of RFC 9116's", i+1, m[1])
		}
		if !many && len(fields[m[1]]) > 0 {
			t.Errorf("line %d: field %q appears more than once", i+1, m[1])
		}
		fields[m[1]] = append(fields[m[1]], m[2])
	}
	return fields
}

func TestSecurityTxt(t *testing.T) {
	t.Parallel()
	expires := time.Now().AddDate(0, 6, 0).UTC().Truncate(time.Second)
	for _, tc := range []struct {
		name string
		st   SecurityTxt
	}{
		{"configured expiry and policy", SecurityTxt{Contacts: []string{"mailto:security@gemeente.example", "https://gemeente.example/cvd"},
			Expires: expires, Policy: "https://gemeente.example/cvd-beleid"}},
		{"expiry from the day it is served", SecurityTxt{Contacts: []string{"mailto:security@gemeente.example"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ts := newTestServerConfig(t, Config{BaseURL: "https://dagplanner.gemeente.example", SecurityTxt: tc.st})
			resp, body := ts.get(t, "/.well-known/security.txt")
			wantStatus(t, resp, body, http.StatusOK)
			if ct := resp.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
				t.Errorf("Content-Type = %q, want text/plain; charset=utf-8", ct)
			}
			f := parseSecurityTxt(t, body)
			if got := strings.Join(f["Contact"], " "); got != strings.Join(tc.st.Contacts, " ") {
				t.Errorf("Contact = %q, want %q in that order", got, tc.st.Contacts)
			}
			for _, c := range f["Contact"] {
				if u, err := url.Parse(c); err != nil || (u.Scheme != "mailto" && u.Scheme != "https") {
					t.Errorf("Contact %q is not a mailto: or https: URI", c)
				}
			}
			if len(f["Expires"]) != 1 {
				t.Fatalf("Expires = %q, want exactly one", f["Expires"])
			}
			exp, err := time.Parse(time.RFC3339, f["Expires"][0])
			now := time.Now()
			switch {
			case err != nil:
				t.Errorf("Expires %q is not RFC 3339: %v", f["Expires"][0], err)
			case !exp.After(now) || exp.After(now.AddDate(1, 0, 0)):
				t.Errorf("Expires %v, want in the coming year", exp)
			case !tc.st.Expires.IsZero() && !exp.Equal(tc.st.Expires):
				t.Errorf("Expires %v, want the configured %v", exp, tc.st.Expires)
			case tc.st.Expires.IsZero() && exp.Before(now.Add(securityTxtLife-24*time.Hour)):
				t.Errorf("Expires %v, want about %v ahead", exp, securityTxtLife)
			}
			if got := f["Preferred-Languages"]; len(got) != 1 || got[0] != "nl, en" {
				t.Errorf("Preferred-Languages = %q, want nl, en", got)
			}
			if got := f["Canonical"]; len(got) != 1 || got[0] != "https://dagplanner.gemeente.example/.well-known/security.txt" {
				t.Errorf("Canonical = %q", got)
			}
			if got := strings.Join(f["Policy"], " "); got != tc.st.Policy {
				t.Errorf("Policy = %q, want %q", got, tc.st.Policy)
			}
		})
	}
	t.Run("not configured", func(t *testing.T) {
		t.Parallel()
		ts := newTestServer(t)
		resp, body := ts.get(t, "/.well-known/security.txt")
		wantStatus(t, resp, body, http.StatusNotFound)
	})
}

func TestSecurityTxtValidate(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	ok := []string{"mailto:security@gemeente.example"}
	for _, tc := range []struct {
		name string
		st   SecurityTxt
		want string // in the error; "" for none
	}{
		{"contact only", SecurityTxt{Contacts: ok}, ""},
		{"https contact and policy", SecurityTxt{Contacts: []string{"https://gemeente.example/cvd"}, Policy: "https://gemeente.example/beleid", Expires: now.AddDate(0, 11, 0)}, ""},
		{"http contact", SecurityTxt{Contacts: []string{"http://gemeente.example/cvd"}}, "mailto: or https:"},
		{"bare address", SecurityTxt{Contacts: []string{"security@gemeente.example"}}, "mailto: or https:"},
		{"mailto without address", SecurityTxt{Contacts: []string{"mailto:security"}}, "e-mail address"},
		{"http policy", SecurityTxt{Contacts: ok, Policy: "http://gemeente.example/beleid"}, "policy"},
		{"expired", SecurityTxt{Contacts: ok, Expires: now.AddDate(0, 0, -1)}, "has passed"},
		{"more than a year", SecurityTxt{Contacts: ok, Expires: now.AddDate(1, 0, 1)}, "more than a year"},
	} {
		err := tc.st.Validate(now)
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: Validate = %v, want an error with %q", tc.name, err, tc.want)
		}
	}
}
