package models_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// TestEventPrivacySettings stores the privacy, retention and adoption settings, fills in the
// defaults for a new event, and refuses bad values without changing the event.
func TestEventPrivacySettings(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		in := models.EventInput{Name: "Dag van de Test", Date: "2027-02-03"}
		e := must(s.CreateEvent(ctx, in))
		if e.NeedsRetention() != 7 || e.PersonalRetention() != 90 || e.ProposalRetention() != 30 {
			t.Errorf("new event keeps needs %d, personal %d, proposals %d days; want the defaults 7, 90, 30",
				e.NeedsRetention(), e.PersonalRetention(), e.ProposalRetention())
		}
		in.Organisation = " Stichting Ambtenaar 2.0 "
		in.PrivacyOfficerEmail = "fg@gemeente.example"
		in.NeedsRetentionDays, in.PersonalRetentionDays, in.ProposalRetentionDays = 3, 60, 14
		in.RegistrationDomains = "@Overheid.nl, gemeente.example"
		in.AccessibilityStatus, in.AccessibilityDate, in.AccessibilityContact = "B", "2027-01-10", "toegankelijk@gemeente.example"
		must(s.UpdateEvent(ctx, e.ID, in))
		got := must(s.CurrentEvent(ctx))
		if got.Organisation != "Stichting Ambtenaar 2.0" || got.PrivacyOfficerEmail != "fg@gemeente.example" ||
			got.NeedsRetention() != 3 || got.PersonalRetention() != 60 || got.ProposalRetention() != 14 ||
			!slices.Equal(got.RegistrationDomainList(), []string{"overheid.nl", "gemeente.example"}) ||
			got.AccessibilityStatus != "B" || got.AccessibilityDate != "2027-01-10" || got.AccessibilityContact != "toegankelijk@gemeente.example" {
			t.Errorf("after UpdateEvent the settings are %+v", got)
		}
		for _, c := range []struct {
			field string
			edit  func(in *models.EventInput)
		}{
			{"needs_retention_days", func(in *models.EventInput) { in.NeedsRetentionDays = 366 }},
			{"needs_retention_days", func(in *models.EventInput) { in.NeedsRetentionDays, in.PersonalRetentionDays = 30, 10 }},
			{"personal_retention_days", func(in *models.EventInput) { in.PersonalRetentionDays = -1 }},
			{"proposal_retention_days", func(in *models.EventInput) { in.ProposalRetentionDays = 3651 }},
			{"registration_domains", func(in *models.EventInput) { in.RegistrationDomains = "overheid" }},
			{"accessibility_status", func(in *models.EventInput) { in.AccessibilityStatus = "F" }},
			{"accessibility_date", func(in *models.EventInput) { in.AccessibilityDate = "10-01-2027" }},
			{"accessibility_contact", func(in *models.EventInput) { in.AccessibilityContact = "toegankelijk@" }},
			{"privacy_officer_email", func(in *models.EventInput) { in.PrivacyOfficerEmail = "fg" }},
		} {
			bad := in
			c.edit(&bad)
			_, err := s.UpdateEvent(ctx, e.ID, bad)
			var verr *models.ValidationError
			if !errors.As(err, &verr) || verr.Problems[c.field].Key == "" {
				t.Errorf("UpdateEvent with a bad %s: got %v, want a problem on that field", c.field, err)
			}
		}
		if still := must(s.CurrentEvent(ctx)); still.NeedsRetention() != 3 || still.AccessibilityStatus != "B" {
			t.Errorf("a refused update changed the event: %+v", still)
		}
	})
}

// TestAllowsRegistrant accepts the listed domains and their subdomains only, and everyone
// when none are listed.
func TestAllowsRegistrant(t *testing.T) {
	t.Parallel()
	e := models.Event{RegistrationDomains: "overheid.nl\ngemeente.example"}
	for email, want := range map[string]bool{
		"a@overheid.nl": true, "a@MINBZK.Overheid.nl": true, "a@gemeente.example": true,
		"a@notoverheid.nl": false, "a@overheid.nl.evil.example": false, "no-at-sign": false,
	} {
		if got := e.AllowsRegistrant(email); got != want {
			t.Errorf("AllowsRegistrant(%q) = %v, want %v", email, got, want)
		}
	}
	if !(models.Event{}).AllowsRegistrant("iedereen@example.org") {
		t.Error("an event without domains refuses an address")
	}
}

// TestRetentionEnds counts retention days from the end of the event day, in its time zone.
func TestRetentionEnds(t *testing.T) {
	t.Parallel()
	e := models.Event{Date: "2027-03-27", Timezone: "Europe/Amsterdam"}
	want := time.Date(2027, 4, 4, 0, 0, 0, 0, e.Location())
	if got := e.RetentionEnds(7); !got.Equal(want) {
		t.Errorf("RetentionEnds(7) = %v, want %v", got, want)
	}
}

// TestFindTraces finds a text in whichever table and column holds it, whatever its case, and
// nothing for a text that is nowhere.
func TestFindTraces(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		must(s.CreateEvent(ctx, models.EventInput{Name: "Dag van de Zeldzame Naam", Theme: "Met Şükrü Öztürk", Date: "2027-02-03",
			ContactEmail: "uniek-adres@gemeente.example"}))
		traces := must(s.FindTraces(ctx, "zeldzame naam", "UNIEK-ADRES@", "Şükrü Öztürk"))
		var where []string
		for _, tr := range traces {
			where = append(where, tr.Table+"."+tr.Column)
		}
		if !slices.Contains(where, "events.name") || !slices.Contains(where, "events.contact_email") || !slices.Contains(where, "events.theme") {
			t.Errorf("FindTraces found %v, want events.name, events.contact_email and events.theme (a name beyond ASCII) among them", traces)
		}
		if none := must(s.FindTraces(ctx, "nergens-te-vinden")); len(none) != 0 {
			t.Errorf("FindTraces of an absent text found %v", none)
		}
	})
}
