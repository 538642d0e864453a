package schedule

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Open data: the whole programme, every venue, as JSON and as CSV, each carrying its
// licence. The JSON has a "licence" object. CSV has no place for metadata (a comment
// line breaks most readers), so every row has a "licence" column: the licence then
// travels with any copy of the file, also one filtered or re-saved in a spreadsheet.
// Handlers may in addition send a Link header with rel="license".

type openData struct {
	Title       string        `json:"title"`
	Licence     openLicence   `json:"licence"`
	Version     int           `json:"version"`
	PublishedAt string        `json:"published_at"`
	Event       openEvent     `json:"event"`
	Venues      []openVenue   `json:"venues"`
	Sessions    []openSession `json:"sessions"`
}

type openLicence struct {
	Name      string `json:"name"`
	URL       string `json:"url"`
	Statement string `json:"statement"`
}

type openEvent struct {
	Name     string `json:"name"`
	Date     string `json:"date"`
	TimeZone string `json:"time_zone"`
}

type openVenue struct {
	Slug    string          `json:"slug"`
	Name    string          `json:"name"`
	NameEn  string          `json:"name_en"` // "" when there is no English name
	City    string          `json:"city"`
	Address string          `json:"address"`
	Rooms   []ProgrammeRoom `json:"rooms"`
}

type openSession struct {
	ID    uint   `json:"id"`
	Title string `json:"title"`
	// TitleEn and AbstractEn are the English versions; "" when there is none.
	TitleEn    string             `json:"title_en"`
	Abstract   string             `json:"abstract"`
	AbstractEn string             `json:"abstract_en"`
	Format     string             `json:"format"`
	Track      string             `json:"track"`
	Language   string             `json:"language"`
	Start      string             `json:"start"`
	End        string             `json:"end"`
	Venue      string             `json:"venue"` // the venue's slug
	City       string             `json:"city"`
	Room       string             `json:"room"`
	Speakers   []ProgrammeSpeaker `json:"speakers"`
	URL        string             `json:"url,omitempty"`
}

func newOpenData(p Programme) openData {
	loc := p.Location()
	d := openData{
		Title:       p.EventName,
		Licence:     openLicence{Name: p.Licence.Name, URL: p.Licence.URL, Statement: p.Licence.Statement()},
		Version:     p.Version,
		PublishedAt: p.PublishedAt.In(loc).Format(time.RFC3339),
		Event:       openEvent{Name: p.EventName, Date: p.Date, TimeZone: p.TimeZone},
		Venues:      []openVenue{},
		Sessions:    []openSession{},
	}
	for _, v := range p.Venues {
		d.Venues = append(d.Venues, openVenue{Slug: v.Slug, Name: v.Name, NameEn: v.NameEn, City: v.City, Address: v.Address,
			Rooms: append([]ProgrammeRoom{}, v.Rooms...)})
		for _, s := range v.Sessions {
			r, _ := v.Room(s.RoomID)
			d.Sessions = append(d.Sessions, openSession{
				ID: s.ID, Title: s.Title, Abstract: s.Abstract, TitleEn: s.TitleEn, AbstractEn: s.AbstractEn,
				Format: s.Format, Track: s.Track, Language: p.Lang(s),
				Start: s.Start.In(loc).Format(time.RFC3339), End: s.End.In(loc).Format(time.RFC3339),
				Venue: v.Slug, City: v.City, Room: r.Name,
				Speakers: append([]ProgrammeSpeaker{}, s.Speakers...), URL: p.SessionURL(s),
			})
		}
	}
	return d
}

// WriteOpenDataJSON writes the whole programme, every venue, as JSON with its licence.
func WriteOpenDataJSON(w io.Writer, p Programme) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(newOpenData(p)); err != nil {
		return fmt.Errorf("open data json: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write open data json: %w", err)
	}
	return nil
}

// CSVHeader is the first row of WriteOpenDataCSV.
// The English columns come after the others, so files read by position keep their columns;
// only the licence moves, to stay last.
var CSVHeader = []string{"id", "title", "format", "track", "language", "date", "start", "end",
	"venue", "venue_name", "city", "address", "room", "speakers", "abstract", "url",
	"title_en", "abstract_en", "venue_name_en", "licence"}

// WriteOpenDataCSV writes the whole programme as CSV (RFC 4180: UTF-8, commas, CRLF),
// one row per session with the licence in its last column. Speakers are listed in one
// cell as "Name (Organisation); Name". A cell that a spreadsheet would read as a
// formula gets a leading apostrophe.
func WriteOpenDataCSV(w io.Writer, p Programme) error {
	d := newOpenData(p)
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true
	_ = cw.Write(CSVHeader)
	venues := map[string]openVenue{}
	for _, v := range d.Venues {
		venues[v.Slug] = v
	}
	loc := p.Location()
	for _, s := range d.Sessions {
		v := venues[s.Venue]
		start, _ := time.Parse(time.RFC3339, s.Start)
		end, _ := time.Parse(time.RFC3339, s.End)
		speakers := make([]string, len(s.Speakers))
		for i, sp := range s.Speakers {
			speakers[i] = sp.Name
			if sp.Organisation != "" {
				speakers[i] += " (" + sp.Organisation + ")"
			}
		}
		row := []string{strconv.FormatUint(uint64(s.ID), 10), s.Title, s.Format, s.Track, s.Language,
			start.In(loc).Format(time.DateOnly), start.In(loc).Format("15:04"), end.In(loc).Format("15:04"),
			v.Slug, v.Name, v.City, v.Address, s.Room, strings.Join(speakers, "; "), s.Abstract, s.URL,
			s.TitleEn, s.AbstractEn, v.NameEn, d.Licence.Statement}
		for i := range row {
			row[i] = csvSafe(row[i])
		}
		_ = cw.Write(row)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("open data csv: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write open data csv: %w", err)
	}
	return nil
}

// csvSafe defuses formula injection (OWASP "CSV Injection"): a cell that starts with
// = + - @, a tab or a carriage return gets a leading apostrophe, which spreadsheets
// show as text and do not evaluate.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
