package templates

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "write the trimmed copies of the vendored CSS")

// The vendored NL Design System CSS styles every component of the library (400 KB) and
// defines every token of the theme (200 KB); our pages use a few dozen components. The
// trimmed copies keep what the pages can use: the rules of the components our templates
// and scripts name, and the tokens those rules and our own CSS reach. The vendored files
// stay as they came (VENDOR.md); the trimmed copies are made from them by
//
//	go test ./templates -run TestVendorCSSTrimmed -update
//
// and this test fails when they are stale: after a template starts using another component,
// or after scripts/vendor.sh fetched a new version.
const (
	utrechtFull   = "static/vendor/utrecht/index.css"
	utrechtUsed   = "static/vendor/utrecht/used.css"
	tokensFull    = "static/vendor/voorbeeld-tokens/theme.css"
	tokensUsed    = "static/vendor/voorbeeld-tokens/used.css"
	trimmedHeader = "/* Trimmed by templates/vendorcss_test.go from %s (see VENDOR.md): do not edit. */\n"
)

func TestVendorCSSTrimmed(t *testing.T) {
	used := usedComponents(t)
	for _, c := range []string{"utrecht-button", "utrecht-form-field", "utrecht-table", "utrecht-page"} {
		if !used[c] {
			t.Fatalf("no template uses %s: the scan for class names is broken", c)
		}
	}
	components := trimRules(read(t, utrechtFull), used)
	roots := varRefs(components + read(t, "static/site.css") + read(t, "static/door/door.css"))
	tokens := trimTokens(t, read(t, tokensFull), roots)

	for file, want := range map[string]string{
		utrechtUsed: strings.Replace(trimmedHeader, "%s", filepath.Base(utrechtFull), 1) + components,
		tokensUsed:  strings.Replace(trimmedHeader, "%s", filepath.Base(tokensFull), 1) + tokens,
	} {
		if *update {
			if err := os.WriteFile(file, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if got, _ := os.ReadFile(file); string(got) != want {
			t.Errorf("%s is stale: run go test ./templates -run TestVendorCSSTrimmed -update", file)
		}
	}
	if len(components) > len(read(t, utrechtFull))/2 || len(tokens) > len(read(t, tokensFull))/2 {
		t.Errorf("the trimmed CSS keeps %d and %d bytes: more than half; is the trimming broken?", len(components), len(tokens))
	}
}

func read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var utrechtClass = regexp.MustCompile(`utrecht-[a-z0-9-]+(?:__[a-z0-9-]+)?`)

// component names the component of a class: the part before an element (__) or modifier (--).
func component(class string) string {
	if i := strings.Index(class, "__"); i >= 0 {
		class = class[:i]
	}
	if i := strings.Index(class, "--"); i >= 0 {
		class = class[:i]
	}
	return class
}

// usedComponents lists the components our templates, scripts, handlers and help pages name.
func usedComponents(t *testing.T) map[string]bool {
	t.Helper()
	used := map[string]bool{}
	for _, pattern := range []string{"*.html", "pages/*.html", "pages/*/*.html", "partials/*.html", "static/*.js", "static/door/*.js", "../handlers/*.go", "../help/*.go"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			for _, c := range utrechtClass.FindAllString(read(t, f), -1) {
				used[component(c)] = true
			}
		}
	}
	return used
}

// trimRules keeps the rules of css whose selectors name only used components (or none),
// inside @media, @supports and @container too, and the licence comments. The vendored file is plain
// formatted CSS: comments, rules and at-rules with blocks, no strings holding braces.
func trimRules(css string, used map[string]bool) string {
	var out strings.Builder
	for len(css) > 0 {
		css = strings.TrimLeft(css, " \t\r\n")
		switch {
		case css == "":
		case strings.HasPrefix(css, "/*"):
			end := strings.Index(css, "*/") + 2
			if strings.Contains(css[:end], "@license") {
				out.WriteString(css[:end] + "\n")
			}
			css = css[end:]
		case strings.HasPrefix(css, "@charset"):
			end := strings.Index(css, ";") + 1
			out.WriteString(css[:end] + "\n")
			css = css[end:]
		default:
			open := strings.Index(css, "{")
			end := matchingBrace(css, open)
			prelude, body := strings.TrimSpace(css[:open]), css[open+1:end]
			css = css[end+1:]
			switch {
			case strings.HasPrefix(prelude, "@media"), strings.HasPrefix(prelude, "@supports"), strings.HasPrefix(prelude, "@container"):
				if inner := trimRules(body, used); strings.TrimSpace(inner) != "" {
					out.WriteString(prelude + " {\n" + inner + "}\n")
				}
			case strings.HasPrefix(prelude, "@"):
				out.WriteString(prelude + " {" + body + "}\n")
			default:
				if sel := usedSelectors(prelude, used); sel != "" {
					out.WriteString(sel + " {" + body + "}\n")
				}
			}
		}
	}
	return out.String()
}

// matchingBrace finds the brace that closes the one at open.
func matchingBrace(s string, open int) int {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			if depth--; depth == 0 {
				return i
			}
		}
	}
	panic("unbalanced braces in vendored CSS")
}

// usedSelectors keeps the selectors of a list that name only used components.
func usedSelectors(list string, used map[string]bool) string {
	var kept []string
	depth, start := 0, 0
	split := func(end int) {
		sel := strings.TrimSpace(list[start:end])
		for _, c := range utrechtClass.FindAllString(sel, -1) {
			if !used[component(c)] {
				return
			}
		}
		kept = append(kept, sel)
	}
	for i := 0; i < len(list); i++ {
		switch list[i] {
		case '(', '[':
			depth++
		case ')', ']':
			depth--
		case ',':
			if depth == 0 {
				split(i)
				start = i + 1
			}
		}
	}
	split(len(list))
	return strings.Join(kept, ",\n")
}

var varRef = regexp.MustCompile(`var\(\s*(--[A-Za-z0-9_-]+)`)

// varRefs lists the custom properties css reads.
func varRefs(css string) map[string]bool {
	refs := map[string]bool{}
	for _, m := range varRef.FindAllStringSubmatch(css, -1) {
		refs[m[1]] = true
	}
	return refs
}

var tokenDecl = regexp.MustCompile(`(?m)^\s*(--[A-Za-z0-9_-]+)\s*:\s*(.*?);\s*(?:/\*[^*]*\*/)?\s*$`)

// trimTokens keeps the theme's declarations that roots read, directly or through other
// tokens, in the theme's order. The theme is one rule, one declaration per line.
func trimTokens(t *testing.T, theme string, roots map[string]bool) string {
	t.Helper()
	open, end := strings.Index(theme, "{"), strings.LastIndex(theme, "}")
	if open < 0 || end < open || strings.Count(theme, "{") != 1 {
		t.Fatal("the theme is no longer one rule: the trimming needs another look")
	}
	decls := tokenDecl.FindAllStringSubmatch(theme[open:end], -1)
	if n := len(regexp.MustCompile(`(?m)^\s*--`).FindAllString(theme[open:end], -1)); n != len(decls) {
		t.Fatalf("the theme has %d declarations, of which %d on a line of their own: the trimming needs another look", n, len(decls))
	}
	values := map[string]string{}
	for _, d := range decls {
		values[d[1]] = d[2]
	}
	keep := map[string]bool{}
	queue := slices.Collect(func(yield func(string) bool) {
		for r := range roots {
			if !yield(r) {
				return
			}
		}
	})
	for len(queue) > 0 {
		name := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		if keep[name] {
			continue
		}
		keep[name] = true
		for ref := range varRefs(values[name]) {
			queue = append(queue, ref)
		}
	}
	var out strings.Builder
	out.WriteString(strings.TrimSpace(theme[:open]) + " {\n")
	for _, d := range decls {
		if keep[d[1]] {
			out.WriteString("  " + d[1] + ": " + d[2] + ";\n")
		}
	}
	out.WriteString("}\n")
	return out.String()
}
