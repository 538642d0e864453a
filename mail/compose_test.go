package mail

import (
	"errors"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

func TestTemplatesExistInEveryLanguage(t *testing.T) {
	paths, err := fs.Glob(templateFiles, "templates/*/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, p := range paths {
		have[p] = true
		lang, kind := path.Base(path.Dir(p)), strings.TrimSuffix(path.Base(p), ".txt")
		if !slices.Contains(Langs, lang) {
			t.Errorf("%s: language %q is not in Langs %q", p, lang, Langs)
		}
		if !slices.Contains(slices.Concat(Kinds, ProposalKinds, VoteKinds, ScheduleKinds, MessageKinds, TeamKinds, AccountKinds, ErasureKinds), kind) {
			t.Errorf("%s: kind %q is not in Kinds %q, ProposalKinds %q, VoteKinds %q nor ScheduleKinds %q", p, kind, Kinds, ProposalKinds, VoteKinds, ScheduleKinds)
		}
	}
	for _, lang := range Langs {
		for _, kind := range slices.Concat(Kinds, ProposalKinds, VoteKinds, ScheduleKinds, MessageKinds, TeamKinds, AccountKinds, ErasureKinds) {
			if p := "templates/" + lang + "/" + kind + ".txt"; !have[p] {
				t.Errorf("template %s is missing", p)
			}
		}
	}
	for _, p := range paths { // a template in one language only
		for _, lang := range Langs {
			other := "templates/" + lang + "/" + path.Base(p)
			if !have[other] {
				t.Errorf("%s has no counterpart %s", p, other)
			}
		}
	}
}

func TestTemplatesRender(t *testing.T) {
	full := templateData{
		Name: "Anna de Vries", Event: "Dag van de Test", Date: "woensdag 3 februari 2027",
		Venue: "Stadskantoor", Address: "Stadsplateau 1, 3521 AZ Utrecht", Link: "https://dagplanner.example/boeking/tok",
		Site: "https://dagplanner.example/", Waiting: true, Deadline: "woensdag 27 januari 2027, 12:00",
		Programme: []programmeItem{
			{Time: "10:00–11:00", Title: "Open data", Room: "Zaal A"},
			{Time: "11:15–12:15", Title: "AI en de Woo", Room: "Zaal B", Waitlisted: true, Position: 3},
		},
		Session: programmeItem{Time: "10:00–11:00", Title: "Open data", Room: "Zaal A"},
	}
	for _, data := range []struct {
		name string
		d    templateData
	}{{"full", full}, {"empty", templateData{}}} {
		for _, lang := range Langs {
			for _, kind := range Kinds {
				t.Run(data.name+"/"+lang+"/"+kind, func(t *testing.T) {
					subject, text, err := render(lang, kind, data.d)
					if err != nil {
						t.Fatalf("render: %v", err)
					}
					if subject == "" || text == "" {
						t.Errorf("subject %q, text %q: want both", subject, text)
					}
					for _, bad := range []string{"<no value>", "{{", "}}", "Subject:"} {
						if strings.Contains(subject+text, bad) {
							t.Errorf("output contains %q:\n%s\n\n%s", bad, subject, text)
						}
					}
					if data.name == "full" && !strings.Contains(text, "Anna de Vries") {
						t.Errorf("text lacks the name:\n%s", text)
					}
				})
			}
		}
	}
}

// outbox returns every outbox row in order.
func outbox(t *testing.T, s *models.Store) []models.OutboxMessage {
	t.Helper()
	return modelstest.OutboxMessages(t, s)
}

func lastOutbox(t *testing.T, s *models.Store, regID uint, kind string) models.OutboxMessage {
	t.Helper()
	msgs := modelstest.OutboxMessages(t, s)
	for i := len(msgs) - 1; i >= 0; i-- {
		if m := msgs[i]; m.RegistrationID != nil && *m.RegistrationID == regID && m.Kind == kind {
			return m
		}
	}
	t.Fatalf("outbox %s for registration %d: none", kind, regID)
	return models.OutboxMessage{}
}

func contains(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, text)
		}
	}
}

func TestCompose(t *testing.T) {
	t.Parallel()
	s := modelstest.SQLite(t)
	f := newFixture(t, s)
	c := &Composer{Store: s, BaseURL: "https://dagplanner.example/"}
	bob := must(s.Register(ctx, person("Bob Jansen", "bob@example.nl", "en", f.writing.ID, f.ai.ID)))
	carla := must(s.Register(ctx, person("Carla Smit", "carla@example.nl", "nl", f.writing.ID, f.ai.ID)))

	t.Run("confirmation with waiting list", func(t *testing.T) {
		msg := lastOutbox(t, s, carla.Registration.ID, models.MailConfirmation)
		m := must(c.Compose(ctx, msg))
		if m.To != "carla@example.nl" || m.Subject != "Je aanmelding voor Dag van de Test" {
			t.Errorf("To %q Subject %q, want carla@example.nl, Je aanmelding voor Dag van de Test", m.To, m.Subject)
		}
		contains(t, "confirmation", m.Text, "Hallo Carla Smit,", "woensdag 3 februari 2027",
			"Stadskantoor Utrecht", "Stadsplateau 1, 3521 AZ Utrecht",
			"- 10:00–11:00  Helder schrijven, Zaal B (wachtlijst, plaats 1)",
			"- 11:15–12:15  AI en de Woo, Zaal A\n")
		if got, want := m.Headers["Message-ID"], messageID(t, s, msg.ID); got != want {
			t.Errorf("Message-ID = %q, want %q", got, want)
		}
		if got := m.Headers["Auto-Submitted"]; got != "auto-generated" {
			t.Errorf("Auto-Submitted = %q, want auto-generated", got)
		}
		r := must(s.RegistrationByToken(ctx, tokenIn(t, m.Text)))
		if r.ID != carla.Registration.ID {
			t.Errorf("link opens registration %d, want %d", r.ID, carla.Registration.ID)
		}
	})

	t.Run("promoted", func(t *testing.T) {
		if err := s.Cancel(ctx, bob.Registration.ID); err != nil {
			t.Fatal(err)
		}
		msg := lastOutbox(t, s, carla.Registration.ID, models.MailPromoted)
		m := must(c.Compose(ctx, msg))
		if want := "Er is een plaats voor je vrijgekomen: Helder schrijven"; m.Subject != want {
			t.Errorf("Subject = %q, want %q", m.Subject, want)
		}
		contains(t, "promoted", m.Text, "  Helder schrijven\n  10:00–11:00, Zaal B",
			"andere sessie", "- 10:00–11:00  Helder schrijven, Zaal B\n")
		if strings.Contains(m.Text, "wachtlijst, plaats") {
			t.Errorf("promoted mail still shows a waiting-list place:\n%s", m.Text)
		}
		tokenIn(t, m.Text)
	})

	t.Run("cancelled in English", func(t *testing.T) {
		msg := lastOutbox(t, s, bob.Registration.ID, models.MailCancelled)
		m := must(c.Compose(ctx, msg))
		if want := "You have cancelled your registration for Dag van de Test"; m.Subject != want {
			t.Errorf("Subject = %q, want %q", m.Subject, want)
		}
		contains(t, "cancelled", m.Text, "Hello Bob Jansen,", "Wednesday 3 February 2027", "All your seats have been released",
			"https://dagplanner.example/")
		if strings.Contains(m.Text, "/boeking/") {
			t.Errorf("cancelled mail carries a personal link:\n%s", m.Text)
		}
	})

	t.Run("superseded by cancellation", func(t *testing.T) {
		msg := lastOutbox(t, s, bob.Registration.ID, models.MailConfirmation)
		if _, err := c.Compose(ctx, msg); !errors.Is(err, ErrSuperseded) {
			t.Errorf("Compose(confirmation of a cancelled registration) = %v, want ErrSuperseded", err)
		}
	})

	t.Run("reminder with deadline", func(t *testing.T) {
		deadline := time.Date(2027, 1, 27, 11, 0, 0, 0, time.UTC) // 12:00 in Amsterdam
		modelstest.SetReconfirmDeadline(t, s, f.event.ID, deadline)
		msg := models.OutboxMessage{ID: 900, Kind: models.MailReminder, Recipient: "carla@example.nl", Lang: "nl", RegistrationID: &carla.Registration.ID}
		m := must(c.Compose(ctx, msg))
		contains(t, "nl reminder", m.Subject+"\n"+m.Text, "Kom je nog naar Dag van de Test?", "Bevestig vóór woensdag 27 januari 2027, 12:00.")
		msg.Lang = "en"
		m = must(c.Compose(ctx, msg))
		contains(t, "en reminder", m.Subject+"\n"+m.Text, "Are you still coming to Dag van de Test?", "Please confirm before Wednesday 27 January 2027, 12:00.")
		tokenIn(t, m.Text)
	})

	t.Run("feedback only to those checked in", func(t *testing.T) {
		msg := models.OutboxMessage{ID: 903, Kind: models.MailFeedback, Recipient: "carla@example.nl", Lang: "nl", RegistrationID: &carla.Registration.ID}
		if _, err := c.Compose(ctx, msg); !errors.Is(err, ErrSuperseded) {
			t.Errorf("Compose(feedback to someone not checked in) = %v, want ErrSuperseded", err)
		}
		must(s.CheckIn(ctx, models.CheckInInput{VenueID: f.venue.ID, RegistrationID: carla.Registration.ID, Door: "Hoofdingang"}))
		m := must(c.Compose(ctx, msg))
		contains(t, "nl feedback", m.Subject+"\n"+m.Text, "Hoe was Dag van de Test?", "https://dagplanner.example/feedback/",
			"/certificaat.pdf", "Je bijgewoonde sessies:\n- ")
		tok := tokenIn(t, m.Text)
		if !strings.Contains(m.Text, "https://dagplanner.example/boeking/"+tok+"/certificaat.pdf") {
			t.Errorf("the certificate link is not beside the personal link:\n%s", m.Text)
		}
		msg.Lang = "en"
		m = must(c.Compose(ctx, msg))
		contains(t, "en feedback", m.Subject+"\n"+m.Text, "How was Dag van de Test?", "The sessions you attended:")
	})

	t.Run("every kind in both languages", func(t *testing.T) {
		for _, kind := range Kinds {
			for _, lang := range Langs {
				msg := models.OutboxMessage{ID: 901, Kind: kind, Recipient: "carla@example.nl", Lang: lang,
					RegistrationID: &carla.Registration.ID}
				if kind == models.MailPromoted { // a promotion names its session, as older rows did
					msg.Payload = strconv.FormatUint(uint64(f.writing.ID), 10)
				}
				m, err := c.Compose(ctx, msg)
				if err != nil {
					t.Errorf("Compose(%s, %s): %v", kind, lang, err)
					continue
				}
				if strings.Contains(m.Subject+m.Text, "<no value>") || !strings.Contains(m.Text, "Carla Smit") {
					t.Errorf("Compose(%s, %s) =\n%s\n%s", kind, lang, m.Subject, m.Text)
				}
			}
		}
	})

	t.Run("registration gone", func(t *testing.T) {
		id := uint(99999)
		_, err := c.Compose(ctx, models.OutboxMessage{ID: 902, Kind: models.MailConfirmation, Lang: "nl", RegistrationID: &id})
		if !errors.Is(err, models.ErrNotFound) {
			t.Errorf("Compose for a missing registration = %v, want ErrNotFound", err)
		}
	})
}

func TestReminderHasOneClickCancelLink(t *testing.T) {
	for _, lang := range Langs {
		_, text, err := render(lang, "reminder", templateData{Name: "Zoë", Event: "Dag", Link: "https://x.example/boeking/T", CancelLink: "https://x.example/boeking/T/annuleren"})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text, "https://x.example/boeking/T/annuleren") {
			t.Errorf("%s reminder: no one-click cancel link in\n%s", lang, text)
		}
	}
}
