package mail

import (
	"reflect"
	"strings"
	"testing"
)

// TestTextBlocks checks how the plain text's conventions become the HTML part's structure.
func TestTextBlocks(t *testing.T) {
	t.Parallel()
	p := func(lines ...inline) block { return block{Kind: "p", Lines: lines} }
	txt := func(s string) span { return span{Text: s} }
	link := func(s string) span { return span{Text: s, Href: s} }
	for _, tc := range []struct {
		name, text string
		want       []block
	}{
		{"paragraphs", "Hallo Anna,\n\nFijn dat je erbij bent!\n", []block{p(inline{txt("Hallo Anna,")}), p(inline{txt("Fijn dat je erbij bent!")})}},
		{"a wrapped sentence is one line", "Dit is je programma op woensdag\nbij Stadskantoor, Utrecht\n(versie 2). Daarin staat",
			[]block{p(inline{txt("Dit is je programma op woensdag bij Stadskantoor, Utrecht (versie 2). Daarin staat")})}},
		{"lines that start anew stay lines", "Locatie: Stadskantoor\nAdres:   Stadsplateau 1\n\nMet vriendelijke groet,\nDe organisatie",
			[]block{p(inline{txt("Locatie: Stadskantoor")}, inline{txt("Adres: Stadsplateau 1")}),
				p(inline{txt("Met vriendelijke groet,")}, inline{txt("De organisatie")})}},
		{"a link after a colon, and text after it", "Via je persoonlijke link:\nhttps://x.example/boeking/a-b_c\nbekijk je alles.",
			[]block{p(inline{txt("Via je persoonlijke link:")}, inline{link("https://x.example/boeking/a-b_c")}, inline{txt("bekijk je alles.")})}},
		{"addresses in running text", "Kijk op https://x.example/. Of mail info@x.example, (of https://x.example/a?b=1&c=2).",
			[]block{p(inline{txt("Kijk op "), link("https://x.example/"), txt(". Of mail "),
				{Text: "info@x.example", Href: "mailto:info@x.example"}, txt(", (of "), link("https://x.example/a?b=1&c=2"), txt(").")})}},
		{"a programme list with times in bold", "Je programma:\n- 10:00–11:00  Open data, Zaal A\n- Zonder tijd, Zaal B (wachtlijst)\nKomt er plaats vrij",
			[]block{p(inline{txt("Je programma:")}),
				{Kind: "ul", Lines: []inline{{{Text: "10:00–11:00", Strong: true}, txt(" Open data, Zaal A")}, {txt("Zonder tijd, Zaal B (wachtlijst)")}}},
				p(inline{txt("Komt er plaats vrij")})}},
		{"an indented box, its first line in bold", "Je hebt nu een plaats in:\n\n  Helder schrijven\n  10:00–11:00, Zaal B\n",
			[]block{p(inline{txt("Je hebt nu een plaats in:")}),
				{Kind: "box", Lines: []inline{{{Text: "Helder schrijven", Strong: true}}, {txt("10:00–11:00, Zaal B")}}}}},
		{"windows line ends and blank lines with spaces", "Eén\r\n  \r\nTwee\r\n", []block{p(inline{txt("Eén")}), p(inline{txt("Twee")})}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := textBlocks(tc.text); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("textBlocks(%q)\n got %+v\nwant %+v", tc.text, got, tc.want)
			}
		})
	}
}

// TestLayoutEscapes renders hostile text through the layout: it stays text, and only http,
// https and mailto addresses become links.
func TestLayoutEscapes(t *testing.T) {
	t.Parallel()
	doc, err := renderHTML(htmlData{Lang: "nl", Subject: `<script>alert("x")</script>`, Event: "A & B",
		Blocks: textBlocks("<b>vet</b> javascript:alert(1) https://x.example/\"><script>\n")})
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script", "<b>", `href="javascript`} {
		if strings.Contains(doc, bad) {
			t.Errorf("the HTML holds %q:\n%s", bad, doc)
		}
	}
	contains(t, "html", doc, "A &amp; B", "&lt;b&gt;vet&lt;/b&gt;", `href="https://x.example/"`)
}
