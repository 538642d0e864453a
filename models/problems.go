package models

import (
	"net/mail"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Problem is one thing wrong with a field, as a message key and its template arguments
// (alternating names and values), so that the person sees it in their own language.
type Problem struct {
	Key  string
	Args []any
}

// Problems maps a form field to what is wrong with it. An empty Problems means valid.
type Problems map[string]Problem

// Add records a problem for field unless the field already has one: the first problem is
// the one to fix first.
func (p Problems) Add(field, key string, args ...any) {
	if _, ok := p[field]; !ok {
		p[field] = Problem{Key: key, Args: args}
	}
}

// Fields lists the fields with problems, sorted, for stable output.
func (p Problems) Fields() []string {
	fields := make([]string, 0, len(p))
	for f := range p {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	return fields
}

// ValidationError carries the problems that stopped a write; nothing was written.
type ValidationError struct {
	Problems Problems
}

func (e *ValidationError) Error() string {
	return "invalid input: " + strings.Join(e.Problems.Fields(), ", ")
}

// invalid returns nil when p is empty and a *ValidationError otherwise.
func invalid(p Problems) error {
	if len(p) == 0 {
		return nil
	}
	return &ValidationError{Problems: p}
}

// checkText validates a free-text field: required or not, at most max characters, and no
// control characters other than newlines and tabs.
func (p Problems) checkText(field, value string, required bool, max int) {
	switch {
	case required && strings.TrimSpace(value) == "":
		p.Add(field, "form.required")
	case utf8.RuneCountInString(value) > max:
		p.Add(field, "form.too_long", "Max", max)
	case !utf8.ValidString(value) || strings.ContainsFunc(value, isForbiddenControl):
		p.Add(field, "form.control_chars")
	}
}

func isForbiddenControl(r rune) bool {
	return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t'
}

// checkLine validates a single-line text: like checkText, but newlines are refused too.
func (p Problems) checkLine(field, value string, required bool, max int) {
	p.checkText(field, value, required, max)
	if strings.ContainsAny(value, "\r\n\t") {
		p.Add(field, "form.control_chars")
	}
}

// checkCount validates a whole number that must lie in [1, max].
func (p Problems) checkCount(field string, value, max int) {
	switch {
	case value < 1:
		p.Add(field, "form.not_positive")
	case value > max:
		p.Add(field, "form.too_large", "Max", max)
	}
}

// checkEmail validates an e-mail address of the plain local@domain form.
func (p Problems) checkEmail(field, value string, required bool) {
	value = strings.TrimSpace(value)
	if value == "" {
		if required {
			p.Add(field, "form.required")
		}
		return
	}
	addr, err := mail.ParseAddress(value)
	if err != nil || addr.Address != value || !strings.Contains(value[strings.LastIndex(value, "@")+1:], ".") || len(value) > 254 {
		p.Add(field, "form.invalid_email")
	}
}

// NormalizeEmail trims and lower-cases an address so that one person has one key.
func NormalizeEmail(email string) string {
	return strings.ToLower(strings.TrimSpace(email))
}

// EmailProblem reports what is wrong with a required e-mail address, if anything.
func EmailProblem(email string) (Problem, bool) {
	p := Problems{}
	p.checkEmail("email", email, true)
	pr, bad := p["email"]
	return pr, bad
}
