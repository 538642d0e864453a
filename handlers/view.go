package handlers

import (
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
)

// Page is what every template gets: the language, the signed-in user, the flash message and
// the helpers templates call to translate and format.
type Page struct {
	Lang      locale.Lang
	Title     string
	Section   string // which navigation item is current
	Path      string
	EventName string
	// Contact is the organisers' contact address, for the footer; empty when none is set.
	Contact   string
	Flash     string
	User      *models.User
	Form      *Form
	RequestID string
	// Shell is the organiser area's navigation around the page; nil outside that area.
	Shell *Shell
	home  string
	tr    *locale.Translator
}

// OrganiserHome is where the header's link to the organiser area leads: the first page of the
// area the signed-in account may use (the proposals for a reviewer, the scan page for door
// staff), or the area itself for someone not signed in.
func (p Page) OrganiserHome() string {
	if p.home == "" {
		return shellRoot
	}
	return p.home
}

// HeadTitle is the page's <title>: the page, then the event ("Programma Zwolle — Dag van de
// Ambtenaar 2.0 2027"), so a tab, a bookmark and a screen reader name both. A page without a
// title of its own (the home page) is named after the event alone.
func (p Page) HeadTitle() string {
	site := p.EventName
	if site == "" {
		site = p.T("site.name")
	}
	if p.Title == "" || p.Title == site {
		return site
	}
	return p.Title + " — " + site
}

// T translates a message key; args alternate names and values.
func (p Page) T(key string, args ...any) string { return p.tr.T(key, args...) }

// Date formats a day in the person's language ("woensdag 3 februari 2027").
func (p Page) Date(t time.Time) string { return p.tr.Date(t) }

// DateTime formats a day and time ("woensdag 3 februari 2027, 10:30"); it takes a time or a
// pointer to one, and gives "" for nil.
func (p Page) DateTime(t any) string {
	switch v := t.(type) {
	case time.Time:
		return p.tr.DateTime(v)
	case *time.Time:
		if v != nil {
			return p.tr.DateTime(*v)
		}
	}
	return ""
}

// ShortDateTime formats a day and time compactly for a table cell ("3 feb 2027 10:30").
func (p Page) ShortDateTime(t time.Time) string { return p.tr.ShortDateTime(t) }

// Time formats a clock time ("10:30").
func (p Page) Time(t time.Time) string { return p.tr.Time(t) }

// TimeRange formats a span ("10:30–11:30").
func (p Page) TimeRange(a, b time.Time) string { return p.tr.TimeRange(a, b) }

// Zone is the time zone the page shows dates and times in: the event's.
func (p Page) Zone() *time.Location { return p.tr.Zone() }

// TextLang is the language event content is shown in on this page, given its English version
// en: "en", or "nl" for the Dutch an English page falls back to; templates put it in a lang
// attribute.
func (p Page) TextLang(en string) string { return models.LangShown(string(p.Lang), en) }

// Format names a session format in the person's language.
func (p Page) Format(f string) string { return p.tr.T("format." + f) }

// venueName is v's name in the request's language (see Page.VenueName).
func (h *Handler) venueName(c *gin.Context, v models.Venue) string {
	return v.NameIn(string(h.tr(c).Lang()))
}

// VenueName is v's name in the page's language: organisers' pages name a venue as the public
// site does in that language (the venue form edits both names).
func (p Page) VenueName(v models.Venue) string { return v.NameIn(string(p.Lang)) }

// SeatsText says how many seats are left, with the right plural.
func (p Page) SeatsText(n int) string { return p.tr.T("venue.seats_left", "Count", n) }

// Field describes one form field for the "field" partial.
func (p Page) Field(name, labelKey, kind string, opts ...string) FieldView {
	f := FieldView{ID: "veld-" + name, Name: name, Label: p.T(labelKey), Kind: kind}
	for _, o := range opts {
		switch {
		case o == "required":
			f.Required = true
		case strings.HasPrefix(o, "hint:"):
			f.Hint = p.T(strings.TrimPrefix(o, "hint:"))
		case strings.HasPrefix(o, "autocomplete:"):
			f.Autocomplete = strings.TrimPrefix(o, "autocomplete:")
		case strings.HasPrefix(o, "lang:"):
			f.InputLang = strings.TrimPrefix(o, "lang:")
		}
	}
	if !f.Required && kind != "checkbox" {
		f.Optional = p.T("form.optional")
	}
	if p.Form != nil {
		f.Value = p.Form.Values.Get(name)
		if pr, ok := p.Form.Problems[name]; ok {
			f.Error = p.T(pr.Key, pr.Args...)
		}
	}
	return f
}

// Select describes a drop-down field; options are value/label pairs.
func (p Page) Select(name, labelKey string, options []Option, opts ...string) FieldView {
	f := p.Field(name, labelKey, "select", opts...)
	for _, o := range options {
		o.Selected = o.Value == f.Value
		f.Options = append(f.Options, o)
	}
	return f
}

// Need names a proposal's need: a tick-box need in the person's language, free text as typed.
func (p Page) Need(n string) string {
	if slices.Contains(models.ProposalNeeds, n) {
		return p.tr.T("proposal.need." + n)
	}
	return n
}

// Checked reports whether a field with several values (check boxes) holds value.
func (p Page) Checked(name, value string) bool {
	return p.Form != nil && contains(p.Form.Values[name], value)
}

// ErrorList lists the form's problems as links to their fields, in form order.
func (p Page) ErrorList() []FieldView {
	if p.Form == nil {
		return nil
	}
	var out []FieldView
	entry := func(name string) FieldView {
		pr := p.Form.Problems[name]
		f := FieldView{ID: "veld-" + name, Error: p.T(pr.Key, pr.Args...)}
		if key, ok := p.Form.Labels[name]; ok {
			f.Label = p.T(key)
		} else if label, ok := p.Form.Named[name]; ok {
			f.Label = label
		}
		return f
	}
	for _, name := range p.Form.Order {
		if _, ok := p.Form.Problems[name]; ok {
			out = append(out, entry(name))
		}
	}
	for _, name := range p.Form.Problems.Fields() {
		if !contains(p.Form.Order, name) {
			out = append(out, entry(name))
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// FieldView is one rendered form field.
type FieldView struct {
	ID, Name, Label, Kind, Value, Hint, Error, Autocomplete string
	Optional                                                string // "(niet verplicht)" after the label
	// InputLang is the language of what is typed, when it is not the page's: the English
	// version of a text, so that spelling checks and screen readers take it as English.
	InputLang string
	Required  bool
	Options   []Option
}

// DescribedBy lists the ids of the hint and error, for aria-describedby.
func (f FieldView) DescribedBy() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.ID+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.ID+"-error")
	}
	return strings.Join(ids, " ")
}

// Option is one choice in a drop-down.
type Option struct {
	Value, Label string
	Selected     bool
}

// page starts a Page for the request.
func (h *Handler) page(c *gin.Context, title, section string) Page {
	tr := h.tr(c)
	p := Page{Lang: tr.Lang(), Title: title, Section: section, Path: c.Request.URL.Path, tr: tr, RequestID: c.GetString(ctxRequestID)}
	var e models.Event
	var err error
	if section == "beheer" {
		e, err = h.organiserEvent(c) // the edition the organiser works on
	} else {
		e, err = h.store.CurrentEvent(c.Request.Context())
	}
	if err == nil {
		p.EventName = e.Name
		p.Contact = e.ContactEmail
		p.tr = tr.In(e.Location()) // dates and times in the event's time zone
	}
	if u, ok := h.currentUser(c); ok {
		p.User = &u
		p.home = h.organiserHome(u)
		if section == "beheer" {
			var venues []models.Venue
			if perVenue(c) && e.ID != 0 {
				// Without the venues the page goes without its switch, not without its content.
				if venues, err = h.store.Venues(c.Request.Context(), e.ID); err != nil {
					h.log.Warn("venue switch", "id", p.RequestID, "err", err)
				}
			}
			p.Shell = h.shell(c, u, e.SignupMode, venues)
			p.Shell.Edition, p.Shell.Editions = e, h.editionSwitch(c, p, u, e)
		}
	}
	p.Flash = h.popFlash(c)
	return p
}
