package modelstest

import (
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
)

// The setters below put the database in a state that the application's own paths do not
// reach, or reach only through parts a test does not want to drive (the review, the
// speakers' own page). They change the rows directly, as only tests may.

// OutboxMessages returns every row of the outbox, sent or not, in the order they were queued.
func OutboxMessages(t testing.TB, s *models.Store) []models.OutboxMessage {
	t.Helper()
	var msgs []models.OutboxMessage
	if err := s.DB().Order("id").Find(&msgs).Error; err != nil {
		t.Fatal(err)
	}
	return msgs
}

// SetReconfirmDeadline sets the date by which an event's attendees are asked to confirm.
func SetReconfirmDeadline(t testing.TB, s *models.Store, eventID uint, deadline time.Time) {
	t.Helper()
	if err := s.DB().Model(&models.Event{}).Where("id = ?", eventID).Update("reconfirm_deadline", deadline).Error; err != nil {
		t.Fatal(err)
	}
}

// SetSpeakerEmail gives every speaker named name an e-mail address.
func SetSpeakerEmail(t testing.TB, s *models.Store, name, email string) {
	t.Helper()
	if err := s.DB().Model(&models.Speaker{}).Where("name = ?", name).Update("email", email).Error; err != nil {
		t.Fatal(err)
	}
}

// SetSpeakerLang sets the language every speaker named name reads their e-mail in.
func SetSpeakerLang(t testing.TB, s *models.Store, name, lang string) {
	t.Helper()
	if err := s.DB().Model(&models.Speaker{}).Where("name = ?", name).Update("lang", lang).Error; err != nil {
		t.Fatal(err)
	}
}

// TakeSessionOffProgramme takes a session out of its slots and its room, which nothing in
// the application does to a session with bookings.
func TakeSessionOffProgramme(t testing.TB, s *models.Store, sessionID uint) {
	t.Helper()
	if err := s.DB().Where("session_id = ?", sessionID).Delete(&models.SessionSlot{}).Error; err != nil {
		t.Fatal(err)
	}
	if err := s.DB().Model(&models.Session{}).Where("id = ?", sessionID).Update("room_id", nil).Error; err != nil {
		t.Fatal(err)
	}
}

// SetProposalStatus sets a proposal's status, standing in for the organisers' review.
func SetProposalStatus(t testing.TB, s *models.Store, id uint, status string) {
	t.Helper()
	if err := s.DB().Model(&models.Proposal{}).Where("id = ?", id).Update("status", status).Error; err != nil {
		t.Fatal(err)
	}
}

// DeleteRegistration deletes a registration's row, leaving what refers to it (its e-mails)
// behind, as no path of the application does.
func DeleteRegistration(t testing.TB, s *models.Store, id uint) {
	t.Helper()
	if err := s.DB().Delete(&models.Registration{}, id).Error; err != nil {
		t.Fatal(err)
	}
}

// SetRegistrationName sets a registration's name as it is, without the checks of
// registering (which refuse, for example, line breaks).
func SetRegistrationName(t testing.TB, s *models.Store, id uint, name string) {
	t.Helper()
	if err := s.DB().Model(&models.Registration{}).Where("id = ?", id).Update("name", name).Error; err != nil {
		t.Fatal(err)
	}
}
