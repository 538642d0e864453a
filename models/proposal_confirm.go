package models

import (
	"cmp"
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// An accepted speaker confirms or declines with one click. Confirming turns the proposal
// into an unplaced session that carries what the planner needs: its length (SlotCount), its
// capacity wish (CapacityLimit), its venue wishes (SessionVenue) and when the speakers can
// (SessionAvailability).

// ErrProposalStatus reports a step that the proposal's status does not allow, such as
// confirming a proposal that was not accepted or was declined.
var ErrProposalStatus = fmt.Errorf("proposal status does not allow this: %w", ErrConflict)

// SessionVenue is a venue a session's speakers prefer; a session without any may go to
// either venue. The planner reads these as a hard wish.
type SessionVenue struct {
	SessionID uint `gorm:"primaryKey"`
	VenueID   uint `gorm:"primaryKey;index"`
}

// SessionAvailability is a slot the session's speakers can give it in; a session without
// any may go in any slot. Table session_availability.
type SessionAvailability struct {
	SessionID uint `gorm:"primaryKey"`
	SlotID    uint `gorm:"primaryKey;index"`
}

// TableName keeps the table's name singular, as the issue names it.
func (SessionAvailability) TableName() string { return "session_availability" }

// ProposalAnswer is the outcome of a speaker's confirm or decline: the proposal as it is
// now, and whether it already was so (a second click changes nothing).
type ProposalAnswer struct {
	Proposal Proposal
	Already  bool
}

// answerProposal moves an accepted proposal to status to. Already in that status is an
// idempotent answer; any other status is ErrProposalStatus. then runs in the same
// transaction after a move.
func (s *Store) answerProposal(ctx context.Context, id uint, to string, then func(tx *gorm.DB, now time.Time) error) (ProposalAnswer, error) {
	var already bool
	err := s.write(ctx, func(tx *gorm.DB) error {
		already = false
		now := s.now().UTC()
		res := tx.Model(&Proposal{}).Where("id = ? AND status = ?", id, ProposalAccepted).
			Updates(map[string]any{"status": to, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			var p Proposal
			if err := tx.First(&p, id).Error; err != nil {
				return notFound(err, "proposal", id)
			}
			if p.Status != to {
				return fmt.Errorf("proposal is %s: %w", p.Status, ErrProposalStatus)
			}
			already = true
			return nil
		}
		return then(tx, now)
	})
	if err != nil {
		return ProposalAnswer{}, fmt.Errorf("%s proposal %d: %w", to, id, err)
	}
	p, err := s.Proposal(ctx, id)
	return ProposalAnswer{Proposal: p, Already: already}, err
}

// ConfirmProposal records that the speaker of an accepted proposal confirms, and makes its
// session, in one transaction. Confirming twice makes one session.
// It returns ErrNotFound when there is no such proposal, and ErrProposalStatus when it is not an
// accepted proposal awaiting the speaker's answer.
func (s *Store) ConfirmProposal(ctx context.Context, id uint) (ProposalAnswer, error) {
	return s.answerProposal(ctx, id, ProposalConfirmed, func(tx *gorm.DB, now time.Time) error {
		return createSessionFromProposal(tx, id, now)
	})
}

// DeclineProposal records that the speaker of an accepted proposal cannot give it after all.
// It returns ErrNotFound when there is no such proposal, and ErrProposalStatus when it is not an
// accepted proposal awaiting the speaker's answer.
func (s *Store) DeclineProposal(ctx context.Context, id uint) (ProposalAnswer, error) {
	return s.answerProposal(ctx, id, ProposalDeclined, func(*gorm.DB, time.Time) error { return nil })
}

// createSessionFromProposal makes the unplaced session of a confirmed proposal with its
// venue wishes, availability and speakers: the speaker and the co-speakers who confirmed.
func createSessionFromProposal(tx *gorm.DB, id uint, now time.Time) error {
	var p Proposal
	if err := tx.Preload("Venues").Preload("Availability").Preload("CoSpeakers", func(db *gorm.DB) *gorm.DB { return db.Order("id") }).
		First(&p, id).Error; err != nil {
		return notFound(err, "proposal", id)
	}
	abstract := p.Summary
	if full := p.Summary + "\n\n" + p.Description; utf8.RuneCountInString(full) <= 4000 {
		abstract = full
	}
	pid := p.ID
	se := Session{EventID: p.EventID, Title: p.Title, Format: p.Format, Abstract: abstract, Track: p.Track,
		CapacityLimit: p.MaxParticipants, SlotCount: p.SlotCount, ProposalID: &pid, CreatedAt: now, UpdatedAt: now}
	if err := tx.Omit(clause.Associations).Create(&se).Error; err != nil {
		if isUniqueViolation(err) {
			return fmt.Errorf("session of proposal %d: %w", id, ErrConflict)
		}
		return err
	}
	for _, v := range p.Venues {
		if err := tx.Create(&SessionVenue{SessionID: se.ID, VenueID: v.VenueID}).Error; err != nil {
			return err
		}
	}
	for _, a := range p.Availability {
		if err := tx.Create(&SessionAvailability{SessionID: se.ID, SlotID: a.SlotID}).Error; err != nil {
			return err
		}
	}
	// Each is written to in their own language: the speaker in the proposal's, a co-speaker in
	// the one they confirmed in (the proposal's, had they confirmed before that was kept).
	people := []Speaker{{EventID: p.EventID, Name: p.SpeakerName, Organisation: p.SpeakerOrganisation,
		Email: p.SpeakerEmail, Bio: p.SpeakerBio, Lang: langOrDutch(p.Lang)}}
	for _, c := range p.CoSpeakers {
		if c.ConfirmedAt != nil && c.Name != "" {
			people = append(people, Speaker{EventID: p.EventID, Name: c.Name, Organisation: c.Organisation, Email: c.Email,
				Bio: c.Bio, Lang: langOrDutch(cmp.Or(c.Lang, p.Lang))})
		}
	}
	seen := map[uint]bool{}
	var speakers []Speaker
	for _, person := range people {
		sp, err := proposalSpeaker(tx, person)
		if err != nil {
			return err
		}
		if !seen[sp.ID] {
			seen[sp.ID] = true
			speakers = append(speakers, sp)
		}
	}
	return tx.Model(&se).Association("Speakers").Append(speakers)
}

// proposalSpeaker finds the speaker record of a person from a proposal: by e-mail address
// first (one person, one address), then a record with the same name and organisation and no
// address yet (made in the organisers' session form), which then gets the address; otherwise
// a new record. The record takes the person's language: that of the proposal confirmed last.
func proposalSpeaker(tx *gorm.DB, person Speaker) (Speaker, error) {
	var sp Speaker
	err := tx.Where("event_id = ? AND email <> '' AND LOWER(email) = LOWER(?)", person.EventID, person.Email).
		Order("id").Limit(1).Find(&sp).Error
	if err != nil {
		return sp, err
	}
	if sp.ID != 0 {
		if sp.Lang == person.Lang {
			return sp, nil
		}
		sp.Lang = person.Lang
		return sp, tx.Model(&sp).Update("lang", sp.Lang).Error
	}
	err = tx.Where("event_id = ? AND name = ? AND organisation = ? AND email = ''", person.EventID, person.Name, person.Organisation).
		Order("id").Limit(1).Find(&sp).Error
	if err != nil {
		return sp, err
	}
	if sp.ID != 0 {
		sp.Email, sp.Bio, sp.Lang = person.Email, cmp.Or(sp.Bio, person.Bio), person.Lang
		return sp, tx.Model(&sp).Updates(map[string]any{"email": sp.Email, "bio": sp.Bio, "lang": sp.Lang}).Error
	}
	sp = person
	return sp, tx.Create(&sp).Error
}

// SessionOfProposal returns the session a confirmed proposal became, with its venue, room,
// slots and speakers.
// It returns ErrNotFound when the proposal has no session.
func (s *Store) SessionOfProposal(ctx context.Context, proposalID uint) (Session, error) {
	var se Session
	if err := s.sessionQuery(ctx).Where("proposal_id = ?", proposalID).First(&se).Error; err != nil {
		return Session{}, notFound(err, "session of proposal", proposalID)
	}
	return se, nil
}

// SessionWishes returns what a session's speakers asked for: the venues they prefer and the
// slots they can give it in, in id order; empty means no wish.
func (s *Store) SessionWishes(ctx context.Context, sessionID uint) (venueIDs, slotIDs []uint, err error) {
	db := s.db.WithContext(ctx)
	if err = db.Model(&SessionVenue{}).Where("session_id = ?", sessionID).Order("venue_id").Pluck("venue_id", &venueIDs).Error; err != nil {
		return nil, nil, fmt.Errorf("venue wishes of session %d: %w", sessionID, err)
	}
	if err = db.Model(&SessionAvailability{}).Where("session_id = ?", sessionID).Order("slot_id").Pluck("slot_id", &slotIDs).Error; err != nil {
		return nil, nil, fmt.Errorf("availability of session %d: %w", sessionID, err)
	}
	return venueIDs, slotIDs, nil
}

// Participant is what a speaker may know of someone who has a seat in their session.
type Participant struct {
	Name, Organisation string
}

// SessionParticipants lists the people with a seat in a session (not those waiting), by name.
func (s *Store) SessionParticipants(ctx context.Context, sessionID uint) ([]Participant, error) {
	var out []Participant
	err := s.db.WithContext(ctx).Table("bookings").Select("registrations.name, registrations.organisation").
		Joins("JOIN registrations ON registrations.id = bookings.registration_id").
		Where("bookings.session_id = ? AND bookings.status = ? AND registrations.status = ?", sessionID, BookingConfirmed, RegistrationActive).
		Order("registrations.name, registrations.id").Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("participants of session %d: %w", sessionID, err)
	}
	return out, nil
}

// ProposalByLink finds the proposal behind any personal link: the speaker's (co nil) or a
// co-speaker's (co set).
// It returns ErrNotFound when the token leads to no proposal.
func (s *Store) ProposalByLink(ctx context.Context, token string) (Proposal, *CoSpeaker, error) {
	pt, err := s.tokenRow(ctx, token)
	if err != nil {
		return Proposal{}, nil, err
	}
	p, err := s.Proposal(ctx, pt.ProposalID)
	if err != nil || pt.CoSpeakerID == nil {
		return p, nil, err
	}
	c, err := s.CoSpeaker(ctx, *pt.CoSpeakerID)
	if err != nil {
		return Proposal{}, nil, err
	}
	return p, &c, nil
}

// SpeakerStatus is the status a proposal's speakers may see. A decision stays hidden until
// its e-mail has gone to the outbox: until then the proposal reads as submitted, so no
// speaker learns of a decision from their page before the organisers send it.
func (s *Store) SpeakerStatus(ctx context.Context, p Proposal) (string, error) {
	if p.Status != ProposalAccepted && p.Status != ProposalRejected && p.Status != ProposalReserve {
		return p.Status, nil
	}
	var told []string
	err := s.db.WithContext(ctx).Model(&DecisionMail{}).Where("proposal_id = ? AND queued_at IS NOT NULL", p.ID).
		Order("id DESC").Limit(1).Pluck("decision", &told).Error
	if err != nil {
		return "", fmt.Errorf("decision told to the speaker of proposal %d: %w", p.ID, err)
	}
	if len(told) == 1 && told[0] == p.Status {
		return p.Status, nil
	}
	return ProposalSubmitted, nil
}
