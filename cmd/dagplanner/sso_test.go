package main

import (
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oauth2-proxy/mockoidc"
)

// startIdP runs an OpenID Connect provider in this process and returns the environment that
// points Dagplanner at it.
func startIdP(t *testing.T) map[string]string {
	t.Helper()
	idp, err := mockoidc.Run()
	if err != nil {
		t.Fatalf("start the identity provider: %v", err)
	}
	t.Cleanup(func() { idp.Shutdown() })
	return map[string]string{"DAGPLANNER_OIDC_ISSUER": idp.Issuer(), "DAGPLANNER_OIDC_CLIENT_ID": idp.ClientID,
		"DAGPLANNER_OIDC_CLIENT_SECRET": idp.ClientSecret, "DAGPLANNER_OIDC_NAME": "Rijksportaal"}
}

// startDemoWithSSO is startDemo with single sign-on against an in-process provider, so the
// sign-in page shows its button.
func startDemoWithSSO(t *testing.T) *testServer {
	t.Helper()
	return startServerEnv(t, startIdP(t), "--db", demoDB(t, true), "--demo")
}

func TestServeFlagsOIDC(t *testing.T) {
	env := map[string]string{"DAGPLANNER_OIDC_ISSUER": "https://login.example.nl/realms/gemeente",
		"DAGPLANNER_OIDC_CLIENT_ID": "dagplanner", "DAGPLANNER_OIDC_CLIENT_SECRET": "heel-geheim", "DAGPLANNER_OIDC_NAME": "Rijksportaal"}
	cfg, err := parseServeFlags(nil, envMap(env), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.OIDC.Issuer != env["DAGPLANNER_OIDC_ISSUER"] || cfg.OIDC.ClientID != "dagplanner" || cfg.OIDC.ClientSecret != "heel-geheim" || cfg.OIDC.Name != "Rijksportaal" {
		t.Errorf("OIDC config = %v, want the environment's values", cfg.OIDC)
	}
	if cfg, err := parseServeFlags(nil, envMap(nil), io.Discard); err != nil || cfg.OIDC.Configured() {
		t.Errorf("without the environment: %v, configured %v; want single sign-on off", err, cfg.OIDC.Configured())
	}
	delete(env, "DAGPLANNER_OIDC_CLIENT_SECRET")
	if _, err := parseServeFlags(nil, envMap(env), io.Discard); err == nil || !strings.Contains(err.Error(), "DAGPLANNER_OIDC_CLIENT_SECRET") {
		t.Errorf("without a client secret: %v, want an error naming DAGPLANNER_OIDC_CLIENT_SECRET", err)
	}
	var help strings.Builder
	parseServeFlags([]string{"-h"}, envMap(map[string]string{"DAGPLANNER_OIDC_CLIENT_SECRET": "heel-geheim"}), &help)
	if strings.Contains(help.String(), "heel-geheim") {
		t.Error("-h prints the client secret")
	}
}

// TestRunWithSSO starts the program with single sign-on: discovery at start-up, the button
// on the sign-in page; and with a provider that cannot be reached, the program starts all
// the same and says single sign-on is unavailable.
func TestRunWithSSO(t *testing.T) {
	t.Run("provider reachable", func(t *testing.T) {
		env := startIdP(t)
		srv := startServerEnv(t, env, "--db", filepath.Join(t.TempDir(), "sso.db"))
		if out := srv.Out.String(); !strings.Contains(out, "single sign-on available") || strings.Contains(out, env["DAGPLANNER_OIDC_CLIENT_SECRET"]) {
			t.Errorf("log lacks single sign-on available, or shows the secret:\n%s", out)
		}
		status, body := get(t, newClient(t), srv.URL, "/beheer/inloggen")
		if status != http.StatusOK || !strings.Contains(body, "Inloggen met Rijksportaal") || !strings.Contains(body, `href="/beheer/inloggen/sso"`) {
			t.Errorf("sign-in page: status %d, want 200 with the button; body:\n%s", status, body)
		}
		c := newClient(t)
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		resp, err := c.Get(srv.URL + "/beheer/inloggen/sso")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if to := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(to, env["DAGPLANNER_OIDC_ISSUER"]) ||
			!strings.Contains(to, "redirect_uri="+url.QueryEscape(srv.URL+"/beheer/inloggen/sso/terug")+"&") {
			t.Errorf("start: status %d to %q, want 303 to the provider with our callback as redirect_uri", resp.StatusCode, to)
		}
	})
	t.Run("provider down", func(t *testing.T) {
		idp, err := mockoidc.Run()
		if err != nil {
			t.Fatal(err)
		}
		issuer := idp.Issuer()
		idp.Shutdown()
		env := map[string]string{"DAGPLANNER_OIDC_ISSUER": issuer, "DAGPLANNER_OIDC_CLIENT_ID": "dagplanner",
			"DAGPLANNER_OIDC_CLIENT_SECRET": "heel-geheim", "DAGPLANNER_OIDC_NAME": "Rijksportaal"}
		srv := startServerEnv(t, env, "--db", filepath.Join(t.TempDir(), "sso.db"))
		if out := srv.Out.String(); !strings.Contains(out, "single sign-on unavailable") || strings.Contains(out, "heel-geheim") {
			t.Errorf("log lacks single sign-on unavailable, or shows the secret:\n%s", out)
		}
		status, body := get(t, newClient(t), srv.URL, "/beheer/inloggen")
		if status != http.StatusOK || !strings.Contains(body, "Inloggen met Rijksportaal kan nu niet") {
			t.Errorf("sign-in page: status %d, want 200 saying single sign-on is unavailable; body:\n%s", status, body)
		}
	})
}
