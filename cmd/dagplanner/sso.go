package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/ambtenaar20/dagplanner/sso"
)

// ssoRetry is how often discovery is tried again while the identity provider could not be
// reached at start-up.
const ssoRetry = time.Minute

// startSSO makes the single sign-on client when the installation configured one, and reads
// the provider's discovery document (within sso.Timeout). When that fails the server starts
// all the same: the sign-in page says single sign-on is unavailable, and serve keeps trying.
func startSSO(ctx context.Context, cfg sso.Config, log *slog.Logger) *sso.Client {
	if !cfg.Configured() {
		return nil
	}
	c := sso.New(cfg)
	if err := c.Discover(ctx); err != nil {
		log.Error("single sign-on unavailable: discovery failed; retrying every minute", "issuer", cfg.Issuer, "err", err)
		return c
	}
	log.Info("single sign-on available", "issuer", cfg.Issuer, "client_id", cfg.ClientID, "name", c.Name())
	return c
}
