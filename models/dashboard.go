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
		if err := countAllMail(db, &d.Total); err != nil {
			return d, fmt.Errorf("dashboard of event %d: %w", eventID, err)
		}
	}
	if err := countProposals(db, eventID, scope, ids, d.Proposals); err != nil {
		return d, fmt.Errorf("dashboard of event %d: %w", eventID, err)
	}
	return d, nil
}

// countRegistrations counts the people per venue and organisation type: first per venue and
// organisation name (the database groups 10,000 people into a few hundred names), then the
// names' types are worked out once each, in the same query.
func (s *Store) countRegistrations(db *gorm.DB, ids []uint, byID map[uint]*VenueFigures) error {
	var rows []struct {
		VenueID                                   uint
		OrgType                                   string
		Registered, Cancelled, Waiting, CheckedIn int
	}
	err := db.Raw(`SELECT venue_id, `+orgTypeSQL("organisation", s.sqlite)+` AS org_type,
		CAST(SUM(registered) AS INTEGER) AS registered, CAST(SUM(cancelled) AS INTEGER) AS cancelled,
		CAST(SUM(waiting) AS INTEGER) AS waiting, CAST(SUM(checked_in) AS INTEGER) AS checked_in
	FROM (SELECT registrations.venue_id, registrations.organisation,
		SUM(CASE WHEN registrations.status = ? THEN 1 ELSE 0 END) AS registered,
		SUM(CASE WHEN registrations.status = ? THEN 1 ELSE 0 END) AS cancelled,
		SUM(CASE WHEN registrations.status = ? AND EXISTS (SELECT 1 FROM bookings
			WHERE bookings.registration_id = registrations.id AND bookings.status = ?) THEN 1 ELSE 0 END) AS waiting,
		SUM(CASE WHEN registrations.status = ? AND EXISTS (SELECT 1 FROM check_ins
			WHERE check_ins.registration_id = registrations.id AND check_ins.undone_at IS NULL) THEN 1 ELSE 0 END) AS checked_in
		FROM registrations WHERE registrations.venue_id IN ?
		GROUP BY registrations.venue_id, registrations.organisation) AS per_name
	GROUP BY venue_id, org_type`,
		RegistrationActive, RegistrationCancelled, RegistrationActive, BookingWaitlisted, RegistrationActive, nonEmpty(ids)).
		Scan(&rows).Error
	if err != nil {
		return fmt.Errorf("count registrations: %w", err)
	}
	for _, r := range rows {
		f := byID[r.VenueID]
		f.Registered += r.Registered
		f.Cancelled += r.Cancelled
		f.WaitingPeople += r.Waiting
		f.CheckedIn += r.CheckedIn
		if r.Registered > 0 {
			f.ByOrgType[r.OrgType] += r.Registered
		}
	}
	return nil
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
	err := db.Table("outbox_messages").
		Select("registrations.venue_id, COUNT(*) AS pending, SUM(CASE WHEN outbox_messages.last_error <> '' THEN 1 ELSE 0 END) AS failed").
		Joins("JOIN registrations ON registrations.id = outbox_messages.registration_id").
		Where("outbox_messages.sent_at IS NULL AND registrations.venue_id IN ?", nonEmpty(ids)).
		Group("registrations.venue_id").Scan(&rows).Error
	if err != nil {
		return fmt.Errorf("count e-mails: %w", err)
	}
	for _, r := range rows {
		byID[r.VenueID].MailPending, byID[r.VenueID].MailFailed = r.Pending, r.Failed
	}
	return nil
}

// countAllMail sets the total's e-mail figures to everything unsent in the outbox.
func countAllMail(db *gorm.DB, total *VenueFigures) error {
	var row struct{ Pending, Failed int }
	err := db.Table("outbox_messages").
		Select("COUNT(*) AS pending, COALESCE(SUM(CASE WHEN last_error <> '' THEN 1 ELSE 0 END), 0) AS failed").
		Where("sent_at IS NULL").Scan(&row).Error
	if err != nil {
		return fmt.Errorf("count e-mails: %w", err)
	}
	total.MailPending, total.MailFailed = row.Pending, row.Failed
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
