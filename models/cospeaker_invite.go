package models

import (
	"errors"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// ReinviteAfter is how long a co-speaker waits between two invitations to one proposal: a
// speaker who takes a co-speaker off and puts them back, again and again, sends them at most
// one e-mail a day.
const ReinviteAfter = 24 * time.Hour

// CoSpeakerInvite remembers when an address was last invited to a proposal as co-speaker. It
// outlives the co-speaker, who is deleted when taken off the proposal, so that putting them
// back does not mail them again the same day, across restarts and processes.
type CoSpeakerInvite struct {
	ProposalID uint   `gorm:"primaryKey;autoIncrement:false"`
	EmailKey   string `gorm:"primaryKey;size:254"`
	// InvitedAt is when the last invitation was (or will be) sent.
	InvitedAt time.Time `gorm:"not null"`
}

// migrateCoSpeakerInvites adds the record of co-speaker invitations (issue #12 point 3).
func migrateCoSpeakerInvites(tx *gorm.DB) error {
	type Proposal struct{ ID uint }
	type CoSpeakerInvite struct {
		ProposalID uint      `gorm:"primaryKey;autoIncrement:false"`
		Proposal   Proposal  `gorm:"constraint:OnDelete:CASCADE"`
		EmailKey   string    `gorm:"primaryKey;size:254"`
		InvitedAt  time.Time `gorm:"not null"`
	}
	return tx.Migrator().CreateTable(&CoSpeakerInvite{})
}

// inviteCoSpeaker queues the invitation of co-speaker c, at most once per ReinviteAfter for
// one address and proposal. Within that time an invitation still waiting in the outbox is
// pointed at c (the co-speaker it named was taken off in the meantime); otherwise one is
// queued for when the day is over.
func inviteCoSpeaker(tx *gorm.DB, now time.Time, p Proposal, c CoSpeaker) error {
	payload := strconv.FormatUint(uint64(c.ID), 10)
	var inv CoSpeakerInvite
	err := tx.Where("proposal_id = ? AND email_key = ?", p.ID, c.EmailKey).First(&inv).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		inv = CoSpeakerInvite{ProposalID: p.ID, EmailKey: c.EmailKey, InvitedAt: now}
		if err := tx.Create(&inv).Error; err != nil {
			return err
		}
		return enqueueProposal(tx, now, MailCoSpeakerInvite, p, c.Email, payload)
	case err != nil:
		return err
	}
	if !now.Before(inv.InvitedAt.Add(ReinviteAfter)) {
		if err := tx.Model(&inv).Where("proposal_id = ? AND email_key = ?", p.ID, c.EmailKey).Update("invited_at", now).Error; err != nil {
			return err
		}
		return enqueueProposal(tx, now, MailCoSpeakerInvite, p, c.Email, payload)
	}
	var waiting []OutboxMessage
	if err := tx.Where("proposal_id = ? AND kind = ? AND sent_at IS NULL", p.ID, MailCoSpeakerInvite).Find(&waiting).Error; err != nil {
		return err
	}
	for _, m := range waiting {
		if NormalizeEmail(m.Recipient) == c.EmailKey {
			return tx.Model(&OutboxMessage{}).Where("id = ?", m.ID).Updates(map[string]any{"payload": payload, "recipient": c.Email}).Error
		}
	}
	due := inv.InvitedAt.Add(ReinviteAfter)
	if err := tx.Model(&inv).Where("proposal_id = ? AND email_key = ?", p.ID, c.EmailKey).Update("invited_at", due).Error; err != nil {
		return err
	}
	id := p.ID
	return tx.Create(&OutboxMessage{Kind: MailCoSpeakerInvite, Recipient: c.Email, Lang: p.Lang, ProposalID: &id,
		Payload: payload, NextAttemptAt: due, CreatedAt: now}).Error
}
