package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"sort"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// CheckIn records that an attendee came in at a door. A registration has at most one check-in
// that is not undone (a partial unique index guards that, also across processes on
// PostgreSQL); an undone check-in stays, with who undid it and when, as the log of the mistake.
type CheckIn struct {
	ID             uint
	VenueID        uint `gorm:"not null;index"`
	RegistrationID uint `gorm:"not null;index"`
	// CheckedInAt is when the ticket was scanned: the device's clock for a scan made offline
	// and sent later, the server's otherwise.
	CheckedInAt   time.Time `gorm:"not null;index"`
	ReceivedAt    time.Time `gorm:"not null"`
	Door          string    `gorm:"size:254;not null"`
	DeviceTokenID *uint
	UserID        *uint
	// ScanID is the device's own name for the scan, so a scan sent twice (an answer lost on
	// a bad network) is recorded once.
	ScanID   *string `gorm:"size:64;uniqueIndex"`
	Offline  bool    `gorm:"not null;default:false"`
	UndoneAt *time.Time
	UndoneBy string `gorm:"size:254;not null;default:''"`
}

// CheckInConflict is a scan that lost: the same ticket was scanned at another door too while
// one of them was offline. The earlier scan is the check-in; the later one is kept here for
// the organisers to look at (a shared or copied ticket, or a person who went out and in).
type CheckInConflict struct {
	ID             uint
	VenueID        uint      `gorm:"not null;index"`
	RegistrationID uint      `gorm:"not null;index"`
	CheckInID      uint      `gorm:"not null"`
	Door           string    `gorm:"size:254;not null"`
	ScannedAt      time.Time `gorm:"not null"`
	ScanID         *string   `gorm:"size:64;uniqueIndex"`
	CreatedAt      time.Time
}

// The outcomes of a scan, as the door API names them.
const (
	CheckInAdmitted   = "admitted"
	CheckInAlreadyIn  = "already_checked_in"
	CheckInWrongVenue = "wrong_venue"
	CheckInCancelled  = "cancelled"
	CheckInSuperseded = "superseded"
	CheckInInvalid    = "invalid"
)

// CheckInInput is one scan at a door of a venue.
type CheckInInput struct {
	VenueID        uint
	RegistrationID uint
	// TicketVersion is the version the scanned ticket carries; 0 when the person was found
	// by name and no ticket was shown.
	TicketVersion int
	Door          string
	DeviceTokenID *uint
	UserID        *uint
	ScanID        string
	// ScannedAt is set for a scan made offline and sent later: when it happened.
	ScannedAt *time.Time
}

// CheckInOutcome is what the door is told.
type CheckInOutcome struct {
	Result string
	// Registration holds the attendee's id, venue, status, name and organisation; it is empty
	// when the result is invalid.
	Registration Registration
	// CheckIn is the check-in that counts: this scan's when admitted, the earlier one when
	// the person was already in.
	CheckIn CheckIn
	// Conflict is set when an offline scan met a check-in at another door.
	Conflict bool
	// Session is the attendee's first session, when the common case already read it.
	Session *FirstSession
}

// MaxScanIDLength bounds a device's scan id. The stored id is prefixed with the door's own
// (see scanKey), within the column's 64 characters.
const MaxScanIDLength = 48

// ErrScanIDReused reports a scan id that the same door already used for another attendee.
var ErrScanIDReused = errors.New("scan id already used for another ticket")

// scanKey is the scan id as stored: a device numbers its own scans, so two doors may well both
// send "17". Prefixed with the door, a scan id is unique per door.
func scanKey(in CheckInInput) string {
	if in.ScanID == "" {
		return ""
	}
	switch {
	case in.DeviceTokenID != nil:
		return fmt.Sprintf("d%d:%s", *in.DeviceTokenID, in.ScanID)
	case in.UserID != nil:
		return fmt.Sprintf("u%d:%s", *in.UserID, in.ScanID)
	default:
		return "-:" + in.ScanID
	}
}

// CheckIn records a scan. Two doors scanning the same ticket at once get one admitted and one
// already_checked_in; a scan sent again with the same ScanID gets its first answer again.
//
// The common case, a valid ticket scanned for the first time, is one read and one conditional
// insert; anything else (a second scan, an offline scan that meets another, a cancelled or
// superseded ticket) takes the careful path, which looks at everything inside the transaction.
// An unknown or cancelled ticket is an outcome, not an error; it returns ErrScanIDReused when the
// door already used the scan id for another ticket.
func (s *Store) CheckIn(ctx context.Context, in CheckInInput) (CheckInOutcome, error) {
	var r Registration
	var title, room sql.NullString
	var startsAt sql.NullTime
	// One index lookup: not worth the driver's goroutine per statement that a cancellable
	// context costs (see runInSavepoint).
	err := s.stmts.scanTarget.QueryRowContext(context.WithoutCancel(ctx), in.RegistrationID).
		Scan(&r.VenueID, &r.Status, &r.TicketVersion, &r.Name, &r.Organisation, &title, &room, &startsAt)
	if errors.Is(err, sql.ErrNoRows) {
		return CheckInOutcome{Result: CheckInInvalid}, nil
	}
	if err != nil {
		return CheckInOutcome{}, fmt.Errorf("check in registration %d: %w", in.RegistrationID, err)
	}
	r.ID = in.RegistrationID
	var first *FirstSession
	if title.Valid && startsAt.Valid {
		first = &FirstSession{Title: title.String, Room: room.String, StartsAt: startsAt.Time}
	}
	if r.VenueID == in.VenueID && r.Status == RegistrationActive && (in.TicketVersion == 0 || in.TicketVersion >= r.TicketVersion) {
		scan := s.newCheckIn(in)
		version := in.TicketVersion
		if version == 0 {
			version = math.MaxInt32 // found by name: any version
		}
		var id uint
		err := s.write(ctx, func(tx *gorm.DB) error {
			// The job's own context: it cannot be cancelled halfway through a shared batch.
			ctx := tx.Statement.Context
			id = 0
			err := inTx(ctx, tx, s.stmts.insertCheckIn).QueryRowContext(ctx, scan.VenueID, scan.RegistrationID,
				scan.CheckedInAt, scan.ReceivedAt, scan.Door, scan.DeviceTokenID, scan.UserID, scan.ScanID, scan.Offline,
				r.ID, in.VenueID, version).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				return nil
			}
			if err == nil {
				tallyOf(tx).checkIns++
			}
			return err
		})
		if err != nil {
			return CheckInOutcome{}, fmt.Errorf("check in registration %d: %w", in.RegistrationID, err)
		}
		if id != 0 {
			scan.ID = id
			return CheckInOutcome{Result: CheckInAdmitted, Registration: r, CheckIn: scan, Session: first}, nil
		}
		// Nothing inserted. For a scan made online without a scan id that is a second scan of
		// someone who is in: say so without queueing behind the writes. (A scan with an id may
		// be a repeat, which must get its first answer: the careful path knows.)
		if in.ScannedAt == nil && in.ScanID == "" {
			var firstIn CheckIn
			err := s.db.WithContext(ctx).Where("registration_id = ? AND undone_at IS NULL", r.ID).Take(&firstIn).Error
			if err == nil {
				return CheckInOutcome{Result: CheckInAlreadyIn, Registration: r, CheckIn: firstIn, Session: first}, nil
			}
			if !errors.Is(err, gorm.ErrRecordNotFound) {
				return CheckInOutcome{}, fmt.Errorf("check in registration %d: %w", in.RegistrationID, err)
			}
		}
	}

	var out CheckInOutcome
	write := func() error {
		return s.write(ctx, func(tx *gorm.DB) error {
			out = CheckInOutcome{}
			return s.checkIn(tx, in, &out)
		})
	}
	err = write()
	if isUniqueViolation(err) {
		// Another process checked the same person in between our read and our insert
		// (PostgreSQL); the second try sees that check-in.
		err = write()
	}
	if err != nil {
		return CheckInOutcome{}, fmt.Errorf("check in registration %d: %w", in.RegistrationID, err)
	}
	return out, nil
}

// newCheckIn is the check-in a scan makes if it is admitted.
func (s *Store) newCheckIn(in CheckInInput) CheckIn {
	now := s.now().UTC()
	c := CheckIn{VenueID: in.VenueID, RegistrationID: in.RegistrationID, CheckedInAt: now, ReceivedAt: now, Door: in.Door,
		DeviceTokenID: in.DeviceTokenID, UserID: in.UserID}
	if key := scanKey(in); key != "" {
		c.ScanID = &key
	}
	if in.ScannedAt != nil {
		c.CheckedInAt = in.ScannedAt.UTC()
		c.Offline = true
	}
	return c
}

func (s *Store) checkIn(tx *gorm.DB, in CheckInInput, out *CheckInOutcome) error {
	now := s.now().UTC()
	if key := scanKey(in); key != "" {
		if done, err := s.repeatedScan(tx, key, in.RegistrationID, out); done || err != nil {
			return err
		}
	}
	var r Registration
	err := tx.Select("id", "venue_id", "status", "ticket_version", "name", "organisation").
		Where("id = ?", in.RegistrationID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		out.Result = CheckInInvalid
		return nil
	}
	if err != nil {
		return err
	}
	out.Registration = r
	switch {
	case r.VenueID != in.VenueID:
		out.Result = CheckInWrongVenue
		return nil
	case r.Status != RegistrationActive:
		out.Result = CheckInCancelled
		return nil
	case in.TicketVersion > 0 && in.TicketVersion < r.TicketVersion:
		out.Result = CheckInSuperseded
		return nil
	}

	scan := s.newCheckIn(in)

	var first CheckIn
	q := tx.Where("registration_id = ? AND undone_at IS NULL", r.ID)
	if !s.sqlite {
		// Two offline scans of one ticket arriving together must compare against the check-in
		// as it is, not as it was (SQLite has one writer and needs no lock).
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	err = q.Take(&first).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		if err := tx.Create(&scan).Error; err != nil {
			return err
		}
		tallyOf(tx).checkIns++
		out.Result, out.CheckIn = CheckInAdmitted, scan
		return nil
	}
	if err != nil {
		return err
	}
	if !scan.Offline {
		out.Result, out.CheckIn = CheckInAlreadyIn, first
		return nil
	}
	// An offline scan met a check-in made elsewhere: the earlier of the two counts, the other
	// is kept as a conflict.
	out.Conflict = true
	if !scan.CheckedInAt.Before(first.CheckedInAt) {
		conflict := CheckInConflict{VenueID: in.VenueID, RegistrationID: r.ID, CheckInID: first.ID,
			Door: scan.Door, ScannedAt: scan.CheckedInAt, ScanID: scan.ScanID, CreatedAt: now}
		if err := tx.Create(&conflict).Error; err != nil {
			return err
		}
		out.Result, out.CheckIn = CheckInAlreadyIn, first
		return nil
	}
	// This scan was first: it takes over the check-in, and the later one becomes the conflict.
	// The scan id moves with it, so a repeat of either scan still gets its own answer.
	if err := tx.Model(&CheckIn{}).Where("id = ?", first.ID).Update("scan_id", nil).Error; err != nil {
		return err
	}
	conflict := CheckInConflict{VenueID: in.VenueID, RegistrationID: r.ID, CheckInID: first.ID,
		Door: first.Door, ScannedAt: first.CheckedInAt, ScanID: first.ScanID, CreatedAt: now}
	if err := tx.Create(&conflict).Error; err != nil {
		return err
	}
	err = tx.Model(&CheckIn{}).Where("id = ?", first.ID).Updates(map[string]any{
		"checked_in_at": scan.CheckedInAt, "received_at": now, "door": scan.Door, "device_token_id": scan.DeviceTokenID,
		"user_id": scan.UserID, "scan_id": scan.ScanID, "offline": true,
	}).Error
	if err != nil {
		return err
	}
	scan.ID = first.ID
	out.Result, out.CheckIn = CheckInAdmitted, scan
	return nil
}

// repeatedScan answers a scan id seen before with its first answer, even when that check-in
// was undone since: a repeat changes nothing. done is false for a new scan id.
func (s *Store) repeatedScan(tx *gorm.DB, key string, regID uint, out *CheckInOutcome) (done bool, err error) {
	var c CheckIn
	err = tx.Where("scan_id = ?", key).Take(&c).Error
	if err == nil {
		if c.RegistrationID != regID {
			return false, ErrScanIDReused
		}
		var conflicts int64
		if err := tx.Model(&CheckInConflict{}).Where("check_in_id = ?", c.ID).Count(&conflicts).Error; err != nil {
			return false, err
		}
		out.Result, out.CheckIn, out.Conflict = CheckInAdmitted, c, conflicts > 0
		return true, s.loadScanned(tx, c.RegistrationID, out)
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return false, err
	}
	var lost CheckInConflict
	err = tx.Where("scan_id = ?", key).Take(&lost).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if lost.RegistrationID != regID {
		return false, ErrScanIDReused
	}
	if err := tx.Take(&out.CheckIn, lost.CheckInID).Error; err != nil {
		return false, err
	}
	out.Result, out.Conflict = CheckInAlreadyIn, true
	return true, s.loadScanned(tx, lost.RegistrationID, out)
}

func (s *Store) loadScanned(tx *gorm.DB, regID uint, out *CheckInOutcome) error {
	return tx.Select("id", "venue_id", "status", "ticket_version", "name", "organisation").
		Where("id = ?", regID).Take(&out.Registration).Error
}

// UndoCheckIn takes back a check-in made by mistake at a venue; by says who did it. Undoing
// twice is harmless. A check-in of another venue is ErrNotFound.
func (s *Store) UndoCheckIn(ctx context.Context, id, venueID uint, by string) (CheckIn, error) {
	var c CheckIn
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("id = ? AND venue_id = ?", id, venueID).Take(&c).Error; err != nil {
			return err
		}
		if c.UndoneAt != nil {
			return nil
		}
		now := s.now().UTC()
		c.UndoneAt, c.UndoneBy = &now, by
		// The scan id stays: the same scan sent again (a lost answer) must not check the person
		// in again. Scanning the ticket anew is a new scan id, and a new check-in.
		return tx.Model(&CheckIn{}).Where("id = ?", id).
			Updates(map[string]any{"undone_at": now, "undone_by": by}).Error
	})
	if err != nil {
		return CheckIn{}, notFound(err, "check-in", id)
	}
	return c, nil
}

// FirstSession is the first session of an attendee's day, for the welcome at the door.
type FirstSession struct {
	Title    string
	Room     string
	StartsAt time.Time
}

// firstSessionsQuery lists every confirmed session with its start and room, earliest first.
const firstSessionsQuery = `SELECT b.registration_id, s.title, COALESCE(r.name, ''), sl.starts_at
	FROM bookings b
	JOIN sessions s ON s.id = b.session_id
	JOIN session_slots ss ON ss.session_id = s.id
	JOIN slots sl ON sl.id = ss.slot_id
	LEFT JOIN rooms r ON r.id = ss.room_id
	WHERE b.status = ? AND `

// FirstSessionOf returns the attendee's first confirmed session; ok is false when they have none.
func (s *Store) FirstSessionOf(ctx context.Context, regID uint) (FirstSession, bool, error) {
	var id uint
	var f FirstSession
	err := s.stmts.firstSession.QueryRowContext(ctx, BookingConfirmed, regID).Scan(&id, &f.Title, &f.Room, &f.StartsAt)
	if errors.Is(err, sql.ErrNoRows) {
		return FirstSession{}, false, nil
	}
	if err != nil {
		return FirstSession{}, false, fmt.Errorf("first session of registration %d: %w", regID, err)
	}
	return f, true, nil
}

func (s *Store) firstSessions(ctx context.Context, where string, arg any) (map[uint]*FirstSession, error) {
	rows, err := s.db.WithContext(ctx).Raw(firstSessionsQuery+where, BookingConfirmed, arg).Rows()
	if err != nil {
		return nil, fmt.Errorf("first sessions: %w", err)
	}
	defer rows.Close()
	out := map[uint]*FirstSession{}
	for rows.Next() {
		var id uint
		f := new(FirstSession)
		if err := rows.Scan(&id, &f.Title, &f.Room, &f.StartsAt); err != nil {
			return nil, fmt.Errorf("first sessions: %w", err)
		}
		if cur, ok := out[id]; !ok || f.StartsAt.Before(cur.StartsAt) {
			out[id] = f
		}
	}
	return out, rows.Err()
}

// DoorEntry is one attendee in a door's copy of the check-in list: only what the door needs.
type DoorEntry struct {
	RegistrationID uint
	TicketVersion  int
	Status         string
	Name           string
	Organisation   string
	Session        *FirstSession
	CheckIn        *CheckIn
}

// DoorList returns everyone registered at a venue, cancelled registrations included (so an
// offline door can say "cancelled"), with their first session and their check-in, by last
// name as SortByLastName orders them (the door's name search lists them in this order).
func (s *Store) DoorList(ctx context.Context, venueID uint) ([]DoorEntry, error) {
	all := func() *gorm.DB { return s.db.WithContext(ctx).Model(&Registration{}).Where("venue_id = ?", venueID) }
	out, err := readAll(all(), all().Select("id", "status", "ticket_version", "name", "organisation").Order("id"),
		func(rows *sql.Rows, e *DoorEntry) error {
			return rows.Scan(&e.RegistrationID, &e.Status, &e.TicketVersion, &e.Name, &e.Organisation)
		})
	if err != nil {
		return nil, fmt.Errorf("door list of venue %d: %w", venueID, err)
	}
	sessions, err := s.firstSessions(ctx, "s.venue_id = ?", venueID)
	if err != nil {
		return nil, err
	}
	var checkIns []CheckIn
	err = s.db.WithContext(ctx).Where("venue_id = ? AND undone_at IS NULL", venueID).Find(&checkIns).Error
	if err != nil {
		return nil, fmt.Errorf("check-ins of venue %d: %w", venueID, err)
	}
	joinDoorEntries(out, sessions, checkIns)
	SortByLastName(len(out), func(i int) string { return out[i].Name }, func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out, nil
}

// joinDoorEntries gives the entries their first sessions and their check-ins.
func joinDoorEntries(entries []DoorEntry, sessions map[uint]*FirstSession, checkIns []CheckIn) {
	byReg := make(map[uint]*CheckIn, len(checkIns))
	for i := range checkIns {
		byReg[checkIns[i].RegistrationID] = &checkIns[i]
	}
	for i := range entries {
		entries[i].CheckIn = byReg[entries[i].RegistrationID]
		entries[i].Session = sessions[entries[i].RegistrationID]
	}
}

// VenueTickets lists the id and ticket version of every registration at a venue, for the
// table from typed ticket codes to tickets.
func (s *Store) VenueTickets(ctx context.Context, venueID uint) (map[uint]int, error) {
	// Two columns straight into the map: whole Registrations (576 bytes each) cost tens of
	// megabytes at a venue of 25,000 (see readAll).
	rows, err := s.db.WithContext(ctx).Model(&Registration{}).Select("id", "ticket_version").Where("venue_id = ?", venueID).Rows()
	if err != nil {
		return nil, fmt.Errorf("tickets of venue %d: %w", venueID, err)
	}
	defer rows.Close()
	out := map[uint]int{}
	for rows.Next() {
		var id uint
		var version int
		if err := rows.Scan(&id, &version); err != nil {
			return nil, fmt.Errorf("tickets of venue %d: %w", venueID, err)
		}
		out[id] = version
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("tickets of venue %d: %w", venueID, err)
	}
	return out, nil
}

// DoorCount is how many people came in through one door.
type DoorCount struct {
	Door  string
	Count int
}

// ConflictEntry is a conflicting scan with the attendee's name, for the organisers.
type ConflictEntry struct {
	CheckInConflict
	Name      string
	FirstDoor string
	FirstAt   time.Time
}

// Arrivals is the live picture of a venue's doors.
type Arrivals struct {
	Registered int
	CheckedIn  int
	Doors      []DoorCount
	// Times holds every check-in time, earliest first, for the arrivals chart.
	Times     []time.Time
	Conflicts []ConflictEntry
	// NoShows lists the active registrations without a check-in, by name.
	NoShows []Registration
}

// VenueArrivals gathers the arrival figures of a venue; with noShows it also lists who has
// not come.
func (s *Store) VenueArrivals(ctx context.Context, venueID uint, noShows bool) (Arrivals, error) {
	var a Arrivals
	db := s.db.WithContext(ctx)
	// The venue's counter, kept by every registration and cancellation in the same
	// transaction, rather than counting 25,000 rows on every refresh of the page.
	var registered int64
	if err := db.Model(&Venue{}).Select("registered").Where("id = ?", venueID).Scan(&registered).Error; err != nil {
		return a, fmt.Errorf("arrivals at venue %d: %w", venueID, err)
	}
	a.Registered = int(registered)
	var ins []CheckIn
	if err := db.Select("door", "checked_in_at").Where("venue_id = ? AND undone_at IS NULL", venueID).
		Order("checked_in_at").Find(&ins).Error; err != nil {
		return a, fmt.Errorf("arrivals at venue %d: %w", venueID, err)
	}
	a.CheckedIn = len(ins)
	perDoor := map[string]int{}
	for _, c := range ins {
		perDoor[c.Door]++
		a.Times = append(a.Times, c.CheckedInAt)
	}
	for door, n := range perDoor {
		a.Doors = append(a.Doors, DoorCount{Door: door, Count: n})
	}
	sort.Slice(a.Doors, func(i, j int) bool { return a.Doors[i].Door < a.Doors[j].Door })

	err := db.Table("check_in_conflicts AS x").
		Select("x.*, r.name AS name, c.door AS first_door, c.checked_in_at AS first_at").
		Joins("JOIN registrations r ON r.id = x.registration_id").
		Joins("JOIN check_ins c ON c.id = x.check_in_id").
		Where("x.venue_id = ?", venueID).Order("x.id").Scan(&a.Conflicts).Error
	if err != nil {
		return a, fmt.Errorf("conflicts at venue %d: %w", venueID, err)
	}
	if noShows {
		err := db.Select("id", "name", "organisation", "email").
			Where("venue_id = ? AND status = ?", venueID, RegistrationActive).
			Where("NOT EXISTS (SELECT 1 FROM check_ins c WHERE c.registration_id = registrations.id AND c.undone_at IS NULL)").
			Order("name").Find(&a.NoShows).Error
		if err != nil {
			return a, fmt.Errorf("no-shows at venue %d: %w", venueID, err)
		}
	}
	return a, nil
}
