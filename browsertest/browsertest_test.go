package browsertest

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

const goodPage = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Programme</title></head>
<body>
<main>
  <h1>Programme</h1>
  <form action="/search">
    <label for="q">Search sessions</label>
    <input id="q" name="q" type="text">
    <button type="submit">Search</button>
  </form>
  <p style="color:#222;background:#fff">Welcome to the conference.</p>
</main>
</body>
</html>`

// badPage has three known WCAG violations: an image without alt text, an
// input without a label, and grey text on white (contrast 1.6:1).
const badPage = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Broken</title></head>
<body>
<main>
  <h1>Broken</h1>
  <img id="logo" src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==" width="40" height="40">
  <input id="nolabel" type="text" name="who">
  <p id="faint" style="color:#ddd;background:#fff">Hard to read text</p>
</main>
</body>
</html>`

const tallPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tall</title></head>
<body style="margin:0"><main><div style="height:2000px;background:#036">tall</div></main></body></html>`

func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	serve := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, body)
		}
	}
	mux.HandleFunc("/good", serve(goodPage))
	mux.HandleFunc("/bad", serve(badPage))
	mux.HandleFunc("/tall", serve(tallPage))
	mux.HandleFunc("/csp", func(w http.ResponseWriter, r *http.Request) {
		// A strict policy, as a real app sends: no inline or injected scripts.
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'")
		serve(goodPage)(w, r)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func ids(vs []Violation) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.ID)
	}
	return out
}

func find(vs []Violation, id string) *Violation {
	for i := range vs {
		if vs[i].ID == id {
			return &vs[i]
		}
	}
	return nil
}

func TestAxe(t *testing.T) {
	srv := newServer(t)
	ctx := New(t)

	t.Run("good page has no violations", func(t *testing.T) {
		vs := Axe(t, ctx, srv.URL+"/good")
		if vs == nil {
			t.Fatal("Axe returned nil, want an empty slice")
		}
		for _, v := range vs {
			t.Errorf("unexpected violation:\n%s", FormatViolation(srv.URL+"/good", v))
		}
		// Prove that axe really ran in the page, so that "no violations"
		// does not just mean "nothing happened".
		version, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.version`))
		if err != nil {
			t.Fatalf("axe.version: %v", err)
		}
		if version != "4.14.1" {
			t.Errorf("axe.version = %q, want 4.14.1", version)
		}
		AssertNoAxeViolations(t, ctx, srv.URL+"/good")
	})

	t.Run("page with a CSP still gets checked", func(t *testing.T) {
		AssertNoAxeViolations(t, ctx, srv.URL+"/csp")
	})

	t.Run("axe comes from its URL, so the browser keeps its compiled code", func(t *testing.T) {
		AssertNoAxeViolations(t, ctx, srv.URL+"/good")
		url, err := axeURL()
		if err != nil {
			t.Fatal(err)
		}
		fetched, err := chromedp.Run(ctx, chromedp.Evaluate[int](`performance.getEntriesByName(`+strconv.Quote(url)+`).length`))
		if err != nil {
			t.Fatal(err)
		}
		if fetched != 1 {
			t.Errorf("the page fetched %s %d times, want once", url, fetched)
		}
	})

	t.Run("a page whose CSP was in force still gets axe, from its source", func(t *testing.T) {
		fresh := New(t) // no check has yet switched the CSP off in this tab
		if err := chromedp.Do(fresh, chromedp.Navigate(srv.URL+"/csp"), chromedp.WaitReady("body")); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(fresh, chromedp.Evaluate[chromedp.Void](
			`document.querySelector('main').insertAdjacentHTML('beforeend', '<img id="added" src="data:,">')`)); err != nil {
			t.Fatal(err)
		}
		if v := find(AxeHere(t, fresh, "csp page, changed"), "image-alt"); v == nil {
			t.Error("AxeHere on a page loaded under its CSP: rule image-alt not reported")
		}
	})

	t.Run("bad page reports its violations", func(t *testing.T) {
		vs := Axe(t, ctx, srv.URL+"/bad")
		t.Logf("violations: %v", ids(vs))

		want := map[string]string{ // rule id -> id attribute of the failing element
			"image-alt":      "#logo",
			"label":          "#nolabel",
			"color-contrast": "#faint",
		}
		for rule, sel := range want {
			v := find(vs, rule)
			if v == nil {
				t.Errorf("rule %q not reported; got %v", rule, ids(vs))
				continue
			}
			if v.Help == "" || v.Impact == "" || v.HelpURL == "" {
				t.Errorf("rule %q: empty help/impact/helpUrl: %+v", rule, *v)
			}
			found := false
			for _, n := range v.Nodes {
				if slices.Contains(n.Target, sel) {
					found = true
					if !strings.Contains(n.HTML, strings.TrimPrefix(sel, "#")) {
						t.Errorf("rule %q: html snippet %q does not show %s", rule, n.HTML, sel)
					}
				}
			}
			if !found {
				t.Errorf("rule %q: no node with target %s in %+v", rule, sel, v.Nodes)
			}
		}
	})

	t.Run("AxeHere checks the page as it stands, without reloading it", func(t *testing.T) {
		if vs := Axe(t, ctx, srv.URL+"/good"); len(vs) != 0 {
			t.Fatalf("good page: got %v, want no violations", ids(vs))
		}
		// Change the page in place: only a check of the page as it stands can see this.
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](
			`document.querySelector('main').insertAdjacentHTML('beforeend', '<img id="added" src="data:,">')`)); err != nil {
			t.Fatal(err)
		}
		if v := find(AxeHere(t, ctx, "good page, changed"), "image-alt"); v == nil {
			t.Error("AxeHere after adding an image without alt: rule image-alt not reported")
		}
		rec := &recorder{TB: t}
		AssertNoAxeViolationsHere(rec, ctx, "changed")
		if all := strings.Join(rec.errors, "\n"); !strings.Contains(all, srv.URL+"/good (changed)") || !strings.Contains(all, `"image-alt"`) {
			t.Errorf("AssertNoAxeViolationsHere errors = %q, want the page's URL, the label and the rule", rec.errors)
		}
	})

	t.Run("AssertNoAxeViolations reports each violation", func(t *testing.T) {
		rec := &recorder{TB: t}
		AssertNoAxeViolations(rec, ctx, srv.URL+"/bad")
		if len(rec.errors) < 3 {
			t.Fatalf("got %d errors, want at least 3: %q", len(rec.errors), rec.errors)
		}
		all := strings.Join(rec.errors, "\n")
		for _, s := range []string{srv.URL + "/bad", `"image-alt"`, `"label"`, `"color-contrast"`, "#logo", "<img", "#nolabel"} {
			if !strings.Contains(all, s) {
				t.Errorf("report does not mention %s:\n%s", s, all)
			}
		}
	})
}

// recorder is a testing.TB that collects Errorf calls instead of failing.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func TestSizeAndScreenshot(t *testing.T) {
	srv := newServer(t)
	dir := t.TempDir()

	for _, tc := range []struct {
		name   string
		newCtx func(t testing.TB) context.Context
		w, h   int
	}{
		{"desktop", New, 1280, 900},
		{"phone", func(t testing.TB) context.Context { return NewWithSize(t, 390, 844) }, 390, 844},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := tc.newCtx(t)
			if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/tall")); err != nil {
				t.Fatal(err)
			}
			size, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[window.innerWidth, window.innerHeight]`))
			if err != nil {
				t.Fatal(err)
			}
			if size[0] != tc.w || size[1] != tc.h {
				t.Errorf("viewport = %dx%d, want %dx%d", size[0], size[1], tc.w, tc.h)
			}

			path := filepath.Join(dir, tc.name, "page.png")
			Screenshot(t, ctx, path)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("screenshot is not a PNG: %v", err)
			}
			b := img.Bounds()
			if b.Dx() != tc.w || b.Dy() < 2000 {
				t.Errorf("screenshot is %dx%d, want %d wide and the full 2000px page tall", b.Dx(), b.Dy(), tc.w)
			}
		})
	}
}

func TestMissingChromium(t *testing.T) {
	t.Setenv("DAGPLANNER_CHROMIUM", filepath.Join(t.TempDir(), "no-such-chromium"))
	rec := &fatalRecorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() { recover() }() // fatalRecorder panics to stop NewWithSize, as FailNow would
		New(rec)
	}()
	<-done
	if !strings.Contains(rec.msg, "scripts/test") || !strings.Contains(rec.msg, "no-such-chromium") {
		t.Errorf("message = %q, want it to name the path and scripts/test", rec.msg)
	}
}

type fatalRecorder struct {
	testing.TB
	msg string
}

func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.msg = fmt.Sprintf(format, args...)
	panic("fatal")
}
