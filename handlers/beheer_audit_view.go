package handlers

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// auditObjectPages are the pages of the kinds of object that have one: the route (to check
// it exists) and its path with the object's id.
var auditObjectPages = map[string]struct{ route, path string }{
	models.SubjectRegistration: {"/beheer/deelnemers/:id", "/beheer/deelnemers/%d"},
	models.SubjectMessage:      {"/beheer/berichten/:message", "/beheer/berichten/%d"},
	"session":                  {"/beheer/sessies/:session", "/beheer/sessies/%d"},
	"venue":                    {"/beheer/locaties/:venue", "/beheer/locaties/%d"},
	"room":                     {"/beheer/zalen/:room", "/beheer/zalen/%d"},
	"slot":                     {"/beheer/tijdvakken/:slot", "/beheer/tijdvakken/%d"},
	"proposal":                 {"/beheer/voorstellen/:proposal", "/beheer/voorstellen/%d"},
	"event":                    {"/beheer/evenement", "/beheer/evenement"},
}

// objectURL is the page of an object, or "" when its kind has none.
func (h *Handler) objectURL(kind string, id uint) string {
	pg, ok := auditObjectPages[kind]
	if !ok || !h.getRoutes[pg.route] || (id == 0 && strings.Contains(pg.path, "%d")) {
		return ""
	}
	if !strings.Contains(pg.path, "%d") {
		return pg.path
	}
	return fmt.Sprintf(pg.path, id)
}

// auditHistoryURL is the log filtered to one object: what each object's page links to.
func auditHistoryURL(kind string, id uint) string {
	return auditLogPath + "?" + url.Values{"object": {kind + ":" + strconv.Itoa(int(id))}}.Encode()
}

// HistoryLink is the link from an object's page to its history in the log.
type HistoryLink struct{ URL, Label string }

// History is the link to the history of the object kind:id, for an admin (who alone may read
// the log); empty for anyone else. Pages show it with {{template "history_link" (.History
// "session" .Session.ID)}}.
func (p Page) History(kind string, id uint) HistoryLink {
	if p.User == nil || p.User.Role != models.RoleAdmin || id == 0 {
		return HistoryLink{}
	}
	return HistoryLink{URL: auditHistoryURL(kind, id), Label: p.T("audit.history")}
}

// auditView is what describing entries needs: the reader's page, the event's time zone and
// the titles of the sessions the entries name.
type auditView struct {
	Page
	loc    *time.Location
	titles map[uint]string
}

// sessionKeys are the details that hold a session's id, or a list of them.
var sessionKeys = []string{"session", "sessions", "added", "removed", "waitlist"}

// auditSessionIDs lists the sessions the entries' details name.
func auditSessionIDs(entries []models.AuditEntry) []uint {
	ids := []uint{}
	for _, e := range entries {
		det := e.DetailMap()
		for _, k := range sessionKeys {
			vals, ok := det[k].([]any)
			if !ok {
				vals = []any{det[k]}
			}
			for _, v := range vals {
				if n, ok := v.(float64); ok && n > 0 {
					ids = append(ids, uint(n))
				}
			}
		}
	}
	return ids
}

// auditRow describes an entry in the reader's language.
func (h *Handler) auditRow(v auditView, e models.AuditEntry) auditRow {
	p, loc := v.Page, v.loc
	row := auditRow{Seq: e.Seq, At: e.At.In(loc), Address: e.ClientAddress, Reason: e.Reason, Anonymised: e.Anonymised(),
		Action: p.labelOr(e.Action, "audit.do."+e.Action, "person.audit."+e.Action), entry: e}
	row.Actor = p.actorLabel(e.ActorKind, e.ActorName)
	if row.Anonymised {
		row.Actor = p.T("audit.anonymised")
	}
	row.Object = p.labelOr(e.SubjectKind, "audit.kind."+e.SubjectKind)
	if e.SubjectID != 0 {
		row.Object += " #" + strconv.Itoa(int(e.SubjectID))
	}
	row.ObjectURL = h.objectURL(e.SubjectKind, e.SubjectID)
	det := e.DetailMap()
	for _, k := range sessionKeys {
		if val, ok := det[k]; ok {
			det[k] = v.sessionTitles(val)
		}
	}
	row.Changes = p.auditChanges(det)
	return row
}

// sessionTitles replaces session ids (one or a list) by the sessions' titles.
func (v auditView) sessionTitles(val any) any {
	switch x := val.(type) {
	case float64:
		if t, ok := v.titles[uint(x)]; ok {
			return t
		}
	case []any:
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = v.sessionTitles(item)
		}
		return out
	}
	return val
}

// auditChanges describes the details: each edited field as "field: before → after" (or
// just its name when its values are not kept), then the other details as "name: value".
func (p Page) auditChanges(det map[string]any) []string {
	var out []string
	old, _ := det["old"].(map[string]any)
	now, _ := det["new"].(map[string]any)
	var fields []string
	if list, ok := det["fields"].([]any); ok {
		for _, f := range list {
			fields = append(fields, fmt.Sprint(f))
		}
	}
	var extra []string // fields with values but not listed: in order of name
	for _, m := range []map[string]any{old, now} {
		for f := range m {
			if !slices.Contains(fields, f) && !slices.Contains(extra, f) {
				extra = append(extra, f)
			}
		}
	}
	slices.Sort(extra)
	fields = append(fields, extra...)
	for _, f := range fields {
		label := p.labelOr(f, "audit.field."+f, "register."+f)
		a, hadOld := old[f]
		b, hasNew := now[f]
		switch {
		case hadOld || hasNew:
			out = append(out, label+": "+p.auditValue(a)+" → "+p.auditValue(b))
		default:
			out = append(out, p.T("audit.changed", "Field", label))
		}
	}
	var rest []string
	for k := range det {
		if k != "fields" && k != "old" && k != "new" {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	for _, k := range rest {
		out = append(out, p.labelOr(k, "audit.field."+k, "register."+k)+": "+p.auditValue(det[k]))
	}
	return out
}

// auditValue shows one value of the details: "–" for none, yes or no, a list joined.
func (p Page) auditValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "–"
	case string:
		if x == "" {
			return "–"
		}
		return x
	case bool:
		if x {
			return p.T("audit.yes")
		}
		return p.T("audit.no")
	case []any:
		if len(x) == 0 {
			return "–"
		}
		parts := make([]string, len(x))
		for i, item := range x {
			parts[i] = p.auditValue(item)
		}
		return strings.Join(parts, ", ")
	case map[string]any:
		b, _ := json.Marshal(x)
		return string(b)
	default:
		return fmt.Sprint(x)
	}
}

// exportAuditCSV streams the entries the filters select as CSV, newest first. The export is
// itself written into the log before the first row.
func (h *Handler) exportAuditCSV(c *gin.Context) {
	ctx := c.Request.Context()
	r, err := h.parseAuditQuery(c)
	if err != nil {
		h.serverError(c, err)
		return
	}
	if len(r.Problems) > 0 {
		c.Redirect(http.StatusSeeOther, auditLogPath+"?"+r.Query.Encode())
		return
	}
	r.Filter.Older, r.Filter.Newer = 0, 0
	if err := h.store.RecordAuditExport(ctx, r.Query.Encode(), "csv"); err != nil {
		h.serverError(c, err)
		return
	}
	tr := h.tr(c)
	titles, err := h.store.SessionTitles(ctx, nil)
	if err != nil {
		h.serverError(c, err)
		return
	}
	v := auditView{Page: Page{Lang: tr.Lang(), tr: tr}, loc: r.Loc, titles: titles}
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", fmt.Sprintf("attachment; filename=%q", "logboek-"+time.Now().In(r.Loc).Format("2006-01-02")+".csv"))
	c.Status(http.StatusOK)
	w := newCSVSheet(c.Writer, ';', r.Loc)
	var names []string
	for _, col := range []string{"seq", "at", "actor", "address", "action", "object", "changes", "reason", "details", "hash"} {
		names = append(names, v.T("audit.col."+col))
	}
	err = w.Header(names)
	if err == nil {
		err = h.store.EachAuditEntry(ctx, r.Filter, func(e models.AuditEntry) error {
			row := h.auditRow(v, e)
			details, _ := json.Marshal(e.DetailMap())
			return w.Row([]any{strconv.FormatInt(e.Seq, 10), row.At.Format("2006-01-02 15:04:05"), row.Actor, row.Address,
				row.Action, row.Object, strings.Join(row.Changes, "; "), row.Reason, string(details), e.Hash})
		})
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		// The headers are sent: all that is left is to log it and cut the file short.
		h.log.Error("export audit log", "id", c.GetString(ctxRequestID), "err", err)
		c.Abort()
	}
}
