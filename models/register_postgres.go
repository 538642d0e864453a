package models

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"time"

	"gorm.io/gorm"
)

// On PostgreSQL every statement is a round trip to the server, and a registration with
// three sessions took eleven of them (the row, the venue's place, a seat and a booking per
// session, the personal link, reading the bookings back, the e-mail), all on the writer
// that the whole rush queues for. The common case — an attendee choosing sessions, none
// of them as a waiting-list-only choice — is one statement instead: the same writes, in
// the same order and under the same conditions, as one data-modifying query. Everything
// else (organisers' registrations over capacity, waiting-list choices, walk-ins, SQLite)
// takes registerTx's general path.

// registerInOneStatement is the one statement. $1 venue, $2 event, $3–$11 and $13–$15 the
// person's columns, $12 the time, $16 the sessions in the attendee's order, $17 the hash of
// the personal link. Every part depends on the venue's place: a full venue writes nothing
// and returns no row. The confirmation's payload is the programme snapshot, written as
// ProgrammeSnapshot.String writes it. A waiting-list place comes back with its place in line
// (see waitlistPositionQuery): the new booking, with wait_order 0 and the highest id, is last
// in its list, so its place is one more than the list's length as the statement found it (the
// trigger that counts it fires after the statement, see migrateWaitingCounter).
const registerInOneStatement = `WITH venue AS (
	UPDATE venues SET registered = registered + 1 WHERE id = $1 AND registered < capacity RETURNING id
), reg AS (
	INSERT INTO registrations (event_id, venue_id, active_email, email, name, organisation, job_title, dietary,
		accessibility, lang, consent_version, consent_at, status, ticket_version, search_text, sort_name, created_at, updated_at)
	SELECT $2, venue.id, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14, $15, $12, $12 FROM venue
	RETURNING id
), seats AS (
	UPDATE sessions SET confirmed = confirmed + 1
	WHERE id = ANY($16::bigint[]) AND EXISTS (SELECT 1 FROM venue) AND confirmed < (
		SELECT CASE WHEN sessions.capacity_limit > 0 AND sessions.capacity_limit < rooms.capacity
		            THEN sessions.capacity_limit ELSE rooms.capacity END
		FROM rooms WHERE rooms.id = sessions.room_id)
	RETURNING id
), booked AS (
	INSERT INTO bookings (registration_id, session_id, status, created_at)
	SELECT reg.id, u.sid, CASE WHEN u.sid IN (SELECT id FROM seats) THEN 'confirmed' ELSE 'waitlisted' END, $12
	FROM reg, unnest($16::bigint[]) WITH ORDINALITY AS u(sid, n) ORDER BY u.n
	RETURNING id, session_id, status
), link AS (
	INSERT INTO access_tokens (hash, registration_id, created_at) SELECT $17, reg.id, $12 FROM reg
), mail AS (
	INSERT INTO outbox_messages (kind, recipient, lang, registration_id, payload, attempts, next_attempt_at, last_error, created_at)
	SELECT 'confirmation', $4, $10, reg.id,
		'c=' || COALESCE((SELECT string_agg(session_id::text, ',' ORDER BY id) FROM booked WHERE status <> 'waitlisted'), '') ||
		';w=' || COALESCE((SELECT string_agg(session_id::text, ',' ORDER BY id) FROM booked WHERE status = 'waitlisted'), ''),
		0, $12, '', $12
	FROM reg
)
SELECT reg.id, booked.id, booked.session_id, booked.status,
	CASE WHEN booked.status = 'waitlisted' THEN 1 + (SELECT waiting FROM sessions
		WHERE sessions.id = booked.session_id) ELSE 0 END
FROM reg LEFT JOIN booked ON true ORDER BY booked.id`

// inOneStatement reports whether a registration can take the one-statement path.
func (s *Store) inOneStatement(plan choicePlan, opt registerOptions) bool {
	return !s.sqlite && opt == (registerOptions{}) && len(plan.waitlist) == 0
}

// registerPostgres writes an attendee's registration with registerInOneStatement: the row
// (its id and bookings, with places in line, are set in r), the venue's place, the seats or
// waiting-list places, the personal link (returned) and the confirmation.
func (s *Store) registerPostgres(ctx context.Context, tx *gorm.DB, now time.Time, r *Registration, plan choicePlan) (string, error) {
	token, args, err := registerArgs(r, plan, now)
	if err != nil {
		return "", err
	}
	rows, err := inTx(ctx, tx, s.stmts.registerInOne).QueryContext(ctx, args...)
	if isUniqueErr(err) {
		return "", ErrAlreadyRegistered
	}
	if err != nil {
		return "", err
	}
	defer rows.Close()
	if err := scanRegistration(rows, r); err != nil {
		return "", err
	}
	tallyOf(tx).registrations++
	return token, nil
}

// registerArgs makes a personal link for r and the arguments of registerInOneStatement.
func registerArgs(r *Registration, plan choicePlan, now time.Time) (token string, args []any, err error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, err
	}
	token = base64.RawURLEncoding.EncodeToString(b[:])
	sessions := make([]int64, len(plan.sessions))
	for i, id := range plan.sessions {
		sessions[i] = int64(id)
	}
	return token, []any{r.VenueID, r.EventID, r.ActiveEmail, r.Email, r.Name, r.Organisation, r.JobTitle, r.Dietary,
		r.Accessibility, r.Lang, r.ConsentVersion, now, r.Status, r.SearchText, r.SortName, sessions, hashToken(token)}, nil
}

// resultRows is what database/sql's and pgx's rows have in common.
type resultRows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// scanRegistration reads registerInOneStatement's answer into r: its id and its bookings.
// No row means the venue was full, and nothing was written.
func scanRegistration(rows resultRows, r *Registration) error {
	r.ID, r.Bookings = 0, nil
	for rows.Next() {
		var id int64
		var bookingID, sessionID sql.NullInt64
		var status sql.NullString
		var position int64
		if err := rows.Scan(&id, &bookingID, &sessionID, &status, &position); err != nil {
			return err
		}
		r.ID = uint(id)
		if bookingID.Valid {
			r.Bookings = append(r.Bookings, Booking{ID: uint(bookingID.Int64), RegistrationID: r.ID,
				SessionID: uint(sessionID.Int64), Status: status.String, Position: int(position)})
		}
	}
	if err := rows.Err(); isUniqueErr(err) {
		return ErrAlreadyRegistered
	} else if err != nil {
		return err
	}
	if r.ID == 0 {
		return ErrVenueFull
	}
	return nil
}

// pipelinedRegistration is an attendee's registration as one statement for the writer's
// pipeline (pipeline_postgres.go), or nil when it is not one: on SQLite, with waiting-list
// choices, or when registration is not simply open. Its answer goes into res.
// The registration is timed now, when it is queued; the writer runs it moments later.
func (s *Store) pipelinedRegistration(in RegistrationInput, venueID, eventID uint, event Event, plan choicePlan,
	res *RegistrationResult) *pipelinedWrite {
	now := s.now().UTC()
	if open, waitlistOnly := event.RegistrationOpen(now); !open || waitlistOnly || !s.inOneStatement(plan, registerOptions{}) {
		return nil
	}
	r := newRegistration(in, eventID, venueID, event.PrivacyVersion, now)
	token, args, err := registerArgs(&r, plan, now)
	if err != nil {
		return nil
	}
	return &pipelinedWrite{
		sql:  registerInOneStatement,
		args: args,
		scan: func(rows resultRows) error {
			if err := scanRegistration(rows, &r); err != nil {
				return err
			}
			r.Venue = Venue{ID: venueID, EventID: eventID, Slug: in.Venue}
			res.Token, res.Registration = token, r
			return nil
		},
		counted: func(t *tally) { t.registrations++ },
	}
}
