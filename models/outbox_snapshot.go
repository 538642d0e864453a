package models

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// ProgrammeSnapshot is an attendee's bookings as an e-mail reports them, taken in the
// transaction that queues the e-mail. The e-mail is composed later, perhaps after a
// waiting-list promotion or a change; composed from the snapshot it says what was true when
// it was queued, and the e-mail about the promotion or change that follows says what
// changed, so no two e-mails contradict each other.
type ProgrammeSnapshot struct {
	Seats   []uint // sessions with a seat, in booking order
	Waiting []uint // sessions on the waiting list, in booking order
}

// String encodes the snapshot for an outbox payload: "c=1,2;w=3".
func (p ProgrammeSnapshot) String() string {
	return "c=" + joinIDs(p.Seats) + ";w=" + joinIDs(p.Waiting)
}

func joinIDs(ids []uint) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatUint(uint64(id), 10)
	}
	return strings.Join(parts, ",")
}

// ParseProgrammeSnapshot decodes what String wrote.
func ParseProgrammeSnapshot(s string) (ProgrammeSnapshot, error) {
	seats, waiting, ok := strings.Cut(s, ";")
	seats, ok1 := strings.CutPrefix(seats, "c=")
	waiting, ok2 := strings.CutPrefix(waiting, "w=")
	if !ok || !ok1 || !ok2 {
		return ProgrammeSnapshot{}, fmt.Errorf("programme snapshot %q: want c=…;w=…", s)
	}
	var p ProgrammeSnapshot
	var err error
	if p.Seats, err = splitIDs(seats); err != nil {
		return ProgrammeSnapshot{}, fmt.Errorf("programme snapshot %q: %w", s, err)
	}
	if p.Waiting, err = splitIDs(waiting); err != nil {
		return ProgrammeSnapshot{}, fmt.Errorf("programme snapshot %q: %w", s, err)
	}
	return p, nil
}

func splitIDs(s string) ([]uint, error) {
	if s == "" {
		return nil, nil
	}
	var out []uint
	for _, part := range strings.Split(s, ",") {
		id, err := strconv.ParseUint(part, 10, 32)
		if err != nil {
			return nil, err
		}
		out = append(out, uint(id))
	}
	return out, nil
}

// Holds reports whether the snapshot has the session, and whether on the waiting list.
func (p ProgrammeSnapshot) Holds(sessionID uint) (held, waiting bool) {
	waiting = slices.Contains(p.Waiting, sessionID)
	return waiting || slices.Contains(p.Seats, sessionID), waiting
}

// MailPayload is what a registration e-mail's outbox payload carries: the session a
// promotion is about, and the programme snapshot.
type MailPayload struct {
	SessionID uint // the promoted session, in a promoted e-mail
	// Programme is nil for messages queued before snapshots were taken: they are composed
	// from the registration as it is when sent.
	Programme *ProgrammeSnapshot
}

// ParseMailPayload reads the payload of a confirmation, changed or promoted e-mail:
// "c=…;w=…", or "SESSION|c=…;w=…" for a promotion ("SESSION" alone, or "", in older rows).
func ParseMailPayload(kind, payload string) (MailPayload, error) {
	var out MailPayload
	rest := payload
	if kind == MailPromoted {
		id, snap, _ := strings.Cut(payload, "|")
		n, err := strconv.ParseUint(id, 10, 32)
		if err != nil {
			return out, fmt.Errorf("promoted session %q: %w", id, err)
		}
		out.SessionID, rest = uint(n), snap
	}
	if rest == "" {
		return out, nil
	}
	snap, err := ParseProgrammeSnapshot(rest)
	if err != nil {
		return out, err
	}
	out.Programme = &snap
	return out, nil
}

// snapshotProgramme reads a registration's bookings inside tx.
func (s *Store) snapshotProgramme(ctx context.Context, tx *gorm.DB, regID uint) (ProgrammeSnapshot, error) {
	bookings, err := s.bookingsInTx(ctx, tx, regID)
	return programmeOf(bookings), err
}

// programmeOf is the snapshot of a registration's bookings.
func programmeOf(bookings []Booking) ProgrammeSnapshot {
	var p ProgrammeSnapshot
	for _, b := range bookings {
		if b.Status == BookingWaitlisted {
			p.Waiting = append(p.Waiting, b.SessionID)
		} else {
			p.Seats = append(p.Seats, b.SessionID)
		}
	}
	return p
}

// bookingsInTx reads a registration's bookings (without places in line) inside tx.
func (s *Store) bookingsInTx(ctx context.Context, tx *gorm.DB, regID uint) ([]Booking, error) {
	return s.readBookingsInTx(ctx, tx, s.stmts.bookingsOfWriter, regID)
}

// newBookingsInTx reads the bookings of a registration written in tx, with each waiting
// place's place in line. Only for bookings that were all just made: an older waiting place
// need not be last in its list.
func (s *Store) newBookingsInTx(ctx context.Context, tx *gorm.DB, regID uint) ([]Booking, error) {
	return s.readBookingsInTx(ctx, tx, s.stmts.newBookingsOfWriter, regID)
}

func (s *Store) readBookingsInTx(ctx context.Context, tx *gorm.DB, stmt *sql.Stmt, regID uint) ([]Booking, error) {
	// A prepared statement on the writer's transaction: the confirmation of every
	// registration takes this snapshot, on the one writer a rush queues for.
	rows, err := inTx(ctx, tx, stmt).QueryContext(ctx, regID)
	if err != nil {
		return nil, fmt.Errorf("programme of registration %d: %w", regID, err)
	}
	defer rows.Close()
	var out []Booking
	for rows.Next() {
		b := Booking{RegistrationID: regID}
		if err := rows.Scan(&b.ID, &b.SessionID, &b.Status, &b.Position); err != nil {
			return nil, fmt.Errorf("programme of registration %d: %w", regID, err)
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("programme of registration %d: %w", regID, err)
	}
	return out, nil
}
