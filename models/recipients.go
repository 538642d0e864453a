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
// It returns ErrNotFound when there is no such event.
func (s *Store) ReminderMails(ctx context.Context, eventID uint) (int, error) {
	var e Event
	if err := s.db.WithContext(ctx).First(&e, eventID).Error; err != nil {
		return 0, notFound(err, "event", eventID)
	}
	if e.StillComingSentAt != nil {
		return 0, nil
	}
	n, err := s.CountAudience(ctx, ReminderAudience(eventID))
	if err != nil {
		return 0, fmt.Errorf("count reminders of event %d: %w", eventID, err)
	}
	return n, nil
}

// ReminderAudience is whom the "still coming?" e-mail goes to: every confirmed attendee of
// the event. The organisers' list shows the same people with the filter "confirmed".
func ReminderAudience(eventID uint) Audience {
	return Audience{EventID: eventID, Status: StatusConfirmed}
}

// ScheduleChangeAudience is which attendees a published schedule's changes are e-mailed
// to: those confirmed and booked (a seat or a place in line) in a session that moved,
// changed or was dropped. A session that was added concerns nobody yet, and a new
// translation changes nothing for anyone.
func ScheduleChangeAudience(changes []ScheduleChange) Audience {
	a := Audience{Status: StatusConfirmed, Sessions: []uint{}}
	for _, c := range changes {
		if c.Kind != ChangeAdded && c.Kind != ChangeTranslated {
			a.Sessions = append(a.Sessions, c.SessionID)
		}
	}
	return a
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
