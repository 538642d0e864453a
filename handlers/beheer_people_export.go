package handlers

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"github.com/ambtenaar20/dagplanner/models"
)

// The kinds of export (the "soort" parameter).
const (
	exportRegistrations = "inschrijvingen" // one row per person
	exportSessions      = "sessies"        // one row per booking: attendance and waiting lists
	exportCheckIns      = "binnenkomst"    // one row per person checked in
	exportNeeds         = "behoeften"      // one row per person with needs
)

var exportKinds = []string{exportRegistrations, exportSessions, exportCheckIns, exportNeeds}

// exportBatch is how many people's bookings one query reads while an export streams.
const exportBatch = 500

// exportColumns are each kind's columns: a message key (people.col.*) and a width in
// characters for the spreadsheet. Dietary and accessibility needs are in the needs export
// only (issue #17 point 5): a list of people goes to more hands than the caterer's.
var exportColumns = map[string][]exportColumn{
	exportRegistrations: {{"id", 8}, {"name", 28}, {"email", 32}, {"organisation", 28}, {"job_title", 24}, {"venue", 24},
		{"status", 14}, {"registered_at", 18}, {"checked_in_at", 18}, {"door", 16}, {"sessions", 50}, {"waiting_lists", 40}},
	exportSessions: {{"session", 40}, {"starts_at", 18}, {"room", 20}, {"booking", 14}, {"position", 10}, {"id", 8},
		{"name", 28}, {"email", 32}, {"organisation", 28}, {"venue", 24}},
	exportCheckIns: {{"id", 8}, {"name", 28}, {"email", 32}, {"organisation", 28}, {"venue", 24}, {"checked_in_at", 18}, {"door", 16}},
	exportNeeds: {{"id", 8}, {"name", 28}, {"email", 32}, {"organisation", 28}, {"venue", 24}, {"status", 14},
		{"dietary", 40}, {"accessibility", 40}, {"sessions", 50}},
}

type exportColumn struct {
	Key   string
	Width float64
}

// sheetWriter receives an export's rows: CSV or XLSX. Cells are strings, ints, times (the
// zero time is an empty cell) or nil.
type sheetWriter interface {
	Header(names []string) error
	Row(cells []any) error
	Close() error
}

func (h *Handler) exportPeopleCSV(c *gin.Context)  { h.exportPeople(c, "csv") }
func (h *Handler) exportPeopleXLSX(c *gin.Context) { h.exportPeople(c, "xlsx") }

// exportPeople streams the list's people, as filtered, as a CSV or XLSX file.
func (h *Handler) exportPeople(c *gin.Context, format string) {
	r, err := h.parseAudience(c, pageAudienceParams)
	if err != nil {
		h.fail(c, err)
		return
	}
	kind := c.DefaultQuery("soort", exportRegistrations)
	if !contains(exportKinds, kind) {
		r.Problems.Add("soort", "form.invalid_choice")
	}
	comma := ';'
	switch c.Query("scheiding") {
	case "", "puntkomma":
	case "komma":
		comma = ','
	default:
		r.Problems.Add("scheiding", "form.invalid_choice")
	}
	if !r.Audience.Attendees() {
		if kind != exportRegistrations {
			r.Problems.Add("soort", "audience.not_for_group")
		}
		if r.Audience.Group() == models.AudienceVoters {
			r.Problems.Add("groep", "audience.voters_no_list")
		}
	}
	if len(r.Problems) > 0 {
		h.badExport(c, r)
		return
	}
	switch {
	case kind == exportNeeds:
		r.Audience.HasNeeds = true
	case kind == exportCheckIns && r.Audience.Status == "":
		r.Audience.Status = models.StatusCheckedIn // read only those, rather than skip the rest
	}
	loc := r.Event.Location()
	venue := "alle-locaties"
	if r.Venue != nil {
		venue = r.Venue.Slug
	}
	name := fmt.Sprintf("%s-%s-%s-deelnemers", editionFileName(r.Event), venue, time.Now().In(loc).Format("2006-01-02"))
	if kind != exportRegistrations {
		name += "-" + kind
	}
	if !r.Audience.Attendees() {
		name += "-" + paramOf(groupParams, r.Audience.Group())
	}
	exportKind := models.ExportPeopleCSV
	if format == "xlsx" {
		exportKind = models.ExportPeopleXLSX
	}
	if !h.recordExport(c, models.ExportRecord{Kind: exportKind, VenueID: exportVenue(r),
		Filter: map[string]any{"soort": kind, "group": r.Audience.Group(), "venue": venue}}) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name+"."+format))
	var w sheetWriter
	if format == "csv" {
		c.Header("Content-Type", "text/csv; charset=utf-8")
		w = newCSVSheet(c.Writer, comma, loc)
	} else {
		c.Header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		cols := exportColumns[kind]
		if !r.Audience.Attendees() {
			cols = exportColumns[exportGroup]
		}
		if w, err = newXLSXSheet(c.Writer, h.tr(c).T("people.title"), cols, loc); err != nil {
			h.serverError(c, err)
			return
		}
	}
	c.Status(http.StatusOK)
	write := func() error { return h.writePeopleExport(c, w, r, kind) }
	if !r.Audience.Attendees() {
		write = func() error { return h.writeGroupExport(c, w, r) }
	}
	if err := write(); err != nil {
		// The headers are sent: all that is left is to log it and cut the file short.
		h.log.Error("export people", "id", c.GetString(ctxRequestID), "kind", kind, "format", format, "err", err)
		c.Abort()
		return
	}
}

// badExport answers an export whose query is wrong: 400 (or 403 for another venue) with the
// problems for an API client, the list page with its messages for a person.
func (h *Handler) badExport(c *gin.Context, r audienceRequest) {
	if !hasAPIToken(c) && !r.Forbidden {
		q := c.Request.URL.Query()
		q.Del("soort")
		q.Del("scheiding")
		c.Redirect(http.StatusSeeOther, "/beheer/deelnemers?"+q.Encode())
		return
	}
	tr := h.tr(c)
	fields := map[string]string{}
	for f, pr := range r.Problems {
		fields[f] = tr.T(pr.Key, pr.Args...)
	}
	if r.Forbidden {
		if !hasAPIToken(c) {
			h.errorPage(c, http.StatusForbidden, "error.forbidden")
			return
		}
		h.apiError(c, http.StatusForbidden, "forbidden", tr.T("error.forbidden"), fields)
		return
	}
	h.apiError(c, http.StatusBadRequest, "invalid", tr.T("api.invalid"), fields)
}

// writePeopleExport writes the header and the rows of one kind of export.
func (h *Handler) writePeopleExport(c *gin.Context, w sheetWriter, r audienceRequest, kind string) error {
	ctx := c.Request.Context()
	tr := h.tr(c)
	var names []string
	for _, col := range exportColumns[kind] {
		names = append(names, tr.T("people.col."+col.Key))
	}
	if err := w.Header(names); err != nil {
		return err
	}
	sort := r.Sort
	if sort == "" {
		sort = models.SortName
	}
	state := func(p models.Person) string { return tr.T("people.state." + personState(p)) }
	var err error
	switch kind {
	case exportSessions:
		err = h.store.EachBooking(ctx, r.Audience, func(b models.AudienceBooking) error {
			var pos any
			if b.Status == models.BookingWaitlisted {
				pos = b.Position
			}
			return w.Row([]any{b.Title, b.StartsAt, b.Room, tr.T("people.booking." + b.Status), pos, int(b.RegistrationID),
				b.Name, b.Email, b.Organisation, b.VenueName})
		})
	case exportCheckIns:
		err = h.store.EachPerson(ctx, r.Audience, sort, func(p models.Person) error {
			if p.CheckedInAt == nil {
				return nil
			}
			return w.Row([]any{int(p.ID), p.Name, p.Email, p.Organisation, p.VenueName, p.CheckedInAt, p.Door})
		})
	default:
		err = h.eachPersonWithBookings(c, r.Audience, sort, func(p models.Person, bookings []models.PersonBooking) error {
			seats, waits := bookingTitles(bookings)
			if kind == exportNeeds {
				return w.Row([]any{int(p.ID), p.Name, p.Email, p.Organisation, p.VenueName, state(p), p.Dietary, p.Accessibility, seats})
			}
			return w.Row([]any{int(p.ID), p.Name, p.Email, p.Organisation, p.JobTitle, p.VenueName, state(p), p.CreatedAt,
				p.CheckedInAt, p.Door, seats, waits})
		})
	}
	if err != nil {
		return err
	}
	return w.Close()
}

// eachPersonWithBookings streams the audience with each person's bookings, read for a batch
// of people at a time: a few dozen queries for ten thousand people, never one per row.
func (h *Handler) eachPersonWithBookings(c *gin.Context, a models.Audience, sort string, fn func(models.Person, []models.PersonBooking) error) error {
	ctx := c.Request.Context()
	batch := make([]models.Person, 0, exportBatch)
	reader := h.store.BookingBatches()
	flush := func() error {
		ids := make([]uint, len(batch))
		for i, p := range batch {
			ids[i] = p.ID
		}
		bookings, err := reader.Of(ctx, ids)
		if err != nil {
			return err
		}
		for _, p := range batch {
			if err := fn(p, bookings[p.ID]); err != nil {
				return err
			}
		}
		batch = batch[:0]
		return nil
	}
	err := h.store.EachPerson(ctx, a, sort, func(p models.Person) error {
		batch = append(batch, p)
		if len(batch) == exportBatch {
			return flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}

// bookingTitles lists a person's sessions ("Title; Title") and waiting lists ("Title (2)").
func bookingTitles(bookings []models.PersonBooking) (seats, waits string) {
	var s, w []string
	for _, b := range bookings {
		if b.Status == models.BookingWaitlisted {
			w = append(w, fmt.Sprintf("%s (%d)", b.Title, b.Position))
		} else {
			s = append(s, b.Title)
		}
	}
	return strings.Join(s, "; "), strings.Join(w, "; ")
}

// csvSheet writes UTF-8 CSV with a byte order mark (so Excel reads accents right), every
// cell guarded against formula injection, times in the event's time zone.
type csvSheet struct {
	buf *bufio.Writer
	w   *csv.Writer
	loc *time.Location
	row []string
}

func newCSVSheet(out io.Writer, comma rune, loc *time.Location) *csvSheet {
	buf := bufio.NewWriterSize(out, 64<<10)
	buf.WriteString("\ufeff")
	w := csv.NewWriter(buf)
	w.Comma = comma
	return &csvSheet{buf: buf, w: w, loc: loc}
}

func (s *csvSheet) Header(names []string) error { return s.Row(anySlice(names)) }

func (s *csvSheet) Row(cells []any) error {
	s.row = s.row[:0]
	for _, v := range cells {
		s.row = append(s.row, s.text(v))
	}
	return s.w.Write(s.row)
}

func (s *csvSheet) text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return csvCell(x)
	case int:
		return strconv.Itoa(x)
	case time.Time:
		if x.IsZero() {
			return ""
		}
		return x.In(s.loc).Format("2006-01-02 15:04")
	case *time.Time:
		if x == nil {
			return ""
		}
		return s.text(*x)
	default:
		return csvCell(fmt.Sprint(x))
	}
}

func (s *csvSheet) Close() error {
	s.w.Flush()
	if err := s.w.Error(); err != nil {
		return err
	}
	return s.buf.Flush()
}

func anySlice(names []string) []any {
	out := make([]any, len(names))
	for i, n := range names {
		out[i] = n
	}
	return out
}

// xlsxSheet streams rows into an XLSX sheet with excelize's StreamWriter (which keeps at
// most a chunk of rows in memory and the rest in a temporary file): a bold header row,
// times as real date-times in the event's time zone, numbers as numbers, an autofilter over
// the header (a table) and column widths.
type xlsxSheet struct {
	out       io.Writer
	f         *excelize.File
	sw        *excelize.StreamWriter
	loc       *time.Location
	bold      int
	dateStyle int
	cols      int
	rows      int
	cells     []any
}

func newXLSXSheet(out io.Writer, sheet string, cols []exportColumn, loc *time.Location) (*xlsxSheet, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	format := "yyyy-mm-dd hh:mm"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &format})
	if err != nil {
		return nil, err
	}
	for i, col := range cols {
		if err := sw.SetColWidth(i+1, i+1, col.Width); err != nil {
			return nil, err
		}
	}
	return &xlsxSheet{out: out, f: f, sw: sw, loc: loc, bold: bold, dateStyle: dateStyle, cols: len(cols)}, nil
}

func (s *xlsxSheet) Header(names []string) error {
	row := make([]any, len(names))
	for i, n := range names {
		row[i] = excelize.Cell{StyleID: s.bold, Value: n}
	}
	s.rows++
	return s.sw.SetRow("A1", row, excelize.RowOpts{StyleID: s.bold})
}

func (s *xlsxSheet) Row(cells []any) error {
	s.cells = s.cells[:0]
	for _, v := range cells {
		s.cells = append(s.cells, s.cell(v))
	}
	s.rows++
	cell, err := excelize.CoordinatesToCellName(1, s.rows)
	if err != nil {
		return err
	}
	return s.sw.SetRow(cell, s.cells)
}

// cell turns a value into what excelize writes: a time becomes its wall-clock time in the
// event's zone (spreadsheets have no time zones) with a date-time format.
func (s *xlsxSheet) cell(v any) any {
	switch x := v.(type) {
	case *time.Time:
		if x == nil {
			return nil
		}
		return s.cell(*x)
	case time.Time:
		if x.IsZero() {
			return nil
		}
		t := x.In(s.loc)
		return excelize.Cell{StyleID: s.dateStyle, Value: time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)}
	default:
		return v
	}
}

func (s *xlsxSheet) Close() error {
	defer s.f.Close()
	last, err := excelize.CoordinatesToCellName(s.cols, max(s.rows, 2))
	if err != nil {
		return err
	}
	noStripes := false
	if err := s.sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: "Deelnemers", ShowRowStripes: &noStripes}); err != nil {
		return err
	}
	if err := s.sw.Flush(); err != nil {
		return err
	}
	return s.f.Write(s.out)
}
