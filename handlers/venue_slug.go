package handlers

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// redirectOldSlug sends a request for a public address with a venue's old slug on to the
// venue's current address: 301, or 308 for a form post, which keeps its method and body. It
// reports whether it did. The organisers' pages name venues by id and are left alone.
func (h *Handler) redirectOldSlug(c *gin.Context) bool {
	if strings.HasPrefix(c.Request.URL.Path, "/beheer") {
		return false
	}
	route := strings.Split(c.FullPath(), "/")
	for _, param := range []string{"venue", "slug"} {
		old := c.Param(param)
		at := -1
		for i, seg := range route {
			if seg == ":"+param {
				at = i
			}
		}
		if old == "" || at < 0 {
			continue
		}
		v, err := h.store.VenueByOldSlug(c.Request.Context(), old)
		if err != nil {
			return false
		}
		path := strings.Split(c.Request.URL.Path, "/")
		if at >= len(path) || path[at] != old {
			return false
		}
		path[at] = v.Slug
		to := strings.Join(path, "/")
		if q := c.Request.URL.RawQuery; q != "" {
			to += "?" + q
		}
		status := http.StatusMovedPermanently
		if c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead {
			status = http.StatusPermanentRedirect
		}
		c.Redirect(status, to)
		c.Abort()
		return true
	}
	return false
}
