package models

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// MailMessage is the outbox kind of an organiser's message to an audience; its Payload names
// the person (see MessagePayload).
const MailMessage = "message"

// SubjectMessage is the audit trail's subject for a message to an audience.
const SubjectMessage = "message"

// Limits of a message's texts.
const (
	MaxMessageSubject = 200
	MaxMessageBody    = 10000
)

// The states of a message. A draft can be changed, previewed and tested; a scheduled one goes
// out at SendAt; a queued one is in the outbox; a cancelled one sends nothing more.
const (
	MessageDraft     = "draft"
	MessageScheduled = "scheduled"
	MessageQueued    = "queued"
	MessageCancelled = "cancelled"
)

// Message is an organiser's e-mail to an audience, kept with the audience as chosen (so it
// can be shown in words), its author, when it went out and what became of it. The audience
// is read again when it goes out, so a message planned for next week reaches the people who
// are in the audience then; the number the organiser confirmed is checked when it is sent at
// once.
type Message struct {
	ID      uint
	EventID uint `gorm:"not null;index"`
	// FormKey is the compose form's one-time key: a form submitted twice makes one message.
	FormKey  string   `gorm:"size:40;not null;uniqueIndex"`
	Audience Audience `gorm:"size:4000;not null;serializer:json"`
	// AudienceQuery is the audience as the organiser's form gave it (its query string), so
	// that changing the message starts from what they chose.
	AudienceQuery string `gorm:"size:2000;not null;default:''"`
	// ScopeVenueID is the venue of the venue-scoped organiser who wrote it: their list shows
	// their own venue's messages only.
	ScopeVenueID *uint  `gorm:"index"`
	SubjectNL    string `gorm:"size:200;not null"`
	BodyNL       string `gorm:"size:10000;not null"`
	SubjectEN    string `gorm:"size:200;not null;default:''"`
	BodyEN       string `gorm:"size:10000;not null;default:''"`
	Author       Actor  `gorm:"size:400;not null;serializer:json"`
	// SentBy is who sent or scheduled it; the audit trail names them when it goes out.
	SentBy Actor `gorm:"size:400;not null;default:'{}';serializer:json"`
	// SendAt is when it goes (or went) out; nil for a draft.
	SendAt *time.Time `gorm:"index"`
	// QueuedAt is when its e-mails were put in the outbox, Recipients how many.
	QueuedAt   *time.Time
	Recipients int `gorm:"not null;default:0"`
	// Withdrawn counts e-mails taken back from the outbox by a cancellation; Skipped those
	// not sent because the person left the audience meanwhile (cancelled, say).
	Withdrawn   int `gorm:"not null;default:0"`
	Skipped     int `gorm:"not null;default:0"`
	CancelledAt *time.Time
	CancelledBy string `gorm:"size:254;not null;default:''"`
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Status is the message's state: draft, scheduled, queued or cancelled.
func (m Message) Status() string {
	switch {
	case m.CancelledAt != nil:
		return MessageCancelled
	case m.QueuedAt != nil:
		return MessageQueued
	case m.SendAt != nil:
		return MessageScheduled
	default:
		return MessageDraft
	}
}

// HasEnglish reports whether the message has an English version.
func (m Message) HasEnglish() bool { return strings.TrimSpace(m.BodyEN) != "" }

// Texts returns the subject and text a person with language lang gets: English when they
// speak English and there is an English version, Dutch otherwise.
func (m Message) Texts(lang string) (textLang, subject, body string) {
	if lang == "en" && m.HasEnglish() {
		return "en", m.SubjectEN, m.BodyEN
	}
	return "nl", m.SubjectNL, m.BodyNL
}

// Input returns the message as a form fills it in.
func (m Message) Input() MessageInput {
	return MessageInput{Audience: m.Audience, AudienceQuery: m.AudienceQuery, SubjectNL: m.SubjectNL, BodyNL: m.BodyNL, SubjectEN: m.SubjectEN, BodyEN: m.BodyEN,
		FormKey: m.FormKey}
}

// MessageInput is a message as the organiser writes it.
type MessageInput struct {
	Audience Audience
	// AudienceQuery is the audience as the form gave it (see Message.AudienceQuery).
	AudienceQuery                        string
	SubjectNL, BodyNL, SubjectEN, BodyEN string
	// FormKey is the compose form's one-time key (see Message.FormKey).
	FormKey string
}

// Validate reports what is wrong with the message: its audience (under the audience's field
// names), its texts, and placeholders that are unknown or do not fit the group.
func (in MessageInput) Validate() Problems {
	p := in.Audience.Validate()
	group := in.Audience.kind()
	p.checkLine("subject_nl", in.SubjectNL, true, MaxMessageSubject)
	p.checkText("body_nl", in.BodyNL, true, MaxMessageBody)
	english := strings.TrimSpace(in.SubjectEN) != "" || strings.TrimSpace(in.BodyEN) != ""
	p.checkLine("subject_en", in.SubjectEN, english, MaxMessageSubject)
	p.checkText("body_en", in.BodyEN, english, MaxMessageBody)
	p.checkPlaceholders("subject_nl", in.SubjectNL, group, true)
	p.checkPlaceholders("body_nl", in.BodyNL, group, false)
	p.checkPlaceholders("subject_en", in.SubjectEN, group, true)
	p.checkPlaceholders("body_en", in.BodyEN, group, false)
	if len(in.AudienceQuery) > 2000 {
		p.Add("kind", "form.too_long", "Max", 2000)
	}
	if len(in.FormKey) > 40 {
		p.Add("form_key", "form.too_long", "Max", 40)
	}
	return p
}

// MessagePayload is what an outbox message of kind MailMessage says: which message, to whom
// (the group and the id of the person's registration, proposal, co-speaker or account), and
// whether it is a test sent to the organiser.
type MessagePayload struct {
	MessageID uint
	Group     string
	PersonID  uint
	Test      bool
}

// String writes the payload: "12:attendees:345", or "test:12:attendees:345".
func (p MessagePayload) String() string {
	s := strconv.FormatUint(uint64(p.MessageID), 10) + ":" + p.Group + ":" + strconv.FormatUint(uint64(p.PersonID), 10)
	if p.Test {
		return "test:" + s
	}
	return s
}

// ParseMessagePayload reads what MessagePayload.String wrote.
func ParseMessagePayload(s string) (MessagePayload, error) {
	var p MessagePayload
	rest, test := strings.CutPrefix(s, "test:")
	parts := strings.Split(rest, ":")
	if len(parts) != 3 {
		return p, fmt.Errorf("message payload %q", s)
	}
	msg, err1 := strconv.ParseUint(parts[0], 10, 32)
	person, err2 := strconv.ParseUint(parts[2], 10, 32)
	if err1 != nil || err2 != nil {
		return p, fmt.Errorf("message payload %q", s)
	}
	return MessagePayload{MessageID: uint(msg), Group: parts[1], PersonID: uint(person), Test: test}, nil
}

// migrateMessages adds the organisers' messages, and to the outbox the message an e-mail
// belongs to and a unique key that makes each person's e-mail of a message one row, however
// often the sending is tried.
func migrateMessages(tx *gorm.DB) error {
	type Event struct{ ID uint }
	type Venue struct{ ID uint }
	type Message struct {
		ID            uint
		EventID       uint       `gorm:"not null;index"`
		Event         Event      `gorm:"constraint:OnDelete:CASCADE"`
		FormKey       string     `gorm:"size:40;not null;uniqueIndex"`
		Audience      string     `gorm:"size:4000;not null"`
		AudienceQuery string     `gorm:"size:2000;not null;default:''"`
		ScopeVenueID  *uint      `gorm:"index"`
		ScopeVenue    *Venue     `gorm:"constraint:OnDelete:SET NULL"`
		SubjectNL     string     `gorm:"size:200;not null"`
		BodyNL        string     `gorm:"size:10000;not null"`
		SubjectEN     string     `gorm:"size:200;not null;default:''"`
		BodyEN        string     `gorm:"size:10000;not null;default:''"`
		Author        string     `gorm:"size:400;not null"`
		SentBy        string     `gorm:"size:400;not null;default:'{}'"`
		SendAt        *time.Time `gorm:"index"`
		QueuedAt      *time.Time
		Recipients    int `gorm:"not null;default:0"`
		Withdrawn     int `gorm:"not null;default:0"`
		Skipped       int `gorm:"not null;default:0"`
		CancelledAt   *time.Time
		CancelledBy   string `gorm:"size:254;not null;default:''"`
		CreatedAt     time.Time
		UpdatedAt     time.Time
	}
	type OutboxMessage struct {
		ID        uint
		MessageID *uint   `gorm:"index"`
		UniqueKey *string `gorm:"size:300;uniqueIndex"`
	}
	m := tx.Migrator()
	if err := m.CreateTable(&Message{}); err != nil {
		return err
	}
	for _, col := range []string{"MessageID", "UniqueKey"} {
		if err := m.AddColumn(&OutboxMessage{}, col); err != nil {
			return err
		}
		if err := m.CreateIndex(&OutboxMessage{}, col); err != nil {
			return err
		}
	}
	return nil
}
