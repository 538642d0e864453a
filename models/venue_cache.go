package models

import (
	"context"
	"database/sql"
	"sync"
	"time"
)

// Every registration first reads its venue and the registration window. On PostgreSQL that
// read is a round trip to the server, and the rush repeats it thousands of times for the
// same two or three venues; so the store remembers the answer for a second. A change made
// through this store forgets it at once (see write); one made by another process is seen
// within venueCacheTTL — as if the attendee had been that much quicker, which the check
// before queueing for the writer already allows.

// venueCacheTTL is how long a venue's registration details are trusted.
const venueCacheTTL = time.Second

// registrationVenue is what a registration needs to know of its venue and event.
type registrationVenue struct {
	venueID, eventID uint
	event            Event // only the registration window, waiting-list rule, privacy version, domains and preference window
	until            time.Time
}

// venueCache holds registrationVenue by slug. Only venues that exist are kept, so it holds
// at most as many entries as there are venues.
type venueCache struct {
	mu      sync.RWMutex
	entries map[string]registrationVenue
}

func (c *venueCache) get(slug string, now time.Time) (registrationVenue, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.entries[slug]
	return v, ok && now.Before(v.until)
}

func (c *venueCache) put(slug string, v registrationVenue) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]registrationVenue{}
	}
	c.entries[slug] = v
}

// forget drops every entry: something may have changed a venue or its event.
func (c *venueCache) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.entries)
}

// registrationVenue returns the venue a registration names, with its event's registration
// details; sql.ErrNoRows when there is no such venue.
func (s *Store) registrationVenue(ctx context.Context, slug string) (registrationVenue, error) {
	now := time.Now()
	if v, ok := s.venues.get(slug, now); ok {
		return v, nil
	}
	var v registrationVenue
	var opens, closes, rankOpens, rankCloses, allocation sql.NullTime
	err := s.stmts.venueForRegistration.QueryRowContext(context.WithoutCancel(ctx), slug).
		Scan(&v.venueID, &v.eventID, &opens, &closes, &v.event.WaitlistAfterClose, &v.event.PrivacyVersion,
			&v.event.RegistrationDomains, &v.event.SignupMode, &rankOpens, &rankCloses, &allocation, &v.event.PreferenceRanks)
	if err != nil {
		return registrationVenue{}, err
	}
	v.event.RegistrationOpensAt, v.event.RegistrationClosesAt = nullTime(opens), nullTime(closes)
	v.event.PreferencesOpenAt, v.event.PreferencesCloseAt = nullTime(rankOpens), nullTime(rankCloses)
	v.event.AllocationAt = nullTime(allocation)
	v.until = now.Add(venueCacheTTL)
	s.venues.put(slug, v)
	return v, nil
}
