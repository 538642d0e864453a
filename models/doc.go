// Package models holds Dagplanner's data: the gorm types, their validation and the Store
// through which every database read and write goes. It runs on SQLite and PostgreSQL alike
// and imports no other package of ours.
//
// # Files
//
// One file per aggregate holds its gorm structs and its Store methods (event.go,
// registration.go, checkin.go, proposal_store.go…); migrations.go holds the schema's
// history. Open (store.go) connects, migrates (on PostgreSQL behind an advisory lock, so
// processes starting together take turns), opens the writer and prepares the statements.
// Store.DB hands out the raw connection to tests and test setters (modelstest) only.
//
// # Readers and the writer
//
// A Store has two pools. Reads go through the readers' pool (the Store's db field) in
// parallel: on SQLite a fixed pool of max(8, 4×CPUs) connections in WAL mode, all opened and
// warmed at start; on PostgreSQL the connections left after the writers'. Writes go through
// the writer (wdb): on SQLite one connection (SQLite has one writer at a time, and one
// connection keeps its cache and prepared statements warm), on PostgreSQL one connection per
// write lane, up to four, so that registrations for different venues commit side by side.
//
// # The write path: group commit
//
// A Store method that changes data puts its change in a function of a *gorm.DB transaction
// and hands it to write (or writeFor, with the venue whose lane it goes in; stats.go). The
// writer goroutine of the lane (groupcommit.go, started by the first write, stopped by Close)
// takes every write that is waiting, up to 128, and commits them in one transaction: first
// without savepoints, and if one write fails, once more with a savepoint per write, so the
// failing one alone is undone and reports its error. A write function may therefore run more
// than once: it is database work only, and it resets what it collects on each run. On
// PostgreSQL a batch of writes that are each one statement (pipelinedWrite) goes out in one
// round trip (pipeline_postgres.go), and batches of one lane take turns on an advisory lock
// across processes. Anything that must be all-or-nothing — register, take the seats and queue
// the e-mail; cancel and promote from the waiting list; a change and its audit record
// (audit_context.go) — is one write function, so it commits or is undone as a whole.
// Capacity is taken in the database with conditional updates, not read and then written in
// Go. On SQLite the writer never checkpoints the WAL itself; passive checkpoints run on a
// reading connection every few commits, and the WAL is truncated between batches when it
// has grown.
//
// Some writes do not queue for the writer and go straight to a pool, one or two statements
// outside any batch: the outbox's leases and its sent and failed marks (outbox.go), claiming
// a job run (jobrun.go), deleting old rate counters, the web sessions' rows, a device
// token's last use, a new user account and a voter's link, keys made once (eventkey.go,
// installation.go, second_factor.go) and VACUUM INTO for a backup. A new write belongs on
// the write path unless it is such bookkeeping.
//
// # Prepared statements
//
// gorm prepares each statement once per connection and reuses it (PrepareStmt). The hot
// paths — the registration rush and the doors' scans — use statements of their own
// (statements.go), prepared once at Open: the writes and the reads inside a write on the
// writer's pool, bound to each batch's transaction with inTx; the reads made before queueing
// (a venue's registration window, a session's place, the registration a scan names) on the
// readers'. The PostgreSQL writers plan their statements once (plan_cache_mode
// force_generic_plan).
//
// # Caches
//
// Two short-lived caches spare the rush repeated reads: venues' registration details for a
// second (venue_cache.go; a change made through write forgets them at once) and sessions'
// places for a second (placement.go). Seats are always taken in the database, so a stale
// cache can only make an answer as if the attendee had been a moment quicker.
//
// # Errors
//
// Methods take a context first and return concrete types and wrapped errors. Callers test
// them with errors.Is against the sentinel errors: ErrNotFound (never nil, nil), ErrConflict
// (a clash with a row that exists; ErrStaleDraft, ErrDraftsChanged and others wrap it),
// specific ones such as ErrSessionFull, ErrCallClosed or ErrVotingClosed, ErrUnavailable
// (the database is out of reach for a moment; see IsUnavailable) and ErrClosed (a write to a
// closed store). Input that fails validation is a *ValidationError carrying Problems, a map
// from field to message key; nothing was written. Input types (RegistrationInput,
// EventInput…) are separate from stored ones, and their Validate methods are pure.
package models
