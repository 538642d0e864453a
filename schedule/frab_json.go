package schedule

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// The JSON follows the schema of the voc/schedule repository (validator/json/schema.json)
// and what pretalx and frab write: conference.days is the list of days and
// conference.daysCount their number; every day maps room names to their events.

type jsonRoot struct {
	Schema    string        `json:"$schema"`
	Generator jsonGenerator `json:"generator"`
	Schedule  jsonSchedule  `json:"schedule"`
}

type jsonGenerator struct {
	Name string `json:"name"`
}

type jsonSchedule struct {
	URL        string         `json:"url,omitempty"`
	Version    string         `json:"version"`
	BaseURL    string         `json:"base_url,omitempty"`
	Conference jsonConference `json:"conference"`
}

type jsonConference struct {
	Acronym          string      `json:"acronym"`
	Title            string      `json:"title"`
	Start            string      `json:"start"`
	End              string      `json:"end"`
	DaysCount        int         `json:"daysCount"`
	TimeslotDuration string      `json:"timeslot_duration"`
	TimeZoneName     string      `json:"time_zone_name"`
	URL              string      `json:"url,omitempty"`
	Tracks           []jsonTrack `json:"tracks"`
	Rooms            []jsonRoom  `json:"rooms"`
	Days             []jsonDay   `json:"days"`
}

type jsonTrack struct {
	Name string `json:"name"`
}

type jsonRoom struct {
	Name     string `json:"name"`
	GUID     string `json:"guid"`
	Capacity int    `json:"capacity"`
}

type jsonDay struct {
	Index    int                    `json:"index"`
	Date     string                 `json:"date"`
	DayStart string                 `json:"day_start"`
	DayEnd   string                 `json:"day_end"`
	Rooms    map[string][]jsonEvent `json:"rooms"`
}

type jsonEvent struct {
	ID               uint         `json:"id"`
	GUID             string       `json:"guid"`
	Date             string       `json:"date"`
	Start            string       `json:"start"`
	Duration         string       `json:"duration"`
	Room             string       `json:"room"`
	Slug             string       `json:"slug"`
	URL              string       `json:"url"`
	Title            string       `json:"title"`
	Subtitle         string       `json:"subtitle"`
	Track            *string      `json:"track"`
	Type             string       `json:"type"`
	Language         string       `json:"language"`
	Abstract         string       `json:"abstract"`
	Description      string       `json:"description"`
	RecordingLicense string       `json:"recording_license"`
	Persons          []jsonPerson `json:"persons"`
	Links            []any        `json:"links"`
	Attachments      []any        `json:"attachments"`
}

// jsonPerson has name and public_name (frab's older field, which some apps still read)
// but no numeric id: the schema takes a person as either frab's (id and public_name) or
// pretalx's (name), not both.
type jsonPerson struct {
	GUID         string `json:"guid"`
	Name         string `json:"name"`
	PublicName   string `json:"public_name"`
	Organisation string `json:"organisation,omitempty"`
}

// WriteFrabJSON writes the programme of one venue as a frab schedule.json, the JSON
// twin of WriteFrabXML. An unknown venue is models.ErrNotFound.
func WriteFrabJSON(w io.Writer, p Programme, venueSlug string) error {
	f, err := newFrab(p, venueSlug)
	if err != nil {
		return err
	}
	c := jsonConference{
		Acronym: f.Acronym, Title: f.Title, Start: f.Date, End: f.Date, DaysCount: 1,
		TimeslotDuration: f.TimeslotDuration, TimeZoneName: f.TimeZone, URL: f.BaseURL,
		Tracks: []jsonTrack{}, Rooms: []jsonRoom{},
	}
	for _, t := range f.Tracks {
		c.Tracks = append(c.Tracks, jsonTrack{Name: t})
	}
	day := jsonDay{Index: 1, Date: f.Date, DayStart: f.DayStart.Format(time.RFC3339), DayEnd: f.DayEnd.Format(time.RFC3339),
		Rooms: map[string][]jsonEvent{}}
	for _, r := range f.Rooms {
		c.Rooms = append(c.Rooms, jsonRoom{Name: r.Name, GUID: r.GUID, Capacity: r.Capacity})
		events := []jsonEvent{}
		for _, e := range r.Events {
			je := jsonEvent{
				ID: e.ID, GUID: e.GUID, Date: e.Date.Format(time.RFC3339), Start: e.Start, Duration: e.Duration,
				Room: e.Room, Slug: e.Slug, URL: cmp.Or(e.URL, fmt.Sprintf("/sessies/%d", e.ID)), Title: e.Title, Track: optional(e.Track), Type: e.Type,
				Language: e.Language, Abstract: e.Abstract, Description: e.Description,
				Persons: []jsonPerson{}, Links: []any{}, Attachments: []any{},
			}
			for _, sp := range e.Persons {
				je.Persons = append(je.Persons, jsonPerson{GUID: sp.GUID, Name: sp.Name, PublicName: sp.Name, Organisation: sp.Organisation})
			}
			events = append(events, je)
		}
		day.Rooms[r.Name] = events
	}
	c.Days = []jsonDay{day}
	root := jsonRoot{
		Schema:    "https://c3voc.de/schedule/schema.json",
		Generator: jsonGenerator{Name: "dagplanner"},
		Schedule:  jsonSchedule{URL: jsonURL(f.URL), Version: f.Version, BaseURL: f.BaseURL, Conference: c},
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(root); err != nil {
		return fmt.Errorf("frab json of %s: %w", venueSlug, err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write frab json of %s: %w", venueSlug, err)
	}
	return nil
}

// jsonURL turns the schedule.xml address into the schedule.json one.
func jsonURL(xmlURL string) string {
	if xmlURL == "" {
		return ""
	}
	return xmlURL[:len(xmlURL)-len(".xml")] + ".json"
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
