package models

import (
	"slices"
	"strings"

	"gorm.io/gorm"
)

// The retention categories' plans and their application (see purge.go). A plan only reads;
// apply does exactly what the plan lists, and fails (undoing the category) when the rows it
// touches are not the ones planned.

// planNeeds lists the event's registrations that still hold dietary or accessibility needs.
func planNeeds(db *gorm.DB, e Event, it *PurgeItem) error {
	err := db.Model(&Registration{}).Where("event_id = ? AND (dietary <> '' OR accessibility <> '')", e.ID).
		Order("id").Pluck("id", &it.IDs).Error
	it.add("registrations", int64(len(it.IDs)))
	return err
}

func applyNeeds(tx *gorm.DB, it *PurgeItem) error {
	var n int64
	err := inChunks(it.IDs, func(chunk []uint) error {
		res := tx.Model(&Registration{}).Where("id IN ?", chunk).
			Updates(map[string]any{"dietary": "", "accessibility": ""})
		n += res.RowsAffected
		return res.Error
	})
	if err != nil {
		return err
	}
	return checkApplied("needs cleared", it.Count("registrations"), n)
}

// anonymisedOrganisationSQL is an SQL expression giving the registration's organisation's
// stand-in (ErasedOrganisation of its type): the same as an erasure gives.
func anonymisedOrganisationSQL(tx *gorm.DB) string {
	var b strings.Builder
	b.WriteString("CASE " + orgTypeSQL("organisation", tx.Dialector.Name() == "sqlite"))
	for _, kind := range OrganisationTypes {
		b.WriteString(" WHEN '" + kind + "' THEN '" + ErasedOrganisation(kind) + "'")
	}
	b.WriteString(" ELSE '" + ErasedOrganisation(OrgOther) + "' END")
	return b.String()
}

// planPersonal lists the event's registrations that still name their person, their e-mails
// that were sent (anonymised: the log keeps kind and times) and those still waiting
// (withdrawn), and their personal links (the ticket and the calendar feed stop working).
func planPersonal(db *gorm.DB, e Event, it *PurgeItem) error {
	// An erased registration (registration_erase.go) has nothing personal left.
	err := db.Model(&Registration{}).Where("event_id = ? AND (email <> '' OR name <> '') AND erased_at IS NULL", e.ID).
		Order("id").Pluck("id", &it.IDs).Error
	if err != nil {
		return err
	}
	var links int64
	err = inChunks(it.IDs, func(chunk []uint) error {
		var anon, del []uint
		if err := db.Model(&OutboxMessage{}).Where("registration_id IN ? AND sent_at IS NOT NULL", chunk).
			Order("id").Pluck("id", &anon).Error; err != nil {
			return err
		}
		if err := db.Model(&OutboxMessage{}).Where("registration_id IN ? AND sent_at IS NULL", chunk).
			Order("id").Pluck("id", &del).Error; err != nil {
			return err
		}
		it.mailAnonymise, it.mailDelete = append(it.mailAnonymise, anon...), append(it.mailDelete, del...)
		for _, model := range []any{&AccessToken{}, &CalendarFeed{}, &FeedbackToken{}} {
			var n int64
			if err := db.Model(model).Where("registration_id IN ?", chunk).Count(&n).Error; err != nil {
				return err
			}
			links += n
		}
		return nil
	})
	it.add("registrations", int64(len(it.IDs)))
	it.add("emails_anonymised", int64(len(it.mailAnonymise)))
	it.add("emails_withdrawn", int64(len(it.mailDelete)))
	it.add("links_revoked", links)
	return err
}

func applyPersonal(tx *gorm.DB, it *PurgeItem) error {
	if err := anonymiseMails(tx, it.mailAnonymise, it.Count("emails_anonymised")); err != nil {
		return err
	}
	n, err := deleteIn(tx, &OutboxMessage{}, "id", it.mailDelete)
	if err != nil {
		return err
	}
	if err := checkApplied("e-mails withdrawn", it.Count("emails_withdrawn"), n); err != nil {
		return err
	}
	var links int64
	for _, model := range []any{&AccessToken{}, &CalendarFeed{}, &FeedbackToken{}} {
		n, err := deleteIn(tx, model, "registration_id", it.IDs)
		if err != nil {
			return err
		}
		links += n
	}
	if err := checkApplied("links revoked", it.Count("links_revoked"), links); err != nil {
		return err
	}
	org := gorm.Expr(anonymisedOrganisationSQL(tx))
	n = 0
	err = inChunks(it.IDs, func(chunk []uint) error {
		res := tx.Model(&Registration{}).Where("id IN ?", chunk).Updates(map[string]any{
			"email": "", "active_email": nil, "name": "", "organisation": org, "job_title": "",
			"dietary": "", "accessibility": "", "search_text": "", "sort_name": "",
		})
		n += res.RowsAffected
		return res.Error
	})
	if err != nil {
		return err
	}
	return checkApplied("registrations anonymised", it.Count("registrations"), n)
}

// notAccepted are the statuses of proposals that did not make the programme: never decided,
// withdrawn, rejected, kept in reserve, or declined by their speaker after acceptance.
var notAccepted = []string{ProposalSubmitted, ProposalWithdrawn, ProposalRejected, ProposalReserve, ProposalDeclined}

// proposalParts are the rows that belong to a proposal and go with it, by the name the
// report counts them under ("" for rows not counted on their own).
var proposalParts = []struct {
	what  string
	model any
}{
	{"votes", &Vote{}},
	{"reviews", &Review{}},
	{"decision_mails", &DecisionMail{}},
	{"links", &ProposalToken{}},
	{"co_speaker_invitations", &CoSpeakerInvite{}},
	{"co_speakers", &CoSpeaker{}},
	{"photos", &ProposalPhoto{}},
	{"", &ProposalVenue{}},
	{"", &ProposalSlot{}},
}

// planProposals lists the event's proposals that were not accepted and have no session,
// what belongs to them, and the e-mails to their speakers and co-speakers: the call's own,
// and the organisers' messages to addresses that no proposal that stays has.
func planProposals(db *gorm.DB, e Event, it *PurgeItem) error {
	err := db.Model(&Proposal{}).Where("event_id = ? AND status IN ?", e.ID, notAccepted).
		Where("NOT EXISTS (SELECT 1 FROM sessions WHERE sessions.proposal_id = proposals.id)").
		Order("id").Pluck("id", &it.IDs).Error
	if err != nil || len(it.IDs) == 0 {
		it.add("proposals", 0)
		return err
	}
	it.add("proposals", int64(len(it.IDs)))
	for _, p := range proposalParts {
		if p.what == "" {
			continue
		}
		n, err := countIn(db, p.model, "proposal_id", it.IDs)
		if err != nil {
			return err
		}
		it.add(p.what, n)
	}
	err = inChunks(it.IDs, func(chunk []uint) error {
		var ids []uint
		err := db.Model(&OutboxMessage{}).Where("proposal_id IN ?", chunk).Order("id").Pluck("id", &ids).Error
		it.mailDelete = append(it.mailDelete, ids...)
		return err
	})
	if err != nil {
		return err
	}
	gone, err := speakerAddresses(db, "proposals.id IN ?", it.IDs)
	if err != nil {
		return err
	}
	stay, err := speakerAddresses(db, "proposals.id NOT IN ?", it.IDs)
	if err != nil {
		return err
	}
	var speakers []string // the programme's speakers stay too
	if err := db.Model(&Speaker{}).Where("email <> ''").Pluck("LOWER(TRIM(email))", &speakers).Error; err != nil {
		return err
	}
	for _, a := range speakers {
		stay[a] = true
	}
	var addrs []string
	for a := range gone {
		if !stay[a] && a != "" {
			addrs = append(addrs, a)
		}
	}
	slices.Sort(addrs)
	for len(addrs) > 0 {
		n := min(500, len(addrs))
		var ids []uint
		err := db.Model(&OutboxMessage{}).Where("message_id IS NOT NULL AND registration_id IS NULL AND proposal_id IS NULL").
			Where("LOWER(TRIM(recipient)) IN ?", addrs[:n]).Order("id").Pluck("id", &ids).Error
		if err != nil {
			return err
		}
		it.mailDelete = append(it.mailDelete, ids...)
		addrs = addrs[n:]
	}
	it.add("emails", int64(len(it.mailDelete)))
	return nil
}

// speakerAddresses are the normalised addresses of the speakers and co-speakers of the
// proposals that cond (on proposals.id, with ids) names.
func speakerAddresses(db *gorm.DB, cond string, ids []uint) (map[string]bool, error) {
	var list []string
	if err := db.Model(&Proposal{}).Where(cond, ids).Pluck("LOWER(TRIM(speaker_email))", &list).Error; err != nil {
		return nil, err
	}
	var co []string
	err := db.Table("co_speakers").Joins("JOIN proposals ON proposals.id = co_speakers.proposal_id").
		Where(cond, ids).Pluck("co_speakers.email_key", &co).Error
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, a := range append(list, co...) {
		out[a] = true
	}
	return out, nil
}

func applyProposals(tx *gorm.DB, it *PurgeItem) error {
	n, err := deleteIn(tx, &OutboxMessage{}, "id", it.mailDelete)
	if err != nil {
		return err
	}
	if err := checkApplied("e-mails deleted", it.Count("emails"), n); err != nil {
		return err
	}
	for _, p := range proposalParts {
		n, err := deleteIn(tx, p.model, "proposal_id", it.IDs)
		if err != nil {
			return err
		}
		if p.what != "" {
			if err := checkApplied(p.what+" deleted", it.Count(p.what), n); err != nil {
				return err
			}
		}
	}
	n, err = deleteIn(tx, &Proposal{}, "id", it.IDs)
	if err != nil {
		return err
	}
	return checkApplied("proposals deleted", it.Count("proposals"), n)
}

// planVoteContacts counts the addresses voters of the event left to hear about the vote, and
// lists the ballot e-mails to its voters: those sent are anonymised (an address next to a
// voter's id would tie the voter's votes to them), those not sent withdrawn.
func planVoteContacts(db *gorm.DB, e Event, it *PurgeItem) error {
	var n int64
	if err := db.Model(&VoteContact{}).Where("event_id = ?", e.ID).Count(&n).Error; err != nil {
		return err
	}
	ballots := db.Model(&OutboxMessage{}).Where("kind = ? AND payload IN (SELECT CAST(id AS TEXT) FROM voters WHERE event_id = ?)", MailBallot, e.ID)
	if err := ballots.Session(&gorm.Session{}).Where("sent_at IS NOT NULL").Order("id").Pluck("id", &it.mailAnonymise).Error; err != nil {
		return err
	}
	if err := ballots.Session(&gorm.Session{}).Where("sent_at IS NULL").Order("id").Pluck("id", &it.mailDelete).Error; err != nil {
		return err
	}
	it.add("addresses", n)
	it.add("ballot_emails_anonymised", int64(len(it.mailAnonymise)))
	it.add("ballot_emails_withdrawn", int64(len(it.mailDelete)))
	return nil
}

func applyVoteContacts(tx *gorm.DB, it *PurgeItem) error {
	res := tx.Where("event_id = ?", it.EventID).Delete(&VoteContact{})
	if res.Error != nil {
		return res.Error
	}
	if err := checkApplied("voters' addresses deleted", it.Count("addresses"), res.RowsAffected); err != nil {
		return err
	}
	if err := anonymiseMails(tx, it.mailAnonymise, it.Count("ballot_emails_anonymised")); err != nil {
		return err
	}
	n, err := deleteIn(tx, &OutboxMessage{}, "id", it.mailDelete)
	if err != nil {
		return err
	}
	return checkApplied("ballot e-mails withdrawn", it.Count("ballot_emails_withdrawn"), n)
}

// anonymiseMails removes the address and contents of the sent e-mails ids (want of them):
// the log keeps their kind and times.
func anonymiseMails(tx *gorm.DB, ids []uint, want int64) error {
	var n int64
	err := inChunks(ids, func(chunk []uint) error {
		res := tx.Model(&OutboxMessage{}).Where("id IN ?", chunk).
			Updates(map[string]any{"recipient": "", "payload": "", "last_error": "", "unique_key": nil})
		n += res.RowsAffected
		return res.Error
	})
	if err != nil {
		return err
	}
	return checkApplied("e-mails anonymised", want, n)
}
