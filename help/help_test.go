package help

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/locale"
)

// TestLoad renders every help page in both languages: each has a title, sections with ids,
// and the same number of sections in Dutch and in English.
func TestLoad(t *testing.T) {
	texts, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lang  string
		topic Topic
		title string
	}{
		{"nl", Attendees, "Hulp voor deelnemers"},
		{"nl", Speakers, "Hulp voor sprekers"},
		{"en", Attendees, "Help for attendees"},
		{"en", Speakers, "Help for speakers"},
		{"fr", Attendees, "Hulp voor deelnemers"}, // any other language gets the Dutch
	} {
		text, ok := texts.Get(tc.lang, tc.topic)
		if !ok {
			t.Fatalf("Get(%q, %q) found nothing", tc.lang, tc.topic)
		}
		if text.Title != tc.title {
			t.Errorf("Get(%q, %q).Title = %q, want %q", tc.lang, tc.topic, text.Title, tc.title)
		}
		if len(text.Sections) < 4 {
			t.Errorf("%s %s has %d sections, want at least 4", tc.lang, tc.topic, len(text.Sections))
		}
		for _, s := range text.Sections {
			if !strings.Contains(string(text.Body), `<h2 id="`+s.ID+`" class="utrecht-heading-2">`+s.Title+`</h2>`) {
				t.Errorf("%s %s: no heading %q with id %q in the body", tc.lang, tc.topic, s.Title, s.ID)
			}
		}
		if strings.Contains(string(text.Intro+text.Body), "<h1") || strings.Contains(string(text.Intro+text.Body), "raw HTML omitted") {
			t.Errorf("%s %s holds a second title or raw HTML:\n%s", tc.lang, tc.topic, text.Body)
		}
	}
	for _, topic := range []Topic{Attendees, Speakers} {
		nl, _ := texts.Get("nl", topic)
		en, _ := texts.Get("en", topic)
		if len(nl.Sections) != len(en.Sections) {
			t.Errorf("%s: %d sections in Dutch, %d in English; the translations drifted apart", topic, len(nl.Sections), len(en.Sections))
		}
	}
}

// TestRender shows what a help page becomes: the title taken out, classes on the elements,
// ids as GitHub makes them (never one the layout uses), paths as code and not as links, and
// raw HTML dropped.
func TestRender(t *testing.T) {
	src := "# Title\n\nIntro with `/programma/zwolle` and https://example.org.\n\n" +
		"## Eén vraag?\n\n1. one\n2. two\n\n<script>alert(1)</script>\n\n## Inhoud\n\n- a <b>bold</b> [link](https://example.org)\n\n" +
		"### Deeper\n\n## Eén vraag?\n"
	text, err := Render([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if text.Title != "Title" {
		t.Errorf("Title = %q, want %q", text.Title, "Title")
	}
	wantIntro := `<p class="utrecht-paragraph">Intro with <code class="utrecht-code">/programma/zwolle</code> and https://example.org.</p>` + "\n"
	if string(text.Intro) != wantIntro {
		t.Errorf("Intro = %q, want %q", text.Intro, wantIntro)
	}
	wantSections := []Section{{"eén-vraag", "Eén vraag?"}, {"inhoud-1", "Inhoud"}, {"eén-vraag-1", "Eén vraag?"}}
	if !slices.Equal(text.Sections, wantSections) {
		t.Errorf("Sections = %q, want %q", text.Sections, wantSections)
	}
	body := string(text.Body)
	for _, want := range []string{
		`<ol class="utrecht-ordered-list">`, `<li class="utrecht-ordered-list__item">one</li>`,
		`<ul class="utrecht-unordered-list">`, `<a href="https://example.org" class="utrecht-link">link</a>`,
		`<h3 id="deeper" class="utrecht-heading-3">Deeper</h3>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("Body lacks %s:\n%s", want, body)
		}
	}
	if strings.Contains(body, "<script") || strings.Contains(body, "<b>") {
		t.Errorf("raw HTML got through:\n%s", body)
	}
}

// TestRenderRefusesBadShapes: a page without a title first, with a second title, a skipped
// heading level or a fourth level is refused, so the page keeps one h1 and an unbroken outline.
func TestRenderRefusesBadShapes(t *testing.T) {
	for _, src := range []string{
		"Intro first\n\n# Title\n",
		"## Section first\n",
		"# Title\n\n# Another title\n",
		"# Title\n\n### Skips a level\n",
		"# Title\n\n## Two\n\n### Three\n\n#### Four is too deep\n",
	} {
		if _, err := Render([]byte(src)); err == nil {
			t.Errorf("Render(%q) = nil error, want it refused", src)
		}
	}
}

// TestHeadingsAreTextOnly keeps the help files' headings plain text, since the title and the
// table of contents show them as written.
func TestHeadingsAreTextOnly(t *testing.T) {
	heading := regexp.MustCompile("(?m)^#+ .*[`*_\\[<].*$")
	for _, topics := range sources {
		for _, file := range topics {
			src, err := files.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if m := heading.FindString(string(src)); m != "" {
				t.Errorf("%s: heading %q holds markup", file, m)
			}
		}
	}
}

// TestDutchSaysJe: the Dutch help speaks to people with "je", like the rest of the site.
func TestDutchSaysJe(t *testing.T) {
	for _, file := range sources["nl"] {
		src, err := files.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			if words := locale.FormalWords(line); len(words) > 0 {
				t.Errorf("%s:%d says %q: write \"je\" and \"jouw\"", file, i+1, words)
			}
		}
	}
}
