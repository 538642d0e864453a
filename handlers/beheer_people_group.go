package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// exportGroup is the export of a group other than attendees: one row per person.
const exportGroup = "groep"

func init() {
	exportColumns[exportGroup] = []exportColumn{{"name", 28}, {"email", 32}, {"organisation", 28}, {"group", 16}, {"proposals", 60}}
}

// listGroup is the list of people for a group other than attendees: speakers, co-speakers
// and reviewers by name, voters as a number only (they are kept without names). It selects
// with the same audience as the group's export and a message to it.
func (h *Handler) listGroup(c *gin.Context, r audienceRequest) {
	list, err := h.store.Recipients(c.Request.Context(), r.Audience, r.Page, peoplePerPage)
	var verr *models.ValidationError
	if errors.As(err, &verr) { // what the parser lets through, the store still checks
		for f, pr := range verr.Problems {
			r.Problems.Add(audienceProblemParam(f), pr.Key, pr.Args...)
		}
		list, err = models.RecipientPage{People: []models.Recipient{}}, nil
	}
	if err != nil {
		h.serverError(c, err)
		return
	}
	p := h.page(c, h.tr(c).T("people.title"), "beheer")
	query := c.Request.URL.Query()
	p.Form = newForm(query, peopleFilterFields...)
	p.Form.Problems = r.Problems
	d := peopleListData{audienceForm: audienceForm{Page: p}, Total: list.Total, PageNo: r.Page, Group: r.Audience.Group(),
		Recipients: list.People}
	d.choices(r, h.actingUser(c))
	d.paginate(query, list.Total)
	export := url.Values{}
	for k, v := range query {
		if k != "pagina" && k != "sorteer" {
			export[k] = v
		}
	}
	d.Query = export.Encode()
	h.render(c, http.StatusOK, "beheer/people_group", d)
}

// audienceProblemParam names the page parameter of an audience's problem, as the store
// names it.
func audienceProblemParam(field string) string {
	if p, ok := map[string]string{"kind": "groep", "venue": "locatie", "session": "sessie", "status": "status", "q": "q",
		"from": "van", "to": "tot", "needs": "behoeften", "proposal_status": "voorstel"}[field]; ok {
		return p
	}
	return field
}

// writeGroupExport writes the rows of a group's export, by name as the list shows them.
func (h *Handler) writeGroupExport(c *gin.Context, w sheetWriter, r audienceRequest) error {
	tr := h.tr(c)
	var names []string
	for _, col := range exportColumns[exportGroup] {
		names = append(names, tr.T("people.col."+col.Key))
	}
	if err := w.Header(names); err != nil {
		return err
	}
	all, err := h.store.Recipients(c.Request.Context(), r.Audience, 1, 1<<30)
	if err != nil {
		return err
	}
	group := tr.T("audience.group." + paramOf(groupParams, r.Audience.Group()))
	for _, p := range all.People {
		if err := w.Row([]any{p.Name, p.Email, p.Organisation, group, strings.Join(p.Proposals, "; ")}); err != nil {
			return err
		}
	}
	return w.Close()
}
