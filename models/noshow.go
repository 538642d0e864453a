package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// SendReminders queues a "still coming?" e-mail to every active attendee of the event, once.
// It reports how many were queued. With expect ≥ 0 it queues only when that is exactly the
// number of e-mails (as the organiser confirmed it) and otherwise changes nothing and returns
// ErrRecipientsChanged.
func (s *Store) SendReminders(ctx context.Context, eventID uint, expect int) (int, error) {
	return s.sendReminders(ctx, eventID, expect, true)
}

// sendReminders is SendReminders; audited says whether an organiser asked for it (an entry
// in the trail) or the daily job did.
func (s *Store) sendReminders(ctx context.Context, eventID uint, expect int, audited bool) (int, error) {
	queued := 0
	err := s.write(ctx, func(tx *gorm.DB) error {
		now := s.now().UTC()
		res := tx.Model(&Event{}).Where("id = ? AND still_coming_sent_at IS NULL", eventID).Update("still_coming_sent_at", now)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error // already sent: do nothing
		}
		var regs []Registration
		if err := ReminderAudience(eventID).where(tx.Model(&Registration{})).Find(&regs).Error; err != nil {
			return err
		}
		for _, r := range regs {
			if err := enqueue(tx, now, MailReminder, r, ""); err != nil {
				return err
			}
		}
		queued = len(regs)
		if expect >= 0 && queued != expect {
			return recipientsChanged(expect, queued)
		}
		if !audited {
			return nil
		}
		return s.audit(ctx, tx, AuditRecord{Action: ActionRemindersSent, SubjectKind: SubjectEvent, SubjectID: eventID,
			Details: map[string]any{"mails": queued}})
	})
	if err != nil {
		return 0, fmt.Errorf("send reminders for event %d: %w", eventID, err)
	}
	return queued, nil
}

// ReleaseUnconfirmed cancels, once, every registration that got the reminder but did not
// confirm by the event's deadline; their seats go to the waiting lists and they are told.
// It reports how many registrations were released.
// It returns ErrNotFound when there is no such event.
func (s *Store) ReleaseUnconfirmed(ctx context.Context, eventID uint) (int, error) {
	released := 0
	err := s.write(ctx, func(tx *gorm.DB) error {
		ctx := tx.Statement.Context
		now := s.now().UTC()
		var e Event
		if err := tx.First(&e, eventID).Error; err != nil {
			return notFound(err, "event", eventID)
		}
		if e.ReconfirmDeadline == nil || now.Before(*e.ReconfirmDeadline) || e.StillComingSentAt == nil {
			return nil
		}
		res := tx.Model(&Event{}).Where("id = ? AND reconfirm_released_at IS NULL", eventID).Update("reconfirm_released_at", now)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		var ids []uint
		err := tx.Model(&Registration{}).
			Where("event_id = ? AND status = ? AND reconfirmed_at IS NULL AND created_at < ?", eventID, RegistrationActive, *e.StillComingSentAt).
			Order("id").Pluck("id", &ids).Error
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := s.cancelTx(ctx, tx, now, id, MailReleased, false); err != nil {
				return err
			}
		}
		released = len(ids)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("release unconfirmed of event %d: %w", eventID, err)
	}
	return released, nil
}

// RunNoShowJobs does what is due now: the reminder StillComingDays before the event and the
// release after the reconfirmation deadline. A background loop calls it every few minutes.
func (s *Store) RunNoShowJobs(ctx context.Context) error {
	e, err := s.CurrentEvent(ctx)
	if err != nil {
		return nil // no event, nothing to do
	}
	now := s.now()
	if e.StillComingDays > 0 && e.StillComingSentAt == nil && !now.Before(e.Day().AddDate(0, 0, -e.StillComingDays)) && now.Before(e.Day().AddDate(0, 0, 1)) {
		if _, err := s.sendReminders(ctx, e.ID, -1, false); err != nil {
			return err
		}
	}
	_, err = s.ReleaseUnconfirmed(ctx, e.ID)
	return err
}
