package handlers

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/tickets"
)

// audienceParams names a request's query parameters for an audience: Dutch on the pages
// and the export URLs, English on the API, with the status and sort values each spells.
type audienceParams struct {
	Query, Venue, Session, Status, From, To, Needs, Sort, Page string
	Statuses, Sorts                                            map[string]string
	// Group and Proposal name the group (speakers, say) and the proposals' state; "" where
	// a request cannot ask for them (the API lists registrations only).
	Group, Proposal   string
	Groups, Proposals map[string]string
	// OrgType names the organisation type's parameter ("" where it is not offered), and
	// OrgTypes its values.
	OrgType  string
	OrgTypes map[string]string
	// Mail names the e-mail state's parameter ("" where it is not offered), and MailStates
	// its values.
	Mail       string
	MailStates map[string]string
}

// pageAudienceParams are the list page's and the exports' parameters.
var pageAudienceParams = audienceParams{
	Query: "q", Venue: "locatie", Session: "sessie", Status: "status", From: "van", To: "tot",
	Needs: "behoeften", Sort: "sorteer", Page: "pagina",
	Statuses: map[string]string{"bevestigd": models.StatusConfirmed, "wachtlijst": models.StatusWaitlisted,
		"geannuleerd": models.StatusCancelled, "binnen": models.StatusCheckedIn, "niet-binnen": models.StatusNotArrived},
	Sorts: map[string]string{"naam": models.SortName, "nieuwste": models.SortNewest, "oudste": models.SortOldest,
		"organisatie": models.SortOrganisation},
	Group: "groep", Proposal: "voorstel", Groups: groupParams, Proposals: proposalStatusParams,
	OrgType: "organisatietype",
	OrgTypes: map[string]string{"rijk": models.OrgRijk, "provincie": models.OrgProvincie, "gemeente": models.OrgGemeente,
		"waterschap": models.OrgWaterschap, "anders": models.OrgOther},
	Mail: "email", MailStates: mailStateParams,
}

// mailStateValues and mailStateParams are the Dutch values of the e-mail state parameter, in
// the order pages offer them.
var (
	mailStateValues = []string{"wachtend", "mislukt"}
	mailStateParams = map[string]string{"wachtend": models.MailStatePending, "mislukt": models.MailStateFailed}
)

// orgTypeParam is the people list's value for an organisation type ("anders" for other).
func orgTypeParam(kind string) string { return paramOf(pageAudienceParams.OrgTypes, kind) }

// groupParams and proposalStatusParams are the Dutch values of the group and proposal-state
// parameters, in the order pages offer them (see groupValues and proposalStatusValues).
var (
	groupValues = []string{"deelnemers", "sprekers", "medesprekers", "beoordelaars", "stemmers"}
	groupParams = map[string]string{"deelnemers": models.AudienceAttendees, "sprekers": models.AudienceSpeakers,
		"medesprekers": models.AudienceCoSpeakers, "beoordelaars": models.AudienceReviewers, "stemmers": models.AudienceVoters}
	proposalStatusValues = []string{"ingediend", "aanvaard", "reserve", "afgewezen", "bevestigd", "afgezegd", "ingetrokken"}
	proposalStatusParams = map[string]string{"ingediend": models.ProposalSubmitted, "aanvaard": models.ProposalAccepted,
		"reserve": models.ProposalReserve, "afgewezen": models.ProposalRejected, "bevestigd": models.ProposalConfirmed,
		"afgezegd": models.ProposalDeclined, "ingetrokken": models.ProposalWithdrawn}
)

// paramOf returns the parameter value that stands for a model value in one of those maps.
func paramOf(params map[string]string, value string) string {
	for k, v := range params {
		if v == value {
			return k
		}
	}
	return ""
}

// apiAudienceParams are GET /api/v1/registrations' parameters.
var apiAudienceParams = audienceParams{
	Query: "q", Venue: "venue", Session: "session", Status: "status", From: "registered_from", To: "registered_to",
	Needs: "has_needs",
	Statuses: map[string]string{models.StatusConfirmed: models.StatusConfirmed, models.StatusWaitlisted: models.StatusWaitlisted,
		models.StatusCancelled: models.StatusCancelled, models.StatusCheckedIn: models.StatusCheckedIn, models.StatusNotArrived: models.StatusNotArrived},
}

// audienceRequest is what a request asks for: whom (the account's scope always applied),
// in which order and which page, and what was wrong with the query, by parameter name.
type audienceRequest struct {
	Audience models.Audience
	Sort     string // a models.Sort* value, "" for the default (by name)
	Page     int    // from 1
	Event    models.Event
	Venues   []models.Venue         // the venues the account manages, for choices and names
	Sessions []models.SessionChoice // the sessions at those venues
	Venue    *models.Venue          // the venue asked for, if any
	Problems models.Problems
	// Forbidden is set when the query names a venue or session outside the account's scope.
	Forbidden bool
	// Code is set when the search was a ticket code that named a registration.
	Code bool
}

// parseAudience reads a request's query into an audience, with the scope of the account the
// request acts as. Bad values are reported in Problems (keyed by parameter) and left out of
// the audience, so a page can say what is wrong next to what was typed and still show a list.
func (h *Handler) parseAudience(c *gin.Context, names audienceParams) (audienceRequest, error) {
	return h.parseAudienceFrom(c, c.Request.URL.Query(), names)
}

// parseAudienceFrom is parseAudience for values from elsewhere: a posted form.
func (h *Handler) parseAudienceFrom(c *gin.Context, q url.Values, names audienceParams) (audienceRequest, error) {
	ctx := c.Request.Context()
	u := h.actingUser(c)
	r := audienceRequest{Page: 1, Problems: models.Problems{}}
	r.Audience.Scope = venueScope(u)
	event, err := h.organiserEvent(c)
	if err != nil {
		return r, err
	}
	r.Event = event
	r.Audience.EventID = event.ID // the edition's people only
	venues, err := h.store.Venues(ctx, event.ID)
	if err != nil {
		return r, err
	}
	for _, v := range venues {
		if u.CanManageVenue(v.ID) {
			r.Venues = append(r.Venues, v)
		}
	}
	sessions, err := h.store.SessionChoices(ctx, event.ID)
	if err != nil {
		return r, err
	}
	for _, s := range sessions {
		if canChooseSession(u, s) {
			r.Sessions = append(r.Sessions, s)
		}
	}
	r.parseGroup(u, q, names)
	if slug := strings.TrimSpace(q.Get(names.Venue)); slug != "" {
		r.parseVenue(u, venues, names.Venue, slug)
	}
	if v := strings.TrimSpace(q.Get(names.Session)); v != "" {
		r.parseSession(u, sessions, names.Session, v)
	}
	if v := strings.TrimSpace(q.Get(names.Status)); v != "" {
		if status, ok := names.Statuses[v]; ok {
			r.Audience.Status = status
		} else {
			r.Problems.Add(names.Status, "form.invalid_choice")
		}
	}
	loc := event.Location()
	r.Audience.From = r.parseDay(q, names.From, loc, 0)
	r.Audience.To = r.parseDay(q, names.To, loc, 1) // up to and including that day
	if r.Audience.From != nil && r.Audience.To != nil && !r.Audience.From.Before(*r.Audience.To) {
		r.Problems.Add(names.To, "people.to_before_from")
		r.Audience.To = nil
	}
	if v := strings.TrimSpace(q.Get(names.OrgType)); v != "" && names.OrgType != "" {
		if kind, ok := names.OrgTypes[v]; ok {
			r.Audience.OrgType = kind
		} else {
			r.Problems.Add(names.OrgType, "form.invalid_choice")
		}
	}
	if v := strings.TrimSpace(q.Get(names.Mail)); v != "" && names.Mail != "" {
		if state, ok := names.MailStates[v]; ok {
			r.Audience.MailState = state
		} else {
			r.Problems.Add(names.Mail, "form.invalid_choice")
		}
	}
	switch strings.TrimSpace(q.Get(names.Needs)) {
	case "", "0", "false":
	case "1", "true", "on", "ja":
		r.Audience.HasNeeds = true
	default:
		r.Problems.Add(names.Needs, "form.invalid_choice")
	}
	if names.Sort != "" {
		if v := strings.TrimSpace(q.Get(names.Sort)); v != "" {
			if sort, ok := names.Sorts[v]; ok {
				r.Sort = sort
			} else {
				r.Problems.Add(names.Sort, "form.invalid_choice")
			}
		}
	}
	if names.Page != "" {
		if v := strings.TrimSpace(q.Get(names.Page)); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 1_000_000 {
				r.Problems.Add(names.Page, "form.not_a_number")
			} else {
				r.Page = n
			}
		}
	}
	if !r.Audience.Attendees() {
		// Ticket codes name registrations: other groups are searched by their words.
		if typed := strings.TrimSpace(q.Get(names.Query)); typed != "" && len([]rune(typed)) <= 200 {
			r.Audience.Query = typed
		}
		r.dropInapplicable(names)
		return r, nil
	}
	if err := h.parseQuery(c, &r, q.Get(names.Query), names.Query); err != nil {
		return r, err
	}
	r.dropInapplicable(names)
	return r, nil
}

// dropInapplicable reports every filter that does not narrow the chosen group (a status for
// speakers, say) next to its field, and leaves it out: the page then says so rather than
// quietly showing more people than were asked for.
func (r *audienceRequest) dropInapplicable(names audienceParams) {
	a := &r.Audience
	drop := func(filter, param string, set bool, clear func()) {
		if set && !a.Applies(filter) {
			r.Problems.Add(param, "audience.not_for_group")
			clear()
		}
	}
	drop("venue", names.Venue, a.VenueID != 0, func() { a.VenueID, r.Venue = 0, nil })
	drop("session", names.Session, a.SessionID != 0, func() { a.SessionID = 0 })
	drop("status", names.Status, a.Status != "", func() { a.Status = "" })
	drop("q", names.Query, a.Query != "", func() { a.Query = "" })
	drop("from", names.From, a.From != nil, func() { a.From = nil })
	drop("from", names.To, a.To != nil, func() { a.To = nil })
	drop("needs", names.Needs, a.HasNeeds, func() { a.HasNeeds = false })
	drop("proposal_status", names.Proposal, a.ProposalStatus != "", func() { a.ProposalStatus = "" })
	drop("org_type", names.OrgType, a.OrgType != "", func() { a.OrgType = "" })
	drop("mail", names.Mail, a.MailState != "", func() { a.MailState = "" })
}

// parseGroup reads the group and the proposals' state. A venue-scoped organiser may choose
// attendees, speakers and co-speakers only: reviewers and voters belong to no venue.
func (r *audienceRequest) parseGroup(u models.User, q url.Values, names audienceParams) {
	if names.Group == "" {
		return
	}
	if v := strings.TrimSpace(q.Get(names.Group)); v != "" {
		group, ok := names.Groups[v]
		switch {
		case !ok:
			r.Problems.Add(names.Group, "form.invalid_choice")
		case !u.CanManageEvent() && (group == models.AudienceReviewers || group == models.AudienceVoters):
			r.Forbidden = true
			r.Problems.Add(names.Group, "audience.group_event_wide")
		default:
			r.Audience.Kind = group
		}
	}
	if v := strings.TrimSpace(q.Get(names.Proposal)); v != "" {
		if status, ok := names.Proposals[v]; ok {
			r.Audience.ProposalStatus = status
		} else {
			r.Problems.Add(names.Proposal, "form.invalid_choice")
		}
	}
}

// scopedGroups are the groups a venue-scoped organiser may choose.
func scopedGroups(u models.User) []string {
	if u.CanManageEvent() {
		return groupValues
	}
	return groupValues[:3]
}

func (r *audienceRequest) parseVenue(u models.User, venues []models.Venue, param, slug string) {
	for i, v := range venues {
		if v.Slug != slug {
			continue
		}
		if !u.CanManageVenue(v.ID) {
			r.Forbidden = true
			r.Problems.Add(param, "people.other_venue")
			return
		}
		r.Venue = &venues[i]
		r.Audience.VenueID = v.ID
		return
	}
	r.Problems.Add(param, "form.unknown_venue")
}

// canChooseSession is canManageSession for a session as the filter lists it.
func canChooseSession(u models.User, s models.SessionChoice) bool {
	return u.CanManageEvent() || s.VenueID != nil && u.CanManageVenue(*s.VenueID)
}

func (r *audienceRequest) parseSession(u models.User, sessions []models.SessionChoice, param, v string) {
	id, err := strconv.ParseUint(v, 10, 32)
	if err != nil {
		r.Problems.Add(param, "form.invalid_choice")
		return
	}
	for _, s := range sessions {
		if s.ID != uint(id) {
			continue
		}
		if !canChooseSession(u, s) {
			r.Forbidden = true
			r.Problems.Add(param, "people.other_venue")
			return
		}
		r.Audience.SessionID = s.ID
		return
	}
	r.Problems.Add(param, "form.invalid_choice")
}

// parseDay reads a date (YYYY-MM-DD) as the start of that day, plus days, in the event's
// time zone.
func (r *audienceRequest) parseDay(q url.Values, param string, loc *time.Location, days int) *time.Time {
	v := strings.TrimSpace(q.Get(param))
	if v == "" || param == "" {
		return nil
	}
	d, err := time.ParseInLocation("2006-01-02", v, loc)
	if err != nil {
		r.Problems.Add(param, "form.invalid_date")
		return nil
	}
	d = time.Date(d.Year(), d.Month(), d.Day()+days, 0, 0, 0, 0, loc)
	return &d
}

// parseQuery reads the search: a ticket code selects its registration; anything else is
// looked for in names, addresses and organisations.
func (h *Handler) parseQuery(c *gin.Context, r *audienceRequest, typed, param string) error {
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return nil
	}
	if len([]rune(typed)) > 200 {
		r.Problems.Add(param, "form.too_long", "Max", 200)
		return nil
	}
	if tickets.LooksLikeCode(typed) {
		id, ok, err := h.registrationByCode(c, r, typed)
		if err != nil {
			return err
		}
		if ok {
			r.Audience.IDs = []uint{id}
			r.Code = true
			return nil
		}
	}
	r.Audience.Query = typed
	return nil
}

// registrationByCode finds the registration a typed ticket code belongs to, at the venues
// the account manages. The code book learns a venue's tickets the first time a code it does
// not know is typed, at most five times a second (as at the door).
func (h *Handler) registrationByCode(c *gin.Context, r *audienceRequest, typed string) (uint, bool, error) {
	keys, err := h.keysOf(c, r.Event.ID)
	if err != nil {
		return 0, false, err
	}
	code := tickets.NormalizeCode(typed)
	if t, ok := keys.codes.Lookup(code); ok {
		return uint(t.ID), true, nil
	}
	if !h.codeFills.Allow("beheer") {
		return 0, false, nil
	}
	if err := h.learnTicketCodes(c.Request.Context(), keys, r.Venues); err != nil {
		return 0, false, err
	}
	if t, ok := keys.codes.Lookup(code); ok {
		return uint(t.ID), true, nil
	}
	return 0, false, nil
}
