package tickets_test

import (
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/tickets"
)

// plainDates writes dates and times without a language, which is all Issue needs of them here.
type plainDates struct{}

func (plainDates) Date(t time.Time) string { return t.Format(time.DateOnly) }
func (plainDates) TimeRange(a, b time.Time) string {
	return a.Format("15:04") + "–" + b.Format("15:04")
}

// TestIssueInRegistrationLanguage: an English-speaking attendee's ticket names the venue, its
// route and the sessions in English where there is English, in Dutch where not.
func TestIssueInRegistrationLanguage(t *testing.T) {
	t.Parallel()
	_, priv := testKey(1)
	v := models.Venue{ID: 1, Slug: "zwolle", TicketKey: "zwolle", Name: "Provinciehuis", NameEn: "Provincial House",
		Address: "Luttenbergstraat 2", RouteHint: "Vijf minuten lopen.", RouteHintEn: "A five-minute walk."}
	start := time.Date(2027, 2, 3, 9, 0, 0, 0, time.UTC)
	slot := func(id uint) []models.SessionSlot {
		return []models.SessionSlot{{SlotID: id, Slot: models.Slot{ID: id, StartsAt: start.Add(time.Duration(id) * time.Hour), EndsAt: start.Add(time.Duration(id)*time.Hour + 50*time.Minute)}}}
	}
	r := models.Registration{ID: 7, Name: "Ada Lovelace", Venue: v, Bookings: []models.Booking{
		{SessionID: 1, Status: models.BookingConfirmed, Session: models.Session{ID: 1, Title: "Open data", TitleEn: "Open data, in English", Slots: slot(1)}},
		{SessionID: 2, Status: models.BookingConfirmed, Session: models.Session{ID: 2, Title: "Alleen Nederlands", Slots: slot(2)}},
	}}
	for _, tc := range []struct{ lang, venue, route, first, second string }{
		{"en", "Provincial House", "A five-minute walk.", "Open data, in English", "Alleen Nederlands"},
		{"nl", "Provinciehuis", "Vijf minuten lopen.", "Open data", "Alleen Nederlands"},
	} {
		r.Lang = tc.lang
		d := tickets.Issue(tickets.NewSigner(priv), models.Event{Name: "Dag", Date: "2027-02-03"}, v, r, plainDates{})
		if d.Venue != tc.venue || d.RouteHint != tc.route || len(d.Programme) != 2 ||
			d.Programme[0].Title != tc.first || d.Programme[1].Title != tc.second {
			t.Errorf("ticket in %s: venue %q, route %q, programme %+v; want %q, %q, %q then %q",
				tc.lang, d.Venue, d.RouteHint, d.Programme, tc.venue, tc.route, tc.first, tc.second)
		}
	}
}
