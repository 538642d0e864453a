package handlers

import (
	"slices"
	"strconv"

	"github.com/ambtenaar20/dagplanner/models"
)

// audienceFields are the audience's fields as forms name them, in the order pages show
// them, with their labels: the list's filter and the compose form of a message share them.
var audienceFields = []string{"groep:audience.group", "q:people.search", "locatie:people.venue", "sessie:people.session",
	"status:people.status", "voorstel:audience.proposal_status", "organisatietype:people.org_type", "email:audience.mail", "van:people.from", "tot:people.to", "behoeften:people.has_needs"}

// audienceForm is what the audience's fields need: the page and the choices the account may
// make. The list of people and the compose form of a message embed it.
type audienceForm struct {
	Page
	Groups, Venues, Sessions, Statuses, ProposalStatuses, OrgTypes, MailStates []Option
	HasNeeds                                                                   bool
}

// Filter describes one of the audience's fields: never "required" nor "optional".
func (d audienceForm) Filter(name, labelKey string, options []Option, opts ...string) FieldView {
	var f FieldView
	if options == nil {
		f = d.Field(name, labelKey, "text", opts...)
	} else {
		f = d.Select(name, labelKey, options, opts...)
	}
	f.Optional = ""
	return f
}

// DateFilter describes a date field of the audience.
func (d audienceForm) DateFilter(name, labelKey string) FieldView {
	f := d.Field(name, labelKey, "date")
	f.Optional = ""
	return f
}

// choices fills the drop-downs with what the account may choose.
func (d *audienceForm) choices(r audienceRequest, u models.User) {
	// The box stays as ticked, even when the group has no needs to filter on.
	d.HasNeeds = r.Audience.HasNeeds
	if d.Form != nil {
		d.HasNeeds = slices.Contains([]string{"1", "true", "on", "ja"}, d.Form.Values.Get("behoeften"))
	}
	d.Groups = nil
	for _, g := range scopedGroups(u) {
		d.Groups = append(d.Groups, Option{Value: g, Label: d.T("audience.group." + g)})
	}
	d.Venues = []Option{{Value: "", Label: d.T("people.all_venues")}}
	for _, v := range r.Venues {
		d.Venues = append(d.Venues, Option{Value: v.Slug, Label: v.City + ": " + d.VenueName(v)})
	}
	d.Sessions = []Option{{Value: "", Label: d.T("people.all_sessions")}}
	for _, s := range r.Sessions {
		label := s.Title
		if s.StartsAt != nil && s.City != "" {
			label = s.City + " " + d.Time(*s.StartsAt) + ": " + s.Title
		}
		d.Sessions = append(d.Sessions, Option{Value: strconv.Itoa(int(s.ID)), Label: label})
	}
	d.Statuses = []Option{{Value: "", Label: d.T("people.status.any")}}
	for _, s := range []string{"bevestigd", "wachtlijst", "geannuleerd", "binnen", "niet-binnen"} {
		d.Statuses = append(d.Statuses, Option{Value: s, Label: d.T("people.filter." + s)})
	}
	d.OrgTypes = []Option{{Value: "", Label: d.T("people.org_type.any")}}
	for _, kind := range models.OrganisationTypes {
		d.OrgTypes = append(d.OrgTypes, Option{Value: orgTypeParam(kind), Label: d.T("dashboard.org_type." + kind)})
	}
	d.MailStates = []Option{{Value: "", Label: d.T("audience.mail.any")}}
	for _, s := range mailStateValues {
		d.MailStates = append(d.MailStates, Option{Value: s, Label: d.T("audience.mail." + mailStateParams[s])})
	}
	d.ProposalStatuses = []Option{{Value: "", Label: d.T("audience.proposal_status.any")}}
	for _, s := range proposalStatusValues {
		d.ProposalStatuses = append(d.ProposalStatuses, Option{Value: s, Label: d.T("proposal.status." + proposalStatusParams[s])})
	}
}
