package handlers

import (
	"html"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// confirmedProposalSession submits a proposal through the API with a photo and a confirmed
// co-speaker, accepts and confirms it, and returns the (unplaced) session it became.
func confirmedProposalSession(t *testing.T, ts *testServer) (models.Session, models.Proposal) {
	t.Helper()
	ctx := modelstest.Ctx()
	pj := apiSubmit(t, ts, proposalBody(t, func(m map[string]any) {
		m["title"] = "Sessie met een gezicht"
		m["speaker"] = map[string]any{"name": "Femke Fotogeniek", "email": "femke.foto@example.nl",
			"organisation": "Gemeente Deventer", "bio": "Femke schrijft <b>beleid</b> in gewone taal."}
		m["co_speakers"] = []string{"co.spreker@example.nl"}
	}))
	p, err := ts.Store.Proposal(ctx, pj.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.Store.ConfirmCoSpeaker(ctx, p.CoSpeakers[0].ID, models.CoSpeakerInput{Name: "Cor Collega",
		Organisation: "Logius", Bio: "Cor gaf geen toestemming voor publicatie."}); err != nil {
		t.Fatal(err)
	}
	modelstest.Insert(t, ts.Store, &models.ProposalPhoto{ProposalID: p.ID, ContentType: "image/png", Data: []byte("png-bytes-of-femke")})
	modelstest.Update(t, ts.Store, &models.Proposal{}, modelstest.Where("id = ?", p.ID), map[string]any{"has_photo": true, "status": models.ProposalAccepted})
	if _, err := ts.Store.ConfirmProposal(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	se, err := ts.Store.SessionOfProposal(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return se, p
}

// placeInZwolle puts the session in a new room at Zwolle, in the first slot, keeping its speakers.
func placeInZwolle(t *testing.T, ts *testServer, se models.Session) models.Session {
	t.Helper()
	ctx := modelstest.Ctx()
	zwolle := testVenue(t, ts, "zwolle")
	room, err := ts.Store.CreateRoom(ctx, zwolle.ID, models.RoomInput{Name: "Fotozaal", Capacity: 30})
	if err != nil {
		t.Fatal(err)
	}
	in := models.SessionInput{Title: se.Title, Format: se.Format, Abstract: se.Abstract, VenueID: zwolle.ID,
		RoomID: room.ID, FirstSlotID: zwolle.Slots[0].ID, SlotCount: 1}
	for _, sp := range se.Speakers {
		in.Speakers = append(in.Speakers, models.SpeakerInput{Name: sp.Name, Organisation: sp.Organisation})
	}
	placed, err := ts.Store.UpdateSession(ctx, se.ID, in)
	if err != nil {
		t.Fatalf("place the session: %v", err)
	}
	return placed
}

// TestSessionPageShowsOnlyWhatTheProgrammeShows (#12 point 6): an unplaced session, and a
// placed one not yet in a published version, are 404 for the public, like an unknown id;
// an organiser sees them marked as not public. Once published, everyone sees the page.
func TestSessionPageShowsOnlyWhatTheProgrammeShows(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ctx := modelstest.Ctx()
	se, _ := confirmedProposalSession(t, ts)
	path := "/sessies/" + strconv.Itoa(int(se.ID))
	public := ts.newClient(t)
	getAs := func(c *http.Client, p string) (*http.Response, string) {
		saved := ts.Client
		ts.Client = c
		defer func() { ts.Client = saved }()
		return ts.get(t, p)
	}

	resp, body := getAs(public, path)
	wantStatus(t, resp, body, http.StatusNotFound)
	if strings.Contains(body, se.Title) {
		t.Errorf("the 404 for an unplaced session names it")
	}
	se = placeInZwolle(t, ts, se)
	resp, body = getAs(public, path)
	wantStatus(t, resp, body, http.StatusNotFound)

	ts.loginAs(t, models.RoleOrganiser, "")
	resp, body = ts.get(t, path)
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, "organiser's view of an unpublished session", body, se.Title, nlMsg(t, "session.not_public"))
	if strings.Contains(body, nlMsg(t, "session.register")) {
		t.Errorf("an unpublished session offers registration")
	}

	if _, err := ts.Store.PublishSchedule(ctx, se.EventID, nil); err != nil {
		t.Fatal(err)
	}
	resp, body = getAs(public, path)
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, "published session", body, se.Title)
	if strings.Contains(body, nlMsg(t, "session.not_public")) {
		t.Errorf("a published session is marked as not public")
	}
}

// TestSessionPageShowsConsentedSpeakerProfile (#12 point 23): the speaker who agreed to
// publish their bio and photo gets both, the photo with alt text; the co-speaker, who gave
// no such consent, is named without their bio; the photo route serves only that photo.
func TestSessionPageShowsConsentedSpeakerProfile(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ctx := modelstest.Ctx()
	se, _ := confirmedProposalSession(t, ts)
	se = placeInZwolle(t, ts, se)
	var femke, cor models.Speaker
	for _, sp := range se.Speakers {
		switch sp.Name {
		case "Femke Fotogeniek":
			femke = sp
		case "Cor Collega":
			cor = sp
		}
	}
	if femke.ID == 0 || cor.ID == 0 {
		t.Fatalf("speakers %+v: want Femke and Cor", se.Speakers)
	}
	photo := func(sp models.Speaker) string {
		return "/sessies/" + strconv.Itoa(int(se.ID)) + "/sprekers/" + strconv.Itoa(int(sp.ID)) + "/foto"
	}
	// Not published yet: not even the photo is public.
	resp, body := ts.get(t, photo(femke))
	wantStatus(t, resp, body, http.StatusNotFound)

	if _, err := ts.Store.PublishSchedule(ctx, se.EventID, nil); err != nil {
		t.Fatal(err)
	}
	resp, body = ts.get(t, "/sessies/"+strconv.Itoa(int(se.ID)))
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, "session page", body,
		`<img class="speaker__photo" src="`+photo(femke)+`" alt="`+nlMsg(t, "proposal.photo_alt", "Name", "Femke Fotogeniek")+`"`,
		"Femke schrijft &lt;b&gt;beleid&lt;/b&gt; in gewone taal.", "Cor Collega")
	if strings.Contains(body, "Cor gaf geen toestemming") || strings.Contains(body, photo(cor)) {
		t.Errorf("the co-speaker's bio or photo is published without consent")
	}

	resp, body = ts.get(t, photo(femke))
	wantStatus(t, resp, body, http.StatusOK)
	if body != "png-bytes-of-femke" || resp.Header.Get("Content-Type") != "image/png" {
		t.Errorf("photo got %q (%s), want Femke's PNG", body, resp.Header.Get("Content-Type"))
	}
	for _, p := range []string{photo(cor), "/sessies/" + strconv.Itoa(int(se.ID)) + "/sprekers/999999/foto", "/sessies/x/sprekers/1/foto"} {
		resp, body = ts.get(t, p)
		wantStatus(t, resp, body, http.StatusNotFound)
	}

	// A withdrawn consent (the proposal declined after all) publishes nothing.
	modelstest.Set(t, ts.Store, &models.Proposal{}, *se.ProposalID, "status", models.ProposalDeclined)
	resp, body = ts.get(t, photo(femke))
	wantStatus(t, resp, body, http.StatusNotFound)
}

// TestChoosingSessionsWithDetails (#12 point 21): every option of the registration form shows
// its speakers, its abstract in a <details> that opens without JavaScript and a link to its
// page; the session page's "Meld je aan" opens the form with that session chosen; the
// programme marks a full session "vol — wachtlijst" and shows the seats left of the others.
func TestChoosingSessionsWithDetails(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ctx := modelstest.Ctx()
	zwolle := testVenue(t, ts, "zwolle")
	sessions, err := ts.Store.SessionsOfVenue(ctx, zwolle.ID)
	if err != nil {
		t.Fatal(err)
	}
	var full, open models.Session
	for _, s := range sessions {
		if s.Abstract == "" || len(s.Speakers) == 0 || s.RoomID == nil || len(s.Slots) == 0 {
			continue // on the published programme only
		}
		if full.ID == 0 {
			full = s
		} else if open.ID == 0 && s.SeatsLeft() > 0 {
			open = s
		}
	}
	if open.ID == 0 {
		t.Fatal("the demo has too few Zwolle sessions with an abstract and speakers")
	}
	modelstest.Set(t, ts.Store, &models.Session{}, full.ID, "confirmed", full.Capacity())
	esc := html.EscapeString

	resp, body := ts.get(t, "/aanmelden/zwolle")
	wantStatus(t, resp, body, http.StatusOK)
	id := strconv.Itoa(int(open.ID))
	firstLine, _, _ := strings.Cut(open.Abstract, "\n")
	wantContains(t, "registration form", body,
		`<details class="choice-details">`, esc(firstLine), esc(open.Speakers[0].Name),
		`<a class="utrecht-link" href="/sessies/`+id+`">`)
	if strings.Contains(body, `value="`+id+`" checked`) {
		t.Fatalf("the form chooses session %s without being asked", id)
	}

	// The session page's action opens the form with the session chosen.
	resp, body = ts.get(t, "/sessies/"+id)
	wantStatus(t, resp, body, http.StatusOK)
	link := "/aanmelden/zwolle?sessie=" + id
	wantContains(t, "session page", body, `href="`+link+`#veld-slot-`, nlMsg(t, "session.register"))
	resp, body = ts.get(t, link)
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, "form from the session page", body, `value="`+id+`" checked`)
	if strings.Contains(body, `id="slot-`+strconv.Itoa(int(open.Slots[0].SlotID))+`-geen" name="slot-`+strconv.Itoa(int(open.Slots[0].SlotID))+`" value="" checked`) {
		t.Errorf("the slot of the chosen session still has 'no session' checked")
	}
	resp, body = ts.get(t, "/aanmelden/zwolle?sessie=999999")
	wantStatus(t, resp, body, http.StatusOK)

	// The published programme: the full session is marked, the open one shows its seats.
	resp, body = ts.get(t, "/programma/zwolle")
	wantStatus(t, resp, body, http.StatusOK)
	fullCard := cardOf(t, body, full.ID)
	openCard := cardOf(t, body, open.ID)
	if n := strings.Count(body, `href="/sessies/`+strconv.Itoa(int(full.ID))+`"`); n < 2 || strings.Count(body, nlMsg(t, "programme.full")) < n {
		t.Errorf("the full session is on the programme %d times (grid and list) but marked full %d times", n, strings.Count(body, nlMsg(t, "programme.full")))
	}
	if !strings.Contains(fullCard, nlMsg(t, "programme.full")) {
		t.Errorf("the full session's card lacks 'Vol — wachtlijst':\n%s", fullCard)
	}
	if want := dutch(t).T("venue.seats_left", "Count", open.SeatsLeft()); !strings.Contains(openCard, want) || strings.Contains(openCard, "Vol") {
		t.Errorf("the open session's card lacks %q:\n%s", want, openCard)
	}
}

// cardOf returns the first session card in body that links to the session.
func cardOf(t *testing.T, body string, id uint) string {
	t.Helper()
	at := strings.Index(body, `href="/sessies/`+strconv.Itoa(int(id))+`"`)
	if at < 0 {
		t.Fatalf("no card of session %d", id)
	}
	end := strings.Index(body[at:], "</article>")
	return body[at : at+end]
}
