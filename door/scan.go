// Package door judges a scan at a venue's door: which ticket a scanned or typed code names,
// for which venue and in which version, and what checking it in comes to. It knows no HTTP:
// the door API decodes a request, calls Scanner.Scan and answers with its Result. A scan at
// the door of a session's room is Scanner.ScanRoom (room.go).
package door

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/tickets"
)

// Door is where a scan is made: a door of a venue, a paired device or a signed-in account.
type Door struct {
	Venue models.Venue
	// Name is the door's name: the device's name, or the account's address.
	Name          string
	DeviceTokenID *uint
	UserID        *uint
}

// Scan is what a door read: a code from a QR code or typed from the paper, or a
// registration picked by name (one of the two); ScanID and ScannedAt are the device's own
// name and time for the scan (ScannedAt for a scan made offline and sent later).
type Scan struct {
	Code         string
	Registration uint
	ScanID       string
	ScannedAt    *time.Time
}

// Outcome is what a scan comes to.
type Outcome int

// The outcomes of a scan.
const (
	// Unknown: the scan names no ticket of this door's venue that exists: a code no ticket
	// has, a registration that is gone, or a person found by name at another venue.
	Unknown Outcome = iota
	// BadSignature: a QR payload that is unreadable or not signed by the event's key.
	BadSignature
	// Admitted: the person is in, by this scan.
	Admitted
	// AlreadyIn: the person was already in, by an earlier scan.
	AlreadyIn
	// WrongVenue: a ticket for another venue of the event.
	WrongVenue
	// Cancelled: the registration was cancelled.
	Cancelled
	// Superseded: a ticket in an older version than the registration's.
	Superseded
)

// Result returns the name the door API gives the outcome (one of models.CheckIn…): Unknown
// and BadSignature are both "invalid" there.
func (o Outcome) Result() string {
	switch o {
	case Admitted:
		return models.CheckInAdmitted
	case AlreadyIn:
		return models.CheckInAlreadyIn
	case WrongVenue:
		return models.CheckInWrongVenue
	case Cancelled:
		return models.CheckInCancelled
	case Superseded:
		return models.CheckInSuperseded
	default:
		return models.CheckInInvalid
	}
}

// Result is a scan's outcome with what the door shows of it.
type Result struct {
	Outcome Outcome
	// Registration is whose ticket it is (id, status, name, organisation) when the outcome
	// is Admitted, AlreadyIn, Cancelled or Superseded.
	Registration models.Registration
	// CheckIn is the check-in that counts, for Admitted (this scan's) and AlreadyIn (the
	// earlier one).
	CheckIn models.CheckIn
	// ScannedAt is when this scan counts as made, for Admitted and AlreadyIn.
	ScannedAt time.Time
	// Session is the person's first session of the day, for Admitted and AlreadyIn; nil
	// when they have none.
	Session *models.FirstSession
	// Conflict is set when a scan made offline met a check-in at another door.
	Conflict bool
	// Venue is, for WrongVenue, the venue the ticket is for: its slug and name, or only the
	// name the ticket carries (as Slug) when no venue of the event has that name.
	Venue VenueRef
	// Cancelled is set, for WrongVenue, when that ticket was cancelled too.
	Cancelled bool
}

// VenueRef names a venue as the door shows it.
type VenueRef struct {
	Slug string
	Name string
}

// Keys is what a door needs of an event's key pair: the public key its QR codes are
// verified with, and its book of short codes.
type Keys struct {
	PublicKey ed25519.PublicKey
	Codes     *tickets.CodeBook
}

// MaxOfflineAge is how old an offline scan may say it is: a door is offline for hours at most.
const MaxOfflineAge = 24 * time.Hour

// Scanner judges the scans of every door. Its zero value is not usable: Store and Keys are
// required.
type Scanner struct {
	Store *models.Store
	// Keys returns the event's keys; it is only called for a scan that carries a code.
	Keys func(ctx context.Context, eventID uint) (Keys, error)
	// Allow reports whether a code the book does not know may make the door read its
	// venue's tickets again (a burst of unknown codes must not read them every time); nil
	// always allows.
	Allow func(venueSlug string) bool
}

// Scan judges what door d read and checks the person in when the ticket is good. The
// error wraps models.ErrScanIDReused for a scan id the door already used for another
// ticket; any other error is the store's or the keys'.
func (s Scanner) Scan(ctx context.Context, d Door, in Scan) (Result, error) {
	ticket, outcome, err := s.ticket(ctx, d, in)
	if err != nil || outcome != Admitted {
		return Result{Outcome: outcome}, err
	}
	if res, other, err := s.wrongVenue(ctx, d, ticket); err != nil || other {
		return res, err
	}
	now := s.Store.Now()
	if in.ScannedAt != nil && (in.ScannedAt.After(now) || in.ScannedAt.Before(now.Add(-MaxOfflineAge))) {
		// A device clock ahead of ours cannot make a scan come later, nor one that was reset to
		// 1970 make it come first: such a scan counts as made now.
		in.ScannedAt = &now
	}
	got, err := s.Store.CheckIn(ctx, models.CheckInInput{
		VenueID: d.Venue.ID, RegistrationID: uint(ticket.ID), TicketVersion: int(ticket.Version),
		Door: d.Name, DeviceTokenID: d.DeviceTokenID, UserID: d.UserID, ScanID: in.ScanID, ScannedAt: in.ScannedAt,
	})
	if err != nil {
		return Result{}, fmt.Errorf("scan at %s: %w", d.Venue.Slug, err)
	}
	res := Result{Registration: got.Registration, Conflict: got.Conflict}
	switch got.Result {
	case models.CheckInAdmitted:
		res.Outcome, res.CheckIn, res.ScannedAt = Admitted, got.CheckIn, got.CheckIn.CheckedInAt
	case models.CheckInAlreadyIn:
		res.Outcome, res.CheckIn, res.ScannedAt = AlreadyIn, got.CheckIn, now
		if in.ScannedAt != nil {
			res.ScannedAt = *in.ScannedAt
		}
	case models.CheckInCancelled:
		res.Outcome = Cancelled
		return res, nil
	case models.CheckInSuperseded:
		res.Outcome = Superseded
		return res, nil
	default:
		// A name search hit at another venue, or a registration that no longer exists.
		return Result{Outcome: Unknown}, nil
	}
	res.Session = got.Session
	if res.Session == nil {
		f, ok, err := s.Store.FirstSessionOf(ctx, got.Registration.ID)
		if err != nil {
			return Result{}, err
		}
		if ok {
			res.Session = &f
		}
	}
	return res, nil
}

// ticket reads the ticket a scan names: a signed QR payload, a short code typed from the
// paper, or a registration picked by name. The outcome is Admitted when it names one (to be
// judged further), else Unknown or BadSignature.
func (s Scanner) ticket(ctx context.Context, d Door, in Scan) (tickets.Ticket, Outcome, error) {
	if in.Registration != 0 {
		if in.Registration > 1<<32-1 {
			return tickets.Ticket{}, Unknown, nil
		}
		return tickets.Ticket{ID: uint32(in.Registration), Venue: d.Venue.TicketName()}, Admitted, nil
	}
	keys, err := s.Keys(ctx, d.Venue.EventID)
	if err != nil {
		return tickets.Ticket{}, Unknown, err
	}
	// Handheld scanners may add a line end; QR payloads are upper case.
	code := strings.TrimSpace(in.Code)
	if strings.HasPrefix(code, "DP1") {
		t, err := tickets.NewVerifier(keys.PublicKey).Verify(code)
		if err != nil {
			return tickets.Ticket{}, BadSignature, nil
		}
		return t, Admitted, nil
	}
	code = tickets.NormalizeCode(code)
	if t, ok := keys.Codes.Lookup(code); ok {
		return t, Admitted, nil
	}
	// Not in the book yet: add the tickets of the event's venues it lacks (the book signs only
	// those), another venue's too, so that its code gets the same answer as its QR code: "for
	// another venue", never "unknown".
	if s.Allow != nil && !s.Allow(d.Venue.Slug) {
		return tickets.Ticket{}, Unknown, nil
	}
	venues, err := s.Store.Venues(ctx, d.Venue.EventID)
	if err != nil {
		return tickets.Ticket{}, Unknown, err
	}
	if err := LearnCodes(ctx, s.Store, keys.Codes, venues); err != nil {
		return tickets.Ticket{}, Unknown, err
	}
	if t, ok := keys.Codes.Lookup(code); ok {
		return t, Admitted, nil
	}
	return tickets.Ticket{}, Unknown, nil
}

// wrongVenue judges a ticket of another venue: which one, and whether it was cancelled, as
// its QR code and its typed code both get. other is false for a ticket of the door's own
// venue, also one that names it by a slug it had when the ticket was issued.
func (s Scanner) wrongVenue(ctx context.Context, d Door, ticket tickets.Ticket) (res Result, other bool, err error) {
	if ticket.Venue == d.Venue.TicketName() {
		return Result{}, false, nil
	}
	res = Result{Outcome: WrongVenue, Venue: VenueRef{Slug: ticket.Venue}}
	v, err := s.Store.VenueByTicketName(ctx, d.Venue.EventID, ticket.Venue)
	switch {
	case errors.Is(err, models.ErrNotFound):
	case err != nil:
		return Result{}, false, err
	case v.ID == d.Venue.ID:
		return Result{}, false, nil
	default:
		res.Venue = VenueRef{Slug: v.Slug, Name: v.Name}
	}
	r, err := s.Store.Registration(ctx, uint(ticket.ID))
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return Result{}, false, err
	}
	res.Cancelled = err == nil && r.Status != models.RegistrationActive
	return res, true, nil
}

// LearnCodes puts the codes of every ticket the venues have issued into the event's code
// book, older versions too (to tell "superseded" from "unknown"), so that a typed code can
// be looked up. It costs a signature per ticket version the book lacks.
func LearnCodes(ctx context.Context, store *models.Store, book *tickets.CodeBook, venues []models.Venue) error {
	for _, v := range venues {
		versions, err := store.VenueTickets(ctx, v.ID)
		if err != nil {
			return err
		}
		// Tickets issued before keys carry the venue's slug of the day.
		names := []string{v.TicketName()}
		if v.Slug != v.TicketName() {
			names = append(names, v.Slug)
		}
		for id, version := range versions {
			for ver := 1; ver <= version; ver++ {
				for _, name := range names {
					book.Code(tickets.Ticket{ID: uint32(id), Venue: name, Version: uint16(ver)})
				}
			}
		}
	}
	return nil
}
