package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const unitFile = "../../deploy/dagplanner@.service"

// unitDirectives reads a systemd unit as instance, with %i and %S expanded: each
// directive's values, in order.
func unitDirectives(t *testing.T, instance string) map[string][]string {
	t.Helper()
	f, err := os.Open(unitFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "[") {
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("%s: not a directive: %q", unitFile, line)
		}
		value = strings.NewReplacer("%i", instance, "%S", "/var/lib").Replace(value)
		out[key] = append(out[key], value)
	}
	return out
}

// TestSystemdUnit checks what matters in the systemd unit: never root, the file system
// read-only but for the state directory, and an ExecStart whose flags the program accepts.
func TestSystemdUnit(t *testing.T) {
	t.Parallel()
	d := unitDirectives(t, "8081")
	for key, want := range map[string]string{
		"DynamicUser": "yes", "User": "dagplanner", "ProtectSystem": "strict", "StateDirectory": "dagplanner",
		"WorkingDirectory": "/var/lib/dagplanner", "NoNewPrivileges": "yes", "PrivateTmp": "yes",
		"EnvironmentFile": "/etc/dagplanner/dagplanner.env", "Restart": "on-failure",
	} {
		if got := d[key]; len(got) != 1 || got[0] != want {
			t.Errorf("%s=%v, want %s", key, got, want)
		}
	}

	// The command line, with the environment the unit sets, as the program parses it.
	argv := strings.Fields(d["ExecStart"][0])
	if len(argv) < 2 || filepath.Base(argv[0]) != "dagplanner" || argv[1] != "serve" {
		t.Fatalf("ExecStart=%v, want dagplanner serve …", argv)
	}
	env := map[string]string{}
	for _, e := range d["Environment"] {
		k, v, _ := strings.Cut(e, "=")
		env[k] = v
	}
	cfg, err := parseServeFlags(argv[2:], envMap(env), io.Discard)
	if err != nil {
		t.Fatalf("the flags of ExecStart=%v: %v", argv, err)
	}
	if cfg.Addr != "127.0.0.1:8081" || cfg.MetricsAddr != "127.0.0.1:18081" {
		t.Errorf("dagplanner@8081 listens on %q with metrics on %q, want 127.0.0.1:8081 and 127.0.0.1:18081", cfg.Addr, cfg.MetricsAddr)
	}
}

// TestSystemdUnitVerifies runs systemd's own checker on an instance of the unit, when it is
// installed. The binary named in ExecStart must exist, so the copy runs this test binary.
func TestSystemdUnitVerifies(t *testing.T) {
	t.Parallel()
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze not installed")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	unit, err := os.ReadFile(unitFile)
	if err != nil {
		t.Fatal(err)
	}
	instance := filepath.Join(t.TempDir(), "dagplanner@8081.service")
	text := strings.ReplaceAll(string(unit), "/usr/local/bin/dagplanner", self)
	if err := os.WriteFile(instance, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(analyze, "verify", instance).CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}
