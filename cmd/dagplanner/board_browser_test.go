package main

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ambtenaar20/dagplanner/browsertest"
)

// TestBoardAccessibility runs axe-core on the board in Dutch and English, at desktop and
// phone width, with problems on it (a speaker in Zwolle and Rotterdam at once) and after a
// refused move.
func TestBoardAccessibility(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	srv := startDemo(t)
	password := demoPassword(t, srv.Out.String())
	c := newClient(t)
	login(t, c, srv.URL, demoEmail, password)
	_, dashboard := get(t, c, srv.URL, "/beheer")
	var venues []string
	for _, m := range regexp.MustCompile(`href="/beheer/rooster/(\d+)"`).FindAllStringSubmatch(dashboard, -1) {
		venues = append(venues, m[1])
	}
	if len(venues) < 2 {
		t.Fatalf("dashboard links to %d boards, want 2", len(venues))
	}
	// A room of its own in each venue, and one speaker in both at the first slot.
	var rooms, slots []string
	for _, v := range venues {
		if status, body := postForm(t, c, srv.URL, "/beheer/locaties/"+v+"/zalen/nieuw", url.Values{"name": {"Kelder"}, "capacity": {"12"}}); status != http.StatusOK {
			t.Fatalf("add a room: status %d\n%s", status, body)
		}
		_, page := get(t, c, srv.URL, "/beheer/locaties/"+v)
		rooms = append(rooms, firstMatch(t, regexp.MustCompile(`href="/beheer/zalen/(\d+)">Kelder<`), page, "the new room"))
		slots = append(slots, firstMatch(t, regexp.MustCompile(`href="/beheer/tijdvakken/(\d+)"`), page, "a slot"))
	}
	for i, v := range venues {
		status, body := postForm(t, c, srv.URL, "/beheer/sessies/nieuw", url.Values{"title": {"Dubbel <b>" + v + "</b>"}, "format": {"workshop"},
			"slot_count": {"1"}, "venue": {v}, "room": {rooms[i]}, "slot": {slots[i]}, "speakers": {"Sanne Spreker; Gemeente"}})
		if status != http.StatusOK {
			t.Fatalf("add a session: status %d\n%s", status, body)
		}
	}
	board := "/beheer/rooster/" + venues[0]
	if _, body := get(t, c, srv.URL, board); !strings.Contains(body, "Sanne Spreker") || !strings.Contains(body, `class="board-problem"`) {
		t.Fatalf("the board shows no problem with Sanne Spreker")
	}

	ctx := browsertest.New(t)
	for _, lang := range []string{"nl", "en"} {
		t.Run(lang, func(t *testing.T) {
			setLanguage(t, ctx, srv.URL, lang)
			signIn(t, ctx, srv.URL, demoEmail, password, `main a[href="/beheer/sessies"]`)
			for _, v := range venues {
				browsertest.AssertNoAxeViolations(t, ctx, srv.URL+"/beheer/rooster/"+v)
				assertLang(t, ctx, "board", lang)
			}
			// A refused move: the other Kelder's session into this Kelder's taken cell.
			navigate(t, ctx, srv.URL+board)
			_, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[bool](`(() => {
				const cell = 'cel-`+rooms[0]+`-`+slots[0]+`';
				const taken = document.getElementById(cell).getAttribute('data-place');
				const other = [...document.querySelectorAll('[data-move-form]')].find(f => !f.closest('#' + cell));
				other.querySelector('select').value = taken;
				setTimeout(() => other.submit(), 0);
				return true;
			})()`))
			if err == nil {
				err = chromedp.Do(timeout(ctx), chromedp.WaitVisible(".error-summary"))
			}
			if err != nil {
				t.Fatalf("submit a move into a taken room: %v", err)
			}
			browsertest.AssertNoAxeViolationsHere(t, ctx, "board with a refused move")
		})
	}

	t.Run("phone", func(t *testing.T) {
		phone := browsertest.NewWithSize(t, 390, 844)
		for _, lang := range []string{"nl", "en"} {
			setLanguage(t, phone, srv.URL, lang)
			signIn(t, phone, srv.URL, demoEmail, password, `main a[href="/beheer/sessies"]`)
			browsertest.AssertNoAxeViolations(t, phone, srv.URL+board)
			assertLang(t, phone, "board", lang)
		}
	})
}

// TestBoardDragAndDrop drags a session card onto a free room and time in Chromium: the board's
// script fills in the card's move form and submits it, and the session is then there.
func TestBoardDragAndDrop(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	srv := startDemo(t)
	password := demoPassword(t, srv.Out.String())
	c := newClient(t)
	login(t, c, srv.URL, demoEmail, password)
	_, dashboard := get(t, c, srv.URL, "/beheer")
	venue := firstMatch(t, regexp.MustCompile(`href="/beheer/rooster/(\d+)"`), dashboard, "a board")
	// A room of its own with a session nobody has booked yet in its first slot.
	if status, body := postForm(t, c, srv.URL, "/beheer/locaties/"+venue+"/zalen/nieuw", url.Values{"name": {"Zolder"}, "capacity": {"20"}}); status != http.StatusOK {
		t.Fatalf("add a room: status %d\n%s", status, body)
	}
	_, page := get(t, c, srv.URL, "/beheer/locaties/"+venue)
	room := firstMatch(t, regexp.MustCompile(`href="/beheer/zalen/(\d+)">Zolder<`), page, "the new room")
	slots := regexp.MustCompile(`href="/beheer/tijdvakken/(\d+)"`).FindAllStringSubmatch(page, -1)
	if len(slots) < 2 {
		t.Fatalf("the venue has %d slots, want at least 2", len(slots))
	}
	if status, body := postForm(t, c, srv.URL, "/beheer/sessies/nieuw", url.Values{"title": {"Sleep mij"}, "format": {"workshop"},
		"slot_count": {"1"}, "venue": {venue}, "room": {room}, "slot": {slots[0][1]}}); status != http.StatusOK {
		t.Fatalf("add a session: status %d\n%s", status, body)
	}
	target := "cel-" + room + "-" + slots[1][1]

	ctx := browsertest.New(t)
	signIn(t, ctx, srv.URL, demoEmail, password, `main a[href="/beheer/sessies"]`)
	navigate(t, ctx, srv.URL+"/beheer/rooster/"+venue)
	// Drag the card onto the room's next slot, with the events a mouse drag fires.
	id, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[string](`(() => {
		const card = [...document.querySelectorAll('[data-session]')].find(el => el.textContent.includes('Sleep mij'));
		const cell = document.getElementById('`+target+`');
		const dt = new DataTransfer();
		card.dispatchEvent(new DragEvent('dragstart', {bubbles: true, dataTransfer: dt}));
		cell.dispatchEvent(new DragEvent('dragover', {bubbles: true, cancelable: true, dataTransfer: dt}));
		setTimeout(() => cell.dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: dt})), 0);
		return card.getAttribute('data-session');
	})()`))
	if err != nil || id == "" {
		t.Fatalf("drag the card onto %s: %v", target, err)
	}
	// The drop submits the move; the board as the server then draws it has the session in
	// that cell, and the browser is back on the board with the outcome.
	var cell string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		_, page := get(t, c, srv.URL, "/beheer/rooster/"+venue)
		cell = regexp.MustCompile(`(?s)<td id="` + target + `".*?</td>`).FindString(page)
		if strings.Contains(cell, `id="sessie-`+id+`"`) {
			break
		}
	}
	if !strings.Contains(cell, `id="sessie-`+id+`"`) {
		t.Fatalf("after the drop, cell %s does not hold session %s:\n%s", target, id, cell)
	}
	if err := chromedp.Do(timeout(ctx), chromedp.WaitVisible(`.utrecht-alert--ok`)); err != nil {
		t.Errorf("the browser does not show the outcome of the move: %v", err)
	}
}
