package handlers

import (
	"bytes"
	"context"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// render writes an HTML page with the given status, gzipped for browsers that accept it.
func (h *Handler) render(c *gin.Context, status int, page string, data any) {
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Header("Cache-Control", "no-store")
	var buf bytes.Buffer
	if err := h.pages.Render(&buf, page, data); err != nil {
		h.log.Error("render", "id", c.GetString(ctxRequestID), "page", page, "err", err)
		c.Writer.WriteHeader(http.StatusInternalServerError)
		c.Writer.WriteString("Internal Server Error")
		return
	}
	writeCompressed(c, status, buf.Bytes())
}

type errorData struct {
	Page
	Heading, Body string
}

// errorPage renders a calm error page with a heading and explanation from the catalogue.
func (h *Handler) errorPage(c *gin.Context, status int, key string) {
	p := h.page(c, h.tr(c).T(key+".title"), "")
	h.render(c, status, "error", errorData{Page: p, Heading: p.T(key + ".title"), Body: p.T(key + ".body")})
}

// notFound answers 404 in the request's own style: JSON for the API, a page otherwise.
func (h *Handler) notFound(c *gin.Context) {
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
	if err != nil {
		h.log.Error("server error", "id", c.GetString(ctxRequestID), "path", c.Request.URL.Path, "err", err)
	}
	if isAPI(c) {
		h.apiError(c, http.StatusInternalServerError, "internal", h.tr(c).T("error.server.body"), nil)
		return
	}
	h.errorPage(c, http.StatusInternalServerError, "error.server")
}

// fail handles an error from the store: not found is a 404, anything else a 500.
func (h *Handler) fail(c *gin.Context, err error) {
	if errors.Is(err, models.ErrNotFound) {
		h.notFound(c)
		return
	}
	h.serverError(c, err)
}

// APIError is the one error shape of the JSON API.
type APIError struct {
	Error APIErrorBody `json:"error"`
}

// APIErrorBody says what went wrong: a stable code, a message for people, and per-field messages.
type APIErrorBody struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields"`
}

func (h *Handler) apiError(c *gin.Context, status int, code, message string, fields map[string]string) {
	if fields == nil {
		fields = map[string]string{}
	}
	c.AbortWithStatusJSON(status, APIError{Error: APIErrorBody{Code: code, Message: message, Fields: fields}})
}
