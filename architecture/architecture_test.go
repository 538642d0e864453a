package architecture

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// module is the module path; rules name packages relative to it.
const module = "github.com/ambtenaar20/dagplanner"

// rule is what one package of ours may import of ours, and why.
type rule struct {
	imports []string // packages of ours it may import, relative to module
	why     string
}

// allowed is the house's import graph: every package of the module, with the packages of
// ours its non-test files may import. A package missing here fails the test, so a new
// package gets a rule (and a line in DEVELOPERS.md) when it is made. Test files are looser:
// see testsMayImport.
var allowed = map[string]rule{
	// The data: all database access. It knows nothing of the web, mail, PDF or the planner,
	// so everything else can use it.
	"models": {nil, "models imports no other package of ours"},
	// Test fixtures for the store (modelstest.Each runs a test on SQLite and PostgreSQL).
	"models/modelstest": {[]string{"models"}, "modelstest builds on models only"},

	// Leaves: each does one job on plain data and knows no other package of ours.
	"help":            {nil, "help (the attendees' and speakers' help, Markdown rendered once) imports none of ours"},
	"pdf":             {nil, "pdf (fonts, sheets, drawing; gofpdf stays behind it) imports none of ours"},
	"charts":          {nil, "charts is given plain data and imports none of ours"},
	"sso":             {nil, "sso knows OpenID Connect, not accounts: it imports none of ours"},
	"locale":          {nil, "locale (messages, dates) imports none of ours"},
	"photo":           {nil, "photo (speaker photos) imports none of ours"},
	"templates":       {nil, "templates (embedded HTML, static files) imports none of ours"},
	"cluster":         {nil, "cluster (several processes behind a proxy, for tests and loadtest) imports none of ours"},
	"browsertest":     {nil, "browsertest (Chromium for tests) imports none of ours"},
	"allocation/flow": {nil, "allocation/flow (minimum-cost flow on plain numbers) imports none of ours"},

	// Helpers for tests of one package each: they read files and decode, nothing of ours.
	"importfile/importfiletest": {nil, "importfiletest imports none of ours"},
	"schedule/icaltest":         {nil, "icaltest imports none of ours"},
	"tickets/ticketstest":       {nil, "ticketstest imports none of ours"},

	// The exact allocation by preference: plain data in, seats out, on its own flow solver.
	"allocation": {[]string{"allocation/flow"}, "allocation is given plain data and imports only its flow solver"},

	// The domain packages: they may use models' types and draw with pdf, nothing else.
	"tickets": {[]string{"models", "pdf"}, "tickets may use models' types and pdf"},
	// #18 certificates: signed codes and the PDF, from plain data; the handlers gather it.
	"certificate": {[]string{"pdf"}, "certificate signs codes and draws with pdf, from plain data"},
	"schedule":    {[]string{"models", "pdf"}, "schedule may use models' types and pdf, not tickets"},
	"importfile":  {[]string{"models"}, "importfile may use models' types"},
	"demo":        {[]string{"models"}, "demo fills a store through models"},
	"metrics":     {[]string{"models"}, "metrics reads the store's figures"},
	// Signing up by preference: a venue's rankings from the store, allocated, written back.
	"preference": {[]string{"models", "allocation"}, "preference runs an allocation on the store's data"},
	// Judging a scan at a venue's door: which ticket a code names, for which venue and
	// version, and what checking it in comes to.
	"door": {[]string{"models", "tickets"}, "door may use models and tickets, and knows no HTTP"},
	// The outbox and SMTP: e-mails in the reader's language, with tickets attached.
	"mail": {[]string{"models", "locale", "tickets"}, "mail may use models, locale and tickets"},

	// HTTP glue: it may use every domain package, and no package but cmd may use it.
	"handlers": {[]string{"models", "tickets", "certificate", "schedule", "mail", "locale", "templates", "photo", "charts", "sso", "importfile", "door", "help", "preference", "allocation"},
		"handlers uses the domain packages; nothing but cmd imports handlers"},

	// The commands wire everything together.
	"cmd/dagplanner": {[]string{"handlers", "mail", "models", "schedule", "tickets", "sso", "demo", "metrics", "locale", "preference"},
		"cmd/dagplanner wires the server"},
	"cmd/loadtest": {[]string{"models", "tickets", "cluster"}, "cmd/loadtest drives a real server and prepares its store"},

	// This package.
	"architecture": {nil, "architecture imports none of ours"},
}

// testsMayImport says what a package's test files may import of ours: anything its own
// files may, and any package of ours but handlers and the commands (fixtures, the demo,
// the test helpers, and other domain packages to check what they produce together).
func testsMayImport(pkg, imp string) bool {
	if slices.Contains(allowed[pkg].imports, imp) || imp == pkg {
		return true
	}
	return imp != "handlers" && !strings.HasPrefix(imp, "cmd/")
}

// noHTTP lists the packages that must know nothing of HTTP: the web is handlers' job.
var noHTTP = []string{"models", "pdf", "tickets", "certificate", "schedule", "door", "mail", "locale", "charts", "photo", "importfile", "demo"}

// httpPackages are the imports that mean a package speaks HTTP.
var httpPackages = []string{"net/http", "github.com/gin-gonic/gin"}

// pkg is what go list says of one package.
type pkg struct {
	ImportPath     string
	Dir            string
	GoFiles        []string
	TestGoFiles    []string
	XTestGoFiles   []string
	IgnoredGoFiles []string
	Imports        []string
	TestImports    []string
	XTestImports   []string
}

// listPackages runs go list on the whole module.
func listPackages(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-e", "-json=ImportPath,Dir,GoFiles,TestGoFiles,XTestGoFiles,IgnoredGoFiles,Imports,TestImports,XTestImports", "./...")
	cmd.Dir = ".."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found %d packages, want the whole module", len(pkgs))
	}
	return pkgs
}

// ours returns path relative to the module, or false if it is not a package of ours.
func ours(path string) (string, bool) {
	if path == module {
		return ".", true
	}
	return strings.CutPrefix(path, module+"/")
}

// check returns every import of pkgs that the rules do not allow, in words.
func check(pkgs []pkg) []string {
	var bad []string
	for _, p := range pkgs {
		name, ok := ours(p.ImportPath)
		if !ok {
			continue
		}
		r, known := allowed[name]
		if !known {
			bad = append(bad, fmt.Sprintf("package %s has no rule: add it to allowed in architecture_test.go and to DEVELOPERS.md", name))
			continue
		}
		for _, imp := range p.Imports {
			if target, ok := ours(imp); ok && !slices.Contains(r.imports, target) {
				bad = append(bad, fmt.Sprintf("%s → %s is not allowed: %s", name, target, r.why))
			}
			if slices.Contains(noHTTP, name) && slices.Contains(httpPackages, imp) {
				bad = append(bad, fmt.Sprintf("%s → %s is not allowed: %s knows no HTTP", name, imp, name))
			}
		}
		for _, imp := range append(slices.Clone(p.TestImports), p.XTestImports...) {
			if target, ok := ours(imp); ok && !testsMayImport(name, target) {
				bad = append(bad, fmt.Sprintf("%s (tests) → %s is not allowed: tests may import any package of ours but handlers and the commands", name, target))
			}
		}
	}
	slices.Sort(bad)
	return slices.Compact(bad)
}

// TestImports fails on every import arrow the house does not allow.
func TestImports(t *testing.T) {
	for _, b := range check(listPackages(t)) {
		t.Error(b)
	}
}

// TestRulesNameRealPackages keeps the table honest: every rule is about a package that
// exists, and every package a rule allows exists.
func TestRulesNameRealPackages(t *testing.T) {
	exists := map[string]bool{}
	for _, p := range listPackages(t) {
		if name, ok := ours(p.ImportPath); ok {
			exists[name] = true
		}
	}
	for name, r := range allowed {
		if !exists[name] {
			t.Errorf("allowed has a rule for %s, which is not a package of the module", name)
		}
		for _, imp := range r.imports {
			if !exists[imp] {
				t.Errorf("allowed lets %s import %s, which is not a package of the module", name, imp)
			}
		}
	}
}

// TestCheck shows that check finds what it should: a forbidden arrow, HTTP in a package
// that must know none, a package without a rule and a test importing handlers, and lets
// the allowed arrows and other modules' packages pass.
func TestCheck(t *testing.T) {
	m := func(name string) string { return module + "/" + name }
	for _, tc := range []struct {
		name string
		pkg  pkg
		want []string
	}{
		{"allowed", pkg{ImportPath: m("schedule"), Imports: []string{m("models"), m("pdf"), "fmt", "github.com/arran4/golang-ical"}}, nil},
		{"models imports ours", pkg{ImportPath: m("models"), Imports: []string{m("locale")}},
			[]string{"models → locale is not allowed: models imports no other package of ours"}},
		{"schedule imports tickets", pkg{ImportPath: m("schedule"), Imports: []string{m("tickets")}},
			[]string{"schedule → tickets is not allowed: schedule may use models' types and pdf, not tickets"}},
		{"mail imports handlers", pkg{ImportPath: m("mail"), Imports: []string{m("handlers")}},
			[]string{"mail → handlers is not allowed: mail may use models, locale and tickets"}},
		{"tickets knows HTTP", pkg{ImportPath: m("tickets"), Imports: []string{"net/http"}},
			[]string{"tickets → net/http is not allowed: tickets knows no HTTP"}},
		{"schedule knows gin", pkg{ImportPath: m("schedule"), Imports: []string{"github.com/gin-gonic/gin"}},
			[]string{"schedule → github.com/gin-gonic/gin is not allowed: schedule knows no HTTP"}},
		{"no rule", pkg{ImportPath: m("util")}, []string{"package util has no rule: add it to allowed in architecture_test.go and to DEVELOPERS.md"}},
		{"test imports handlers", pkg{ImportPath: m("mail"), XTestImports: []string{m("handlers")}},
			[]string{"mail (tests) → handlers is not allowed: tests may import any package of ours but handlers and the commands"}},
		{"test imports a fixture", pkg{ImportPath: m("mail"), TestImports: []string{m("models/modelstest"), m("browsertest")}}, nil},
		{"other module", pkg{ImportPath: "example.com/x", Imports: []string{m("handlers")}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := check([]pkg{tc.pkg})
			if !slices.Equal(got, tc.want) {
				t.Errorf("check() = %q, want %q", got, tc.want)
			}
		})
	}
}

// mayCallDB lists the packages whose files may call Store.DB(): models itself (and its
// tests) and the test setters of modelstest. Everyone else, tests included, uses Store
// methods or the setters of modelstest.
var mayCallDB = []string{"models", "models/modelstest"}

// dbCalls returns where the Go source src, a file named name, calls .DB() with no arguments
// on something, if it imports models: on a Store, as the file has no other business with a
// gorm connection.
func dbCalls(name string, src []byte) ([]string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	importsModels := slices.ContainsFunc(f.Imports, func(s *ast.ImportSpec) bool {
		path, _ := strconv.Unquote(s.Path.Value)
		return path == module+"/models"
	})
	if !importsModels {
		return nil, nil
	}
	var at []string
	ast.Inspect(f, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && len(call.Args) == 0 {
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "DB" {
				at = append(at, fset.Position(call.Pos()).String())
			}
		}
		return true
	})
	return at, nil
}

// TestNoStoreDBOutsideModels fails on a call of Store.DB() in any Go file outside models and
// modelstest, test files (and files left out by build constraints) included: what needs the
// database gets a Store method, and a test that must reach behind the store's back uses a
// setter of modelstest.
func TestNoStoreDBOutsideModels(t *testing.T) {
	for _, p := range listPackages(t) {
		name, ok := ours(p.ImportPath)
		if !ok || slices.Contains(mayCallDB, name) {
			continue
		}
		for _, file := range slices.Concat(p.GoFiles, p.TestGoFiles, p.XTestGoFiles, p.IgnoredGoFiles) {
			path := filepath.Join(p.Dir, file)
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			at, err := dbCalls(path, src)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range at {
				t.Errorf("%s: Store.DB() outside models: add a Store method (or, in a test, a setter of modelstest) instead", a)
			}
		}
	}
}

// TestDBCalls shows that dbCalls finds a call of .DB() in a file that imports models, and
// leaves other files and other methods alone.
func TestDBCalls(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      int
	}{
		{"store", "package x\nimport \"" + module + "/models\"\nfunc f(s *models.Store) { s.DB().Find(nil) }\n", 1},
		{"two", "package x\nimport \"" + module + "/models\"\nfunc f(s *models.Store) { s.DB(); g(s.DB()) }\nfunc g(any) {}\n", 2},
		{"no models", "package x\nimport \"gorm.io/gorm\"\nfunc f(db *gorm.DB) { db.DB() }\n", 0},
		{"other method", "package x\nimport \"" + module + "/models\"\nfunc f(s *models.Store) { s.Ping(nil) }\n", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			at, err := dbCalls("x.go", []byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			if len(at) != tc.want {
				t.Errorf("dbCalls() = %q, want %d calls", at, tc.want)
			}
		})
	}
}
