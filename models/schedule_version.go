package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// ErrNothingToPublish reports a publication that would change nothing: the timetable is the
// same as the last published version.
var ErrNothingToPublish = errors.New("schedule unchanged since the last version")

// Kinds of change between two published versions of the schedule.
const (
	ChangeAdded   = "added"   // newly in the schedule
	ChangeRemoved = "removed" // no longer in the schedule
	ChangeMoved   = "moved"   // another venue, room or time
	ChangeEdited  = "edited"  // same place, another title or other speakers
	// ChangeTranslated: only the English title or abstract changed. The public pages show
	// it once published, but nobody is e-mailed about a translation.
	ChangeTranslated = "translated"
)

// ScheduleVersion is one published timetable: v1, v2, … Public schedules and exports show
// the latest version, whatever organisers are trying on the board meanwhile.
type ScheduleVersion struct {
	ID          uint
	EventID     uint `gorm:"not null;uniqueIndex:idx_schedule_versions_event_number"`
	Number      int  `gorm:"not null;uniqueIndex:idx_schedule_versions_event_number"`
	PublishedAt time.Time
	PublishedBy *uint
	// Sessions is the timetable as published.
	Sessions []PublishedSession `gorm:"not null;serializer:json"`
	// Changes lists what changed since the previous version; empty for v1.
	Changes []ScheduleChange `gorm:"not null;serializer:json"`
}

// PublishedSession is a session as a version of the schedule shows it.
type PublishedSession struct {
	SessionID uint               `json:"session_id"`
	Title     string             `json:"title"`
	Abstract  string             `json:"abstract"`
	Format    string             `json:"format"`
	Track     string             `json:"track"`
	Speakers  []PublishedSpeaker `json:"speakers"`
	VenueID   uint               `json:"venue_id"`
	RoomID    uint               `json:"room_id"`
	RoomName  string             `json:"room"`
	SlotIDs   []uint             `json:"slot_ids"`
	StartsAt  time.Time          `json:"starts_at"`
	EndsAt    time.Time          `json:"ends_at"`
	// TitleEn and AbstractEn are the English versions, empty when there is none (and in
	// versions published before there were English versions).
	TitleEn    string `json:"title_en,omitempty"`
	AbstractEn string `json:"abstract_en,omitempty"`
}

// PublishedSpeaker is a speaker as the schedule names them.
type PublishedSpeaker struct {
	ID           uint   `json:"id"`
	Name         string `json:"name"`
	Organisation string `json:"organisation"`
}

// ScheduleChange is one line of a version's list of changes.
type ScheduleChange struct {
	Kind      string `json:"kind"`
	SessionID uint   `json:"session_id"`
	Title     string `json:"title"`
	// From and To are the session's place before and after; From is nil when added, To when
	// removed.
	From *PublishedPlace `json:"from,omitempty"`
	To   *PublishedPlace `json:"to,omitempty"`
}

// PublishedPlace is where and when a session is in a version.
type PublishedPlace struct {
	VenueID  uint      `json:"venue_id"`
	RoomName string    `json:"room"`
	StartsAt time.Time `json:"starts_at"`
	EndsAt   time.Time `json:"ends_at"`
}

func (p PublishedSession) place() PublishedPlace {
	return PublishedPlace{VenueID: p.VenueID, RoomName: p.RoomName, StartsAt: p.StartsAt, EndsAt: p.EndsAt}
}

// OfVenue lists the version's sessions at one venue, in the order they were published
// (by time, then room).
func (v ScheduleVersion) OfVenue(venueID uint) []PublishedSession {
	var out []PublishedSession
	for _, s := range v.Sessions {
		if s.VenueID == venueID {
			out = append(out, s)
		}
	}
	return out
}

// snapshot turns the placed sessions into a version's contents.
func snapshot(sessions []Session) []PublishedSession {
	var out []PublishedSession
	for _, se := range sessions {
		if !se.Placed() || se.VenueID == nil {
			continue
		}
		ps := PublishedSession{SessionID: se.ID, Title: se.Title, Abstract: se.Abstract, TitleEn: se.TitleEn,
			AbstractEn: se.AbstractEn, Format: se.Format,
			Track: se.Track, VenueID: *se.VenueID, RoomID: *se.RoomID, SlotIDs: se.SlotIDs(),
			StartsAt: se.StartsAt().UTC(), EndsAt: se.EndsAt().UTC(), Speakers: []PublishedSpeaker{}}
		if se.Room != nil {
			ps.RoomName = se.Room.Name
		}
		for _, sp := range se.Speakers {
			ps.Speakers = append(ps.Speakers, PublishedSpeaker{ID: sp.ID, Name: sp.Name, Organisation: sp.Organisation})
		}
		out = append(out, ps)
	}
	return out
}

// diffSchedules lists what changed from old to new, ordered by session id.
func diffSchedules(old, new []PublishedSession) []ScheduleChange {
	before := map[uint]PublishedSession{}
	for _, s := range old {
		before[s.SessionID] = s
	}
	after := map[uint]PublishedSession{}
	for _, s := range new {
		after[s.SessionID] = s
	}
	var changes []ScheduleChange
	for _, n := range new {
		o, ok := before[n.SessionID]
		to := n.place()
		switch {
		case !ok:
			changes = append(changes, ScheduleChange{Kind: ChangeAdded, SessionID: n.SessionID, Title: n.Title, To: &to})
		case o.VenueID != n.VenueID || o.RoomID != n.RoomID || !slices.Equal(o.SlotIDs, n.SlotIDs) ||
			!o.StartsAt.Equal(n.StartsAt) || !o.EndsAt.Equal(n.EndsAt):
			from := o.place()
			changes = append(changes, ScheduleChange{Kind: ChangeMoved, SessionID: n.SessionID, Title: n.Title, From: &from, To: &to})
		case o.Title != n.Title || o.Abstract != n.Abstract || o.Format != n.Format || o.Track != n.Track ||
			!slices.Equal(o.Speakers, n.Speakers) || o.RoomName != n.RoomName:
			from := o.place()
			changes = append(changes, ScheduleChange{Kind: ChangeEdited, SessionID: n.SessionID, Title: n.Title, From: &from, To: &to})
		case o.TitleEn != n.TitleEn || o.AbstractEn != n.AbstractEn:
			from := o.place()
			changes = append(changes, ScheduleChange{Kind: ChangeTranslated, SessionID: n.SessionID, Title: n.Title, From: &from, To: &to})
		}
	}
	for _, o := range old {
		if _, ok := after[o.SessionID]; !ok {
			from := o.place()
			changes = append(changes, ScheduleChange{Kind: ChangeRemoved, SessionID: o.SessionID, Title: o.Title, From: &from})
		}
	}
	slices.SortStableFunc(changes, func(a, b ScheduleChange) int { return int(a.SessionID) - int(b.SessionID) })
	return changes
}

// LatestScheduleVersion returns the event's newest published version.
// It returns ErrNotFound when no version has been published yet.
func (s *Store) LatestScheduleVersion(ctx context.Context, eventID uint) (ScheduleVersion, error) {
	var v ScheduleVersion
	err := s.db.WithContext(ctx).Where("event_id = ?", eventID).Order("number DESC").First(&v).Error
	if err != nil {
		return ScheduleVersion{}, notFound(err, "schedule version of event", eventID)
	}
	return v, nil
}

// ScheduleVersion returns the event's published version with the given number.
// It returns ErrNotFound when there is no such version.
func (s *Store) ScheduleVersion(ctx context.Context, eventID uint, number int) (ScheduleVersion, error) {
	var v ScheduleVersion
	err := s.db.WithContext(ctx).Where("event_id = ? AND number = ?", eventID, number).First(&v).Error
	if err != nil {
		return ScheduleVersion{}, notFound(err, "schedule version", number)
	}
	return v, nil
}

// ScheduleVersions lists the event's published versions, newest first.
func (s *Store) ScheduleVersions(ctx context.Context, eventID uint) ([]ScheduleVersion, error) {
	var vs []ScheduleVersion
	if err := s.db.WithContext(ctx).Where("event_id = ?", eventID).Order("number DESC").Find(&vs).Error; err != nil {
		return nil, fmt.Errorf("schedule versions of event %d: %w", eventID, err)
	}
	return vs, nil
}

// UnpublishedChanges lists how the timetable as it stands differs from the latest version;
// with no version yet, every placed session is "added".
func (s *Store) UnpublishedChanges(ctx context.Context, eventID uint) ([]ScheduleChange, error) {
	sessions, err := s.SessionsOfEvent(ctx, eventID)
	if err != nil {
		return nil, err
	}
	var old []PublishedSession
	if v, err := s.LatestScheduleVersion(ctx, eventID); err == nil {
		old = v.Sessions
	} else if !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	return diffSchedules(old, snapshot(sessions)), nil
}

// PublishSchedule publishes the timetable as it stands as the next version. From v2 on, in
// the same transaction, every attendee booked (or waiting) for a session that moved, changed
// or left the schedule gets an e-mail saying what changed for them, with their programme as
// it now is, and every speaker of a session that was added, moved, changed or removed gets
// one about their sessions, in the speaker's language (Speaker.Lang). A change of an English
// text alone is published without e-mail.
// It returns ErrNothingToPublish when the timetable is unchanged since the latest version, and
// ErrConflict when another organiser published at the same moment.
func (s *Store) PublishSchedule(ctx context.Context, eventID uint, by *uint) (ScheduleVersion, error) {
	return s.PublishScheduleMailing(ctx, eventID, by, -1)
}

// PublishScheduleMailing publishes as PublishSchedule does, but only when it queues exactly
// mails e-mails (as the organiser confirmed them; -1 for any number); otherwise it changes
// nothing and returns ErrRecipientsChanged.
// It also returns ErrNothingToPublish when the timetable is unchanged since the latest version,
// and ErrConflict when another organiser published at the same moment.
func (s *Store) PublishScheduleMailing(ctx context.Context, eventID uint, by *uint, mails int) (ScheduleVersion, error) {
	var v ScheduleVersion
	err := s.write(ctx, func(tx *gorm.DB) error {
		now := s.now().UTC()
		var sessions []Session
		if err := withSessionDetails(tx).Where("event_id = ?", eventID).Order("id").Find(&sessions).Error; err != nil {
			return err
		}
		sortByTime(sessions)
		var prev ScheduleVersion
		err := tx.Where("event_id = ?", eventID).Order("number DESC").First(&prev).Error
		if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		current := snapshot(sessions)
		changes := diffSchedules(prev.Sessions, current)
		if prev.ID != 0 && len(changes) == 0 {
			return ErrNothingToPublish
		}
		v = ScheduleVersion{EventID: eventID, Number: prev.Number + 1, PublishedAt: now, PublishedBy: by,
			Sessions: current, Changes: changes}
		if v.Number == 1 {
			v.Changes = []ScheduleChange{}
		}
		if v.Sessions == nil {
			v.Sessions = []PublishedSession{}
		}
		if err := tx.Create(&v).Error; err != nil {
			if isUniqueViolation(err) {
				return fmt.Errorf("%w: another organiser published at the same moment", ErrConflict)
			}
			return err
		}
		queued := 0
		if v.Number > 1 {
			if queued, err = enqueueScheduleChanges(tx, now, v); err != nil {
				return err
			}
		}
		if mails >= 0 && queued != mails {
			return recipientsChanged(mails, queued)
		}
		return s.audit(ctx, tx, AuditRecord{Action: ActionSchedulePublished, SubjectKind: SubjectSchedule, SubjectID: eventID,
			Details: map[string]any{"version": v.Number, "sessions": len(v.Sessions), "changes": len(v.Changes), "mails": queued}})
	})
	if err != nil {
		return ScheduleVersion{}, fmt.Errorf("publish schedule of event %d: %w", eventID, err)
	}
	return v, nil
}

// enqueueScheduleChanges queues the e-mails about version v's changes and reports how many.
func enqueueScheduleChanges(tx *gorm.DB, now time.Time, v ScheduleVersion) (int, error) {
	regs, speakers, err := scheduleChangeRecipients(tx, v.Changes)
	if err != nil {
		return 0, err
	}
	payload := strconv.Itoa(v.Number)
	for _, r := range regs {
		if err := enqueue(tx, now, MailScheduleChanged, r, payload); err != nil {
			return 0, err
		}
	}
	for _, sp := range speakers {
		if err := tx.Create(&OutboxMessage{Kind: MailSpeakerSchedule, Recipient: sp.Email, Lang: langOrDutch(sp.Lang),
			Payload: payload + ":" + strconv.Itoa(int(sp.ID)), NextAttemptAt: now, CreatedAt: now}).Error; err != nil {
			return 0, err
		}
	}
	return len(regs) + len(speakers), nil
}

// scheduleChangeRecipients lists who is told about changes: the active attendees booked (or
// waiting) for a session that moved, changed or left, and the speakers of every session
// changed in any way but its translation.
func scheduleChangeRecipients(tx *gorm.DB, changes []ScheduleChange) ([]Registration, []Speaker, error) {
	var forSpeakers []uint
	for _, c := range changes {
		if c.Kind == ChangeTranslated {
			continue
		}
		forSpeakers = append(forSpeakers, c.SessionID)
	}
	var regs []Registration
	if attendees := ScheduleChangeAudience(changes); len(attendees.Sessions) > 0 {
		if err := attendees.where(tx.Model(&Registration{})).Order("registrations.id").Find(&regs).Error; err != nil {
			return nil, nil, err
		}
	}
	var speakers []Speaker
	if len(forSpeakers) > 0 {
		if err := tx.Where("email <> '' AND id IN (?)",
			tx.Table("session_speakers").Select("speaker_id").Where("session_id IN ?", forSpeakers)).
			Order("id").Find(&speakers).Error; err != nil {
			return nil, nil, err
		}
	}
	return regs, speakers, nil
}

// SpeakerWithSessions returns a speaker and their sessions, with places, by time.
// It returns ErrNotFound when there is no such speaker.
func (s *Store) SpeakerWithSessions(ctx context.Context, speakerID uint) (Speaker, []Session, error) {
	var sp Speaker
	if err := s.db.WithContext(ctx).First(&sp, speakerID).Error; err != nil {
		return Speaker{}, nil, notFound(err, "speaker", speakerID)
	}
	var sessions []Session
	err := s.sessionQuery(ctx).Where("id IN (?)",
		s.db.Table("session_speakers").Select("session_id").Where("speaker_id = ?", speakerID)).
		Order("id").Find(&sessions).Error
	if err != nil {
		return Speaker{}, nil, fmt.Errorf("sessions of speaker %d: %w", speakerID, err)
	}
	sortByTime(sessions)
	return sp, sessions, nil
}
