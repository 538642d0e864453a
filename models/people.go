package models

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
	"gorm.io/gorm"
)

// The statuses a person can be filtered on. A registration is confirmed while it is active;
// waitlisted when it is active and waits in at least one session's waiting list; checked in
// or not arrived by whether it has a check-in that was not undone.
const (
	StatusConfirmed  = "confirmed"
	StatusWaitlisted = "waitlisted"
	StatusCancelled  = "cancelled"
	StatusCheckedIn  = "checked_in"
	StatusNotArrived = "not_arrived"
)

// AudienceStatuses lists the statuses in the order pages offer them.
var AudienceStatuses = []string{StatusConfirmed, StatusWaitlisted, StatusCancelled, StatusCheckedIn, StatusNotArrived}

// Audience selects people: the one filter behind the organisers' list of people, its
// exports, the API's list, messages to groups and the built-in mass mails, so that they
// always select people the same way. It selects attendees (registrations) unless Kind names
// another group (see audience.go). The zero Audience is every attendee at every venue.
type Audience struct {
	// Kind is the group: attendees ("" or AudienceAttendees), speakers, co-speakers,
	// reviewers or voters. Each group has the filters of AudienceFilters.
	Kind string `json:",omitempty"`
	// Scope limits the audience to these venues whatever else is asked: a venue-scoped
	// organiser's venue. Nil means every venue.
	Scope []uint
	// EventID, when set, limits the audience to one event's people.
	EventID uint `json:",omitempty"`
	// VenueID, SessionID and Status narrow the audience; zero values do not.
	VenueID   uint   `json:",omitempty"`
	SessionID uint   `json:",omitempty"`
	Status    string `json:",omitempty"`
	// Sessions, when not nil, keeps only people booked (a seat or a place in line) in any
	// of these sessions: the people a changed schedule concerns.
	Sessions []uint
	// ProposalStatus narrows speakers and co-speakers to proposals in that state; "" means
	// every proposal that was not withdrawn.
	ProposalStatus string `json:",omitempty"`
	// DecisionDraft keeps only speakers with a decision e-mail drafted and not yet sent.
	DecisionDraft bool `json:",omitempty"`
	// Query finds a person by name, e-mail address or organisation, ignoring case and
	// accents ("zoe" finds "Zoë").
	Query string `json:",omitempty"`
	// IDs, when not nil, limits the audience to these registrations (a ticket code that was
	// looked up, say). An empty, non-nil slice selects nobody.
	IDs []uint
	// From and To bound when people registered: From ≤ created < To.
	From *time.Time `json:",omitempty"`
	To   *time.Time `json:",omitempty"`
	// HasNeeds keeps only people who gave a dietary or accessibility need.
	HasNeeds bool `json:",omitempty"`
	// OrgType keeps only people whose organisation is of this type (see OrganisationType).
	OrgType string `json:",omitempty"`
	// MailState keeps only people with an e-mail in the outbox that is not sent yet
	// (MailStatePending), or whose last attempt failed (MailStateFailed): the people behind
	// the dashboard's e-mail figures.
	MailState string `json:",omitempty"`
}

// E-mail states an audience can filter on (Audience.MailState).
const (
	MailStatePending = "pending" // not sent yet, whether or not an attempt failed
	MailStateFailed  = "failed"  // not sent yet, and the last attempt failed
)

// MailStates lists the e-mail states in the order pages offer them.
var MailStates = []string{MailStatePending, MailStateFailed}

// Validate reports what is wrong with the audience's own fields.
func (a Audience) Validate() Problems {
	p := Problems{}
	a.validateKind(p)
	if a.Status != "" && !slices.Contains(AudienceStatuses, a.Status) {
		p.Add("status", "form.invalid_choice")
	}
	if a.From != nil && a.To != nil && !a.From.Before(*a.To) {
		p.Add("to", "form.before_start")
	}
	if len([]rune(a.Query)) > 200 {
		p.Add("q", "form.too_long", "Max", 200)
	}
	if a.OrgType != "" && !slices.Contains(OrganisationTypes, a.OrgType) {
		p.Add("org_type", "form.invalid_choice")
	}
	if a.MailState != "" && !slices.Contains(MailStates, a.MailState) {
		p.Add("mail", "form.invalid_choice")
	}
	return p
}

// Sort orders of a list of people.
const (
	SortName         = "name"         // by last name, as Dutch lists do
	SortNewest       = "newest"       // most recently registered first
	SortOldest       = "oldest"       // first registered first
	SortOrganisation = "organisation" // by organisation, then last name
)

// PeopleSorts lists the sort orders in the order pages offer them.
var PeopleSorts = []string{SortName, SortNewest, SortOldest, SortOrganisation}

// Person is one row of the list of people: a registration with what the list shows of it.
type Person struct {
	ID            uint
	VenueID       uint
	VenueName     string
	Name          string
	Email         string
	Organisation  string
	JobTitle      string
	Status        string // RegistrationActive or RegistrationCancelled
	CreatedAt     time.Time
	Dietary       string
	Accessibility string
	// Seats and Waiting count the person's confirmed and waitlisted bookings.
	Seats, Waiting int
	// CheckedInAt and Door are set when the person was checked in (and not undone).
	CheckedInAt *time.Time
	Door        string
}

// HasNeeds reports whether the person gave a dietary or accessibility need.
func (p Person) HasNeeds() bool { return p.Dietary != "" || p.Accessibility != "" }

// PeoplePage is one page of people and how many the audience holds in all.
type PeoplePage struct {
	People []Person
	Total  int
}

// peopleColumns are what a Person is read from; the counts and the check-in are
// correlated subqueries so that one row stays one row, whatever the person booked.
const peopleColumns = `registrations.id, registrations.venue_id, venues.name, registrations.name, registrations.email,
	registrations.organisation, registrations.job_title, registrations.status, registrations.created_at,
	registrations.dietary, registrations.accessibility,
	(SELECT COUNT(*) FROM bookings WHERE bookings.registration_id = registrations.id AND bookings.status = 'confirmed'),
	(SELECT COUNT(*) FROM bookings WHERE bookings.registration_id = registrations.id AND bookings.status = 'waitlisted'),
	(SELECT MIN(check_ins.checked_in_at) FROM check_ins WHERE check_ins.registration_id = registrations.id AND check_ins.undone_at IS NULL),
	COALESCE((SELECT check_ins.door FROM check_ins WHERE check_ins.registration_id = registrations.id AND check_ins.undone_at IS NULL ORDER BY check_ins.id LIMIT 1), '')`

// where applies the audience to a query on registrations.
func (a Audience) where(q *gorm.DB) *gorm.DB {
	if a.Scope != nil {
		q = q.Where("registrations.venue_id IN ?", nonEmpty(a.Scope))
	}
	if a.IDs != nil {
		q = q.Where("registrations.id IN ?", nonEmpty(a.IDs))
	}
	if a.EventID != 0 {
		q = q.Where("registrations.event_id = ?", a.EventID)
	}
	if a.VenueID != 0 {
		q = q.Where("registrations.venue_id = ?", a.VenueID)
	}
	if a.SessionID != 0 {
		q = q.Where("EXISTS (SELECT 1 FROM bookings WHERE bookings.registration_id = registrations.id AND bookings.session_id = ?)", a.SessionID)
	}
	if a.Sessions != nil {
		q = q.Where("EXISTS (SELECT 1 FROM bookings WHERE bookings.registration_id = registrations.id AND bookings.session_id IN ?)", nonEmpty(a.Sessions))
	}
	checkedIn := "EXISTS (SELECT 1 FROM check_ins WHERE check_ins.registration_id = registrations.id AND check_ins.undone_at IS NULL)"
	switch a.Status {
	case StatusConfirmed:
		q = q.Where("registrations.status = ?", RegistrationActive)
	case StatusWaitlisted:
		q = q.Where("registrations.status = ? AND EXISTS (SELECT 1 FROM bookings WHERE bookings.registration_id = registrations.id AND bookings.status = ?)",
			RegistrationActive, BookingWaitlisted)
	case StatusCancelled:
		q = q.Where("registrations.status = ?", RegistrationCancelled)
	case StatusCheckedIn:
		q = q.Where("registrations.status = ? AND "+checkedIn, RegistrationActive)
	case StatusNotArrived:
		q = q.Where("registrations.status = ? AND NOT "+checkedIn, RegistrationActive)
	}
	for _, word := range strings.Fields(FoldForSearch(a.Query)) {
		q = q.Where("registrations.search_text LIKE ? ESCAPE '\\'", "%"+escapeLike(word)+"%")
	}
	if a.From != nil {
		q = q.Where("registrations.created_at >= ?", a.From.UTC())
	}
	if a.To != nil {
		q = q.Where("registrations.created_at < ?", a.To.UTC())
	}
	if a.HasNeeds {
		q = q.Where("(registrations.dietary <> '' OR registrations.accessibility <> '')")
	}
	if a.OrgType != "" {
		q = q.Where(orgTypeWhere(q.Dialector.Name() == "sqlite"), a.OrgType)
	}
	if a.MailState != "" {
		q = q.Where("EXISTS (SELECT 1 FROM outbox_messages WHERE outbox_messages.registration_id = registrations.id AND " +
			a.unsentMail() + ")")
	}
	return q
}

// nonEmpty keeps "IN ?" valid SQL for an empty list: id 0 never exists.
func nonEmpty(ids []uint) []uint {
	if len(ids) == 0 {
		return []uint{0}
	}
	return ids
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func orderFor(sort string) string {
	switch sort {
	case SortNewest:
		return "registrations.created_at DESC, registrations.id DESC"
	case SortOldest:
		return "registrations.created_at, registrations.id"
	case SortOrganisation:
		return "registrations.organisation, registrations.sort_name, registrations.id"
	default:
		return "registrations.sort_name, registrations.id"
	}
}

func (s *Store) peopleQuery(ctx context.Context, a Audience) *gorm.DB {
	q := s.db.WithContext(ctx).Table("registrations").Joins("JOIN venues ON venues.id = registrations.venue_id")
	return a.where(q)
}

// People returns one page of the audience (page counts from 1), sorted, with the total.
// It returns ErrNotFound for an audience that is not a group of attendees.
func (s *Store) People(ctx context.Context, a Audience, sort string, page, perPage int) (PeoplePage, error) {
	if err := invalid(a.Validate()); err != nil {
		return PeoplePage{}, err
	}
	if !a.Attendees() {
		return PeoplePage{}, errNotAttendees(a)
	}
	if page < 1 {
		page = 1
	}
	// The page's ids and the total in one pass over the audience (a window count), then the
	// page's columns: a database computes the columns (correlated subqueries) of every row
	// it sorts, so sorting the whole audience with them costs a hundred times more than
	// sorting ids and reading fifty people.
	// Without filters beyond the venue, counting is cheap and the sort's index finds the page
	// without reading everyone: two queries are then faster than one.
	var found []struct {
		ID    uint
		Total int
	}
	count := "COUNT(*) OVER ()"
	if a.onlyVenues() {
		count = "0"
	}
	err := a.where(s.db.WithContext(ctx).Table("registrations")).
		Select("registrations.id AS id, " + count + " AS total").Order(orderFor(sort)).
		Offset((page - 1) * perPage).Limit(perPage).Scan(&found).Error
	if err != nil {
		return PeoplePage{}, fmt.Errorf("list people: %w", err)
	}
	out := PeoplePage{People: []Person{}}
	if len(found) == 0 || a.onlyVenues() {
		if out.Total, err = s.countPeople(ctx, a); err != nil || len(found) == 0 {
			return out, err
		}
	} else {
		out.Total = found[0].Total
	}
	ids := make([]uint, len(found))
	for i, f := range found {
		ids[i] = f.ID
	}
	rows, err := s.db.WithContext(ctx).Table("registrations").Joins("JOIN venues ON venues.id = registrations.venue_id").
		Select(peopleColumns).Where("registrations.id IN ?", ids).Order(orderFor(sort)).Rows()
	if err != nil {
		return PeoplePage{}, fmt.Errorf("list people: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return PeoplePage{}, err
		}
		out.People = append(out.People, p)
	}
	return out, rows.Err()
}

// onlyVenues reports whether the audience narrows by venue at most.
func (a Audience) onlyVenues() bool {
	return a.Query == "" && a.Status == "" && a.SessionID == 0 && a.Sessions == nil && a.IDs == nil && a.From == nil && a.To == nil && !a.HasNeeds
}

// countPeople counts the audience.
func (s *Store) countPeople(ctx context.Context, a Audience) (int, error) {
	var total int64
	if err := a.where(s.db.WithContext(ctx).Table("registrations")).Count(&total).Error; err != nil {
		return 0, fmt.Errorf("count people: %w", err)
	}
	return int(total), nil
}

// PeopleAfter returns up to limit people of the audience whose id is above after, in id
// order, with the total: the API's cursor pagination, stable while people register.
// It returns ErrNotFound for an audience that is not a group of attendees.
func (s *Store) PeopleAfter(ctx context.Context, a Audience, after uint, limit int) (PeoplePage, error) {
	if err := invalid(a.Validate()); err != nil {
		return PeoplePage{}, err
	}
	if !a.Attendees() {
		return PeoplePage{}, errNotAttendees(a)
	}
	total, err := s.countPeople(ctx, a)
	if err != nil {
		return PeoplePage{}, err
	}
	out := PeoplePage{Total: total, People: []Person{}}
	err = s.EachPerson(ctx, a, "", func(p Person) error {
		out.People = append(out.People, p)
		return nil
	}, func(q *gorm.DB) *gorm.DB { return q.Where("registrations.id > ?", after).Limit(limit) })
	return out, err
}

// EachPerson calls fn for every person of the audience in the given order (id order when
// sort is ""), reading them one at a time, so an export of ten thousand people never holds
// them all in memory. Extra narrows the query further (the API's cursor, say).
// It returns ErrNotFound for an audience that is not a group of attendees.
func (s *Store) EachPerson(ctx context.Context, a Audience, sort string, fn func(Person) error, extra ...func(*gorm.DB) *gorm.DB) error {
	if err := invalid(a.Validate()); err != nil {
		return err
	}
	if !a.Attendees() {
		return errNotAttendees(a)
	}
	q := s.peopleQuery(ctx, a).Select(peopleColumns)
	if sort == "" {
		q = q.Order("registrations.id")
	} else {
		q = q.Order(orderFor(sort))
	}
	for _, f := range extra {
		q = f(q)
	}
	rows, err := q.Rows()
	if err != nil {
		return fmt.Errorf("read people: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return err
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	return rows.Err()
}

func scanPerson(rows *sql.Rows) (Person, error) {
	var p Person
	var checkedIn nullTimeScanner
	err := rows.Scan(&p.ID, &p.VenueID, &p.VenueName, &p.Name, &p.Email, &p.Organisation, &p.JobTitle, &p.Status,
		&p.CreatedAt, &p.Dietary, &p.Accessibility, &p.Seats, &p.Waiting, &checkedIn, &p.Door)
	if err != nil {
		return Person{}, fmt.Errorf("read person: %w", err)
	}
	p.CreatedAt = p.CreatedAt.UTC()
	p.CheckedInAt = checkedIn.t
	return p, nil
}

// nullTimeScanner reads a nullable time from an aggregate: SQLite hands MIN() of a time
// column back as text, PostgreSQL as a time.
type nullTimeScanner struct{ t *time.Time }

func (n *nullTimeScanner) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		n.t = nil
	case time.Time:
		u := x.UTC()
		n.t = &u
	case string:
		return n.parse(x)
	case []byte:
		return n.parse(string(x))
	default:
		return fmt.Errorf("time from %T", v)
	}
	return nil
}

func (n *nullTimeScanner) parse(s string) error {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			u := t.UTC()
			n.t = &u
			return nil
		}
	}
	return fmt.Errorf("time from %q", s)
}

// FoldForSearch is how names are compared when searching: lower case, accents dropped and
// a few letters spelled as people type them without their keyboard's help ("Zoë Ğüneş" →
// "zoe gunes", "Øre" → "ore", "Straße" → "strasse").
func FoldForSearch(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'ß':
			b.WriteString("ss")
		case r == 'ø':
			b.WriteByte('o')
		case r == 'æ':
			b.WriteString("ae")
		case r == 'œ':
			b.WriteString("oe")
		case r == 'ł':
			b.WriteByte('l')
		case r == 'đ':
			b.WriteByte('d')
		case r == 'ı':
			b.WriteByte('i')
		case r == '’' || r == '‘':
			b.WriteByte('\'')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// searchText is what the list's search looks in: name, address and organisation, folded.
func searchText(name, email, organisation string) string {
	return truncate(FoldForSearch(name+" "+email+" "+organisation), 700)
}

// sortName is the key that orders people by last name in SQL, as SortByLastName does in Go
// (without Dutch collation's finer points: "ij" sorts as i, j).
func sortName(name string) string {
	last, given, parts := SplitName(name)
	return truncate(FoldForSearch(last)+"\x01"+FoldForSearch(given)+"\x01"+FoldForSearch(parts), 400)
}

// migratePeople adds what the organisers' list of people needs to registrations (a folded
// search text and a sort key, filled in for the registrations there are), the audit trail,
// organisers' API tokens, and the flag on e-mails that an organiser acted for the person.
func migratePeople(tx *gorm.DB) error {
	type Registration struct {
		ID           uint
		Name         string
		Email        string
		Organisation string
		SearchText   string `gorm:"size:700;not null;default:''"`
		SortName     string `gorm:"size:400;not null;default:'';index"`
	}
	type OutboxMessage struct {
		ID       uint
		OnBehalf bool `gorm:"not null;default:false"`
	}
	type Venue struct{ ID uint }
	type AuditEntry struct {
		ID          uint
		At          time.Time `gorm:"not null;index"`
		ActorKind   string    `gorm:"size:20;not null"`
		ActorID     *uint
		ActorName   string `gorm:"size:254;not null"`
		Action      string `gorm:"size:60;not null;index"`
		SubjectKind string `gorm:"size:30;not null;index:idx_audit_subject"`
		SubjectID   uint   `gorm:"not null;index:idx_audit_subject"`
		VenueID     *uint  `gorm:"index"`
		Reason      string `gorm:"size:500;not null;default:''"`
		Details     string `gorm:"size:4000;not null;default:''"`
	}
	type APIToken struct {
		ID         uint
		Name       string `gorm:"size:100;not null"`
		Role       string `gorm:"size:20;not null"`
		VenueID    *uint  `gorm:"index"`
		Venue      *Venue `gorm:"constraint:OnDelete:CASCADE"`
		Hash       string `gorm:"size:64;not null;uniqueIndex"`
		CreatedAt  time.Time
		RevokedAt  *time.Time
		LastUsedAt *time.Time
	}
	m := tx.Migrator()
	for _, col := range []string{"SearchText", "SortName"} {
		if err := m.AddColumn(&Registration{}, col); err != nil {
			return err
		}
	}
	if err := m.CreateIndex(&Registration{}, "SortName"); err != nil {
		return err
	}
	if err := m.AddColumn(&OutboxMessage{}, "OnBehalf"); err != nil {
		return err
	}
	if err := m.CreateTable(&AuditEntry{}, &APIToken{}); err != nil {
		return err
	}
	var regs []Registration
	if err := tx.Select("id", "name", "email", "organisation").Find(&regs).Error; err != nil {
		return err
	}
	for _, r := range regs {
		err := tx.Model(&Registration{}).Where("id = ?", r.ID).Updates(map[string]any{
			"search_text": searchText(r.Name, r.Email, r.Organisation), "sort_name": sortName(r.Name)}).Error
		if err != nil {
			return err
		}
	}
	return nil
}
