package main

import (
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ambtenaar20/dagplanner/browsertest"
)

// TestAdminTablesOnPhone: at 390 px the organisers' tables never break a word or a number
// across lines ("40 / 0", "10: 00"): every word of every cell, and each number with its
// slash, lies on one line; a table wider than the window scrolls in its own container.
func TestAdminTablesOnPhone(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	t.Parallel()
	srv := startDemo(t)
	password := demoPassword(t, srv.Out.String())
	c := newClient(t)
	login(t, c, srv.URL, demoEmail, password)
	_, dashboard := get(t, c, srv.URL, "/beheer")
	venue := firstMatch(t, regexp.MustCompile(`href="/beheer/locaties/(\d+)"`), dashboard, "a venue")
	pages := []string{"/beheer", "/beheer/locaties/" + venue, "/beheer/sessies", "/beheer/programma", "/beheer/binnenkomst",
		"/beheer/locaties/" + venue + "/binnenkomst", "/beheer/besluiten", "/beheer/voorstellen"}

	phone := browsertest.NewWithSize(t, 390, 844)
	signIn(t, phone, srv.URL, demoEmail, password, `main a[href="/beheer/sessies"]`)
	tables := 0
	for _, p := range pages {
		navigate(t, phone, srv.URL+p)
		// Each word of a cell (numbers with " / " between them count as one) must have one
		// line box; a word broken across lines has two.
		broken, err := chromedp.Run(timeout(phone), chromedp.Evaluate[[]string](`(() => {
			const out = [];
			for (const cell of document.querySelectorAll('.admin-table td, .admin-table th')) {
				const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
				for (let n = walker.nextNode(); n; n = walker.nextNode()) {
					const re = /\d+ \/ \d+|[^\s–-]+[–-]?/g;
					let m;
					while ((m = re.exec(n.data)) !== null) {
						const r = document.createRange();
						r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
						const lines = new Set([...r.getClientRects()].filter(b => b.width > 0).map(b => Math.round(b.top)));
						if (lines.size > 1) out.push(m[0]);
					}
				}
			}
			return out;
		})()`))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if len(broken) > 0 {
			t.Errorf("%s: at 390 px these break across lines: %q", p, broken)
		}
		n, err := chromedp.Run(timeout(phone), chromedp.Evaluate[int](`document.querySelectorAll('.admin-table').length`))
		if err != nil {
			t.Fatal(err)
		}
		tables += n
	}
	if tables < 6 {
		t.Errorf("found %d organisers' tables on %d pages, want at least 6", tables, len(pages))
	}
}
