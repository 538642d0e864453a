package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// The audit log (/beheer/logboek, admins only): every organiser action, newest first, a page
// at a time, filtered by who, the kind of object, one object, the action and the dates, and
// exported as CSV. Nothing here edits or deletes an entry: there is no route that could.

// auditPerPage is how many entries one page of the log shows.
const auditPerPage = 50

var auditFilterFields = []string{"persoon:audit.actor", "soort:audit.kind", "object:audit.object", "actie:audit.action",
	"van:audit.from", "tot:audit.to"}

type auditLogData struct {
	audienceForm // for its Filter and DateFilter
	Rows         []auditRow
	Actors       []Option
	Kinds        []Option
	Actions      []Option
	// Newest, Newer and Older page through the log, keeping the filters; "" where there is
	// nothing to go to.
	Newest, Newer, Older string
	ExportURL            string
}

// auditRow is one entry as the page and the export show it.
type auditRow struct {
	Seq        int64
	At         time.Time
	Actor      string
	Address    string
	Action     string
	Object     string
	ObjectURL  string // the object's page, where it has one
	Changes    []string
	Reason     string
	Anonymised bool
	entry      models.AuditEntry
}

// auditRequest is the log's query, parsed: the filter and what was wrong with it.
type auditRequest struct {
	Filter   models.AuditFilter
	Query    url.Values // the filters, without the paging
	Problems models.Problems
	Loc      *time.Location
}

// parseAuditQuery reads the filters of the log's query string; dates are the event's days.
func (h *Handler) parseAuditQuery(c *gin.Context) (auditRequest, error) {
	q := c.Request.URL.Query()
	r := auditRequest{Query: url.Values{}, Problems: models.Problems{}, Loc: time.UTC}
	if e, err := h.organiserEvent(c); err == nil {
		r.Loc = e.Location()
	} else if !errors.Is(err, models.ErrNotFound) {
		return r, err
	}
	for _, f := range auditFilterFields {
		name, _, _ := strings.Cut(f, ":")
		if v := strings.TrimSpace(q.Get(name)); v != "" {
			r.Query.Set(name, v)
		}
	}
	f := &r.Filter
	var ok bool
	if v := r.Query.Get("persoon"); v != "" {
		if f.ActorKind, f.ActorID, ok = kindAndID(v, true); !ok {
			r.Problems.Add("persoon", "form.invalid_choice")
		}
	}
	f.SubjectKind, f.Action = r.Query.Get("soort"), r.Query.Get("actie")
	if v := r.Query.Get("object"); v != "" {
		kind, id, ok := kindAndID(v, false)
		switch {
		case !ok:
			r.Problems.Add("object", "audit.object_invalid")
		case f.SubjectKind != "" && f.SubjectKind != kind:
			r.Problems.Add("object", "audit.object_other_kind")
		default:
			f.SubjectKind, f.SubjectID = kind, id
		}
	}
	f.From = r.day("van", 0)
	f.To = r.day("tot", 1)
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		r.Problems.Add("tot", "audit.to_before_from")
	}
	f.Older, _ = strconv.ParseInt(q.Get("ouder"), 10, 64)
	f.Newer, _ = strconv.ParseInt(q.Get("nieuwer"), 10, 64)
	return r, nil
}

// day parses the date field name as the start of that day (plus days) in the event's zone.
func (r *auditRequest) day(name string, days int) time.Time {
	v := r.Query.Get(name)
	if v == "" {
		return time.Time{}
	}
	d, err := time.ParseInLocation(time.DateOnly, v, r.Loc)
	if err != nil {
		r.Problems.Add(name, "form.invalid_date")
		return time.Time{}
	}
	return d.AddDate(0, 0, days)
}

// kindAndID parses "kind:id"; the id may be 0 or missing only when zeroOK (the command line
// acts without an id).
func kindAndID(v string, zeroOK bool) (string, uint, bool) {
	kind, idText, _ := strings.Cut(v, ":")
	id, err := strconv.ParseUint(idText, 10, 32)
	if kind == "" || len(kind) > 30 || (err != nil && !(zeroOK && idText == "")) || (id == 0 && !zeroOK) {
		return "", 0, false
	}
	return kind, uint(id), true
}

func (h *Handler) showAuditLog(c *gin.Context) {
	ctx := c.Request.Context()
	r, err := h.parseAuditQuery(c)
	if err != nil {
		h.serverError(c, err)
		return
	}
	status := http.StatusOK
	var page models.AuditPage
	if len(r.Problems) > 0 {
		status = http.StatusUnprocessableEntity
	} else if page, err = h.store.AuditLog(ctx, r.Filter, auditPerPage); err != nil {
		h.serverError(c, err)
		return
	}
	p := h.page(c, h.tr(c).T("audit.title"), "beheer")
	p.Form = newForm(c.Request.URL.Query(), auditFilterFields...)
	p.Form.Problems = r.Problems
	d := auditLogData{audienceForm: audienceForm{Page: p}}
	if err := h.auditChoices(c, &d); err != nil {
		h.serverError(c, err)
		return
	}
	titles, err := h.store.SessionTitles(ctx, auditSessionIDs(page.Entries))
	if err != nil {
		h.serverError(c, err)
		return
	}
	view := auditView{Page: p, loc: r.Loc, titles: titles}
	for _, e := range page.Entries {
		d.Rows = append(d.Rows, h.auditRow(view, e))
	}
	link := func(param string, seq int64) string {
		v := url.Values{}
		for k, vals := range r.Query {
			v[k] = vals
		}
		if param != "" {
			v.Set(param, strconv.FormatInt(seq, 10))
		}
		if len(v) == 0 {
			return auditLogPath
		}
		return auditLogPath + "?" + v.Encode()
	}
	if n := len(page.Entries); n > 0 {
		if page.Newer {
			d.Newest, d.Newer = link("", 0), link("nieuwer", page.Entries[0].Seq)
		}
		if page.Older {
			d.Older = link("ouder", page.Entries[n-1].Seq)
		}
	}
	d.ExportURL = auditLogPath + "/export.csv"
	if len(r.Query) > 0 {
		d.ExportURL += "?" + r.Query.Encode()
	}
	h.render(c, status, "beheer/audit_log", d)
}

const auditLogPath = "/beheer/logboek"

// auditChoices fills the filter's drop-downs with who and what the log holds.
func (h *Handler) auditChoices(c *gin.Context, d *auditLogData) error {
	ctx := c.Request.Context()
	actors, err := h.store.AuditActors(ctx)
	if err != nil {
		return err
	}
	kinds, actions, err := h.store.AuditKinds(ctx)
	if err != nil {
		return err
	}
	d.Actors = []Option{{Value: "", Label: d.T("audit.anyone")}}
	for _, a := range actors {
		d.Actors = append(d.Actors, Option{Value: a.Kind + ":" + strconv.Itoa(int(a.ID)), Label: d.actorLabel(a.Kind, a.Name)})
	}
	d.Kinds = []Option{{Value: "", Label: d.T("audit.any_kind")}}
	for _, k := range kinds {
		d.Kinds = append(d.Kinds, Option{Value: k, Label: d.labelOr(k, "audit.kind."+k)})
	}
	d.Actions = []Option{{Value: "", Label: d.T("audit.any_action")}}
	for _, a := range actions {
		d.Actions = append(d.Actions, Option{Value: a, Label: d.labelOr(a, "audit.do."+a, "person.audit."+a)})
	}
	return nil
}

// labelOr translates the first of keys the catalogue has, or gives fallback (the data's own
// word) when it has none: the log holds actions and kinds of every part of Dagplanner.
func (p Page) labelOr(fallback string, keys ...string) string {
	for _, key := range keys {
		if p.tr.Has(key) {
			return p.T(key)
		}
	}
	return fallback
}

// actorLabel names an actor: the account's address, or what kind of actor it is.
func (p Page) actorLabel(kind, name string) string {
	k := p.labelOr(kind, "audit.actor_kind."+kind)
	switch {
	case kind == models.ActorUser && name != "":
		return name
	case name == "":
		return k
	default:
		return name + " (" + k + ")"
	}
}
