// Package help holds the help pages for attendees and speakers: Markdown files, Dutch first and
// English second, rendered once to HTML for the site's /hulp pages. The files are also what the
// repository's docs point to, so the help has one source.
package help

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"strings"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

//go:embed nl/*.md en/*.md
var files embed.FS

// Topic names a help page.
type Topic string

// The help pages.
const (
	// Attendees helps the people who come to the day: registering, the booking, the ticket.
	Attendees Topic = "attendees"
	// Speakers helps the people who propose a session: the call, the decision, their session.
	Speakers Topic = "speakers"
)

// sources names each help page's file per language.
var sources = map[string]map[Topic]string{
	"nl": {Attendees: "nl/deelnemers.md", Speakers: "nl/sprekers.md"},
	"en": {Attendees: "en/attendees.md", Speakers: "en/speakers.md"},
}

// reservedIDs are the element ids the layout and the help page's template use themselves; a
// heading never gets one of them.
var reservedIDs = []string{"inhoud", "help-toc"}

// Text is one help page, rendered: its title (the Markdown's one level-1 heading), the part
// before the first section, the sections and their headings for a table of contents.
type Text struct {
	Title    string
	Intro    template.HTML
	Body     template.HTML
	Sections []Section
}

// Section is a level-2 heading of a help page, with the id its element has.
type Section struct {
	ID, Title string
}

// Texts holds every help page in every language, rendered.
type Texts struct {
	pages map[string]map[Topic]Text
}

// Load renders every help page. A file that is missing or not shaped as a help page (one
// level-1 heading first, headings that skip no level) fails it.
func Load() (*Texts, error) {
	t := &Texts{pages: map[string]map[Topic]Text{}}
	for lang, topics := range sources {
		t.pages[lang] = map[Topic]Text{}
		for topic, file := range topics {
			src, err := files.ReadFile(file)
			if err != nil {
				return nil, fmt.Errorf("help %s: %w", file, err)
			}
			text, err := Render(src)
			if err != nil {
				return nil, fmt.Errorf("help %s: %w", file, err)
			}
			t.pages[lang][topic] = text
		}
	}
	return t, nil
}

// Get returns a help page in a language ("nl" or "en"); any other language gets the Dutch.
func (t *Texts) Get(lang string, topic Topic) (Text, bool) {
	pages, ok := t.pages[lang]
	if !ok {
		pages = t.pages["nl"]
	}
	text, ok := pages[topic]
	return text, ok
}

// markdown is CommonMark without raw HTML (goldmark drops it unless told otherwise) and without
// turning addresses into links: a path such as /programma/zwolle stays text to read.
var markdown = goldmark.New(goldmark.WithParserOptions(parser.WithAutoHeadingID()))

// Render turns a help page's Markdown into a Text: the level-1 heading becomes the title, the
// elements get the NL Design System's classes, the headings ids as GitHub gives them (so an
// anchor works on the site and in the repository alike).
func Render(src []byte) (Text, error) {
	ids := &headingIDs{seen: map[string]bool{}}
	for _, id := range reservedIDs {
		ids.Put([]byte(id))
	}
	doc := markdown.Parser().Parse(text.NewReader(src), parser.WithContext(parser.NewContext(parser.WithIDs(ids))))

	first, ok := doc.FirstChild().(*ast.Heading)
	if !ok || first.Level != 1 {
		return Text{}, fmt.Errorf("a help page starts with its title, a level-1 heading")
	}
	page := Text{Title: plain(first, src)}
	doc.RemoveChild(doc, first)

	intro, body := ast.NewDocument(), ast.NewDocument()
	into := intro
	level := 1
	for n := doc.FirstChild(); n != nil; {
		next := n.NextSibling()
		if h, ok := n.(*ast.Heading); ok {
			if h.Level == 1 || h.Level > level+1 || h.Level > len(headingClasses) {
				return Text{}, fmt.Errorf("heading %q is level %d after level %d: one title, no level skipped, three levels at most", plain(h, src), h.Level, level)
			}
			level = h.Level
			if h.Level == 2 {
				into = body
				id, _ := h.AttributeString("id")
				page.Sections = append(page.Sections, Section{ID: string(id.([]byte)), Title: plain(h, src)})
			}
		}
		doc.RemoveChild(doc, n)
		into.AppendChild(into, n)
		n = next
	}
	for _, d := range []ast.Node{intro, body} {
		if err := ast.Walk(d, addClasses); err != nil {
			return Text{}, err
		}
	}
	var err error
	if page.Intro, err = renderHTML(intro, src); err != nil {
		return Text{}, err
	}
	if page.Body, err = renderHTML(body, src); err != nil {
		return Text{}, err
	}
	return page, nil
}

func renderHTML(doc ast.Node, src []byte) (template.HTML, error) {
	var buf bytes.Buffer
	if err := markdown.Renderer().Render(&buf, src, doc); err != nil {
		return "", fmt.Errorf("render help: %w", err)
	}
	// goldmark escapes text and drops raw HTML, so what it writes is safe to show as HTML.
	return template.HTML(buf.String()), nil
}

// headingClasses are the classes of the heading levels a help page may use. The classes are
// written out in full, so that templates/vendorcss_test.go finds them and keeps their CSS.
var headingClasses = []string{"utrecht-heading-1", "utrecht-heading-2", "utrecht-heading-3"}

// addClasses gives the elements the classes the site's other pages use.
func addClasses(n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	class := ""
	switch n := n.(type) {
	case *ast.Heading:
		class = headingClasses[n.Level-1]
	case *ast.Paragraph:
		class = "utrecht-paragraph"
	case *ast.List:
		class = "utrecht-unordered-list"
		if n.IsOrdered() {
			class = "utrecht-ordered-list"
		}
	case *ast.ListItem:
		class = "utrecht-unordered-list__item"
		if n.Parent().(*ast.List).IsOrdered() {
			class = "utrecht-ordered-list__item"
		}
	case *ast.Link:
		class = "utrecht-link"
	case *ast.CodeSpan:
		class = "utrecht-code"
	}
	if class != "" {
		n.SetAttributeString("class", []byte(class))
	}
	return ast.WalkContinue, nil
}

// plain is a heading's text as written (headings in the help hold plain text).
func plain(h *ast.Heading, src []byte) string {
	var b strings.Builder
	lines := h.Lines()
	for i := range lines.Len() {
		seg := lines.At(i)
		b.Write(seg.Value(src))
	}
	return strings.TrimSpace(b.String())
}

// headingIDs gives headings the anchors GitHub gives them: lower case, spaces as hyphens,
// punctuation dropped, and -1, -2… after a repeated one.
type headingIDs struct {
	seen map[string]bool
}

// Generate makes the id of a heading with the given text.
func (ids *headingIDs) Generate(value []byte, _ ast.NodeKind) []byte {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(string(value))) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r):
			b.WriteRune(r)
		}
	}
	id := b.String()
	if id == "" {
		id = "kop"
	}
	for n, try := 1, id; ; n++ {
		if !ids.seen[try] {
			ids.seen[try] = true
			return []byte(try)
		}
		try = fmt.Sprintf("%s-%d", id, n)
	}
}

// Put marks an id as taken.
func (ids *headingIDs) Put(value []byte) { ids.seen[string(value)] = true }
