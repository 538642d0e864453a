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

// MaxTrackName is the longest name a track may have, in characters.
const MaxTrackName = 100

// Track is a theme of the event that proposals, and later sessions, belong to. Proposals
// refer to a track by its name, as sessions do.
type Track struct {
	ID        uint
	EventID   uint   `gorm:"not null;uniqueIndex:idx_tracks_event_name"`
	Name      string `gorm:"size:100;not null;uniqueIndex:idx_tracks_event_name"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TrackInput is a track's name as an organiser types it; spaces around it are dropped.
type TrackInput struct {
	Name string
}

// Validate reports what is wrong with the track.
func (in TrackInput) Validate() Problems {
	p := Problems{}
	p.checkLine("name", strings.TrimSpace(in.Name), true, MaxTrackName)
	p.checkName("name", in.Name)
	return p
}

// Tracks lists an event's tracks by name.
func (s *Store) Tracks(ctx context.Context, eventID uint) ([]Track, error) {
	var out []Track
	if err := s.db.WithContext(ctx).Where("event_id = ?", eventID).Order("name").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("tracks of event %d: %w", eventID, err)
	}
	return out, nil
}

// Track returns one track.
// It returns ErrNotFound when there is no such track.
func (s *Store) Track(ctx context.Context, id uint) (Track, error) {
	var t Track
	if err := s.db.WithContext(ctx).First(&t, id).Error; err != nil {
		return Track{}, notFound(err, "track", id)
	}
	return t, nil
}

// trackTaken is the problem of a name the event already has.
func trackTaken() error { return invalid(Problems{"name": {Key: "track.name_taken"}}) }

// CreateTrack adds a track to an event. A name the event already has is a problem on "name".
func (s *Store) CreateTrack(ctx context.Context, eventID uint, in TrackInput) (Track, error) {
	if err := invalid(in.Validate()); err != nil {
		return Track{}, err
	}
	now := s.now().UTC()
	t := Track{EventID: eventID, Name: strings.TrimSpace(in.Name), CreatedAt: now, UpdatedAt: now}
	err := s.write(ctx, func(tx *gorm.DB) error {
		t.ID = 0 // a batch may run this again
		if err := tx.Create(&t).Error; err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditRecord{Action: ActionTrackCreated, SubjectKind: SubjectTrack, SubjectID: t.ID,
			Details: map[string]any{"new": map[string]any{"name": t.Name}}})
	})
	if isUniqueViolation(err) {
		return Track{}, trackTaken()
	}
	if err != nil {
		return Track{}, fmt.Errorf("create track %q: %w", in.Name, err)
	}
	return t, nil
}

// RenameTrack renames a track, and the track of every proposal that has it, together.
// It returns ErrNotFound when there is no such track, and a *ValidationError when the name is not
// valid.
func (s *Store) RenameTrack(ctx context.Context, id uint, in TrackInput) (Track, error) {
	if err := invalid(in.Validate()); err != nil {
		return Track{}, err
	}
	name := strings.TrimSpace(in.Name)
	err := s.write(ctx, func(tx *gorm.DB) error {
		var t Track
		if err := tx.First(&t, id).Error; err != nil {
			return notFound(err, "track", id)
		}
		was := t.Name // Updates below sets t's fields
		// Proposals and sessions name their track: both follow the new name.
		for _, model := range []any{&Proposal{}, &Session{}} {
			if err := tx.Model(model).Where("event_id = ? AND track = ?", t.EventID, t.Name).UpdateColumn("track", name).Error; err != nil {
				return err
			}
		}
		if err := tx.Model(&t).Updates(map[string]any{"name": name, "updated_at": s.now().UTC()}).Error; err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditRecord{Action: ActionTrackRenamed, SubjectKind: SubjectTrack, SubjectID: t.ID,
			Details: fieldChange("name", was, name)})
	})
	if isUniqueViolation(err) {
		return Track{}, trackTaken()
	}
	if err != nil {
		return Track{}, fmt.Errorf("rename track %d: %w", id, err)
	}
	return s.Track(ctx, id)
}

// DeleteTrack removes a track; the proposals and sessions that had it are left without one.
// It returns ErrNotFound when there is no such track.
func (s *Store) DeleteTrack(ctx context.Context, id uint) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		var t Track
		if err := tx.First(&t, id).Error; err != nil {
			return notFound(err, "track", id)
		}
		for _, model := range []any{&Proposal{}, &Session{}} {
			if err := tx.Model(model).Where("event_id = ? AND track = ?", t.EventID, t.Name).UpdateColumn("track", "").Error; err != nil {
				return err
			}
		}
		if err := tx.Delete(&t).Error; err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditRecord{Action: ActionTrackDeleted, SubjectKind: SubjectTrack, SubjectID: t.ID,
			Details: map[string]any{"old": map[string]any{"name": t.Name}}})
	})
	if err != nil {
		return fmt.Errorf("delete track %d: %w", id, err)
	}
	return nil
}

// SetProposalTrack puts a proposal in one of its event's tracks, or in none when track is "".
// An unknown track is a problem on "track"; a withdrawn proposal is ErrWithdrawn.
// It returns ErrNotFound when there is no such proposal.
func (s *Store) SetProposalTrack(ctx context.Context, id uint, track string) (Proposal, error) {
	err := s.write(ctx, func(tx *gorm.DB) error {
		var p Proposal
		if err := tx.Select("id", "event_id", "status", "track").First(&p, id).Error; err != nil {
			return notFound(err, "proposal", id)
		}
		if p.Status == ProposalWithdrawn {
			return ErrWithdrawn
		}
		if track != "" {
			var n int64
			if err := tx.Model(&Track{}).Where("event_id = ? AND name = ?", p.EventID, track).Count(&n).Error; err != nil {
				return err
			}
			if n == 0 {
				return invalid(Problems{"track": {Key: "form.invalid_choice"}})
			}
		}
		was := p.Track // UpdateColumn below sets p's field
		if err := tx.Model(&p).UpdateColumn("track", track).Error; err != nil {
			return err
		}
		if err := s.audit(ctx, tx, AuditRecord{Action: ActionProposalTrack, SubjectKind: SubjectProposal, SubjectID: p.ID,
			Details: fieldChange("track", was, track)}); err != nil {
			return err
		}
		// A confirmed proposal's session carries its track too.
		return tx.Model(&Session{}).Where("proposal_id = ?", p.ID).UpdateColumn("track", track).Error
	})
	if err != nil {
		return Proposal{}, fmt.Errorf("set track of proposal %d: %w", id, err)
	}
	return s.Proposal(ctx, id)
}

// ErrSpeakerAnswered reports a decision on a proposal whose speaker has already confirmed or
// declined: that is no longer the organisers' to change.
var ErrSpeakerAnswered = errors.New("speaker has already answered")

// DecisionStatuses are the statuses organisers may give a proposal; "submitted" takes a
// decision back.
var DecisionStatuses = []string{ProposalAccepted, ProposalReserve, ProposalRejected, ProposalSubmitted}

// DecideProposal gives a proposal one of DecisionStatuses and records who decided when; back
// to "submitted" clears both. A withdrawn proposal is ErrWithdrawn, one its speaker has
// confirmed or declined ErrSpeakerAnswered.
// It also returns ErrNotFound when there is no such proposal, ErrConflict when its status changed
// at the same moment, and a *ValidationError when the input is not valid.
func (s *Store) DecideProposal(ctx context.Context, id uint, status string, by uint) (Proposal, error) {
	if !slices.Contains(DecisionStatuses, status) {
		return Proposal{}, invalid(Problems{"status": {Key: "form.invalid_choice"}})
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		var p Proposal
		if err := tx.Select("id", "status").First(&p, id).Error; err != nil {
			return notFound(err, "proposal", id)
		}
		switch p.Status {
		case ProposalWithdrawn:
			return ErrWithdrawn
		case ProposalConfirmed, ProposalDeclined:
			return ErrSpeakerAnswered
		}
		now := s.now().UTC()
		set := map[string]any{"status": status, "decided_at": now, "decided_by": by, "updated_at": now}
		if status == ProposalSubmitted {
			set["decided_at"], set["decided_by"] = nil, nil
		}
		// The status read above must still hold: a speaker may withdraw at the same moment.
		res := tx.Model(&Proposal{}).Where("id = ? AND status = ?", id, p.Status).UpdateColumns(set)
		if res.Error == nil && res.RowsAffected == 0 {
			return ErrConflict
		}
		if res.Error != nil {
			return res.Error
		}
		return s.audit(ctx, tx, AuditRecord{Action: ActionProposalDecided, SubjectKind: SubjectProposal, SubjectID: id,
			Details: fieldChange("status", p.Status, status)})
	})
	if err != nil {
		return Proposal{}, fmt.Errorf("decide proposal %d: %w", id, err)
	}
	return s.Proposal(ctx, id)
}
