// Package templates holds Dagplanner's HTML templates and static files, embedded in the binary.
package templates

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"strings"
	"sync"
)

//go:embed layout.html partials/*.html pages/*.html pages/*/*.html
var files embed.FS

//go:embed static
var static embed.FS

// Static returns the files served under /static/.
func Static() fs.FS {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the embed pattern above guarantees the folder exists
	}
	return sub
}

// baseFuncs are available to every template.
var baseFuncs = template.FuncMap{
	// dict builds a map from alternating keys and values, to pass several values to a partial.
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, fmt.Errorf("dict: odd number of arguments")
		}
		m := make(map[string]any, len(kv)/2)
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
			}
			m[k] = kv[i+1]
		}
		return m, nil
	},
	// list makes a slice of its arguments, to range over a fixed set of choices.
	"list": func(v ...any) []any { return v },
	// static gives a static file's fingerprinted URL: {{static "site.css"}}.
	"static": staticURL,
}

// Renderer renders named pages; each page has its own template set, parsed once at start-up,
// so that one page's blocks can never overwrite another's.
type Renderer struct {
	pages map[string]*template.Template
}

var loadPages = sync.OnceValues(func() (*Renderer, error) { return Load(template.FuncMap{}) })

// Pages returns every page parsed with the layout and partials (Load without extra
// functions), parsed on the first call: the embedded files never change while the process
// runs, and a Renderer is safe to share, so each handler built in one process (the tests
// build hundreds) need not parse them again.
func Pages() (*Renderer, error) { return loadPages() }

// Load parses every page with the layout and partials; a template error fails start-up.
func Load(funcs template.FuncMap) (*Renderer, error) {
	pageFiles, err := pageNames()
	if err != nil {
		return nil, err
	}
	r := &Renderer{pages: map[string]*template.Template{}}
	for _, file := range pageFiles {
		name := strings.TrimSuffix(strings.TrimPrefix(file, "pages/"), ".html")
		t, err := template.New("layout.html").Funcs(baseFuncs).Funcs(funcs).ParseFS(files, "layout.html", "partials/*.html", file)
		if err != nil {
			return nil, fmt.Errorf("parse page %s: %w", name, err)
		}
		r.pages[name] = t
	}
	return r, nil
}

func pageNames() ([]string, error) {
	var names []string
	err := fs.WalkDir(files, "pages", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && path.Ext(p) == ".html" {
			names = append(names, p)
		}
		return err
	})
	return names, err
}

// Render writes the page to w. It renders into a buffer first, so a template error never
// leaves half a page on the wire.
func (r *Renderer) Render(w io.Writer, page string, data any) error {
	t, ok := r.pages[page]
	if !ok {
		return fmt.Errorf("render: no page %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", data); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	_, err := buf.WriteTo(w)
	return err
}

// Has reports whether a page exists; tests use it to check every page is reachable.
func (r *Renderer) Has(page string) bool {
	_, ok := r.pages[page]
	return ok
}
