package handlers

import (
	"io/fs"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/templates"
)

// doorCSP is the site's policy plus 'wasm-unsafe-eval', which the zxing WebAssembly decoder
// of the scan page needs; it applies to the door's own responses only.
const doorCSP = "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

type doorData struct {
	Page
}

// showDoor renders the scan page for door staff.
func (h *Handler) showDoor(c *gin.Context) {
	c.Header("Content-Security-Policy", doorCSP)
	p := h.page(c, h.tr(c).T("door.title"), "door")
	h.render(c, http.StatusOK, "door", doorData{Page: p})
}

// doorServiceWorker serves the scan page's service worker from /deur, so its scope can be /deur.
func (h *Handler) doorServiceWorker(c *gin.Context) {
	c.Header("Service-Worker-Allowed", "/deur")
	h.serveDoorFile(c, "door/sw.js", "text/javascript; charset=utf-8")
}

// doorManifest serves the web app manifest that makes the scan page installable.
func (h *Handler) doorManifest(c *gin.Context) {
	h.serveDoorFile(c, "door/manifest.webmanifest", "application/manifest+json")
}

func (h *Handler) serveDoorFile(c *gin.Context, name, contentType string) {
	b, err := fs.ReadFile(templates.Static(), name)
	if err != nil {
		h.serverError(c, err)
		return
	}
	c.Header("Content-Security-Policy", doorCSP)
	c.Header("Cache-Control", "no-cache")
	c.Data(http.StatusOK, contentType, b)
}
