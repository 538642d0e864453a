package handlers

import (
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// audienceNamer returns what says an audience in words in the person's language ("Sprekers ·
// voorstel aanvaard · locatie Zwolle"), with the event's venues and sessions read once.
func (h *Handler) audienceNamer(c *gin.Context, event models.Event) (func(models.Audience) string, error) {
	ctx := c.Request.Context()
	tr := h.tr(c).In(event.Location())
	venues, err := h.store.Venues(ctx, event.ID)
	if err != nil {
		return nil, err
	}
	sessions, err := h.store.SessionChoices(ctx, event.ID)
	if err != nil {
		return nil, err
	}
	venueName := func(id uint) string {
		for _, v := range venues {
			if v.ID == id {
				return v.Name
			}
		}
		return "#" + strconv.FormatUint(uint64(id), 10)
	}
	sessionTitle := func(id uint) string {
		for _, s := range sessions {
			if s.ID == id {
				return s.Title
			}
		}
		return "#" + strconv.FormatUint(uint64(id), 10)
	}
	loc := event.Location()
	return func(a models.Audience) string {
		parts := []string{tr.T("audience.group." + paramOf(groupParams, a.Group()))}
		if a.VenueID != 0 {
			parts = append(parts, tr.T("audience.words.venue", "Name", venueName(a.VenueID)))
		} else if len(a.Scope) == 1 {
			parts = append(parts, tr.T("audience.words.venue", "Name", venueName(a.Scope[0])))
		}
		if a.SessionID != 0 {
			parts = append(parts, tr.T("audience.words.session", "Title", sessionTitle(a.SessionID)))
		}
		if a.Status != "" {
			parts = append(parts, strings.ToLower(tr.T("people.filter."+paramOf(pageAudienceParams.Statuses, a.Status))))
		}
		if a.ProposalStatus != "" {
			parts = append(parts, tr.T("audience.words.proposal", "Status", strings.ToLower(tr.T("proposal.status."+a.ProposalStatus))))
		}
		if a.Query != "" {
			parts = append(parts, tr.T("audience.words.query", "Query", a.Query))
		}
		if a.IDs != nil {
			parts = append(parts, tr.T("audience.words.ticket"))
		}
		if a.From != nil {
			parts = append(parts, tr.T("audience.words.from", "Date", tr.Date(a.From.In(loc))))
		}
		if a.To != nil {
			// To is the start of the day after the last one chosen.
			parts = append(parts, tr.T("audience.words.to", "Date", tr.Date(a.To.In(loc).Add(-12*time.Hour))))
		}
		if a.HasNeeds {
			parts = append(parts, strings.ToLower(tr.T("people.has_needs")))
		}
		if a.OrgType != "" {
			parts = append(parts, strings.ToLower(tr.T("dashboard.org_type."+a.OrgType)))
		}
		if a.MailState != "" {
			parts = append(parts, tr.T("audience.words.mail."+a.MailState))
		}
		return strings.Join(parts, " · ")
	}, nil
}
