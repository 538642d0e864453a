package models

import (
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
)

// VenueSlug is a slug a venue had before it was renamed. Published addresses and printed
// tickets may still carry it, so it keeps pointing at its venue, and no other venue takes it.
type VenueSlug struct {
	Slug      string `gorm:"size:60;primaryKey"`
	VenueID   uint   `gorm:"not null;index"`
	CreatedAt time.Time
}

// TicketName is how tickets name the venue: its key, which never changes (a renamed slug
// would void every ticket already issued). Venues from before keys have their slug.
func (v Venue) TicketName() string {
	if v.TicketKey != "" {
		return v.TicketKey
	}
	return v.Slug
}

// VenueByOldSlug returns the venue that once had slug, as it is now, so an old address can
// be sent on to its current one. A slug never used, or still in use, is ErrNotFound.
func (s *Store) VenueByOldSlug(ctx context.Context, slug string) (Venue, error) {
	var old VenueSlug
	if err := s.db.WithContext(ctx).Where("slug = ?", slug).Take(&old).Error; err != nil {
		return Venue{}, notFound(err, "old venue slug", slug)
	}
	return s.Venue(ctx, old.VenueID)
}

// VenueNames lists every name a ticket of the venue may carry: its key first, then its slug
// and the slugs it had before (tickets issued before keys carried the slug of the day).
func (s *Store) VenueNames(ctx context.Context, v Venue) ([]string, error) {
	names := []string{v.TicketName()}
	if !slices.Contains(names, v.Slug) {
		names = append(names, v.Slug)
	}
	var old []string
	if err := s.db.WithContext(ctx).Model(&VenueSlug{}).Where("venue_id = ?", v.ID).Order("slug").Pluck("slug", &old).Error; err != nil {
		return nil, fmt.Errorf("old slugs of venue %d: %w", v.ID, err)
	}
	for _, o := range old {
		if !slices.Contains(names, o) {
			names = append(names, o)
		}
	}
	return names, nil
}

// VenueByTicketName returns the venue of the event that a ticket's venue name means: its key,
// or a slug it has or had.
// It returns ErrNotFound when no venue of the event has the name.
func (s *Store) VenueByTicketName(ctx context.Context, eventID uint, name string) (Venue, error) {
	db := s.db.WithContext(ctx)
	var id uint
	err := db.Model(&Venue{}).Where("event_id = ? AND (ticket_key = ? OR slug = ?)", eventID, name, name).
		Order("id").Limit(1).Pluck("id", &id).Error
	if err == nil && id == 0 {
		err = db.Model(&VenueSlug{}).Joins("JOIN venues ON venues.id = venue_slugs.venue_id").
			Where("venues.event_id = ? AND venue_slugs.slug = ?", eventID, name).Limit(1).Pluck("venue_id", &id).Error
	}
	if err != nil {
		return Venue{}, fmt.Errorf("venue named %q on a ticket: %w", name, err)
	}
	if id == 0 {
		return Venue{}, fmt.Errorf("venue named %q on a ticket: %w", name, ErrNotFound)
	}
	return s.Venue(ctx, id)
}

// slugOfAnother reports whether slug is, or was, another venue's of the same edition, or
// another venue's key: it keeps naming that venue on old addresses and tickets. Venues of
// other editions may have it: a new edition's venues keep the last one's addresses.
func slugOfAnother(tx *gorm.DB, eventID, venueID uint, slug string) (bool, error) {
	var n int64
	err := tx.Model(&Venue{}).Where("event_id = ? AND id <> ? AND (slug = ? OR ticket_key = ?)", eventID, venueID, slug, slug).Count(&n).Error
	if err != nil || n > 0 {
		return n > 0, err
	}
	err = tx.Model(&VenueSlug{}).Joins("JOIN venues ON venues.id = venue_slugs.venue_id").
		Where("venues.event_id = ? AND venue_id <> ? AND venue_slugs.slug = ?", eventID, venueID, slug).Count(&n).Error
	return n > 0, err
}

// renameSlug records the venue's old slug when it gets a new one, so the old one keeps
// pointing here; a slug the venue had before and takes back is current again.
func renameSlug(tx *gorm.DB, venueID uint, from, to string, now time.Time) error {
	if from == to {
		return nil
	}
	if err := tx.Where("slug = ?", to).Delete(&VenueSlug{}).Error; err != nil {
		return err
	}
	err := tx.Create(&VenueSlug{Slug: from, VenueID: venueID, CreatedAt: now}).Error
	if isUniqueViolation(err) {
		return nil // had it before
	}
	return err
}

// errSlugTaken is the problem of a slug that names another venue, now or before.
func errSlugTaken() error { return invalid(Problems{"slug": {Key: "form.slug_taken"}}) }
