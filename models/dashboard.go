package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// The organisers' dashboard: figures at a glance per venue and in all, counted in the
// database with a few grouped queries (never person by person in Go). The numbers count
// people the way the people list filters them (Audience), so that a figure and the list it
// links to agree: "registered" is status confirmed, "waiting" is status waitlisted, and so on.

// VenueFigures are one venue's figures, or all venues' together.
type VenueFigures struct {
	VenueID uint // 0 for all venues together
	// Capacity is how many people the venue takes for the day.
	Capacity int
	// Registered counts active registrations; Cancelled the cancelled ones.
	Registered, Cancelled int
	// WaitingPeople counts active registrations with a place in at least one waiting list;
	// WaitingPlaces counts the places (one person may wait for two sessions).
	WaitingPeople, WaitingPlaces int
	// CheckedIn counts active registrations checked in at the door (and not undone).
	CheckedIn int
	// MailPending counts e-mails to the venue's people not yet sent; MailFailed those of them
	// whose last attempt failed (they are tried again).
	MailPending, MailFailed int
	// ByOrgType counts active registrations by organisation type (OrganisationTypes).
	ByOrgType map[string]int
}

// NoShows is how many registered people have not come in.
func (f VenueFigures) NoShows() int { return max(f.Registered-f.CheckedIn, 0) }

// add adds g's counts to f's.
func (f *VenueFigures) add(g VenueFigures) {
	f.Capacity += g.Capacity
	f.Registered += g.Registered
	f.Cancelled += g.Cancelled
	f.WaitingPeople += g.WaitingPeople
	f.WaitingPlaces += g.WaitingPlaces
	f.CheckedIn += g.CheckedIn
	f.MailPending += g.MailPending
	f.MailFailed += g.MailFailed
	for k, n := range g.ByOrgType {
		f.ByOrgType[k] += n
	}
}

// Dashboard holds the figures of the venues asked for, in their order, and their total.
type Dashboard struct {
	Venues []VenueFigures
	Total  VenueFigures
	// Proposals counts the call for proposals' proposals by status: all of them, or for a
	// venue-scoped dashboard those open to its venue (no venue wished, or that one).
	Proposals map[string]int
	// MailSent counts every e-mail the outbox has sent; only counted with allMail.
	MailSent int
	// MailToAttendees and MailToSpeakers split the total's unsent e-mails by whom they go
	// to: registrations, and speakers and co-speakers (the call's e-mails); the rest go to
	// organisers and voters, who have no list. Only counted with allMail.
	MailToAttendees, MailToSpeakers int
}

// DashboardFigures counts the figures of the event's venues: all of them when scope is nil,
// else those in scope. With allMail the total's e-mail figures count every e-mail waiting in
// the outbox (speakers' and voters' too), not only those to the venues' people.
func (s *Store) DashboardFigures(ctx context.Context, eventID uint, scope []uint, allMail bool) (Dashboard, error) {
	d := Dashboard{Total: VenueFigures{ByOrgType: map[string]int{}}, Proposals: map[string]int{}}
	db := s.db.WithContext(ctx)
	var venues []Venue
	q := db.Select("id", "capacity").Where("event_id = ?", eventID).Order("id")
	if scope != nil {
		q = q.Where("id IN ?", nonEmpty(scope))
	}
	if err := q.Find(&venues).Error; err != nil {
		return d, fmt.Errorf("dashboard venues of event %d: %w", eventID, err)
	}
	ids := make([]uint, len(venues))
	byID := map[uint]*VenueFigures{}
	d.Venues = make([]VenueFigures, len(venues))
	for i, v := range venues {
		ids[i] = v.ID
		d.Venues[i] = VenueFigures{VenueID: v.ID, Capacity: v.Capacity, ByOrgType: map[string]int{}}
		byID[v.ID] = &d.Venues[i]
	}
	for _, count := range []func(*gorm.DB, []uint, map[uint]*VenueFigures) error{s.countRegistrations, countWaitingPlaces, countVenueMail} {
		if err := count(db, ids, byID); err != nil {
			return d, fmt.Errorf("dashboard of event %d: %w", eventID, err)
		}
	}
	for _, f := range d.Venues {
		d.Total.add(f)
	}
	if allMail {
		if err := countAllMail(db, &d); err != nil {
			return d, fmt.Errorf("dashboard of event %d: %w", eventID, err)
		}
	}
	if err := countProposals(db, eventID, scope, ids, d.Proposals); err != nil {
		return d, fmt.Errorf("dashboard of event %d: %w", eventID, err)
	}
	return d, nil
}

// countRegistrations counts the people per venue: by status and organisation type (the
// database groups 10,000 people into a few hundred organisation names first, and works out
// each name's type once), then those waiting and those checked in. Waiting and checked in
// start from the waiting bookings and the check-ins, not from every person.
func (s *Store) countRegistrations(db *gorm.DB, ids []uint, byID map[uint]*VenueFigures) error {
	var perType []struct {
		VenueID         uint
		Status, OrgType string
		N               int
	}
	err := db.Raw(`SELECT venue_id, status, `+orgTypeSQL("organisation", s.sqlite)+` AS org_type, CAST(SUM(n) AS INTEGER) AS n
	FROM (SELECT venue_id, status, organisation, COUNT(*) AS n FROM registrations WHERE `+s.scanAll("venue_id")+` IN ?
		GROUP BY venue_id, status, organisation) AS per_name
	GROUP BY venue_id, status, org_type`, nonEmpty(ids)).Scan(&perType).Error
	if err != nil {
		return fmt.Errorf("count registrations: %w", err)
	}
	for _, r := range perType {
		f := byID[r.VenueID]
		switch r.Status {
		case RegistrationActive:
			f.Registered += r.N
			f.ByOrgType[r.OrgType] += r.N
		case RegistrationCancelled:
			f.Cancelled += r.N
		}
	}
	var perVenue []struct {
		VenueID uint
		N       int
	}
	// A person waits when they are active and have a waiting booking (as Audience's
	// "waitlisted"). From the sessions with a waiting list, through the bookings' index on
	// (session, status), to the people: CROSS JOIN keeps SQLite to that order, which would
	// otherwise start from every person; PostgreSQL plans it as an inner join.
	err = db.Table("sessions").
		Select("registrations.venue_id, COUNT(DISTINCT bookings.registration_id) AS n").
		Joins("CROSS JOIN bookings").Joins("CROSS JOIN registrations").
		Where("sessions.waiting > 0 AND bookings.session_id = sessions.id AND bookings.status = ?", BookingWaitlisted).
		Where("registrations.id = bookings.registration_id AND registrations.status = ? AND registrations.venue_id IN ?", RegistrationActive, nonEmpty(ids)).
		Group("registrations.venue_id").Scan(&perVenue).Error
	if err != nil {
		return fmt.Errorf("count people waiting: %w", err)
	}
	for _, r := range perVenue {
		byID[r.VenueID].WaitingPeople = r.N
	}
	perVenue = nil
	// At most one check-in per person is not undone (a partial unique index), so counting
	// check-ins counts people. From the check-ins to their people, as above.
	err = db.Table("check_ins").
		Select("registrations.venue_id, COUNT(*) AS n").
		Joins("CROSS JOIN registrations").
		Where("registrations.id = check_ins.registration_id AND check_ins.undone_at IS NULL").
		Where("registrations.status = ? AND registrations.venue_id IN ?", RegistrationActive, nonEmpty(ids)).
		Group("registrations.venue_id").Scan(&perVenue).Error
	if err != nil {
		return fmt.Errorf("count people checked in: %w", err)
	}
	for _, r := range perVenue {
		byID[r.VenueID].CheckedIn = r.N
	}
	return nil
}

// scanAll writes column so that SQLite reads the whole table rather than going through the
// column's index: counting most of a table's rows, one pass is quicker than an index lookup
// per row. (A unary plus is SQLite's way to say so; PostgreSQL chooses by itself.)
func (s *Store) scanAll(column string) string {
	if s.sqlite {
		return "+" + column
	}
	return column
}

// countWaitingPlaces adds up the sessions' waiting lists per venue: sessions.waiting is kept
// by the database's triggers, so no booking is counted here.
func countWaitingPlaces(db *gorm.DB, ids []uint, byID map[uint]*VenueFigures) error {
	var rows []struct {
		VenueID uint
		Places  int
	}
	err := db.Model(&Session{}).Select("venue_id, CAST(SUM(waiting) AS INTEGER) AS places").
		Where("venue_id IN ?", nonEmpty(ids)).Group("venue_id").Scan(&rows).Error
	if err != nil {
		return fmt.Errorf("count waiting places: %w", err)
	}
	for _, r := range rows {
		byID[r.VenueID].WaitingPlaces = r.Places
	}
	return nil
}

// countVenueMail counts the unsent e-mails to each venue's people, and those that failed.
func countVenueMail(db *gorm.DB, ids []uint, byID map[uint]*VenueFigures) error {
	var rows []struct {
		VenueID         uint
		Pending, Failed int
	}
	// From the unsent messages (few) to their people, not the other way round: CROSS JOIN
	// keeps SQLite to that order; PostgreSQL plans it as an inner join.
	err := db.Table("outbox_messages").
		Select("registrations.venue_id, COUNT(*) AS pending, SUM(CASE WHEN outbox_messages.last_error <> '' THEN 1 ELSE 0 END) AS failed").
		Joins("CROSS JOIN registrations").
		Where("registrations.id = outbox_messages.registration_id AND outbox_messages.sent_at IS NULL AND registrations.venue_id IN ?", nonEmpty(ids)).
		Group("registrations.venue_id").Scan(&rows).Error
	if err != nil {
		return fmt.Errorf("count e-mails: %w", err)
	}
	for _, r := range rows {
		byID[r.VenueID].MailPending, byID[r.VenueID].MailFailed = r.Pending, r.Failed
	}
	return nil
}

// countAllMail sets the total's e-mail figures to everything unsent in the outbox, and
// counts what it sent, in one pass.
func countAllMail(db *gorm.DB, d *Dashboard) error {
	var row struct{ Pending, Failed, Sent, ToAttendees, ToSpeakers int }
	err := db.Table("outbox_messages").
		Select(`COALESCE(SUM(CASE WHEN sent_at IS NULL THEN 1 ELSE 0 END), 0) AS pending,
			COALESCE(SUM(CASE WHEN sent_at IS NULL AND last_error <> '' THEN 1 ELSE 0 END), 0) AS failed,
			COALESCE(SUM(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS sent,
			COALESCE(SUM(CASE WHEN sent_at IS NULL AND registration_id IS NOT NULL THEN 1 ELSE 0 END), 0) AS to_attendees,
			COALESCE(SUM(CASE WHEN sent_at IS NULL AND proposal_id IS NOT NULL THEN 1 ELSE 0 END), 0) AS to_speakers`).Scan(&row).Error
	if err != nil {
		return fmt.Errorf("count e-mails: %w", err)
	}
	d.Total.MailPending, d.Total.MailFailed, d.MailSent = row.Pending, row.Failed, row.Sent
	d.MailToAttendees, d.MailToSpeakers = row.ToAttendees, row.ToSpeakers
	return nil
}

// countProposals counts the event's proposals by status; for a scope, those that wish for
// no venue in particular or for one in scope (as the proposals list's venue filter).
func countProposals(db *gorm.DB, eventID uint, scope, ids []uint, out map[string]int) error {
	var rows []struct {
		Status string
		N      int
	}
	q := db.Model(&Proposal{}).Select("status, COUNT(*) AS n").Where("event_id = ?", eventID)
	if scope != nil {
		q = q.Where(`NOT EXISTS (SELECT 1 FROM proposal_venues WHERE proposal_venues.proposal_id = proposals.id)
			OR EXISTS (SELECT 1 FROM proposal_venues WHERE proposal_venues.proposal_id = proposals.id AND proposal_venues.venue_id IN ?)`, nonEmpty(ids))
	}
	if err := q.Group("status").Scan(&rows).Error; err != nil {
		return fmt.Errorf("count proposals: %w", err)
	}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return nil
}

// OrgTypeCounts returns f's counts in the order of OrganisationTypes.
func (f VenueFigures) OrgTypeCounts() []int {
	out := make([]int, len(OrganisationTypes))
	for i, k := range OrganisationTypes {
		out[i] = f.ByOrgType[k]
	}
	return out
}
