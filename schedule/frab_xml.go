package schedule

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"time"
)

type xmlSchedule struct {
	XMLName    xml.Name      `xml:"schedule"`
	Generator  xmlGenerator  `xml:"generator"`
	URL        string        `xml:"url,omitempty"`
	Version    string        `xml:"version"`
	Conference xmlConference `xml:"conference"`
	Days       []xmlDay      `xml:"day"`
}

type xmlGenerator struct {
	Name string `xml:"name,attr"`
}

type xmlConference struct {
	Acronym          string     `xml:"acronym"`
	Title            string     `xml:"title"`
	Start            string     `xml:"start"`
	End              string     `xml:"end"`
	Days             int        `xml:"days"`
	TimeslotDuration string     `xml:"timeslot_duration"`
	BaseURL          string     `xml:"base_url,omitempty"`
	TimeZoneName     string     `xml:"time_zone_name"`
	Tracks           []xmlTrack `xml:"track"`
}

type xmlTrack struct {
	Name string `xml:"name,attr"`
}

type xmlDay struct {
	Index int       `xml:"index,attr"`
	Date  string    `xml:"date,attr"`
	Start string    `xml:"start,attr"`
	End   string    `xml:"end,attr"`
	Rooms []xmlRoom `xml:"room"`
}

type xmlRoom struct {
	Name   string     `xml:"name,attr"`
	GUID   string     `xml:"guid,attr"`
	Events []xmlEvent `xml:"event"`
}

type xmlEvent struct {
	GUID        string     `xml:"guid,attr"`
	ID          uint       `xml:"id,attr"`
	Room        string     `xml:"room"`
	Title       string     `xml:"title"`
	Subtitle    string     `xml:"subtitle"`
	Type        string     `xml:"type"`
	Date        string     `xml:"date"`
	Start       string     `xml:"start"`
	Duration    string     `xml:"duration"`
	Abstract    string     `xml:"abstract"`
	Track       string     `xml:"track"`
	Persons     xmlPersons `xml:"persons"`
	Language    string     `xml:"language"`
	Description string     `xml:"description"`
	URL         string     `xml:"url,omitempty"`
}

type xmlPersons struct {
	Persons []xmlPerson `xml:"person"`
}

type xmlPerson struct {
	ID   uint   `xml:"id,attr"`
	GUID string `xml:"guid,attr"`
	Name string `xml:",chardata"`
}

// WriteFrabXML writes the programme of one venue as a frab schedule.xml, valid
// against the schema the conference apps read. An unknown venue is models.ErrNotFound.
func WriteFrabXML(w io.Writer, p Programme, venueSlug string) error {
	f, err := newFrab(p, venueSlug)
	if err != nil {
		return err
	}
	doc := xmlSchedule{
		Generator: xmlGenerator{Name: "dagplanner"},
		URL:       f.URL,
		Version:   f.Version,
		Conference: xmlConference{
			Acronym: f.Acronym, Title: f.Title, Start: f.Date, End: f.Date, Days: 1,
			TimeslotDuration: f.TimeslotDuration, BaseURL: f.BaseURL, TimeZoneName: f.TimeZone,
		},
		Days: []xmlDay{{Index: 1, Date: f.Date, Start: f.DayStart.Format(time.RFC3339), End: f.DayEnd.Format(time.RFC3339)}},
	}
	for _, t := range f.Tracks {
		doc.Conference.Tracks = append(doc.Conference.Tracks, xmlTrack{Name: t})
	}
	for _, r := range f.Rooms {
		xr := xmlRoom{Name: r.Name, GUID: r.GUID}
		for _, e := range r.Events {
			xe := xmlEvent{
				GUID: e.GUID, ID: e.ID, Room: e.Room, Title: e.Title, Type: e.Type,
				Date: e.Date.Format(time.RFC3339), Start: e.Start, Duration: e.Duration,
				Abstract: e.Abstract, Track: e.Track, Language: e.Language, Description: e.Description, URL: e.URL,
			}
			for _, sp := range e.Persons {
				xe.Persons.Persons = append(xe.Persons.Persons, xmlPerson{ID: sp.ID, GUID: sp.GUID, Name: sp.Name})
			}
			xr.Events = append(xr.Events, xe)
		}
		doc.Days[0].Rooms = append(doc.Days[0].Rooms, xr)
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("frab xml of %s: %w", venueSlug, err)
	}
	buf.WriteByte('\n')
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write frab xml of %s: %w", venueSlug, err)
	}
	return nil
}
