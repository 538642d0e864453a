package models

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// MailPreferencesReceived confirms a registration by preference (issue #19): the ranking
// was received, the seats are allocated at Event.AllocationAt, and the personal link. It
// promises no seats and carries no ticket; the allocation's own e-mail brings those.
const MailPreferencesReceived = "preferences_received"

// ErrPreferenceSignupClosed: the event signs people up by preference, and now is neither in
// the window nor after the venue's allocation. It is a kind of ErrRegistrationClosed.
var ErrPreferenceSignupClosed = fmt.Errorf("ranking window not open: %w", ErrRegistrationClosed)

// registerByPreference registers an attendee of an event in preference mode, and reports
// whether it handled the input: not in first-come-first-served mode (unless the input ranks
// sessions there, which is refused), nor once the venue's seats were allocated, when the
// leftover seats go first come, first served as in Register. Inside the window it writes
// the registration, a place at the venue, the ranking, the personal link and the
// confirmation, and no seats; outside it the answer is ErrPreferenceSignupClosed.
func (s *Store) registerByPreference(ctx context.Context, in RegistrationInput, v registrationVenue) (RegistrationResult, bool, error) {
	email := NormalizeEmail(in.Email)
	if !v.event.PreferenceMode() {
		if len(in.Preferences) > 0 {
			return RegistrationResult{}, true, fmt.Errorf("register %q: %w", email,
				invalid(Problems{"preferences": {Key: "preference.not_preference_mode"}}))
		}
		return RegistrationResult{}, false, nil
	}
	_, err := s.Allocation(ctx, v.venueID)
	if err == nil {
		if len(in.Preferences) > 0 {
			return RegistrationResult{}, true, fmt.Errorf("register %q: %w", email,
				invalid(Problems{"preferences": {Key: "preference.allocated_already"}}))
		}
		return RegistrationResult{}, false, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return RegistrationResult{}, true, fmt.Errorf("register %q: %w", email, err)
	}
	p := Problems{}
	if len(in.Sessions) > 0 {
		p.Add("sessions", "preference.sessions_before_allocation")
	}
	if len(in.Waitlist) > 0 {
		p.Add("waitlist", "preference.sessions_before_allocation")
	}
	offer, err := s.PreferenceOffer(context.WithoutCancel(ctx), v.venueID)
	if err != nil {
		return RegistrationResult{}, true, fmt.Errorf("register %q: %w", email, err)
	}
	for field, problem := range offer.Check(in.Preferences, v.event.Ranks()) {
		p.Add(field, problem.Key, problem.Args...)
	}
	if err := invalid(p); err != nil {
		return RegistrationResult{}, true, fmt.Errorf("register %q: %w", email, err)
	}
	var res RegistrationResult
	err = s.writeOne(ctx, v.venueID, func(tx *gorm.DB) error {
		ctx := tx.Statement.Context
		now := s.now().UTC()
		if !v.event.PreferencesOpen(now) {
			return ErrPreferenceSignupClosed
		}
		r := newRegistration(in, v.eventID, v.venueID, v.event.PrivacyVersion, now)
		token, err := s.registerTx(ctx, tx, now, &r, choicePlan{}, registerOptions{noMail: true})
		if err != nil {
			return err
		}
		if err := replacePreferences(tx, r.ID, in.Preferences); err != nil {
			return err
		}
		if err := enqueue(tx, now, MailPreferencesReceived, r, ""); err != nil {
			return err
		}
		r.Venue = Venue{ID: v.venueID, EventID: v.eventID, Slug: in.Venue}
		res = RegistrationResult{Registration: r, Token: token}
		return nil
	}, nil)
	if err != nil {
		return RegistrationResult{}, true, fmt.Errorf("register %q: %w", email, err)
	}
	return res, true, nil
}

// sessionsBeforeAllocation refuses an attendee's choice of chosen sessions in preference mode
// before the venue's allocation: until then they rank sessions, and nobody takes a seat.
func sessionsBeforeAllocation(tx *gorm.DB, event Event, venueID uint, chosen int) error {
	if !event.PreferenceMode() || chosen == 0 {
		return nil
	}
	var n int64
	if err := tx.Model(&Allocation{}).Where("venue_id = ?", venueID).Count(&n).Error; err != nil || n > 0 {
		return err
	}
	return invalid(Problems{"sessions": {Key: "preference.sessions_before_allocation"}})
}
