package models

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Venue is one building where the event takes place, with its own rooms and time slots.
type Venue struct {
	ID      uint
	EventID uint `gorm:"not null;index;uniqueIndex:idx_venues_event_slug,priority:1"`
	// Slug names the venue in addresses; unique within the edition, so the venues of a new
	// edition keep the last one's addresses (VenueBySlug means the current edition's).
	Slug string `gorm:"size:60;not null;uniqueIndex:idx_venues_event_slug,priority:2"`
	// TicketKey names the venue on tickets: its first slug, kept when the slug changes, so
	// tickets already issued keep their venue (see TicketName and VenueSlug).
	TicketKey     string `gorm:"size:20;not null;default:''"`
	Name          string `gorm:"size:200;not null"`
	City          string `gorm:"size:100;not null"`
	Address       string `gorm:"size:200;not null"`
	RouteHint     string `gorm:"size:500;not null;default:''"`
	Accessibility string `gorm:"size:1000;not null;default:''"`
	// NameEn, RouteHintEn and AccessibilityEn are the English versions, empty when there is
	// none (see content_lang.go).
	NameEn          string `gorm:"size:200;not null;default:''"`
	RouteHintEn     string `gorm:"size:500;not null;default:''"`
	AccessibilityEn string `gorm:"size:1000;not null;default:''"`
	// Capacity is how many attendees the building takes for the day.
	Capacity int `gorm:"not null"`
	// Registered counts active registrations; it only changes through conditional updates
	// in the registration transactions, which is what keeps the venue from overbooking.
	Registered int `gorm:"not null;default:0"`
	// BadgesPrintedAt is when name badges were last printed, so the next print can be
	// limited to the people who registered since.
	BadgesPrintedAt *time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time
	Rooms           []Room `gorm:"constraint:OnDelete:CASCADE"`
	Slots           []Slot `gorm:"constraint:OnDelete:CASCADE"`
}

// SeatsLeft is how many more people may register for the venue.
func (v Venue) SeatsLeft() int { return max(v.Capacity-v.Registered, 0) }

// VenueInput is what an organiser may set on a venue.
type VenueInput struct {
	Slug          string
	Name          string
	City          string
	Address       string
	RouteHint     string
	Accessibility string
	Capacity      int
	// NameEn, RouteHintEn and AccessibilityEn are the optional English versions.
	NameEn          string
	RouteHintEn     string
	AccessibilityEn string
}

// MaxSlugLength keeps venue slugs short: a venue's first slug is its ticket key, part of
// every ticket's QR code, and a
// shorter code is one a cheap phone camera reads from further away.
const MaxSlugLength = 20

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Validate reports what is wrong with the input.
func (in VenueInput) Validate() Problems {
	p := Problems{}
	switch {
	case in.Slug == "":
		p.Add("slug", "form.required")
	case len(in.Slug) > MaxSlugLength:
		p.Add("slug", "form.too_long", "Max", MaxSlugLength)
	case !slugPattern.MatchString(in.Slug):
		p.Add("slug", "form.invalid_slug")
	}
	p.checkLine("name", in.Name, true, 200)
	p.checkName("name", in.Name)
	p.checkLine("city", in.City, true, 100)
	p.checkName("city", in.City)
	p.checkLine("address", in.Address, true, 200)
	p.checkText("route_hint", in.RouteHint, false, 500)
	p.checkText("accessibility", in.Accessibility, false, 1000)
	p.checkLine("name_en", in.NameEn, false, 200)
	p.checkName("name_en", in.NameEn)
	p.checkText("route_hint_en", in.RouteHintEn, false, 500)
	p.checkText("accessibility_en", in.AccessibilityEn, false, 1000)
	p.checkCount("capacity", in.Capacity, MaxCapacity)
	return p
}

// MaxCapacity is the most people a venue, a room or a session may hold. Rooms and sessions
// share the venue's limit: a congress hall seats tens of thousands, and a load test scales
// the demo's rooms up to it (demo.MaxScale).
const MaxCapacity = 100000

func (in VenueInput) apply(v *Venue) {
	v.Slug = in.Slug
	v.Name = strings.TrimSpace(in.Name)
	v.City = strings.TrimSpace(in.City)
	v.Address = strings.TrimSpace(in.Address)
	v.RouteHint = strings.TrimSpace(in.RouteHint)
	v.Accessibility = strings.TrimSpace(in.Accessibility)
	v.NameEn = strings.TrimSpace(in.NameEn)
	v.RouteHintEn = strings.TrimSpace(in.RouteHintEn)
	v.AccessibilityEn = strings.TrimSpace(in.AccessibilityEn)
	v.Capacity = in.Capacity
}

// Venues returns the event's venues, in the order they were added, with rooms and slots.
func (s *Store) Venues(ctx context.Context, eventID uint) ([]Venue, error) {
	var vs []Venue
	err := s.preloadVenue(s.db.WithContext(ctx)).Where("event_id = ?", eventID).Order("id").Find(&vs).Error
	if err != nil {
		return nil, fmt.Errorf("venues of event %d: %w", eventID, err)
	}
	return vs, nil
}

// Venue returns one venue by id, with rooms and slots.
// It returns ErrNotFound when there is no such venue.
func (s *Store) Venue(ctx context.Context, id uint) (Venue, error) {
	var v Venue
	if err := s.preloadVenue(s.db.WithContext(ctx)).First(&v, id).Error; err != nil {
		return Venue{}, notFound(err, "venue", id)
	}
	return v, nil
}

// VenueBySlug returns one venue by its slug, with rooms and slots: the current edition's
// (see CurrentEvent), or, when it has none of that slug, the latest published edition's.
// It returns ErrNotFound when no venue has the slug.
func (s *Store) VenueBySlug(ctx context.Context, slug string) (Venue, error) {
	var v Venue
	if err := s.preloadVenue(s.db.WithContext(ctx)).Where("slug = ?", slug).
		Where("event_id = (?)", s.db.Model(&Event{}).Select("events.id").
			Where("EXISTS (SELECT 1 FROM venues w WHERE w.event_id = events.id AND w.slug = ?)", slug).Order(currentOrder).Limit(1)).
		First(&v).Error; err != nil {
		return Venue{}, notFound(err, "venue", slug)
	}
	return v, nil
}

// venueByIDOrSlug is the venue with id, or without one the venue VenueBySlug finds: an
// organiser naming a venue of the edition they work on gives its id.
func (s *Store) venueByIDOrSlug(ctx context.Context, id uint, slug string) (Venue, error) {
	if id != 0 {
		return s.Venue(ctx, id)
	}
	return s.VenueBySlug(ctx, slug)
}

func (s *Store) preloadVenue(db *gorm.DB) *gorm.DB {
	return db.Preload("Rooms", func(db *gorm.DB) *gorm.DB { return db.Order("capacity DESC, name") }).
		Preload("Slots", func(db *gorm.DB) *gorm.DB { return db.Order("starts_at") })
}

// CreateVenue adds a venue to an event. A slug already in use is a problem on "slug".
func (s *Store) CreateVenue(ctx context.Context, eventID uint, in VenueInput) (Venue, error) {
	if err := invalid(in.Validate()); err != nil {
		return Venue{}, err
	}
	v := Venue{EventID: eventID}
	in.apply(&v)
	v.TicketKey = v.Slug
	err := s.write(ctx, func(tx *gorm.DB) error {
		if taken, err := slugOfAnother(tx, eventID, 0, v.Slug); err != nil || taken {
			return errOr(err, errSlugTaken())
		}
		v.ID = 0 // a batch may run this again
		if err := tx.Create(&v).Error; err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditRecord{Action: ActionVenueCreated, SubjectKind: SubjectVenue, SubjectID: v.ID,
			VenueID: v.ID, Details: created(v)})
	})
	if isUniqueViolation(err) {
		return Venue{}, errSlugTaken()
	}
	if err != nil {
		return Venue{}, fmt.Errorf("create venue %q: %w", in.Slug, err)
	}
	return v, nil
}

// UpdateVenue changes a venue's details. A new slug leaves the old one pointing at the venue
// (see VenueByOldSlug); tickets keep naming it by its TicketKey. Its capacity cannot go below the people registered
// for it.
// It returns ErrNotFound when there is no such venue, and a *ValidationError when the input is not
// valid.
func (s *Store) UpdateVenue(ctx context.Context, id uint, in VenueInput) (Venue, error) {
	if err := invalid(in.Validate()); err != nil {
		return Venue{}, err
	}
	var v Venue
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.First(&v, id).Error; err != nil {
			return notFound(err, "venue", id)
		}
		if taken, err := slugOfAnother(tx, v.EventID, id, in.Slug); err != nil || taken {
			return errOr(err, errSlugTaken())
		}
		if err := renameSlug(tx, id, v.Slug, in.Slug, s.now().UTC()); err != nil {
			return err
		}
		old := v
		in.apply(&v)
		// Conditional on the registrations counted in the same row, as registrations are: a
		// capacity below them is refused, also when one comes in meanwhile.
		res := tx.Model(&v).Where("registered <= ?", v.Capacity).
			Select("slug", "name", "city", "address", "route_hint", "accessibility", "name_en", "route_hint_en",
				"accessibility_en", "capacity").Updates(&v)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected > 0 {
			return s.audit(ctx, tx, AuditRecord{Action: ActionVenueUpdated, SubjectKind: SubjectVenue, SubjectID: v.ID,
				VenueID: v.ID, Details: changes(old, v)})
		}
		var registered int
		if err := tx.Model(&Venue{}).Where("id = ?", id).Pluck("registered", &registered).Error; err != nil {
			return err
		}
		return invalid(Problems{"capacity": {Key: "form.venue_below_registered", Args: []any{"Count", registered}}})
	})
	if isUniqueViolation(err) {
		return Venue{}, errSlugTaken()
	}
	if err != nil {
		return Venue{}, fmt.Errorf("update venue %d: %w", id, err)
	}
	return v, nil
}

// errOr returns err when there is one, else refusal.
func errOr(err, refusal error) error {
	if err != nil {
		return err
	}
	return refusal
}
