package mail

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/browsertest"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// node is a MIME entity as the test reads it back: a multipart with its children in order,
// or a leaf with its decoded body.
type node struct {
	MediaType string
	Params    map[string]string
	Children  []node
	Leaf      mimePart
}

// mimeTree parses a raw message with net/mail and mime/multipart.
func mimeTree(t *testing.T, raw []byte) node {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse message: %v", err)
	}
	return readNode(t, m.Header, m.Body)
}

func readNode(t *testing.T, h partHeader, body io.Reader) node {
	t.Helper()
	mediaType, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		t.Fatalf("Content-Type %q: %v", h.Get("Content-Type"), err)
	}
	if !strings.HasPrefix(mediaType, "multipart/") {
		return node{MediaType: mediaType, Params: params, Leaf: collectParts(t, h, body)[0]}
	}
	n := node{MediaType: mediaType, Params: params}
	mr := multipart.NewReader(body, params["boundary"])
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			return n
		}
		if err != nil {
			t.Fatalf("read %s part: %v", mediaType, err)
		}
		n.Children = append(n.Children, readNode(t, p.Header, p))
	}
}

// alternatives checks the structure of a sent e-mail and returns its text and HTML: with an
// attachment, multipart/mixed holding multipart/alternative first and then the attachment;
// without, multipart/alternative alone; the alternative holds text/plain first, then
// text/html, both UTF-8.
func alternatives(t *testing.T, m sentMail) (text, htmlPart string, attachments []mimePart) {
	t.Helper()
	root := mimeTree(t, m.Data)
	alt := root
	if withTicket[m.Row.Kind] {
		if root.MediaType != "multipart/mixed" || len(root.Children) != 2 {
			t.Fatalf("%s: top is %s with %d parts, want multipart/mixed with the alternative and the ticket", m.Row.Kind, root.MediaType, len(root.Children))
		}
		alt = root.Children[0]
		for _, c := range root.Children[1:] {
			attachments = append(attachments, c.Leaf)
		}
	}
	if alt.MediaType != "multipart/alternative" || len(alt.Children) != 2 {
		t.Fatalf("%s: got %s with %d parts, want multipart/alternative with two", m.Row.Kind, alt.MediaType, len(alt.Children))
	}
	for i, want := range []string{"text/plain", "text/html"} {
		c := alt.Children[i]
		if c.MediaType != want || !strings.EqualFold(c.Params["charset"], "utf-8") || c.Leaf.Disposition == "attachment" {
			t.Errorf("%s: alternative %d is %s %v (%s), want %s; charset=UTF-8, inline", m.Row.Kind, i+1, c.MediaType, c.Params, c.Leaf.Disposition, want)
		}
	}
	return strings.ReplaceAll(string(alt.Children[0].Leaf.Data), "\r\n", "\n"), string(alt.Children[1].Leaf.Data), attachments
}

var (
	// textURL and textEmail find what a reader of the text part can follow, independently of
	// the code that makes the HTML; a sentence's full stop is not part of an address.
	textURL   = regexp.MustCompile(`https?://[^\s<>"]*[^\s<>".,;:!?)]`)
	textEmail = regexp.MustCompile(`[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}`)
	hrefAttr  = regexp.MustCompile(`(?i)<a\s[^>]*href="([^"]*)"`)
)

// textLinks lists the web and e-mail addresses of a text in order, e-mail addresses as the
// mailto: links they should be in HTML.
func textLinks(text string) []string {
	type hit struct {
		at   int
		link string
	}
	var hits []hit
	urls := textURL.FindAllStringIndex(text, -1)
	for _, loc := range urls {
		hits = append(hits, hit{loc[0], text[loc[0]:loc[1]]})
	}
	for _, loc := range textEmail.FindAllStringIndex(text, -1) {
		inURL := slices.ContainsFunc(urls, func(u []int) bool { return loc[0] >= u[0] && loc[0] < u[1] })
		if !inURL {
			hits = append(hits, hit{loc[0], "mailto:" + text[loc[0]:loc[1]]})
		}
	}
	slices.SortFunc(hits, func(a, b hit) int { return a.at - b.at })
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.link
	}
	return out
}

func htmlLinks(doc string) []string {
	var out []string
	for _, m := range hrefAttr.FindAllStringSubmatch(doc, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// allKinds is every kind of e-mail Dagplanner sends.
var allKinds = slices.Concat(Kinds, ProposalKinds, VoteKinds, ScheduleKinds, TeamKinds, AccountKinds, ErasureKinds, []string{models.MailDecision})

// TestEveryKindIsTextAndHTML sends every kind of e-mail through SMTP and reads each back as
// MIME: the plain text first and the HTML second, the ticket still attached, the same links
// in both, the contact address and privacy statement in both, HTML that xmllint (and the Nu
// HTML Checker, when scripts/test installed it) accepts, and no axe violations in Chromium.
// DAGPLANNER_SCREENSHOTS keeps screenshots of a few at 600 and 390 pixels wide.
func TestEveryKindIsTextAndHTML(t *testing.T) {
	t.Parallel()
	s := modelstest.SQLite(t)
	sent := everyKind(t, s)
	dir := t.TempDir()
	var files []string
	seen := map[string]bool{}
	for i, m := range sent {
		kind, lang := m.Row.Kind, m.Header(t).Get("Content-Language")
		subject, err := new(mime.WordDecoder).DecodeHeader(m.Header(t).Get("Subject"))
		if err != nil {
			t.Fatalf("Subject: %v", err)
		}
		seen[kind] = true
		t.Run(fmt.Sprintf("%s_%s_%d", kind, lang, i), func(t *testing.T) {
			text, doc, attachments := alternatives(t, m)
			if withTicket[kind] {
				if len(attachments) != 1 || attachments[0].ContentType != "application/pdf" || attachments[0].Disposition != "attachment" ||
					!bytes.HasPrefix(attachments[0].Data, []byte("%PDF-")) {
					t.Errorf("want the ticket attached as a PDF, got %d attachments", len(attachments))
				}
			}
			if got, want := htmlLinks(doc), textLinks(text); !slices.Equal(got, want) {
				t.Errorf("links differ between the parts:\nhtml %q\ntext %q\ntext part:\n%s", got, want, text)
			}
			privacy := "https://dagplanner.example/privacy"
			contains(t, "text part", text, "\n-- \n", testContact, privacy)
			contains(t, "html part", doc, `href="mailto:`+testContact+`"`, `href="`+privacy+`"`,
				`<html lang="`+lang+`"`, "<title>"+html.EscapeString(subject)+"</title>",
				">Dag van de Test<")
			if strings.Contains(doc, "<img") {
				t.Error("the HTML has an image; it should be all text")
			}
			if strings.Contains(doc, "<schrijven>") {
				t.Error("the HTML holds a title unescaped")
			}
			file := filepath.Join(dir, fmt.Sprintf("%02d-%s-%s.html", i, kind, lang))
			if err := os.WriteFile(file, []byte(doc), 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, file)
			if out, err := exec.Command("xmllint", "--html", "--noout", file).CombinedOutput(); err != nil || len(out) > 0 {
				t.Errorf("xmllint --html: %v\n%s", err, out)
			}
		})
	}
	for _, kind := range allKinds {
		if !seen[kind] {
			t.Errorf("no %s e-mail was sent", kind)
		}
	}
	checkWithNu(t, files)
	if testing.Short() {
		return // the rest starts Chromium
	}
	checkInBrowser(t, files)
}

// checkWithNu runs the Nu HTML Checker (vnu.jar) over the files: the W3C's own checker,
// stricter than xmllint. scripts/test installs it from npm and sets DAGPLANNER_VNU.
func checkWithNu(t *testing.T, files []string) {
	t.Helper()
	jar := os.Getenv("DAGPLANNER_VNU")
	if jar == "" {
		if os.Getenv("DAGPLANNER_REQUIRE_POSTGRES") == "1" {
			t.Fatal("DAGPLANNER_VNU is not set; scripts/test installs vnu-jar and sets it")
		}
		t.Log("the Nu HTML Checker is not installed (scripts/test installs it): xmllint only")
		return
	}
	out, err := exec.Command("java", slices.Concat([]string{"-jar", jar}, files)...).CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Errorf("vnu: %v\n%s", err, out)
	}
}

// checkInBrowser renders every HTML part in Chromium and runs axe on it, at a mail client's
// usual 600 pixels; a few also at a phone's 390 for the screenshots.
func checkInBrowser(t *testing.T, files []string) {
	t.Helper()
	srv := httptest.NewServer(http.FileServer(http.Dir(filepath.Dir(files[0]))))
	t.Cleanup(srv.Close)
	shots := os.Getenv("DAGPLANNER_SCREENSHOTS")
	for _, width := range []int{600, 390} {
		if width == 390 && shots == "" {
			break
		}
		bctx := browsertest.NewWithSize(t, width, 900)
		for _, file := range files {
			name := filepath.Base(file)
			keep := shots != "" && (strings.Contains(name, "-confirmation-") || strings.Contains(name, "-promoted-") ||
				strings.Contains(name, "-decision-"))
			if width == 390 && !keep {
				continue
			}
			browsertest.AssertNoAxeViolations(t, bctx, srv.URL+"/"+name)
			if keep {
				browsertest.Screenshot(t, bctx, filepath.Join(shots, fmt.Sprintf("mail-%d-%s.png", width, strings.TrimSuffix(name, ".html"))))
			}
		}
	}
}
