// The JSON API's shared parts: its one error shape, strict decoding of request bodies, and
// telling an API request from a page request.

package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

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

// apiError answers status with the API's one error shape and aborts the request.
func (h *Handler) apiError(c *gin.Context, status int, code, message string, fields map[string]string) {
	if fields == nil {
		fields = map[string]string{}
	}
	c.AbortWithStatusJSON(status, APIError{Error: APIErrorBody{Code: code, Message: message, Fields: fields}})
}

// decodeJSON reads a JSON body strictly: one object, known fields, right types. It answers
// 400 (or 413) itself and reports false when the body is unusable.
func (h *Handler) decodeJSON(c *gin.Context, v any) bool {
	body, err := io.ReadAll(io.LimitReader(c.Request.Body, maxJSONBody+1))
	if err != nil {
		h.apiError(c, http.StatusBadRequest, "malformed", h.tr(c).T("api.malformed"), nil)
		return false
	}
	if len(body) > maxJSONBody {
		h.apiError(c, http.StatusRequestEntityTooLarge, "too_large", h.tr(c).T("api.too_large"), nil)
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	// Decoding null into a struct succeeds and leaves it empty; only an object is a request.
	if trimmed := bytes.TrimSpace(body); len(trimmed) > 0 && trimmed[0] != '{' {
		h.apiError(c, http.StatusBadRequest, "malformed", h.tr(c).T("api.malformed"), nil)
		return false
	}
	if err := dec.Decode(v); err != nil || dec.More() {
		fields := map[string]string{}
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			fields[typeErr.Field] = h.tr(c).T("api.wrong_type")
		}
		h.apiError(c, http.StatusBadRequest, "malformed", h.tr(c).T("api.malformed"), fields)
		return false
	}
	return true
}

// problemFields translates validation problems into the API's per-field messages.
func (h *Handler) problemFields(c *gin.Context, p models.Problems) map[string]string {
	out := map[string]string{}
	for field, pr := range p {
		out[field] = h.tr(c).T(pr.Key, pr.Args...)
	}
	return out
}

// isAPI reports whether the request is for the JSON API, which answers errors as JSON.
func isAPI(c *gin.Context) bool {
	return strings.HasPrefix(c.Request.URL.Path, "/api/")
}

// maxJSONBody bounds request bodies; a registration is well under a kilobyte.
const maxJSONBody = 64 << 10

// sendPersonalData hands a person everything kept about them (issue #17) as an indented JSON
// file named filename: private, never cached (a shared computer's browser keeps no copy).
func sendPersonalData(c *gin.Context, filename string, export any) {
	c.Header("Cache-Control", "private, no-store")
	c.Header("Content-Disposition", fmt.Sprintf("attachment; filename=%q", filename))
	c.IndentedJSON(http.StatusOK, export)
}
