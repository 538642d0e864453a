package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// The groups an audience can be made of. Attendees are registrations; speakers are the
// people who submitted proposals, co-speakers the colleagues they invited; reviewers are
// accounts with the reviewer role; voters are the people who asked for a ballot.
const (
	AudienceAttendees  = "attendees"
	AudienceSpeakers   = "speakers"
	AudienceCoSpeakers = "cospeakers"
	AudienceReviewers  = "reviewers"
	AudienceVoters     = "voters"
)

// AudienceKinds lists the groups in the order pages offer them.
var AudienceKinds = []string{AudienceAttendees, AudienceSpeakers, AudienceCoSpeakers, AudienceReviewers, AudienceVoters}

// ProposalStatuses lists every state of a proposal, in the order pages offer them.
var ProposalStatuses = []string{ProposalSubmitted, ProposalAccepted, ProposalReserve, ProposalRejected,
	ProposalConfirmed, ProposalDeclined, ProposalWithdrawn}

// ErrNoAddresses reports an audience whose people cannot be written to.
var ErrNoAddresses = errors.New("this group has no e-mail addresses")

// audienceFilters says which filters apply to each group, by the names Validate reports
// problems under. A filter that does not apply is a problem, never silently ignored: an
// organiser who asked for "checked in" speakers must not get every speaker.
var audienceFilters = map[string]map[string]bool{
	AudienceAttendees: {"venue": true, "session": true, "status": true, "q": true, "ids": true, "from": true, "needs": true,
		"org_type": true, "mail": true},
	AudienceSpeakers: {"venue": true, "session": true, "q": true, "from": true, "proposal_status": true, "decision_draft": true,
		"mail": true},
	AudienceCoSpeakers: {"venue": true, "session": true, "q": true, "from": true, "proposal_status": true, "mail": true},
	AudienceReviewers:  {"q": true},
	AudienceVoters:     {},
}

// kind is the audience's group, attendees when none is named.
func (a Audience) kind() string {
	if a.Kind == "" {
		return AudienceAttendees
	}
	return a.Kind
}

// Group returns the audience's group: one of AudienceKinds (attendees when none is named).
func (a Audience) Group() string { return a.kind() }

// Attendees reports whether the audience is made of registrations.
func (a Audience) Attendees() bool { return a.kind() == AudienceAttendees }

// Applies reports whether a filter (by the name Validate reports problems under: venue,
// session, status, q, from, needs, proposal_status) narrows the audience's group.
func (a Audience) Applies(filter string) bool { return audienceFilters[a.kind()][filter] }

// validateKind checks the group and that every filter given applies to it.
func (a Audience) validateKind(p Problems) {
	allowed, ok := audienceFilters[a.kind()]
	if !ok {
		p.Add("kind", "form.invalid_choice")
		return
	}
	set := map[string]bool{
		"venue": a.VenueID != 0, "session": a.SessionID != 0 || a.Sessions != nil, "status": a.Status != "",
		"q": a.Query != "", "ids": a.IDs != nil, "from": a.From != nil || a.To != nil, "needs": a.HasNeeds,
		"proposal_status": a.ProposalStatus != "", "decision_draft": a.DecisionDraft, "org_type": a.OrgType != "",
		"mail": a.MailState != "",
	}
	for _, f := range []string{"venue", "session", "status", "q", "ids", "from", "needs", "proposal_status", "decision_draft", "org_type", "mail"} {
		if set[f] && !allowed[f] {
			field := f
			if f == "from" && a.From == nil {
				field = "to"
			}
			p.Add(field, "audience.not_for_group")
		}
	}
	if a.ProposalStatus != "" && !slices.Contains(ProposalStatuses, a.ProposalStatus) {
		p.Add("proposal_status", "form.invalid_choice")
	}
}

// errNotAttendees refuses a list of registrations for another group.
func errNotAttendees(a Audience) error {
	return fmt.Errorf("registrations of the %s group: %w", a.kind(), ErrNotFound)
}

// audienceQuery is the audience as a query on its group's table, and the SQL expression of
// the normalised address that makes rows one person ("" for voters, who have none).
func (a Audience) query(db *gorm.DB, now time.Time) (*gorm.DB, string) {
	switch a.kind() {
	case AudienceSpeakers:
		// A speaker who erased their data has no address left to write to.
		return a.proposalWhere(db.Table("proposals").Where("proposals.speaker_email <> ''")), "LOWER(TRIM(proposals.speaker_email))"
	case AudienceCoSpeakers:
		q := db.Table("co_speakers").Joins("JOIN proposals ON proposals.id = co_speakers.proposal_id")
		return a.proposalWhere(q), "co_speakers.email_key"
	case AudienceReviewers:
		q := db.Table("users").Where("users.role = ?", RoleReviewer)
		if a.Scope != nil {
			q = q.Where("users.venue_id IN ?", nonEmpty(a.Scope))
		}
		return a.words(q, "users.email"), "users.email"
	case AudienceVoters:
		// The voters who chose to hear about the vote (VoteContact), while voting is open:
		// the voters themselves are pseudonyms without an address.
		q := db.Table("vote_contacts").Where(voteContactsOpen, now.UTC())
		if a.Scope != nil {
			q = q.Where("1 = 0") // voters belong to no venue
		}
		if a.EventID != 0 {
			q = q.Where("vote_contacts.event_id = ?", a.EventID)
		}
		return q, "vote_contacts.email_key"
	default:
		return a.where(db.Table("registrations")), "LOWER(TRIM(registrations.email))"
	}
}

// proposalWhere applies the audience to a query joined to proposals: speakers and
// co-speakers. A speaker belongs to a venue once the session made of their proposal is
// placed there.
func (a Audience) proposalWhere(q *gorm.DB) *gorm.DB {
	if a.EventID != 0 {
		q = q.Where("proposals.event_id = ?", a.EventID)
	}
	if a.ProposalStatus != "" {
		q = q.Where("proposals.status = ?", a.ProposalStatus)
	} else {
		q = q.Where("proposals.status <> ?", ProposalWithdrawn)
	}
	placed := "EXISTS (SELECT 1 FROM sessions WHERE sessions.proposal_id = proposals.id AND "
	if a.Scope != nil {
		q = q.Where(placed+"sessions.venue_id IN ?)", nonEmpty(a.Scope))
	}
	if a.VenueID != 0 {
		q = q.Where(placed+"sessions.venue_id = ?)", a.VenueID)
	}
	if a.SessionID != 0 {
		q = q.Where(placed+"sessions.id = ?)", a.SessionID)
	}
	if a.Sessions != nil {
		q = q.Where(placed+"sessions.id IN ?)", nonEmpty(a.Sessions))
	}
	if a.From != nil {
		q = q.Where("proposals.created_at >= ?", a.From.UTC())
	}
	if a.To != nil {
		q = q.Where("proposals.created_at < ?", a.To.UTC())
	}
	if a.MailState != "" {
		// The call's e-mails carry the proposal; the recipient tells the speaker's from a
		// co-speaker's.
		recipient := "LOWER(TRIM(proposals.speaker_email))"
		if a.kind() == AudienceCoSpeakers {
			recipient = "co_speakers.email_key"
		}
		q = q.Where("EXISTS (SELECT 1 FROM outbox_messages WHERE outbox_messages.proposal_id = proposals.id AND " +
			"LOWER(TRIM(outbox_messages.recipient)) = " + recipient + " AND " + a.unsentMail() + ")")
	}
	if a.DecisionDraft {
		q = q.Where("EXISTS (SELECT 1 FROM decision_mails WHERE decision_mails.proposal_id = proposals.id AND decision_mails.queued_at IS NULL)")
	}
	if a.kind() == AudienceCoSpeakers {
		return a.words(q, "co_speakers.name || ' ' || co_speakers.email || ' ' || co_speakers.organisation")
	}
	return a.words(q, "proposals.speaker_name || ' ' || proposals.speaker_email || ' ' || proposals.speaker_organisation")
}

// unsentMail is the condition on outbox_messages for the audience's e-mail state.
func (a Audience) unsentMail() string {
	if a.MailState == MailStateFailed {
		return "outbox_messages.sent_at IS NULL AND outbox_messages.last_error <> ''"
	}
	return "outbox_messages.sent_at IS NULL"
}

// words keeps the rows whose text (an SQL expression) holds every word of the query,
// ignoring case. Unlike the attendees' search it does not ignore accents: these groups have
// no folded search column, and are small enough to scan.
func (a Audience) words(q *gorm.DB, text string) *gorm.DB {
	for _, word := range strings.Fields(strings.ToLower(a.Query)) {
		q = q.Where("LOWER("+text+") LIKE ? ESCAPE '\\'", "%"+escapeLike(word)+"%")
	}
	return q
}

// CountAudience counts the people of an audience in one SQL query: people, not rows, so an
// address that is on two of its proposals (or two registrations, one cancelled) counts once,
// as it gets one message. Voters count by their pseudonyms.
func (s *Store) CountAudience(ctx context.Context, a Audience) (int, error) {
	if err := invalid(a.Validate()); err != nil {
		return 0, err
	}
	q, key := a.query(s.db.WithContext(ctx), s.now())
	var n int64
	var err error
	if key == "" {
		err = q.Count(&n).Error
	} else {
		err = q.Select("COUNT(DISTINCT " + key + ")").Scan(&n).Error
	}
	if err != nil {
		return 0, fmt.Errorf("count %s audience: %w", a.kind(), err)
	}
	return int(n), nil
}
