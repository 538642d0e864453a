package models

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"

	"gorm.io/gorm"
)

// ErrMessageDone reports a change to a message that went out or was cancelled already.
var ErrMessageDone = fmt.Errorf("message already sent or cancelled: %w", ErrConflict)

// ErrNoRecipients reports sending a message whose audience holds nobody now.
var ErrNoRecipients = fmt.Errorf("the audience holds nobody: %w", ErrConflict)

// scopeVenue is the venue a scoped audience is limited to, for the message list.
func scopeVenue(scope []uint) *uint {
	if len(scope) == 0 {
		return nil
	}
	v := scope[0]
	return &v
}

// actorJSON is an actor as its column holds it, for updates that bypass the serializer.
func actorJSON(a Actor) string {
	b, _ := json.Marshal(a) // three plain fields: cannot fail
	return string(b)
}

// CreateMessage stores a draft message of the event. A form submitted twice (the same
// FormKey) makes one message: the second time returns the first one's.
// It returns a *ValidationError when the input is not valid, and ErrConflict in the rare case that
// the same form was posted twice and the first message cannot be read back.
func (s *Store) CreateMessage(ctx context.Context, eventID uint, by Actor, in MessageInput) (Message, error) {
	if err := invalid(in.Validate()); err != nil {
		return Message{}, err
	}
	if in.FormKey == "" {
		in.FormKey = rand.Text()
	}
	now := s.now().UTC()
	m := Message{EventID: eventID, FormKey: in.FormKey, Audience: in.Audience, AudienceQuery: in.AudienceQuery,
		ScopeVenueID: scopeVenue(in.Audience.Scope),
		SubjectNL:    in.SubjectNL, BodyNL: in.BodyNL, SubjectEN: in.SubjectEN, BodyEN: in.BodyEN, Author: by,
		CreatedAt: now, UpdatedAt: now}
	err := s.write(ctx, func(tx *gorm.DB) error {
		m.ID = 0 // a batch may run this again
		if err := tx.Create(&m).Error; err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditRecord{Action: ActionMessageCreated, SubjectKind: SubjectMessage, SubjectID: m.ID,
			VenueID: derefVenue(m.ScopeVenueID), Details: created(textOf(m))})
	})
	if isUniqueViolation(err) {
		var first Message
		if err := s.db.WithContext(ctx).Where("form_key = ? AND event_id = ?", in.FormKey, eventID).First(&first).Error; err != nil {
			return Message{}, fmt.Errorf("create message: %w", ErrConflict)
		}
		return first, nil
	}
	if err != nil {
		return Message{}, fmt.Errorf("create message: %w", err)
	}
	return m, nil
}

// UpdateMessage changes a draft or a scheduled message, which then is a draft again: what is
// sent must be previewed and confirmed as it is.
// It returns ErrNotFound when there is no such message, ErrMessageDone when it was sent or
// cancelled already, and a *ValidationError when the input is not valid.
func (s *Store) UpdateMessage(ctx context.Context, id uint, in MessageInput) (Message, error) {
	if err := invalid(in.Validate()); err != nil {
		return Message{}, err
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		var old Message
		if err := tx.First(&old, id).Error; err != nil {
			return notFound(err, "message", id)
		}
		res := tx.Model(&Message{}).Where("id = ? AND queued_at IS NULL AND cancelled_at IS NULL", id).
			Select("audience", "audience_query", "subject_nl", "body_nl", "subject_en", "body_en", "send_at", "updated_at").
			Updates(&Message{Audience: in.Audience, AudienceQuery: in.AudienceQuery, SubjectNL: in.SubjectNL, BodyNL: in.BodyNL, SubjectEN: in.SubjectEN,
				BodyEN: in.BodyEN, UpdatedAt: s.now().UTC()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return messageNotOpen(tx, id)
		}
		now := Message{AudienceQuery: in.AudienceQuery, SubjectNL: in.SubjectNL, BodyNL: in.BodyNL, SubjectEN: in.SubjectEN, BodyEN: in.BodyEN}
		return s.audit(ctx, tx, AuditRecord{Action: ActionMessageUpdated, SubjectKind: SubjectMessage, SubjectID: id,
			VenueID: derefVenue(old.ScopeVenueID), Details: changes(textOf(old), textOf(now))})
	})
	if err != nil {
		return Message{}, fmt.Errorf("update message %d: %w", id, err)
	}
	return s.Message(ctx, id)
}

// messageNotOpen tells why a message could not be changed: it does not exist, or it went
// out or was cancelled.
func messageNotOpen(tx *gorm.DB, id uint) error {
	var n int64
	if err := tx.Model(&Message{}).Where("id = ?", id).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("message %d: %w", id, ErrNotFound)
	}
	return ErrMessageDone
}

// Message returns one message.
// It returns ErrNotFound when there is no such message.
func (s *Store) Message(ctx context.Context, id uint) (Message, error) {
	var m Message
	if err := s.db.WithContext(ctx).First(&m, id).Error; err != nil {
		return Message{}, notFound(err, "message", id)
	}
	return m, nil
}

// MessageCounts says what became of a message's e-mails in the outbox: waiting to go out
// (Failed of them after a failed attempt, to be tried again) and sent.
type MessageCounts struct {
	Waiting, Sent, Failed int
}

// MessageSummary is a message with its counts, for the list of messages.
type MessageSummary struct {
	Message
	Counts MessageCounts
}

// Messages lists an event's messages, newest first, with their counts; scope limits them
// to those written for these venues (a venue-scoped organiser's), nil lists all.
func (s *Store) Messages(ctx context.Context, eventID uint, scope []uint) ([]MessageSummary, error) {
	var ms []Message
	q := s.db.WithContext(ctx).Where("event_id = ?", eventID)
	if scope != nil {
		q = q.Where("scope_venue_id IN ?", nonEmpty(scope))
	}
	if err := q.Order("created_at DESC, id DESC").Find(&ms).Error; err != nil {
		return nil, fmt.Errorf("messages of event %d: %w", eventID, err)
	}
	ids := make([]uint, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	counts, err := s.MessageCounts(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]MessageSummary, len(ms))
	for i, m := range ms {
		out[i] = MessageSummary{Message: m, Counts: counts[m.ID]}
	}
	return out, nil
}

// MessageCounts counts the outbox e-mails of the messages, in one grouped query.
func (s *Store) MessageCounts(ctx context.Context, ids []uint) (map[uint]MessageCounts, error) {
	out := map[uint]MessageCounts{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.db.WithContext(ctx).Model(&OutboxMessage{}).Select(`message_id,
		SUM(CASE WHEN sent_at IS NULL THEN 1 ELSE 0 END),
		SUM(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END),
		SUM(CASE WHEN sent_at IS NULL AND last_error <> '' THEN 1 ELSE 0 END)`).
		Where("message_id IN ?", ids).Group("message_id").Rows()
	if err != nil {
		return nil, fmt.Errorf("message counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id uint
		var c MessageCounts
		if err := rows.Scan(&id, &c.Waiting, &c.Sent, &c.Failed); err != nil {
			return nil, fmt.Errorf("read message counts: %w", err)
		}
		out[id] = c
	}
	return out, rows.Err()
}

// SendTestMessage queues the message to the organiser's own address, written for sample
// (one person of the audience) but without a working personal link and with "[Test]" in the
// subject. It counts for nothing in the message's figures.
// It returns ErrNotFound when there is no such message.
func (s *Store) SendTestMessage(ctx context.Context, by Actor, id uint, to string, sample Recipient) error {
	p := Problems{}
	p.checkEmail("test_to", to, true)
	if err := invalid(p); err != nil {
		return err
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		now := s.now().UTC()
		var m Message
		if err := tx.First(&m, id).Error; err != nil {
			return notFound(err, "message", id)
		}
		payload := MessagePayload{MessageID: id, Group: sample.Kind, PersonID: sample.ID, Test: true}
		if err := tx.Create(&OutboxMessage{Kind: MailMessage, Recipient: NormalizeEmail(to), Lang: sample.Lang, Payload: payload.String(),
			NextAttemptAt: now, CreatedAt: now}).Error; err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditRecord{Action: ActionMessageTested, SubjectKind: SubjectMessage, SubjectID: id,
			VenueID: derefVenue(m.ScopeVenueID), Details: map[string]any{"lang": sample.Lang}})
	})
	if err != nil {
		return fmt.Errorf("test message %d: %w", id, err)
	}
	return nil
}

// SampleRecipients returns a person of the audience who gets the Dutch text and, when the
// message has an English one, a person who gets that, for the preview: the first of each by
// address. Either is nil when the audience has nobody for it.
func (s *Store) SampleRecipients(ctx context.Context, m Message) (dutch, english *Recipient, err error) {
	err = s.EachRecipient(ctx, m.Audience, func(r Recipient) error {
		lang, _, _ := m.Texts(r.Lang)
		switch {
		case lang == "en" && english == nil:
			english = &r
		case lang == "nl" && dutch == nil:
			dutch = &r
		}
		if dutch != nil && (english != nil || !m.HasEnglish()) {
			return errStopEach
		}
		return nil
	})
	if err == errStopEach {
		err = nil
	}
	return dutch, english, err
}

// errStopEach ends an Each… walk early; it never leaves this package.
var errStopEach = fmt.Errorf("stop")
