package door

import (
	"context"
	"fmt"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
)

// RoomResult is a scan's outcome at the door of a session's room: Outcome is one of the
// models.Room… answers, the rest as the store judged it.
type RoomResult struct {
	models.RoomScanOutcome
	// ScannedAt is when this scan counts as made.
	ScannedAt time.Time
	// AdmittedAtVenue is set when this scan also admitted the person at the venue's door.
	AdmittedAtVenue bool
}

// ScanRoom judges what the door of session sessionID's room read. The code names a ticket as
// at the venue's door (a QR payload, a typed code, or a registration picked by name); a
// ticket of another venue, or one that names nobody, is not_registered. The room's door
// looks at bookings as they are now, so an older version of a ticket still names its person.
//
// A person the room's door finds at the venue who was not admitted at the venue's door is
// admitted there by this scan: they are in the building (the venue's door may have been
// passed in a rush, or not be scanned at all), and without it their room scans would not count
// as attended (models.Store.AttendedSessions needs the venue's check-in).
//
// The error wraps models.ErrNotFound for a session that is not a placed session of the door's
// venue, and models.ErrScanIDReused for a scan id the door used for another person.
func (s Scanner) ScanRoom(ctx context.Context, d Door, sessionID uint, in Scan) (RoomResult, error) {
	ticket, outcome, err := s.ticket(ctx, d, in)
	if err != nil {
		return RoomResult{}, err
	}
	now := s.Store.Now()
	if in.ScannedAt != nil && (in.ScannedAt.After(now) || in.ScannedAt.Before(now.Add(-MaxOfflineAge))) {
		in.ScannedAt = &now // as at the venue's door: a wrong device clock counts as now
	}
	regID := uint(0)
	if outcome == Admitted {
		if _, other, err := s.wrongVenue(ctx, d, ticket); err != nil {
			return RoomResult{}, err
		} else if !other {
			regID = uint(ticket.ID)
		}
	}
	got, err := s.Store.RoomScan(ctx, models.RoomScanInput{VenueID: d.Venue.ID, SessionID: sessionID, RegistrationID: regID,
		Door: d.Name, DeviceTokenID: d.DeviceTokenID, UserID: d.UserID, ScanID: in.ScanID, ScannedAt: in.ScannedAt})
	if err != nil {
		return RoomResult{}, fmt.Errorf("room scan at %s: %w", d.Venue.Slug, err)
	}
	res := RoomResult{RoomScanOutcome: got, ScannedAt: now}
	if in.ScannedAt != nil {
		res.ScannedAt = *in.ScannedAt
	}
	if got.Result == models.RoomNotRegistered {
		return res, nil
	}
	admitted, err := s.Store.CheckedIn(ctx, got.Registration.ID)
	if err != nil || admitted {
		return res, err
	}
	// Any version admits here: the room's door has found the person already.
	venue, err := s.Store.CheckIn(ctx, models.CheckInInput{VenueID: d.Venue.ID, RegistrationID: got.Registration.ID,
		Door: d.Name, DeviceTokenID: d.DeviceTokenID, UserID: d.UserID, ScannedAt: in.ScannedAt})
	if err != nil {
		return RoomResult{}, fmt.Errorf("room scan at %s: %w", d.Venue.Slug, err)
	}
	res.AdmittedAtVenue = venue.Result == models.CheckInAdmitted
	return res, nil
}
