package models

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// A co-speaker's own rights over their data (issue #17), through their own personal link
// (/voorstellen/medespreker/TOKEN): what is held about them on the proposal they were named
// on, and erasing it. The proposal and its speaker are someone else's and stay.

// ActionCoSpeakerErased is the audit action of a co-speaker erasing their data.
const ActionCoSpeakerErased = "co_speaker.erased"

// SubjectCoSpeaker is the audit subject of a co-speaker.
const SubjectCoSpeaker = "co_speaker"

// CoSpeakerExport is everything held about a co-speaker.
type CoSpeakerExport struct {
	Event      string           `json:"event"`
	ExportedAt time.Time        `json:"exported_at"`
	Email      string           `json:"email"`
	Name       string           `json:"name"`
	Org        string           `json:"organisation"`
	Bio        string           `json:"bio"`
	Lang       string           `json:"lang"`
	InvitedAt  time.Time        `json:"invited_at"`
	Confirmed  *time.Time       `json:"confirmed_at,omitempty"`
	Proposal   CoSpeakerOn      `json:"proposal"`
	Session    *ExportedSession `json:"session,omitempty"`
	Mails      []MailRecord     `json:"emails"`
}

// CoSpeakerOn is the proposal a co-speaker was named on, as their page shows it.
type CoSpeakerOn struct {
	ID     uint   `json:"id"`
	Title  string `json:"title"`
	Status string `json:"status"`
}

// coSpeakerMail selects the proposal's e-mails to the co-speaker's address.
func coSpeakerMail(db *gorm.DB, c CoSpeaker) *gorm.DB {
	return db.Model(&OutboxMessage{}).Where("proposal_id = ? AND LOWER(recipient) = ?", c.ProposalID, c.EmailKey)
}

// ExportCoSpeaker returns everything held about co-speaker id: their profile, the proposal
// they are named on (title and status as shown to them), its session, and the e-mails to
// them about it (kinds and times).
// It returns ErrNotFound when there is no such co-speaker.
func (s *Store) ExportCoSpeaker(ctx context.Context, id uint) (CoSpeakerExport, error) {
	c, err := s.CoSpeaker(ctx, id)
	if err != nil {
		return CoSpeakerExport{}, fmt.Errorf("export co-speaker: %w", err)
	}
	p, err := s.Proposal(ctx, c.ProposalID)
	if err != nil {
		return CoSpeakerExport{}, fmt.Errorf("export co-speaker %d: %w", id, err)
	}
	event, err := s.EventOfProposal(ctx, p)
	if err != nil {
		return CoSpeakerExport{}, fmt.Errorf("export co-speaker %d: %w", id, err)
	}
	status, err := s.SpeakerStatus(ctx, p)
	if err != nil {
		return CoSpeakerExport{}, fmt.Errorf("export co-speaker %d: %w", id, err)
	}
	out := CoSpeakerExport{Event: event.Name, ExportedAt: s.now().UTC(), Email: c.Email, Name: c.Name, Org: c.Organisation,
		Bio: c.Bio, Lang: c.Lang, InvitedAt: c.CreatedAt.UTC(), Confirmed: utcPtr(c.ConfirmedAt),
		Proposal: CoSpeakerOn{ID: p.ID, Title: p.Title, Status: status}, Mails: []MailRecord{}}
	se, err := s.SessionOfProposal(ctx, p.ID)
	switch {
	case errors.Is(err, ErrNotFound):
	case err != nil:
		return CoSpeakerExport{}, fmt.Errorf("export co-speaker %d: %w", id, err)
	default:
		public, err := s.SessionIsPublic(ctx, se)
		if err != nil {
			return CoSpeakerExport{}, fmt.Errorf("export co-speaker %d: %w", id, err)
		}
		out.Session = &ExportedSession{ID: se.ID, Title: se.Title, OnProgramme: public}
	}
	var rows []OutboxMessage
	if err := coSpeakerMail(s.db.WithContext(ctx), c).Select("kind", "created_at", "sent_at").Order("id").Find(&rows).Error; err != nil {
		return CoSpeakerExport{}, fmt.Errorf("export co-speaker %d: %w", id, err)
	}
	for _, r := range rows {
		out.Mails = append(out.Mails, MailRecord{Kind: r.Kind, QueuedAt: r.CreatedAt.UTC(), SentAt: utcPtr(r.SentAt)})
	}
	return out, nil
}

// EraseCoSpeaker erases co-speaker id's data in one transaction: they are taken off the
// proposal (and off its session, which stays on the programme, and out of the published
// versions), their link and invitation record go, the e-mails to them about it are
// withdrawn or lose their address, the audit entries about them are anonymised and the
// erasure recorded without personal details; one last e-mail confirms it to their address.
// It returns ErrNotFound when there is no such co-speaker.
func (s *Store) EraseCoSpeaker(ctx context.Context, id uint) (ProposalErasure, error) {
	var out ProposalErasure
	err := s.write(ctx, func(tx *gorm.DB) error {
		out = ProposalErasure{}
		now := s.now().UTC()
		var c CoSpeaker
		if err := tx.First(&c, id).Error; err != nil {
			return notFound(err, "co-speaker", id)
		}
		var p Proposal
		if err := tx.First(&p, c.ProposalID).Error; err != nil {
			return notFound(err, "proposal", c.ProposalID)
		}
		out.Status = p.Status
		var sessions []Session
		if err := tx.Where("proposal_id = ?", p.ID).Limit(1).Find(&sessions).Error; err != nil {
			return err
		}
		if len(sessions) == 1 {
			out.SessionKept = true
			if err := takeSpeakerOff(tx, now, c.Email, sessions[0]); err != nil {
				return err
			}
		}
		if err := coSpeakerMail(tx, c).Where("sent_at IS NULL").Delete(&OutboxMessage{}).Error; err != nil {
			return err
		}
		if err := coSpeakerMail(tx, c).Updates(map[string]any{"recipient": "", "payload": "", "last_error": ""}).Error; err != nil {
			return err
		}
		if err := tx.Where("co_speaker_id = ?", c.ID).Delete(&ProposalToken{}).Error; err != nil {
			return err
		}
		if err := tx.Where("proposal_id = ? AND email_key = ?", p.ID, c.EmailKey).Delete(&CoSpeakerInvite{}).Error; err != nil {
			return err
		}
		if err := tx.Delete(&CoSpeaker{}, c.ID).Error; err != nil {
			return err
		}
		if err := forgetRateCounters(tx, c.Email); err != nil {
			return err
		}
		if _, err := anonymiseAuditAbout(tx, now, SubjectCoSpeaker, c.ID); err != nil {
			return err
		}
		if err := writeAudit(tx, now, Actor{Kind: ActorPerson}, AuditRecord{Action: ActionCoSpeakerErased,
			SubjectKind: SubjectCoSpeaker, SubjectID: c.ID, Details: map[string]any{"proposal": p.ID, "session_kept": out.SessionKept}}); err != nil {
			return err
		}
		return tx.Create(&OutboxMessage{Kind: MailSpeakerErased, Recipient: c.Email, Lang: langOrDutch(cmp.Or(c.Lang, p.Lang)),
			Payload: strconv.FormatUint(uint64(p.EventID), 10), NextAttemptAt: now, CreatedAt: now}).Error
	})
	if err != nil {
		return ProposalErasure{}, fmt.Errorf("erase co-speaker %d: %w", id, err)
	}
	return out, nil
}
