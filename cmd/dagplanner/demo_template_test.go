package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
)

// demoTemplate is a SQLite file the demo was loaded into, once per test binary and kind of
// demo, so that the tests that want "the program with --demo on a new database" each start
// it on a copy (demoDB) instead of loading the demo again. The demo's own tests (run_test.go)
// still load it into an empty database.
type demoTemplate struct {
	data []byte // the file, closed
	out  string // what loading the demo printed: the message with the admin's password
}

// demoTemplates holds the template with and without the demo's registrations.
var demoTemplates = map[bool]func() (demoTemplate, error){
	true:  sync.OnceValues(func() (demoTemplate, error) { return makeDemoTemplate(true) }),
	false: sync.OnceValues(func() (demoTemplate, error) { return makeDemoTemplate(false) }),
}

// makeDemoTemplate loads the demo into a new SQLite file as run does with --demo.
func makeDemoTemplate(registrations bool) (demoTemplate, error) {
	dir, err := os.MkdirTemp("", "dagplanner-demo-")
	if err != nil {
		return demoTemplate{}, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "demo.db")
	ctx := context.Background()
	store, err := models.Open(ctx, path)
	if err != nil {
		return demoTemplate{}, err
	}
	cfg := Config{DB: path, BaseURL: "http://127.0.0.1", Demo: true, DemoScale: 1, DemoRegistrations: registrations}
	var out bytes.Buffer
	err = loadDemo(models.WithActor(ctx, cliActor(envMap(nil))), store, cfg, &out)
	if cerr := store.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return demoTemplate{}, err
	}
	// Closing folds the write-ahead log into the file: the copies must not need it.
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		return demoTemplate{}, fmt.Errorf("%s-wal is left with %d bytes after closing", path, fi.Size())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return demoTemplate{}, err
	}
	return demoTemplate{data: data, out: out.String()}, nil
}

// demoOutputs maps the path of each copy demoDB made to the demo message, which
// startServer shows in the server's output as if that run had loaded the demo.
var demoOutputs sync.Map

// demoDB writes a copy of the demo template, with or without the demo's registrations (as
// --demo-registrations says), into t's temp dir and returns its path. Start the program on
// it with --demo as before: it finds the demo loaded, and the test finds the demo message
// with the admin's password in srv.Out.
func demoDB(t *testing.T, registrations bool) string {
	t.Helper()
	tmpl, err := demoTemplates[registrations]()
	if err != nil {
		t.Fatalf("load the demo into a template: %v", err)
	}
	path := filepath.Join(t.TempDir(), "e2e.db")
	if err := os.WriteFile(path, tmpl.data, 0o600); err != nil {
		t.Fatalf("copy the demo template: %v", err)
	}
	demoOutputs.Store(path, tmpl.out)
	return path
}
