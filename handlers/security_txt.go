package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// SecurityTxt is what /.well-known/security.txt says (RFC 9116): where to report a
// vulnerability in this installation. Without a contact the file is not served (404).
type SecurityTxt struct {
	// Contacts are mailto: or https: URIs, most preferred first.
	Contacts []string
	// Expires is when the file goes stale. Zero means 180 days after the day it is
	// served: the file is made from the running configuration, so it cannot outlive it.
	Expires time.Time
	// Policy is an https: URL of the disclosure policy; optional.
	Policy string
}

// securityTxtLife is how far ahead Expires lies when none is configured: within the
// year RFC 9116 advises.
const securityTxtLife = 180 * 24 * time.Hour

// Validate says what is wrong with the settings, before the server starts.
func (s SecurityTxt) Validate(now time.Time) error {
	for _, c := range s.Contacts {
		u, err := url.Parse(c)
		switch {
		case err != nil || (u.Scheme != "mailto" && u.Scheme != "https"):
			return fmt.Errorf("contact %q: want a mailto: or https: URI", c)
		case u.Scheme == "mailto" && !strings.Contains(u.Opaque, "@"):
			return fmt.Errorf("contact %q: want mailto: and an e-mail address", c)
		case u.Scheme == "https" && u.Host == "":
			return fmt.Errorf("contact %q: want an https:// URL with a host", c)
		}
	}
	if s.Policy != "" {
		if u, err := url.Parse(s.Policy); err != nil || u.Scheme != "https" || u.Host == "" {
			return fmt.Errorf("policy %q: want an https:// URL", s.Policy)
		}
	}
	if !s.Expires.IsZero() && !s.Expires.After(now) {
		return fmt.Errorf("expiry %s has passed: set a date in the coming year", s.Expires.Format(time.DateOnly))
	}
	if s.Expires.After(now.AddDate(1, 0, 0)) {
		return fmt.Errorf("expiry %s is more than a year ahead; RFC 9116 advises less, so the file is looked at again", s.Expires.Format(time.DateOnly))
	}
	return nil
}

// text renders the file as it is served at now, with its canonical address under base.
func (s SecurityTxt) text(base string, now time.Time) string {
	expires := s.Expires
	if expires.IsZero() {
		// From the start of the day, so the file is the same all day long.
		day := now.UTC().Truncate(24 * time.Hour)
		expires = day.Add(securityTxtLife)
	}
	var b strings.Builder
	b.WriteString("# Dagplanner: report a vulnerability in this installation here.\n")
	b.WriteString("# The software itself: see SECURITY.md in its source repository.\n")
	for _, c := range s.Contacts {
		b.WriteString("Contact: " + c + "\n")
	}
	b.WriteString("Expires: " + expires.UTC().Format(time.RFC3339) + "\n")
	if s.Policy != "" {
		b.WriteString("Policy: " + s.Policy + "\n")
	}
	b.WriteString("Preferred-Languages: nl, en\n")
	if base != "" {
		b.WriteString("Canonical: " + strings.TrimRight(base, "/") + "/.well-known/security.txt\n")
	}
	return b.String()
}

// showSecurityTxt serves /.well-known/security.txt from the configuration, or 404 without
// a contact.
func (h *Handler) showSecurityTxt(c *gin.Context) {
	if len(h.security.Contacts) == 0 {
		h.notFound(c)
		return
	}
	c.Header("Cache-Control", "public, max-age=3600")
	c.Data(http.StatusOK, "text/plain; charset=utf-8", []byte(h.security.text(h.base, time.Now())))
}
