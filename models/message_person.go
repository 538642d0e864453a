package models

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// MessagePerson is one person of a message's audience as their e-mail is written when it
// goes out: who they are now and whether they are still in the audience.
type MessagePerson struct {
	Recipient
	// Registration is an attendee's, with their venue and bookings.
	Registration *Registration
	// Places are a speaker's or co-speaker's proposals in the audience, in id order.
	Places []ProposalPlace
	// LinkProposal and LinkCoSpeaker are what their personal link opens: the first proposal,
	// as its speaker (LinkCoSpeaker nil) or as that co-speaker.
	LinkProposal  uint
	LinkCoSpeaker *uint
	// Gone is set when the person has left the audience since the message was queued: an
	// attendee who cancelled, a speaker who withdrew.
	Gone bool
}

// ProposalPlace is one of a speaker's proposals, with its session once there is one.
type ProposalPlace struct {
	ProposalID uint
	Title      string
	Session    *Session // with venue, room and slots; nil before the proposal became one
}

// MessagePerson reads the person an e-mail of a message goes to: group and id as its
// payload names them, the audience as the message holds it.
// It returns ErrNotFound when the person is no longer there, and ErrNoAddresses for a group
// whose people cannot be written to.
func (s *Store) MessagePerson(ctx context.Context, a Audience, group string, id uint) (MessagePerson, error) {
	a.Kind = group
	db := s.db.WithContext(ctx)
	in, key := a.query(db, s.now())
	var out MessagePerson
	out.Kind, out.ID = group, id
	switch group {
	case AudienceAttendees:
		r, err := s.Registration(ctx, id)
		if err != nil {
			return out, err
		}
		out.Registration = &r
		out.Key, out.Name, out.Email, out.Organisation, out.Lang = NormalizeEmail(r.Email), r.Name, r.Email, r.Organisation, langOrDutch(r.Lang)
		var n int64
		if err := in.Where("registrations.id = ?", id).Count(&n).Error; err != nil {
			return out, fmt.Errorf("message person %d: %w", id, err)
		}
		out.Gone = n == 0
	case AudienceSpeakers:
		var p Proposal
		if err := db.First(&p, id).Error; err != nil {
			return out, notFound(err, "proposal", id)
		}
		out.Name, out.Email, out.Organisation, out.Lang = p.SpeakerName, p.SpeakerEmail, p.SpeakerOrganisation, langOrDutch(p.Lang)
		out.Key = NormalizeEmail(p.SpeakerEmail)
		if err := s.proposalPlaces(ctx, &out, in.Where(key+" = ?", out.Key), "proposals.id, proposals.title, 0"); err != nil {
			return out, err
		}
	case AudienceCoSpeakers:
		var c CoSpeaker
		if err := db.First(&c, id).Error; err != nil {
			return out, notFound(err, "co-speaker", id)
		}
		var lang string
		if err := db.Model(&Proposal{}).Where("id = ?", c.ProposalID).Pluck("lang", &lang).Error; err != nil {
			return out, err
		}
		out.Name, out.Email, out.Organisation, out.Lang, out.Key = c.Name, c.Email, c.Organisation, langOrDutch(lang), c.EmailKey
		if err := s.proposalPlaces(ctx, &out, in.Where(key+" = ?", out.Key), "proposals.id, proposals.title, co_speakers.id"); err != nil {
			return out, err
		}
	case AudienceReviewers:
		u, err := s.User(ctx, id)
		if err != nil {
			return out, err
		}
		out.Email, out.Key, out.Lang, out.Gone = u.Email, u.Email, "nl", u.Role != RoleReviewer
	case AudienceVoters:
		var c VoteContact
		err := in.Where("vote_contacts.id = ?", id).Select("vote_contacts.*").Take(&c).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			// Voting closed (the address is gone, or about to be) or the event changed.
			out.Gone = true
			return out, nil
		}
		if err != nil {
			return out, fmt.Errorf("message person %d: %w", id, err)
		}
		out.Email, out.Key, out.Lang = c.Email, c.EmailKey, langOrDutch(c.Lang)
	default:
		return out, fmt.Errorf("message person of the %s group: %w", group, ErrNoAddresses)
	}
	return out, nil
}

// proposalPlaces fills in a speaker's or co-speaker's proposals in the audience (q) with
// their sessions; cols selects a proposal's id and title and the co-speaker's id (0 for a
// speaker). No proposal left means the person has left the audience.
func (s *Store) proposalPlaces(ctx context.Context, out *MessagePerson, q *gorm.DB, cols string) error {
	rows, err := q.Select(cols).Order("proposals.id").Rows()
	if err != nil {
		return fmt.Errorf("proposals of %s: %w", out.Key, err)
	}
	var ids []uint
	for rows.Next() {
		var pl ProposalPlace
		var co uint
		if err := rows.Scan(&pl.ProposalID, &pl.Title, &co); err != nil {
			rows.Close()
			return fmt.Errorf("read proposal: %w", err)
		}
		if len(out.Places) == 0 {
			out.LinkProposal = pl.ProposalID
			if co != 0 {
				out.LinkCoSpeaker = &co
			}
		}
		if len(ids) > 0 && ids[len(ids)-1] == pl.ProposalID {
			continue
		}
		ids = append(ids, pl.ProposalID)
		out.Places = append(out.Places, pl)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	out.Gone = len(out.Places) == 0
	if out.Gone {
		return nil
	}
	var sessions []Session
	if err := s.sessionQuery(ctx).Where("proposal_id IN ?", ids).Find(&sessions).Error; err != nil {
		return fmt.Errorf("sessions of proposals: %w", err)
	}
	for i := range sessions {
		for j := range out.Places {
			if sessions[i].ProposalID != nil && *sessions[i].ProposalID == out.Places[j].ProposalID {
				out.Places[j].Session = &sessions[i]
			}
		}
	}
	return nil
}
