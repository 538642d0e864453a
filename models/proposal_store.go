package models

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// SubmitProposal stores a proposal for the current event with its venues, availability and
// co-speakers, and queues the e-mails to the speaker and each co-speaker — in one
// transaction, and only while the call for proposals is open.
// It returns a *ValidationError when the input is not valid, ErrNotFound when there is no event,
// and ErrCallClosed when the call for proposals is not open.
func (s *Store) SubmitProposal(ctx context.Context, in ProposalInput) (ProposalResult, error) {
	if err := invalid(in.Validate()); err != nil {
		return ProposalResult{}, err
	}
	event, err := s.CurrentEvent(ctx)
	if err != nil {
		return ProposalResult{}, fmt.Errorf("submit proposal: %w", err)
	}
	var res ProposalResult
	err = s.write(ctx, func(tx *gorm.DB) error {
		now := s.now().UTC()
		if !event.CallOpen(now) {
			return ErrCallClosed
		}
		venues, slots, err := resolvePlaces(tx, event.ID, in)
		if err != nil {
			return err
		}
		p := Proposal{EventID: event.ID, Status: ProposalSubmitted, Lang: langOrDutch(in.Lang), ConsentAt: now,
			CreatedAt: now, UpdatedAt: now}
		in.apply(&p)
		p.HasPhoto = in.Photo != nil
		if err := tx.Omit(clause.Associations).Create(&p).Error; err != nil {
			return err
		}
		if err := replacePlaces(tx, p.ID, venues, slots); err != nil {
			return err
		}
		if in.Photo != nil {
			if err := tx.Create(&ProposalPhoto{ProposalID: p.ID, ContentType: in.PhotoType, Data: in.Photo, CreatedAt: now}).Error; err != nil {
				return err
			}
		}
		if err := enqueueProposal(tx, now, MailProposalReceived, p, p.SpeakerEmail, ""); err != nil {
			return err
		}
		if err := syncCoSpeakers(tx, p, in.CoSpeakers, now); err != nil {
			return err
		}
		token, err := newProposalToken(tx, p.ID, nil, now)
		if err != nil {
			return err
		}
		res = ProposalResult{Proposal: p, Token: token}
		return nil
	})
	if err != nil {
		return ProposalResult{}, fmt.Errorf("submit proposal %q: %w", in.Title, err)
	}
	res.Proposal, err = s.Proposal(ctx, res.Proposal.ID)
	return res, err
}

func (in ProposalInput) apply(p *Proposal) {
	p.Title, p.Summary, p.Description = in.Title, in.Summary, in.Description
	p.Format, p.SlotCount, p.MaxParticipants = in.Format, in.Slots, in.MaxParticipants
	p.Audience, p.Level = in.Audience, in.Level
	p.Needs = slices.Clone(in.Needs)
	if p.Needs == nil {
		p.Needs = []string{}
	}
	p.SpeakerName, p.SpeakerEmail = in.Speaker.Name, in.Speaker.Email
	p.SpeakerOrganisation, p.SpeakerBio = in.Speaker.Organisation, in.Speaker.Bio
}

// resolvePlaces turns venue slugs and slot ids into the event's venues and slots. A slot
// must be at one of the preferred venues, when there are any, and a two-slot session's
// availability must hold two slots it can run through (RunsOn).
func resolvePlaces(tx *gorm.DB, eventID uint, in ProposalInput) ([]uint, []uint, error) {
	p := Problems{}
	var venueIDs []uint
	for _, slug := range in.Venues {
		var v Venue
		if err := tx.Where("event_id = ? AND slug = ?", eventID, slug).First(&v).Error; err != nil {
			p.Add("venues", "form.unknown_venue")
			break
		}
		if !slices.Contains(venueIDs, v.ID) {
			venueIDs = append(venueIDs, v.ID)
		}
	}
	var slotIDs []uint
	for _, id := range in.Availability {
		var sl Slot
		err := tx.Joins("JOIN venues ON venues.id = slots.venue_id").
			Where("slots.id = ? AND venues.event_id = ?", id, eventID).First(&sl).Error
		if err != nil {
			p.Add("availability", "proposal.unknown_slot", "ID", id)
			break
		}
		if len(venueIDs) > 0 && !slices.Contains(venueIDs, sl.VenueID) {
			p.Add("availability", "proposal.slot_not_at_venues", "ID", id)
			break
		}
		if !slices.Contains(slotIDs, id) {
			slotIDs = append(slotIDs, id)
		}
	}
	// A two-slot session needs two slots in a row without a break among those the speakers
	// can do; say so now rather than on the board weeks later.
	if in.Slots == 2 && len(slotIDs) > 0 && len(p) == 0 {
		ok, err := hasTwoSlotRun(tx, slotIDs)
		if err != nil {
			return nil, nil, err
		}
		if !ok {
			p.Add("availability", "proposal.no_two_slot_run", "Minutes", int(MaxChangeover.Minutes()))
		}
	}
	return venueIDs, slotIDs, invalid(p)
}

func replacePlaces(tx *gorm.DB, proposalID uint, venues, slots []uint) error {
	if err := tx.Where("proposal_id = ?", proposalID).Delete(&ProposalVenue{}).Error; err != nil {
		return err
	}
	if err := tx.Where("proposal_id = ?", proposalID).Delete(&ProposalSlot{}).Error; err != nil {
		return err
	}
	for _, id := range venues {
		if err := tx.Omit(clause.Associations).Create(&ProposalVenue{ProposalID: proposalID, VenueID: id}).Error; err != nil {
			return err
		}
	}
	for _, id := range slots {
		if err := tx.Omit(clause.Associations).Create(&ProposalSlot{ProposalID: proposalID, SlotID: id}).Error; err != nil {
			return err
		}
	}
	return nil
}

// syncCoSpeakers makes the proposal's co-speakers the given addresses: new ones are added
// and invited by e-mail (at most once a day each, see inviteCoSpeaker), ones no longer listed are removed, and the others keep their
// profile and confirmation.
func syncCoSpeakers(tx *gorm.DB, p Proposal, emails []string, now time.Time) error {
	var have []CoSpeaker
	if err := tx.Where("proposal_id = ?", p.ID).Find(&have).Error; err != nil {
		return err
	}
	wanted := map[string]string{}
	for _, e := range emails {
		wanted[NormalizeEmail(e)] = e
	}
	for _, c := range have {
		if _, keep := wanted[c.EmailKey]; !keep {
			if err := tx.Delete(&c).Error; err != nil {
				return err
			}
		}
		delete(wanted, c.EmailKey)
	}
	for _, e := range emails {
		if _, add := wanted[NormalizeEmail(e)]; !add {
			continue
		}
		c := CoSpeaker{ProposalID: p.ID, EmailKey: NormalizeEmail(e), Email: e, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&c).Error; err != nil {
			return err
		}
		if err := inviteCoSpeaker(tx, now, p, c); err != nil {
			return err
		}
	}
	return nil
}

func enqueueProposal(tx *gorm.DB, now time.Time, kind string, p Proposal, to, payload string) error {
	id := p.ID
	return tx.Create(&OutboxMessage{Kind: kind, Recipient: to, Lang: p.Lang, ProposalID: &id,
		Payload: payload, NextAttemptAt: now, CreatedAt: now}).Error
}

// newProposalToken creates a personal link token of 256 random bits and stores its hash.
func newProposalToken(tx *gorm.DB, proposalID uint, coSpeakerID *uint, now time.Time) (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(b[:])
	err := tx.Create(&ProposalToken{Hash: hashToken(token), ProposalID: proposalID, CoSpeakerID: coSpeakerID, CreatedAt: now}).Error
	return token, err
}

// NewProposalToken creates another personal link to a proposal (for an e-mail): the
// speaker's when coSpeakerID is nil, otherwise that co-speaker's.
func (s *Store) NewProposalToken(ctx context.Context, proposalID uint, coSpeakerID *uint) (string, error) {
	return newProposalToken(s.db.WithContext(ctx), proposalID, coSpeakerID, s.now().UTC())
}

// Proposal returns a proposal with its venues, availability and co-speakers.
// It returns ErrNotFound when there is no such proposal.
func (s *Store) Proposal(ctx context.Context, id uint) (Proposal, error) {
	var p Proposal
	err := s.db.WithContext(ctx).Preload("Venues.Venue", func(db *gorm.DB) *gorm.DB { return db.Order("venues.id") }).
		Preload("Availability").Preload("CoSpeakers", func(db *gorm.DB) *gorm.DB { return db.Order("id") }).
		First(&p, id).Error
	if err != nil {
		return Proposal{}, notFound(err, "proposal", id)
	}
	slices.SortFunc(p.Venues, func(a, b ProposalVenue) int { return int(a.VenueID) - int(b.VenueID) })
	slices.SortFunc(p.Availability, func(a, b ProposalSlot) int { return int(a.SlotID) - int(b.SlotID) })
	return p, nil
}

// ProposalsOfEvent lists an event's proposals, oldest first.
func (s *Store) ProposalsOfEvent(ctx context.Context, eventID uint) ([]Proposal, error) {
	var ids []uint
	if err := s.db.WithContext(ctx).Model(&Proposal{}).Where("event_id = ?", eventID).Order("id").Pluck("id", &ids).Error; err != nil {
		return nil, fmt.Errorf("proposals of event %d: %w", eventID, err)
	}
	out := make([]Proposal, 0, len(ids))
	for _, id := range ids {
		p, err := s.Proposal(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// tokenRow finds a personal link's row; an unknown or malformed token is ErrNotFound.
func (s *Store) tokenRow(ctx context.Context, token string) (ProposalToken, error) {
	var pt ProposalToken
	if len(token) < 20 || len(token) > 100 {
		return pt, fmt.Errorf("proposal by token: %w", ErrNotFound)
	}
	if err := s.db.WithContext(ctx).Where("hash = ?", hashToken(token)).First(&pt).Error; err != nil {
		return pt, notFound(err, "proposal by token", "")
	}
	return pt, nil
}

// ProposalByToken finds the proposal a speaker's personal link (or edit token) belongs to. A
// co-speaker's link, or an unknown token, is ErrNotFound.
func (s *Store) ProposalByToken(ctx context.Context, token string) (Proposal, error) {
	pt, err := s.tokenRow(ctx, token)
	if err != nil {
		return Proposal{}, err
	}
	if pt.CoSpeakerID != nil {
		return Proposal{}, fmt.Errorf("proposal by token: %w", ErrNotFound)
	}
	return s.Proposal(ctx, pt.ProposalID)
}

// CoSpeakerByToken finds the co-speaker a personal link belongs to, with their proposal.
// It returns ErrNotFound when the token leads to no co-speaker.
func (s *Store) CoSpeakerByToken(ctx context.Context, token string) (CoSpeaker, Proposal, error) {
	pt, err := s.tokenRow(ctx, token)
	if err != nil {
		return CoSpeaker{}, Proposal{}, err
	}
	if pt.CoSpeakerID == nil {
		return CoSpeaker{}, Proposal{}, fmt.Errorf("co-speaker by token: %w", ErrNotFound)
	}
	c, err := s.CoSpeaker(ctx, *pt.CoSpeakerID)
	if err != nil {
		return CoSpeaker{}, Proposal{}, err
	}
	p, err := s.Proposal(ctx, c.ProposalID)
	return c, p, err
}

// CoSpeaker returns one co-speaker.
// It returns ErrNotFound when there is no such co-speaker.
func (s *Store) CoSpeaker(ctx context.Context, id uint) (CoSpeaker, error) {
	var c CoSpeaker
	if err := s.db.WithContext(ctx).First(&c, id).Error; err != nil {
		return CoSpeaker{}, notFound(err, "co-speaker", id)
	}
	return c, nil
}

// ProposalPhoto returns a proposal's photo.
// It returns ErrNotFound when the proposal has no photo.
func (s *Store) ProposalPhoto(ctx context.Context, proposalID uint) (ProposalPhoto, error) {
	var ph ProposalPhoto
	if err := s.db.WithContext(ctx).First(&ph, "proposal_id = ?", proposalID).Error; err != nil {
		return ProposalPhoto{}, notFound(err, "photo of proposal", proposalID)
	}
	return ph, nil
}

// EventOfProposal returns the event a proposal was submitted to.
// It returns ErrNotFound when there is no such proposal or event.
func (s *Store) EventOfProposal(ctx context.Context, p Proposal) (Event, error) {
	var e Event
	if err := s.db.WithContext(ctx).First(&e, p.EventID).Error; err != nil {
		return Event{}, notFound(err, "event", p.EventID)
	}
	return e, nil
}

// openProposal loads a proposal for a change in tx and checks it may still change: the call
// is open, and the speaker has neither withdrawn it nor answered a decision on it.
func (s *Store) openProposal(tx *gorm.DB, id uint, now time.Time) (Proposal, error) {
	var p Proposal
	if err := tx.First(&p, id).Error; err != nil {
		return Proposal{}, notFound(err, "proposal", id)
	}
	var e Event
	if err := tx.First(&e, p.EventID).Error; err != nil {
		return Proposal{}, err
	}
	if !e.CallOpen(now) {
		return Proposal{}, ErrCallClosed
	}
	if p.Status == ProposalWithdrawn {
		return Proposal{}, ErrWithdrawn
	}
	// Once the speaker has confirmed (their session exists) or declined, the proposal is
	// settled: a change or withdrawal would no longer reach the session.
	if p.Status == ProposalConfirmed || p.Status == ProposalDeclined {
		return Proposal{}, ErrSpeakerAnswered
	}
	return p, nil
}

// UpdateProposal replaces a proposal's details while the call is open. New co-speakers are
// invited; the photo changes only when the input says so.
// It returns ErrNotFound when there is no such proposal, ErrCallClosed when the call has closed,
// ErrWithdrawn when the proposal was withdrawn, ErrSpeakerAnswered when the speaker has answered
// its decision, and a *ValidationError when the input is not valid.
func (s *Store) UpdateProposal(ctx context.Context, id uint, in ProposalInput) (Proposal, error) {
	err := s.write(ctx, func(tx *gorm.DB) error {
		now := s.now().UTC()
		p, err := s.openProposal(tx, id, now)
		if err != nil {
			return err
		}
		// After the deadline the answer is "closed", whatever was sent: the input is judged
		// only while it could still be taken.
		if err := invalid(in.Validate()); err != nil {
			return err
		}
		venues, slots, err := resolvePlaces(tx, p.EventID, in)
		if err != nil {
			return err
		}
		oldEmail := p.SpeakerEmail
		in.apply(&p)
		p.UpdatedAt = now
		// A decision was taken on what the speaker wrote then: a changed proposal is
		// undecided again, for the organisers to look at anew.
		if p.Status == ProposalAccepted || p.Status == ProposalReserve || p.Status == ProposalRejected {
			p.Status, p.DecidedAt, p.DecidedBy = ProposalSubmitted, nil, nil
		}
		if !strings.EqualFold(p.SpeakerEmail, oldEmail) {
			// A corrected address gets the personal link too: the first one may never have
			// arrived.
			if err := enqueueProposal(tx, now, MailProposalReceived, p, p.SpeakerEmail, ""); err != nil {
				return err
			}
		}
		switch {
		case in.Photo != nil:
			if err := tx.Delete(&ProposalPhoto{}, "proposal_id = ?", p.ID).Error; err != nil {
				return err
			}
			if err := tx.Create(&ProposalPhoto{ProposalID: p.ID, ContentType: in.PhotoType, Data: in.Photo, CreatedAt: now}).Error; err != nil {
				return err
			}
			p.HasPhoto = true
		case in.RemovePhoto:
			if err := tx.Delete(&ProposalPhoto{}, "proposal_id = ?", p.ID).Error; err != nil {
				return err
			}
			p.HasPhoto = false
		}
		if err := tx.Model(&p).Select("title", "summary", "description", "format", "slot_count", "max_participants",
			"audience", "level", "needs", "speaker_name", "speaker_email", "speaker_organisation", "speaker_bio",
			"has_photo", "updated_at", "status", "decided_at", "decided_by").Updates(&p).Error; err != nil {
			return err
		}
		if err := replacePlaces(tx, p.ID, venues, slots); err != nil {
			return err
		}
		return syncCoSpeakers(tx, p, in.CoSpeakers, now)
	})
	if err != nil {
		return Proposal{}, fmt.Errorf("update proposal %d: %w", id, err)
	}
	return s.Proposal(ctx, id)
}

// WithdrawProposal withdraws a proposal while the call is open. It cannot be undone.
// It returns ErrNotFound when there is no such proposal, ErrCallClosed when the call has closed,
// ErrWithdrawn when the proposal was withdrawn already, and ErrSpeakerAnswered when the speaker
// has answered its decision.
func (s *Store) WithdrawProposal(ctx context.Context, id uint) (Proposal, error) {
	err := s.write(ctx, func(tx *gorm.DB) error {
		now := s.now().UTC()
		p, err := s.openProposal(tx, id, now)
		if err != nil {
			return err
		}
		return tx.Model(&p).Updates(map[string]any{"status": ProposalWithdrawn, "withdrawn_at": now, "updated_at": now}).Error
	})
	if err != nil {
		return Proposal{}, fmt.Errorf("withdraw proposal %d: %w", id, err)
	}
	return s.Proposal(ctx, id)
}

// ConfirmCoSpeaker records a co-speaker's profile and that they confirmed, while the call
// is open and the proposal is not withdrawn.
// It returns ErrNotFound when there is no such co-speaker, ErrCallClosed when the call has closed,
// ErrWithdrawn when the proposal was withdrawn, ErrSpeakerAnswered when the speaker has answered
// its decision, and a *ValidationError when the input is not valid.
func (s *Store) ConfirmCoSpeaker(ctx context.Context, id uint, in CoSpeakerInput) (CoSpeaker, error) {
	err := s.write(ctx, func(tx *gorm.DB) error {
		now := s.now().UTC()
		var c CoSpeaker
		if err := tx.First(&c, id).Error; err != nil {
			return notFound(err, "co-speaker", id)
		}
		if _, err := s.openProposal(tx, c.ProposalID, now); err != nil {
			return err
		}
		if err := invalid(in.Validate()); err != nil {
			return err
		}
		return tx.Model(&c).Updates(map[string]any{"name": in.Name, "organisation": in.Organisation, "bio": in.Bio,
			"lang": langOrDutch(in.Lang), "confirmed_at": now, "updated_at": now}).Error
	})
	if err != nil {
		return CoSpeaker{}, fmt.Errorf("confirm co-speaker %d: %w", id, err)
	}
	return s.CoSpeaker(ctx, id)
}
