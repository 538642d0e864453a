package models_test

import (
	"fmt"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// spoofChars are the characters issue #12 names: bidi embeddings and overrides,
// bidi isolates, zero-width characters and marks, and the byte order mark.
func spoofChars() []rune {
	var rs []rune
	for _, span := range [][2]rune{{0x202A, 0x202E}, {0x2066, 0x2069}, {0x200B, 0x200F}, {0xFEFF, 0xFEFF}} {
		for r := span[0]; r <= span[1]; r++ {
			rs = append(rs, r)
		}
	}
	return rs
}

func TestInvisibleChar(t *testing.T) {
	for _, r := range append(spoofChars(), 0x00AD, 0x2060, 0x061C) {
		s := "Jan" + string(r) + "Rosan"
		if got, bad := models.InvisibleChar(s); !bad || got != r {
			t.Errorf("InvisibleChar(%+q) = %U, %v; want %U, true", s, got, bad, r)
		}
	}
	for _, s := range []string{"", "Jan de Vries", "Şükrü Öztürk", "Zoë O’Brien-Ærø", "محمد العلي", "דנה כהן", "李小龍", "Gemeente ’s-Hertogenbosch", "Team 🎉"} {
		if got, bad := models.InvisibleChar(s); bad {
			t.Errorf("InvisibleChar(%q) = %U, true; want none", s, got)
		}
	}
}

// TestNamesRefuseInvisibleChars checks every field where a person types a name, title
// or organisation that door staff, attendees or organisers later read.
func TestNamesRefuseInvisibleChars(t *testing.T) {
	type field struct {
		name     string
		validate func(v string) models.Problems
	}
	registration := func(set func(*models.RegistrationInput, string)) func(string) models.Problems {
		return func(v string) models.Problems { in := attendee(1); set(&in, v); return in.Validate() }
	}
	proposal := func(set func(*models.ProposalInput, string)) func(string) models.Problems {
		return func(v string) models.Problems { in := proposalInput(); set(&in, v); return in.Validate() }
	}
	coSpeaker := func(set func(*models.CoSpeakerInput, string)) func(string) models.Problems {
		return func(v string) models.Problems {
			in := models.CoSpeakerInput{Name: "Anna Bakker", Organisation: "Provincie Overijssel"}
			set(&in, v)
			return in.Validate()
		}
	}
	session := func(set func(*models.SessionInput, string)) func(string) models.Problems {
		return func(v string) models.Problems {
			in := models.SessionInput{Title: "Open data", Format: "workshop", SlotCount: 1,
				Speakers: []models.SpeakerInput{{Name: "Anna Bakker", Organisation: "Provincie"}}}
			set(&in, v)
			return in.Validate()
		}
	}
	venue := func(set func(*models.VenueInput, string)) func(string) models.Problems {
		return func(v string) models.Problems {
			in := models.VenueInput{Slug: "zwolle", Name: "Stadskantoor", City: "Zwolle", Address: "Lübeckplein 2", Capacity: 100}
			set(&in, v)
			return in.Validate()
		}
	}
	fields := []field{
		{"name", registration(func(in *models.RegistrationInput, v string) { in.Name = v })},
		{"organisation", registration(func(in *models.RegistrationInput, v string) { in.Organisation = v })},
		{"job_title", registration(func(in *models.RegistrationInput, v string) { in.JobTitle = v })},
		{"title", proposal(func(in *models.ProposalInput, v string) { in.Title = v })},
		{"speaker.name", proposal(func(in *models.ProposalInput, v string) { in.Speaker.Name = v })},
		{"speaker.organisation", proposal(func(in *models.ProposalInput, v string) { in.Speaker.Organisation = v })},
		{"name", coSpeaker(func(in *models.CoSpeakerInput, v string) { in.Name = v })},
		{"organisation", coSpeaker(func(in *models.CoSpeakerInput, v string) { in.Organisation = v })},
		{"title", session(func(in *models.SessionInput, v string) { in.Title = v })},
		{"track", session(func(in *models.SessionInput, v string) { in.Track = v })},
		{"speakers", session(func(in *models.SessionInput, v string) { in.Speakers[0].Name = v })},
		{"speakers", session(func(in *models.SessionInput, v string) { in.Speakers[0].Organisation = v })},
		{"name", venue(func(in *models.VenueInput, v string) { in.Name = v })},
		{"city", venue(func(in *models.VenueInput, v string) { in.City = v })},
		{"name", func(v string) models.Problems { return models.RoomInput{Name: v, Capacity: 10}.Validate() }},
		{"name", func(v string) models.Problems { return models.TrackInput{Name: v}.Validate() }},
		{"name", func(v string) models.Problems {
			return models.DeviceTokenInput{Name: v, Role: models.RoleDoor, VenueSlug: "zwolle"}.Validate()
		}},
		{"name", func(v string) models.Problems {
			return models.EventInput{Name: v, Date: "2027-03-18"}.Validate()
		}},
	}
	for i, f := range fields {
		t.Run(fmt.Sprintf("%d_%s", i, f.name), func(t *testing.T) {
			if p := f.validate("Anna Bakker"); p[f.name].Key != "" {
				t.Fatalf("a plain value gives %v on %q, want no problem", p[f.name], f.name)
			}
			for _, r := range spoofChars() {
				p := f.validate("Anna" + string(r) + " Bakker")
				got := p[f.name]
				if got.Key != "form.invisible_chars" {
					t.Fatalf("with %U: problem %v on %q (all %v), want form.invisible_chars", r, got, f.name, p)
				}
				if want := fmt.Sprintf("U+%04X", r); len(got.Args) != 2 || got.Args[1] != want {
					t.Errorf("with %U: args %v, want Char %s", r, got.Args, want)
				}
			}
		})
	}
}

// TestRegisterRefusesBidiOverride checks that the store writes nothing for such a name.
func TestRegisterRefusesBidiOverride(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		newFixture(t, s)
		in := attendee(1)
		in.Name = "Jan\u202Enasor"
		_, err := s.Register(ctx, in)
		wantProblem(t, err, "name", "form.invisible_chars")
		if n := count(t, s, &models.Registration{}); n != 0 {
			t.Errorf("%d registrations written, want 0", n)
		}
	})
}
