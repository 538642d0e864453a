package models_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

var importer = models.Actor{Kind: models.ActorUser, ID: 7, Name: "organisator@example.nl"}

func importProblems(res models.ImportResult) []string {
	var out []string
	for _, p := range res.Problems {
		out = append(out, fmt.Sprintf("%d/%s/%s", p.Row, p.Field, p.Key))
	}
	return out
}

// A good import registers the new people (a place at the venue, a personal link, a
// confirmation that says an organiser did it) and updates those already registered there,
// with one audit entry per person and nothing duplicated; a dry run says the same and writes
// nothing.
func TestImportRegistrations(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		known := must(s.Register(ctx, models.RegistrationInput{Name: "Jan de Vries", Email: "jan@example.nl", Organisation: "Provincie",
			Venue: "zwolle", Consent: true, Lang: "en"})).Registration
		same := must(s.Register(ctx, models.RegistrationInput{Name: "Piet Aalders", Email: "piet@example.nl", Organisation: "Rijk",
			Venue: "zwolle", Consent: true})).Registration
		rows := []models.ImportRow{
			{Row: 2, Name: "Zoë Ğüneş", Email: "Zoe@Example.nl", Organisation: "Gemeente Zwolle", Dietary: "vegetarisch", Lang: "EN"},
			{Row: 3, Name: "Jan de Vries-Bakker", Email: "JAN@example.nl", Organisation: "Provincie Overijssel", Accessibility: "rolstoel"},
			{Row: 4, Name: "Piet Aalders", Email: "piet@example.nl", Organisation: "Rijk"},
		}
		outbox := count(t, s, &models.OutboxMessage{})
		dry := must(s.ImportRegistrations(ctx, importer, f.venue.ID, rows, true))
		if dry.Imported || dry.Rows != 3 || dry.Valid != 3 || dry.New != 1 || dry.Updated != 1 || dry.Unchanged != 1 || len(dry.Problems) > 0 {
			t.Fatalf("dry run = %+v, want 3 valid rows: 1 new, 1 updated, 1 unchanged", dry)
		}
		if got := count(t, s, &models.Registration{}); got != 2 || count(t, s, &models.OutboxMessage{}) != outbox || registrationEntries(t, s) != 0 {
			t.Fatalf("dry run wrote: %d registrations", got)
		}

		res := must(s.ImportRegistrations(ctx, importer, f.venue.ID, rows, false))
		if !res.Imported || res.New != 1 || res.Updated != 1 || res.Unchanged != 1 || len(res.CreatedIDs) != 1 {
			t.Fatalf("import = %+v, want imported: 1 new, 1 updated, 1 unchanged", res)
		}
		if got := count(t, s, &models.Registration{}); got != 3 {
			t.Errorf("registrations = %d, want 3 (one new, none duplicated)", got)
		}
		zoe := must(s.Registration(ctx, res.CreatedIDs[0]))
		if zoe.Email != "Zoe@Example.nl" || zoe.Lang != "en" || zoe.Dietary != "vegetarisch" || zoe.Status != models.RegistrationActive || zoe.VenueID != f.venue.ID {
			t.Errorf("new registration = %+v", zoe)
		}
		var mail models.OutboxMessage
		if err := s.DB().Where("registration_id = ? AND kind = ?", zoe.ID, models.MailConfirmation).First(&mail).Error; err != nil || !mail.OnBehalf || mail.Lang != "en" {
			t.Errorf("confirmation of the new person = %+v (%v), want one, on behalf, in English", mail, err)
		}
		if got := count(t, s, &models.OutboxMessage{}); got != outbox+1 {
			t.Errorf("outbox grew by %d, want 1 (only the new person is mailed)", got-outbox)
		}
		jan := must(s.Registration(ctx, known.ID))
		if jan.Name != "Jan de Vries-Bakker" || jan.Organisation != "Provincie Overijssel" || jan.Accessibility != "rolstoel" || jan.Lang != "en" || jan.TicketVersion != 2 {
			t.Errorf("updated registration = %+v: want the new name, organisation and needs, language kept, ticket version 2", jan)
		}
		// The search text and sort key follow the new name and organisation.
		page := must(s.People(ctx, models.Audience{Query: "bakker overijssel"}, models.SortName, 1, 10))
		if len(page.People) != 1 || page.People[0].ID != known.ID {
			t.Errorf("search for the updated name finds %+v, want Jan", page.People)
		}
		if v := must(s.Venue(ctx, f.venue.ID)); v.Registered != 3 {
			t.Errorf("venue registered = %d, want 3", v.Registered)
		}
		for _, id := range []uint{zoe.ID, known.ID} {
			trail := must(s.AuditTrail(ctx, models.SubjectRegistration, id))
			if len(trail) != 1 || trail[0].Action != "registration.import" || trail[0].ActorName != importer.Name {
				t.Errorf("audit trail of %d = %+v, want one import entry by the organiser", id, trail)
			}
		}
		if trail := must(s.AuditTrail(ctx, models.SubjectRegistration, known.ID)); len(trail) == 1 {
			if d := trail[0].Details; d != `{"changed":["name","organisation","accessibility"]}` {
				t.Errorf("audit details = %s, want the changed field names only (never the needs themselves)", d)
			}
		}
		if trail := must(s.AuditTrail(ctx, models.SubjectRegistration, same.ID)); len(trail) != 0 {
			t.Errorf("an unchanged person got audit entries: %+v", trail)
		}
	})
}

// Any problem in any row writes nothing: the problems come per row and field.
func TestImportRegistrationsRefused(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		must(s.Register(ctx, models.RegistrationInput{Name: "Elders", Email: "elders@example.nl", Organisation: "Rijk", Venue: "rotterdam", Consent: true}))
		rows := []models.ImportRow{
			{Row: 2, Name: "Goed", Email: "goed@example.nl", Organisation: "Rijk"},
			{Row: 3, Name: "", Email: "geen-adres", Organisation: "Rijk", Lang: "de"},
			{Row: 4, Name: "Dubbel", Email: "GOED@example.nl", Organisation: "Rijk"},
			{Row: 5, Name: "Formule", Email: "f@example.nl", Organisation: "", Problems: models.Problems{"organisation": {Key: "import.formula"}}},
			{Row: 6, Name: "Elders", Email: "elders@example.nl", Organisation: "Rijk"},
		}
		regs, outbox := count(t, s, &models.Registration{}), count(t, s, &models.OutboxMessage{})
		for _, dry := range []bool{true, false} {
			res := must(s.ImportRegistrations(ctx, importer, f.venue.ID, rows, dry))
			want := "[3/email/form.invalid_email 3/lang/import.bad_language 3/name/form.required 4/email/import.duplicate_in_file 5/organisation/import.formula 6/email/import.registered_elsewhere]"
			if got := fmt.Sprint(importProblems(res)); got != want || res.Imported || res.Valid != 1 {
				t.Errorf("dry run %v: problems %s (valid %d, imported %v), want %s", dry, got, res.Valid, res.Imported, want)
			}
		}
		if count(t, s, &models.Registration{}) != regs || count(t, s, &models.OutboxMessage{}) != outbox || registrationEntries(t, s) != 0 {
			t.Errorf("a refused import wrote something")
		}
	})
}

// The venue's capacity holds: not enough places for everyone new is a problem, and nothing
// is written.
func TestImportRegistrationsCapacity(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		v := must(s.Venue(ctx, f.venue.ID))
		must(s.UpdateVenue(ctx, v.ID, models.VenueInput{Slug: v.Slug, Name: v.Name, City: v.City, Address: v.Address, Capacity: 2}))
		must(s.Register(ctx, models.RegistrationInput{Name: "Eerste", Email: "eerste@example.nl", Organisation: "Rijk", Venue: "zwolle", Consent: true}))
		rows := []models.ImportRow{
			{Row: 2, Name: "Eerste", Email: "eerste@example.nl", Organisation: "Rijk, afdeling B"},
			{Row: 3, Name: "Twee", Email: "twee@example.nl", Organisation: "Rijk"},
			{Row: 4, Name: "Drie", Email: "drie@example.nl", Organisation: "Rijk"},
		}
		res := must(s.ImportRegistrations(ctx, importer, f.venue.ID, rows, false))
		if got := fmt.Sprint(importProblems(res)); got != "[0/venue/import.not_enough_places]" || res.Imported {
			t.Fatalf("problems = %s, want not enough places", got)
		}
		if got := count(t, s, &models.Registration{}); got != 1 {
			t.Errorf("registrations = %d, want 1: nothing written", got)
		}
		if r := must(s.Venue(ctx, f.venue.ID)); r.Registered != 1 {
			t.Errorf("venue registered = %d, want 1", r.Registered)
		}
		// One place left: the update and one new person fit.
		res = must(s.ImportRegistrations(ctx, importer, f.venue.ID, rows[:2], false))
		if !res.Imported || res.New != 1 || res.Updated != 1 {
			t.Errorf("import = %+v, want one new and one updated", res)
		}
	})
}

// A checked upload waits for its organiser only, and imports once.
func TestImportSaved(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		rows := []models.ImportRow{{Row: 2, Name: "Zoë", Email: "zoe@example.nl", Organisation: "Rijk", Dietary: "halal"}}
		token := must(s.SaveImportUpload(ctx, importer, f.venue.ID, "lijst.csv", rows))
		other := models.Actor{Kind: models.ActorUser, ID: 8, Name: "ander@example.nl"}
		if _, err := s.SavedImport(ctx, other, token); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("another organiser reads the upload: %v, want not found", err)
		}
		saved := must(s.SavedImport(ctx, importer, token))
		if saved.VenueID != f.venue.ID || len(saved.Rows) != 1 || saved.Rows[0].Dietary != "halal" {
			t.Errorf("saved = %+v", saved)
		}
		res := must(s.ImportSaved(ctx, importer, token))
		if !res.Imported || res.New != 1 {
			t.Errorf("import = %+v", res)
		}
		if _, err := s.ImportSaved(ctx, importer, token); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("importing twice: %v, want not found", err)
		}
		if got := count(t, s, &models.Registration{}); got != 1 {
			t.Errorf("registrations = %d, want 1", got)
		}
	})
}
