package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// PublicSession returns a session as the public site may show it: one in the latest
// published version of the schedule, or, before the first version is published, one placed
// on the timetable (what the public programme shows then). Any other session, unplaced or
// never published, is ErrNotFound, just like an id that does not exist.
func (s *Store) PublicSession(ctx context.Context, id uint) (Session, error) {
	se, err := s.Session(ctx, id)
	if err != nil {
		return Session{}, err
	}
	public, err := s.SessionIsPublic(ctx, se)
	if err != nil {
		return Session{}, err
	}
	if !public {
		return Session{}, fmt.Errorf("session %d is not public: %w", id, ErrNotFound)
	}
	return se, nil
}

// SessionIsPublic reports whether the public programme shows the session: of a published
// edition, on its latest published timetable (or placed, before the first is published).
func (s *Store) SessionIsPublic(ctx context.Context, se Session) (bool, error) {
	var published int64
	if err := s.db.WithContext(ctx).Model(&Event{}).Where("id = ? AND published_at IS NOT NULL", se.EventID).Count(&published).Error; err != nil {
		return false, fmt.Errorf("is edition %d published: %w", se.EventID, err)
	}
	if published == 0 {
		return false, nil // an edition in preparation shows nothing
	}
	v, err := s.LatestScheduleVersion(ctx, se.EventID)
	switch {
	case errors.Is(err, ErrNotFound):
		return se.Placed(), nil
	case err != nil:
		return false, err
	}
	return slices.ContainsFunc(v.Sessions, func(p PublishedSession) bool { return p.SessionID == se.ID }), nil
}

// SpeakerProfile is what a session page may show of a speaker beyond their name: the bio and
// whether there is a photo. Only a speaker who agreed to publish them has a profile.
type SpeakerProfile struct {
	Bio string
	// PhotoProposalID is the proposal whose photo is the speaker's; 0 when there is none.
	PhotoProposalID uint
}

// SpeakerProfiles returns, by speaker id, the published profile of the session's speakers.
// The speaker who sent the proposal the session came from agreed, when submitting it, that
// their name, organisation, bio and photo are published with the session; co-speakers gave
// no such consent, so they are named but get no profile. A withdrawn proposal publishes
// nothing.
func (s *Store) SpeakerProfiles(ctx context.Context, se Session) (map[uint]SpeakerProfile, error) {
	out := map[uint]SpeakerProfile{}
	if se.ProposalID == nil {
		return out, nil
	}
	var p Proposal
	err := s.db.WithContext(ctx).First(&p, *se.ProposalID).Error
	if err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return out, nil
		}
		return nil, fmt.Errorf("proposal of session %d: %w", se.ID, err)
	}
	if p.ConsentAt.IsZero() || p.Status == ProposalWithdrawn || p.Status == ProposalDeclined {
		return out, nil
	}
	for _, sp := range se.Speakers {
		if sp.Email == "" || !strings.EqualFold(sp.Email, p.SpeakerEmail) {
			continue
		}
		prof := SpeakerProfile{Bio: strings.TrimSpace(sp.Bio)}
		if prof.Bio == "" {
			prof.Bio = strings.TrimSpace(p.SpeakerBio)
		}
		if p.HasPhoto {
			prof.PhotoProposalID = p.ID
		}
		out[sp.ID] = prof
	}
	return out, nil
}

// PublicSpeakerPhoto returns the photo of a public session's speaker who agreed to publish
// it; anything else is ErrNotFound.
func (s *Store) PublicSpeakerPhoto(ctx context.Context, sessionID, speakerID uint) (ProposalPhoto, error) {
	se, err := s.PublicSession(ctx, sessionID)
	if err != nil {
		return ProposalPhoto{}, err
	}
	profiles, err := s.SpeakerProfiles(ctx, se)
	if err != nil {
		return ProposalPhoto{}, err
	}
	prof, ok := profiles[speakerID]
	if !ok || prof.PhotoProposalID == 0 {
		return ProposalPhoto{}, fmt.Errorf("photo of speaker %d: %w", speakerID, ErrNotFound)
	}
	return s.ProposalPhoto(ctx, prof.PhotoProposalID)
}
