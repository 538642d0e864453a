package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// Form is a submitted (or prefilled) HTML form: what was typed, kept exactly, and what is
// wrong with it.
type Form struct {
	Values   url.Values
	Problems models.Problems
	Order    []string          // field names in the order they appear, for the error summary
	Labels   map[string]string // field name → label message key, so the summary names each field
	// Named labels fields whose label is no message but made by the page (a time slot's
	// times), shown as is in the summary; filled in when the page is built.
	Named map[string]string
}

// newForm starts a form. Each field is given as "name:label.key", in the order the page shows
// them; the error summary lists problems in that order, each with its field's label.
func newForm(values url.Values, fields ...string) *Form {
	if values == nil {
		values = url.Values{}
	}
	f := &Form{Values: values, Problems: models.Problems{}, Labels: map[string]string{}}
	for _, field := range fields {
		name, label, _ := strings.Cut(field, ":")
		f.Order = append(f.Order, name)
		if label != "" {
			f.Labels[name] = label
		}
	}
	return f
}

// postedForm reads the request body; the fields named in order come first in the summary.
func postedForm(c *gin.Context, order ...string) *Form {
	if err := c.Request.ParseForm(); err != nil {
		return newForm(nil, order...)
	}
	return newForm(c.Request.PostForm, order...)
}

// String returns a field's text as typed.
func (f *Form) String(name string) string { return f.Values.Get(name) }

// Int parses a whole number; anything else records a problem on the field and returns 0.
// An empty optional field is 0 without a problem.
func (f *Form) Int(name string, required bool) int {
	v := strings.TrimSpace(f.Values.Get(name))
	if v == "" {
		if required {
			f.Problems.Add(name, "form.required")
		}
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		f.Problems.Add(name, "form.not_a_number")
		return 0
	}
	return n
}

// ID parses an optional id from a drop-down; anything unparseable is a problem.
func (f *Form) ID(name string) uint {
	v := strings.TrimSpace(f.Values.Get(name))
	if v == "" || v == "0" {
		return 0
	}
	n, err := strconv.ParseUint(v, 10, 32)
	if err != nil {
		f.Problems.Add(name, "form.invalid_choice")
		return 0
	}
	return uint(n)
}

// Merge adds problems found by validation, keeping any parse problem already on a field.
func (f *Form) Merge(p models.Problems) {
	for field, pr := range p {
		f.Problems.Add(field, pr.Key, pr.Args...)
	}
}

// Valid reports whether the form has no problems.
func (f *Form) Valid() bool { return len(f.Problems) == 0 }

// formFailed handles the outcome of a store write from a form. On a validation error it
// re-renders the page with what was typed and the problems (422) and reports true; any other
// error is a 404 or 500. A nil error with a clean form reports false: the caller redirects.
func (h *Handler) formFailed(c *gin.Context, err error, form *Form, page string, data func(Page) any, titleKey string, titleArgs ...any) bool {
	var verr *models.ValidationError
	if errors.As(err, &verr) {
		form.Merge(verr.Problems)
	} else if err != nil {
		h.fail(c, err)
		return true
	}
	if form.Valid() {
		return false
	}
	p := h.page(c, h.tr(c).T(titleKey, titleArgs...), "beheer")
	p.Form = form
	h.render(c, http.StatusUnprocessableEntity, page, data(p))
	return true
}
