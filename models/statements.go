package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"
	"gorm.io/gorm"
)

// statements are the registration rush's statements, prepared once on the writer's pool and
// bound to each transaction with StmtContext. (gorm's own statement cache prepares statements
// inside a transaction, where database/sql cannot reuse them in the next one.)
type statements struct {
	venueForRegistration *sql.Stmt
	sessionPlacement     *sql.Stmt
	// sessionPlacementRead is sessionPlacement on the readers, for checking a registration's
	// choices before it queues for the writer.
	sessionPlacementRead *sql.Stmt
	insertRegistration   *sql.Stmt
	takeVenueSeat        *sql.Stmt
	takeSeat             *sql.Stmt
	insertBooking        *sql.Stmt
	insertToken          *sql.Stmt
	insertOutbox         *sql.Stmt
	bookingsOfWriter     *sql.Stmt // a registration's bookings, inside a write transaction
	newBookingsOfWriter  *sql.Stmt // the same, with each new waiting place's place in line
	savepoint            *sql.Stmt
	releaseSavepoint     *sql.Stmt
	rollbackToSavepoint  *sql.Stmt
	registerInOne        *sql.Stmt // PostgreSQL only; see register_postgres.go

	// The doors' statements: see checkin.go.
	scanTarget    *sql.Stmt
	firstSession  *sql.Stmt
	insertCheckIn *sql.Stmt
}

func (s *Store) prepareStatements(ctx context.Context) error {
	writer, err := s.wdb.DB()
	if err != nil {
		return err
	}
	reader, err := s.db.DB()
	if err != nil {
		return err
	}
	prep := func(db *sql.DB, query string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var st *sql.Stmt
		st, err = db.PrepareContext(ctx, s.rebind(query))
		if err != nil {
			err = fmt.Errorf("prepare %q: %w", query, err)
		}
		return st
	}
	s.stmts = statements{
		venueForRegistration: prep(reader, `SELECT v.id, v.event_id, e.registration_opens_at, e.registration_closes_at,
			e.waitlist_after_close, e.privacy_version, e.registration_domains, e.signup_mode, e.preferences_open_at,
			e.preferences_close_at, e.allocation_at, e.preference_ranks FROM venues v JOIN events e ON e.id = v.event_id WHERE v.slug = ?
			ORDER BY e.published_at IS NULL, e.date DESC, e.id DESC LIMIT 1`),
		sessionPlacement: prep(writer, `SELECT ss.slot_id, s.venue_id, s.room_id FROM session_slots ss
			JOIN sessions s ON s.id = ss.session_id WHERE ss.session_id = ?`),
		sessionPlacementRead: prep(reader, `SELECT ss.slot_id, s.venue_id, s.room_id FROM session_slots ss
			JOIN sessions s ON s.id = ss.session_id WHERE ss.session_id = ?`),
		insertRegistration: prep(writer, `INSERT INTO registrations (event_id, venue_id, active_email, email, name,
			organisation, job_title, dietary, accessibility, lang, consent_version, consent_at, status, ticket_version,
			search_text, sort_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?) RETURNING id`),
		takeVenueSeat: prep(writer, `UPDATE venues SET registered = registered + 1 WHERE id = ? AND registered < capacity`),
		takeSeat: prep(writer, `UPDATE sessions SET confirmed = confirmed + 1
			WHERE id = ? AND confirmed < (
				SELECT CASE WHEN sessions.capacity_limit > 0 AND sessions.capacity_limit < rooms.capacity
				            THEN sessions.capacity_limit ELSE rooms.capacity END
				FROM rooms WHERE rooms.id = sessions.room_id)`),
		insertBooking: prep(writer, `INSERT INTO bookings (registration_id, session_id, status, created_at) VALUES (?, ?, ?, ?)`),
		insertToken:   prep(writer, `INSERT INTO access_tokens (hash, registration_id, created_at) VALUES (?, ?, ?)`),
		insertOutbox: prep(writer, `INSERT INTO outbox_messages (kind, recipient, lang, registration_id, payload, attempts,
			next_attempt_at, last_error, created_at) VALUES (?, ?, ?, ?, ?, 0, ?, '', ?)`),
		bookingsOfWriter: prep(writer, `SELECT id, session_id, status, 0 FROM bookings WHERE registration_id = ? ORDER BY id`),
		// A booking just put on a waiting list is its last (wait_order 0, the highest id;
		// see waitlistPositionQuery), so its place in line is the list's length.
		newBookingsOfWriter: prep(writer, `SELECT b.id, b.session_id, b.status,
			CASE WHEN b.status = 'waitlisted' THEN s.waiting ELSE 0 END
			FROM bookings b JOIN sessions s ON s.id = b.session_id WHERE b.registration_id = ? ORDER BY b.id`),
		savepoint:           prep(writer, `SAVEPOINT write_job`),
		releaseSavepoint:    prep(writer, `RELEASE SAVEPOINT write_job`),
		rollbackToSavepoint: prep(writer, `ROLLBACK TO SAVEPOINT write_job`),

		// The registration a scan names, with its first confirmed session for the welcome.
		scanTarget: prep(reader, `SELECT r.venue_id, r.status, r.ticket_version, r.name, r.organisation,
			s.title, COALESCE(rm.name, ''), sl.starts_at
			FROM registrations r
			LEFT JOIN bookings b ON b.registration_id = r.id AND b.status = 'confirmed'
			LEFT JOIN sessions s ON s.id = b.session_id
			LEFT JOIN session_slots ss ON ss.session_id = s.id
			LEFT JOIN slots sl ON sl.id = ss.slot_id
			LEFT JOIN rooms rm ON rm.id = ss.room_id
			WHERE r.id = ? ORDER BY sl.starts_at IS NULL, sl.starts_at LIMIT 1`),
		firstSession: prep(reader, firstSessionsQuery+`b.registration_id = ? ORDER BY sl.starts_at LIMIT 1`),
		// A check-in goes in only for an active registration whose ticket is current, and
		// only if the registration has no check-in yet and the scan id is new (the unique
		// indexes); anything else inserts nothing and takes the careful path.
		insertCheckIn: prep(writer, `INSERT INTO check_ins (venue_id, registration_id, checked_in_at, received_at, door,
			device_token_id, user_id, scan_id, offline, undone_by)
			SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, '' WHERE EXISTS (
				SELECT 1 FROM registrations WHERE id = ? AND venue_id = ? AND status = 'active' AND ticket_version <= ?)
			ON CONFLICT DO NOTHING RETURNING id`),
	}
	if err == nil && !s.sqlite {
		s.stmts.registerInOne = prep(writer, registerInOneStatement)
	}
	return err
}

// waitlistOrder is the order a waiting list is served in; waitlistPositionQuery counts a
// booking's place in it (1 is next), given the booking's id.
const (
	waitlistOrder         = "wait_order, id"
	waitlistPositionQuery = `SELECT COUNT(*) FROM bookings b JOIN bookings me ON b.session_id = me.session_id
		WHERE me.id = ? AND b.status = 'waitlisted'
		AND (b.wait_order < me.wait_order OR (b.wait_order = me.wait_order AND b.id <= me.id))`
)

// rebind turns ? placeholders into PostgreSQL's $1, $2, ...
func (s *Store) rebind(query string) string {
	if s.sqlite {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// inTx binds a prepared statement to the transaction that tx runs in.
func inTx(ctx context.Context, tx *gorm.DB, st *sql.Stmt) *sql.Stmt {
	if t, ok := tx.Statement.ConnPool.(interface {
		StmtContext(context.Context, *sql.Stmt) *sql.Stmt
	}); ok {
		return t.StmtContext(ctx, st)
	}
	return st
}

// isUniqueErr reports a unique-constraint violation from either database driver.
func isUniqueErr(err error) bool {
	var lite sqlite3.Error
	if errors.As(err, &lite) {
		return lite.ExtendedCode == sqlite3.ErrConstraintUnique || lite.ExtendedCode == sqlite3.ErrConstraintPrimaryKey
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	return errors.Is(err, gorm.ErrDuplicatedKey)
}

func (s *Store) closeStatements() {
	for _, st := range []*sql.Stmt{s.stmts.venueForRegistration, s.stmts.sessionPlacement, s.stmts.insertRegistration,
		s.stmts.takeVenueSeat, s.stmts.takeSeat, s.stmts.insertBooking, s.stmts.insertToken, s.stmts.insertOutbox,
		s.stmts.bookingsOfWriter, s.stmts.newBookingsOfWriter, s.stmts.savepoint, s.stmts.releaseSavepoint, s.stmts.rollbackToSavepoint,
		s.stmts.sessionPlacementRead, s.stmts.scanTarget, s.stmts.firstSession, s.stmts.insertCheckIn, s.stmts.registerInOne} {
		if st != nil {
			st.Close()
		}
	}
}
