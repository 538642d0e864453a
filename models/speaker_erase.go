package models

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Erasing a speaker's data, through their proposal's personal link.
//
// A proposal that became a session stays on the programme, without the speaker: attendees
// hold seats in it and co-speakers give it, and erasing one person's data must not cancel
// other people's day. Its title and abstract stay (they are the programme's text now); the
// speaker's name, address, organisation, bio, needs and photo go, and they are taken off the
// session and out of the published versions of the programme. Whether the session still takes
// place without them is for the organisers, whom the speaker should tell; the erasure page
// says so. Refusing instead would leave the speaker's data in place until the organisers
// acted, which is what the right to erasure is meant to avoid.
//
// Any other proposal is anonymised rather than deleted, so that the counts stay true: the
// votes cast for it, the reviews, and the number of proposals. Its texts go too; a proposal
// still under consideration is withdrawn, and an accepted one that the speaker had not
// answered is declined. Its co-speakers are taken off (their invitation served only it).

// ActionProposalErased is the audit action of a speaker erasing their data; the entry names
// no one.
const ActionProposalErased = "proposal.erased"

// MailSpeakerErased confirms to a speaker's address, one last time, that their data was
// erased; Payload is the event id. Its address goes once it is sent.
const MailSpeakerErased = "speaker_erased"

// ProposalErasure is the outcome of erasing a speaker's data.
type ProposalErasure struct {
	// SessionKept says the proposal's session stays on the programme without the speaker.
	SessionKept bool
	// Status is the proposal's status after the erasure.
	Status string
}

// EraseProposal erases the data of proposal id's speaker in one transaction, as described
// above: the speaker's fields, photo, personal links, decision e-mails' texts, e-mails
// waiting to go (withdrawn) and sent (their addresses), and the personal fields of the
// audit entries about the proposal; then records the erasure in the audit trail without
// personal details and queues a last e-mail confirming it to the speaker's address.
// It returns ErrNotFound when there is no such proposal.
func (s *Store) EraseProposal(ctx context.Context, id uint) (ProposalErasure, error) {
	var out ProposalErasure
	err := s.write(ctx, func(tx *gorm.DB) error {
		out = ProposalErasure{}
		now := s.now().UTC()
		var p Proposal
		if err := tx.First(&p, id).Error; err != nil {
			return notFound(err, "proposal", id)
		}
		var sessions []Session
		if err := tx.Where("proposal_id = ?", id).Limit(1).Find(&sessions).Error; err != nil {
			return err
		}
		if len(sessions) == 1 {
			out.SessionKept = true
			if err := takeSpeakerOff(tx, now, p.SpeakerEmail, sessions[0]); err != nil {
				return err
			}
		}
		out.Status = erasedStatus(p.Status)
		if err := anonymiseProposal(tx, now, p, out.Status, out.SessionKept); err != nil {
			return err
		}
		if err := eraseProposalMail(tx, now, p.ID); err != nil {
			return err
		}
		if _, err := anonymiseAuditAbout(tx, now, SubjectProposal, p.ID); err != nil {
			return err
		}
		if err := forgetRateCounters(tx, p.SpeakerEmail); err != nil {
			return err
		}
		details := map[string]any{"session_kept": out.SessionKept}
		if out.Status != p.Status {
			details["fields"] = []string{"status"}
			details["old"] = map[string]any{"status": p.Status}
			details["new"] = map[string]any{"status": out.Status}
		}
		if err := writeAudit(tx, now, Actor{Kind: ActorPerson}, AuditRecord{Action: ActionProposalErased,
			SubjectKind: SubjectProposal, SubjectID: p.ID, Details: details}); err != nil {
			return err
		}
		if strings.TrimSpace(p.SpeakerEmail) == "" {
			return nil
		}
		return tx.Create(&OutboxMessage{Kind: MailSpeakerErased, Recipient: p.SpeakerEmail, Lang: langOrDutch(p.Lang),
			Payload: strconv.FormatUint(uint64(p.EventID), 10), NextAttemptAt: now, CreatedAt: now}).Error
	})
	if err != nil {
		return ProposalErasure{}, fmt.Errorf("erase proposal %d: %w", id, err)
	}
	return out, nil
}

// erasedStatus is a proposal's status after its speaker erased it: one still under
// consideration is withdrawn, an accepted one not yet answered is declined; a decided or
// answered one keeps its status (the counts by decision stay true).
func erasedStatus(status string) string {
	switch status {
	case ProposalSubmitted:
		return ProposalWithdrawn
	case ProposalAccepted:
		return ProposalDeclined
	}
	return status
}

// anonymiseProposal blanks the speaker's fields of p and removes its photo and the speaker's
// links; without a session it blanks the texts too and takes the co-speakers off.
func anonymiseProposal(tx *gorm.DB, now time.Time, p Proposal, status string, sessionKept bool) error {
	set := map[string]any{"speaker_name": "", "speaker_email": "", "speaker_organisation": "", "speaker_bio": "",
		"has_photo": false, "needs": "[]", "status": status, "updated_at": now}
	if status == ProposalWithdrawn && p.WithdrawnAt == nil {
		set["withdrawn_at"] = now
	}
	if !sessionKept {
		set["title"], set["summary"], set["description"], set["audience"] = "", "", "", ""
	}
	if err := tx.Model(&Proposal{}).Where("id = ?", p.ID).Updates(set).Error; err != nil {
		return err
	}
	if err := tx.Where("proposal_id = ?", p.ID).Delete(&ProposalPhoto{}).Error; err != nil {
		return err
	}
	tokens := tx.Where("proposal_id = ?", p.ID)
	if sessionKept {
		tokens = tokens.Where("co_speaker_id IS NULL")
	}
	if err := tokens.Delete(&ProposalToken{}).Error; err != nil {
		return err
	}
	if sessionKept {
		return nil
	}
	var coEmails []string
	if err := tx.Model(&CoSpeaker{}).Where("proposal_id = ?", p.ID).Pluck("email", &coEmails).Error; err != nil {
		return err
	}
	for _, e := range coEmails {
		if err := forgetRateCounters(tx, e); err != nil {
			return err
		}
	}
	if err := tx.Where("proposal_id = ?", p.ID).Delete(&CoSpeaker{}).Error; err != nil {
		return err
	}
	return tx.Where("proposal_id = ?", p.ID).Delete(&CoSpeakerInvite{}).Error
}

// eraseProposalMail withdraws the proposal's e-mails still waiting and blanks the sent ones,
// and removes the texts of the decision e-mails (drafts go; a sent one keeps its decision and
// time, which the speaker's status and the counts read).
func eraseProposalMail(tx *gorm.DB, now time.Time, proposalID uint) error {
	if _, err := withdrawPendingMail(tx, MailOf{ProposalID: proposalID}); err != nil {
		return err
	}
	if _, err := blankSentMail(tx, MailOf{ProposalID: proposalID}); err != nil {
		return err
	}
	if err := tx.Where("proposal_id = ? AND queued_at IS NULL", proposalID).Delete(&DecisionMail{}).Error; err != nil {
		return err
	}
	return tx.Model(&DecisionMail{}).Where("proposal_id = ?", proposalID).
		Updates(map[string]any{"recipient": "", "subject": "", "body": ""}).Error
}

// takeSpeakerOff takes the speaker with address email off session se: the session's link to their speaker
// record goes, and the record itself when no other session has it (with its programme
// e-mails and the audit entries about it); the published versions of the programme no longer
// name them for se.
func takeSpeakerOff(tx *gorm.DB, now time.Time, email string, se Session) error {
	sp, found, err := speakerOfSession(tx, email, se.ID)
	if err != nil || !found {
		return err
	}
	if err := tx.Exec("DELETE FROM session_speakers WHERE session_id = ? AND speaker_id = ?", se.ID, sp.ID).Error; err != nil {
		return err
	}
	var others int64
	if err := tx.Table("session_speakers").Where("speaker_id = ?", sp.ID).Count(&others).Error; err != nil {
		return err
	}
	if others == 0 {
		schedule := tx.Where("kind = ? AND payload LIKE ?", MailSpeakerSchedule, "%:"+strconv.FormatUint(uint64(sp.ID), 10))
		if err := schedule.Where("sent_at IS NULL").Delete(&OutboxMessage{}).Error; err != nil {
			return err
		}
		if err := tx.Model(&OutboxMessage{}).Where("kind = ? AND payload LIKE ?", MailSpeakerSchedule,
			"%:"+strconv.FormatUint(uint64(sp.ID), 10)).
			Updates(map[string]any{"recipient": "", "payload": "", "last_error": ""}).Error; err != nil {
			return err
		}
		if err := tx.Delete(&Speaker{}, sp.ID).Error; err != nil {
			return err
		}
		if _, err := anonymiseAuditAbout(tx, now, "speaker", sp.ID); err != nil {
			return err
		}
	}
	return unpublishSpeaker(tx, se, sp.ID)
}

// speakerOfSession finds the speaker record with address email among session se's speakers.
func speakerOfSession(tx *gorm.DB, email string, sessionID uint) (Speaker, bool, error) {
	var sp []Speaker
	if strings.TrimSpace(email) == "" {
		return Speaker{}, false, nil
	}
	err := tx.Joins("JOIN session_speakers ON session_speakers.speaker_id = speakers.id").
		Where("session_speakers.session_id = ? AND speakers.email <> '' AND LOWER(speakers.email) = LOWER(?)", sessionID, email).
		Order("speakers.id").Limit(1).Find(&sp).Error
	if err != nil || len(sp) == 0 {
		return Speaker{}, false, err
	}
	return sp[0], true, nil
}

// unpublishSpeaker removes a speaker from session se in every published version of the
// programme: the versions keep the session, its place and its other speakers.
func unpublishSpeaker(tx *gorm.DB, se Session, speakerID uint) error {
	var versions []ScheduleVersion
	if err := tx.Where("event_id = ?", se.EventID).Order("number").Find(&versions).Error; err != nil {
		return err
	}
	for _, v := range versions {
		changed := false
		for i := range v.Sessions {
			if v.Sessions[i].SessionID != se.ID {
				continue
			}
			n := len(v.Sessions[i].Speakers)
			v.Sessions[i].Speakers = slices.DeleteFunc(v.Sessions[i].Speakers, func(ps PublishedSpeaker) bool { return ps.ID == speakerID })
			changed = changed || len(v.Sessions[i].Speakers) != n
		}
		if !changed {
			continue
		}
		if err := tx.Model(&ScheduleVersion{ID: v.ID}).Select("sessions").Updates(&ScheduleVersion{Sessions: v.Sessions}).Error; err != nil {
			return err
		}
	}
	return nil
}

// speakerScheduleMail lists the programme e-mails to p's speaker record on session
// sessionID, kinds and times.
func speakerScheduleMail(db *gorm.DB, p Proposal, sessionID uint) ([]MailRecord, error) {
	sp, found, err := speakerOfSession(db, p.SpeakerEmail, sessionID)
	if err != nil || !found {
		return nil, err
	}
	var rows []OutboxMessage
	err = db.Select("id", "kind", "created_at", "sent_at").
		Where("kind = ? AND payload LIKE ?", MailSpeakerSchedule, "%:"+strconv.FormatUint(uint64(sp.ID), 10)).
		Order("id").Find(&rows).Error
	out := make([]MailRecord, 0, len(rows))
	for _, r := range rows {
		out = append(out, MailRecord{Kind: r.Kind, QueuedAt: r.CreatedAt.UTC(), SentAt: utcPtr(r.SentAt)})
	}
	return out, err
}
