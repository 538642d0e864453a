package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

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

// ErrNoAddresses reports an audience whose people cannot be written to: voters are kept
// as a keyed hash of their address, never the address (see Voter).
var ErrNoAddresses = errors.New("this group has no e-mail addresses")

// audienceFilters says which filters apply to each group, by the names Validate reports
// problems under. A filter that does not apply is a problem, never silently ignored: an
// organiser who asked for "checked in" speakers must not get every speaker.
var audienceFilters = map[string]map[string]bool{
	AudienceAttendees:  {"venue": true, "session": true, "status": true, "q": true, "ids": true, "from": true, "needs": true},
	AudienceSpeakers:   {"venue": true, "session": true, "q": true, "from": true, "proposal_status": true, "decision_draft": true},
	AudienceCoSpeakers: {"venue": true, "session": true, "q": true, "from": true, "proposal_status": true},
	AudienceReviewers:  {"q": true},
	AudienceVoters:     {"from": true},
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
		"proposal_status": a.ProposalStatus != "", "decision_draft": a.DecisionDraft,
	}
	for _, f := range []string{"venue", "session", "status", "q", "ids", "from", "needs", "proposal_status", "decision_draft"} {
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
func (a Audience) query(db *gorm.DB) (*gorm.DB, string) {
	switch a.kind() {
	case AudienceSpeakers:
		return a.proposalWhere(db.Table("proposals")), "LOWER(TRIM(proposals.speaker_email))"
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
		q := db.Table("voters")
		if a.Scope != nil {
			q = q.Where("1 = 0") // voters belong to no venue
		}
		if a.EventID != 0 {
			q = q.Where("voters.event_id = ?", a.EventID)
		}
		if a.From != nil {
			q = q.Where("voters.created_at >= ?", a.From.UTC())
		}
		if a.To != nil {
			q = q.Where("voters.created_at < ?", a.To.UTC())
		}
		return q, ""
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
	if a.DecisionDraft {
		q = q.Where("EXISTS (SELECT 1 FROM decision_mails WHERE decision_mails.proposal_id = proposals.id AND decision_mails.queued_at IS NULL)")
	}
	if a.kind() == AudienceCoSpeakers {
		return a.words(q, "co_speakers.name || ' ' || co_speakers.email || ' ' || co_speakers.organisation")
	}
	return a.words(q, "proposals.speaker_name || ' ' || proposals.speaker_email || ' ' || proposals.speaker_organisation")
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
	q, key := a.query(s.db.WithContext(ctx))
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

// Recipient is one person of an audience as a message and the lists of groups other than
// attendees see them.
type Recipient struct {
	Kind string // the audience's group
	// ID is the registration's, the (first) proposal's, the co-speaker's or the account's.
	ID uint
	// Key is the normalised address that makes them one person.
	Key                       string
	Name, Email, Organisation string
	Lang                      string
	// Proposals are a speaker's or co-speaker's proposals in the audience, by id.
	Proposals []string
}

// DisplayName is the person's name, or their address when they gave none (a co-speaker who
// has not confirmed yet, a reviewer's account).
func (r Recipient) DisplayName() string {
	if strings.TrimSpace(r.Name) != "" {
		return r.Name
	}
	return r.Email
}

// recipientColumns are what each group's Recipient is read from, in the order of scanning:
// id, key, name, address, organisation, language and a proposal's title.
var recipientColumns = map[string]string{
	AudienceAttendees: `registrations.id, LOWER(TRIM(registrations.email)), registrations.name, registrations.email,
		registrations.organisation, registrations.lang, ''`,
	AudienceSpeakers: `proposals.id, LOWER(TRIM(proposals.speaker_email)), proposals.speaker_name, proposals.speaker_email,
		proposals.speaker_organisation, proposals.lang, proposals.title`,
	AudienceCoSpeakers: `co_speakers.id, co_speakers.email_key, co_speakers.name, co_speakers.email, co_speakers.organisation,
		proposals.lang, proposals.title`,
	AudienceReviewers: `users.id, users.email, '', users.email, '', 'nl', ''`,
}

// recipientOrder lists each person's rows together, the row that stands for them first: an
// attendee's active registration before a cancelled one (and the latest), a speaker's first
// proposal.
var recipientOrder = map[string]string{
	AudienceAttendees:  "2, CASE WHEN registrations.status = 'active' THEN 0 ELSE 1 END, registrations.id DESC",
	AudienceSpeakers:   "2, proposals.id",
	AudienceCoSpeakers: "2, proposals.id, co_speakers.id",
	AudienceReviewers:  "2, users.id",
}

// EachRecipient calls fn once for every person of the audience, in the order of their
// address, reading one row at a time; voters give ErrNoAddresses.
func (s *Store) EachRecipient(ctx context.Context, a Audience, fn func(Recipient) error) error {
	if err := invalid(a.Validate()); err != nil {
		return err
	}
	return eachRecipient(s.db.WithContext(ctx), a, fn)
}

// eachRecipient is EachRecipient inside a transaction (or on any handle).
func eachRecipient(db *gorm.DB, a Audience, fn func(Recipient) error) error {
	kind := a.kind()
	cols, ok := recipientColumns[kind]
	if !ok {
		return fmt.Errorf("recipients of the %s group: %w", kind, ErrNoAddresses)
	}
	q, _ := a.query(db)
	rows, err := q.Select(cols).Order(recipientOrder[kind]).Rows()
	if err != nil {
		return fmt.Errorf("recipients of the %s group: %w", kind, err)
	}
	defer rows.Close()
	var cur Recipient
	for rows.Next() {
		var r Recipient
		var title string
		if err := rows.Scan(&r.ID, &r.Key, &r.Name, &r.Email, &r.Organisation, &r.Lang, &title); err != nil {
			return fmt.Errorf("read recipient: %w", err)
		}
		if cur.Key == r.Key && cur.Email != "" {
			if title != "" && !slices.Contains(cur.Proposals, title) {
				cur.Proposals = append(cur.Proposals, title)
			}
			continue
		}
		if cur.Email != "" {
			if err := fn(cur); err != nil {
				return err
			}
		}
		r.Kind = kind
		r.Lang = langOrDutch(r.Lang)
		if title != "" {
			r.Proposals = []string{title}
		}
		cur = r
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if cur.Email != "" {
		return fn(cur)
	}
	return nil
}

// RecipientPage is one page of an audience's people, for the groups other than attendees.
type RecipientPage struct {
	People []Recipient
	Total  int
}

// Recipients returns one page (from 1) of an audience's people by name, with the total:
// the list of people for speakers, co-speakers and reviewers. These groups are a few
// hundred people at most, so they are read whole and sorted here. Voters have a total only.
func (s *Store) Recipients(ctx context.Context, a Audience, page, perPage int) (RecipientPage, error) {
	if a.kind() == AudienceVoters {
		n, err := s.CountAudience(ctx, a)
		return RecipientPage{People: []Recipient{}, Total: n}, err
	}
	var all []Recipient
	err := s.EachRecipient(ctx, a, func(r Recipient) error {
		all = append(all, r)
		return nil
	})
	if err != nil {
		return RecipientPage{}, err
	}
	slices.SortStableFunc(all, func(x, y Recipient) int {
		if c := strings.Compare(FoldForSearch(x.DisplayName()), FoldForSearch(y.DisplayName())); c != 0 {
			return c
		}
		return strings.Compare(x.Key, y.Key)
	})
	out := RecipientPage{People: []Recipient{}, Total: len(all)}
	from := max(page-1, 0) * perPage
	if from < len(all) {
		out.People = all[from:min(from+perPage, len(all))]
	}
	return out, nil
}
