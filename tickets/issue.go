package tickets

import (
	"slices"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
)

// Dates formats days and times in the reader's language; *locale.Translator is one.
type Dates interface {
	Date(time.Time) string
	TimeRange(a, b time.Time) string
}

// LabelsFor returns the documents' fixed texts in a language ("nl" or "en").
func LabelsFor(lang string) Labels {
	if lang == "en" {
		return EnglishLabels()
	}
	return DutchLabels()
}

// TicketFor is the signed ticket of a registration in its current version; venue is how
// tickets name the venue (models.Venue.TicketName).
func TicketFor(r models.Registration, venue string) Ticket {
	return Ticket{ID: uint32(r.ID), Venue: venue, Version: uint16(r.TicketVersion)}
}

// Issue gathers what a registration's ticket shows, in the registration's language: its
// labels, and the venue's name and route and the sessions' titles where they have an English
// version. The registration must have its bookings loaded with their sessions, rooms and
// slots, as Store.Registration and Store.Attendees do.
func Issue(signer Signer, e models.Event, v models.Venue, r models.Registration, d Dates) TicketData {
	payload := signer.Payload(TicketFor(r, v.TicketName()))
	data := TicketData{
		Event: e.Name, Date: d.Date(e.Day()), Venue: v.NameIn(r.Lang), Address: v.Address, RouteHint: v.RouteHintIn(r.Lang),
		Name: r.Name, Organisation: r.Organisation, Payload: payload, Code: ShortCode(payload),
		Labels: LabelsFor(r.Lang),
	}
	bookings := slices.Clone(r.Bookings)
	slices.SortFunc(bookings, func(a, b models.Booking) int { return a.Session.StartsAt().Compare(b.Session.StartsAt()) })
	for _, b := range bookings {
		line := ProgrammeLine{Time: d.TimeRange(b.Session.StartsAt(), b.Session.EndsAt()), Title: b.Session.TitleIn(r.Lang),
			Waitlisted: b.Status == models.BookingWaitlisted, Position: b.Position}
		if b.Session.Room != nil {
			line.Room = b.Session.Room.Name
		}
		data.Programme = append(data.Programme, line)
	}
	return data
}

// BadgesFor gathers a venue's name badges, in the organisers' language.
func BadgesFor(signer Signer, e models.Event, v models.Venue, regs []models.Registration, lang string) BadgeSheetData {
	data := BadgeSheetData{Event: e.Name, Venue: v.Name, Labels: LabelsFor(lang)}
	for _, r := range regs {
		payload := signer.Payload(TicketFor(r, v.TicketName()))
		data.Badges = append(data.Badges, Badge{Name: r.Name, Organisation: r.Organisation, Payload: payload, Code: ShortCode(payload)})
	}
	return data
}

// DoorListFor gathers a venue's paper door list, in the organisers' language. The codes come
// from a CodeBook: it knows them from the doors' lists, where signing 25,000 tickets anew
// took longer than the rest of the PDF.
func DoorListFor(codes *CodeBook, e models.Event, v models.Venue, regs []models.AttendeeName, d Dates, lang string) DoorListData {
	data := DoorListData{Event: e.Name, Date: d.Date(e.Day()), Venue: v.Name, Labels: LabelsFor(lang),
		Entries: make([]DoorListEntry, 0, len(regs))}
	for _, r := range regs {
		data.Entries = append(data.Entries, DoorListEntry{Name: r.Name, Organisation: r.Organisation, Code: codes.Code(Ticket{ID: uint32(r.ID), Venue: v.TicketName(), Version: uint16(r.TicketVersion)})})
	}
	return data
}
