package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// docFiles lists the documentation a reader follows: README.md, DEVELOPERS.md, docs/*.md and
// the help pages the site serves (help/*/*.md), relative to this package's directory.
func docFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	papers, err := filepath.Glob(filepath.Join("..", "..", "docs", "*", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, papers...)
	helpFiles, err := filepath.Glob(filepath.Join("..", "..", "help", "*", "*.md"))
	if err != nil || len(helpFiles) < 4 {
		t.Fatalf("found the help pages %v (%v): they moved?", helpFiles, err)
	}
	files = append(files, helpFiles...)
	files = append([]string{filepath.Join("..", "..", "README.md"), filepath.Join("..", "..", "DEVELOPERS.md")}, files...)
	if len(files) < 4 {
		t.Fatalf("found only %v: the docs moved?", files)
	}
	return files
}

// codeSnippets returns what a Markdown text shows as code: each line of a fenced block, and each
// inline code span (a span that runs over a line break is joined with a space).
func codeSnippets(markdown string) (lines, spans []string) {
	var prose strings.Builder
	fenced := false
	for line := range strings.SplitSeq(markdown, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
			prose.WriteString("\n")
			continue
		}
		if fenced {
			lines = append(lines, line)
			prose.WriteString("\n")
			continue
		}
		prose.WriteString(line + "\n")
	}
	for _, m := range codeSpan.FindAllStringSubmatch(prose.String(), -1) {
		spans = append(spans, strings.ReplaceAll(m[1], "\n", " "))
	}
	return lines, spans
}

var codeSpan = regexp.MustCompile("`([^`]+)`")

// docFlag is a flag the docs name: Command is the subcommand it is given to ("" for serve's
// flags, or "*" when the flag is named on its own and may belong to any command).
type docFlag struct {
	Command, Flag string
}

var (
	// dagplannerCall finds an invocation of the binary: go run ./cmd/dagplanner, ./dagplanner,
	// /usr/local/bin/dagplanner or plain dagplanner, followed by what is given to it up to a
	// shell separator or comment.
	dagplannerCall = regexp.MustCompile(`(?:^|[\s(])(?:\./cmd/|\./|/usr/local/bin/)?dagplanner(\s[^|;&#]*|$)`)
	// loneFlag is a code span that is one flag, perhaps with its value: "--db-max-conns",
	// "--venue SLUG", "[--db DSN]".
	loneFlag = regexp.MustCompile(`^\[?--([a-z][a-z0-9-]*)`)
)

// documentedFlags lists the long flags a Markdown text gives to dagplanner, and the words after
// dagplanner that name no command (unknown).
func documentedFlags(markdown string, commandNames []string) (flags []docFlag, unknown []string) {
	lines, spans := codeSnippets(markdown)
	for _, s := range spans {
		// A span that is one flag (a table of flags, "see --outbox-lease") may be any command's.
		if m := loneFlag.FindStringSubmatch(strings.TrimSpace(s)); m != nil {
			flags = append(flags, docFlag{"*", m[1]})
		}
	}
	for _, s := range append(lines, spans...) {
		for _, m := range dagplannerCall.FindAllStringSubmatch(s, -1) {
			args := strings.Fields(m[1])
			var words []string
			for len(args) > 0 && !strings.HasPrefix(args[0], "-") && !strings.HasPrefix(args[0], "[") {
				words, args = append(words, args[0]), args[1:]
			}
			if len(words) > 0 && strings.ContainsAny(words[0][:1], "./") {
				continue // the binary named as a file (install, go build -o), not run
			}
			cmd := ""
			for _, name := range commandNames {
				n := strings.Fields(name)
				if len(words) >= len(n) && slices.Equal(words[:len(n)], n) && len(name) > len(cmd) {
					cmd = name
				}
			}
			if len(words) > 0 && cmd == "" {
				if !slices.ContainsFunc(commandNames, func(name string) bool { return strings.HasPrefix(name+" ", strings.Join(words, " ")+" ") }) {
					unknown = append(unknown, "dagplanner "+strings.Join(words, " "))
				}
				continue // a group of commands ("dagplanner token"), or none
			}
			if cmd == "serve" || cmd == "help" {
				cmd = ""
			}
			for _, a := range args {
				a = strings.TrimLeft(a, "[")
				if !strings.HasPrefix(a, "--") {
					continue
				}
				name, _, _ := strings.Cut(strings.TrimPrefix(a, "--"), "=")
				name = strings.TrimRight(name, "]),.`")
				if name != "" {
					flags = append(flags, docFlag{cmd, name})
				}
			}
		}
	}
	return flags, unknown
}

// missingFlags lists the documented flags that the commands do not have; known maps a command
// ("" for serve) to its flags.
func missingFlags(flags []docFlag, known map[string]map[string]bool) []string {
	var missing []string
	for _, f := range flags {
		if f.Command == "*" {
			found := false
			for _, fs := range known {
				found = found || fs[f.Flag]
			}
			if !found {
				missing = append(missing, "--"+f.Flag+" (of no command)")
			}
			continue
		}
		if !known[f.Command][f.Flag] {
			missing = append(missing, "dagplanner "+strings.TrimSpace(f.Command+" --"+f.Flag))
		}
	}
	return missing
}

var helpFlag = regexp.MustCompile(`(?m)^\s+--?([a-zA-Z0-9][a-zA-Z0-9-]*)`)

// commandFlags asks every command for its -h and returns its flags ("" is serve).
func commandFlags(t *testing.T) map[string]map[string]bool {
	t.Helper()
	known := map[string]map[string]bool{}
	for _, cmd := range commands() {
		if cmd.name == "help" {
			continue
		}
		args := append(strings.Fields(cmd.name), "-h")
		if cmd.name == "serve" {
			args = []string{"-h"}
		}
		var out syncBuffer
		if err := run(modelstest.Ctx(), args, envMap(nil), strings.NewReader(""), &out); err != nil {
			t.Fatalf("run(%q) = %v, want its help", args, err)
		}
		name := cmd.name
		if name == "serve" {
			name = ""
		}
		known[name] = map[string]bool{}
		for _, m := range helpFlag.FindAllStringSubmatch(out.String(), -1) {
			known[name][m[1]] = true
		}
		if len(known[name]) == 0 && name != "" {
			t.Logf("dagplanner %s -h shows no flags:\n%s", cmd.name, out.String())
		}
	}
	return known
}

func commandNames() []string {
	var names []string
	for _, cmd := range commands() {
		names = append(names, cmd.name)
	}
	return names
}

// TestDocumentedFlagsExist fails when README.md, DEVELOPERS.md or docs/*.md give dagplanner (or
// one of its commands) a flag its -h does not list, or name a command it does not have.
func TestDocumentedFlagsExist(t *testing.T) {
	known := commandFlags(t)
	total := 0
	for _, file := range docFiles(t) {
		text, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		flags, unknown := documentedFlags(string(text), commandNames())
		total += len(flags)
		for _, u := range unknown {
			t.Errorf("%s: %q names no command of dagplanner", file, u)
		}
		for _, m := range missingFlags(flags, known) {
			t.Errorf("%s documents %s, which dagplanner does not have", file, m)
		}
	}
	if total < 20 {
		t.Errorf("found only %d documented flags: the extractor no longer sees them", total)
	}
}

// TestDocFlagExtractor shows that the check can fail: made-up flags and commands are found and
// reported, and other programs' flags are left alone.
func TestDocFlagExtractor(t *testing.T) {
	doc := "Run `dagplanner user add --email a@b.nl --no-such-flag` or\n" +
		"```sh\nprintf x | go run ./cmd/dagplanner --demo --made-up   # comment --not-this\n" +
		"go build -o dagplanner ./cmd/dagplanner && ./dagplanner --addr :1\n```\n" +
		"The table: | `--also-made-up` | `--db-max-conns` |, `pg_dump --format=custom`,\n" +
		"`dagplanner audit anonymise --before YYYY-MM-DD [--db DSN]`, `dagplanner frobnicate --x`,\n" +
		"`/var/lib/dagplanner`, `dagplanner@8081` and `DAGPLANNER_DB=x dagplanner\nbackup --to f`,\n" +
		"`dagplanner token` commands, `dagplanner [flags]`, and in a block\n```\ncurl \\\n  --data-binary @f.csv\n```\n"
	flags, unknown := documentedFlags(doc, commandNames())
	got := make([]string, len(flags))
	for i, f := range flags {
		got[i] = f.Command + ":" + f.Flag
	}
	sort.Strings(got)
	want := []string{"*:also-made-up", "*:db-max-conns", ":addr", ":demo", ":made-up",
		"audit anonymise:before", "audit anonymise:db", "backup:to", "user add:email", "user add:no-such-flag"}
	if !slices.Equal(got, want) {
		t.Errorf("documentedFlags found\n%q, want\n%q", got, want)
	}
	if want := []string{"dagplanner frobnicate"}; !slices.Equal(unknown, want) {
		t.Errorf("unknown commands = %q, want %q", unknown, want)
	}
	known := map[string]map[string]bool{
		"":                {"addr": true, "demo": true, "db-max-conns": true},
		"user add":        {"email": true},
		"audit anonymise": {"before": true, "db": true},
		"backup":          {"to": true},
	}
	missing := missingFlags(flags, known)
	sort.Strings(missing)
	wantMissing := []string{"--also-made-up (of no command)", "dagplanner --made-up", "dagplanner user add --no-such-flag"}
	if !slices.Equal(missing, wantMissing) {
		t.Errorf("missingFlags = %q, want %q", missing, wantMissing)
	}
}

var (
	mdLink    = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	mdHeading = regexp.MustCompile(`(?m)^#{1,6} (.+)$`)
	notInSlug = regexp.MustCompile(`[^\p{L}\p{N}_\- ]`)
)

// headingAnchors returns the anchors GitHub gives a Markdown text's headings: lower case, spaces
// as hyphens, punctuation dropped, and -1, -2… after a repeated one.
func headingAnchors(markdown string) map[string]bool {
	lines, _ := codeSnippets(markdown)
	inCode := map[string]bool{}
	for _, l := range lines {
		inCode[l] = true
	}
	anchors, seen := map[string]bool{}, map[string]int{}
	for _, m := range mdHeading.FindAllStringSubmatch(markdown, -1) {
		if inCode[m[0]] {
			continue // a comment in a shell block
		}
		a := strings.ReplaceAll(notInSlug.ReplaceAllString(strings.ToLower(strings.TrimSpace(m[1])), ""), " ", "-")
		if n, ok := seen[a]; ok {
			seen[a] = n + 1
			a = fmt.Sprintf("%s-%d", a, n+1)
		} else {
			seen[a] = 0
		}
		anchors[a] = true
	}
	return anchors
}

// brokenLinks lists the links of the Markdown file at path that lead nowhere: to a file that is
// not there, or to a heading its Markdown file does not have. read returns a file's text.
func brokenLinks(path string, read func(string) (string, error)) []string {
	text, err := read(path)
	if err != nil {
		return []string{err.Error()}
	}
	var broken []string
	for _, m := range mdLink.FindAllStringSubmatch(text, -1) {
		target := m[1]
		if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
			continue
		}
		file, anchor, _ := strings.Cut(target, "#")
		dest := path
		if file != "" {
			dest = filepath.Join(filepath.Dir(path), file)
		}
		destText, err := read(dest)
		if err != nil {
			broken = append(broken, target+" (no such file)")
			continue
		}
		if anchor != "" && strings.HasSuffix(dest, ".md") && !headingAnchors(destText)[anchor] {
			broken = append(broken, target+" (no such heading)")
		}
	}
	return broken
}

// TestDocumentedLinksResolve fails when a link in the docs leads to a file or a heading that is
// not there (after a section moved to another guide, say).
func TestDocumentedLinksResolve(t *testing.T) {
	read := func(p string) (string, error) {
		b, err := os.ReadFile(p)
		return string(b), err
	}
	for _, file := range docFiles(t) {
		for _, b := range brokenLinks(file, read) {
			t.Errorf("%s links %s", file, b)
		}
	}
}

// TestDocLinkChecker shows that the link check can fail.
func TestDocLinkChecker(t *testing.T) {
	files := map[string]string{
		"README.md": "# Dagplanner\n## Running it\n[a](docs/ops.md#the-database) [b](docs/ops.md#gone) " +
			"[c](#running-it) [d](#nowhere) [e](docs/missing.md) [f](https://example.org/x) [g](docs/img/x.png)\n" +
			"```sh\n# not a heading\n```\n",
		"docs/ops.md":    "# Running\n## The database\n## Eén deelnemer helpen / Helping one person (issue #13)\n",
		"docs/img/x.png": "png",
	}
	read := func(p string) (string, error) {
		if s, ok := files[filepath.ToSlash(p)]; ok {
			return s, nil
		}
		return "", os.ErrNotExist
	}
	got := brokenLinks("README.md", read)
	want := []string{"docs/ops.md#gone (no such heading)", "#nowhere (no such heading)", "docs/missing.md (no such file)"}
	if !slices.Equal(got, want) {
		t.Errorf("brokenLinks = %q, want %q", got, want)
	}
	if a := headingAnchors(files["docs/ops.md"]); !a["eén-deelnemer-helpen--helping-one-person-issue-13"] || a["not-a-heading"] {
		t.Errorf("headingAnchors = %v", a)
	}
	if a := headingAnchors(files["README.md"]); a["not-a-heading"] {
		t.Errorf("a comment in a shell block counted as a heading: %v", a)
	}
}
