package handlers

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
	"github.com/ambtenaar20/dagplanner/tickets"
)

// TestNeedsOnlyInTheNeedsExport (issue #17 point 5): a person's dietary and accessibility
// needs are in the needs export, and in no other export of people: not the registrations,
// sessions or check-ins export (CSV or XLSX), nor the API's list. The printed door lists and
// badges, the door's attendee data, the speakers' participant lists and the audiences'
// recipients are made from types that carry no needs at all.
func TestNeedsOnlyInTheNeedsExport(t *testing.T) {
	t.Parallel()
	f := newPeopleFixture(t)
	ts := f.ts
	ctx := modelstest.Ctx()
	venue := f.venue(t, "zwolle")
	var sessions []models.Session
	modelstest.Find(t, ts.Store, &sessions, modelstest.Where("venue_id = ?", venue.ID).OrderBy("id").Limit(1))
	res, err := ts.Store.Register(ctx, models.RegistrationInput{Name: "Nora Behoeftig", Email: "nora.behoeftig@example.nl",
		Organisation: "Gemeente Zwolle", Dietary: "Kenmerkdieet zonder pinda", Accessibility: "Kenmerktoegang ringleiding",
		Lang: "nl", Venue: "zwolle", Sessions: []uint{sessions[0].ID}, Consent: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.Store.CheckIn(ctx, models.CheckInInput{VenueID: venue.ID, RegistrationID: res.Registration.ID, Door: "Hoofdingang"}); err != nil {
		t.Fatal(err)
	}
	needs := []string{"Kenmerkdieet", "Kenmerktoegang"}
	text := func(path, body string) string {
		if !strings.Contains(path, ".xlsx") {
			return body
		}
		x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		defer x.Close()
		rows, err := x.GetRows(x.GetSheetName(0))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		var b strings.Builder
		for _, row := range rows {
			b.WriteString(strings.Join(row, "\t") + "\n")
		}
		return b.String()
	}
	auth := []string{"Authorization", "Bearer " + f.token}
	for _, path := range []string{
		"/beheer/deelnemers/export.csv?q=behoeftig",
		"/beheer/deelnemers/export.csv?q=behoeftig&soort=sessies",
		"/beheer/deelnemers/export.csv?q=behoeftig&soort=binnenkomst",
		"/beheer/deelnemers/export.xlsx?q=behoeftig",
		"/beheer/deelnemers/export.xlsx?q=behoeftig&soort=sessies",
		"/beheer/deelnemers/export.xlsx?q=behoeftig&soort=binnenkomst",
		"/api/v1/registrations?q=behoeftig",
	} {
		resp, body := ts.get(t, path, auth...)
		got := text(path, body)
		if resp.StatusCode != 200 || !strings.Contains(got, "nora.behoeftig@example.nl") {
			t.Errorf("%s: status %d, want 200 with the person in it:\n%s", path, resp.StatusCode, got)
		}
		for _, n := range needs {
			if strings.Contains(got, n) {
				t.Errorf("%s holds the person's needs (%q); only the needs export may", path, n)
			}
		}
	}
	for _, path := range []string{"/beheer/deelnemers/export.csv?q=behoeftig&soort=behoeften", "/beheer/deelnemers/export.xlsx?q=behoeftig&soort=behoeften"} {
		resp, body := ts.get(t, path, auth...)
		got := text(path, body)
		for _, n := range needs {
			if resp.StatusCode != 200 || !strings.Contains(got, n) {
				t.Errorf("%s: status %d, want the needs (%q) in it:\n%s", path, resp.StatusCode, n, got)
			}
		}
	}

	for _, v := range []any{tickets.DoorListEntry{}, tickets.Badge{}, DoorEntryJSON{}, AttendeeJSON{}, RegistrationItemJSON{},
		models.DoorEntry{}, models.Participant{}, models.Recipient{}, models.AudienceBooking{}} {
		if field := needsField(reflect.TypeOf(v), map[reflect.Type]bool{}); field != "" {
			t.Errorf("%T carries needs (%s): it feeds an export or list that must not hold them", v, field)
		}
	}
}

// needsField names a field of typ (or of a struct inside it) that holds needs, or "".
func needsField(typ reflect.Type, seen map[reflect.Type]bool) string {
	for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
		typ = typ.Elem()
	}
	if typ.Kind() != reflect.Struct || seen[typ] {
		return ""
	}
	seen[typ] = true
	for i := range typ.NumField() {
		f := typ.Field(i)
		name := strings.ToLower(f.Name)
		if strings.Contains(name, "dietary") || strings.Contains(name, "accessibility") || strings.Contains(name, "needs") {
			return typ.Name() + "." + f.Name
		}
		if inner := needsField(f.Type, seen); inner != "" {
			return inner
		}
	}
	return ""
}
