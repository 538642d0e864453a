package handlers

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// peoplePerPage is how many people one page of the list shows.
const peoplePerPage = 50

var peopleFilterFields = append(slices.Clone(audienceFields), "sorteer:people.sort", "pagina:people.page")

type peopleListData struct {
	audienceForm
	People     []personRow
	Total      int
	PageNo     int
	Pages      int
	PageLinks  []pageLink
	Prev, Next string // links to the pages before and after, "" at either end
	Columns    map[string]sortColumn
	Sorts      []Option
	Query      string // the filters as a query string, for the export links
	Code       bool   // the search was a ticket code
	// Group is the group listed when it is not attendees: speakers, co-speakers, reviewers
	// or voters (a count only: they have no names); Recipients are its people on this page.
	Group      string
	Recipients []models.Recipient
}

// ExportKinds are the kinds of export the page links to (the "soort" parameter): for a
// group other than attendees, its one list.
func (d peopleListData) ExportKinds() []string {
	if d.Group != "" {
		return exportKinds[:1]
	}
	return exportKinds
}

// MessageURL opens the compose form of a message to the people the list shows.
func (d peopleListData) MessageURL() template.URL {
	v, _ := url.ParseQuery(d.Query)
	v.Del("sorteer")
	if len(v) == 0 {
		return "/beheer/berichten/nieuw"
	}
	return template.URL("/beheer/berichten/nieuw?" + v.Encode())
}

// ExportURL is the address of an export of the list as filtered: kind and format (csv, xlsx).
func (d peopleListData) ExportURL(kind, format string) template.URL {
	v, _ := url.ParseQuery(d.Query)
	if kind != exportRegistrations {
		v.Set("soort", kind)
	} else {
		v.Del("soort")
	}
	u := "/beheer/deelnemers/export." + format
	if len(v) > 0 {
		u += "?" + v.Encode()
	}
	return template.URL(u)
}

// personRow is one person as the list shows them.
type personRow struct {
	models.Person
	State string // confirmed, waitlisted or cancelled: see personState
}

// pageLink is one link of the pagination.
type pageLink struct {
	Number  int
	URL     string
	Current bool
}

// personState is how a person stands, in the API's words: cancelled, waitlisted when they
// only wait (no seat anywhere), confirmed otherwise.
func personState(p models.Person) string {
	switch {
	case p.Status == models.RegistrationCancelled:
		return models.StatusCancelled
	case p.Seats == 0 && p.Waiting > 0:
		return models.StatusWaitlisted
	default:
		return models.StatusConfirmed
	}
}

func (h *Handler) listPeople(c *gin.Context) {
	ctx := c.Request.Context()
	r, err := h.parseAudience(c, pageAudienceParams)
	if err != nil {
		h.fail(c, err)
		return
	}
	if !r.Audience.Attendees() {
		h.listGroup(c, r)
		return
	}
	list, err := h.store.People(ctx, r.Audience, r.Sort, r.Page, peoplePerPage)
	var verr *models.ValidationError
	if errors.As(err, &verr) { // what the parser lets through, the store still checks
		for f, pr := range verr.Problems {
			r.Problems.Add(map[string]string{"to": "tot", "q": "q", "status": "status", "org_type": "organisatietype"}[f], pr.Key, pr.Args...)
		}
		list, err = h.store.People(ctx, models.Audience{Scope: r.Audience.Scope, IDs: []uint{}}, r.Sort, 1, peoplePerPage)
	}
	if err != nil {
		h.serverError(c, err)
		return
	}
	p := h.page(c, h.tr(c).T("people.title"), "beheer")
	query := c.Request.URL.Query()
	p.Form = newForm(query, peopleFilterFields...)
	p.Form.Problems = r.Problems
	d := peopleListData{audienceForm: audienceForm{Page: p}, Total: list.Total, PageNo: r.Page, Code: r.Code}
	for _, person := range list.People {
		d.People = append(d.People, personRow{Person: person, State: personState(person)})
	}
	d.choices(r, h.actingUser(c))
	d.Sorts = nil
	for _, s := range []string{"naam", "nieuwste", "oudste", "organisatie"} {
		d.Sorts = append(d.Sorts, Option{Value: s, Label: d.T("people.sort." + s)})
	}
	d.paginate(query, list.Total)
	d.Columns = peopleSortColumns(query, r.Sort)
	export := url.Values{}
	for k, v := range query {
		if k != "pagina" {
			export[k] = v
		}
	}
	d.Query = export.Encode()
	h.render(c, http.StatusOK, "beheer/people", d)
}

// paginate makes the page links, keeping the filters; a few pages either side of this one.
func (d *peopleListData) paginate(q url.Values, total int) {
	d.Pages = max(1, (total+peoplePerPage-1)/peoplePerPage)
	link := func(n int) string {
		v := url.Values{}
		for k, vals := range q {
			v[k] = vals
		}
		v.Del("pagina")
		if n > 1 {
			v.Set("pagina", strconv.Itoa(n))
		}
		if len(v) == 0 {
			return "/beheer/deelnemers"
		}
		return "/beheer/deelnemers?" + v.Encode()
	}
	if d.PageNo > 1 {
		d.Prev = link(min(d.PageNo-1, d.Pages))
	}
	if d.PageNo < d.Pages {
		d.Next = link(d.PageNo + 1)
	}
	for n := 1; n <= d.Pages; n++ {
		if n == 1 || n == d.Pages || (n >= d.PageNo-2 && n <= d.PageNo+2) {
			d.PageLinks = append(d.PageLinks, pageLink{Number: n, URL: link(n), Current: n == d.PageNo})
		}
	}
}

// peopleSortColumns gives the sortable headers their links: name, organisation, and the
// registration time (newest first, then oldest first).
func peopleSortColumns(q url.Values, current string) map[string]sortColumn {
	cols := map[string]sortColumn{}
	link := func(sort string) string {
		v := url.Values{}
		for k, vals := range q {
			v[k] = vals
		}
		v.Del("pagina")
		v.Set("sorteer", sort)
		return "/beheer/deelnemers?" + v.Encode()
	}
	if current == "" {
		current = models.SortName
	}
	cols["naam"] = sortColumn{URL: link("naam")}
	cols["organisatie"] = sortColumn{URL: link("organisatie")}
	cols["aangemeld"] = sortColumn{URL: link("nieuwste")}
	switch current {
	case models.SortName:
		cols["naam"] = sortColumn{URL: link("naam"), AriaSort: "ascending"}
	case models.SortOrganisation:
		cols["organisatie"] = sortColumn{URL: link("organisatie"), AriaSort: "ascending"}
	case models.SortNewest:
		cols["aangemeld"] = sortColumn{URL: link("oudste"), AriaSort: "descending"}
	case models.SortOldest:
		cols["aangemeld"] = sortColumn{URL: link("nieuwste"), AriaSort: "ascending"}
	}
	return cols
}
