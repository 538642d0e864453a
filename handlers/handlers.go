// Package handlers is Dagplanner's HTTP layer: routes, pages, forms and the JSON API.
//
// routes.go lists every route. A file is named after the URL area it serves: the public
// site by its page (public.go, register.go for /aanmelden, booking.go for /boeking,
// proposals.go, vote.go, door.go), the organisers' pages beheer_<area>[_<part>].go after the
// section of /beheer (beheer_sessions.go for /beheer/sessies, beheer_people_import.go for
// /beheer/deelnemers/importeren), and the JSON API api_<resource>[_<part>].go. What the pages
// share has a file of its own: json.go (the API's error shape and body decoding), session.go
// (signing in, the flash message), beheer.go (the organiser shell and its checks), form.go,
// render.go (pages and error pages), store_errors.go (how each error of the store is
// answered) and middleware.go.
package handlers

import (
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/help"
	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/sso"
	"github.com/ambtenaar20/dagplanner/templates"
	"github.com/ambtenaar20/dagplanner/tickets"
)

// Config holds what the handlers depend on.
type Config struct {
	Store  *models.Store
	Logger *slog.Logger
	// SecureCookies marks cookies Secure; set it whenever Dagplanner is served over TLS.
	SecureCookies bool
	// BaseURL is the site's public address, for links shown to be opened elsewhere (a
	// device's pairing link); empty means the address the request came in on.
	BaseURL string
	// Tickets renders PDF tickets, badges and door lists; nil makes one. The server shares
	// one with the mail worker, so the fonts are prepared once.
	Tickets *tickets.Renderer
	// TrustedProxies are the addresses or CIDR ranges of reverse proxies whose
	// X-Forwarded-For header names the client. Empty trusts none: the client is the peer
	// address, so nobody can dodge a rate limit by sending the header themselves.
	TrustedProxies []string
	// SignInHashes is how many sign-ins may hash a password at once (each holds 19 MiB);
	// 0 means half the CPUs, at least one.
	SignInHashes int
	// RegistrationBurst and RegistrationsPerMinute throttle registering per client address:
	// a burst, then so many a minute. Zero takes DefaultRegistrationBurst and
	// DefaultRegistrationPerMinute.
	RegistrationBurst, RegistrationsPerMinute int
	// SessionIdle is how long a sign-in lasts without a request; 0 is
	// models.DefaultSessionIdle.
	SessionIdle time.Duration
	// Observe, when set, runs first on every request, around everything else: the metrics
	// package counts and times requests with it.
	Observe gin.HandlerFunc
	// SSO signs organisers in through the organisation's identity provider (#16 sso); nil
	// when the installation has none, and then its routes answer 404.
	SSO *sso.Client
	// SecurityTxt is served at /.well-known/security.txt (#17); without a contact, 404.
	SecurityTxt SecurityTxt
}

// Handler serves every route. Its fields are the handlers' only dependencies.
type Handler struct {
	store    *models.Store
	log      *slog.Logger
	pages    *templates.Renderer
	assets   *templates.Assets
	catalog  *locale.Catalog
	sessions *scs.SessionManager
	cop      *http.CrossOriginProtection
	tickets  *tickets.Renderer
	secure   bool
	base     string
	// devices caches device tokens for a few seconds; see deviceTTL.
	devices *deviceCache
	// keys caches each event's *eventKeys by event id.
	keys sync.Map

	// certs draws and checks the certificates of attendance (issue #18).
	certs *certificates

	// codeFills limits how often a code typed at the door that the code book does not know
	// makes it read the venue's tickets again (only new tickets are then signed).
	codeFills *keyedLimiter
	// signIn limits failed sign-ins per client and per account, and password hashes at once.
	signIn *signInThrottle
	// secondStep limits wrong second-factor codes per client and per account (#16 2fa).
	secondStep *secondStepThrottle
	// linkLimiter stops the "send my link again" form from being used to flood an inbox.
	linkLimiter *keyedLimiter
	// proposalLimiter slows submissions per client and per speaker address: each proposal
	// sends up to six e-mails to addresses the submitter chooses.
	proposalLimiter *keyedLimiter
	trustedProxies  []string
	// ballotClients and ballotAddresses limit ballot-link requests per client and per
	// address (open voting), so the form cannot be used to flood inboxes.
	ballotClients   *keyedLimiter
	ballotAddresses *keyedLimiter
	// mail limits every route that e-mails an address the requester typed.
	mail *mailLimits
	// team limits invitations and accepting them (#16 team).
	team *teamLimits
	// observe runs first on every request (Config.Observe); nil for none.
	observe gin.HandlerFunc
	// passkeyClients limits passkey ceremony requests per client address (#16 passkey).
	passkeyClients *keyedLimiter
	// idle is how long a sign-in lasts without a request (Config.SessionIdle).
	idle time.Duration
	// getRoutes holds the paths with a GET route, set by routes(): the organiser area's
	// navigation shows only pages that exist (see shellItems).
	getRoutes map[string]bool
	// sso is the identity provider for single sign-on, nil without one; ssoStarts limits how
	// often one client starts a sign-in there (each start writes a web session).
	sso       *sso.Client
	ssoStarts *keyedLimiter
	// help holds the help pages for attendees and speakers, rendered at start-up.
	help *help.Texts
	// security is what /.well-known/security.txt says (Config.SecurityTxt).
	security SecurityTxt
}

// New builds the HTTP handler. It parses every template, so a broken one fails start-up.
func New(cfg Config) (http.Handler, error) {
	h, err := newHandler(cfg)
	if err != nil {
		return nil, err
	}
	routes, err := h.routes()
	if err != nil {
		return nil, err
	}
	return h.sessions.LoadAndSave(routes), nil
}

// newHandler builds the Handler with all its dependencies; tests use it to look inside.
func newHandler(cfg Config) (*Handler, error) {
	catalog, err := locale.Load()
	if err != nil {
		return nil, fmt.Errorf("load message catalogues: %w", err)
	}
	pages, err := templates.Pages()
	if err != nil {
		return nil, err
	}
	assets, err := templates.StaticAssets()
	if err != nil {
		return nil, err
	}
	helpTexts, err := help.Load()
	if err != nil {
		return nil, err
	}
	renderer := cfg.Tickets
	if renderer == nil {
		if renderer, err = tickets.NewRenderer(); err != nil {
			return nil, fmt.Errorf("prepare ticket fonts: %w", err)
		}
	}
	certs, err := newCertificates()
	if err != nil {
		return nil, err
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	idle := cfg.SessionIdle
	if idle <= 0 {
		idle = models.DefaultSessionIdle
	}
	sessions := scs.New()
	sessions.Store = cfg.Store.WebSessions()
	sessions.Lifetime = models.SignInLifetime
	sessions.IdleTimeout = idle
	sessions.Cookie.Name = "dagplanner_session"
	sessions.Cookie.HttpOnly = true
	sessions.Cookie.SameSite = http.SameSiteLaxMode
	sessions.Cookie.Secure = cfg.SecureCookies
	h := &Handler{
		store:    cfg.Store,
		log:      logger,
		pages:    pages,
		assets:   assets,
		catalog:  catalog,
		help:     helpTexts,
		sessions: sessions,
		cop:      http.NewCrossOriginProtection(),
		tickets:  renderer,
		certs:    certs,
		secure:   cfg.SecureCookies,
		base:     cfg.BaseURL,
		security: cfg.SecurityTxt,

		signIn:      newSignInThrottle(cfg.SignInHashes, cfg.Store),
		secondStep:  newSecondStepThrottle(),
		linkLimiter: newKeyedLimiter(10*time.Minute, 3),
		// Ten at once, then one every three minutes: a team entering its proposals one
		// after another never notices; a script sending mail through us soon does.
		proposalLimiter: newKeyedLimiter(3*time.Minute, 10),
		trustedProxies:  cfg.TrustedProxies,
		codeFills:       newKeyedLimiter(200*time.Millisecond, 5),
		devices:         newDeviceCache(),

		ballotClients:   newKeyedLimiter(6*time.Second, 20),
		ballotAddresses: newKeyedLimiter(10*time.Minute, 3),
		mail:            newMailLimits(cfg),
		team:            newTeamLimits(),
		observe:         cfg.Observe,
		sso:             cfg.SSO,
		ssoStarts:       newKeyedLimiter(6*time.Second, 20),

		passkeyClients: newKeyedLimiter(passkeyClientEvery, passkeyClientBurst), // #16 passkey
		idle:           idle,
	}
	sessions.ErrorFunc = h.sessionStoreError
	return h, nil
}
