package handlers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
)

// render writes an HTML page with the given status, gzipped for browsers that accept it. A
// page that fails to render is replaced by the calm error page: templates render into a
// buffer, so nothing was sent yet.
func (h *Handler) render(c *gin.Context, status int, page string, data any) {
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Header("Cache-Control", "no-store")
	var buf bytes.Buffer
	if err := h.pages.Render(&buf, page, data); err != nil {
		id := c.GetString(ctxRequestID)
		h.log.Error("render", "id", id, "page", page, "err", err)
		h.writeServerError(c.Writer, h.tr(c), c.Request.URL.Path, id)
		return
	}
	writeCompressed(c, status, buf.Bytes())
}

// writeServerError writes the calm 500 page with the request id, without the store (it may
// be what failed) and without gin (the session layer calls it too). If even the error page
// cannot be rendered, a plain page says the same in the person's language.
func (h *Handler) writeServerError(w http.ResponseWriter, tr *locale.Translator, path, id string) {
	p := Page{Lang: tr.Lang(), Title: tr.T("error.server.title"), Path: path, tr: tr, RequestID: id}
	data := errorData{Page: p, Heading: p.T("error.server.title"), Body: p.T("error.server.body")}
	var buf bytes.Buffer
	err := h.pages.Render(&buf, "error", data)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusInternalServerError)
	if err == nil {
		buf.WriteTo(w)
		return
	}
	h.log.Error("render", "id", id, "page", "error", "err", err)
	fmt.Fprintf(w, "<!doctype html>\n<html lang=\"%s\"><meta charset=\"utf-8\"><title>%s</title><h1>%[2]s</h1><p>%s</p><p>%s</p></html>\n",
		tr.Lang(), html.EscapeString(data.Heading), html.EscapeString(data.Body), html.EscapeString(tr.T("error.reference", "ID", id)))
}

type errorData struct {
	Page
	Heading, Body string
}

// errorPage renders a calm error page with a heading and explanation from the catalogue.
func (h *Handler) errorPage(c *gin.Context, status int, key string) {
	// Within the organiser area the page keeps the area's navigation, so that whoever is
	// signed in can go on to what they may use (door staff opening /beheer find the scan page).
	section := ""
	if path := c.Request.URL.Path; path == shellRoot || strings.HasPrefix(path, shellRoot+"/") {
		section = "beheer"
	}
	p := h.page(c, h.tr(c).T(key+".title"), section)
	h.render(c, status, "error", errorData{Page: p, Heading: p.T(key + ".title"), Body: p.T(key + ".body")})
}

// notFound answers 404 in the request's own style: JSON for the API, a page otherwise. An
// address with a venue's old slug is sent on to the current one instead.
func (h *Handler) notFound(c *gin.Context) {
	if h.redirectOldSlug(c) {
		return
	}
	if isAPI(c) {
		h.apiError(c, http.StatusNotFound, "not_found", h.tr(c).T("error.api_not_found"), nil)
		return
	}
	h.errorPage(c, http.StatusNotFound, "error.not_found")
}

// serverError logs err with the request id and shows a calm page that names the id.
func (h *Handler) serverError(c *gin.Context, err error) {
	if errors.Is(err, context.Canceled) && c.Request.Context().Err() != nil {
		// The client went away (a page reloaded mid-request): nothing failed on our side and
		// nobody reads the answer.
		h.log.Info("request cancelled by the client", "id", c.GetString(ctxRequestID), "path", c.Request.URL.Path)
		c.AbortWithStatus(499)
		return
	}
	if models.IsUnavailable(err) {
		h.unavailable(c, err)
		return
	}
	if err != nil {
		h.log.Error("server error", "id", c.GetString(ctxRequestID), "path", c.Request.URL.Path, "err", err)
	}
	if isAPI(c) {
		h.apiError(c, http.StatusInternalServerError, "internal", h.tr(c).T("error.server.body"), nil)
		return
	}
	h.errorPage(c, http.StatusInternalServerError, "error.server")
}

// retryAfterSeconds is what a 503 asks the client to wait: long enough for a pool to drain
// or a database to come back, short enough for a person to wait for.
const retryAfterSeconds = "5"

// unavailable answers 503 with Retry-After when the database could not be reached or was
// overloaded: the request failed as a whole (a transaction that did not commit wrote
// nothing), and the same request may simply be repeated.
func (h *Handler) unavailable(c *gin.Context, err error) {
	h.log.Warn("database unavailable", "id", c.GetString(ctxRequestID), "path", c.Request.URL.Path, "err", err)
	c.Header("Retry-After", retryAfterSeconds)
	if isAPI(c) {
		h.apiError(c, http.StatusServiceUnavailable, "unavailable", h.tr(c).T("error.unavailable.body"), nil)
		return
	}
	h.errorPage(c, http.StatusServiceUnavailable, "error.unavailable")
}

// fail handles an error from the store: not found is a 404, anything else a 500.
func (h *Handler) fail(c *gin.Context, err error) {
	if errors.Is(err, models.ErrNotFound) {
		h.notFound(c)
		return
	}
	h.serverError(c, err)
}
