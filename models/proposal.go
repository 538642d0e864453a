package models

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"
)

// Proposal statuses. A speaker's proposal is submitted, and stays so until the speaker
// withdraws it or the organisers decide; the later statuses belong to the review.
const (
	ProposalSubmitted = "submitted"
	ProposalWithdrawn = "withdrawn"
	ProposalAccepted  = "accepted"
	ProposalRejected  = "rejected"
	ProposalReserve   = "reserve"
	ProposalConfirmed = "confirmed"
	ProposalDeclined  = "declined"
)

// ProposalFormats are the kinds of session a speaker may offer.
var ProposalFormats = []string{"workshop", "presentation", "lecture", "training", "discussion", "other"}

// ProposalLevels are the levels a proposal may be aimed at; "" means not stated.
var ProposalLevels = []string{"all", "beginner", "intermediate", "advanced"}

// ProposalNeeds are the needs a form offers as tick boxes; any other entry in a proposal's
// needs is free text.
var ProposalNeeds = []string{"projector", "flipover", "laptop", "accessibility"}

// Limits of a proposal's lists.
const (
	MaxCoSpeakers       = 5
	MaxProposalNeeds    = 10
	maxNeedsStored      = 4000
	MaxNeedLength       = 200
	MaxProposalVenues   = 10
	MaxAvailability     = 50
	MaxParticipantLimit = 1000
)

// ErrCallClosed reports that the call for proposals is not open now: not yet, or its
// deadline has passed, after which proposals are read-only.
var ErrCallClosed = errors.New("call for proposals closed")

// ErrWithdrawn reports a change to a proposal that its speaker has withdrawn.
var ErrWithdrawn = errors.New("proposal withdrawn")

// CallOpen reports whether proposals may be submitted, changed and withdrawn at t.
func (e Event) CallOpen(t time.Time) bool {
	if e.ProposalsOpenAt == nil || t.Before(*e.ProposalsOpenAt) {
		return false
	}
	return e.ProposalsCloseAt == nil || t.Before(*e.ProposalsCloseAt)
}

// CallNotYetOpen reports whether the call will open after t.
func (e Event) CallNotYetOpen(t time.Time) bool {
	return e.ProposalsOpenAt != nil && t.Before(*e.ProposalsOpenAt)
}

// Proposal is a session a speaker offers in the call for proposals. Its texts are stored
// exactly as the speaker sent them.
type Proposal struct {
	ID              uint
	EventID         uint   `gorm:"not null;index"`
	Status          string `gorm:"size:20;not null;index"`
	Title           string `gorm:"size:200;not null"`
	Summary         string `gorm:"size:500;not null"`
	Description     string `gorm:"size:4000;not null"`
	Format          string `gorm:"size:20;not null"`
	SlotCount       int    `gorm:"not null"`
	MaxParticipants int    `gorm:"not null"`
	Audience        string `gorm:"size:200;not null;default:''"`
	Level           string `gorm:"size:20;not null;default:''"`
	// Needs lists tick-box needs (ProposalNeeds) and free-text ones, in the order given.
	Needs               []string `gorm:"size:4000;not null;default:'[]';serializer:json"`
	SpeakerName         string   `gorm:"size:200;not null"`
	SpeakerEmail        string   `gorm:"size:254;not null"`
	SpeakerOrganisation string   `gorm:"size:200;not null"`
	SpeakerBio          string   `gorm:"size:1000;not null;default:''"`
	HasPhoto            bool     `gorm:"not null;default:false"`
	Lang                string   `gorm:"size:5;not null"`
	ConsentAt           time.Time
	WithdrawnAt         *time.Time
	// Track is the name of one of the event's tracks, or "" for none.
	Track string `gorm:"size:100;not null;default:''"`
	// DecidedAt and DecidedBy (a user id) record the organisers' last decision; both are nil
	// while the proposal is undecided.
	DecidedAt *time.Time
	DecidedBy *uint
	CreatedAt time.Time
	UpdatedAt time.Time
	// Venues are the preferred venues; none means either.
	Venues []ProposalVenue `gorm:"constraint:OnDelete:CASCADE"`
	// Availability lists the slots the speakers can give the session in.
	Availability []ProposalSlot `gorm:"constraint:OnDelete:CASCADE"`
	CoSpeakers   []CoSpeaker    `gorm:"constraint:OnDelete:CASCADE"`
}

// ProposalVenue is a venue a proposal prefers.
type ProposalVenue struct {
	ProposalID uint  `gorm:"primaryKey"`
	VenueID    uint  `gorm:"primaryKey;index"`
	Venue      Venue `gorm:"constraint:OnDelete:CASCADE"`
}

// ProposalSlot is a slot the speakers of a proposal are available in.
type ProposalSlot struct {
	ProposalID uint `gorm:"primaryKey"`
	SlotID     uint `gorm:"primaryKey;index"`
	Slot       Slot `gorm:"constraint:OnDelete:CASCADE"`
}

// CoSpeaker is a colleague who gives a proposal's session with the speaker. They are invited
// by e-mail and confirm, completing their profile, through a personal link of their own.
type CoSpeaker struct {
	ID         uint
	ProposalID uint `gorm:"not null;uniqueIndex:idx_co_speakers_proposal_email"`
	// EmailKey is the normalised address: one co-speaker per address per proposal.
	EmailKey     string `gorm:"size:254;not null;uniqueIndex:idx_co_speakers_proposal_email"`
	Email        string `gorm:"size:254;not null"`
	Name         string `gorm:"size:200;not null;default:''"`
	Organisation string `gorm:"size:200;not null;default:''"`
	Bio          string `gorm:"size:1000;not null;default:''"`
	ConfirmedAt  *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
	// Lang is the site's language when the co-speaker confirmed; empty before they did.
	Lang string `gorm:"size:5;not null;default:''"`
}

// ProposalPhoto is the speaker's photo, already checked and re-encoded.
type ProposalPhoto struct {
	ProposalID  uint   `gorm:"primaryKey"`
	ContentType string `gorm:"size:20;not null"`
	Data        []byte `gorm:"not null"`
	CreatedAt   time.Time
}

// ProposalToken is the hash of a personal link to a proposal: the speaker's (no co-speaker)
// or a co-speaker's. The token itself is only ever in the link.
type ProposalToken struct {
	Hash        string `gorm:"size:64;primaryKey"`
	ProposalID  uint   `gorm:"not null;index"`
	CoSpeakerID *uint  `gorm:"index"`
	CreatedAt   time.Time
}

// VenueSlugs lists the preferred venues' slugs.
func (p Proposal) VenueSlugs() []string {
	out := make([]string, 0, len(p.Venues))
	for _, v := range p.Venues {
		out = append(out, v.Venue.Slug)
	}
	return out
}

// SlotIDs lists the slots the speakers are available in, in id order.
func (p Proposal) SlotIDs() []uint {
	out := make([]uint, 0, len(p.Availability))
	for _, a := range p.Availability {
		out = append(out, a.SlotID)
	}
	slices.Sort(out)
	return out
}

// CoSpeakerEmails lists the co-speakers' addresses as they were given.
func (p Proposal) CoSpeakerEmails() []string {
	out := make([]string, 0, len(p.CoSpeakers))
	for _, c := range p.CoSpeakers {
		out = append(out, c.Email)
	}
	return out
}

// ProposalSpeaker is the main speaker of a proposal, as they give themselves.
type ProposalSpeaker struct {
	Name, Email, Organisation, Bio string
}

// ProposalInput is what a speaker sends to submit or change a proposal.
type ProposalInput struct {
	Title, Summary, Description string
	Format                      string
	Slots                       int
	MaxParticipants             int
	Audience, Level             string
	Venues                      []string // slugs; none means either
	Availability                []uint   // slot ids
	Speaker                     ProposalSpeaker
	CoSpeakers                  []string // e-mail addresses
	Needs                       []string
	Consent                     bool
	Lang                        string
	// Photo, when set, replaces the photo: bytes already checked and re-encoded.
	Photo       []byte
	PhotoType   string
	RemovePhoto bool
}

// Validate reports what is wrong with the input on its own.
func (in ProposalInput) Validate() Problems {
	p := Problems{}
	p.checkLine("title", in.Title, true, 200)
	p.checkName("title", in.Title)
	p.checkText("summary", in.Summary, true, 500)
	p.checkText("description", in.Description, true, 4000)
	if strings.TrimSpace(in.Format) == "" {
		p.Add("format", "form.required")
	} else if !slices.Contains(ProposalFormats, in.Format) {
		p.Add("format", "form.invalid_choice")
	}
	if in.Slots != 1 && in.Slots != 2 {
		p.Add("slots", "form.invalid_slot_count")
	}
	p.checkCount("max_participants", in.MaxParticipants, MaxParticipantLimit)
	p.checkLine("audience", in.Audience, false, 200)
	if in.Level != "" && !slices.Contains(ProposalLevels, in.Level) {
		p.Add("level", "form.invalid_choice")
	}
	if len(in.Venues) > MaxProposalVenues {
		p.Add("venues", "form.too_many", "Max", MaxProposalVenues)
	}
	if len(in.Availability) > MaxAvailability {
		p.Add("availability", "form.too_many", "Max", MaxAvailability)
	}
	p.checkLine("speaker.name", in.Speaker.Name, true, 200)
	p.checkName("speaker.name", in.Speaker.Name)
	p.checkEmail("speaker.email", in.Speaker.Email, true)
	p.checkLine("speaker.organisation", in.Speaker.Organisation, true, 200)
	p.checkName("speaker.organisation", in.Speaker.Organisation)
	p.checkText("speaker.bio", in.Speaker.Bio, false, 1000)
	in.checkCoSpeakers(p)
	if len(in.Needs) > MaxProposalNeeds {
		p.Add("needs", "form.too_many", "Max", MaxProposalNeeds)
	}
	for _, n := range in.Needs {
		p.checkLine("needs", n, false, MaxNeedLength)
		if strings.TrimSpace(n) == "" {
			p.Add("needs", "proposal.empty_need")
		}
	}
	// The needs are stored as JSON in a 4,000-character column, where < > & take six
	// characters each: the list as stored must fit.
	if _, taken := p["needs"]; !taken {
		if enc, _ := json.Marshal(in.Needs); len(enc) > maxNeedsStored {
			p.Add("needs", "form.too_long", "Max", maxNeedsStored)
		}
	}
	if !in.Consent {
		p.Add("consent", "proposal.consent_required")
	}
	return p
}

func (in ProposalInput) checkCoSpeakers(p Problems) {
	if len(in.CoSpeakers) > MaxCoSpeakers {
		p.Add("co_speakers", "form.too_many", "Max", MaxCoSpeakers)
		return
	}
	seen := map[string]bool{NormalizeEmail(in.Speaker.Email): true}
	for _, e := range in.CoSpeakers {
		if pr, bad := EmailProblem(e); bad {
			p.Add("co_speakers", pr.Key, pr.Args...)
			return
		}
		key := NormalizeEmail(e)
		if seen[key] {
			p.Add("co_speakers", "proposal.duplicate_co_speaker", "Email", strings.TrimSpace(e))
			return
		}
		seen[key] = true
	}
}

// ProposalResult is a proposal as just written, with the personal token that lets its
// speaker change it. The token is not stored and cannot be read back later.
type ProposalResult struct {
	Proposal Proposal
	Token    string
}

// CoSpeakerInput is what a co-speaker completes of their profile. Lang is the site's language
// as they confirm: the language they are written to once the session is in the programme.
type CoSpeakerInput struct {
	Name, Organisation, Bio, Lang string
}

// Validate reports what is wrong with a co-speaker's profile.
func (in CoSpeakerInput) Validate() Problems {
	p := Problems{}
	p.checkLine("name", in.Name, true, 200)
	p.checkName("name", in.Name)
	p.checkLine("organisation", in.Organisation, true, 200)
	p.checkName("organisation", in.Organisation)
	p.checkText("bio", in.Bio, false, 1000)
	return p
}
