package models

import (
	"context"
	"encoding/json"
	"fmt"
)

// What the organisers' report (/beheer/toewijzing) and the public summary on the programme
// page read of preference signup (issue #19): each venue's allocation once it ran, and before
// it the demand as it stands.

// DecodedReport reads the allocation's report; an empty one reads as an empty report.
func (a Allocation) DecodedReport() (AllocationReport, error) {
	var r AllocationReport
	if a.Report == "" {
		return r, nil
	}
	if err := json.Unmarshal([]byte(a.Report), &r); err != nil {
		return r, fmt.Errorf("allocation report of venue %d: %w", a.VenueID, err)
	}
	return r, nil
}

// PreferenceDemand is a venue's demand before the allocation: how many people ranked
// sessions there, and per session how many ranked it first and at all, beside its seats.
type PreferenceDemand struct {
	People   int
	Sessions []AllocationSessionReport // Seated and Waitlisted stay 0
}

// PreferenceDemand counts the rankings of the venue's active registrations, per session
// placed at the venue (in programme order; sessions nobody ranked included).
func (s *Store) PreferenceDemand(ctx context.Context, venueID uint) (PreferenceDemand, error) {
	var d PreferenceDemand
	sessions, err := s.SessionsOfVenue(ctx, venueID)
	if err != nil {
		return d, err
	}
	active := s.db.WithContext(ctx).Table("registrations").Select("id").
		Where("venue_id = ? AND status <> ?", venueID, StatusCancelled)
	var rows []struct {
		SessionID   uint
		FirstChoice int
		Demand      int
	}
	err = s.db.WithContext(ctx).Table("preferences").
		Select("session_id, SUM(CASE WHEN rank = 1 THEN 1 ELSE 0 END) AS first_choice, COUNT(*) AS demand").
		Where("registration_id IN (?)", active).Group("session_id").Scan(&rows).Error
	if err != nil {
		return d, fmt.Errorf("preference demand of venue %d: %w", venueID, err)
	}
	byID := make(map[uint]int, len(rows))
	for i, r := range rows {
		byID[r.SessionID] = i
	}
	for _, se := range sessions {
		if !se.Placed() {
			continue
		}
		sr := AllocationSessionReport{SessionID: se.ID, Title: se.Title, Seats: se.Capacity()}
		if i, ok := byID[se.ID]; ok {
			sr.FirstChoice, sr.Demand = rows[i].FirstChoice, rows[i].Demand
		}
		d.Sessions = append(d.Sessions, sr)
	}
	var people int64
	err = s.db.WithContext(ctx).Table("preferences").Distinct("registration_id").
		Where("registration_id IN (?)", active).Count(&people).Error
	if err != nil {
		return d, fmt.Errorf("people ranking at venue %d: %w", venueID, err)
	}
	d.People = int(people)
	return d, nil
}
