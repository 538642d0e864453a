package models_test

import (
	"errors"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// TestEventContactAddress stores the organisers' contact address trimmed, changes and clears
// it, and refuses one that is not a plain address without changing the event.
func TestEventContactAddress(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		in := models.EventInput{Name: "Dag van de Test", Date: "2027-02-03", ContactEmail: " organisatie@gemeente.example "}
		e := must(s.CreateEvent(ctx, in))
		if got := must(s.CurrentEvent(ctx)).ContactEmail; got != "organisatie@gemeente.example" {
			t.Errorf("created with contact address %q, want organisatie@gemeente.example", got)
		}
		for _, bad := range []string{"organisatie@", "organisatie@gemeente", "Organisatie <organisatie@gemeente.example>",
			"a@gemeente.example, b@gemeente.example", "organisatie@gemeente.example\nBcc: x@y.example"} {
			in.ContactEmail = bad
			_, err := s.UpdateEvent(ctx, e.ID, in)
			var verr *models.ValidationError
			if !errors.As(err, &verr) || verr.Problems["contact_email"].Key != "form.invalid_email" {
				t.Errorf("UpdateEvent with contact address %q: got %v, want form.invalid_email on contact_email", bad, err)
			}
		}
		for _, want := range []string{"vragen@provincie.example", ""} {
			in.ContactEmail = want
			must(s.UpdateEvent(ctx, e.ID, in))
			if got := must(s.CurrentEvent(ctx)).ContactEmail; got != want {
				t.Errorf("after UpdateEvent: contact address %q, want %q", got, want)
			}
		}
	})
}
