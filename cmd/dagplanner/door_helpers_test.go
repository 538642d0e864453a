package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/ambtenaar20/dagplanner/models/modelstest"
	"github.com/ambtenaar20/dagplanner/tickets/ticketstest"
)

// doorName is the door the tests pair their browsers with.
const doorName = "Ingang Oost"

// newDoorToken makes a device token for a door at venue with "dagplanner token add", as an
// organiser would on the server, while the server runs on the same database.
func newDoorToken(t testing.TB, db, venue string) string {
	t.Helper()
	var out bytes.Buffer
	args := []string{"token", "add", "--db", db, "--role", "door", "--venue", venue, "--name", doorName}
	if err := run(modelstest.Ctx(), args, envMap(nil), strings.NewReader(""), &out); err != nil {
		t.Fatalf("dagplanner %s: %v\n%s", strings.Join(args, " "), err, out.String())
	}
	token := strings.TrimSpace(out.String())
	if !strings.HasPrefix(token, "dpd_") || strings.ContainsAny(token, " \n") {
		t.Fatalf("token add printed %q, want one dpd_… token", out.String())
	}
	return token
}

// attendee is a registration made through the API, with what its paper ticket shows.
type attendee struct {
	ID      uint
	Name    string
	Payload string // the text of the ticket's QR code
	Manage  string // the token of the personal link, which also authorises the API
}

// registerAttendee registers name at venue, for the sessions given, through the JSON API and
// reads the QR code of the ticket PDF that the attendee downloads, as the door will see it.
func registerAttendee(t testing.TB, base, venue, name string, sessions ...int) attendee {
	t.Helper()
	email := strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.org"
	body, _ := json.Marshal(map[string]any{"name": name, "email": email, "organisation": "Gemeente " + name,
		"venue": venue, "sessions": append([]int{}, sessions...), "consent": true})
	resp, err := http.Post(base+"/api/v1/registrations", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatalf("POST /api/v1/registrations: %v", err)
	}
	defer resp.Body.Close()
	var reg struct {
		ID          uint   `json:"id"`
		ManageToken string `json:"manage_token"`
	}
	if resp.StatusCode != http.StatusCreated {
		text, _ := io.ReadAll(resp.Body)
		t.Fatalf("register %s = %d, want 201\n%s", name, resp.StatusCode, text)
	}
	if err := json.NewDecoder(resp.Body).Decode(&reg); err != nil || reg.ID == 0 || reg.ManageToken == "" {
		t.Fatalf("register %s: no id or manage_token in the answer (%v)", name, err)
	}
	pdf := fetch(t, base+"/boeking/"+reg.ManageToken+"/ticket.pdf", "")
	payload := ticketstest.DecodeQR(t, ticketstest.Rasterise(t, pdf, 1, 150))
	if !strings.HasPrefix(payload, "DP1") {
		t.Fatalf("the ticket of %s holds QR text %q, want a DP1 payload", name, payload)
	}
	return attendee{ID: reg.ID, Name: name, Payload: payload, Manage: reg.ManageToken}
}

// openSession is a session of a venue with seats left, as the public API lists it.
type openSession struct {
	ID    int    `json:"id"`
	Title string `json:"title"`
	Room  struct {
		Name string `json:"name"`
	} `json:"room"`
	Start     time.Time `json:"start"`
	Remaining int       `json:"remaining"`
}

// firstOpenSession returns the earliest session at venue that has seats left.
func firstOpenSession(t testing.TB, base, venue string) openSession {
	t.Helper()
	var all []openSession
	if err := json.Unmarshal(fetch(t, base+"/api/v1/venues/"+venue+"/sessions", ""), &all); err != nil {
		t.Fatal(err)
	}
	var first *openSession
	for i, s := range all {
		if s.Remaining > 0 && s.Room.Name != "" && (first == nil || s.Start.Before(first.Start)) {
			first = &all[i]
		}
	}
	if first == nil {
		t.Fatalf("no session with seats left at %s", venue)
	}
	return *first
}

// cancelRegistration cancels through the API with the registration's own link token.
func cancelRegistration(t testing.TB, base string, id uint, manageToken string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodDelete, fmt.Sprintf("%s/api/v1/registrations/%d", base, id), nil)
	req.Header.Set("Authorization", "Bearer "+manageToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("cancel registration %d = %d, want 204", id, resp.StatusCode)
	}
}

// fetch GETs url, with a device token when one is given, and fails the test unless it is 200.
func fetch(t testing.TB, url, token string) []byte {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := (&http.Client{Timeout: 60 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d (%v), want 200\n%.500s", url, resp.StatusCode, err, b)
	}
	return b
}

// listEntry is one attendee of the door's check-in list as the server has it now.
type listEntry struct {
	ID      uint   `json:"id"`
	Status  string `json:"status"`
	Code    string `json:"code"`
	Name    string `json:"name"`
	CheckIn *struct {
		ID   uint   `json:"id"`
		Door string `json:"door"`
	} `json:"checkin"`
}

// serverEntry asks the server, not the browser, about one registration in zwolle's list.
func serverEntry(t testing.TB, base, token string, id uint) listEntry {
	t.Helper()
	var list struct {
		Attendees []listEntry `json:"attendees"`
	}
	if err := json.Unmarshal(fetch(t, base+"/api/v1/venues/zwolle/checkin-list", token), &list); err != nil {
		t.Fatalf("read the check-in list: %v", err)
	}
	for _, a := range list.Attendees {
		if a.ID == id {
			return a
		}
	}
	t.Fatalf("registration %d is not in zwolle's check-in list", id)
	return listEntry{}
}

// writeY4M writes a short YUV4MPEG2 video of text's QR code, black on white, as Chromium's
// fake camera plays it (in a loop): 640×480, 4:2:0, grey (U and V at 128).
func writeY4M(t testing.TB, text string) string {
	t.Helper()
	const w, h = 640, 480
	qr, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	bits := qr.Bitmap() // with the quiet zone
	scale := (h - 40) / len(bits)
	left, top := (w-scale*len(bits))/2, (h-scale*len(bits))/2
	luma := bytes.Repeat([]byte{235}, w*h)
	for y, row := range bits {
		for x, dark := range row {
			if !dark {
				continue
			}
			for dy := range scale {
				for dx := range scale {
					luma[(top+y*scale+dy)*w+left+x*scale+dx] = 16
				}
			}
		}
	}
	chroma := bytes.Repeat([]byte{128}, w*h/2)
	path := filepath.Join(t.TempDir(), "ticket.y4m")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	bw := bufio.NewWriter(f)
	fmt.Fprintf(bw, "YUV4MPEG2 W%d H%d F10:1 Ip A1:1 C420jpeg\n", w, h)
	for range 10 {
		bw.WriteString("FRAME\n")
		bw.Write(luma)
		bw.Write(chroma)
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// doorAnswer is what the scan page shows after a scan.
type doorAnswer struct {
	Seq    int    `json:"seq"`
	Result string `json:"result"` // data-result: admitted, warning, refused, info or ready
	Text   string `json:"text"`
}

const readAnswer = `(a => ({seq: +(a.dataset.seq || 0), result: a.dataset.result, text: a.textContent.replace(/\s+/g, ' ').trim()}))(document.getElementById('door-answer'))`

// currentAnswer reads the answer on screen.
func currentAnswer(t testing.TB, ctx context.Context) doorAnswer {
	t.Helper()
	a, err := chromedp.Run(doorStep(ctx), chromedp.Evaluate[doorAnswer](readAnswer))
	if err != nil {
		t.Fatalf("read the answer: %v", err)
	}
	return a
}

// nextAnswer waits until the page shows an answer after the one numbered after.
func nextAnswer(t testing.TB, ctx context.Context, after int) doorAnswer {
	t.Helper()
	waitJS(t, ctx, fmt.Sprintf(`+(document.getElementById('door-answer').dataset.seq || 0) > %d`, after), "a new answer")
	return currentAnswer(t, ctx)
}

// waitJS waits, generously, until the expression is true in the page.
func waitJS(t testing.TB, ctx context.Context, expr, what string) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		ok, err := chromedp.Run(doorStep(ctx), chromedp.Evaluate[bool](`!!(`+expr+`)`))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			a, _ := chromedp.Run(doorStep(ctx), chromedp.Evaluate[string](`document.getElementById('door') ? document.getElementById('door').innerText : document.body.innerText`))
			t.Fatalf("waited 90s for %s (%s): %v\nthe page shows:\n%s", what, expr, err, a)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// doorStep bounds one browser call.
func doorStep(ctx context.Context) context.Context {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	context.AfterFunc(ctx, cancel)
	return ctx
}

// scanReady is true once the scan page is paired and holds the check-in list and the keys.
const scanReady = `document.getElementById('door').dataset.state === 'scan' && window.dagplannerDoor && dagplannerDoor.state.list && dagplannerDoor.state.keys.length > 0`

// openDoor loads the scan page in Dutch, paired through the pairing link, and waits until it
// is ready.
func openDoor(t testing.TB, ctx context.Context, base, token string) {
	t.Helper()
	err := chromedp.Do(doorStep(ctx), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		// The language switch's cookie; the browser itself asks for English.
		_, err := cdp.Call(ctx, tg, network.SetCookie, network.SetCookieParams{Name: "lang", Value: "nl", URL: base + "/"})
		return err
	}))
	if err != nil {
		t.Fatalf("set the lang cookie: %v", err)
	}
	if err := chromedp.Do(doorStep(ctx), chromedp.Navigate(base+"/deur#token="+token)); err != nil {
		t.Fatalf("open the scan page: %v", err)
	}
	waitJS(t, ctx, scanReady, "the paired scan page with its list")
	if loc, err := chromedp.Run(doorStep(ctx), chromedp.Location()); err != nil || strings.Contains(loc, "token") {
		t.Errorf("after pairing the address is %q (%v), want the token taken out of it", loc, err)
	}
}

// typeCode types text into the code field and presses Enter, as a handheld scanner does, and
// returns the answer that follows.
func typeCode(t testing.TB, ctx context.Context, text string) doorAnswer {
	t.Helper()
	before := currentAnswer(t, ctx).Seq
	if err := chromedp.Do(doorStep(ctx), chromedp.Focus("#door-code"), chromedp.SendKeys("#door-code", text+"\r")); err != nil {
		t.Fatalf("type %q into the code field: %v", text, err)
	}
	return nextAnswer(t, ctx, before)
}

// legacyConditions are the parameters of Network.emulateNetworkConditions, which cdproto no
// longer lists but Chromium still runs. It is the one that takes a service worker offline:
// emulateNetworkConditionsByRule, sent to the worker, leaves its fetches alone.
type legacyConditions struct {
	Offline            bool    `json:"offline"`
	Latency            float64 `json:"latency"`
	DownloadThroughput float64 `json:"downloadThroughput"`
	UploadThroughput   float64 `json:"uploadThroughput"`
}

var emulateNetworkConditions = cdp.Command[legacyConditions, cdp.Empty]{Method: "Network.emulateNetworkConditions"}

// goOffline switches the browser's network off for the page (its requests fail and
// navigator.onLine is false) and for its service worker, a target with its own network, and
// returns the function that switches it on again. The test stays attached to the worker
// while it is offline: the emulation lasts as long as that session, and DevTools keeps the
// worker from being stopped for idleness meanwhile.
func goOffline(t testing.TB, ctx context.Context) (online func()) {
	t.Helper()
	page := func(offline bool) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			if _, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{}); err != nil {
				return err
			}
			_, err := cdp.Call(ctx, tg, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
				EmulateOfflineServiceWorker: &offline,
				MatchedNetworkConditions:    []*network.Conditions{{Offline: offline, DownloadThroughput: -1, UploadThroughput: -1}},
			})
			if err != nil {
				return fmt.Errorf("emulate network conditions: %w", err)
			}
			// navigator.onLine and the online and offline events.
			_, err = cdp.Call(ctx, tg, network.OverrideNetworkState, network.OverrideNetworkStateParams{
				Offline: offline, DownloadThroughput: -1, UploadThroughput: -1})
			return err
		})
	}
	worker := func(offline bool) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			if _, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{}); err != nil {
				return err
			}
			_, err := cdp.Call(ctx, tg, emulateNetworkConditions, legacyConditions{Offline: offline, DownloadThroughput: -1, UploadThroughput: -1})
			return err
		})
	}

	targets, err := chromedp.Targets(doorStep(ctx))
	if err != nil {
		t.Fatal(err)
	}
	var workers []context.Context
	var detach []context.CancelFunc
	for _, ti := range targets {
		if ti.Type != "service_worker" {
			continue
		}
		sw, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(ti.TargetID), chromedp.WithDetachOnCancel())
		detach = append(detach, cancel)
		if err := chromedp.Do(doorStep(sw), worker(true)); err != nil {
			t.Fatalf("take the service worker offline: %v", err)
		}
		workers = append(workers, sw)
	}
	if len(workers) == 0 {
		t.Fatal("go offline: no service worker is running")
	}
	if err := chromedp.Do(doorStep(ctx), page(true)); err != nil {
		t.Fatalf("take the page offline: %v", err)
	}
	done := false
	back := func() {
		if done {
			return
		}
		done = true
		for i, sw := range workers {
			if err := chromedp.Do(doorStep(sw), worker(false)); err != nil {
				t.Errorf("bring the service worker online: %v", err)
			}
			detach[i]()
		}
		if err := chromedp.Do(doorStep(ctx), page(false)); err != nil {
			t.Fatalf("bring the page online: %v", err)
		}
	}
	t.Cleanup(func() {
		for _, cancel := range detach {
			cancel()
		}
	})
	return back
}

// waitingCount reads how many scans the page says wait to be sent.
func waitingCount(t testing.TB, ctx context.Context) int {
	t.Helper()
	s, err := chromedp.Run(doorStep(ctx), chromedp.Evaluate[string](`document.getElementById('door-waiting').dataset.count || '0'`))
	if err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(s)
	return n
}

// visible reports whether the element takes up space on the page (hidden ones do not).
func visible(t testing.TB, ctx context.Context, sel string) bool {
	t.Helper()
	v, err := chromedp.Run(doorStep(ctx), chromedp.Evaluate[bool](`(e => !!e && e.getClientRects().length > 0)(document.querySelector('`+sel+`'))`))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// startBenchServer is startServer for a benchmark: it runs the program with the demo on a
// fresh SQLite file and stops it when the benchmark ends. (startServer takes a *testing.T.)
func startBenchServer(b *testing.B, db string) string {
	b.Helper()
	ctx, cancel := context.WithCancel(modelstest.Ctx())
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--db", db, "--demo"}, envMap(nil), strings.NewReader(""), out)
	}()
	b.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			b.Errorf("run returned %v after the context ended, want nil", err)
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for {
		if m := listeningRE.FindStringSubmatch(out.String()); m != nil {
			return "http://" + m[1]
		}
		if time.Now().After(deadline) {
			b.Fatalf("the server did not start within 60s:\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
