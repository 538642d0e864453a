package main

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
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
	t.Parallel()
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
	t.Parallel()
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

// TestBoardLayout: on a wide screen the board shows every room of the biggest venue within
// the page, with the room headers and times kept in view while its region scrolls; on a
// phone the page never scrolls sideways and each slot is a list naming its rooms.
func TestBoardLayout(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	t.Parallel()
	srv := startDemo(t)
	password := demoPassword(t, srv.Out.String())
	c := newClient(t)
	login(t, c, srv.URL, demoEmail, password)
	_, dashboard := get(t, c, srv.URL, "/beheer")
	// The board with the most rooms.
	board, most := "", 0
	for _, m := range regexp.MustCompile(`href="(/beheer/rooster/\d+)"`).FindAllStringSubmatch(dashboard, -1) {
		_, page := get(t, c, srv.URL, m[1])
		if n := strings.Count(page, `<th scope="col">`) - 1; n > most {
			board, most = m[1], n
		}
	}
	if most < 7 {
		t.Fatalf("the demo's biggest venue has %d rooms, want at least 7", most)
	}
	shots := os.Getenv("DAGPLANNER_SCREENSHOTS")

	t.Run("wide", func(t *testing.T) {
		ctx := browsertest.NewWithSize(t, 1920, 1080)
		signIn(t, ctx, srv.URL, demoEmail, password, `main a[href="/beheer/sessies"]`)
		navigate(t, ctx, srv.URL+board)
		// Every room header lies within the window and within the grid's region, unscrolled.
		outside, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[[]string](`(() => {
			const region = document.querySelector('.board-grid').getBoundingClientRect();
			return [...document.querySelectorAll('.board-table thead th')]
				.filter(th => { const r = th.getBoundingClientRect(); return r.right > Math.min(innerWidth, region.right) + 1 || r.width < 1; })
				.map(th => th.textContent.trim());
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		if len(outside) > 0 {
			t.Errorf("at 1920 px, room headers outside the page: %q", outside)
		}
		// Scrolled down and sideways inside its region, the headers and times stay in view.
		stuck, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[[]float64](`new Promise(done => {
			const grid = document.querySelector('.board-grid');
			grid.style.maxHeight = '20rem';
			grid.scrollTop = 200; grid.scrollLeft = 200;
			requestAnimationFrame(() => requestAnimationFrame(() => {
				const region = grid.getBoundingClientRect();
				const head = document.querySelector('.board-table thead th:nth-child(2)').getBoundingClientRect();
				const time = document.querySelector('.board-table tbody tr:last-child th').getBoundingClientRect();
				done([grid.scrollTop, head.top - region.top, time.left - region.left]);
			}));
		})`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		if stuck[0] == 0 || stuck[1] < -1 || stuck[1] > 2 || stuck[2] < -1 || stuck[2] > 2 {
			t.Errorf("scrolled by %v px: room header %v px and time column %v px from the region's edge, want both at the edge", stuck[0], stuck[1], stuck[2])
		}
		if shots != "" {
			navigate(t, ctx, srv.URL+board)
			if _, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[bool](`(scrollTo({top: document.getElementById('rooster').getBoundingClientRect().top + scrollY, behavior: 'instant'}), true)`)); err != nil {
				t.Fatal(err)
			}
			viewportScreenshot(t, ctx, filepath.Join(shots, "board-1920.png"))
		}
	})

	t.Run("phone", func(t *testing.T) {
		phone := browsertest.NewWithSize(t, 390, 844)
		signIn(t, phone, srv.URL, demoEmail, password, `main a[href="/beheer/sessies"]`)
		navigate(t, phone, srv.URL+board)
		widths, err := chromedp.Run(timeout(phone), chromedp.Evaluate[[]float64](`[document.documentElement.scrollWidth, innerWidth,
			[...document.querySelectorAll('.board-cell__room, .board-cell__free')].filter(e => e.getBoundingClientRect().width > 20).length]`))
		if err != nil {
			t.Fatal(err)
		}
		if widths[0] > widths[1] {
			t.Errorf("at 390 px the page is %v px wide, want at most %v", widths[0], widths[1])
		}
		if widths[2] == 0 {
			t.Error("on a phone the slots do not name their rooms")
		}
		assertNoSidewaysScroll(t, phone, "board")
		if shots != "" {
			if _, err := chromedp.Run(timeout(phone), chromedp.Evaluate[bool](`(scrollTo({top: document.getElementById('rooster').getBoundingClientRect().top + scrollY, behavior: 'instant'}), true)`)); err != nil {
				t.Fatal(err)
			}
			viewportScreenshot(t, phone, filepath.Join(shots, "board-390.png"))
			browsertest.Screenshot(t, phone, filepath.Join(shots, "board-390-full.png"))
		}
	})
}
