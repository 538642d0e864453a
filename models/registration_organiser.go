package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// Organisers act on a person's behalf (a phone call, an e-mail): each action is one write
// transaction with the attendee's own capacity and waiting-list rules, its entry in the audit
// trail and the person's e-mail marked OnBehalf, which then says an organiser did it.

// Audit actions on registrations.
const (
	AuditRegistrationCreated  = "registration.created"
	AuditRegistrationDetails  = "registration.details"
	AuditRegistrationSessions = "registration.sessions"
	AuditRegistrationCancel   = "registration.cancelled"
	AuditRegistrationLink     = "registration.link_resent"
	AuditBookingPromoted      = "booking.promoted"
	AuditWaitlistMoved        = "waitlist.moved"
)

// ErrSessionFull: the session has no free seat, and the organiser did not choose to go over
// its capacity.
var ErrSessionFull = fmt.Errorf("session full: %w", ErrConflict)

// ErrNotWaitlisted: the person is not on the session's waiting list.
var ErrNotWaitlisted = fmt.Errorf("not on the waiting list: %w", ErrConflict)

// DetailsInput is what an organiser may correct in a registration.
type DetailsInput struct {
	Name, Email, Organisation, JobTitle, Dietary, Accessibility string
}

// Validate checks the details as the registration form does.
func (in DetailsInput) Validate() Problems {
	p := Problems{}
	p.checkPerson(in.Name, in.Email, in.Organisation, in.JobTitle, in.Dietary, in.Accessibility)
	return p
}

// DetailsOf are a registration's details as they are, to edit.
func DetailsOf(r Registration) DetailsInput {
	return DetailsInput{Name: r.Name, Email: r.Email, Organisation: r.Organisation, JobTitle: r.JobTitle,
		Dietary: r.Dietary, Accessibility: r.Accessibility}
}

// sensitiveFields are details whose values never go into the audit trail: only that they
// changed.
var sensitiveFields = map[string]bool{"dietary": true, "accessibility": true}

// requireReason reports a missing reason as a validation problem.
func requireReason(reason string) error {
	p := Problems{}
	p.checkText("reason", reason, true, 500)
	return invalid(p)
}

func (s *Store) registrationForUpdate(tx *gorm.DB, regID uint) (Registration, error) {
	var r Registration
	if err := tx.First(&r, regID).Error; err != nil {
		return Registration{}, notFound(err, "registration", regID)
	}
	return r, nil
}

func registrationAudit(action string, r Registration, reason string, details map[string]any) AuditRecord {
	return AuditRecord{Action: action, SubjectKind: SubjectRegistration, SubjectID: r.ID, VenueID: r.VenueID,
		Reason: strings.TrimSpace(reason), Details: details}
}

// UpdateDetails corrects a registration's details for the person. A new name or address is a
// new ticket version (the ticket shows them); the person gets a "changed" e-mail, at the new
// address if it changed. An address that another active registration has is
// ErrAlreadyRegistered. Nothing changed is nothing written.
// It also returns ErrNotFound when there is no such registration, and a *ValidationError when the
// input is not valid.
func (s *Store) UpdateDetails(ctx context.Context, by Actor, regID uint, in DetailsInput, reason string) (Registration, error) {
	if err := invalid(in.Validate()); err != nil {
		return Registration{}, err
	}
	in = DetailsInput{Name: strings.TrimSpace(in.Name), Email: strings.TrimSpace(in.Email),
		Organisation: strings.TrimSpace(in.Organisation), JobTitle: strings.TrimSpace(in.JobTitle),
		Dietary: strings.TrimSpace(in.Dietary), Accessibility: strings.TrimSpace(in.Accessibility)}
	err := s.write(ctx, func(tx *gorm.DB) error {
		ctx := tx.Statement.Context
		now := s.now().UTC()
		r, err := s.registrationForUpdate(tx, regID)
		if err != nil {
			return err
		}
		old := DetailsOf(r)
		pairs := []struct {
			field, col, was, now string
		}{
			{"name", "name", old.Name, in.Name}, {"email", "email", old.Email, in.Email},
			{"organisation", "organisation", old.Organisation, in.Organisation},
			{"job_title", "job_title", old.JobTitle, in.JobTitle},
			{"dietary", "dietary", old.Dietary, in.Dietary}, {"accessibility", "accessibility", old.Accessibility, in.Accessibility},
		}
		updates := map[string]any{}
		var fields []string
		was, became := map[string]any{}, map[string]any{}
		for _, p := range pairs {
			if p.was == p.now {
				continue
			}
			updates[p.col] = p.now
			fields = append(fields, p.field)
			if !sensitiveFields[p.field] {
				was[p.field], became[p.field] = p.was, p.now
			}
		}
		if len(fields) == 0 {
			return nil
		}
		updates["search_text"] = searchText(in.Name, in.Email, in.Organisation)
		updates["sort_name"] = sortName(in.Name)
		updates["updated_at"] = now
		if r.Status == RegistrationActive && NormalizeEmail(old.Email) != NormalizeEmail(in.Email) {
			updates["active_email"] = NormalizeEmail(in.Email)
		}
		if old.Name != in.Name || old.Email != in.Email {
			updates["ticket_version"] = gorm.Expr("ticket_version + 1")
		}
		err = tx.Model(&Registration{}).Where("id = ?", r.ID).Updates(updates).Error
		if isUniqueErr(err) {
			return ErrAlreadyRegistered
		}
		if err != nil {
			return err
		}
		details := map[string]any{"fields": fields}
		if len(was) > 0 {
			details["old"], details["new"] = was, became
		}
		if err := writeAudit(tx, now, by, registrationAudit(AuditRegistrationDetails, r, reason, details)); err != nil {
			return err
		}
		if r.Status != RegistrationActive {
			return nil // a cancelled registration has no programme to report
		}
		r.Email, r.Name = in.Email, in.Name
		snap, err := s.snapshotProgramme(ctx, tx, r.ID)
		if err != nil {
			return err
		}
		return enqueueMail(tx, now, MailChanged, r, snap.String(), true)
	})
	if err != nil {
		return Registration{}, fmt.Errorf("update details of registration %d: %w", regID, err)
	}
	return s.Registration(ctx, regID)
}

// ChangeSessionsFor replaces a registration's choices for the person: the rules of
// ChangeSessions, except that organisers are not bound by the registration window.
// It returns ErrNotFound when there is no such registration, and ErrConflict when it is cancelled.
func (s *Store) ChangeSessionsFor(ctx context.Context, by Actor, regID uint, sessions, waitlist []uint, reason string) (Registration, error) {
	err := s.write(ctx, func(tx *gorm.DB) error {
		ctx := tx.Statement.Context
		now := s.now().UTC()
		ch, err := s.changeSessionsTx(ctx, tx, now, regID, sessions, waitlist, true)
		if err != nil {
			return err
		}
		return writeAudit(tx, now, by, registrationAudit(AuditRegistrationSessions, ch.registration, reason, map[string]any{
			"removed": orEmpty(ch.dropped), "added": orEmpty(ch.added), "sessions": orEmpty(ch.seats), "waitlist": orEmpty(ch.waitlist)}))
	})
	if err != nil {
		return Registration{}, fmt.Errorf("change registration %d for the person: %w", regID, err)
	}
	return s.Registration(ctx, regID)
}

func orEmpty(ids []uint) []uint {
	if ids == nil {
		return []uint{}
	}
	return ids
}

// CancelFor cancels a registration for the person: every seat goes to the next in line at
// once, as when they cancel themselves. Cancelling a cancelled registration does nothing.
// It returns ErrNotFound when there is no such registration.
func (s *Store) CancelFor(ctx context.Context, by Actor, regID uint, reason string) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		ctx := tx.Statement.Context
		now := s.now().UTC()
		r, err := s.registrationForUpdate(tx, regID)
		if err != nil || r.Status == RegistrationCancelled {
			return err
		}
		if err := s.cancelTx(ctx, tx, now, regID, MailCancelled, true); err != nil {
			return err
		}
		return writeAudit(tx, now, by, registrationAudit(AuditRegistrationCancel, r, reason, nil))
	})
	if err != nil {
		return fmt.Errorf("cancel registration %d for the person: %w", regID, err)
	}
	return nil
}

// ResendLinkFor sends an active registration's personal link again.
// It returns ErrNotFound when there is no such registration, and ErrConflict when it is cancelled.
func (s *Store) ResendLinkFor(ctx context.Context, by Actor, regID uint) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		now := s.now().UTC()
		r, err := s.registrationForUpdate(tx, regID)
		if err != nil {
			return err
		}
		if r.Status != RegistrationActive {
			return fmt.Errorf("registration %d is cancelled: %w", regID, ErrConflict)
		}
		if err := enqueueMail(tx, now, MailLink, r, "", true); err != nil {
			return err
		}
		return writeAudit(tx, now, by, registrationAudit(AuditRegistrationLink, r, "", nil))
	})
	if err != nil {
		return fmt.Errorf("resend link of registration %d: %w", regID, err)
	}
	return nil
}

// RegisterFor adds a registration by hand, for the person: the organiser confirms that the
// person agreed to the privacy statement (in.Consent). Organisers are not bound by the
// registration window. Capacity holds unless overCapacity is chosen, which the audit trail
// records; the person gets the confirmation, saying an organiser registered them.
// It returns a *ValidationError when the input is not valid or names an unknown venue,
// ErrAlreadyRegistered when the address has an active registration, and ErrVenueFull when the
// venue has no seat left and overCapacity is false.
func (s *Store) RegisterFor(ctx context.Context, by Actor, in RegistrationInput, overCapacity bool) (RegistrationResult, error) {
	if err := invalid(in.Validate()); err != nil {
		return RegistrationResult{}, err
	}
	venue, err := s.venueByIDOrSlug(ctx, in.VenueID, in.Venue)
	if errors.Is(err, ErrNotFound) {
		return RegistrationResult{}, invalid(Problems{"venue": {Key: "form.unknown_venue"}})
	}
	if err != nil {
		return RegistrationResult{}, fmt.Errorf("register %q for the person: %w", NormalizeEmail(in.Email), err)
	}
	var res RegistrationResult
	err = s.write(ctx, func(tx *gorm.DB) error {
		ctx := tx.Statement.Context
		now := s.now().UTC()
		var event Event
		if err := tx.First(&event, venue.EventID).Error; err != nil {
			return err
		}
		plan, err := s.planChoices(ctx, tx, venue.ID, in.Sessions, in.Waitlist)
		if err != nil {
			return err
		}
		r := newRegistration(in, venue.EventID, venue.ID, event.PrivacyVersion, now)
		token, err := s.registerTx(ctx, tx, now, &r, plan, registerOptions{overCapacity: overCapacity, onBehalf: true})
		if err != nil {
			return err
		}
		details := map[string]any{"over_capacity": overCapacity, "sessions": orEmpty(plan.sessions), "waitlist": orEmpty(plan.waitlist)}
		if err := writeAudit(tx, now, by, registrationAudit(AuditRegistrationCreated, r, "", details)); err != nil {
			return err
		}
		res.Token, res.Registration = token, r
		return nil
	})
	if err != nil {
		return RegistrationResult{}, fmt.Errorf("register %q for the person: %w", NormalizeEmail(in.Email), err)
	}
	r, err := s.Registration(ctx, res.Registration.ID)
	if err != nil {
		return RegistrationResult{}, err
	}
	res.Registration = r
	return res, nil
}

// PromoteBooking gives a person on a session's waiting list a seat now, ahead of the line: it
// needs a free seat unless overCapacity is chosen. Like any promotion, the person gives up
// what they held in the same slots (a seat that comes free there goes to the next in line)
// and gets the "promoted" e-mail. The reason is required.
// It returns ErrNotFound when there is no such registration, ErrNotWaitlisted when it is not
// waiting for the session, and ErrSessionFull when the session has no seat and overCapacity is
// false.
func (s *Store) PromoteBooking(ctx context.Context, by Actor, regID, sessionID uint, overCapacity bool, reason string) error {
	if err := requireReason(reason); err != nil {
		return err
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		ctx := tx.Statement.Context
		now := s.now().UTC()
		r, err := s.registrationForUpdate(tx, regID)
		if err != nil {
			return err
		}
		var b Booking
		err = tx.Where("registration_id = ? AND session_id = ? AND status = ?", regID, sessionID, BookingWaitlisted).First(&b).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrNotWaitlisted
		}
		if err != nil {
			return err
		}
		if overCapacity {
			err = tx.Exec("UPDATE sessions SET confirmed = confirmed + 1 WHERE id = ?", sessionID).Error
		} else {
			var got bool
			if got, err = s.takeSeat(ctx, tx, sessionID); err == nil && !got {
				return ErrSessionFull
			}
		}
		if err != nil {
			return err
		}
		freed, err := s.seatFromWaitlist(ctx, tx, now, b, true)
		if err != nil {
			return err
		}
		if err := s.promote(ctx, tx, now, freed...); err != nil {
			return err
		}
		if err := tx.Model(&Registration{}).Where("id = ?", r.ID).
			Update("ticket_version", gorm.Expr("ticket_version + 1")).Error; err != nil {
			return err
		}
		return writeAudit(tx, now, by, registrationAudit(AuditBookingPromoted, r, reason,
			map[string]any{"session": sessionID, "over_capacity": overCapacity}))
	})
	if err != nil {
		return fmt.Errorf("promote registration %d in session %d: %w", regID, sessionID, err)
	}
	return nil
}

// MoveInWaitlist puts a person at a place in a session's waiting list (1 is next; beyond the
// end is last). The list is renumbered below zero, so the people who join it later stay
// behind everyone on it now. The reason is required. It returns the new place.
// It returns ErrNotFound when there is no such registration, and ErrNotWaitlisted when it is not
// waiting for the session.
func (s *Store) MoveInWaitlist(ctx context.Context, by Actor, regID, sessionID uint, position int, reason string) (int, error) {
	if err := requireReason(reason); err != nil {
		return 0, err
	}
	var placed int
	err := s.write(ctx, func(tx *gorm.DB) error {
		now := s.now().UTC()
		r, err := s.registrationForUpdate(tx, regID)
		if err != nil {
			return err
		}
		var line []Booking
		if err := tx.Where("session_id = ? AND status = ?", sessionID, BookingWaitlisted).Order(waitlistOrder).Find(&line).Error; err != nil {
			return err
		}
		from := slices.IndexFunc(line, func(b Booking) bool { return b.RegistrationID == regID })
		if from < 0 {
			return ErrNotWaitlisted
		}
		me := line[from]
		line = slices.Delete(line, from, from+1)
		to := min(max(position, 1), len(line)+1) - 1
		line = slices.Insert(line, to, me)
		placed = to + 1
		if to == from {
			return nil
		}
		if err := renumberWaitlist(tx, line); err != nil {
			return err
		}
		return writeAudit(tx, now, by, registrationAudit(AuditWaitlistMoved, r, reason,
			map[string]any{"session": sessionID, "from": from + 1, "to": placed}))
	})
	if err != nil {
		return 0, fmt.Errorf("move registration %d in the waiting list of session %d: %w", regID, sessionID, err)
	}
	return placed, nil
}

// renumberWaitlist gives a waiting list, in its new order, the places -n … -1: below the 0
// of everyone who joins later. It writes a few hundred rows per statement, so a long list is
// renumbered in a few statements rather than one per person (the writer serves the
// registration rush meanwhile).
func renumberWaitlist(tx *gorm.DB, line []Booking) error {
	n := int64(len(line))
	const batch = 400
	for start := 0; start < len(line); start += batch {
		end := min(start+batch, len(line))
		var cases strings.Builder
		args := make([]any, 0, 2*(end-start)+1)
		ids := make([]uint, 0, end-start)
		cases.WriteString("CASE id")
		for i := start; i < end; i++ {
			cases.WriteString(" WHEN ? THEN CAST(? AS BIGINT)")
			args = append(args, line[i].ID, int64(i)-n)
			ids = append(ids, line[i].ID)
		}
		cases.WriteString(" END")
		args = append(args, ids)
		if err := tx.Exec("UPDATE bookings SET wait_order = "+cases.String()+" WHERE id IN ?", args...).Error; err != nil {
			return err
		}
	}
	return nil
}

// PersonRecord is what an organiser sees on one person's page.
type PersonRecord struct {
	Registration Registration
	CheckIn      *CheckIn // the check-in that counts, if any
	Mails        []OutboxMessage
	Audit        []AuditEntry
}

// Person reads one person's record: the registration with its bookings and places in line,
// their check-in, the e-mails sent (or waiting) to them and the audit trail.
// It returns ErrNotFound when there is no such registration.
func (s *Store) Person(ctx context.Context, regID uint) (PersonRecord, error) {
	r, err := s.Registration(ctx, regID)
	if err != nil {
		return PersonRecord{}, err
	}
	rec := PersonRecord{Registration: r}
	db := s.db.WithContext(ctx)
	var ci []CheckIn
	if err := db.Where("registration_id = ? AND undone_at IS NULL", regID).Order("checked_in_at").Limit(1).Find(&ci).Error; err != nil {
		return PersonRecord{}, fmt.Errorf("check-in of registration %d: %w", regID, err)
	}
	if len(ci) > 0 {
		rec.CheckIn = &ci[0]
	}
	if err := db.Select("id", "kind", "recipient", "attempts", "sent_at", "last_error", "on_behalf", "created_at", "next_attempt_at").
		Where("registration_id = ?", regID).Order("id DESC").Limit(100).Find(&rec.Mails).Error; err != nil {
		return PersonRecord{}, fmt.Errorf("e-mails of registration %d: %w", regID, err)
	}
	if rec.Audit, err = s.AuditTrail(ctx, SubjectRegistration, regID); err != nil {
		return PersonRecord{}, err
	}
	return rec, nil
}

// MailState says where an outbox message is: sent, failing (tried and failed, will be tried
// again) or pending.
func (m OutboxMessage) MailState() string {
	switch {
	case m.SentAt != nil && m.LastError != "":
		return "discarded" // marked done without sending (the demo, a superseded message)
	case m.SentAt != nil:
		return "sent"
	case m.LastError != "":
		return "failed"
	}
	return "pending"
}
