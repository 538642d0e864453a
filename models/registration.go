package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Registration statuses.
const (
	RegistrationActive    = "active"
	RegistrationCancelled = "cancelled"
)

// Booking statuses: a seat, or a place in the waiting list.
const (
	BookingConfirmed  = "confirmed"
	BookingWaitlisted = "waitlisted"
)

var (
	// ErrAlreadyRegistered: the e-mail address already has an active registration.
	ErrAlreadyRegistered = fmt.Errorf("already registered: %w", ErrConflict)
	// ErrVenueFull: the venue has no seats left for another registration.
	ErrVenueFull = fmt.Errorf("venue full: %w", ErrConflict)
	// ErrRegistrationClosed: registration is not open now.
	ErrRegistrationClosed = errors.New("registration closed")
)

// Registration is one attendee's booking for one venue of the event.
type Registration struct {
	ID      uint
	EventID uint `gorm:"not null;uniqueIndex:idx_registrations_active_email"`
	VenueID uint `gorm:"not null;index"`
	// ActiveEmail is the normalised address while the registration is active and NULL once
	// cancelled: the unique index on it allows one active registration per address.
	ActiveEmail    *string `gorm:"size:254;uniqueIndex:idx_registrations_active_email"`
	Email          string  `gorm:"size:254;not null"`
	Name           string  `gorm:"size:200;not null"`
	Organisation   string  `gorm:"size:200;not null"`
	JobTitle       string  `gorm:"size:200;not null;default:''"`
	Dietary        string  `gorm:"size:500;not null;default:''"`
	Accessibility  string  `gorm:"size:500;not null;default:''"`
	Lang           string  `gorm:"size:5;not null"`
	ConsentVersion string  `gorm:"size:40;not null"`
	ConsentAt      time.Time
	Status         string `gorm:"size:20;not null;index"`
	// SearchText and SortName are derived from the name, address and organisation whenever
	// they are written: what the organisers' search looks in, and the last-name order.
	SearchText string `gorm:"size:700;not null;default:''"`
	SortName   string `gorm:"size:400;not null;default:'';index"`
	// TicketVersion rises whenever the booking changes in a way that matters at the door.
	TicketVersion int `gorm:"not null;default:1"`
	CancelledAt   *time.Time
	ReconfirmedAt *time.Time
	// ErasedAt is when the person had their data erased (EraseRegistration); nil until then.
	ErasedAt  *time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
	Venue     Venue     `gorm:"constraint:OnDelete:RESTRICT"`
	Bookings  []Booking `gorm:"constraint:OnDelete:CASCADE"`
}

// Booking is a registration's seat in a session, or its place in the session's waiting list.
// Waiting lists are served in the order of (WaitOrder, ID): first come, first served, unless
// an organiser moved someone (see MoveInWaitlist).
type Booking struct {
	ID             uint
	RegistrationID uint   `gorm:"not null;uniqueIndex:idx_bookings_registration_session"`
	SessionID      uint   `gorm:"not null;uniqueIndex:idx_bookings_registration_session;index:idx_bookings_session_status"`
	Status         string `gorm:"size:20;not null;index:idx_bookings_session_status"`
	// WaitOrder is 0 until an organiser reorders the session's waiting list, which numbers
	// that list below 0; ties (everyone at 0) go by id.
	WaitOrder  int64 `gorm:"not null;default:0;index:idx_bookings_session_status"`
	PromotedAt *time.Time
	CreatedAt  time.Time
	Session    Session `gorm:"constraint:OnDelete:CASCADE"`
	// Position is the place in the waiting list (1 is next); 0 for a seat. Not stored.
	Position int `gorm:"-"`
}

// AccessToken is the hash of a personal link that lets an attendee manage their booking.
// The token itself is only ever in the link; the database keeps its SHA-256.
type AccessToken struct {
	Hash           string `gorm:"size:64;primaryKey"`
	RegistrationID uint   `gorm:"not null;index"`
	CreatedAt      time.Time
}

// RegistrationInput is what an attendee sends to register.
type RegistrationInput struct {
	Name, Email, Organisation, JobTitle, Dietary, Accessibility string
	Lang                                                        string
	Venue                                                       string // slug
	// VenueID, when set, names the venue instead of the slug, which means the current
	// edition's: an organiser registering someone in the edition they work on (RegisterFor).
	VenueID  uint
	Sessions []uint // at most one per slot
	Waitlist []uint // full sessions to wait for, keeping a seat meanwhile
	// Preferences are the sessions ranked per slot, in preference mode before the venue's
	// allocation (issue #19, see preferences_register.go); then Sessions and Waitlist are empty.
	Preferences Rankings
	Consent     bool
}

// Validate reports what is wrong with the input on its own.
func (in RegistrationInput) Validate() Problems {
	p := Problems{}
	p.checkPerson(in.Name, in.Email, in.Organisation, in.JobTitle, in.Dietary, in.Accessibility)
	if strings.TrimSpace(in.Venue) == "" {
		p.Add("venue", "form.required")
	}
	if len(in.Sessions) > 20 {
		p.Add("sessions", "form.too_many", "Max", 20)
	}
	if len(in.Waitlist) > 20 {
		p.Add("waitlist", "form.too_many", "Max", 20)
	}
	if !in.Consent {
		p.Add("consent", "form.consent_required")
	}
	return p
}

// checkPerson checks a person's details as the registration form asks for them: the one rule
// for an attendee's own registration and an organiser's corrections.
func (p Problems) checkPerson(name, email, organisation, jobTitle, dietary, accessibility string) {
	p.checkLine("name", name, true, 200)
	p.checkName("name", name)
	p.checkEmail("email", email, true)
	p.checkLine("organisation", organisation, true, 200)
	p.checkName("organisation", organisation)
	p.checkLine("job_title", jobTitle, false, 200)
	p.checkName("job_title", jobTitle)
	p.checkText("dietary", dietary, false, 500)
	p.checkText("accessibility", accessibility, false, 500)
}

// RegistrationResult is a registration as just written, with the personal token that the
// confirmation carries. The token is not stored and cannot be read back later.
type RegistrationResult struct {
	Registration Registration
	Token        string
}

// RegistrationOpen reports whether people may register at t, and if not, whether they may
// still join waiting lists.
func (e Event) RegistrationOpen(t time.Time) (open, waitlistOnly bool) {
	if e.RegistrationOpensAt != nil && t.Before(*e.RegistrationOpensAt) {
		return false, false
	}
	if e.RegistrationClosesAt != nil && !t.Before(*e.RegistrationClosesAt) {
		return false, e.WaitlistAfterClose
	}
	return true, false
}

// Register stores a registration, gives it a seat in every chosen session that has one free
// and a place in the waiting list of the others, and queues the confirmation e-mail — all in
// one transaction.
// It returns a *ValidationError when the input is not valid, names an unknown venue or gives
// an address outside the domains registration is limited to (Event.RegistrationDomains),
// ErrRegistrationClosed outside the registration window, ErrAlreadyRegistered when the address has
// an active registration, and ErrVenueFull when the venue has no seat left.
func (s *Store) Register(ctx context.Context, in RegistrationInput) (RegistrationResult, error) {
	if err := invalid(in.Validate()); err != nil {
		return RegistrationResult{}, err
	}
	// The venue, the registration window and the choices are checked before queueing for the
	// writer, on the readers: under a rush the writer does nothing but write. (An organiser
	// moving a session in the same instant is as if the attendee had been a moment quicker.)
	v, err := s.registrationVenue(ctx, in.Venue)
	venueID, eventID, event := v.venueID, v.eventID, v.event
	if errors.Is(err, sql.ErrNoRows) {
		return RegistrationResult{}, fmt.Errorf("register %q: %w", NormalizeEmail(in.Email), invalid(Problems{"venue": {Key: "form.unknown_venue"}}))
	}
	if err != nil {
		return RegistrationResult{}, fmt.Errorf("register %q: %w", NormalizeEmail(in.Email), err)
	}
	if p := event.registrantProblems(in.Email); len(p) > 0 {
		return RegistrationResult{}, fmt.Errorf("register %q: %w", NormalizeEmail(in.Email), invalid(p))
	}
	if res, handled, err := s.registerByPreference(ctx, in, v); handled {
		return res, err
	}
	plan, err := s.planChoices(context.WithoutCancel(ctx), nil, venueID, in.Sessions, in.Waitlist)
	if err != nil {
		return RegistrationResult{}, fmt.Errorf("register %q: %w", NormalizeEmail(in.Email), err)
	}
	var res RegistrationResult
	pipe := s.pipelinedRegistration(in, venueID, eventID, event, plan, &res)
	err = s.writeOne(ctx, venueID, func(tx *gorm.DB) error {
		ctx := tx.Statement.Context
		now := s.now().UTC()
		open, waitlistOnly := event.RegistrationOpen(now)
		if !open && !waitlistOnly {
			return ErrRegistrationClosed
		}
		r := newRegistration(in, eventID, venueID, event.PrivacyVersion, now)
		opt := registerOptions{waitlistOnly: waitlistOnly}
		token, err := s.registerTx(ctx, tx, now, &r, plan, opt)
		if err != nil {
			return err
		}
		res.Token = token
		r.Venue = Venue{ID: venueID, EventID: eventID, Slug: in.Venue}
		res.Registration = r
		return nil
	}, pipe)
	if err != nil {
		return RegistrationResult{}, fmt.Errorf("register %q: %w", NormalizeEmail(in.Email), err)
	}
	// The answer comes from the transaction: registerTx (or the pipelined statement) gave
	// the bookings with their places in line, as committed.
	return res, nil
}

// newRegistration is the registration an input describes, active and not yet stored.
func newRegistration(in RegistrationInput, eventID, venueID uint, privacyVersion string, now time.Time) Registration {
	email := NormalizeEmail(in.Email)
	r := Registration{
		EventID: eventID, VenueID: venueID, ActiveEmail: &email, Email: strings.TrimSpace(in.Email),
		Name: strings.TrimSpace(in.Name), Organisation: strings.TrimSpace(in.Organisation),
		JobTitle: strings.TrimSpace(in.JobTitle), Dietary: strings.TrimSpace(in.Dietary),
		Accessibility: strings.TrimSpace(in.Accessibility), Lang: langOrDutch(in.Lang),
		ConsentVersion: privacyVersion, ConsentAt: now, Status: RegistrationActive, TicketVersion: 1,
		SearchText: searchText(in.Name, in.Email, in.Organisation), SortName: sortName(in.Name),
		CreatedAt: now, UpdatedAt: now,
	}
	if email == "" {
		r.ActiveEmail = nil // a walk-in without an address: the unique index allows many NULLs
	}
	return r
}

// registerOptions say how a registration is written beyond the attendee's own choices.
type registerOptions struct {
	// waitlistOnly: registration has closed but waiting lists are open, so every choice
	// goes on a waiting list.
	waitlistOnly bool
	// overCapacity is an organiser's explicit, logged choice (a speaker's guest, a VIP): the
	// venue place and the seats are taken even when they are full.
	overCapacity bool
	// onBehalf marks the confirmation as written by an organiser; noMail sends none (a walk-in
	// who gave no address).
	onBehalf, noMail bool
}

// registerTx writes a new registration inside the caller's transaction: the row (its id is
// set in r), a place at the venue, the plan's seats and waiting-list places, a personal link
// (returned) and the confirmation e-mail. It is the one way a registration comes to be, for
// an attendee, an organiser, an import or a walk-in.
func (s *Store) registerTx(ctx context.Context, tx *gorm.DB, now time.Time, r *Registration, plan choicePlan, opt registerOptions) (string, error) {
	if s.inOneStatement(plan, opt) {
		return s.registerPostgres(ctx, tx, now, r, plan)
	}
	err := inTx(ctx, tx, s.stmts.insertRegistration).QueryRowContext(ctx, r.EventID, r.VenueID, r.ActiveEmail, r.Email, r.Name,
		r.Organisation, r.JobTitle, r.Dietary, r.Accessibility, r.Lang, r.ConsentVersion, now, r.Status,
		r.SearchText, r.SortName, now, now).Scan(&r.ID)
	if isUniqueErr(err) {
		return "", ErrAlreadyRegistered
	}
	if err != nil {
		return "", err
	}
	if opt.overCapacity {
		err = tx.Exec("UPDATE venues SET registered = registered + 1 WHERE id = ?", r.VenueID).Error
	} else {
		var took sql.Result
		if took, err = inTx(ctx, tx, s.stmts.takeVenueSeat).ExecContext(ctx, r.VenueID); err == nil {
			if n, _ := took.RowsAffected(); n == 0 {
				return "", ErrVenueFull
			}
		}
	}
	if err != nil {
		return "", err
	}
	tallyOf(tx).registrations++
	plan.overCapacity = opt.overCapacity
	if err := s.applyPlan(ctx, tx, r.ID, plan, !opt.waitlistOnly, now); err != nil {
		return "", err
	}
	token, err := s.newAccessToken(ctx, tx, r.ID, now)
	if err != nil || opt.noMail {
		return token, err
	}
	// The confirmation reports the programme as it is now, even if a promotion or a
	// change happens before it is sent (#12 point 28). The bookings, with their places in
	// line, stay in r too: they are the answer to the attendee.
	r.Bookings, err = s.newBookingsInTx(ctx, tx, r.ID)
	if err != nil {
		return "", err
	}
	snap := programmeOf(r.Bookings)
	if opt.onBehalf {
		return token, tx.Create(&OutboxMessage{Kind: MailConfirmation, Recipient: r.Email, Lang: r.Lang, RegistrationID: &r.ID,
			Payload: snap.String(), NextAttemptAt: now, CreatedAt: now, OnBehalf: true}).Error
	}
	_, err = inTx(ctx, tx, s.stmts.insertOutbox).ExecContext(ctx, MailConfirmation, r.Email, r.Lang, r.ID, snap.String(), now, now)
	return token, err
}

func nullTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

func langOrDutch(l string) string {
	if l == "en" {
		return "en"
	}
	return "nl"
}

// choicePlan is a validated set of choices: the sessions to book and to wait for, with the
// slots each fills.
type choicePlan struct {
	sessions []uint          // a seat if one is free, else the waiting list
	waitlist []uint          // the waiting list, keeping a seat elsewhere in the slot meanwhile
	slots    map[uint][]uint // session id → slot ids
	// overCapacity seats people in plan.sessions even when they are full: an organiser's
	// explicit choice, never an attendee's.
	overCapacity bool
}

// planChoices checks that every chosen session exists, is placed at the venue, and that no
// two chosen sessions (nor two waiting-list choices) share a slot.
// With tx nil it reads outside any transaction.
func (s *Store) planChoices(ctx context.Context, tx *gorm.DB, venueID uint, sessions, waitlist []uint) (choicePlan, error) {
	plan := choicePlan{sessions: dedupe(sessions), waitlist: dedupe(waitlist), slots: map[uint][]uint{}}
	atVenue := map[uint]bool{}
	placement := s.stmts.sessionPlacementRead
	if tx != nil {
		placement = inTx(ctx, tx, s.stmts.sessionPlacement)
	}
	for _, id := range append(slices.Clone(plan.sessions), plan.waitlist...) {
		if _, seen := atVenue[id]; seen {
			continue
		}
		var pl sessionPlacement
		var err error
		if tx == nil {
			pl, err = s.placements.get(ctx, placement, id)
		} else {
			pl, err = readPlacement(ctx, placement, id)
		}
		if err != nil {
			return plan, err
		}
		plan.slots[id] = pl.slots
		atVenue[id] = pl.placedAt(venueID)
	}
	p := Problems{}
	check := func(field string, ids []uint) {
		used := map[uint]uint{}
		for _, id := range ids {
			if !atVenue[id] {
				p.Add(field, "form.session_not_at_venue", "ID", id)
				continue
			}
			for _, sl := range plan.slots[id] {
				if other, clash := used[sl]; clash && other != id {
					p.Add(field, "form.sessions_same_slot")
				}
				used[sl] = id
			}
		}
	}
	check("sessions", plan.sessions)
	check("waitlist", plan.waitlist)
	for _, id := range plan.waitlist {
		if slices.Contains(plan.sessions, id) {
			p.Add("waitlist", "form.waitlist_and_seat")
		}
	}
	return plan, invalid(p)
}

func dedupe(ids []uint) []uint {
	out := make([]uint, 0, len(ids))
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// slotsOfSessions maps each session to the slots it fills.
func slotsOfSessions(tx *gorm.DB, ids []uint) (map[uint][]uint, error) {
	out := map[uint][]uint{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []SessionSlot
	if err := tx.Select("session_id", "slot_id").Where("session_id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.SessionID] = append(out[r.SessionID], r.SlotID)
	}
	return out, nil
}

// applyPlan books the plan's sessions for a registration that has none of them yet. With
// seats false (registration closed, waiting lists still open) everything goes on the lists.
func (s *Store) applyPlan(ctx context.Context, tx *gorm.DB, regID uint, plan choicePlan, seats bool, now time.Time) error {
	for _, id := range plan.sessions {
		if plan.overCapacity && seats {
			if err := s.bookOverCapacity(ctx, tx, regID, id, now); err != nil {
				return err
			}
			continue
		}
		if _, err := s.book(ctx, tx, regID, id, seats, now); err != nil {
			return err
		}
	}
	for _, id := range plan.waitlist {
		got, err := s.book(ctx, tx, regID, id, seats, now)
		if err != nil || !got {
			return err
		}
		// The session they wanted to wait for had a seat after all: they keep it, and give
		// up what they held in its slots.
		freed, err := releaseOverlapping(tx, regID, id, plan.slots[id])
		if err != nil {
			return err
		}
		if err := s.promote(ctx, tx, now, freed...); err != nil {
			return err
		}
	}
	return nil
}

// book gives the registration a seat in the session if one is free, else a waiting-list
// place, and reports whether it got a seat.
func (s *Store) book(ctx context.Context, tx *gorm.DB, regID, sessionID uint, seats bool, now time.Time) (bool, error) {
	got := false
	if seats {
		var err error
		if got, err = s.takeSeat(ctx, tx, sessionID); err != nil {
			return false, err
		}
	}
	status := BookingWaitlisted
	if got {
		status = BookingConfirmed
	}
	_, err := inTx(ctx, tx, s.stmts.insertBooking).ExecContext(ctx, regID, sessionID, status, now)
	return got, err
}

// bookOverCapacity gives the registration a seat in the session, free or not.
func (s *Store) bookOverCapacity(ctx context.Context, tx *gorm.DB, regID, sessionID uint, now time.Time) error {
	if err := tx.Exec("UPDATE sessions SET confirmed = confirmed + 1 WHERE id = ?", sessionID).Error; err != nil {
		return err
	}
	_, err := inTx(ctx, tx, s.stmts.insertBooking).ExecContext(ctx, regID, sessionID, BookingConfirmed, now)
	return err
}

// takeSeat claims one seat in a session if one is free. The check and the claim are one
// conditional UPDATE, so concurrent transactions — in this process or another, on SQLite or
// on PostgreSQL, where the row lock makes the second re-read the count — can never overbook.
func (s *Store) takeSeat(ctx context.Context, tx *gorm.DB, sessionID uint) (bool, error) {
	res, err := inTx(ctx, tx, s.stmts.takeSeat).ExecContext(ctx, sessionID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// giveBackSeat returns one seat to a session.
func giveBackSeat(tx *gorm.DB, sessionID uint) error {
	return tx.Exec("UPDATE sessions SET confirmed = confirmed - 1 WHERE id = ? AND confirmed > 0", sessionID).Error
}

// releaseOverlapping removes the registration's other bookings in the given slots (except
// keep) and returns the sessions where a seat came free.
func releaseOverlapping(tx *gorm.DB, regID, keep uint, slots []uint) ([]uint, error) {
	var others []Booking
	err := tx.Where("registration_id = ? AND session_id <> ? AND session_id IN (?)", regID, keep,
		tx.Model(&SessionSlot{}).Select("session_id").Where("slot_id IN ?", slots)).Find(&others).Error
	if err != nil {
		return nil, err
	}
	return removeBookings(tx, others)
}

// removeBookings deletes bookings, gives back their seats and returns the sessions where a
// seat came free, for the caller to promote.
func removeBookings(tx *gorm.DB, bookings []Booking) ([]uint, error) {
	var freed []uint
	for _, b := range bookings {
		if err := tx.Delete(&Booking{}, b.ID).Error; err != nil {
			return nil, err
		}
		if b.Status == BookingConfirmed {
			if err := giveBackSeat(tx, b.SessionID); err != nil {
				return nil, err
			}
			freed = append(freed, b.SessionID)
		}
	}
	return freed, nil
}

// promote fills free seats in the given sessions from their waiting lists, first come first
// served. A promoted person gives up what they held in the same slots, which may free a seat
// elsewhere; the queue follows that cascade to its end. Each promoted person gets an e-mail.
func (s *Store) promote(ctx context.Context, tx *gorm.DB, now time.Time, sessionIDs ...uint) error {
	queue := slices.Clone(sessionIDs)
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 100000 {
			return errors.New("promote: waiting-list cascade does not end")
		}
		sessionID := queue[0]
		queue = queue[1:]
		var next Booking
		err := tx.Where("session_id = ? AND status = ?", sessionID, BookingWaitlisted).Order(waitlistOrder).First(&next).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		got, err := s.takeSeat(ctx, tx, sessionID)
		if err != nil {
			return err
		}
		if !got {
			continue
		}
		freed, err := s.seatFromWaitlist(ctx, tx, now, next, false)
		if err != nil {
			return err
		}
		// The same session may have more free seats (capacity raised): look again.
		queue = append(queue, sessionID)
		queue = append(queue, freed...)
	}
	return nil
}

// seatFromWaitlist turns a waiting-list booking whose seat the caller has already taken into a
// seat: the person gives up what they held in the same slots (the sessions where a seat came
// free are returned, for the caller to promote) and gets the "promoted" e-mail, which says an
// organiser did it when onBehalf is set.
func (s *Store) seatFromWaitlist(ctx context.Context, tx *gorm.DB, now time.Time, b Booking, onBehalf bool) ([]uint, error) {
	if err := tx.Model(&Booking{}).Where("id = ?", b.ID).
		Updates(map[string]any{"status": BookingConfirmed, "promoted_at": now}).Error; err != nil {
		return nil, err
	}
	tallyOf(tx).promotions++
	slots, err := slotsOfSessions(tx, []uint{b.SessionID})
	if err != nil {
		return nil, err
	}
	freed, err := releaseOverlapping(tx, b.RegistrationID, b.SessionID, slots[b.SessionID])
	if err != nil {
		return nil, err
	}
	var r Registration
	if err := tx.First(&r, b.RegistrationID).Error; err != nil {
		return nil, err
	}
	snap, err := s.snapshotProgramme(ctx, tx, r.ID)
	if err != nil {
		return nil, err
	}
	return freed, enqueueMail(tx, now, MailPromoted, r, fmt.Sprint(b.SessionID)+"|"+snap.String(), onBehalf)
}

// promoteRoom fills seats that a room change may have freed in its sessions.
func (s *Store) promoteRoom(ctx context.Context, tx *gorm.DB, roomID uint, now time.Time) error {
	var ids []uint
	if err := tx.Model(&Session{}).Where("room_id = ?", roomID).Pluck("id", &ids).Error; err != nil {
		return err
	}
	return s.promote(ctx, tx, now.UTC(), ids...)
}

// newAccessToken creates a personal link token of 256 random bits and stores its hash.
func (s *Store) newAccessToken(ctx context.Context, tx *gorm.DB, regID uint, now time.Time) (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(b[:])
	if _, err := inTx(ctx, tx, s.stmts.insertToken).ExecContext(ctx, hashToken(token), regID, now); err != nil {
		return "", err
	}
	return token, nil
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
