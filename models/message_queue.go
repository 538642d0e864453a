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
// It returns ErrNotFound when there is no such message, ErrMessageDone when it was sent or
// cancelled already, ErrNoRecipients when the audience holds nobody, and ErrRecipientsChanged when
// the number of recipients is not the one the organiser confirmed.
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
	err := eachRecipient(tx, m.Audience, now, func(r Recipient) error {
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

// ScheduleMessage plans a draft (or moves a scheduled message) to go out at a time after
// now and within a year; the periodic job then queues it (QueueDueMessages).
// It returns ErrNotFound when there is no such message, and ErrMessageDone when it was sent or
// cancelled already.
func (s *Store) ScheduleMessage(ctx context.Context, by Actor, id uint, at time.Time) error {
	p := Problems{}
	now := s.now()
	switch {
	case !at.After(now):
		p.Add("send_at", "message.send_at_past")
	case at.After(now.AddDate(1, 0, 0)):
		p.Add("send_at", "message.send_at_far")
	}
	if err := invalid(p); err != nil {
		return err
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		var m Message
		if err := tx.First(&m, id).Error; err != nil {
			return notFound(err, "message", id)
		}
		res := tx.Model(&Message{}).Where("id = ? AND queued_at IS NULL AND cancelled_at IS NULL", id).
			Updates(map[string]any{"send_at": at.UTC(), "sent_by": actorJSON(by), "updated_at": now.UTC()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrMessageDone
		}
		return writeAudit(tx, now.UTC(), by, AuditRecord{Action: "message.scheduled", SubjectKind: SubjectMessage, SubjectID: id,
			VenueID: derefVenue(m.ScopeVenueID), Details: map[string]any{"send_at": at.UTC().Format(time.RFC3339), "group": m.Audience.kind()}})
	})
	if err != nil {
		return fmt.Errorf("schedule message %d: %w", id, err)
	}
	return nil
}

func derefVenue(id *uint) uint {
	if id == nil {
		return 0
	}
	return *id
}

// CancelMessage stops a message: a draft or a scheduled one is not sent, a queued one's
// e-mails still in the outbox are taken back, except those a worker is sending this very
// moment (it finds the message cancelled and sends them only if it had begun). It reports
// how many e-mails were taken back.
// It returns ErrNotFound when there is no such message, and ErrMessageDone when it was sent or
// cancelled already.
func (s *Store) CancelMessage(ctx context.Context, by Actor, id uint) (int, error) {
	var withdrawn int
	err := s.write(ctx, func(tx *gorm.DB) error {
		withdrawn = 0
		now := s.now().UTC()
		var m Message
		if err := tx.First(&m, id).Error; err != nil {
			return notFound(err, "message", id)
		}
		if m.CancelledAt != nil {
			return ErrMessageDone
		}
		if m.QueuedAt != nil {
			var waiting int64
			if err := tx.Model(&OutboxMessage{}).Where("message_id = ? AND sent_at IS NULL", id).Count(&waiting).Error; err != nil {
				return err
			}
			if waiting == 0 {
				return ErrMessageDone
			}
		}
		res := tx.Where("message_id = ? AND sent_at IS NULL AND (locked_until IS NULL OR locked_until < ?)", id, now).Delete(&OutboxMessage{})
		if res.Error != nil {
			return res.Error
		}
		withdrawn = int(res.RowsAffected)
		err := tx.Model(&Message{}).Where("id = ?", id).Updates(map[string]any{"cancelled_at": now, "cancelled_by": by.Name,
			"withdrawn": gorm.Expr("withdrawn + ?", withdrawn), "updated_at": now}).Error
		if err != nil {
			return err
		}
		return writeAudit(tx, now, by, AuditRecord{Action: "message.cancelled", SubjectKind: SubjectMessage, SubjectID: id,
			VenueID: derefVenue(m.ScopeVenueID), Details: map[string]any{"withdrawn": withdrawn, "status": m.Status()}})
	})
	if err != nil {
		return 0, fmt.Errorf("cancel message %d: %w", id, err)
	}
	return withdrawn, nil
}

// ForgetMessageMail takes an e-mail of a message out of the outbox unsent, when it was about
// to go out after all: its message was cancelled (withdrawn) or its person left the
// audience meanwhile (skipped). The mail worker calls it instead of sending.
func (s *Store) ForgetMessageMail(ctx context.Context, outboxID, messageID uint, withdrawn bool) error {
	column := "skipped"
	if withdrawn {
		column = "withdrawn"
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Where("id = ? AND message_id = ? AND sent_at IS NULL", outboxID, messageID).Delete(&OutboxMessage{})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		return tx.Model(&Message{}).Where("id = ?", messageID).Update(column, gorm.Expr(column+" + 1")).Error
	})
	if err != nil {
		return fmt.Errorf("forget mail %d of message %d: %w", outboxID, messageID, err)
	}
	return nil
}
