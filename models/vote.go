package models

import (
	"errors"
	"slices"
	"strings"
	"time"
)

// Open voting: colleagues vote for the proposals they would attend. Each voter proves an
// e-mail address through a personal link, and casts one set of at most the event's limit of
// votes. Voters are kept pseudonymously: a keyed hash of the address, never the address.

// Limits of open voting.
const (
	DefaultVotesPerVoter = 5
	MaxVotesPerVoter     = 50
	MaxVotingDomains     = 50
	maxVotingDomainsText = 2000
)

// VotableStatuses are the proposal statuses that are shown and may be voted for: every
// proposal its speaker still offers. Decided ones stay too, so the public list never tells
// a decision before the speaker has heard it.
var VotableStatuses = []string{ProposalSubmitted, ProposalAccepted, ProposalReserve, ProposalRejected, ProposalConfirmed}

// ErrVotingClosed reports that voting is not open now: not yet, or no longer.
var ErrVotingClosed = errors.New("voting closed")

// ErrAlreadyVoted reports a second set of votes from an address that has voted: a voter's
// set is final.
var ErrAlreadyVoted = errors.New("already voted")

// Voter is someone who asked for a ballot. Only a keyed hash of their normalised e-mail
// address is kept: enough to give one ballot per address, not enough to tell who it is.
type Voter struct {
	ID      uint
	EventID uint `gorm:"not null;uniqueIndex:idx_voters_event_email"`
	// EmailHash is HMAC-SHA256 of the normalised address, keyed with a secret of the event.
	EmailHash  string `gorm:"size:64;not null;uniqueIndex:idx_voters_event_email"`
	Lang       string `gorm:"size:5;not null"`
	VerifiedAt *time.Time
	VotedAt    *time.Time
	CreatedAt  time.Time
}

// VoterToken is the hash of a voter's personal ballot link; the token is only in the e-mail.
type VoterToken struct {
	Hash      string `gorm:"size:64;primaryKey"`
	VoterID   uint   `gorm:"not null;index"`
	CreatedAt time.Time
}

// Vote is one voter's vote for one proposal.
type Vote struct {
	VoterID    uint `gorm:"primaryKey"`
	ProposalID uint `gorm:"primaryKey;index"`
	CreatedAt  time.Time
}

// VotingOpen reports whether votes may be asked for and cast at t: voting is switched on,
// has opened and has not closed (no closing time means it stays open).
func (e Event) VotingOpen(t time.Time) bool {
	if !e.VotingEnabled || e.VotingOpensAt == nil || t.Before(*e.VotingOpensAt) {
		return false
	}
	return e.VotingClosesAt == nil || t.Before(*e.VotingClosesAt)
}

// VotingNotYetOpen reports whether voting is switched on and opens after t.
func (e Event) VotingNotYetOpen(t time.Time) bool {
	return e.VotingEnabled && (e.VotingOpensAt == nil || t.Before(*e.VotingOpensAt))
}

// VotingEnded reports whether voting is switched on and closed before t.
func (e Event) VotingEnded(t time.Time) bool {
	return e.VotingEnabled && e.VotingClosesAt != nil && !t.Before(*e.VotingClosesAt)
}

// VoteLimit is how many proposals one voter may vote for.
func (e Event) VoteLimit() int {
	if e.VotesPerVoter < 1 {
		return DefaultVotesPerVoter
	}
	return e.VotesPerVoter
}

// VotingDomainList lists the e-mail domains voting is limited to; none means anyone.
func (e Event) VotingDomainList() []string {
	return strings.Fields(e.VotingDomains)
}

// AllowsVoter reports whether an address may vote: its domain is one of the allowed
// domains or a subdomain of one, or no domains are set.
func (e Event) AllowsVoter(email string) bool {
	return domainAllowed(e.VotingDomainList(), email)
}

// splitDomains reads the organiser's free-text list of domains: separated by commas,
// semicolons, spaces or newlines; a leading "@" is allowed and dropped.
func splitDomains(text string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(text, func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	}) {
		d := strings.TrimSuffix(strings.TrimPrefix(strings.ToLower(f), "@"), ".")
		if d != "" && !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}

// validDomain reports whether d is a domain name with at least two labels: letters, digits
// and hyphens (internationalised names in their xn-- form), no label starting or ending
// with a hyphen, and a top-level label that is not all digits.
func validDomain(d string) bool {
	if len(d) > 253 {
		return false
	}
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	return strings.ContainsFunc(tld, func(r rune) bool { return r < '0' || r > '9' })
}

// validateVoting checks the event's voting settings.
func (in EventInput) validateVoting(p Problems, loc *time.Location) {
	opens, okOpens := parseLocal(in.VotingOpensAt, loc)
	closes, okCloses := parseLocal(in.VotingClosesAt, loc)
	if !okOpens {
		p.Add("voting_opens_at", "form.invalid_datetime")
	}
	if !okCloses {
		p.Add("voting_closes_at", "form.invalid_datetime")
	}
	if in.VotingEnabled && okOpens && opens == nil {
		p.Add("voting_opens_at", "vote.opens_required")
	}
	if opens != nil && closes != nil && !closes.After(*opens) {
		p.Add("voting_closes_at", "form.closes_before_opens")
	}
	if in.VotesPerVoter != 0 && (in.VotesPerVoter < 1 || in.VotesPerVoter > MaxVotesPerVoter) {
		p.Add("votes_per_voter", "form.between", "Min", 1, "Max", MaxVotesPerVoter)
	}
	domains := splitDomains(in.VotingDomains)
	if len(domains) > MaxVotingDomains {
		p.Add("voting_domains", "form.too_many", "Max", MaxVotingDomains)
	}
	for _, d := range domains {
		if !validDomain(d) {
			p.Add("voting_domains", "vote.invalid_domain", "Domain", d)
		}
	}
	if len(strings.Join(domains, "\n")) > maxVotingDomainsText {
		p.Add("voting_domains", "form.too_long", "Max", maxVotingDomainsText)
	}
	if in.VotingCountsPublic && in.VotingEnabled && okCloses && closes == nil {
		p.Add("voting_closes_at", "vote.closes_required_for_counts")
	}
}

// applyVoting copies the voting settings onto e.
func (in EventInput) applyVoting(e *Event, loc *time.Location) {
	e.VotingEnabled = in.VotingEnabled
	e.VotingOpensAt, _ = parseLocal(in.VotingOpensAt, loc)
	e.VotingClosesAt, _ = parseLocal(in.VotingClosesAt, loc)
	e.VotesPerVoter = in.VotesPerVoter
	if e.VotesPerVoter == 0 {
		e.VotesPerVoter = DefaultVotesPerVoter
	}
	e.VotingDomains = strings.Join(splitDomains(in.VotingDomains), "\n")
	e.VotingCountsPublic = in.VotingCountsPublic
}

// votingColumns are the event's columns that applyVoting sets.
var votingColumns = []string{"voting_enabled", "voting_opens_at", "voting_closes_at", "votes_per_voter", "voting_domains",
	"voting_counts_public"}

// ballotProblems reports what is wrong with the size of a set of votes, on the "votes" field.
func ballotProblems(ids []uint, limit int) Problems {
	p := Problems{}
	switch {
	case len(ids) == 0:
		p.Add("votes", "vote.none_chosen")
	case len(ids) > limit:
		p.Add("votes", "vote.too_many", "Max", limit, "Chosen", len(ids))
	}
	return p
}
