package mail

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The HTML part of an e-mail is read from its plain text, so that every kind, and the texts
// organisers write themselves, say the same in both parts without a second copy of the
// wording. The texts follow a few conventions, which this file turns into structure: a blank
// line ends a paragraph; lines that start with "- " are a list; lines indented by two spaces
// stand out as a box (the session a promoted attendee now has a seat in); a line that goes on
// in lower case continues the sentence above it (a wrapped line); every web address and
// e-mail address becomes a link.

// block is one paragraph, list or box of an e-mail's HTML.
type block struct {
	Kind  string   // "p", "ul" or "box"
	Lines []inline // a paragraph's or box's lines, or a list's items
}

// inline is one line of text with its links.
type inline []span

// span is a run of text: a link when Href is set, bold when Strong.
type span struct {
	Text, Href string
	Strong     bool
}

// textBlocks reads a plain-text body as paragraphs, lists and boxes.
func textBlocks(text string) []block {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var out []block
	var cur *block
	var prev string // the previous line of the current paragraph, as typed
	flush := func() { cur, prev = nil, "" }
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		kind, content := "p", strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "- "):
			kind, content = "ul", strings.TrimSpace(line[2:])
		case strings.HasPrefix(line, "  "):
			kind = "box"
		}
		if cur == nil || cur.Kind != kind {
			out = append(out, block{Kind: kind})
			cur, prev = &out[len(out)-1], ""
		}
		if kind == "p" && continues(prev, content) {
			last := &cur.Lines[len(cur.Lines)-1]
			*last = append(*last, spans(" "+content)...)
			prev = content
			continue
		}
		l := spans(content)
		switch {
		case kind == "box" && len(cur.Lines) == 0:
			l = strong(l) // the box's first line names what it is about
		case kind == "ul":
			l = leadIn(content)
		}
		cur.Lines = append(cur.Lines, l)
		prev = content
	}
	return mergeSpans(out)
}

// continues reports whether line carries on the sentence of prev, which the text wrapped: it
// starts in lower case or with a bracket, and prev neither introduces something (a colon),
// nor is a bare address.
func continues(prev, line string) bool {
	if prev == "" || strings.HasSuffix(prev, ":") || bareLink(prev) || bareLink(line) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(line)
	return unicode.IsLower(r) || r == '('
}

func bareLink(s string) bool {
	return !strings.ContainsAny(s, " \t") && addressPattern.MatchString(s)
}

// leadIn makes bold what comes before two spaces in a list item: the time of a programme
// line ("10:00–11:00  Open data, Zaal A").
func leadIn(item string) inline {
	head, rest, ok := strings.Cut(item, "  ")
	if !ok || addressPattern.MatchString(head) {
		return spans(item)
	}
	return append(strong(spans(head)), spans(" "+strings.TrimSpace(rest))...)
}

func strong(l inline) inline {
	for i := range l {
		l[i].Strong = true
	}
	return l
}

// addressPattern finds web and e-mail addresses in running text.
var addressPattern = regexp.MustCompile(`https?://[^\s<>"]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`)

// spaces finds runs of white space, which HTML would show as one anyway.
var spaces = regexp.MustCompile(`[ \t]{2,}`)

// spans splits a line into text and links. A full stop, comma or closing bracket after an
// address ends the sentence, not the address.
func spans(line string) inline {
	line = spaces.ReplaceAllString(line, " ")
	var out inline
	for line != "" {
		loc := addressPattern.FindStringIndex(line)
		if loc == nil {
			out = append(out, span{Text: line})
			break
		}
		addr := strings.TrimRight(line[loc[0]:loc[1]], ".,;:!?)'\"")
		if loc[0] > 0 {
			out = append(out, span{Text: line[:loc[0]]})
		}
		out = append(out, span{Text: addr, Href: href(addr)})
		line = line[loc[0]+len(addr):]
	}
	return out
}

// href is where an address found in the text links to.
func href(addr string) string {
	if strings.Contains(addr, "://") {
		return addr
	}
	return "mailto:" + addr
}

// mergeSpans joins neighbouring runs of plain text that look the same, so the HTML holds no
// needless tags.
func mergeSpans(blocks []block) []block {
	for _, b := range blocks {
		for i, l := range b.Lines {
			var merged inline
			for _, s := range l {
				if n := len(merged); n > 0 && s.Href == "" && merged[n-1].Href == "" && merged[n-1].Strong == s.Strong {
					merged[n-1].Text += s.Text
					continue
				}
				merged = append(merged, s)
			}
			b.Lines[i] = merged
		}
	}
	return blocks
}
