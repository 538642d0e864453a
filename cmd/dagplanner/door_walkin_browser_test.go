package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"gorm.io/gorm"

	"github.com/ambtenaar20/dagplanner/browsertest"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// TestDoorWalkIn registers walk-ins from the scan page with the keyboard alone, through the
// real server: one let in (on the server, checked in at this door, in the page's list), one
// with a problem shown at its field, one refused because the venue is full, and the form
// disabled while offline; axe finds nothing in any of those states.
func TestDoorWalkIn(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	t.Parallel()
	db := demoDB(t, true)
	srv := startServer(t, "--db", db, "--demo")
	token := newDoorToken(t, db, "zwolle")
	ctx := browsertest.New(t)
	openDoor(t, ctx, srv.URL, token)
	waitJS(t, ctx, `navigator.serviceWorker.controller`, "the service worker to control the page")
	axe := func(what string) { browsertest.AssertNoAxeViolationsHere(t, ctx, "walk-in: "+what) }

	// Name, Tab, organisation, Enter: the keyboard alone.
	before := currentAnswer(t, ctx).Seq
	if err := chromedp.Do(doorStep(ctx), chromedp.Focus("#door-walkin-name"), chromedp.KeyEvent("Wanda Binnenloper"),
		chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent("Gemeente Kampen"), chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	got := nextAnswer(t, ctx, before)
	if got.Result != "admitted" || !strings.Contains(got.Text, "Welkom, Wanda Binnenloper") {
		t.Fatalf("walk-in: the page says %q (%s), want admitted", got.Text, got.Result)
	}
	waitJS(t, ctx, `document.getElementById('door-walkin-result').textContent.includes('Wanda Binnenloper is aangemeld en binnen')`, "the walk-in's result")
	waitJS(t, ctx, `document.activeElement.id === 'door-walkin-name' && document.getElementById('door-walkin-name').value === ''`, "an empty form, ready for the next")
	axe("admitted")
	var list struct {
		Attendees []listEntry `json:"attendees"`
	}
	if err := json.Unmarshal(fetch(t, srv.URL+"/api/v1/venues/zwolle/checkin-list", token), &list); err != nil {
		t.Fatal(err)
	}
	var wanda *listEntry
	for i, a := range list.Attendees {
		if a.Name == "Wanda Binnenloper" {
			wanda = &list.Attendees[i]
		}
	}
	if wanda == nil || wanda.CheckIn == nil || wanda.CheckIn.Door != doorName {
		t.Fatalf("the server's list has %+v for the walk-in, want checked in at %s", wanda, doorName)
	}
	waitJS(t, ctx, `dagplannerDoor.state.list.data.attendees.some(a => a.name === 'Wanda Binnenloper' && a.checkin)`, "the walk-in in the page's own list")

	// A problem: said at the field, which gets the focus.
	if err := chromedp.Do(doorStep(ctx), chromedp.Focus("#door-walkin-organisation"), chromedp.KeyEvent("Gemeente Kampen"),
		chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent("geen adres"), chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `!document.getElementById('door-walkin-name-error').hidden && document.getElementById('door-walkin-name').getAttribute('aria-invalid') === 'true'
		&& !document.getElementById('door-walkin-email-error').hidden && document.activeElement.id === 'door-walkin-name'`, "the problems at their fields")
	axe("problems")

	// Full: no places left.
	s, err := models.Open(modelstest.Ctx(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	modelstest.Update(t, s, &models.Venue{}, modelstest.Where("slug = ?", "zwolle"), map[string]any{"capacity": gorm.Expr("registered")})
	before = currentAnswer(t, ctx).Seq
	if _, err := chromedp.Run(doorStep(ctx), chromedp.Evaluate[bool](`document.getElementById('door-walkin-email').value = ''; document.getElementById('door-walkin-name').value = 'Te Laat'; true`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(doorStep(ctx), chromedp.Focus("#door-walkin-name"), chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	got = nextAnswer(t, ctx, before)
	if got.Result != "refused" || !strings.Contains(got.Text, "Geen plaatsen meer") {
		t.Errorf("walk-in at a full venue: the page says %q (%s), want refused, no places left", got.Text, got.Result)
	}
	axe("venue full")

	// Offline: the form says so and cannot be used.
	online := goOffline(t, ctx)
	waitJS(t, ctx, `document.getElementById('door-walkin-fields').disabled && !document.getElementById('door-walkin-offline').hidden`, "the walk-in form disabled offline")
	axe("offline")
	online()
	waitJS(t, ctx, `!document.getElementById('door-walkin-fields').disabled || dagplannerDoor.state.online === false`, "the form back online")

	if n := modelstest.Count(t, s, &models.Registration{}, modelstest.Where("name = ?", "Te Laat")); n != 0 {
		t.Errorf("the refused walk-in left %d registrations", n)
	}
}
