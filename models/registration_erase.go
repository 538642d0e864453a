package models

import (
	"context"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"
)

// An attendee's rights over their data (issue #17 points 1 and 2): ExportRegistration gives
// them everything Dagplanner holds about them; EraseRegistration removes them, keeping the
// counts true. Both are built from the blocks in personal_data.go.

// ActionRegistrationErased is the audit entry of an erasure: what it did, in numbers, and
// nothing about who the person was.
const ActionRegistrationErased = "registration.erased"

// ErasedName is the name an erased registration keeps: the organisers' lists still count a
// row, and show it for what it is.
const ErasedName = "Gewist"

// RegistrationExport is everything Dagplanner holds about one attendee, for them to take
// (the JSON download and the readable page show the same). It holds nothing about anyone
// else: not who acted in the audit entries, not who undid a check-in.
type RegistrationExport struct {
	ExportedAt   time.Time            `json:"exported_at"`
	Event        string               `json:"event"`
	Registration RegistrationPersonal `json:"registration"`
	Seats        []ExportBooking      `json:"seats"`
	WaitingLists []ExportBooking      `json:"waiting_lists"`
	CheckIns     []ExportCheckIn      `json:"check_ins"`
	// OtherScans are scans of the ticket that lost to a check-in at another door (kept for
	// the organisers to look at a shared or copied ticket).
	OtherScans []ExportScan         `json:"other_scans"`
	Emails     []MailRecord         `json:"emails"`
	Audit      []PersonalAuditEntry `json:"audit"`
	Erased     bool                 `json:"erased"`
	// Preferences is the ranking of a registration by preference (issue #19), best first
	// per slot; absent when there is none.
	Preferences []ExportPreference `json:"preferences,omitempty"`
	// Ratings and SurveyAnswers are the person's own feedback after the day (issue #18);
	// absent when they gave none.
	Ratings       []ExportRating `json:"ratings,omitempty"`
	SurveyAnswers []ExportAnswer `json:"survey_answers,omitempty"`
	// RoomScans are the scans at the doors of sessions' rooms (issue #18): "in" the room, or
	// "waiting" at its door while on its waiting list; absent when there are none.
	RoomScans []ExportRoomScan `json:"room_scans,omitempty"`
}

// ExportRoomScan is one scan at a session's room door.
type ExportRoomScan struct {
	SessionID uint      `json:"session_id"`
	Title     string    `json:"title"`
	Kind      string    `json:"kind"` // "in" or "waiting"
	ScannedAt time.Time `json:"scanned_at"`
	Door      string    `json:"door"`
}

// ExportPreference is one session the person ranked in one slot; rank 1 is the first choice.
type ExportPreference struct {
	SlotID    uint       `json:"slot_id"`
	Rank      int        `json:"rank"`
	SessionID uint       `json:"session_id"`
	Title     string     `json:"title"`
	StartsAt  *time.Time `json:"starts_at,omitempty"`
}

// RegistrationPersonal is the registration's own fields as the person gave them (or as an
// erasure left them).
type RegistrationPersonal struct {
	ID               uint       `json:"id"`
	Venue            string     `json:"venue"`
	Name             string     `json:"name"`
	Email            string     `json:"email"`
	Organisation     string     `json:"organisation"`
	OrganisationType string     `json:"organisation_type"`
	JobTitle         string     `json:"job_title"`
	Dietary          string     `json:"dietary"`
	Accessibility    string     `json:"accessibility"`
	Lang             string     `json:"lang"`
	ConsentVersion   string     `json:"consent_version"`
	ConsentAt        time.Time  `json:"consent_at"`
	Status           string     `json:"status"`
	TicketVersion    int        `json:"ticket_version"`
	CreatedAt        time.Time  `json:"created_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
	CancelledAt      *time.Time `json:"cancelled_at,omitempty"`
	ReconfirmedAt    *time.Time `json:"reconfirmed_at,omitempty"`
	ErasedAt         *time.Time `json:"erased_at,omitempty"`
}

// ExportBooking is a seat in a session, or a place in its waiting list.
type ExportBooking struct {
	SessionID  uint       `json:"session_id"`
	Title      string     `json:"title"`
	StartsAt   *time.Time `json:"starts_at,omitempty"`
	Room       string     `json:"room,omitempty"`
	Position   int        `json:"position,omitempty"` // place in the waiting list, 1 is next
	BookedAt   time.Time  `json:"booked_at"`
	PromotedAt *time.Time `json:"promoted_at,omitempty"`
}

// ExportCheckIn is a scan of the person's ticket at a door.
type ExportCheckIn struct {
	CheckedInAt time.Time  `json:"checked_in_at"`
	Door        string     `json:"door"`
	Offline     bool       `json:"offline"`
	UndoneAt    *time.Time `json:"undone_at,omitempty"`
}

// ExportScan is a scan of the person's ticket that did not count: the ticket was checked in
// at another door already.
type ExportScan struct {
	ScannedAt time.Time `json:"scanned_at"`
	Door      string    `json:"door"`
}

// ExportRegistration gathers everything Dagplanner holds about one registration: its fields,
// its seats and waiting-list places, its check-ins and other scans of its ticket, the e-mails sent or waiting (kinds and
// times), and the audit entries about it without who acted. It returns ErrNotFound when there
// is no such registration.
func (s *Store) ExportRegistration(ctx context.Context, id uint) (RegistrationExport, error) {
	r, err := s.Registration(ctx, id)
	if err != nil {
		return RegistrationExport{}, fmt.Errorf("export registration: %w", err)
	}
	db := s.db.WithContext(ctx)
	out := RegistrationExport{ExportedAt: s.now().UTC(), Registration: personalFields(r), Erased: r.ErasedAt != nil,
		Seats: []ExportBooking{}, WaitingLists: []ExportBooking{}, CheckIns: []ExportCheckIn{}, OtherScans: []ExportScan{}}
	var event Event
	if err := db.Select("id", "name").First(&event, r.EventID).Error; err != nil {
		return RegistrationExport{}, fmt.Errorf("export registration %d: event: %w", id, err)
	}
	out.Event = event.Name
	for _, b := range r.Bookings {
		e := ExportBooking{SessionID: b.SessionID, Title: b.Session.Title, Room: b.Session.Room.Name,
			BookedAt: b.CreatedAt.UTC(), PromotedAt: utcPtr(b.PromotedAt)}
		if at := b.Session.StartsAt(); !at.IsZero() {
			e.StartsAt = utcPtr(&at)
		}
		if b.Status == BookingWaitlisted {
			e.Position = b.Position
			out.WaitingLists = append(out.WaitingLists, e)
		} else {
			out.Seats = append(out.Seats, e)
		}
	}
	var checkIns []CheckIn
	if err := db.Where("registration_id = ?", id).Order("checked_in_at").Find(&checkIns).Error; err != nil {
		return RegistrationExport{}, fmt.Errorf("export registration %d: check-ins: %w", id, err)
	}
	for _, c := range checkIns {
		out.CheckIns = append(out.CheckIns, ExportCheckIn{CheckedInAt: c.CheckedInAt.UTC(), Door: c.Door, Offline: c.Offline, UndoneAt: utcPtr(c.UndoneAt)})
	}
	var conflicts []CheckInConflict
	if err := db.Where("registration_id = ?", id).Order("scanned_at").Find(&conflicts).Error; err != nil {
		return RegistrationExport{}, fmt.Errorf("export registration %d: other scans: %w", id, err)
	}
	for _, c := range conflicts {
		out.OtherScans = append(out.OtherScans, ExportScan{ScannedAt: c.ScannedAt.UTC(), Door: c.Door})
	}
	if out.Emails, err = mailRecords(db, MailOf{RegistrationID: id}); err != nil {
		return RegistrationExport{}, fmt.Errorf("export registration %d: %w", id, err)
	}
	if out.Audit, err = personalAudit(db, SubjectRegistration, id); err != nil {
		return RegistrationExport{}, fmt.Errorf("export registration %d: %w", id, err)
	}
	if out.Preferences, err = exportPreferences(db, id); err != nil {
		return RegistrationExport{}, fmt.Errorf("export registration %d: preferences: %w", id, err)
	}
	if out.Ratings, out.SurveyAnswers, err = exportFeedback(db, id); err != nil {
		return RegistrationExport{}, fmt.Errorf("export registration %d: feedback: %w", id, err)
	}
	if out.RoomScans, err = exportRoomScans(db, id); err != nil {
		return RegistrationExport{}, fmt.Errorf("export registration %d: room scans: %w", id, err)
	}
	return out, nil
}

// exportRoomScans lists a registration's scans at rooms' doors, in and waiting, oldest first.
func exportRoomScans(db *gorm.DB, regID uint) ([]ExportRoomScan, error) {
	var out []ExportRoomScan
	for _, t := range []struct{ table, kind string }{{"room_check_ins", "in"}, {"room_waits", "waiting"}} {
		var rows []ExportRoomScan
		err := db.Table(t.table+" AS x").Select("x.session_id, sessions.title, x.scanned_at, x.door").
			Joins("JOIN sessions ON sessions.id = x.session_id").
			Where("x.registration_id = ?", regID).Scan(&rows).Error
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			r.Kind, r.ScannedAt = t.kind, r.ScannedAt.UTC()
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ScannedAt.Before(out[j].ScannedAt) })
	return out, nil
}

func personalFields(r Registration) RegistrationPersonal {
	return RegistrationPersonal{ID: r.ID, Venue: r.Venue.Name, Name: r.Name, Email: r.Email, Organisation: r.Organisation,
		OrganisationType: OrganisationType(r.Organisation), JobTitle: r.JobTitle, Dietary: r.Dietary,
		Accessibility: r.Accessibility, Lang: r.Lang, ConsentVersion: r.ConsentVersion, ConsentAt: r.ConsentAt.UTC(),
		Status: r.Status, TicketVersion: r.TicketVersion, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
		CancelledAt: utcPtr(r.CancelledAt), ReconfirmedAt: utcPtr(r.ReconfirmedAt), ErasedAt: utcPtr(r.ErasedAt)}
}

// ErasedOrganisation is the stand-in an erasure (and the retention job) gives a registration
// whose organisation is of the given type: a name of the same type (OrganisationType gives
// the type back), so that the figures per type stay true while the organisation itself,
// which can single a person out, goes.
func ErasedOrganisation(orgType string) string {
	if name, ok := erasedOrganisation[orgType]; ok {
		return name
	}
	return erasedOrganisation[OrgOther]
}

var erasedOrganisation = map[string]string{
	OrgRijk: "Rijksoverheid", OrgProvincie: "Provincie", OrgGemeente: "Gemeente", OrgWaterschap: "Waterschap",
	OrgOther: "Organisatie",
}

// Erasure is what EraseRegistration did.
type Erasure struct {
	// Attended: the person had been checked in, so the registration stays active (an
	// anonymous attendee) and keeps its seats, and the attendance figures stay true.
	Attended bool
	// SeatsReleased counts the seats given back (and offered to the waiting lists).
	SeatsReleased int
	// MailWithdrawn counts the e-mails to the person that were waiting and will not go.
	MailWithdrawn int64
	// AuditAnonymised counts the audit entries about the person whose personal values went.
	AuditAnonymised int64
	// AlreadyErased: the registration had been erased before; nothing was done.
	AlreadyErased bool
}

// EraseRegistration erases an attendee's personal data, in one transaction:
//   - a person not checked in is cancelled the way Cancel does it: their seats go to the
//     next in line at once and the venue gets its place back; a person checked in stays an
//     anonymous attendee (the attendance figures stay true). Either way the ticket version
//     rises and every personal link and the calendar feed are removed, so the ticket and
//     the links stop working;
//   - name, address, organisation (replaced by a name of the same type), job title, needs
//     and search text are replaced or cleared; so are the comments and text answers of their
//     feedback, whose ratings stay as figures (eraseFeedback);
//   - e-mails waiting for them are withdrawn, and those sent lose address and payload; the
//     rate limits' counters named after the address go;
//   - the audit entries about them are anonymised (the chain still verifies), and an entry
//     of its own records the erasure without personal details;
//   - one e-mail confirming the erasure is queued to the address, one last time; it forgets
//     the address once sent.
//
// The actor is the one in ctx, or the person themselves (ActorPerson); the request's address
// is not recorded. Erasing an erased registration does nothing and says so (AlreadyErased).
// It returns ErrNotFound when there is no such registration.
func (s *Store) EraseRegistration(ctx context.Context, id uint) (Erasure, error) {
	var out Erasure
	err := s.write(ctx, func(tx *gorm.DB) error {
		out = Erasure{} // a write may run more than once
		now := s.now().UTC()
		ctx := tx.Statement.Context
		var r Registration
		if err := tx.Preload("Bookings").First(&r, id).Error; err != nil {
			return notFound(err, "registration", id)
		}
		if r.ErasedAt != nil {
			out.AlreadyErased = true
			return nil
		}
		var checkedIn int64
		if err := tx.Model(&CheckIn{}).Where("registration_id = ? AND undone_at IS NULL", id).Count(&checkedIn).Error; err != nil {
			return err
		}
		out.Attended = checkedIn > 0
		if !out.Attended && r.Status == RegistrationActive {
			for _, b := range r.Bookings {
				if b.Status == BookingConfirmed {
					out.SeatsReleased++
				}
			}
			// The cancellation path gives back the seats and promotes the waiting lists; the
			// "cancelled" e-mail it queues goes with the withdrawal below, as the
			// confirmation of the erasure says it all.
			if err := s.cancelTx(ctx, tx, now, id, MailCancelled, false); err != nil {
				return err
			}
		}
		if err := scrubRegistration(tx, r, now); err != nil {
			return err
		}
		if err := eraseFeedback(tx, id, now); err != nil {
			return err
		}
		if err := forgetRateCounters(tx, r.Email); err != nil {
			return err
		}
		var err error
		of := MailOf{RegistrationID: id}
		if out.MailWithdrawn, err = withdrawPendingMail(tx, of); err != nil {
			return err
		}
		if _, err = blankSentMail(tx, of); err != nil {
			return err
		}
		if out.AuditAnonymised, err = anonymiseAuditAbout(tx, now, SubjectRegistration, id); err != nil {
			return err
		}
		by, ok := ActorFrom(ctx)
		if !ok {
			by = Actor{Kind: ActorPerson}
		}
		// No client address: it would be a trace of the person in the entry that says they
		// are gone.
		plain := tx.WithContext(WithClientAddress(ctx, ""))
		err = writeAudit(plain, now, by, AuditRecord{Action: ActionRegistrationErased, SubjectKind: SubjectRegistration,
			SubjectID: id, VenueID: r.VenueID, Details: map[string]any{"attended": out.Attended,
				"seats_released": out.SeatsReleased, "mail_withdrawn": out.MailWithdrawn, "audit_anonymised": out.AuditAnonymised}})
		if err != nil {
			return err
		}
		if r.Email == "" {
			return nil // a walk-in without an address: there is no one to tell
		}
		return tx.Create(&OutboxMessage{Kind: MailErased, Recipient: r.Email, Lang: r.Lang, RegistrationID: &id,
			NextAttemptAt: now, CreatedAt: now}).Error
	})
	if err != nil {
		return Erasure{}, fmt.Errorf("erase registration %d: %w", id, err)
	}
	return out, nil
}

// scrubRegistration replaces the registration's personal fields, raises its ticket version
// and removes its personal links and calendar feed, inside tx.
func scrubRegistration(tx *gorm.DB, r Registration, now time.Time) error {
	org := ErasedOrganisation(OrganisationType(r.Organisation))
	err := tx.Model(&Registration{}).Where("id = ?", r.ID).Updates(map[string]any{
		"name": ErasedName, "email": "", "active_email": nil, "organisation": org, "job_title": "",
		"dietary": "", "accessibility": "", "search_text": searchText(ErasedName, "", org), "sort_name": sortName(ErasedName),
		"ticket_version": gorm.Expr("ticket_version + 1"), "erased_at": now, "updated_at": now,
	}).Error
	if err != nil {
		return err
	}
	if err := tx.Where("registration_id = ?", r.ID).Delete(&AccessToken{}).Error; err != nil {
		return err
	}
	if err := tx.Where("registration_id = ?", r.ID).Delete(&Preference{}).Error; err != nil {
		return err
	}
	return tx.Where("registration_id = ?", r.ID).Delete(&CalendarFeed{}).Error
}
