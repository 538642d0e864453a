package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ambtenaar20/dagplanner/demo"
	"github.com/ambtenaar20/dagplanner/handlers"
	"github.com/ambtenaar20/dagplanner/mail"
	"github.com/ambtenaar20/dagplanner/metrics"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/sso"
	"github.com/ambtenaar20/dagplanner/tickets"
)

// Config is everything the server needs to start; flags fill it, with defaults from the
// DAGPLANNER_* environment variables.
type Config struct {
	Addr      string
	DB        string
	BaseURL   string
	Demo      bool
	DemoScale int
	// DemoRegistrations adds a few hundred fictional attendees to the demo.
	DemoRegistrations bool
	LogFormat         string
	// SMTP is read from DAGPLANNER_SMTP only, never from a flag: a flag's default would be
	// printed by -h, password and all.
	SMTP     string
	MailFrom string
	// TrustedProxies are reverse proxies whose X-Forwarded-For names the client.
	TrustedProxies []string
	// SignInHashes bounds the password hashes running at once; 0 is half the CPUs.
	SignInHashes int
	// RegistrationBurst and RegistrationRate throttle registering per client address: a
	// burst, then RegistrationRate a minute.
	RegistrationBurst, RegistrationRate int
	// DBMaxConns bounds this process's PostgreSQL connections.
	DBMaxConns int
	// MetricsAddr is where /metrics is served; empty serves none. Never the public address.
	MetricsAddr string
	// OutboxLease is how long a claimed e-mail stays reserved for this process without a
	// renewal: after a crash, its mail is sent by the next process within about this long.
	OutboxLease time.Duration
	// OIDC is single sign-on through the organisation's identity provider, read from the
	// DAGPLANNER_OIDC_* environment only (never flags: -h would print the secret).
	OIDC sso.Config
	// SessionIdle is how long a sign-in to the organiser area lasts without a request.
	SessionIdle time.Duration
	// SecurityTxt is /.well-known/security.txt (RFC 9116): served only with a contact.
	SecurityTxt handlers.SecurityTxt
}

// run is main without the process around it, so that tests can start the whole program.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	if err := dispatch(ctx, args, getenv, stdin, stdout); !helpShown(err) {
		return err
	}
	return nil
}

func envOr(getenv func(string) string, key, fallback string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return fallback
}

func envBool(getenv func(string) string, key string) bool {
	b, _ := strconv.ParseBool(getenv(key))
	return b
}

func envInt(getenv func(string) string, key string, fallback int) int {
	if n, err := strconv.Atoi(getenv(key)); err == nil {
		return n
	}
	return fallback
}

func parseServeFlags(args []string, getenv func(string) string, out io.Writer) (Config, error) {
	var cfg Config
	fs := flag.NewFlagSet("dagplanner serve", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() { printUsage(out, fs) } // -h: every command, then these flags
	fs.StringVar(&cfg.Addr, "addr", envOr(getenv, "DAGPLANNER_ADDR", ":8080"), "address to listen on (DAGPLANNER_ADDR)")
	fs.StringVar(&cfg.DB, "db", envOr(getenv, "DAGPLANNER_DB", "dagplanner.db"), "SQLite file, or a postgres:// URL (DAGPLANNER_DB)")
	fs.StringVar(&cfg.BaseURL, "base-url", getenv("DAGPLANNER_BASE_URL"), "public URL, for links in e-mails and QR codes; https:// makes cookies Secure; unset, it is http:// and the address the server listens on (DAGPLANNER_BASE_URL)")
	fs.BoolVar(&cfg.Demo, "demo", envBool(getenv, "DAGPLANNER_DEMO"), "load the demo event when the database holds no event (DAGPLANNER_DEMO)")
	fs.BoolVar(&cfg.DemoRegistrations, "demo-registrations", true, "with --demo: add a few hundred fictional registrations")
	fs.IntVar(&cfg.DemoScale, "demo-scale", envInt(getenv, "DAGPLANNER_DEMO_SCALE", 1), "multiply the demo's capacities by this factor (DAGPLANNER_DEMO_SCALE)")
	fs.StringVar(&cfg.LogFormat, "log-format", envOr(getenv, "DAGPLANNER_LOG_FORMAT", "text"), "log format: text or json (DAGPLANNER_LOG_FORMAT)")
	proxies := fs.String("trusted-proxies", getenv("DAGPLANNER_TRUSTED_PROXIES"), "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For to believe; empty believes none (DAGPLANNER_TRUSTED_PROXIES)")
	fs.StringVar(&cfg.MailFrom, "mail-from", envOr(getenv, "DAGPLANNER_MAIL_FROM", "Dagplanner <noreply@dagplanner.example>"), "sender of e-mails (DAGPLANNER_MAIL_FROM)")
	fs.IntVar(&cfg.SignInHashes, "signin-hashes", envInt(getenv, "DAGPLANNER_SIGNIN_HASHES", 0), "how many sign-ins may check a password at once, each holding 19 MiB and a core; 0 is half the CPUs (DAGPLANNER_SIGNIN_HASHES)")
	fs.IntVar(&cfg.RegistrationBurst, "registration-burst", envInt(getenv, "DAGPLANNER_REGISTRATION_BURST", handlers.DefaultRegistrationBurst), "registrations one client address may make at once (DAGPLANNER_REGISTRATION_BURST)")
	fs.IntVar(&cfg.RegistrationRate, "registration-rate", envInt(getenv, "DAGPLANNER_REGISTRATION_RATE", handlers.DefaultRegistrationPerMinute), "registrations a minute one client address may make after its burst (DAGPLANNER_REGISTRATION_RATE)")
	fs.IntVar(&cfg.DBMaxConns, "db-max-conns", envInt(getenv, "DAGPLANNER_DB_MAX_CONNS", models.DefaultMaxConns), "PostgreSQL connections this process opens at most; requests wait for a free one. Keep processes × this below the server's max_connections (DAGPLANNER_DB_MAX_CONNS)")
	fs.StringVar(&cfg.MetricsAddr, "metrics-addr", getenv("DAGPLANNER_METRICS_ADDR"), "address to serve Prometheus /metrics on, apart from the site, e.g. 127.0.0.1:9100; empty serves none (DAGPLANNER_METRICS_ADDR)")
	lease, err := time.ParseDuration(envOr(getenv, "DAGPLANNER_OUTBOX_LEASE", mail.DefaultLease.String()))
	if err != nil {
		return Config{}, fmt.Errorf("DAGPLANNER_OUTBOX_LEASE: %w", err)
	}
	fs.DurationVar(&cfg.OutboxLease, "outbox-lease", lease, "how long a claimed e-mail stays reserved for this process without a renewal; after a crash its mail goes out within about this long (DAGPLANNER_OUTBOX_LEASE)")
	idle, err := time.ParseDuration(envOr(getenv, "DAGPLANNER_SESSION_IDLE", models.DefaultSessionIdle.String()))
	if err != nil {
		return Config{}, fmt.Errorf("DAGPLANNER_SESSION_IDLE: %w", err)
	}
	fs.DurationVar(&cfg.SessionIdle, "session-idle", idle, "how long a sign-in to the organiser area lasts without a request, e.g. 30m (DAGPLANNER_SESSION_IDLE)")
	securityContact := fs.String("security-contact", getenv("DAGPLANNER_SECURITY_CONTACT"), "where to report a vulnerability, for /.well-known/security.txt: comma-separated mailto: or https: URIs; empty serves no security.txt (DAGPLANNER_SECURITY_CONTACT)")
	securityExpires := fs.String("security-expires", getenv("DAGPLANNER_SECURITY_EXPIRES"), "date the security.txt goes stale, YYYY-MM-DD or RFC 3339, within a year; empty is 180 days after the day it is served (DAGPLANNER_SECURITY_EXPIRES)")
	fs.StringVar(&cfg.SecurityTxt.Policy, "security-policy", getenv("DAGPLANNER_SECURITY_POLICY"), "https: URL of the vulnerability disclosure policy, for security.txt (DAGPLANNER_SECURITY_POLICY)")
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if err := parseSecurityTxt(&cfg.SecurityTxt, *securityContact, *securityExpires, time.Now()); err != nil {
		return Config{}, err
	}
	if cfg.SessionIdle < time.Minute || cfg.SessionIdle > 12*time.Hour {
		return Config{}, fmt.Errorf("--session-idle must be between 1m and 12h, got %v", cfg.SessionIdle)
	}
	if cfg.DBMaxConns < 2 {
		return Config{}, fmt.Errorf("--db-max-conns must be at least 2 (one connection writes, the others read), got %d", cfg.DBMaxConns)
	}
	if cfg.OutboxLease < time.Second || cfg.OutboxLease > 10*time.Minute {
		return Config{}, fmt.Errorf("--outbox-lease must be between 1s and 10m, got %v", cfg.OutboxLease)
	}
	if cfg.RegistrationBurst < 1 || cfg.RegistrationRate < 1 {
		return Config{}, fmt.Errorf("--registration-burst and --registration-rate must be at least 1, got %d and %d", cfg.RegistrationBurst, cfg.RegistrationRate)
	}
	cfg.SMTP = getenv("DAGPLANNER_SMTP")
	cfg.OIDC = sso.Config{Issuer: getenv("DAGPLANNER_OIDC_ISSUER"), ClientID: getenv("DAGPLANNER_OIDC_CLIENT_ID"),
		ClientSecret: getenv("DAGPLANNER_OIDC_CLIENT_SECRET"), Name: getenv("DAGPLANNER_OIDC_NAME")}
	if cfg.OIDC.Configured() {
		if err := cfg.OIDC.Validate(); err != nil {
			return Config{}, fmt.Errorf("single sign-on: %w", err)
		}
	}
	for _, p := range strings.Split(*proxies, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				return Config{}, fmt.Errorf("--trusted-proxies: %q is neither an IP address nor a CIDR range", p)
			}
		}
		cfg.TrustedProxies = append(cfg.TrustedProxies, p)
	}
	if cfg.DemoScale < 1 || cfg.DemoScale > demo.MaxScale() {
		return Config{}, fmt.Errorf("--demo-scale must be between 1 and %d, got %d", demo.MaxScale(), cfg.DemoScale)
	}
	if cfg.LogFormat != "text" && cfg.LogFormat != "json" {
		return Config{}, fmt.Errorf("--log-format must be text or json, got %q", cfg.LogFormat)
	}
	if cfg.BaseURL != "" {
		base, err := checkBaseURL(cfg.BaseURL)
		if err != nil {
			return Config{}, fmt.Errorf("--base-url: %w", err)
		}
		cfg.BaseURL = base
	}
	if cfg.SignInHashes < 0 || cfg.SignInHashes > 256 {
		return Config{}, fmt.Errorf("--signin-hashes must be between 0 and 256, got %d", cfg.SignInHashes)
	}
	return cfg, nil
}

// parseSecurityTxt reads the security.txt flags into st and checks them.
func parseSecurityTxt(st *handlers.SecurityTxt, contacts, expires string, now time.Time) error {
	for _, c := range strings.Split(contacts, ",") {
		if c = strings.TrimSpace(c); c != "" {
			st.Contacts = append(st.Contacts, c)
		}
	}
	if expires = strings.TrimSpace(expires); expires != "" {
		t, err := time.Parse(time.RFC3339, expires)
		if err != nil {
			if t, err = time.Parse(time.DateOnly, expires); err != nil {
				return fmt.Errorf("--security-expires: want YYYY-MM-DD or RFC 3339, got %q", expires)
			}
		}
		st.Expires = t
	}
	if (st.Policy != "" || !st.Expires.IsZero()) && len(st.Contacts) == 0 {
		return fmt.Errorf("--security-policy and --security-expires need --security-contact: security.txt is served only with a contact")
	}
	if err := st.Validate(now); err != nil {
		return fmt.Errorf("security.txt: %w", err)
	}
	return nil
}

func newLogger(format string, out io.Writer) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(out, nil))
	}
	return slog.New(slog.NewTextHandler(out, nil))
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cfg, err := parseServeFlags(args, getenv, stdout)
	if err != nil {
		return err
	}
	log := newLogger(cfg.LogFormat, stdout)
	store, err := models.OpenWith(ctx, cfg.DB, models.Options{MaxConns: cfg.DBMaxConns})
	if err != nil {
		return err
	}
	defer store.Close()
	// Listen first: the base URL, when not given, is the address listened on (its real port
	// when --addr asks for any).
	listener, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	defer listener.Close()
	cfg.BaseURL = resolveBaseURL(cfg.BaseURL, listener.Addr(), log)
	if cfg.Demo {
		// The demo is loaded at the operator's request (--demo): the trail names the command line.
		if err := loadDemo(models.WithActor(ctx, cliActor(getenv)), store, cfg, stdout); err != nil {
			return err
		}
	}
	renderer, err := tickets.NewRenderer()
	if err != nil {
		return fmt.Errorf("prepare ticket fonts: %w", err)
	}
	sender, err := newSender(cfg, log)
	if err != nil {
		return err
	}
	worker := &mail.Worker{Store: store, Composer: &mail.Composer{Store: store, BaseURL: cfg.BaseURL, Tickets: renderer}, Sender: sender, Log: log, Lease: cfg.OutboxLease, Busy: store.Busy}
	stats := metrics.New(store, worker)
	ssoClient := startSSO(ctx, cfg.OIDC, log)
	handler, err := handlers.New(handlers.Config{Store: store, Logger: log, Tickets: renderer, BaseURL: cfg.BaseURL,
		SecureCookies: strings.HasPrefix(cfg.BaseURL, "https://"), TrustedProxies: cfg.TrustedProxies, SignInHashes: cfg.SignInHashes,
		RegistrationBurst: cfg.RegistrationBurst, RegistrationsPerMinute: cfg.RegistrationRate, Observe: stats.Middleware(), SSO: ssoClient,
		SessionIdle: cfg.SessionIdle, SecurityTxt: cfg.SecurityTxt})
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	// Background loops stop when ctx ends; a mail being sent finishes and records its result
	// before the store closes.
	var background sync.WaitGroup
	defer background.Wait()
	bgCtx, stopBackground := context.WithCancel(ctx)
	defer stopBackground() // runs before Wait: deferred calls run last-in, first-out
	background.Go(func() { worker.Run(bgCtx) })
	background.Go(func() { cleanupLoop(bgCtx, store, log) })
	if ssoClient != nil && !ssoClient.Ready() {
		background.Go(func() { ssoClient.KeepDiscovering(bgCtx, ssoRetry, log) })
	}
	if cfg.MetricsAddr != "" {
		stopMetrics, err := serveMetrics(cfg.MetricsAddr, stats.Handler(), log)
		if err != nil {
			return err
		}
		defer stopMetrics()
	}
	log.Info("dagplanner listening", "addr", listener.Addr().String(), "url", cfg.BaseURL, "database", dbKind(cfg.DB))

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(listener) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// loadDemo fills an empty database with the demo event and, when there is no account yet,
// creates an admin with a random password, so a newcomer can look around the organiser
// area. The password is printed once, to stdout, never to the log; it stays valid until it
// is changed with "dagplanner user passwd", which the message says.
func loadDemo(ctx context.Context, store *models.Store, cfg Config, stdout io.Writer) error {
	loaded, err := demo.LoadIfEmpty(ctx, store, demo.Options{Scale: cfg.DemoScale, NoRegistrations: !cfg.DemoRegistrations})
	if err != nil {
		return fmt.Errorf("load demo: %w", err)
	}
	if !loaded {
		return nil
	}
	password := rand.Text()
	_, err = store.CreateUser(ctx, models.UserInput{Email: demoEmail, Password: password, Role: models.RoleAdmin})
	if errors.Is(err, models.ErrConflict) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("create demo account: %w", err)
	}
	fmt.Fprintf(stdout, "Demo event loaded. Organisers sign in at %s/beheer with\n  e-mail:   %s\n  password: %s\n", cfg.BaseURL, demoEmail, password)
	fmt.Fprintf(stdout, "The password is not shown again and stays valid until you change it:\n  dagplanner user passwd %s--email %s --password-stdin\n", dbFlag(cfg.DB), demoEmail)
	return nil
}

// demoEmail is the address of the demo's admin account.
const demoEmail = "demo@dagplanner.example"

// dbFlag is the --db argument that names the same SQLite file in a command to copy, or a
// placeholder for a PostgreSQL URL, which may hold a password.
func dbFlag(dsn string) string {
	if models.IsPostgres(dsn) {
		return "--db 'postgres://…' "
	}
	if strings.ContainsFunc(dsn, func(r rune) bool {
		return !strings.ContainsRune("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./-:", r)
	}) {
		return "--db '" + strings.ReplaceAll(dsn, "'", `'\''`) + "' "
	}
	return "--db " + dsn + " "
}

func dbKind(dsn string) string {
	if models.IsPostgres(dsn) {
		return "postgres"
	}
	return "sqlite:" + dsn
}

// newSender sends mail over SMTP when DAGPLANNER_SMTP is set, and writes it to the log
// otherwise (for trying Dagplanner out; the log then holds personal links).
func newSender(cfg Config, log *slog.Logger) (mail.Sender, error) {
	if cfg.SMTP == "" {
		log.Warn("DAGPLANNER_SMTP is not set: e-mails are written to this log, not sent")
		return mail.LogSender{Log: log}, nil
	}
	s, err := mail.NewSMTPSender(cfg.SMTP, cfg.MailFrom)
	if err != nil {
		return nil, fmt.Errorf("DAGPLANNER_SMTP: %w", err)
	}
	log.Info("sending e-mail over SMTP", "smtp", s.String())
	return s, nil
}

// Periodic jobs: each runs once per due time across every process on the database (see
// models.ClaimJobRun); every process looks each minute whether one is due.
var periodicJobs = []struct {
	name  string
	every time.Duration
	run   func(store *models.Store, ctx context.Context) error
}{
	// The "still coming?" e-mail and the release after the reconfirmation deadline.
	{"no_show", 5 * time.Minute, (*models.Store).RunNoShowJobs},
	{"expired_sessions", time.Hour, (*models.Store).DeleteExpiredSessions},
	// Voters' addresses kept to write to them about the vote go when voting closes.
	{"vote_contacts", 5 * time.Minute, func(store *models.Store, ctx context.Context) error {
		_, err := store.ForgetVoteContacts(ctx)
		return err
	}},
	// Messages to an audience planned for a time: queued within a minute of it (#15).
	{"messages", time.Minute, (*models.Store).QueueDueMessages},
	{"expired_password_resets", time.Hour, (*models.Store).DeleteExpiredPasswordResets}, // #16
	{"rate_counters", time.Hour, func(store *models.Store, ctx context.Context) error {
		return store.DeleteOldRateCounters(ctx, time.Now().Add(-handlers.LongestRateWindow))
	}},
	// The events' retention periods (#17): needs, personal data, proposals, the audit log.
	{"purge", 24 * time.Hour, purgeJob},
	// Signing up by preference (#19): the seats are allocated at the event's allocation time.
	{"allocation", time.Minute, allocationJob},
	// After the day (#18): the feedback e-mail to everyone checked in, once, the day after.
	{"feedback", 5 * time.Minute, (*models.Store).RunFeedbackJob},
}

// cleanupLoop does the periodic chores until ctx ends.
func cleanupLoop(ctx context.Context, store *models.Store, log *slog.Logger) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		runDueJobs(ctx, store, log, time.Now())
	}
}

// runDueJobs runs every job whose due time this process claims first.
func runDueJobs(ctx context.Context, store *models.Store, log *slog.Logger, now time.Time) {
	for _, job := range periodicJobs {
		mine, err := store.ClaimJobRun(ctx, job.name, now.Truncate(job.every))
		if err != nil {
			if ctx.Err() == nil {
				log.Error("claim periodic job", "job", job.name, "err", err)
			}
			continue
		}
		if !mine {
			continue
		}
		if err := job.run(store, context.WithValue(ctx, jobLogKey{}, log)); err != nil && ctx.Err() == nil {
			log.Error("periodic job", "job", job.name, "err", err)
		}
	}
}
