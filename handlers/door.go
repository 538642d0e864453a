package handlers

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/templates"
)

// doorMessages are the catalogue keys the scan page's script needs, each with the names of
// its template arguments. They are rendered with placeholders ("{Name}") that door.js fills in.
var doorMessages = map[string][]string{
	"door.status_online": nil, "door.status_offline": nil, "door.status_connecting": nil,
	"door.waiting_one": {"N"}, "door.waiting_other": {"N"}, "door.list_updated": {"Time"},
	"door.no_list": nil, "door.paired_as": {"Venue", "Door"},
	"door.ready": nil, "door.ready_hint": nil,
	"door.kind_admitted": nil, "door.kind_warning": nil, "door.kind_refused": nil, "door.kind_info": nil,
	"door.welcome": {"Name"}, "door.first_session": {"Title", "Time", "Room"}, "door.first_session_no_room": {"Title", "Time"},
	"door.already": {"Time", "Door"}, "door.already_no_door": {"Time"}, "door.wrong_venue": {"Venue"}, "door.wrong_venue_cancelled": {"Venue"}, "door.cancelled": nil,
	"door.superseded": nil, "door.invalid": nil, "door.checked_offline": nil,
	"door.undo": nil, "door.undone": {"Name"}, "door.undo_failed": nil,
	"door.camera_start": nil, "door.camera_stop": nil, "door.camera_unavailable": nil,
	"door.search_none": nil, "door.search_count_one": nil, "door.search_count_other": {"N"},
	"door.search_in": nil, "door.search_cancelled": nil,
	"door.pair_failed": nil, "door.pair_offline": nil, "door.unpaired": nil, "door.server_error": {"Message"},
	"door.sync_conflicts": {"N"}, "door.checking": nil,
	// #13 D: walk-ins
	"walkin.offline": nil, "walkin.sending": nil, "walkin.failed": {"Message"}, "walkin.full_headline": nil, "walkin.unknown": nil,
	// #18: room doors
	"room.option": {"Time", "Room", "Title"}, "room.scanning_for": {"Title", "Room", "Time"}, "room.figures": {"In", "Waiting"},
	"room.release_at": {"Time"}, "room.no_sessions": nil, "room.in_session": {"Name"}, "room.already": {"Name", "Time", "Door"},
	"room.waitlisted_seat": {"Name"}, "room.waitlisted_full": {"Name", "Position"}, "room.offline_waitlisted": {"Name", "Position"},
	"room.elsewhere": {"Name", "Title", "Room"}, "room.not_booked": {"Name"}, "room.not_registered": nil,
	"room.kind_in": nil, "room.kind_wait": nil, "room.kind_not_here": nil,
}

type doorData struct {
	Page
	// Messages holds the script's strings in the page's language, keyed by catalogue key.
	Messages map[string]string
	// LoginURL signs a door or organiser account in and comes back to this page.
	LoginURL string
}

// showDoor renders the scan page for door staff. The page itself holds nothing secret: the
// script pairs the device and asks the API for the venue, its check-in list and the answers.
func (h *Handler) showDoor(c *gin.Context) {
	setDoorCSP(c)
	p := h.page(c, h.tr(c).T("door.title"), "door")
	back := "/deur"
	if slug := c.Query("locatie"); slug != "" {
		// Keep the venue of an organiser's door page across the language switch and log-in.
		back += "?locatie=" + url.QueryEscape(slug)
	}
	p.Path = back
	msgs := make(map[string]string, len(doorMessages))
	for key, names := range doorMessages {
		args := make([]any, 0, 2*len(names))
		for _, n := range names {
			args = append(args, n, "{"+n+"}")
		}
		msgs[key] = p.T(key, args...)
	}
	h.render(c, http.StatusOK, "door", doorData{Page: p, Messages: msgs, LoginURL: "/beheer/inloggen?terug=" + url.QueryEscape(back)})
}

// doorServiceWorker serves the scan page's service worker from /deur, so that it may control
// /deur itself (Service-Worker-Allowed) and keep the page working offline.
func (h *Handler) doorServiceWorker(c *gin.Context) {
	c.Header("Service-Worker-Allowed", "/deur")
	h.serveDoorFile(c, "door/sw.js", "text/javascript; charset=utf-8", doorWorkerScript)
}

// doorWorkerScript fills the fingerprinted URLs of the files the service worker keeps into its
// list, and names its cache after them: when a file changes, the worker's bytes change, so
// browsers install it again and it fetches and keeps the new files under a new cache name.
func doorWorkerScript(b []byte) []byte {
	sum := sha256.Sum256(b)
	return bytes.Replace(b, []byte(`"dagplanner-door-v1"`), []byte(`"dagplanner-door-`+hex.EncodeToString(sum[:6])+`"`), 1)
}

// doorManifest serves the web app manifest that makes the scan page installable.
func (h *Handler) doorManifest(c *gin.Context) {
	h.serveDoorFile(c, "door/manifest.webmanifest", "application/manifest+json", nil)
}

// serveDoorFile answers with one embedded static file, its static addresses fingerprinted and
// then passed through fill (when not nil); no-cache makes browsers check for a new service
// worker or manifest on every load.
func (h *Handler) serveDoorFile(c *gin.Context, name, contentType string, fill func([]byte) []byte) {
	b, err := fs.ReadFile(templates.Static(), name)
	if err != nil {
		h.serverError(c, err)
		return
	}
	b = h.assets.Rewrite(b)
	if fill != nil {
		b = fill(b)
	}
	setDoorCSP(c)
	c.Header("Cache-Control", "no-cache")
	c.Data(http.StatusOK, contentType, b)
}

// setDoorCSP adds 'wasm-unsafe-eval' to the site's script-src for the door's responses only:
// the zxing WebAssembly decoder cannot be compiled without it. Everything else of the site's
// policy stays as securityHeaders set it.
func setDoorCSP(c *gin.Context) {
	hdr := c.Writer.Header()
	csp := hdr.Get("Content-Security-Policy")
	if csp == "" || strings.Contains(csp, "'wasm-unsafe-eval'") {
		return
	}
	hdr.Set("Content-Security-Policy", strings.Replace(csp, "script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", 1))
}
