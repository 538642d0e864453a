package models

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ErrStaleDraft reports a decision e-mail draft whose proposal's decision changed after it
// was made: it must not be sent.
var ErrStaleDraft = fmt.Errorf("decision changed after the draft was made: %w", ErrConflict)

// ErrDraftsChanged reports that the drafts to send are not the ones the organiser reviewed:
// someone prepared, discarded or sent drafts in the meantime.
var ErrDraftsChanged = fmt.Errorf("decision drafts changed: %w", ErrConflict)

// DecisionTemplates returns an event's edited decision templates; a decision and language
// without one uses the default text.
func (s *Store) DecisionTemplates(ctx context.Context, eventID uint) ([]DecisionTemplate, error) {
	var out []DecisionTemplate
	if err := s.db.WithContext(ctx).Where("event_id = ?", eventID).Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("decision templates of event %d: %w", eventID, err)
	}
	return out, nil
}

// SaveDecisionTemplate stores an organiser's template for one decision and language,
// replacing an earlier one. A template with invalid fields (Validate), or one that check
// refuses, is refused with a *ValidationError and nothing is stored.
func (s *Store) SaveDecisionTemplate(ctx context.Context, eventID uint, in DecisionTemplateInput, check DecisionTemplateCheck) (DecisionTemplate, error) {
	in = in.normalized()
	p := in.Validate()
	if len(p) == 0 {
		p = check(in)
	}
	if err := invalid(p); err != nil {
		return DecisionTemplate{}, err
	}
	now := s.now().UTC()
	t := DecisionTemplate{EventID: eventID, Decision: in.Decision, Lang: in.Lang, Subject: in.Subject, Body: in.Body,
		CreatedAt: now, UpdatedAt: now}
	err := s.write(ctx, func(tx *gorm.DB) error {
		t.ID, t.CreatedAt = 0, now // a batch may run this again
		var old DecisionTemplate
		if err := tx.Where("event_id = ? AND decision = ? AND lang = ?", eventID, in.Decision, in.Lang).Limit(1).Find(&old).Error; err != nil {
			return err
		}
		err := tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "event_id"}, {Name: "decision"}, {Name: "lang"}},
			DoUpdates: clause.AssignmentColumns([]string{"subject", "body", "updated_at"}),
		}).Create(&t).Error
		if err != nil {
			return err
		}
		if old.ID != 0 {
			t.ID, t.CreatedAt = old.ID, old.CreatedAt
		}
		details := changes(DecisionTemplate{Subject: old.Subject, Body: old.Body}, DecisionTemplate{Subject: t.Subject, Body: t.Body})
		if details == nil {
			details = map[string]any{}
		}
		details["decision"], details["lang"] = t.Decision, t.Lang
		return s.audit(ctx, tx, AuditRecord{Action: ActionDecisionTemplateSaved, SubjectKind: SubjectDecisionTemplate,
			SubjectID: t.ID, Details: details})
	})
	if err != nil {
		return DecisionTemplate{}, fmt.Errorf("save %s/%s decision template: %w", in.Decision, in.Lang, err)
	}
	return t, nil
}

// ResetDecisionTemplate drops an organiser's template, so the default text applies again.
func (s *Store) ResetDecisionTemplate(ctx context.Context, eventID uint, decision, lang string) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		var old DecisionTemplate
		if err := tx.Where("event_id = ? AND decision = ? AND lang = ?", eventID, decision, lang).Limit(1).Find(&old).Error; err != nil {
			return err
		}
		if err := tx.Where("event_id = ? AND decision = ? AND lang = ?", eventID, decision, lang).Delete(&DecisionTemplate{}).Error; err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditRecord{Action: ActionDecisionTemplateReset, SubjectKind: SubjectDecisionTemplate,
			SubjectID: old.ID, Details: map[string]any{"decision": decision, "lang": lang, "was_custom": old.ID != 0}})
	})
}

// DecisionOutbox is what the organisers' decision outbox shows.
type DecisionOutbox struct {
	// Waiting are decided proposals whose decision has neither a draft nor a sent e-mail.
	Waiting []Proposal
	// Drafts wait for review, oldest first; a Stale one will not be sent.
	Drafts []DecisionMail
	// Queued went to the outbox, most recent first.
	Queued []DecisionMail
}

// decidedWithoutMail selects an event's decided proposals that have no draft, and whose
// current decision is not the one the speaker last got an e-mail about.
func decidedWithoutMail(tx *gorm.DB, eventID uint) *gorm.DB {
	// A speaker who erased their data has no address left to tell.
	return tx.Model(&Proposal{}).Where("event_id = ? AND status IN ? AND speaker_email <> ''", eventID, Decisions).
		Where(`COALESCE((SELECT decision_mails.decision FROM decision_mails WHERE decision_mails.proposal_id = proposals.id
			AND decision_mails.queued_at IS NOT NULL ORDER BY decision_mails.id DESC LIMIT 1), '') <> proposals.status`).
		Where("NOT EXISTS (SELECT 1 FROM decision_mails WHERE decision_mails.proposal_id = proposals.id AND decision_mails.queued_at IS NULL)")
}

// DecisionOutbox lists an event's decided proposals without an e-mail, the drafts and the
// e-mails already released.
func (s *Store) DecisionOutbox(ctx context.Context, eventID uint) (DecisionOutbox, error) {
	var out DecisionOutbox
	db := s.db.WithContext(ctx)
	if err := decidedWithoutMail(db, eventID).Order("id").Find(&out.Waiting).Error; err != nil {
		return out, fmt.Errorf("decision outbox of event %d: %w", eventID, err)
	}
	mails := func(queued bool, order string) ([]DecisionMail, error) {
		var ms []DecisionMail
		q := db.Joins("Proposal").Where(`"Proposal".event_id = ?`, eventID)
		if queued {
			q = q.Where("decision_mails.queued_at IS NOT NULL")
		} else {
			q = q.Where("decision_mails.queued_at IS NULL")
		}
		err := q.Order(order).Find(&ms).Error
		for i := range ms {
			ms[i].Stale = !queued && ms[i].Proposal.Status != ms[i].Decision
		}
		return ms, err
	}
	var err error
	if out.Drafts, err = mails(false, "decision_mails.id"); err != nil {
		return out, fmt.Errorf("decision drafts of event %d: %w", eventID, err)
	}
	if out.Queued, err = mails(true, "decision_mails.queued_at DESC, decision_mails.id DESC"); err != nil {
		return out, fmt.Errorf("decision mails of event %d: %w", eventID, err)
	}
	return out, nil
}

// DecisionComposer writes a decision e-mail's subject and body for a proposal, with
// DecisionLink where the personal link goes.
type DecisionComposer func(p Proposal) (subject, body string, err error)

// PrepareDecisionMails makes a draft for every decided proposal of the event that has none:
// drafts whose decision has since changed are replaced, the others are kept as reviewed. It
// is all or nothing, and reports how many drafts it made.
// It returns ErrDraftsChanged when another organiser prepared the same drafts at the same moment.
func (s *Store) PrepareDecisionMails(ctx context.Context, eventID uint, compose DecisionComposer) (int, error) {
	var made int
	err := s.write(ctx, func(tx *gorm.DB) error {
		made = 0
		now := s.now().UTC()
		stale := tx.Model(&Proposal{}).Select("id").Where("event_id = ?", eventID)
		if err := tx.Where("queued_at IS NULL AND proposal_id IN (?)", stale).
			Where("decision <> (SELECT status FROM proposals WHERE proposals.id = decision_mails.proposal_id)").
			Delete(&DecisionMail{}).Error; err != nil {
			return err
		}
		var waiting []Proposal
		if err := decidedWithoutMail(tx, eventID).Order("id").Find(&waiting).Error; err != nil {
			return err
		}
		for _, p := range waiting {
			subject, body, err := compose(p)
			if err != nil {
				return fmt.Errorf("proposal %d: %w", p.ID, err)
			}
			m := DecisionMail{ProposalID: p.ID, Decision: p.Status, Lang: langOrDutch(p.Lang), Recipient: p.SpeakerEmail,
				Subject: subject, Body: body, CreatedAt: now}
			if err := tx.Omit(clause.Associations).Create(&m).Error; err != nil {
				if isUniqueViolation(err) {
					return ErrDraftsChanged // another organiser prepared the same drafts just now
				}
				return err
			}
			made++
		}
		return s.audit(ctx, tx, AuditRecord{Action: ActionDecisionMailsPrepared, SubjectKind: SubjectEvent, SubjectID: eventID,
			Details: map[string]any{"drafts": made}})
	})
	if err != nil {
		return 0, fmt.Errorf("prepare decision mails of event %d: %w", eventID, err)
	}
	return made, nil
}

// DiscardDecisionDraft drops one draft of the event, so the next preparation composes it
// afresh; a draft already sent cannot be discarded (ErrNotFound).
func (s *Store) DiscardDecisionDraft(ctx context.Context, eventID, id uint) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Where("id = ? AND queued_at IS NULL AND proposal_id IN (?)", id,
			tx.Model(&Proposal{}).Select("id").Where("event_id = ?", eventID)).Delete(&DecisionMail{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("decision draft %d: %w", id, ErrNotFound)
		}
		return s.audit(ctx, tx, AuditRecord{Action: ActionDecisionMailsDiscarded, SubjectKind: SubjectDecisionMail, SubjectID: id,
			Details: map[string]any{"drafts": 1}})
	})
}

// DiscardDecisionDrafts drops every draft of the event, for instance after a template
// changed, and reports how many it dropped.
func (s *Store) DiscardDecisionDrafts(ctx context.Context, eventID uint) (int64, error) {
	var n int64
	err := s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Where("queued_at IS NULL AND proposal_id IN (?)",
			tx.Model(&Proposal{}).Select("id").Where("event_id = ?", eventID)).Delete(&DecisionMail{})
		n = res.RowsAffected
		if res.Error != nil {
			return res.Error
		}
		return s.audit(ctx, tx, AuditRecord{Action: ActionDecisionMailsDiscarded, SubjectKind: SubjectEvent, SubjectID: eventID,
			Details: map[string]any{"drafts": n}})
	})
	return n, err
}

// SendDecisionMails releases the drafts the organiser reviewed (ids) into the outbox, in one
// transaction, and marks them queued. When the drafts are not exactly those (ErrDraftsChanged)
// or one is stale (ErrStaleDraft), nothing is sent.
// Both errors wrap ErrConflict.
func (s *Store) SendDecisionMails(ctx context.Context, eventID uint, ids []uint) (int, error) {
	var sent int
	err := s.write(ctx, func(tx *gorm.DB) error {
		sent = 0
		now := s.now().UTC()
		var drafts []DecisionMail
		if err := tx.Joins("Proposal").Where(`"Proposal".event_id = ? AND decision_mails.queued_at IS NULL`, eventID).
			Order("decision_mails.id").Find(&drafts).Error; err != nil {
			return err
		}
		have := make([]uint, 0, len(drafts))
		for _, d := range drafts {
			have = append(have, d.ID)
		}
		want := slices.Clone(ids)
		slices.Sort(want)
		if len(drafts) == 0 || !slices.Equal(have, slices.Compact(want)) {
			return ErrDraftsChanged
		}
		for _, d := range drafts {
			if d.Proposal.Status != d.Decision {
				return fmt.Errorf("draft %d for proposal %d: %w", d.ID, d.ProposalID, ErrStaleDraft)
			}
			res := tx.Model(&DecisionMail{}).Where("id = ? AND queued_at IS NULL", d.ID).Update("queued_at", now)
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected != 1 {
				return ErrDraftsChanged
			}
			proposalID := d.ProposalID
			msg := OutboxMessage{Kind: MailDecision, Recipient: d.Recipient, Lang: d.Lang, ProposalID: &proposalID,
				Payload: strconv.FormatUint(uint64(d.ID), 10), NextAttemptAt: now, CreatedAt: now}
			if err := tx.Create(&msg).Error; err != nil {
				return err
			}
			sent++
		}
		return s.audit(ctx, tx, AuditRecord{Action: ActionDecisionMailsSent, SubjectKind: SubjectEvent, SubjectID: eventID,
			Details: map[string]any{"mails": sent}})
	})
	if err != nil {
		return 0, fmt.Errorf("send decision mails of event %d: %w", eventID, err)
	}
	return sent, nil
}

// DecisionMail returns one decision e-mail with its proposal.
// It returns ErrNotFound when there is no such decision e-mail.
func (s *Store) DecisionMail(ctx context.Context, id uint) (DecisionMail, error) {
	var m DecisionMail
	if err := s.db.WithContext(ctx).Joins("Proposal").First(&m, "decision_mails.id = ?", id).Error; err != nil {
		return DecisionMail{}, notFound(err, "decision mail", id)
	}
	return m, nil
}

// ForgetSupersededDecisionMail removes a sent-to-outbox decision mail that the worker found
// outdated (the decision changed before it went out) and so did not send. Without it the
// proposal would look told: if its decision changed back, nothing would show that its speaker
// never got an e-mail, and the decision outbox offers it again.
func (s *Store) ForgetSupersededDecisionMail(ctx context.Context, id uint) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		return tx.Where("id = ? AND queued_at IS NOT NULL", id).Delete(&DecisionMail{}).Error
	})
	if err != nil {
		return fmt.Errorf("forget decision mail %d: %w", id, err)
	}
	return nil
}
