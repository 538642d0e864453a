package models

import (
	"context"
	"database/sql"
	"sync"
	"time"
)

// sessionPlacement is where a session is: its slots, venue and room.
type sessionPlacement struct {
	slots   []uint
	venueID sql.NullInt64
	roomID  sql.NullInt64
}

// placedAt reports whether the session is placed, in a room, at the venue.
func (p sessionPlacement) placedAt(venueID uint) bool {
	return p.venueID.Valid && uint(p.venueID.Int64) == venueID && p.roomID.Valid && len(p.slots) > 0
}

func readPlacement(ctx context.Context, st *sql.Stmt, sessionID uint) (sessionPlacement, error) {
	rows, err := st.QueryContext(ctx, sessionID)
	if err != nil {
		return sessionPlacement{}, err
	}
	defer rows.Close()
	var p sessionPlacement
	for rows.Next() {
		var slotID uint
		var at, room sql.NullInt64
		if err := rows.Scan(&slotID, &at, &room); err != nil {
			return sessionPlacement{}, err
		}
		p.slots = append(p.slots, slotID)
		p.venueID, p.roomID = at, room
	}
	return p, rows.Err()
}

// placementTTL is how long a session's place is remembered for checking registrations. A
// registration rush asks for the same forty sessions thousands of times a second; organisers
// move a session now and then. A registration checked against a place a second old is as if
// the attendee had been a second quicker, and seats are still taken in the database.
const placementTTL = time.Second

// placementCache remembers sessions' places for placementTTL.
type placementCache struct {
	mu      sync.Mutex
	entries map[uint]placementEntry
}

type placementEntry struct {
	placement sessionPlacement
	until     time.Time
}

func (c *placementCache) get(ctx context.Context, st *sql.Stmt, sessionID uint) (sessionPlacement, error) {
	now := time.Now()
	c.mu.Lock()
	e, ok := c.entries[sessionID]
	c.mu.Unlock()
	if ok && now.Before(e.until) {
		return e.placement, nil
	}
	p, err := readPlacement(ctx, st, sessionID)
	if err != nil {
		return sessionPlacement{}, err
	}
	c.mu.Lock()
	if c.entries == nil || len(c.entries) > 10000 {
		c.entries = map[uint]placementEntry{}
	}
	c.entries[sessionID] = placementEntry{placement: p, until: now.Add(placementTTL)}
	c.mu.Unlock()
	return p, nil
}

// forget drops every remembered place, after an organiser changed one in this process.
func (c *placementCache) forget() {
	c.mu.Lock()
	c.entries = nil
	c.mu.Unlock()
}
