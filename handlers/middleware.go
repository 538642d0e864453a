package handlers

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/locale"
)

const (
	ctxRequestID  = "request_id"
	ctxTranslator = "translator"
	langCookie    = "lang"
)

// requestID gives every request an id that appears in the log and on the error page, so a
// person reporting a problem can point at the log line.
func (h *Handler) requestID(c *gin.Context) {
	id := newRequestID()
	c.Set(ctxRequestID, id)
	c.Header("X-Request-Id", id)
	start := time.Now()
	c.Next()
	h.log.Info("request", "id", id, "method", c.Request.Method, "path", loggedPath(c),
		"status", c.Writer.Status(), "duration", time.Since(start))
}

// newRequestID makes a random request id.
func newRequestID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// recoverPanic turns a panic into a logged, calm 500 instead of a dropped connection. The
// page is written without the store or the web session, either of which may be what panicked.
func (h *Handler) recoverPanic(c *gin.Context) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		id := c.GetString(ctxRequestID)
		h.log.Error("panic", "id", id, "path", loggedPath(c), "value", v, "stack", string(debug.Stack()))
		c.Abort()
		switch {
		case c.Writer.Written():
		case isAPI(c):
			h.apiError(c, http.StatusInternalServerError, "internal", h.tr(c).T("error.server.body"), nil)
		default:
			h.writeServerError(c.Writer, h.tr(c), c.Request.URL.Path, id)
		}
	}()
	c.Next()
}

// securityHeaders sets a strict Content-Security-Policy and friends on every response.
func securityHeaders(c *gin.Context) {
	hdr := c.Writer.Header()
	hdr.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Referrer-Policy", "same-origin")
	hdr.Set("X-Frame-Options", "DENY")
	c.Next()
}

// language picks the person's language: their remembered choice, else their browser's.
func (h *Handler) language(c *gin.Context) {
	cookie, _ := c.Cookie(langCookie)
	lang := h.catalog.Negotiate(cookie, c.GetHeader("Accept-Language"))
	c.Set(ctxTranslator, h.catalog.Translator(lang))
	c.Header("Content-Language", string(lang))
	c.Header("Vary", "Accept-Language, Cookie")
	c.Next()
}

func (h *Handler) tr(c *gin.Context) *locale.Translator {
	if t, ok := c.Get(ctxTranslator); ok {
		return t.(*locale.Translator)
	}
	return h.catalog.Translator(locale.Dutch)
}

// crossOriginProtection refuses state-changing requests that a browser sent from another
// origin (CSRF). It relies on Sec-Fetch-Site and Origin, which every current browser sends,
// so forms need no hidden token.
func (h *Handler) crossOriginProtection(c *gin.Context) {
	if err := h.cop.Check(c.Request); err != nil {
		h.log.Warn("cross-origin request refused", "id", c.GetString(ctxRequestID), "path", loggedPath(c), "origin", c.GetHeader("Origin"))
		if isAPI(c) {
			h.apiError(c, http.StatusForbidden, "cross_origin", h.tr(c).T("error.cross_origin.body"), nil)
		} else {
			h.errorPage(c, http.StatusForbidden, "error.cross_origin")
		}
		c.Abort()
		return
	}
	c.Next()
}

// switchLanguage remembers the chosen language for a year and goes back to the page.
func (h *Handler) switchLanguage(c *gin.Context) {
	lang, ok := locale.Parse(c.PostForm("lang"))
	if !ok {
		lang = locale.Dutch
	}
	http.SetCookie(c.Writer, &http.Cookie{
		Name: langCookie, Value: string(lang), Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: h.secure,
	})
	c.Redirect(http.StatusSeeOther, localPath(c.PostForm("terug")))
}

// localPath returns p when it is a path on this site, and "/" otherwise, so a crafted form
// can never send someone to another site. Browsers drop tabs and newlines from a URL and read
// a backslash as a slash ("/\t/evil.example" and "/\evil.example" both become
// "//evil.example"), so any ASCII control character or backslash refuses the path outright,
// and what is left must parse as a path without scheme or host.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		return "/"
	}
	if strings.ContainsFunc(p, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
		return "/"
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return "/"
	}
	return p
}

// loggedPath is the path as the log may show it: the route's pattern when it has parameters
// ("/boeking/:token"), so personal links never land in a log, and the path itself otherwise.
func loggedPath(c *gin.Context) string {
	if pattern := c.FullPath(); pattern != "" {
		return pattern
	}
	if strings.HasPrefix(c.Request.URL.Path, "/static/") {
		return c.Request.URL.Path
	}
	return "(no route)"
}
