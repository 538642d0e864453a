package schedule

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The frab schedule (schedule.xml and schedule.json) is what conference apps such as
// Giggity and EventFahrplan read; https://c3voc.de/wiki/schedule describes it, and
// schedule/testdata/schedule.xml.xsd is its schema. Each venue is exported as a
// conference of its own, since an attendee is at one venue all day: the title and
// acronym name the city, and so does every room ("Zaal 2.14 (Zwolle)"), because apps
// show rooms of several schedules side by side.

// frabSchedule is one venue's schedule, from which the XML and the JSON are written.
type frabSchedule struct {
	URL, Version            string
	Acronym, Title          string
	Date, TimeZone, BaseURL string
	TimeslotDuration        string
	Tracks                  []string
	DayStart, DayEnd        time.Time
	Rooms                   []frabRoom
}

type frabRoom struct {
	Name, GUID string
	Capacity   int
	Events     []frabEvent
}

type frabEvent struct {
	ID                           uint
	GUID, Room, Title, Type      string
	Date                         time.Time
	Start, Duration              string
	Abstract, Description, Track string
	Language, Slug, URL          string
	Persons                      []frabPerson
}

type frabPerson struct {
	ID                       uint
	GUID, Name, Organisation string
}

func newFrab(p Programme, venueSlug string) (frabSchedule, error) {
	v, err := p.venue(venueSlug)
	if err != nil {
		return frabSchedule{}, err
	}
	loc := p.Location()
	f := frabSchedule{
		Version: strconv.Itoa(p.Version),
		// Underscores, not hyphens: the JSON schema allows a hyphen only before a year.
		Acronym: strings.ReplaceAll(p.EventSlug+"_"+v.Slug, "-", "_"),
		Title:   p.EventName + " – " + v.City,
		Date:    p.Date, TimeZone: p.TimeZone,
		TimeslotDuration: clock(timeslot(v)),
	}
	if p.BaseURL != "" {
		f.BaseURL = p.BaseURL + "/"
		f.URL = p.BaseURL + "/api/v1/venues/" + v.Slug + "/schedule.xml"
	}
	f.DayStart, f.DayEnd = dayBounds(p, v)
	rooms := map[uint]int{}
	for _, r := range v.Rooms {
		rooms[r.ID] = len(f.Rooms)
		f.Rooms = append(f.Rooms, frabRoom{
			Name: v.RoomLabel(r.ID), Capacity: r.Capacity,
			GUID: uuid5(fmt.Sprintf("dagplanner:event/%d/room/%d", p.EventID, r.ID)),
		})
	}
	for _, s := range v.Sessions {
		i, ok := rooms[s.RoomID]
		if !ok {
			continue
		}
		if s.Track != "" && !slices.Contains(f.Tracks, s.Track) {
			f.Tracks = append(f.Tracks, s.Track)
		}
		e := frabEvent{
			ID: s.ID, GUID: sessionGUID(p, s), Room: f.Rooms[i].Name, Title: s.Title, Type: s.Format,
			Date: s.Start.In(loc), Start: s.Start.In(loc).Format("15:04"), Duration: clock(s.End.Sub(s.Start)),
			Abstract: s.Abstract, Track: s.Track, Language: p.Lang(s), URL: p.SessionURL(s),
			Slug: fmt.Sprintf("%s-%d-%s", f.Acronym, s.ID, Slugify(s.Title, 1, "")),
		}
		e.Description = strings.TrimSpace(s.Abstract + "\n\n" + s.SpeakerNames())
		for _, sp := range s.Speakers {
			e.Persons = append(e.Persons, frabPerson{
				ID: sp.ID, Name: sp.Name, Organisation: sp.Organisation,
				GUID: uuid5(fmt.Sprintf("dagplanner:event/%d/speaker/%d", p.EventID, sp.ID)),
			})
		}
		f.Rooms[i].Events = append(f.Rooms[i].Events, e)
	}
	slices.Sort(f.Tracks)
	return f, nil
}

// sessionGUID is the session's frab guid: the same for the same session in every
// version of the programme and in every export.
func sessionGUID(p Programme, s ProgrammeSession) string {
	return uuid5(fmt.Sprintf("dagplanner:event/%d/session/%d", p.EventID, s.ID))
}

// dayBounds is the span of the venue's slots, or the whole day when it has none.
func dayBounds(p Programme, v ProgrammeVenue) (start, end time.Time) {
	loc := p.Location()
	if len(v.Slots) == 0 {
		day, err := time.ParseInLocation(time.DateOnly, p.Date, loc)
		if err != nil {
			day = p.PublishedAt.In(loc).Truncate(24 * time.Hour)
		}
		return day, day.Add(24*time.Hour - time.Minute)
	}
	start, end = v.Slots[0].Start, v.Slots[0].End
	for _, sl := range v.Slots {
		if sl.Start.Before(start) {
			start = sl.Start
		}
		if sl.End.After(end) {
			end = sl.End
		}
	}
	return start.In(loc), end.In(loc)
}

// timeslot is the grid step of the venue's timetable: the largest number of whole
// minutes that divides every slot's start time and length, at least five minutes.
func timeslot(v ProgrammeVenue) time.Duration {
	g := 0
	for _, sl := range v.Slots {
		g = gcd(g, sl.Start.Hour()*60+sl.Start.Minute())
		g = gcd(g, int(sl.End.Sub(sl.Start).Minutes()))
	}
	if g < 5 {
		g = 5
	}
	return time.Duration(g) * time.Minute
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// clock writes a duration as "HH:MM".
func clock(d time.Duration) string {
	m := int(d.Round(time.Minute).Minutes())
	return fmt.Sprintf("%02d:%02d", m/60, m%60)
}

// uuid5 returns the name-based (SHA-1) UUID of name in the URL namespace
// (RFC 9562 section 5.5), so the same name always gives the same UUID.
func uuid5(name string) string {
	ns := [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	s := hex.EncodeToString(u[:])
	return s[0:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]
}
