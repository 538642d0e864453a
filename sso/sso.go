// Package sso signs organisers in through the organisation's own identity provider with
// OpenID Connect: the authorisation code flow with PKCE, the ID token verified against the
// provider's published keys. It knows nothing of accounts or HTTP sessions: it starts a
// flow and turns its answer into a verified Identity.
package sso

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// Config is what an installation sets to use single sign-on; all of it comes from the
// environment (DAGPLANNER_OIDC_*).
type Config struct {
	// Issuer is the provider's issuer URL; its discovery document lives under it.
	Issuer string
	// ClientID and ClientSecret identify Dagplanner at the provider. The secret is never
	// logged nor shown.
	ClientID, ClientSecret string
	// Name labels the button ("Sign in with <Name>").
	Name string
}

// Configured reports whether the installation asks for single sign-on at all.
func (c Config) Configured() bool { return c.Issuer != "" || c.ClientID != "" }

// Validate reports the first thing missing from a configuration that asks for single sign-on.
func (c Config) Validate() error {
	switch {
	case c.Issuer == "":
		return errors.New("DAGPLANNER_OIDC_ISSUER is not set")
	case c.ClientID == "":
		return errors.New("DAGPLANNER_OIDC_CLIENT_ID is not set")
	case c.ClientSecret == "":
		return errors.New("DAGPLANNER_OIDC_CLIENT_SECRET is not set")
	}
	return nil
}

// String describes the configuration for the log, without the secret.
func (c Config) String() string {
	return fmt.Sprintf("issuer=%s client_id=%s name=%q", c.Issuer, c.ClientID, c.Name)
}

// Timeout bounds every request to the provider: discovery, keys and the code exchange.
const Timeout = 10 * time.Second

// FlowLifetime is how long a started sign-in may take at the provider before its answer is
// refused.
const FlowLifetime = 10 * time.Minute

// Reasons a sign-in fails; Finish wraps one of them, so the log and the page can say which.
var (
	ErrUnavailable = errors.New("identity provider unavailable")
	ErrState       = errors.New("state missing, expired or not ours")
	ErrRefused     = errors.New("the provider did not sign the person in")
	ErrExchange    = errors.New("code exchange failed")
	ErrToken       = errors.New("ID token invalid")
	ErrNonce       = errors.New("nonce mismatch")
)

// MFAMethods are the values of the ID token's amr claim (RFC 8176 and common practice) that
// show the provider checked more than a password: an explicit "mfa", a one-time code
// (otp, sms, tel), a hardware or software key or smart card (hwk, swk, sc), or a FIDO
// authenticator (fido).
var MFAMethods = []string{"mfa", "otp", "sms", "tel", "hwk", "swk", "sc", "fido"}

// Identity is what a verified ID token says about the person.
type Identity struct {
	Subject       string
	Email         string
	EmailVerified bool
	// AMR lists the authentication methods the provider used (the amr claim).
	AMR []string
}

// MultiFactor reports whether the provider says it checked a second factor.
func (id Identity) MultiFactor() bool {
	return slices.ContainsFunc(id.AMR, func(m string) bool { return slices.Contains(MFAMethods, m) })
}

// Flow is a started sign-in, kept server-side (in the web session) until the provider
// sends the person back. It holds secrets: never log it.
type Flow struct {
	State    string    `json:"state"`
	Nonce    string    `json:"nonce"`
	Verifier string    `json:"verifier"`
	Back     string    `json:"back"`
	Started  time.Time `json:"started"`
}

// Client talks to one identity provider. It is safe for concurrent use; until discovery has
// succeeded it is not Ready and refuses to start a sign-in.
type Client struct {
	cfg  Config
	http *http.Client
	now  func() time.Time

	mu       sync.RWMutex
	oauth    *oauth2.Config // nil until discovered; RedirectURL is set per flow
	verifier *oidc.IDTokenVerifier
}

// New returns a client for cfg; call Discover before use. Without a Name, the button is
// labelled with the issuer's host.
func New(cfg Config) *Client {
	if cfg.Name == "" {
		if u, err := url.Parse(cfg.Issuer); err == nil && u.Hostname() != "" {
			cfg.Name = u.Hostname()
		} else {
			cfg.Name = cfg.Issuer
		}
	}
	return &Client{cfg: cfg, http: &http.Client{Timeout: Timeout}, now: time.Now}
}

// Name is the provider's label for the button.
func (c *Client) Name() string { return c.cfg.Name }

// Ready reports whether discovery has succeeded.
func (c *Client) Ready() bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.oauth != nil
}

// Discover reads the provider's discovery document (its endpoints and key set address).
// It checks that the document names the configured issuer and offers PKCE with S256.
func (c *Client) Discover(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, c.http), Timeout)
	defer cancel()
	p, err := oidc.NewProvider(ctx, c.cfg.Issuer)
	if err != nil {
		return fmt.Errorf("discover %s: %w", c.cfg.Issuer, err)
	}
	var doc struct {
		Challenges []string `json:"code_challenge_methods_supported"`
	}
	if err := p.Claims(&doc); err != nil {
		return fmt.Errorf("discover %s: %w", c.cfg.Issuer, err)
	}
	// A provider that does not list its PKCE methods may still support them (RFC 8414 makes
	// the field optional); one that lists them without S256 would ignore our challenge.
	if len(doc.Challenges) > 0 && !slices.Contains(doc.Challenges, "S256") {
		return fmt.Errorf("discover %s: PKCE with S256 not supported (offers %v)", c.cfg.Issuer, doc.Challenges)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.oauth = &oauth2.Config{ClientID: c.cfg.ClientID, ClientSecret: c.cfg.ClientSecret,
		Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "email"}}
	c.verifier = p.Verifier(&oidc.Config{ClientID: c.cfg.ClientID, Now: c.now})
	return nil
}

// KeepDiscovering retries discovery every interval until it succeeds or ctx ends, so that a
// provider that was down at start-up is used once it is back. It returns at once when the
// client is ready.
func (c *Client) KeepDiscovering(ctx context.Context, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for !c.Ready() {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := c.Discover(ctx); err != nil {
			if ctx.Err() == nil {
				log.Warn("single sign-on still unavailable", "err", err)
			}
			continue
		}
		log.Info("single sign-on available", "issuer", c.cfg.Issuer)
	}
}

func (c *Client) config(redirectURL string) (*oauth2.Config, *oidc.IDTokenVerifier, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.oauth == nil {
		return nil, nil, ErrUnavailable
	}
	cfg := *c.oauth
	cfg.RedirectURL = redirectURL
	return &cfg, c.verifier, nil
}

// Start begins a sign-in: it returns the flow to keep server-side and the provider's
// address to send the person to. redirectURL is where the provider sends them back; back
// is where Dagplanner goes after signing in.
func (c *Client) Start(redirectURL, back string) (Flow, string, error) {
	cfg, _, err := c.config(redirectURL)
	if err != nil {
		return Flow{}, "", err
	}
	f := Flow{State: rand.Text(), Nonce: rand.Text(), Verifier: oauth2.GenerateVerifier(), Back: back, Started: c.now()}
	to := cfg.AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier))
	return f, to, nil
}

// Answer is what the provider sent back in the redirect's query.
type Answer struct {
	State, Code, Error string
}

// Finish checks the provider's answer against the flow started for this browser, exchanges
// the code (with the PKCE verifier) and verifies the ID token: signature, issuer, audience
// (our client id, and azp when there are several), expiry and nonce. The error wraps one of
// the Err* reasons and never holds a token; with ErrNonce the token's identity comes too.
func (c *Client) Finish(ctx context.Context, f Flow, redirectURL string, a Answer) (Identity, error) {
	cfg, verifier, err := c.config(redirectURL)
	if err != nil {
		return Identity{}, err
	}
	if f.State == "" || a.State == "" || subtle.ConstantTimeCompare([]byte(f.State), []byte(a.State)) != 1 ||
		c.now().Sub(f.Started) > FlowLifetime {
		return Identity{}, ErrState
	}
	if a.Error != "" || a.Code == "" {
		return Identity{}, fmt.Errorf("%w: %.100q", ErrRefused, a.Error)
	}
	ctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, c.http), Timeout)
	defer cancel()
	token, err := cfg.Exchange(ctx, a.Code, oauth2.VerifierOption(f.Verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) { // its message holds the response body: log only the code
			return Identity{}, fmt.Errorf("%w: status %d, %.100q", ErrExchange, re.Response.StatusCode, re.ErrorCode)
		}
		return Identity{}, fmt.Errorf("%w: %w", ErrExchange, err)
	}
	raw, _ := token.Extra("id_token").(string)
	if raw == "" {
		return Identity{}, fmt.Errorf("%w: no id_token in the token response", ErrToken)
	}
	idToken, err := verifier.Verify(ctx, raw)
	if err != nil {
		return Identity{}, fmt.Errorf("%w: %w", ErrToken, err)
	}
	id, err := c.identity(idToken)
	if err != nil {
		return Identity{}, err
	}
	// A genuine token from another flow (replayed, or injected into this browser): the
	// identity comes along so that the account it names can be told.
	if subtle.ConstantTimeCompare([]byte(idToken.Nonce), []byte(f.Nonce)) != 1 {
		return id, ErrNonce
	}
	return id, nil
}

// identity reads the claims Dagplanner uses from a verified token.
func (c *Client) identity(t *oidc.IDToken) (Identity, error) {
	var claims struct {
		Email         string          `json:"email"`
		EmailVerified json.RawMessage `json:"email_verified"`
		AMR           []string        `json:"amr"`
		AZP           string          `json:"azp"`
	}
	if err := t.Claims(&claims); err != nil {
		return Identity{}, fmt.Errorf("%w: claims: %w", ErrToken, err)
	}
	// With several audiences, the party the token was issued to must be us (OIDC Core 3.1.3.7).
	if len(t.Audience) > 1 && claims.AZP != c.cfg.ClientID {
		return Identity{}, fmt.Errorf("%w: several audiences and azp %q is not our client id", ErrToken, claims.AZP)
	}
	// Some providers send the flag as the string "true".
	verified := string(claims.EmailVerified) == "true" || string(claims.EmailVerified) == `"true"`
	return Identity{Subject: t.Subject, Email: claims.Email, EmailVerified: verified, AMR: claims.AMR}, nil
}
