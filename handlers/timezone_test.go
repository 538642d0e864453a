package handlers

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// TestTimesInTheEventsZone runs an event on Curaçao (UTC−4; Amsterdam is five hours later
// in February): the slot form and the door's answers show the island's clock.
func TestTimesInTheEventsZone(t *testing.T) {
	ctx := modelstest.Ctx()
	store := modelstest.SQLite(t)
	now := time.Date(2027, 2, 3, 13, 50, 0, 0, time.UTC) // 09:50 on Curaçao
	store.SetClock(func() time.Time { return now })
	event, err := store.CreateEvent(ctx, models.EventInput{Name: "Dag van de Ambtenaar Curaçao", Date: "2027-02-03", Timezone: "America/Curacao"})
	if err != nil {
		t.Fatal(err)
	}
	venue, err := store.CreateVenue(ctx, event.ID, models.VenueInput{Slug: "willemstad", Name: "Regeringsgebouw",
		City: "Willemstad", Address: "Wilhelminaplein 1, Willemstad", Capacity: 100})
	if err != nil {
		t.Fatal(err)
	}
	slot, err := store.CreateSlot(ctx, venue.ID, models.SlotInput{Start: "10:00", End: "11:00"})
	if err != nil {
		t.Fatal(err)
	}
	reg, err := store.Register(ctx, models.RegistrationInput{Name: "Carla Smit", Email: "carla@example.cw", Organisation: "Land Curaçao",
		Venue: "willemstad", Consent: true})
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestServerWith(t, store, false)
	ts.loginAs(t, models.RoleAdmin, "")

	t.Run("slot form", func(t *testing.T) {
		resp, body := ts.get(t, fmt.Sprintf("/beheer/tijdvakken/%d", slot.ID))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d, want 200; body:\n%s", resp.StatusCode, body)
		}
		for _, want := range []string{`value="10:00"`, `value="11:00"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the slot form lacks %s (the island's clock); body:\n%s", want, body)
			}
		}
	})

	t.Run("door", func(t *testing.T) {
		_, token, err := store.CreateDeviceToken(ctx, models.DeviceTokenInput{Name: "Ingang", Role: models.RoleDoor, VenueSlug: "willemstad"})
		if err != nil {
			t.Fatal(err)
		}
		scan := func() CheckInJSON {
			t.Helper()
			resp, b := ts.apiCall(t, http.MethodPost, "/api/v1/checkins", fmt.Sprintf(`{"registration":%d}`, reg.Registration.ID), token)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d, want 200; body:\n%s", resp.StatusCode, b)
			}
			var out CheckInJSON
			if err := json.Unmarshal(b, &out); err != nil {
				t.Fatal(err)
			}
			return out
		}
		first := scan()
		if first.Result != models.CheckInAdmitted || first.CheckedInAt != "2027-02-03T09:50:00-04:00" {
			t.Errorf("first scan: %s at %s, want admitted at 2027-02-03T09:50:00-04:00", first.Result, first.CheckedInAt)
		}
		now = now.Add(5 * time.Minute)
		again := scan()
		if again.Result != models.CheckInAlreadyIn || again.FirstCheckedInAt != "2027-02-03T09:50:00-04:00" {
			t.Errorf("second scan: %s, first in at %s; want already in since 2027-02-03T09:50:00-04:00", again.Result, again.FirstCheckedInAt)
		}
		if !strings.Contains(again.Message, "09:50") {
			t.Errorf("second scan says %q, want the island's 09:50", again.Message)
		}
	})
}
