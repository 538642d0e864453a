package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// MessageRate is how many e-mails of one message a second become due in the outbox: a
// message to 10,000 people goes out over three and a half minutes. Spreading them out keeps
// the mail worker (and the SMTP server) at a steady pace that leaves the processor to the
// people using the site, lets a confirmation queued meanwhile go out among them rather than
// after all of them, and bounds the rate however many processes share the outbox.
const MessageRate = 50

// queueBatch is how many outbox rows one INSERT writes.
const queueBatch = 500

// SendMessage puts a draft (or scheduled) message's e-mails in the outbox now: one per person
// of its audience as it is now, provided that is still the number the organiser confirmed
// (expect; -1 skips the check). It is all or nothing, and reports how many it queued.
func (s *Store) SendMessage(ctx context.Context, by Actor, id uint, expect int) (int, error) {
	return s.queueMessage(ctx, id, expect, &by)
}

// QueueDueMessages queues every scheduled message whose time has come: the periodic job
// runs it each minute, in one process at a time. A message is queued once, however often
// this runs, and one that fails is tried again the next time.
func (s *Store) QueueDueMessages(ctx context.Context) error {
	var ids []uint
	err := s.db.WithContext(ctx).Model(&Message{}).
		Where("send_at <= ? AND queued_at IS NULL AND cancelled_at IS NULL", s.now().UTC()).Order("send_at, id").Pluck("id", &ids).Error
	if err != nil {
		return fmt.Errorf("due messages: %w", err)
	}
	var errs []error
	for _, id := range ids {
		if _, err := s.queueMessage(ctx, id, -1, nil); err != nil && !errors.Is(err, ErrMessageDone) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// queueMessage writes a message's outbox rows in one transaction: the message is marked
// queued by a conditional update (so two callers cannot both queue it), and every row has a
// unique key, message and address, so that a person appears once whatever happens. by is who
// sends it now; nil means the periodic job, for a scheduled message that is due.
func (s *Store) queueMessage(ctx context.Context, id uint, expect int, by *Actor) (int, error) {
	var queued int
	err := s.write(ctx, func(tx *gorm.DB) error {
		queued = 0
		now := s.now().UTC()
		var m Message
		if err := tx.First(&m, id).Error; err != nil {
			return notFound(err, "message", id)
		}
		if m.QueuedAt != nil || m.CancelledAt != nil {
			return ErrMessageDone
		}
		sender := m.SentBy
		if by != nil {
			sender = *by
		} else if m.SendAt == nil || m.SendAt.After(now) {
			return ErrMessageDone // not (or no longer) due: someone changed it meanwhile
		}
		if sender.Kind == "" {
			sender = m.Author
		}
		res := tx.Model(&Message{}).Where("id = ? AND queued_at IS NULL AND cancelled_at IS NULL", id).
			Updates(map[string]any{"queued_at": now, "send_at": now, "sent_by": actorJSON(sender), "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrMessageDone
		}
		rows, err := messageRows(tx, m, now)
		if err != nil {
			return err
		}
		if expect >= 0 && len(rows) != expect {
			return recipientsChanged(expect, len(rows))
		}
		if len(rows) == 0 && by != nil {
			return ErrNoRecipients
		}
		if len(rows) > 0 {
			if err := tx.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(&rows, queueBatch).Error; err != nil {
				return err
			}
		}
		queued = len(rows)
		if err := tx.Model(&Message{}).Where("id = ?", id).Update("recipients", queued).Error; err != nil {
			return err
		}
		return writeAudit(tx, now, sender, AuditRecord{Action: "message.sent", SubjectKind: SubjectMessage, SubjectID: id,
			VenueID: derefVenue(m.ScopeVenueID), Details: map[string]any{"recipients": queued, "group": m.Audience.kind()}})
	})
	if err != nil {
		return 0, fmt.Errorf("queue message %d: %w", id, err)
	}
	return queued, nil
}

// messageRows makes the outbox rows of a message: one per person, due one after another at
// MessageRate a second from now.
func messageRows(tx *gorm.DB, m Message, now time.Time) ([]OutboxMessage, error) {
	var rows []OutboxMessage
	interval := time.Second / MessageRate
	mid := m.ID
	err := eachRecipient(tx, m.Audience, func(r Recipient) error {
		key := fmt.Sprintf("message %d to %s", m.ID, r.Key)
		row := OutboxMessage{Kind: MailMessage, Recipient: r.Email, Lang: r.Lang, MessageID: &mid, UniqueKey: &key,
			Payload:       MessagePayload{MessageID: m.ID, Group: r.Kind, PersonID: r.ID}.String(),
			NextAttemptAt: now.Add(time.Duration(len(rows)) * interval), CreatedAt: now}
		if r.Kind == AudienceAttendees {
			reg := r.ID
			row.RegistrationID = &reg
		}
		rows = append(rows, row)
		return nil
	})
	return rows, err
}
