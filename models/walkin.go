package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// ActorDevice is a paired door device in the audit trail (a walk-in registered at its door).
const ActorDevice = "device"

// ActionWalkIn is the audit trail's name for a walk-in registered and checked in at the door.
const ActionWalkIn = "registration.walk_in"

// WalkInInput is a person who turns up at a venue's door without a registration, and the
// door that lets them in.
type WalkInInput struct {
	VenueID                   uint
	Name, Organisation, Email string // Email is optional
	// Lang is the language of the confirmation e-mail, when there is an address.
	Lang          string
	Door          string
	DeviceTokenID *uint
	UserID        *uint
}

// Validate reports what is wrong with the walk-in's own fields.
func (in WalkInInput) Validate() Problems {
	p := Problems{}
	p.checkLine("name", in.Name, true, 200)
	p.checkName("name", in.Name)
	p.checkLine("organisation", in.Organisation, true, 200)
	p.checkName("organisation", in.Organisation)
	p.checkEmail("email", in.Email, false)
	return p
}

// WalkInResult is the registration a walk-in made and the check-in that let them in.
type WalkInResult struct {
	Registration Registration
	CheckIn      CheckIn
}

// WalkIn registers a person at the door and checks them in at once, in one transaction: a
// registration written by registerTx (no sessions; a confirmation with the personal link
// only when they gave an address), a place at the venue if there is one (ErrVenueFull
// otherwise: walk-ins never go over capacity), a normal check-in at that door, and an audit
// entry naming who let them in. An address that already has an active registration is
// ErrAlreadyRegistered: the door should find that person instead.
//
// The registration window does not apply (people walk in on the day, after it closed). The
// registration records the event's current privacy version as consent: the door staff tell
// the person how their data are used, as the door page reminds them.
// It also returns ErrNotFound when there is no such venue, and a *ValidationError when the input
// is not valid.
func (s *Store) WalkIn(ctx context.Context, by Actor, in WalkInInput) (WalkInResult, error) {
	if err := invalid(in.Validate()); err != nil {
		return WalkInResult{}, err
	}
	var v Venue
	if err := s.db.WithContext(ctx).Select("id", "event_id", "slug", "name").First(&v, in.VenueID).Error; err != nil {
		return WalkInResult{}, fmt.Errorf("walk-in: %w", notFound(err, "venue", in.VenueID))
	}
	var privacy string
	if err := s.db.WithContext(ctx).Model(&Event{}).Where("id = ?", v.EventID).Pluck("privacy_version", &privacy).Error; err != nil {
		return WalkInResult{}, fmt.Errorf("walk-in: privacy version: %w", err)
	}
	var res WalkInResult
	err := s.write(ctx, func(tx *gorm.DB) error {
		ctx := tx.Statement.Context
		now := s.now().UTC()
		email := strings.TrimSpace(in.Email)
		r := newRegistration(RegistrationInput{Name: in.Name, Email: email, Organisation: in.Organisation, Lang: in.Lang},
			v.EventID, v.ID, privacy, now)
		plan := choicePlan{slots: map[uint][]uint{}}
		if _, err := s.registerTx(ctx, tx, now, &r, plan, registerOptions{onBehalf: true, noMail: email == ""}); err != nil {
			return err
		}
		var out CheckInOutcome
		if err := s.checkIn(tx, CheckInInput{VenueID: v.ID, RegistrationID: r.ID, Door: in.Door,
			DeviceTokenID: in.DeviceTokenID, UserID: in.UserID}, &out); err != nil {
			return err
		}
		if out.Result != CheckInAdmitted {
			return fmt.Errorf("check-in of the new registration: %s", out.Result)
		}
		// Never the person's data in the details: only what the door did.
		details := map[string]any{"door": in.Door, "check_in": out.CheckIn.ID, "email_given": email != ""}
		if err := writeAudit(tx, now, by, AuditRecord{Action: ActionWalkIn, SubjectKind: SubjectRegistration,
			SubjectID: r.ID, VenueID: v.ID, Details: details}); err != nil {
			return err
		}
		r.Venue = Venue{ID: v.ID, EventID: v.EventID, Slug: v.Slug, Name: v.Name}
		res = WalkInResult{Registration: r, CheckIn: out.CheckIn}
		return nil
	})
	if err != nil {
		return WalkInResult{}, fmt.Errorf("walk-in at venue %d: %w", in.VenueID, err)
	}
	return res, nil
}
