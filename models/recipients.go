package models

import (
	"context"
	"errors"
	"fmt"
)

// ErrRecipientsChanged reports an action that e-mails many people whose number of e-mails
// changed between the organiser's confirmation and the action: nothing was queued.
var ErrRecipientsChanged = fmt.Errorf("the number of e-mails changed: %w", ErrConflict)

func recipientsChanged(confirmed, now int) error {
	return fmt.Errorf("%d e-mails confirmed, %d now: %w", confirmed, now, ErrRecipientsChanged)
}

// ReminderMails is the number of "still coming?" e-mails SendReminders would queue now: one
// per active attendee, or none when they were sent already.
func (s *Store) ReminderMails(ctx context.Context, eventID uint) (int, error) {
	var e Event
	if err := s.db.WithContext(ctx).First(&e, eventID).Error; err != nil {
		return 0, notFound(err, "event", eventID)
	}
	if e.StillComingSentAt != nil {
		return 0, nil
	}
	var n int64
	err := s.db.WithContext(ctx).Model(&Registration{}).Where("event_id = ? AND status = ?", eventID, RegistrationActive).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("count reminders of event %d: %w", eventID, err)
	}
	return int(n), nil
}

// PublishMails says how many e-mails publishing the timetable as it stands would queue now:
// to attendees and to speakers (none for the first version, which tells nobody).
func (s *Store) PublishMails(ctx context.Context, eventID uint) (attendees, speakers int, err error) {
	if _, err := s.LatestScheduleVersion(ctx, eventID); errors.Is(err, ErrNotFound) {
		return 0, 0, nil
	} else if err != nil {
		return 0, 0, err
	}
	changes, err := s.UnpublishedChanges(ctx, eventID)
	if err != nil {
		return 0, 0, err
	}
	regs, sps, err := scheduleChangeRecipients(s.db.WithContext(ctx), changes)
	if err != nil {
		return 0, 0, fmt.Errorf("recipients of the schedule changes of event %d: %w", eventID, err)
	}
	return len(regs), len(sps), nil
}
