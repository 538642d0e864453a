package handlers

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// The preference window the tests put the demo event in (issue #19): it opens before the
// demo's "today" (testNow), closes a week later, and the seats are allocated the day after.
var (
	rankOpens   = time.Date(2026, time.November, 20, 8, 0, 0, 0, time.UTC)
	rankCloses  = time.Date(2026, time.November, 29, 17, 0, 0, 0, time.UTC)
	rankAlloc   = time.Date(2026, time.November, 30, 8, 0, 0, 0, time.UTC)
	rankSeed    = "Staatsloterij-2026-11-28"
	rankAllocNL = "maandag 30 november 2026, 09:00"
)

// rankingMode puts the demo event in preference mode with the window above, and the
// store's clock at now.
func rankingMode(t *testing.T, ts *testServer, now time.Time) {
	t.Helper()
	modelstest.Update(t, ts.Store, &models.Event{}, modelstest.Where("id = ?", testEvent(t, ts).ID), map[string]any{
		"signup_mode": models.SignupPreferences, "preferences_open_at": rankOpens, "preferences_close_at": rankCloses,
		"allocation_at": rankAlloc, "allocation_seed": rankSeed, "preference_ranks": 3,
	})
	ts.Store.SetClock(func() time.Time { return now })
}

// msgIn is a message as a page in lang shows it: HTML-escaped.
func msgIn(t *testing.T, lang, key string, args ...any) string {
	t.Helper()
	c, err := nlCatalog()
	if err != nil {
		t.Fatal(err)
	}
	l, _ := locale.Parse(lang)
	tr := c.Translator(l)
	if !tr.Has(key) {
		t.Fatalf("message key %q is not in %s.toml", key, lang)
	}
	return html.EscapeString(tr.T(key, args...))
}

// slotSessions returns the sessions that start in each of the venue's slots, by slot id.
func slotSessions(t *testing.T, ts *testServer, slug string) (models.Venue, map[uint][]models.Session) {
	t.Helper()
	v, ss := venueSessions(t, ts, slug)
	out := map[uint][]models.Session{}
	for _, s := range ss {
		if len(s.Slots) > 0 {
			out[s.Slots[0].SlotID] = append(out[s.Slots[0].SlotID], s)
		}
	}
	return v, out
}

// rankingValues is a complete register form with rankings: slot id → session ids per rank
// (0 leaves a drop-down on "none").
func rankingValues(name, email string, rows map[uint][]uint) url.Values {
	f := registrationValues(name, email, nil)
	for slot, row := range rows {
		for i, id := range row {
			if id != 0 {
				f.Set(rankField(slot, i+1), idString(id))
			}
		}
	}
	return f
}

// chosenIn reports whether the drop-down field of body has session id selected.
func chosenIn(body, field string, id uint) bool {
	_, sel, _ := strings.Cut(body, `name="`+field+`"`)
	sel, _, _ = strings.Cut(sel, "</select>")
	return regexp.MustCompile(`<option value="` + idString(id) + `" lang="[a-z]+" selected>`).MatchString(sel)
}

func TestPreferenceFormShowsRankings(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	rankingMode(t, ts, testNow)
	venue, bySlot := slotSessions(t, ts, "zwolle")
	two := twoSlotSessionAt(t, ts, "zwolle")
	for _, lang := range []string{"nl", "en"} {
		t.Run(lang, func(t *testing.T) {
			resp, body := ts.get(t, "/aanmelden/zwolle", "Accept-Language", lang)
			wantStatus(t, resp, body, http.StatusOK)
			wantContains(t, "explanation", body, msgIn(t, lang, "ranking.intro"), rankSeed, `name="name"`,
				msgIn(t, lang, "ranking.rank_1"), msgIn(t, lang, "ranking.rank_3"))
			if lang == "nl" {
				wantContains(t, "explanation", body, nlMsg(t, "ranking.fair", "When", rankAllocNL))
			}
			if strings.Contains(body, `name="slot-`) || strings.Contains(body, "seats.js") {
				t.Error("preference form: got first-come-first-served radio buttons or live seats, want only rankings")
			}
			if strings.Contains(body, msgIn(t, lang, "ranking.rank_4")) {
				t.Error("preference form: got a 4th choice, want 3 (the event's ranks)")
			}
			for _, sl := range venue.Slots {
				wantContains(t, "slot", body, `id="veld-preferences.`+idString(sl.ID)+`"`)
				for r := 1; r <= 3; r++ {
					field := rankField(sl.ID, r)
					wantContains(t, "slot", body, `<label class="utrecht-form-label" for="veld-`+field+`">`, `<select class="utrecht-select utrecht-select--html-select" id="veld-`+field+`" name="`+field+`">`)
				}
				for _, s := range bySlot[sl.ID] {
					if got := strings.Count(body, `<option value="`+idString(s.ID)+`"`); got != 3 {
						t.Errorf("session %d in slot %d: got %d options, want one per rank (3)", s.ID, sl.ID, got)
					}
				}
			}
			if got, want := strings.Count(body, `<option value="">`+msgIn(t, lang, "ranking.none")+`</option>`), 3*len(venue.Slots); got != want {
				t.Errorf("%q options: got %d, want %d (one per drop-down)", msgIn(t, lang, "ranking.none"), got, want)
			}
			// A two-slot session is ranked in its first slot only, and says how long it runs.
			wantContains(t, "two-slot session", body, msgIn(t, lang, "ranking.two_slots", "Ends", two.EndsAt().In(amsterdam(t)).Format("15:04")))
			if n := errorMessages(body); n != 0 {
				t.Errorf("fresh form: got %d error messages, want none", n)
			}
			wantTranslated(t, "preference form", body)
		})
	}
	// From a session's page ("?sessie=ID") the form opens with that session as first choice.
	s := bySlot[venue.Slots[1].ID][1]
	_, body := ts.get(t, "/aanmelden/zwolle?sessie="+idString(s.ID))
	if !chosenIn(body, rankField(venue.Slots[1].ID, 1), s.ID) {
		t.Errorf("?sessie=%d: got it not chosen first in its slot", s.ID)
	}
}

func amsterdam(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestPreferenceFormErrorsKeepInput(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	rankingMode(t, ts, testNow)
	venue, bySlot := slotSessions(t, ts, "zwolle")
	first, second := venue.Slots[0].ID, venue.Slots[1].ID
	a, b := bySlot[first][0].ID, bySlot[second][0].ID
	regs := registrationCount(t, ts)
	// A gap in the first slot (nothing first, a second choice), the same session twice in
	// the second, and no name.
	form := rankingValues("", uniqueEmail("voorkeur"), map[uint][]uint{first: {0, a}, second: {b, b}})
	form.Set("organisation", "Gemeente Voorkeurdorp")
	for _, lang := range []string{"nl", "en"} {
		t.Run(lang, func(t *testing.T) {
			resp, body := ts.postForm(t, "/aanmelden/zwolle", form, "Accept-Language", lang)
			wantStatus(t, resp, body, http.StatusUnprocessableEntity)
			wantContains(t, "errors", body, msgIn(t, lang, "ranking.gap"), msgIn(t, lang, "ranking.twice"),
				`href="#veld-preferences.`+idString(first)+`">`+venue.Slots[0].StartsAt.In(amsterdam(t)).Format("15:04")+"–"+venue.Slots[0].EndsAt.In(amsterdam(t)).Format("15:04")+": "+msgIn(t, lang, "ranking.gap"),
				`href="#veld-preferences.`+idString(second)+`"`, `href="#veld-name"`,
				`id="preferences.`+idString(first)+`-error"`, `aria-describedby="preferences.`+idString(second)+`-error"`,
				`value="Gemeente Voorkeurdorp"`)
			// What was chosen stays chosen, in the drop-down it was chosen in.
			for field, id := range map[string]uint{rankField(first, 2): a, rankField(second, 1): b, rankField(second, 2): b} {
				if !chosenIn(body, field, id) {
					t.Errorf("%s: got no session %d selected, want the posted choice kept", field, id)
				}
			}
			if i, j := strings.Index(body, "error-summary"), strings.Index(body, `href="#veld-preferences.`); i < 0 || j < i {
				t.Error("error summary: want it at the top, linking to the slots")
			}
			wantTranslated(t, "preference errors", body)
		})
	}
	if got := registrationCount(t, ts); got != regs {
		t.Errorf("registrations: got %d, want %d (nothing stored)", got, regs)
	}
}

func TestPreferenceWindowStates(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	rankingMode(t, ts, rankOpens.Add(-time.Hour))
	_, body := ts.get(t, "/aanmelden/zwolle")
	wantContains(t, "before the window", body, nlMsg(t, "ranking.opens_at", "When", "vrijdag 20 november 2026, 09:00"))
	if strings.Contains(body, `name="name"`) {
		t.Error("before the window: got the form, want only the notice")
	}
	// The list of venues leads to each venue's form, and says the seats are allocated.
	_, body = ts.get(t, "/aanmelden")
	wantContains(t, "the venue list", body, nlMsg(t, "register.choose_venue_preferences", "When", "maandag 30 november 2026, 09:00"),
		`href="/aanmelden/zwolle"`)

	ts.Store.SetClock(func() time.Time { return rankCloses.Add(time.Hour) })
	_, body = ts.get(t, "/aanmelden/zwolle", "Accept-Language", "en")
	wantContains(t, "after close", body, msgIn(t, "en", "ranking.allocation_follows", "When", "Monday 30 November 2026, 09:00"))
	if strings.Contains(body, `name="name"`) {
		t.Error("after close: got the form, want only the notice")
	}
	regs := registrationCount(t, ts)
	resp, body := ts.postForm(t, "/aanmelden/zwolle", rankingValues("Te Laat", uniqueEmail("laat"), nil))
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	wantContains(t, "post after close", body, nlMsg(t, "ranking.closed_now"))
	if got := registrationCount(t, ts); got != regs {
		t.Errorf("registrations after close: got %d, want %d", got, regs)
	}

	// An event that is first come, first served shows no rankings, whatever the window says.
	modelstest.Update(t, ts.Store, &models.Event{}, modelstest.All, map[string]any{"signup_mode": models.SignupFCFS})
	ts.Store.SetClock(func() time.Time { return testNow })
	_, body = ts.get(t, "/aanmelden/zwolle")
	if !strings.Contains(body, `name="slot-`) || strings.Contains(body, `name="voorkeur-`) {
		t.Error("first come, first served: want radio buttons per slot and no rankings")
	}
}

// TestPreferenceRegisterAndChange registers with rankings, sees them on the booking page,
// changes them there, and finds them read-only once the window has closed.
func TestPreferenceRegisterAndChange(t *testing.T) {
	t.Parallel()
	ctx := modelstest.Ctx()
	ts := newTestServer(t)
	rankingMode(t, ts, testNow)
	venue, bySlot := slotSessions(t, ts, "zwolle")
	first, second := venue.Slots[0].ID, venue.Slots[1].ID
	if len(bySlot[first]) < 2 || len(bySlot[second]) < 1 {
		t.Fatalf("demo at zwolle: want two sessions in the first slot and one in the second")
	}
	a, b, c := bySlot[first][0], bySlot[first][1], bySlot[second][0]

	token := registerByForm(t, ts, "zwolle", rankingValues("Rang Orde", uniqueEmail("rang"), map[uint][]uint{first: {a.ID, b.ID}, second: {c.ID}}))
	r := registrationOf(t, ts, token)
	wantRankings(t, ts, r.ID, models.Rankings{first: {a.ID, b.ID}, second: {c.ID}})
	if len(r.Bookings) != 0 {
		t.Errorf("bookings after ranking: got %d, want none before the allocation", len(r.Bookings))
	}

	resp, body := ts.get(t, "/boeking/"+token)
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, "booking page, window open", body, nlMsg(t, "ranking.yours"), `action="/boeking/`+token+`/voorkeuren"`,
		nlMsg(t, "ranking.allocation_at", "When", rankAllocNL))
	for field, id := range map[string]uint{rankField(first, 1): a.ID, rankField(first, 2): b.ID, rankField(second, 1): c.ID} {
		if !chosenIn(body, field, id) {
			t.Errorf("booking page %s: got no session %d selected, want the stored ranking", field, id)
		}
	}
	if strings.Contains(body, `action="/boeking/`+token+`/wijzigen"`) {
		t.Error("booking page in preference mode: got the first-come-first-served change form")
	}

	// A bad change keeps what was chosen and stores nothing.
	bad := url.Values{rankField(first, 1): {idString(b.ID)}, rankField(first, 2): {idString(b.ID)}}
	resp, body = ts.postForm(t, "/boeking/"+token+"/voorkeuren", bad)
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	wantContains(t, "bad change", body, nlMsg(t, "ranking.twice"), `href="#veld-preferences.`+idString(first)+`"`)
	wantRankings(t, ts, r.ID, models.Rankings{first: {a.ID, b.ID}, second: {c.ID}})

	good := url.Values{rankField(first, 1): {idString(b.ID)}, rankField(first, 2): {idString(a.ID)}}
	resp, body = ts.postForm(t, "/boeking/"+token+"/voorkeuren", good)
	wantStatus(t, resp, body, http.StatusSeeOther)
	wantRankings(t, ts, r.ID, models.Rankings{first: {b.ID, a.ID}})
	_, body = ts.get(t, "/boeking/"+token)
	wantContains(t, "after the change", body, nlMsg(t, "ranking.saved"))

	// After the window: read-only, in order, with the allocation date; a change is refused.
	ts.Store.SetClock(func() time.Time { return rankCloses.Add(time.Minute) })
	_, body = ts.get(t, "/boeking/"+token, "Accept-Language", "en")
	wantContains(t, "booking page, closed", body, msgIn(t, "en", "ranking.no_more_changes"),
		msgIn(t, "en", "ranking.allocation_at", "When", "Monday 30 November 2026, 09:00"))
	if strings.Contains(body, `/voorkeuren"`) {
		t.Error("booking page after close: got the change form, want the rankings read-only")
	}
	if i, j := strings.Index(body, html.EscapeString(b.TitleIn("en"))), strings.Index(body, html.EscapeString(a.TitleIn("en"))); i < 0 || j < 0 || i > j {
		t.Errorf("booking page after close: want %q before %q (the ranking's order)", b.TitleIn("en"), a.TitleIn("en"))
	}
	resp, body = ts.postForm(t, "/boeking/"+token+"/voorkeuren", good)
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	wantContains(t, "change after close", body, nlMsg(t, "ranking.closed_now"))

	// After the venue's allocation the pages are first come, first served again.
	modelstest.Insert(t, ts.Store, &models.Allocation{EventID: testEvent(t, ts).ID, VenueID: venue.ID,
		Seed: rankSeed, RanAt: rankAlloc, Report: "{}"})
	if _, err := ts.Store.Allocation(ctx, venue.ID); err != nil {
		t.Fatalf("the allocation just written: %v", err)
	}
	ts.Store.SetClock(func() time.Time { return rankAlloc.Add(time.Hour) })
	_, body = ts.get(t, "/boeking/"+token)
	wantContains(t, "booking page, allocated", body, nlMsg(t, "booking.programme"), `action="/boeking/`+token+`/wijzigen"`)
	_, body = ts.get(t, "/aanmelden/zwolle")
	if !strings.Contains(body, `name="slot-`) || strings.Contains(body, `name="voorkeur-`) {
		t.Error("register form after the allocation: want the first-come-first-served form for the seats left")
	}
}

// wantRankings checks a registration's stored rankings.
func wantRankings(t *testing.T, ts *testServer, regID uint, want models.Rankings) {
	t.Helper()
	got, err := ts.Store.Preferences(modelstest.Ctx(), regID)
	if err != nil {
		t.Fatalf("preferences of %d: %v", regID, err)
	}
	if len(got) != len(want) {
		t.Errorf("rankings: got %v, want %v", got, want)
		return
	}
	for slot, list := range want {
		if !slices.Equal(got[slot], list) {
			t.Errorf("rankings: got %v, want %v", got, want)
			return
		}
	}
}
