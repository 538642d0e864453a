package models

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"gorm.io/gorm"
)

// VoteContact is the address of someone who asked for a ballot and chose to hear about the
// vote (a reminder before it closes, say): the only way organisers can write to voters.
//
// It is kept apart from the voter on purpose. A voter is a keyed hash of their address, so
// their votes cannot be tied to them; a contact has no voter id, no time and a random id,
// so it cannot be tied to a voter either, and through them to their votes. It lives only
// while voting is open: ForgetVoteContacts deletes it when voting closes, and the audience
// of voters leaves it out from that moment whether or not the job has run.
type VoteContact struct {
	ID       uint   `gorm:"primaryKey;autoIncrement:false"` // random, so the order of ids says nothing
	EventID  uint   `gorm:"not null;uniqueIndex:idx_vote_contacts_event_email"`
	EmailKey string `gorm:"size:254;not null;uniqueIndex:idx_vote_contacts_event_email"`
	Email    string `gorm:"size:254;not null"`
	Lang     string `gorm:"size:5;not null"`
}

// KeepVoterInformed records that email, who asked for a ballot of the current event, wants
// to hear about the vote, in lang. Asking again changes nothing but the language. It is
// refused (ErrVotingClosed) once voting has closed.
func (s *Store) KeepVoterInformed(ctx context.Context, email, lang string) error {
	event, err := s.openVoteFor(ctx, email)
	if err != nil {
		return fmt.Errorf("keep voter informed: %w", err)
	}
	c := VoteContact{EventID: event.ID, EmailKey: NormalizeEmail(email), Email: strings.TrimSpace(email), Lang: langOrDutch(lang)}
	err = s.write(ctx, func(tx *gorm.DB) error {
		var have VoteContact
		err := tx.Where("event_id = ? AND email_key = ?", c.EventID, c.EmailKey).First(&have).Error
		if err == nil {
			return tx.Model(&have).Update("lang", c.Lang).Error
		}
		if !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		// A random id below 2^31 (it fits every integer column); another draw in the rare
		// case it is taken.
		for range 5 {
			n, err := rand.Int(rand.Reader, big.NewInt(1<<31-1))
			if err != nil {
				return err
			}
			c.ID = uint(n.Int64()) + 1
			var taken int64
			if err := tx.Model(&VoteContact{}).Where("id = ?", c.ID).Count(&taken).Error; err != nil {
				return err
			}
			if taken == 0 {
				return tx.Create(&c).Error
			}
		}
		return errors.New("no free id")
	})
	if err != nil {
		return fmt.Errorf("keep voter informed: %w", err)
	}
	return nil
}

// voteContactsOpen is the condition that keeps only the contacts of events whose voting is
// on and has not closed at now (the argument): after that they are never written to.
const voteContactsOpen = "EXISTS (SELECT 1 FROM events WHERE events.id = vote_contacts.event_id AND events.voting_enabled " +
	"AND (events.voting_closes_at IS NULL OR events.voting_closes_at > ?))"

// ForgetVoteContacts deletes the addresses of voters of every event whose voting has
// closed; it runs as a periodic job. It returns how many it deleted.
func (s *Store) ForgetVoteContacts(ctx context.Context) (int64, error) {
	var n int64
	err := s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Where("event_id IN (SELECT id FROM events WHERE voting_closes_at IS NOT NULL AND voting_closes_at <= ?)",
			s.now().UTC()).Delete(&VoteContact{})
		n = res.RowsAffected
		return res.Error
	})
	if err != nil {
		return 0, fmt.Errorf("forget vote contacts: %w", err)
	}
	return n, nil
}
