package models

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// A voter's own rights over their data (issue #17 points 1 and 2), through their ballot link.
// A voter is a keyed hash of their address; their votes are kept against that pseudonym, so
// the export shows how many votes the ballot holds, never which proposals: an export is a
// file that travels, and it must not tie an address to its votes. Erasing breaks the last
// links between the person and the ballot — its pseudonym, its links, the address kept to
// keep them informed and any ballot e-mail still waiting — and keeps the votes, now of no one:
// the counts per proposal, and the planner's interest data, stay true.

// ActionVoterErased is the audit action of a voter erasing their data.
const ActionVoterErased = "voter.erased"

// SubjectVoter is the audit subject of a voter.
const SubjectVoter = "voter"

// MailVoterErased confirms to a voter's address, when it is still known, that their data was
// erased; Payload is the event id. Its address goes once it is sent.
const MailVoterErased = "voter_erased"

// erasedHashPrefix starts the pseudonym of an erased voter: random, so that it stands for
// no address and keeps the index of one ballot per address unique.
const erasedHashPrefix = "erased-"

// VoterExport is everything held about a voter.
type VoterExport struct {
	Event      string     `json:"event"`
	ExportedAt time.Time  `json:"exported_at"`
	AskedAt    time.Time  `json:"asked_at"`
	VerifiedAt *time.Time `json:"verified_at,omitempty"`
	VotedAt    *time.Time `json:"voted_at,omitempty"`
	// Votes is how many proposals the ballot's votes are for; which ones is not part of an
	// export.
	Votes int    `json:"votes"`
	Lang  string `json:"lang"`
	// Contact is the address kept to keep the voter informed about the vote, if they asked.
	Contact *ExportedVoteContact `json:"contact,omitempty"`
	// MailsWaiting counts ballot e-mails not yet sent; a sent one forgets its address at once.
	MailsWaiting int `json:"emails_waiting"`
}

// ExportedVoteContact is the address a voter left to hear about the vote.
type ExportedVoteContact struct {
	Email string `json:"email"`
	Lang  string `json:"lang"`
}

// VoterErasure is the outcome of erasing a voter's data.
type VoterErasure struct {
	// Votes is how many votes stay, now of no one.
	Votes int
	// Confirmed says a confirmation e-mail was queued: only when the address was still known
	// (kept to keep them informed, or on a ballot e-mail still waiting).
	Confirmed bool
}

// VoterOfLink finds the voter a ballot link belongs to without recording anything.
// It returns ErrNotFound when the token leads to no voter.
func (s *Store) VoterOfLink(ctx context.Context, token string) (Voter, error) {
	return voterByToken(s.db.WithContext(ctx), token)
}

// ExportVoter returns everything held about voter id: when they asked for the ballot, when
// they opened and used it, how many votes it holds, and the address kept to inform them.
// It returns ErrNotFound when there is no such voter.
func (s *Store) ExportVoter(ctx context.Context, id uint) (VoterExport, error) {
	v, err := s.Voter(ctx, id)
	if err != nil {
		return VoterExport{}, fmt.Errorf("export voter: %w", err)
	}
	var e Event
	db := s.db.WithContext(ctx)
	if err := db.First(&e, v.EventID).Error; err != nil {
		return VoterExport{}, notFound(err, "event", v.EventID)
	}
	out := VoterExport{Event: e.Name, ExportedAt: s.now().UTC(), AskedAt: v.CreatedAt.UTC(), VerifiedAt: utcPtr(v.VerifiedAt),
		VotedAt: utcPtr(v.VotedAt), Lang: v.Lang}
	var votes, waiting int64
	if err := db.Model(&Vote{}).Where("voter_id = ?", v.ID).Count(&votes).Error; err != nil {
		return VoterExport{}, fmt.Errorf("export voter %d: %w", id, err)
	}
	if err := waitingBallots(db, v.ID).Count(&waiting).Error; err != nil {
		return VoterExport{}, fmt.Errorf("export voter %d: %w", id, err)
	}
	out.Votes, out.MailsWaiting = int(votes), int(waiting)
	c, found, err := s.contactOfVoter(ctx, v)
	if err != nil {
		return VoterExport{}, fmt.Errorf("export voter %d: %w", id, err)
	}
	if found {
		out.Contact = &ExportedVoteContact{Email: c.Email, Lang: c.Lang}
	}
	return out, nil
}

// waitingBallots selects the ballot e-mails to voter id not sent yet (a sent one has
// forgotten its address and voter).
func waitingBallots(db *gorm.DB, voterID uint) *gorm.DB {
	return db.Model(&OutboxMessage{}).Where("kind = ? AND payload = ? AND sent_at IS NULL", MailBallot,
		strconv.FormatUint(uint64(voterID), 10))
}

// contactOfVoter finds the address v left to hear about the vote. Contacts carry nothing that
// ties them to a voter, so each address of the event is hashed as a voter's would be and
// compared: the voter, who holds the ballot link, learns only their own address.
func (s *Store) contactOfVoter(ctx context.Context, v Voter) (VoteContact, bool, error) {
	if strings.HasPrefix(v.EmailHash, erasedHashPrefix) {
		return VoteContact{}, false, nil
	}
	var contacts []VoteContact
	if err := s.db.WithContext(ctx).Where("event_id = ?", v.EventID).Find(&contacts).Error; err != nil {
		return VoteContact{}, false, err
	}
	if len(contacts) == 0 {
		return VoteContact{}, false, nil
	}
	hash, err := s.voterHasher(ctx, v.EventID)
	if err != nil {
		return VoteContact{}, false, err
	}
	for _, c := range contacts {
		if hash(c.Email) == v.EmailHash {
			return c, true, nil
		}
	}
	return VoteContact{}, false, nil
}

// EraseVoter erases voter id's data in one transaction: their pseudonym becomes a random one,
// their ballot links go, and so do the address kept to inform them and any ballot e-mail
// still waiting; the votes stay, of no one, so that every count stays true. The erasure is
// recorded in the audit trail without personal details and, when the address was still
// known, confirmed to it one last time.
// It returns ErrNotFound when there is no such voter.
func (s *Store) EraseVoter(ctx context.Context, id uint) (VoterErasure, error) {
	v, err := s.Voter(ctx, id)
	if err != nil {
		return VoterErasure{}, fmt.Errorf("erase voter: %w", err)
	}
	// Hashing reads the event's key: done before the transaction (see RequestBallot).
	contact, hasContact, err := s.contactOfVoter(ctx, v)
	if err != nil {
		return VoterErasure{}, fmt.Errorf("erase voter %d: %w", id, err)
	}
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		return VoterErasure{}, err
	}
	pseudonym := erasedHashPrefix + hex.EncodeToString(b[:])
	var out VoterErasure
	err = s.write(ctx, func(tx *gorm.DB) error {
		out = VoterErasure{}
		now := s.now().UTC()
		res := tx.Model(&Voter{}).Where("id = ? AND email_hash = ?", id, v.EmailHash).Update("email_hash", pseudonym)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("voter %d: %w", id, ErrNotFound) // erased meanwhile
		}
		if err := tx.Where("voter_id = ?", id).Delete(&VoterToken{}).Error; err != nil {
			return err
		}
		var address, lang string
		if hasContact {
			address, lang = contact.Email, contact.Lang
			if err := tx.Delete(&VoteContact{}, contact.ID).Error; err != nil {
				return err
			}
		}
		var waiting []OutboxMessage
		if err := waitingBallots(tx, id).Find(&waiting).Error; err != nil {
			return err
		}
		for _, m := range waiting {
			if address == "" {
				address, lang = m.Recipient, m.Lang
			}
			if err := tx.Delete(&OutboxMessage{}, m.ID).Error; err != nil {
				return err
			}
		}
		var votes int64
		if err := tx.Model(&Vote{}).Where("voter_id = ?", id).Count(&votes).Error; err != nil {
			return err
		}
		out.Votes = int(votes)
		if _, err := anonymiseAuditAbout(tx, now, SubjectVoter, id); err != nil {
			return err
		}
		if err := writeAudit(tx, now, Actor{Kind: ActorPerson}, AuditRecord{Action: ActionVoterErased,
			SubjectKind: SubjectVoter, SubjectID: id}); err != nil {
			return err
		}
		if address == "" {
			return nil
		}
		if err := forgetRateCounters(tx, address); err != nil {
			return err
		}
		out.Confirmed = true
		return tx.Create(&OutboxMessage{Kind: MailVoterErased, Recipient: address, Lang: langOrDutch(cmp.Or(lang, v.Lang)),
			Payload: strconv.FormatUint(uint64(v.EventID), 10), NextAttemptAt: now, CreatedAt: now}).Error
	})
	if err != nil {
		return VoterErasure{}, fmt.Errorf("erase voter %d: %w", id, err)
	}
	return out, nil
}
