package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// A speaker's own rights over their data (issue #17 points 1 and 2): what Dagplanner holds
// about the speaker of one proposal, and erasing it. A speaker is known by their proposal's
// personal link: the link of one proposal shows and erases that proposal's speaker data.
// Proposals are not joined by address across links, because the link is given out when the
// proposal is sent, before anyone proved the address: joining by address would let anyone
// who typed another's address see or erase that person's other proposals. Each proposal's
// own link does it for that proposal.

// ProposalExport is everything held about the speaker of one proposal, as they may take it.
// Reviewers' scores, comments and identities are the organisers' own notes and stay out;
// the decision is there as the speaker was told it.
type ProposalExport struct {
	Event      string               `json:"event"`
	ExportedAt time.Time            `json:"exported_at"`
	Speaker    ExportedSpeaker      `json:"speaker"`
	Proposal   ExportedProposal     `json:"proposal"`
	CoSpeakers []ExportedCoSpeaker  `json:"co_speakers"`
	Photo      *ExportedPhoto       `json:"photo,omitempty"`
	Decisions  []ExportedDecision   `json:"decisions"`
	Session    *ExportedSession     `json:"session,omitempty"`
	Mails      []MailRecord         `json:"emails"`
	Audit      []PersonalAuditEntry `json:"audit"`
}

// ExportedSpeaker is the speaker as they gave themselves on the proposal.
type ExportedSpeaker struct {
	Name         string    `json:"name"`
	Email        string    `json:"email"`
	Organisation string    `json:"organisation"`
	Bio          string    `json:"bio"`
	Lang         string    `json:"lang"`
	ConsentAt    time.Time `json:"consent_at"`
}

// ExportedProposal is the proposal's content and state as the speaker sees it.
type ExportedProposal struct {
	ID              uint       `json:"id"`
	Status          string     `json:"status"`
	Title           string     `json:"title"`
	Summary         string     `json:"summary"`
	Description     string     `json:"description"`
	Format          string     `json:"format"`
	Slots           int        `json:"slots"`
	MaxParticipants int        `json:"max_participants"`
	Audience        string     `json:"audience"`
	Level           string     `json:"level"`
	Needs           []string   `json:"needs"`
	Track           string     `json:"track"`
	Venues          []string   `json:"venues"`
	Availability    []uint     `json:"availability"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
	WithdrawnAt     *time.Time `json:"withdrawn_at,omitempty"`
}

// ExportedCoSpeaker is a co-speaker as the speaker named them: the address they typed and
// whether the co-speaker confirmed. The co-speaker's own profile is theirs, not the speaker's.
type ExportedCoSpeaker struct {
	Email     string `json:"email"`
	Confirmed bool   `json:"confirmed"`
}

// ExportedPhoto says that a photo is held; the photo itself is behind the speaker's link.
type ExportedPhoto struct {
	ContentType string    `json:"content_type"`
	Bytes       int       `json:"bytes"`
	CreatedAt   time.Time `json:"created_at"`
	// Link is filled in by the web layer: where the speaker downloads it.
	Link string `json:"link,omitempty"`
}

// ExportedDecision is a decision the organisers told the speaker, and when.
type ExportedDecision struct {
	Decision string    `json:"decision"`
	SentAt   time.Time `json:"sent_at"`
}

// ExportedSession is the session a confirmed proposal became.
type ExportedSession struct {
	ID    uint   `json:"id"`
	Title string `json:"title"`
	// OnProgramme says whether the public programme shows it.
	OnProgramme bool `json:"on_programme"`
}

// ExportProposal returns everything held about the speaker of proposal id: the proposal as
// they sent it with its status as shown to them, the co-speakers they named, whether a photo
// is held, the decisions they were told, the session it became, the e-mails about it (kinds
// and times) and the audit entries about it.
// It returns ErrNotFound when there is no such proposal.
func (s *Store) ExportProposal(ctx context.Context, id uint) (ProposalExport, error) {
	p, err := s.Proposal(ctx, id)
	if err != nil {
		return ProposalExport{}, fmt.Errorf("export proposal: %w", err)
	}
	event, err := s.EventOfProposal(ctx, p)
	if err != nil {
		return ProposalExport{}, fmt.Errorf("export proposal %d: %w", id, err)
	}
	status, err := s.SpeakerStatus(ctx, p)
	if err != nil {
		return ProposalExport{}, fmt.Errorf("export proposal %d: %w", id, err)
	}
	out := ProposalExport{Event: event.Name, ExportedAt: s.now().UTC(),
		Speaker: ExportedSpeaker{Name: p.SpeakerName, Email: p.SpeakerEmail, Organisation: p.SpeakerOrganisation,
			Bio: p.SpeakerBio, Lang: p.Lang, ConsentAt: p.ConsentAt.UTC()},
		Proposal: ExportedProposal{ID: p.ID, Status: status, Title: p.Title, Summary: p.Summary, Description: p.Description,
			Format: p.Format, Slots: p.SlotCount, MaxParticipants: p.MaxParticipants, Audience: p.Audience, Level: p.Level,
			Needs: nonNil(p.Needs), Track: p.Track, Venues: nonNil(p.VenueSlugs()), Availability: nonNil(p.SlotIDs()),
			CreatedAt: p.CreatedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC(), WithdrawnAt: utcPtr(p.WithdrawnAt)},
		CoSpeakers: []ExportedCoSpeaker{}, Decisions: []ExportedDecision{}}
	for _, c := range p.CoSpeakers {
		out.CoSpeakers = append(out.CoSpeakers, ExportedCoSpeaker{Email: c.Email, Confirmed: c.ConfirmedAt != nil})
	}
	if err := s.exportProposalExtras(ctx, p, &out); err != nil {
		return ProposalExport{}, fmt.Errorf("export proposal %d: %w", id, err)
	}
	return out, nil
}

// exportProposalExtras adds what lives beside the proposal: photo, decisions, session,
// e-mails and audit entries.
func (s *Store) exportProposalExtras(ctx context.Context, p Proposal, out *ProposalExport) error {
	db := s.db.WithContext(ctx)
	var photos []ProposalPhoto
	if err := db.Where("proposal_id = ?", p.ID).Find(&photos).Error; err != nil {
		return err
	}
	if len(photos) == 1 {
		out.Photo = &ExportedPhoto{ContentType: photos[0].ContentType, Bytes: len(photos[0].Data), CreatedAt: photos[0].CreatedAt.UTC()}
	}
	var told []DecisionMail
	if err := db.Select("decision", "queued_at").Where("proposal_id = ? AND queued_at IS NOT NULL", p.ID).
		Order("queued_at, id").Find(&told).Error; err != nil {
		return err
	}
	for _, d := range told {
		out.Decisions = append(out.Decisions, ExportedDecision{Decision: d.Decision, SentAt: d.QueuedAt.UTC()})
	}
	se, err := s.SessionOfProposal(ctx, p.ID)
	switch {
	case errors.Is(err, ErrNotFound):
	case err != nil:
		return err
	default:
		public, err := s.SessionIsPublic(ctx, se)
		if err != nil {
			return err
		}
		out.Session = &ExportedSession{ID: se.ID, Title: se.Title, OnProgramme: public}
	}
	if out.Mails, err = s.MailRecords(ctx, MailOf{ProposalID: p.ID}); err != nil {
		return err
	}
	if out.Session != nil {
		// The programme's e-mails go to the session's speaker record, not the proposal.
		schedule, err := speakerScheduleMail(db, p, out.Session.ID)
		if err != nil {
			return err
		}
		out.Mails = append(out.Mails, schedule...)
	}
	out.Audit, err = s.PersonalAudit(ctx, SubjectProposal, p.ID)
	return err
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return slices.Clone(s)
}
