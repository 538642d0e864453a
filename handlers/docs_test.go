package handlers

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

// notRoutes are paths the docs name on purpose although the site has no route for them.
var notRoutes = map[string]string{
	"/boeking/TOKEN/programma.ics": "the old calendar address, documented as gone (404)",
	"/metrics":                     "served on --metrics-addr by its own server, never by the site's routes",
}

// notSitePaths are first path segments of files on a server, not of the site.
var notSitePaths = []string{"etc", "var", "usr", "tmp", "home", "dev", "proc", "opt", "srv"}

// docRoute is a path the docs name, with the methods given with it (none: any method).
type docRoute struct {
	Methods []string
	Path    string
}

var (
	docCodeSpan   = regexp.MustCompile("`([^`]+)`")
	docMethods    = regexp.MustCompile(`^((?:GET|POST|PUT|PATCH|DELETE|HEAD)(?:/|,\s*|\s+))+`)
	docMethod     = regexp.MustCompile(`GET|POST|PUT|PATCH|DELETE|HEAD`)
	docBraced     = regexp.MustCompile(`\{[^}]*\}|<[^>]*>`)
	docRouteShape = regexp.MustCompile(`^/[^\s]*$`)
)

// documentedRoutes lists the site paths a Markdown text names in inline code spans (fenced blocks
// hold shell commands and are left out): "/beheer/team", "GET /api/v1/event",
// "GET/POST /voorstel/TOKEN/bevestigen", "/programma/zwolle".
func documentedRoutes(markdown string) []docRoute {
	var prose strings.Builder
	fenced := false
	for line := range strings.SplitSeq(markdown, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
		} else if !fenced {
			prose.WriteString(line)
		}
		prose.WriteString("\n")
	}
	var routes []docRoute
	for _, m := range docCodeSpan.FindAllStringSubmatch(prose.String(), -1) {
		span := strings.TrimSpace(strings.ReplaceAll(m[1], "\n", " "))
		var methods []string
		if ms := docMethods.FindString(span); ms != "" {
			methods = docMethod.FindAllString(ms, -1)
			span = strings.TrimSpace(span[len(ms):])
		}
		span = docBraced.ReplaceAllString(span, "X")
		path, _, _ := strings.Cut(span, " ")
		path, _, _ = strings.Cut(path, "?")
		path, _, _ = strings.Cut(path, "#")
		path, _, _ = strings.Cut(path, "[")
		if !docRouteShape.MatchString(path) || strings.HasPrefix(path, "//") {
			continue
		}
		if first, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/"); slices.Contains(notSitePaths, first) {
			continue
		}
		routes = append(routes, docRoute{methods, path})
	}
	return routes
}

// routeMatches reports whether a route's pattern (gin's: ":param", "*rest") serves a documented
// path. A placeholder in the docs (ID, TOKEN, X) matches a parameter; a path cut short with "…"
// matches every route that goes on from where it stops.
func routeMatches(pattern, path string) bool {
	prefix := false
	if i := strings.Index(path, "…"); i >= 0 {
		path, prefix = path[:i], true
	}
	ps := strings.Split(strings.TrimPrefix(pattern, "/"), "/")
	ds := strings.Split(strings.TrimPrefix(path, "/"), "/")
	for i, d := range ds {
		if i >= len(ps) {
			return false
		}
		p := ps[i]
		last := i == len(ds)-1
		switch {
		case strings.HasPrefix(p, "*"):
			return true
		case prefix && last:
			return strings.HasPrefix(p, ":") || strings.HasPrefix(p, d)
		case strings.HasPrefix(p, ":"):
			if d == "" {
				return false
			}
		case p != d:
			return false
		}
	}
	return prefix || len(ps) == len(ds)
}

// unservedRoutes lists the documented routes that no route of the site serves, with each of
// their methods.
func unservedRoutes(docs []docRoute, routes gin.RoutesInfo) []string {
	var missing []string
	for _, d := range docs {
		if _, ok := notRoutes[d.Path]; ok {
			continue
		}
		methods := d.Methods
		if len(methods) == 0 {
			methods = []string{""}
		}
		for _, method := range methods {
			found := false
			for _, r := range routes {
				if (method == "" || r.Method == method) && routeMatches(r.Path, d.Path) {
					found = true
					break
				}
			}
			if !found {
				missing = append(missing, strings.TrimSpace(method+" "+d.Path))
			}
		}
	}
	return missing
}

// TestDocumentedRoutesExist fails when README.md, DEVELOPERS.md, docs/*.md or the help pages
// (help/*/*.md) name a path of the site (in a code span) that handlers/routes.go does not serve.
func TestDocumentedRoutesExist(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	helpFiles, err := filepath.Glob(filepath.Join("..", "help", "*", "*.md"))
	if err != nil || len(helpFiles) < 4 {
		t.Fatalf("found the help pages %v (%v): they moved?", helpFiles, err)
	}
	files = append(files, helpFiles...)
	files = append([]string{filepath.Join("..", "README.md"), filepath.Join("..", "DEVELOPERS.md")}, files...)
	routes := ginRoutes()
	total := 0
	for _, file := range files {
		text, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		docs := documentedRoutes(string(text))
		total += len(docs)
		for _, m := range unservedRoutes(docs, routes) {
			t.Errorf("%s documents %s, which is no route in handlers/routes.go", file, m)
		}
	}
	if total < 50 {
		t.Errorf("found only %d documented routes in %v: the extractor no longer sees them", total, files)
	}
}

// TestDocRouteExtractor shows that the check can fail: a made-up route, or a route with the
// wrong method, is reported; placeholders, query strings and shortened paths are understood.
func TestDocRouteExtractor(t *testing.T) {
	doc := "Open `/programma/zwolle`, `/beheer/locaties/ID/apparaten` and `/deur?locatie=zwolle`,\n" +
		"`GET /agenda/{feed token}.ics`, `GET/POST /voorstel/TOKEN/bevestigen`, `/boeking/…`, `/voorstel…`\n" +
		"but not `/beheer/bestaat-niet`, `DELETE /programma/{venue}` or `/api/v1/nergens/…`.\n" +
		"Not routes: `/etc/dagplanner/dagplanner.env`, `//go:embed`, `go run ./cmd/dagplanner`, `/metrics`.\n" +
		"```sh\ncurl /beheer/in-a-shell-block\n```\n"
	docs := documentedRoutes(doc)
	var paths []string
	for _, d := range docs {
		paths = append(paths, strings.TrimSpace(strings.Join(d.Methods, ",")+" "+d.Path))
	}
	wantPaths := []string{"/programma/zwolle", "/beheer/locaties/ID/apparaten", "/deur", "GET /agenda/X.ics",
		"GET,POST /voorstel/TOKEN/bevestigen", "/boeking/…", "/voorstel…", "/beheer/bestaat-niet",
		"DELETE /programma/X", "/api/v1/nergens/…", "/metrics"}
	if !slices.Equal(paths, wantPaths) {
		t.Errorf("documentedRoutes found\n%q, want\n%q", paths, wantPaths)
	}
	missing := unservedRoutes(docs, ginRoutes())
	want := []string{"/beheer/bestaat-niet", "DELETE /programma/X", "/api/v1/nergens/…"}
	if !slices.Equal(missing, want) {
		t.Errorf("unservedRoutes = %q, want %q", missing, want)
	}
}
