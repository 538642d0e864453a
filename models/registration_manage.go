package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
)

// Registration returns a registration with its bookings (sessions, rooms and slots loaded)
// and the waiting-list position of each waitlisted booking.
// It returns ErrNotFound when there is no such registration.
func (s *Store) Registration(ctx context.Context, id uint) (Registration, error) {
	var r Registration
	err := s.db.WithContext(ctx).Preload("Venue").
		Preload("Bookings.Session.Room").
		Preload("Bookings.Session.Slots", func(db *gorm.DB) *gorm.DB { return db.Joins("Slot").Order("slot_id") }).
		First(&r, id).Error
	if err != nil {
		return Registration{}, notFound(err, "registration", id)
	}
	if err := s.fillPositions(ctx, r.Bookings); err != nil {
		return Registration{}, err
	}
	slices.SortFunc(r.Bookings, func(a, b Booking) int { return a.Session.StartsAt().Compare(b.Session.StartsAt()) })
	return r, nil
}

// RegistrationVenue returns the id of the venue a registration is for, without loading the
// rest of it; an unknown registration is ErrNotFound.
func (s *Store) RegistrationVenue(ctx context.Context, id uint) (uint, error) {
	var r Registration
	if err := s.db.WithContext(ctx).Select("id", "venue_id").First(&r, id).Error; err != nil {
		return 0, notFound(err, "registration", id)
	}
	return r.VenueID, nil
}

func (s *Store) fillPositions(ctx context.Context, bookings []Booking) error {
	for i, b := range bookings {
		if b.Status != BookingWaitlisted {
			continue
		}
		var n int64
		if err := s.db.WithContext(ctx).Raw(waitlistPositionQuery, b.ID).Scan(&n).Error; err != nil {
			return err
		}
		bookings[i].Position = int(n)
	}
	return nil
}

// RegistrationByToken finds the registration a personal link belongs to. An unknown token is
// ErrNotFound, whatever the reason, so links cannot be probed.
func (s *Store) RegistrationByToken(ctx context.Context, token string) (Registration, error) {
	if len(token) < 20 || len(token) > 100 {
		return Registration{}, fmt.Errorf("registration by token: %w", ErrNotFound)
	}
	var at AccessToken
	if err := s.db.WithContext(ctx).Where("hash = ?", hashToken(token)).First(&at).Error; err != nil {
		return Registration{}, notFound(err, "registration by token", "")
	}
	return s.Registration(ctx, at.RegistrationID)
}

// NewAccessToken creates another personal link for a registration (for an e-mail).
func (s *Store) NewAccessToken(ctx context.Context, regID uint) (string, error) {
	return s.newAccessToken(ctx, s.db.WithContext(ctx), regID, s.now().UTC())
}

// ChangeSessions replaces an active registration's choices: bookings that stay keep their
// seat or their place in line; dropped seats go to the next in line at once.
// It returns ErrNotFound when there is no such registration, ErrConflict when it is cancelled, and
// ErrRegistrationClosed once changes are no longer allowed.
func (s *Store) ChangeSessions(ctx context.Context, regID uint, sessions, waitlist []uint) (Registration, error) {
	err := s.write(ctx, func(tx *gorm.DB) error {
		_, err := s.changeSessionsTx(tx.Statement.Context, tx, s.now().UTC(), regID, sessions, waitlist, false)
		return err
	})
	if err != nil {
		return Registration{}, fmt.Errorf("change registration %d: %w", regID, err)
	}
	return s.Registration(ctx, regID)
}

// sessionChange is what changeSessionsTx did: the bookings dropped and the sessions newly
// chosen, for the audit trail.
type sessionChange struct {
	registration    Registration
	dropped, added  []uint
	seats, waitlist []uint // the choices as they now are
}

// changed reports whether the programme changed at all.
func (c sessionChange) changed() bool { return len(c.dropped)+len(c.added) > 0 }

// changeSessionsTx replaces a registration's choices inside the caller's transaction and
// queues the "changed" e-mail. An organiser (onBehalf) is not bound by the registration
// window; an attendee is.
func (s *Store) changeSessionsTx(ctx context.Context, tx *gorm.DB, now time.Time, regID uint, sessions, waitlist []uint, onBehalf bool) (sessionChange, error) {
	var r Registration
	if err := tx.Preload("Bookings").First(&r, regID).Error; err != nil {
		return sessionChange{}, notFound(err, "registration", regID)
	}
	if r.Status != RegistrationActive {
		return sessionChange{}, fmt.Errorf("registration %d is cancelled: %w", regID, ErrConflict)
	}
	waitlistOnly := false
	if !onBehalf {
		var event Event
		if err := tx.First(&event, r.EventID).Error; err != nil {
			return sessionChange{}, err
		}
		if err := sessionsBeforeAllocation(tx, event, r.VenueID, len(sessions)+len(waitlist)); err != nil {
			return sessionChange{}, err
		}
		var open bool
		open, waitlistOnly = event.RegistrationOpen(now)
		if !open && !waitlistOnly {
			return sessionChange{}, ErrRegistrationClosed
		}
	}
	plan, err := s.planChoices(ctx, tx, r.VenueID, sessions, waitlist)
	if err != nil {
		return sessionChange{}, err
	}
	out := sessionChange{registration: r, seats: plan.sessions, waitlist: plan.waitlist}
	wanted := append(slices.Clone(plan.sessions), plan.waitlist...)
	var dropped []Booking
	have := map[uint]bool{}
	for _, b := range r.Bookings {
		if slices.Contains(wanted, b.SessionID) {
			have[b.SessionID] = true
		} else {
			dropped = append(dropped, b)
			out.dropped = append(out.dropped, b.SessionID)
		}
	}
	freed, err := removeBookings(tx, dropped)
	if err != nil {
		return sessionChange{}, err
	}
	fresh := choicePlan{slots: plan.slots}
	for _, id := range plan.sessions {
		if !have[id] {
			fresh.sessions = append(fresh.sessions, id)
		}
	}
	for _, id := range plan.waitlist {
		if !have[id] {
			fresh.waitlist = append(fresh.waitlist, id)
		}
	}
	out.added = append(slices.Clone(fresh.sessions), fresh.waitlist...)
	if err := s.applyPlan(ctx, tx, r.ID, fresh, !waitlistOnly, now); err != nil {
		return sessionChange{}, err
	}
	if err := s.promote(ctx, tx, now, freed...); err != nil {
		return sessionChange{}, err
	}
	if out.changed() {
		// The ticket lists the programme, so a changed programme is a new ticket version:
		// at the door the old printout is "superseded" and the e-mail brings the new one.
		if err := tx.Model(&Registration{}).Where("id = ?", r.ID).
			Update("ticket_version", gorm.Expr("ticket_version + 1")).Error; err != nil {
			return sessionChange{}, err
		}
	}
	snap, err := s.snapshotProgramme(ctx, tx, r.ID)
	if err != nil {
		return sessionChange{}, err
	}
	return out, enqueueMail(tx, now, MailChanged, r, snap.String(), onBehalf)
}

// Cancel ends a registration: every seat it held goes to the next in line at once, the venue
// gets its seat back, and the ticket version rises so the old ticket no longer opens the door.
// It returns ErrNotFound when there is no such registration.
func (s *Store) Cancel(ctx context.Context, regID uint) error {
	return s.cancel(ctx, regID, MailCancelled)
}

func (s *Store) cancel(ctx context.Context, regID uint, mail string) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		ctx := tx.Statement.Context
		return s.cancelTx(ctx, tx, s.now().UTC(), regID, mail, false)
	})
	if err != nil {
		return fmt.Errorf("cancel registration %d: %w", regID, err)
	}
	return nil
}

// cancelTx cancels a registration inside the caller's transaction and queues the e-mail of
// the given kind (onBehalf: it says an organiser did it).
func (s *Store) cancelTx(ctx context.Context, tx *gorm.DB, now time.Time, regID uint, mail string, onBehalf bool) error {
	var r Registration
	if err := tx.Preload("Bookings").First(&r, regID).Error; err != nil {
		return notFound(err, "registration", regID)
	}
	if r.Status == RegistrationCancelled {
		return nil // cancelling twice is harmless: the seats are already free
	}
	err := tx.Model(&Registration{}).Where("id = ?", r.ID).Updates(map[string]any{
		"status": RegistrationCancelled, "active_email": nil, "cancelled_at": now,
		"ticket_version": gorm.Expr("ticket_version + 1"),
	}).Error
	if err != nil {
		return err
	}
	if err := tx.Exec("UPDATE venues SET registered = registered - 1 WHERE id = ? AND registered > 0", r.VenueID).Error; err != nil {
		return err
	}
	freed, err := removeBookings(tx, r.Bookings)
	if err != nil {
		return err
	}
	// A ranking (issue #19) goes with the registration: the allocation seats only the active.
	if err := tx.Where("registration_id = ?", r.ID).Delete(&Preference{}).Error; err != nil {
		return err
	}
	if err := s.promote(ctx, tx, now, freed...); err != nil {
		return err
	}
	return enqueueMail(tx, now, mail, r, "", onBehalf)
}

// ResendLink queues an e-mail with a fresh personal link when the address has an active
// registration, and does nothing otherwise. The caller tells the requester the same in both
// cases, so the answer never reveals who is registered.
func (s *Store) ResendLink(ctx context.Context, eventID uint, email string) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		var r Registration
		err := tx.Where("event_id = ? AND active_email = ?", eventID, NormalizeEmail(email)).First(&r).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		return enqueue(tx, s.now().UTC(), MailLink, r, "")
	})
	if err != nil {
		return fmt.Errorf("resend link: %w", err)
	}
	return nil
}

// Reconfirm records that an attendee is still coming.
func (s *Store) Reconfirm(ctx context.Context, regID uint) error {
	return s.db.WithContext(ctx).Model(&Registration{}).Where("id = ? AND status = ?", regID, RegistrationActive).
		Update("reconfirmed_at", s.now().UTC()).Error
}
