package schedule

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/ambtenaar20/dagplanner/models"
)

// Programme is a snapshot of a published programme: everything the exports (frab
// XML and JSON, iCal, PDF, open data, the public pages) need, and nothing personal
// beyond the speakers' names and organisations. It has JSON tags so a published
// version can be stored as it is.
type Programme struct {
	EventID   uint   `json:"event_id"`
	EventName string `json:"event_name"`
	// EventSlug is a short lowercase name of the event ("dag-van-de-ambtenaar-2-0"),
	// used as the frab acronym.
	EventSlug string `json:"event_slug"`
	Date      string `json:"date"`      // "2027-01-14"
	TimeZone  string `json:"time_zone"` // "Europe/Amsterdam"
	// Language is the language of sessions that do not name their own ("nl").
	Language    string    `json:"language"`
	Version     int       `json:"version"`
	PublishedAt time.Time `json:"published_at"`
	// BaseURL is the site's absolute address without a trailing slash
	// ("https://dagplanner.example.nl"); when set, exports link to session pages.
	BaseURL string           `json:"base_url,omitempty"`
	Licence Licence          `json:"licence"`
	Venues  []ProgrammeVenue `json:"venues"`
}

// Licence is the licence under which the programme is published as open data.
type Licence struct {
	Name string `json:"name"` // "CC0 1.0"
	URL  string `json:"url"`  // "https://creativecommons.org/publicdomain/zero/1.0/"
}

// Statement is the licence as one sentence, for files that have no field for it.
func (l Licence) Statement() string {
	if l.Name == "" {
		return ""
	}
	if l.URL == "" {
		return "Licence: " + l.Name
	}
	return "Licence: " + l.Name + " (" + l.URL + ")"
}

// DefaultLicence is the licence of the open data unless an organiser chooses
// another: CC0, as the Dutch government's open-data guidelines recommend.
var DefaultLicence = Licence{Name: "CC0 1.0", URL: "https://creativecommons.org/publicdomain/zero/1.0/"}

// ProgrammeVenue is one venue of the programme with its rooms, slots and placed sessions.
type ProgrammeVenue struct {
	Slug     string             `json:"slug"`
	Name     string             `json:"name"`
	City     string             `json:"city"`
	Address  string             `json:"address"`
	Rooms    []ProgrammeRoom    `json:"rooms"`
	Slots    []ProgrammeSlot    `json:"slots"`    // by start time
	Sessions []ProgrammeSession `json:"sessions"` // by start time, then room order
	// NameEn is the English name, if any.
	NameEn string `json:"name_en,omitempty"`
}

// ProgrammeRoom is a room at a venue.
type ProgrammeRoom struct {
	ID       uint   `json:"id"`
	Name     string `json:"name"`
	Capacity int    `json:"capacity"`
}

// ProgrammeSlot is a time slot at a venue.
type ProgrammeSlot struct {
	ID    uint      `json:"id"`
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// ProgrammeSession is a placed session. Start and End span all its slots.
type ProgrammeSession struct {
	ID       uint               `json:"id"`
	Title    string             `json:"title"`
	Abstract string             `json:"abstract"`
	Format   string             `json:"format"`
	Track    string             `json:"track"`
	Language string             `json:"language,omitempty"` // empty: the programme's language
	Speakers []ProgrammeSpeaker `json:"speakers"`
	RoomID   uint               `json:"room_id"`
	SlotIDs  []uint             `json:"slot_ids"`
	Start    time.Time          `json:"start"`
	End      time.Time          `json:"end"`
	// TitleEn and AbstractEn are the English versions, empty when there is none.
	TitleEn    string `json:"title_en,omitempty"`
	AbstractEn string `json:"abstract_en,omitempty"`
	// TitleLang and AbstractLang say which language Title and Abstract are in once the
	// programme is shown in a language (see In); empty before.
	TitleLang    string `json:"-"`
	AbstractLang string `json:"-"`
}

// ProgrammeSpeaker is a person who gives a session.
type ProgrammeSpeaker struct {
	ID           uint   `json:"id"`
	Name         string `json:"name"`
	Organisation string `json:"organisation"`
}

// Publication is what FromModels cannot read from the event itself.
type Publication struct {
	Version     int
	PublishedAt time.Time
	BaseURL     string
	Licence     Licence // zero: DefaultLicence
}

// FromModels builds the programme of event e from its venues (with rooms and slots
// loaded) and its sessions (with slots and speakers loaded). Sessions that are not
// placed, or placed in a room or slot the venues do not list, are left out.
func FromModels(e models.Event, venues []models.Venue, sessions []models.Session, pub Publication) Programme {
	loc := e.Location()
	p := Programme{
		EventID: e.ID, EventName: e.Name, EventSlug: Slugify(e.Name, 4, e.Date[:min(4, len(e.Date))]),
		Date: e.Date, TimeZone: loc.String(), Language: "nl",
		Version: pub.Version, PublishedAt: pub.PublishedAt.UTC(), BaseURL: strings.TrimRight(pub.BaseURL, "/"),
		Licence: cmp.Or(pub.Licence, DefaultLicence),
	}
	for _, v := range venues {
		pv := ProgrammeVenue{Slug: v.Slug, Name: v.Name, NameEn: v.NameEn, City: v.City, Address: v.Address}
		rooms := map[uint]bool{}
		for _, r := range v.Rooms {
			pv.Rooms = append(pv.Rooms, ProgrammeRoom{ID: r.ID, Name: r.Name, Capacity: r.Capacity})
			rooms[r.ID] = true
		}
		slots := map[uint]ProgrammeSlot{}
		for _, sl := range v.Slots {
			s := ProgrammeSlot{ID: sl.ID, Start: sl.StartsAt.In(loc), End: sl.EndsAt.In(loc)}
			pv.Slots = append(pv.Slots, s)
			slots[s.ID] = s
		}
		slices.SortStableFunc(pv.Slots, func(a, b ProgrammeSlot) int { return a.Start.Compare(b.Start) })
		for _, s := range sessions {
			if s.VenueID == nil || *s.VenueID != v.ID || s.RoomID == nil || !rooms[*s.RoomID] || len(s.Slots) == 0 {
				continue
			}
			if ps, ok := sessionFromModel(s, slots); ok {
				pv.Sessions = append(pv.Sessions, ps)
			}
		}
		pv.sortSessions()
		p.Venues = append(p.Venues, pv)
	}
	return p
}

func sessionFromModel(s models.Session, slots map[uint]ProgrammeSlot) (ProgrammeSession, bool) {
	ps := ProgrammeSession{ID: s.ID, Title: s.Title, Abstract: s.Abstract, TitleEn: s.TitleEn, AbstractEn: s.AbstractEn,
		Format: s.Format, Track: s.Track, RoomID: *s.RoomID}
	var placed []ProgrammeSlot
	for _, ss := range s.Slots {
		sl, ok := slots[ss.SlotID]
		if !ok {
			return ProgrammeSession{}, false
		}
		placed = append(placed, sl)
	}
	slices.SortFunc(placed, func(a, b ProgrammeSlot) int { return a.Start.Compare(b.Start) })
	for _, sl := range placed {
		ps.SlotIDs = append(ps.SlotIDs, sl.ID)
	}
	ps.Start, ps.End = placed[0].Start, placed[len(placed)-1].End
	for _, sp := range s.Speakers {
		ps.Speakers = append(ps.Speakers, ProgrammeSpeaker{ID: sp.ID, Name: sp.Name, Organisation: sp.Organisation})
	}
	return ps, true
}

// sortSessions orders the sessions by start time, then in the order of the rooms.
func (v *ProgrammeVenue) sortSessions() {
	order := map[uint]int{}
	for i, r := range v.Rooms {
		order[r.ID] = i
	}
	slices.SortStableFunc(v.Sessions, func(a, b ProgrammeSession) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(order[a.RoomID], order[b.RoomID]), cmp.Compare(a.ID, b.ID))
	})
}

// Location is the programme's time zone; an unknown name falls back to UTC.
func (p Programme) Location() *time.Location {
	loc, err := time.LoadLocation(p.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Venue returns the venue with the given slug.
func (p Programme) Venue(slug string) (ProgrammeVenue, bool) {
	for _, v := range p.Venues {
		if v.Slug == slug {
			return v, true
		}
	}
	return ProgrammeVenue{}, false
}

// venue is Venue with an error for the writers.
func (p Programme) venue(slug string) (ProgrammeVenue, error) {
	v, ok := p.Venue(slug)
	if !ok {
		return ProgrammeVenue{}, fmt.Errorf("venue %q: %w", slug, models.ErrNotFound)
	}
	return v, nil
}

// Room returns the room with the given id.
func (v ProgrammeVenue) Room(id uint) (ProgrammeRoom, bool) {
	for _, r := range v.Rooms {
		if r.ID == id {
			return r, true
		}
	}
	return ProgrammeRoom{}, false
}

// RoomLabel names a room so the city is clear, for lists that mix venues or leave
// the venue out: "Zaal 2.14 (Zwolle)".
func (v ProgrammeVenue) RoomLabel(id uint) string {
	r, _ := v.Room(id)
	return fmt.Sprintf("%s (%s)", r.Name, v.City)
}

// SpeakerNames lists the speakers as "Name (Organisation)", joined by ", ".
func (s ProgrammeSession) SpeakerNames() string {
	names := make([]string, len(s.Speakers))
	for i, sp := range s.Speakers {
		names[i] = sp.Name
		if sp.Organisation != "" {
			names[i] += " (" + sp.Organisation + ")"
		}
	}
	return strings.Join(names, ", ")
}

// Lang is the session's language, or the programme's when it names none.
func (p Programme) Lang(s ProgrammeSession) string { return cmp.Or(s.Language, p.Language, "nl") }

// SessionURL is the address of the session's public page, or "" without a BaseURL.
func (p Programme) SessionURL(s ProgrammeSession) string {
	if p.BaseURL == "" {
		return ""
	}
	return fmt.Sprintf("%s/sessies/%d", p.BaseURL, s.ID)
}

// Slugify makes a lowercase ASCII name of s: letters and digits, with single
// hyphens between words ("Dag van de Ambtenaar 2.0" → "dag-van-de-ambtenaar-2-0").
// Accents are dropped ("Café" → "cafe"). A result shorter than minLen gets suffix
// appended ("-" first); when that is still short it is padded with "x".
func Slugify(s string, minLen int, suffix string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
		case unicode.Is(unicode.Mn, r):
			// a combining accent: drop it, keep the letter
		default:
			hyphen = true
		}
	}
	out := b.String()
	if len(out) < minLen && suffix != "" {
		out = strings.Trim(out+"-"+Slugify(suffix, 0, ""), "-")
	}
	for len(out) < minLen {
		out += "x"
	}
	return out
}

// FromVersion builds the programme as published in version v: its sessions and places come
// from the version, the venues, rooms and slots from the event as it is.
func FromVersion(e models.Event, venues []models.Venue, v models.ScheduleVersion, baseURL string) Programme {
	sessions := make([]models.Session, 0, len(v.Sessions))
	for _, ps := range v.Sessions {
		venueID, roomID := ps.VenueID, ps.RoomID
		s := models.Session{ID: ps.SessionID, Title: ps.Title, Abstract: ps.Abstract, TitleEn: ps.TitleEn, AbstractEn: ps.AbstractEn,
			Format: ps.Format, Track: ps.Track, VenueID: &venueID, RoomID: &roomID}
		for _, id := range ps.SlotIDs {
			s.Slots = append(s.Slots, models.SessionSlot{SessionID: ps.SessionID, SlotID: id, RoomID: roomID})
		}
		for _, sp := range ps.Speakers {
			s.Speakers = append(s.Speakers, models.Speaker{ID: sp.ID, Name: sp.Name, Organisation: sp.Organisation})
		}
		sessions = append(sessions, s)
	}
	return FromModels(e, venues, sessions, Publication{Version: v.Number, PublishedAt: v.PublishedAt, BaseURL: baseURL})
}

// In returns the programme as shown in lang: every session's title and abstract, and every
// venue's name, in English where lang is English and there is an English version, in Dutch
// otherwise (models.InLang), with TitleLang and AbstractLang saying which. The English
// fields stay, so exports that carry both can still write both.
func (p Programme) In(lang string) Programme {
	p.Venues = slices.Clone(p.Venues)
	for i := range p.Venues {
		v := &p.Venues[i]
		v.Name = models.InLang(lang, v.Name, v.NameEn)
		v.Sessions = slices.Clone(v.Sessions)
		for j := range v.Sessions {
			s := &v.Sessions[j]
			s.TitleLang, s.AbstractLang = models.LangShown(lang, s.TitleEn), models.LangShown(lang, s.AbstractEn)
			s.Title, s.Abstract = models.InLang(lang, s.Title, s.TitleEn), models.InLang(lang, s.Abstract, s.AbstractEn)
		}
	}
	return p
}
