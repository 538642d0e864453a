package main

import (
	"fmt"
	"net"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

func TestHelpListsEveryCommand(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"--help"}, {"help"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var out syncBuffer
			if err := run(modelstest.Ctx(), args, envMap(nil), strings.NewReader(""), &out); err != nil {
				t.Fatalf("run(%q) = %v, want nil: help is no failure", args, err)
			}
			text := out.String()
			for _, name := range []string{"serve", "user add", "user passwd", "token add", "token revoke", "schedule plan", "audit verify", "audit anonymise", "help"} {
				if !regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(name) + ` +\S`).MatchString(text) {
					t.Errorf("run(%q) lists no line for %q:\n%s", args, name, text)
				}
			}
			for _, cmd := range commands() {
				if !strings.Contains(text, cmd.summary) {
					t.Errorf("run(%q) does not describe %q as %q", args, cmd.name, cmd.summary)
				}
			}
			if !strings.Contains(text, "-base-url") {
				t.Errorf("run(%q) does not show the server's flags:\n%s", args, text)
			}
		})
	}
	// A command's own -h shows its flags, and is no failure either.
	var out syncBuffer
	if err := run(modelstest.Ctx(), []string{"user", "passwd", "-h"}, envMap(nil), strings.NewReader(""), &out); err != nil {
		t.Errorf("user passwd -h = %v, want nil", err)
	}
	if !strings.Contains(out.String(), "-password-stdin") {
		t.Errorf("user passwd -h does not show --password-stdin:\n%s", out.String())
	}
}

func TestUserPasswd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "users.db")
	ctx := modelstest.Ctx()
	add := []string{"user", "add", "--db", db, "--email", "anna@example.nl", "--role", "admin", "--password-stdin"}
	if err := run(ctx, add, envMap(nil), strings.NewReader("het eerste wachtwoord\n"), &syncBuffer{}); err != nil {
		t.Fatalf("user add: %v", err)
	}
	var out syncBuffer
	passwd := []string{"user", "passwd", "--db", db, "--email", "Anna@Example.nl", "--password-stdin"}
	if err := run(ctx, passwd, envMap(nil), strings.NewReader("het tweede wachtwoord\n"), &out); err != nil {
		t.Fatalf("user passwd: %v", err)
	}
	if want := "changed the password of anna@example.nl"; !strings.Contains(out.String(), want) {
		t.Errorf("user passwd printed %q, want it to say %q", out.String(), want)
	}
	checkLogin(t, db, "anna@example.nl", "het tweede wachtwoord")

	tests := []struct {
		name, stdin, wantErr string
		args                 []string
	}{
		{"no --password-stdin", "het derde wachtwoord\n", "--password-stdin", []string{"--email", "anna@example.nl"}},
		{"no address", "het derde wachtwoord\n", "address is required", []string{"--password-stdin"}},
		{"two addresses", "het derde wachtwoord\n", "give one address", []string{"--email", "anna@example.nl", "--password-stdin", "bob@example.nl"}},
		{"breached password", "qwertyqwerty\n", "is on the list of common, breached passwords", []string{"anna@example.nl", "--password-stdin"}},
		{"short password", "kort\n", "the password on standard input (--password-stdin) must be at least 12 characters", []string{"--email", "anna@example.nl", "--password-stdin"}},
		{"unknown account", "het derde wachtwoord\n", "there is no account for bob@example.nl", []string{"--email", "bob@example.nl", "--password-stdin"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"user", "passwd", "--db", db}, tc.args...)
			err := run(ctx, args, envMap(nil), strings.NewReader(tc.stdin), &syncBuffer{})
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("run(%q) = %v, want an error containing %q", args, err, tc.wantErr)
			}
		})
	}
	checkLogin(t, db, "anna@example.nl", "het tweede wachtwoord") // the refusals changed nothing

	// The address as the argument EMAIL, before or after the flags (#16).
	for i, args := range [][]string{
		{"user", "passwd", "Anna@Example.nl", "--db", db, "--password-stdin"},
		{"user", "passwd", "--db", db, "--password-stdin", "anna@example.nl"},
	} {
		pw := fmt.Sprintf("het wachtwoord nummer %d", i+3)
		if err := run(ctx, args, envMap(nil), strings.NewReader(pw+"\n"), &syncBuffer{}); err != nil {
			t.Fatalf("run(%q): %v", args, err)
		}
		checkLogin(t, db, "anna@example.nl", pw)
	}
}

func TestBaseURLFromAddr(t *testing.T) {
	tests := []struct {
		addr net.Addr
		want string
	}{
		{&net.TCPAddr{IP: net.IPv6zero, Port: 8080}, "http://localhost:8080"},
		{&net.TCPAddr{IP: net.IPv4zero, Port: 9090}, "http://localhost:9090"},
		{&net.TCPAddr{IP: net.ParseIP("127.0.0.1"), Port: 41234}, "http://127.0.0.1:41234"},
		{&net.TCPAddr{IP: net.ParseIP("::1"), Port: 9090}, "http://[::1]:9090"},
		{&net.TCPAddr{IP: net.ParseIP("192.0.2.10"), Port: 80}, "http://192.0.2.10:80"},
	}
	for _, tc := range tests {
		if got := baseURLFor(tc.addr); got != tc.want {
			t.Errorf("baseURLFor(%s) = %q, want %q", tc.addr, got, tc.want)
		}
	}
}

func TestBaseURLMismatch(t *testing.T) {
	listen := &net.TCPAddr{IP: net.IPv6zero, Port: 9090}
	tests := []struct {
		base string
		warn bool
	}{
		{"http://localhost:8080", true},
		{"http://127.0.0.1:8080", true},
		{"http://localhost", true},
		{"http://localhost:9090", false},
		{"http://[::1]:9090", false},
		{"https://dagplanner.example.nl", false}, // a reverse proxy in front
		{"http://dagplanner.example.nl:8080", false},
	}
	for _, tc := range tests {
		if got := baseURLMismatch(tc.base, listen); (got != "") != tc.warn {
			t.Errorf("baseURLMismatch(%q, %s) = %q, want a warning: %v", tc.base, listen, got, tc.warn)
		}
	}
}

func TestServeDerivesBaseURLFromAddr(t *testing.T) {
	// No --base-url: the links are the address listened on, and the log says so.
	srv := startServer(t, "--db", filepath.Join(t.TempDir(), "a.db"))
	if !strings.Contains(srv.Out.String(), "url="+srv.URL) || !strings.Contains(srv.Out.String(), "no --base-url given") {
		t.Errorf("the log does not say the base URL is %s, derived from --addr:\n%s", srv.URL, srv.Out.String())
	}
	// A base URL on this machine but another port: a warning.
	other := startServer(t, "--db", filepath.Join(t.TempDir(), "b.db"), "--base-url", "http://localhost:1")
	if !strings.Contains(other.Out.String(), "level=WARN") || !strings.Contains(other.Out.String(), "names port 1 of this machine") {
		t.Errorf("no warning that --base-url names another port:\n%s", other.Out.String())
	}
	if _, err := parseServeFlags([]string{"--base-url", "localhost:8080"}, envMap(nil), &syncBuffer{}); err == nil {
		t.Error("--base-url without http:// accepted, want an error")
	}
}
