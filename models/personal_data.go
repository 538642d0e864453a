package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Building blocks for the people's own rights over their data (issue #17): what they can
// take (an export) and what erasing them removes. Attendees (registration_erase.go), speakers
// and voters each put these together in one Store method of their own; the blocks here are
// the parts they share: the e-mails about a person, the audit entries about a person, and
// removing both.

// ActorPerson is the kind of actor for the person whose data it is, acting on it themselves
// through their personal link (an erasure they asked for). The entry names no one: the
// person is its subject, and after the erasure nothing may say who they were.
const ActorPerson = "person"

// MailOf selects the outbox messages about one person: those of a registration, those of a
// proposal, or those to an address (for people known only by their address, such as voters).
// Set exactly one field; an empty MailOf selects nothing.
type MailOf struct {
	RegistrationID uint
	ProposalID     uint
	Address        string // compared as NormalizeEmail does
}

// where narrows q (on outbox_messages) to the messages m selects.
func (m MailOf) where(q *gorm.DB) *gorm.DB {
	switch {
	case m.RegistrationID != 0:
		return q.Where("registration_id = ?", m.RegistrationID)
	case m.ProposalID != 0:
		return q.Where("proposal_id = ?", m.ProposalID)
	case NormalizeEmail(m.Address) != "":
		return q.Where("LOWER(recipient) = ?", NormalizeEmail(m.Address))
	}
	return q.Where("1 = 0")
}

// MailRecord is one e-mail to a person as their export shows it: which kind, when it was
// queued and when it went out (nil while it waits). The address and the text are not kept:
// the text is composed when it is sent, and the person knows their address.
type MailRecord struct {
	Kind     string     `json:"kind"`
	QueuedAt time.Time  `json:"queued_at"`
	SentAt   *time.Time `json:"sent_at,omitempty"`
}

// mailRecords lists the e-mails m selects, oldest first, inside tx (or on a reader).
func mailRecords(db *gorm.DB, m MailOf) ([]MailRecord, error) {
	var rows []OutboxMessage
	if err := m.where(db.Model(&OutboxMessage{})).Select("id", "kind", "created_at", "sent_at").Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("e-mails of a person: %w", err)
	}
	out := make([]MailRecord, 0, len(rows))
	for _, r := range rows {
		out = append(out, MailRecord{Kind: r.Kind, QueuedAt: r.CreatedAt.UTC(), SentAt: utcPtr(r.SentAt)})
	}
	return out, nil
}

// MailRecords returns the e-mails sent or waiting to go to a person, kinds and times only,
// oldest first. It returns no sentinel errors.
func (s *Store) MailRecords(ctx context.Context, m MailOf) ([]MailRecord, error) {
	return mailRecords(s.db.WithContext(ctx), m)
}

// withdrawPendingMail deletes the messages m selects that have not been sent, inside tx, and
// reports how many: an erased person gets nothing more (but the erasure's own confirmation,
// queued after this). A message a worker is sending at this very moment may still go out
// once; its "sent" mark then finds no row.
func withdrawPendingMail(tx *gorm.DB, m MailOf) (int64, error) {
	res := m.where(tx.Where("sent_at IS NULL")).Delete(&OutboxMessage{})
	if res.Error != nil {
		return 0, fmt.Errorf("withdraw e-mails: %w", res.Error)
	}
	return res.RowsAffected, nil
}

// blankSentMail removes the address and everything personal from the messages m selects that
// were sent, inside tx, keeping their kind and times (the e-mail counts stay true). The
// payload (a programme, a name), the last error (a server's answer quoting the address) and
// the unique key of an organisers' message ("message 3 to <address>") go too.
func blankSentMail(tx *gorm.DB, m MailOf) (int64, error) {
	res := m.where(tx.Model(&OutboxMessage{}).Where("sent_at IS NOT NULL")).
		Updates(map[string]any{"recipient": "", "payload": "", "last_error": "", "unique_key": nil})
	if res.Error != nil {
		return 0, fmt.Errorf("blank sent e-mails: %w", res.Error)
	}
	return res.RowsAffected, nil
}

// forgetRateCounters deletes the rate limits' counters kept for an address, inside tx: their
// names hold the address ("recipient:mail:<address>"), which would outlive the erasure until
// the counters' window is over. Counters are keyed by the normalised address after a colon.
func forgetRateCounters(tx *gorm.DB, address string) error {
	addr := NormalizeEmail(address)
	if addr == "" {
		return nil
	}
	if err := tx.Where("LOWER(name) LIKE ? ESCAPE '\\'", "%:"+escapeLike(addr)).Delete(&RateCounter{}).Error; err != nil {
		return fmt.Errorf("forget rate counters: %w", err)
	}
	return nil
}

// forgottenOnceSent lists the kinds of e-mail whose address and payload go as soon as they
// are sent (MarkSent): a ballot (the only link between an address and a voter) and the
// confirmations of an erasure (the last trace of an erased attendee, speaker or voter).
var forgottenOnceSent = []string{MailBallot, MailErased, MailSpeakerErased, MailVoterErased}

// PersonalAuditEntry is an audit entry about a person as their export shows it: what was
// done and when, by what kind of actor, with the details (their own personal values
// included). Who acted and from where is left out: that is about someone else.
type PersonalAuditEntry struct {
	At        time.Time      `json:"at"`
	Action    string         `json:"action"`
	ActorKind string         `json:"actor_kind"`
	Reason    string         `json:"reason,omitempty"`
	Details   map[string]any `json:"details,omitempty"`
}

// personalAudit returns the entries about one subject, oldest first, as the subject's
// export shows them.
func personalAudit(db *gorm.DB, subjectKind string, subjectID uint) ([]PersonalAuditEntry, error) {
	var rows []AuditEntry
	err := db.Where("subject_kind = ? AND subject_id = ?", subjectKind, subjectID).Order("seq").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("audit entries about %s %d: %w", subjectKind, subjectID, err)
	}
	out := make([]PersonalAuditEntry, 0, len(rows))
	for _, e := range rows {
		p := PersonalAuditEntry{At: e.At.UTC(), Action: e.Action, ActorKind: e.ActorKind, Reason: e.Reason, Details: e.DetailMap()}
		if len(p.Details) == 0 {
			p.Details = nil
		}
		out = append(out, p)
	}
	return out, nil
}

// PersonalAudit returns the audit entries about one subject (a registration, a proposal…),
// oldest first, without who acted: the part of the trail a person may take. It returns no
// sentinel errors; see AuditTrail for the organisers' full view.
func (s *Store) PersonalAudit(ctx context.Context, subjectKind string, subjectID uint) ([]PersonalAuditEntry, error) {
	return personalAudit(s.db.WithContext(ctx), subjectKind, subjectID)
}

// anonymiseAuditAbout removes the personal fields of the entries about one subject inside
// tx (as AnonymiseAuditBefore does by age, through the same anonymiseAudit), and reports how
// many it anonymised. The chain still verifies.
func anonymiseAuditAbout(tx *gorm.DB, now time.Time, subjectKind string, subjectID uint) (int64, error) {
	n, err := anonymiseAudit(tx.Where("subject_kind = ? AND subject_id = ?", subjectKind, subjectID), now)
	if err != nil {
		return 0, fmt.Errorf("anonymise audit entries about %s %d: %w", subjectKind, subjectID, err)
	}
	return n, nil
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
