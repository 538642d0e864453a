package models

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Kinds of e-mail the outbox carries.
const (
	MailConfirmation = "confirmation"
	MailChanged      = "changed"
	MailCancelled    = "cancelled"
	MailPromoted     = "promoted"
	MailLink         = "link"
	MailReminder     = "reminder" // "still coming?" before the event
	MailReleased     = "released" // seats released after the reconfirmation deadline

	MailProposalReceived = "proposal_received" // to the speaker, with the link to edit the proposal
	MailCoSpeakerInvite  = "cospeaker_invite"  // to a co-speaker, with the link to confirm; Payload is the co-speaker id

	// MailScheduleChanged tells an attendee that a published schedule changed one of their
	// sessions, with their programme as it now is; Payload is the version number.
	MailScheduleChanged = "schedule_changed"
	// MailSpeakerSchedule tells a speaker where and when their sessions are in a new version;
	// Payload is "<version number>:<speaker id>".
	MailSpeakerSchedule = "speaker_schedule"
	MailBallot          = "ballot" // to a voter, with the personal ballot link; Payload is the voter id
	// MailErased confirms to an erased attendee's address, one last time, that their data
	// was erased; its address goes once it is sent (forgottenOnceSent).
	MailErased = "erased"
)

// OutboxMessage is an e-mail waiting to be sent. It is written in the same transaction as
// the change it reports, so a change never happens without its e-mail, nor the other way
// round. The text is composed when the message is sent, from the registration as it is then.
type OutboxMessage struct {
	ID             uint
	Kind           string `gorm:"size:40;not null"`
	Recipient      string `gorm:"size:254;not null"`
	Lang           string `gorm:"size:5;not null"`
	RegistrationID *uint  `gorm:"index"`
	// ProposalID is set instead of RegistrationID for the call for proposals' e-mails.
	ProposalID *uint `gorm:"index"`
	// Payload holds what the message needs beyond the registration, e.g. the promoted session.
	Payload       string    `gorm:"size:4000;not null;default:''"`
	Attempts      int       `gorm:"not null;default:0"`
	NextAttemptAt time.Time `gorm:"not null;index:idx_outbox_due"`
	// LockedUntil is the lease of the worker sending it; another worker may retry after it.
	LockedUntil *time.Time
	// LockedBy names the claim holding the lease (a random token per claim), so that only
	// its holder renews or releases it.
	LockedBy  string     `gorm:"size:32;not null;default:''"`
	SentAt    *time.Time `gorm:"index:idx_outbox_due"`
	LastError string     `gorm:"size:1000;not null;default:''"`
	// OnBehalf marks a message about something an organiser did for the person (a change
	// they asked for on the phone, a registration added by hand): the e-mail says so.
	OnBehalf bool `gorm:"not null;default:false"`
	// MessageID is the organisers' message to an audience this e-mail belongs to, if any;
	// UniqueKey ("message <id> to <address>") makes each person's e-mail of it one row.
	MessageID *uint   `gorm:"index"`
	UniqueKey *string `gorm:"size:300;uniqueIndex"`
	CreatedAt time.Time
}

func enqueue(tx *gorm.DB, now time.Time, kind string, r Registration, payload string) error {
	return enqueueMail(tx, now, kind, r, payload, false)
}

// enqueueMail queues an e-mail to a registration; onBehalf marks it as the report of an
// organiser's action, which the e-mail then says.
func enqueueMail(tx *gorm.DB, now time.Time, kind string, r Registration, payload string, onBehalf bool) error {
	id := r.ID
	return tx.Create(&OutboxMessage{Kind: kind, Recipient: r.Email, Lang: r.Lang, RegistrationID: &id,
		Payload: payload, NextAttemptAt: now, CreatedAt: now, OnBehalf: onBehalf}).Error
}

// ClaimOutbox leases up to limit due messages to the calling worker for lease; every
// message returned carries the claim's token in LockedBy, for RenewOutboxLease and
// ReleaseOutbox. On PostgreSQL, SKIP LOCKED lets several Dagplanner processes share the
// outbox without sending a message twice.
func (s *Store) ClaimOutbox(ctx context.Context, limit int, lease time.Duration) ([]OutboxMessage, error) {
	var msgs []OutboxMessage
	token := rand.Text()[:24]
	err := s.write(ctx, func(tx *gorm.DB) error {
		now := s.now().UTC()
		q := tx.Where("sent_at IS NULL AND next_attempt_at <= ? AND (locked_until IS NULL OR locked_until < ?)", now, now).
			Order("id").Limit(limit)
		if !s.sqlite {
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
		}
		if err := q.Find(&msgs).Error; err != nil || len(msgs) == 0 {
			return err
		}
		ids := make([]uint, len(msgs))
		for i, m := range msgs {
			ids[i] = m.ID
		}
		until := now.Add(lease)
		return tx.Model(&OutboxMessage{}).Where("id IN ?", ids).
			Updates(map[string]any{"locked_until": until, "locked_by": token, "attempts": gorm.Expr("attempts + 1")}).Error
	})
	if err != nil {
		// The claim may have committed although its answer was lost (a connection cut
		// during COMMIT): release whatever it holds, so that its messages are not left
		// waiting for the lease to run out.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		s.releaseOutbox(rctx, token, nil)
		return nil, fmt.Errorf("claim outbox: %w", err)
	}
	for i := range msgs {
		msgs[i].Attempts++
		msgs[i].LockedBy = token
	}
	return msgs, nil
}

// RenewOutboxLease extends the lease of the unsent messages the claim token still holds to
// lease from now, and reports how many it holds. A worker renews while it sends, so that its
// lease can be short: the messages of a process that died are free again soon after.
func (s *Store) RenewOutboxLease(ctx context.Context, token string, lease time.Duration) (int64, error) {
	res := s.wdb.WithContext(ctx).Model(&OutboxMessage{}).Where("locked_by = ? AND sent_at IS NULL", token).
		Update("locked_until", s.now().UTC().Add(lease))
	if res.Error != nil {
		return 0, fmt.Errorf("renew outbox lease: %w", res.Error)
	}
	return res.RowsAffected, nil
}

// ReleaseOutbox gives back the unsent messages of the claim token among ids (all of them
// when ids is empty) that the worker did not try: they are due again at once, and the
// attempt the claim counted is taken back.
func (s *Store) ReleaseOutbox(ctx context.Context, token string, ids []uint) error {
	if len(ids) == 0 {
		return nil
	}
	return s.releaseOutbox(ctx, token, ids)
}

func (s *Store) releaseOutbox(ctx context.Context, token string, ids []uint) error {
	q := s.wdb.WithContext(ctx).Model(&OutboxMessage{}).Where("locked_by = ? AND sent_at IS NULL", token)
	if ids != nil {
		q = q.Where("id IN ?", ids)
	}
	err := q.Updates(map[string]any{"locked_until": nil, "locked_by": "", "attempts": gorm.Expr("attempts - 1")}).Error
	if err != nil {
		return fmt.Errorf("release outbox: %w", err)
	}
	return nil
}

// MarkSent records that a message went out.
func (s *Store) MarkSent(ctx context.Context, id uint) error {
	done := forgetBallotAddress(map[string]any{"sent_at": s.now().UTC(), "locked_until": nil, "locked_by": "", "last_error": ""})
	return s.db.WithContext(ctx).Model(&OutboxMessage{}).Where("id = ?", id).Updates(done).Error
}

// forgetBallotAddress adds to a "done" update that the kinds in forgottenOnceSent forget
// their address and payload once they are done: voters are pseudonymous, and the outbox row
// is the only place that ties an address to a voter, and so to their votes; an erasure's
// confirmation is the last trace of the erased person.
func forgetBallotAddress(done map[string]any) map[string]any {
	done["recipient"] = gorm.Expr("CASE WHEN kind IN ? THEN '' ELSE recipient END", forgottenOnceSent)
	done["payload"] = gorm.Expr("CASE WHEN kind IN ? THEN '' ELSE payload END", forgottenOnceSent)
	return done
}

// MarkFailed records a failed attempt; the message is tried again after a back-off that
// doubles with every attempt, from 10 seconds up to an hour. A message is never dropped.
func (s *Store) MarkFailed(ctx context.Context, msg OutboxMessage, cause error) error {
	backoff := 10 * time.Second << min(msg.Attempts, 10)
	backoff = min(backoff, time.Hour)
	text := cause.Error()
	if len(text) > 1000 {
		text = text[:1000]
	}
	return s.db.WithContext(ctx).Model(&OutboxMessage{}).Where("id = ?", msg.ID).
		Updates(map[string]any{"next_attempt_at": s.now().UTC().Add(backoff), "locked_until": nil, "locked_by": "", "last_error": text}).Error
}

// DiscardPendingMail marks every unsent message as done without sending it, recording why;
// the demo uses it so its fictional attendees get no mail. It reports how many it marked.
func (s *Store) DiscardPendingMail(ctx context.Context, reason string) (int64, error) {
	res := s.db.WithContext(ctx).Model(&OutboxMessage{}).Where("sent_at IS NULL").
		Updates(forgetBallotAddress(map[string]any{"sent_at": s.now().UTC(), "last_error": reason}))
	return res.RowsAffected, res.Error
}

// OutboxStats counts messages waiting and sent, for the organisers' overview and tests.
type OutboxStats struct {
	Pending, Sent, Failing int64
}

// Outbox returns the outbox counts.
func (s *Store) Outbox(ctx context.Context) (OutboxStats, error) {
	var st OutboxStats
	db := s.db.WithContext(ctx).Model(&OutboxMessage{})
	if err := db.Where("sent_at IS NULL").Count(&st.Pending).Error; err != nil {
		return st, err
	}
	if err := s.db.WithContext(ctx).Model(&OutboxMessage{}).Where("sent_at IS NOT NULL").Count(&st.Sent).Error; err != nil {
		return st, err
	}
	err := s.db.WithContext(ctx).Model(&OutboxMessage{}).Where("sent_at IS NULL AND last_error <> ''").Count(&st.Failing).Error
	return st, err
}
