package models

import (
	"cmp"
	"slices"
	"strings"
)

// ReviewRow is one proposal in the reviewers' list, as one account may see it.
type ReviewRow struct {
	Proposal Proposal
	// Stats holds the count always, and the mean and spread only when Visible.
	Stats   ReviewStats
	Visible bool
	Own     int // the account's own score, 0 when it has not reviewed
	Votes   int
}

// ReviewRows builds the list's rows for u: reviews and votes are by proposal id. Others'
// scores of a proposal u has not reviewed are left out (see ScoresVisible), so neither the
// page nor the sort order can give them away.
func ReviewRows(u User, proposals []Proposal, reviews map[uint][]Review, votes map[uint]int) []ReviewRow {
	rows := make([]ReviewRow, 0, len(proposals))
	for _, p := range proposals {
		row := ReviewRow{Proposal: p, Votes: votes[p.ID]}
		scores := make([]int, 0, len(reviews[p.ID]))
		for _, r := range reviews[p.ID] {
			scores = append(scores, r.Score)
			if r.UserID == u.ID {
				row.Own = r.Score
			}
		}
		row.Visible = ScoresVisible(u, row.Own != 0)
		if row.Visible {
			row.Stats = Summarize(scores)
		} else {
			row.Stats = ReviewStats{Count: len(scores)}
		}
		rows = append(rows, row)
	}
	return rows
}

// ReviewFilter narrows the list. Empty fields match everything; withdrawn proposals are
// shown only when Status asks for them.
type ReviewFilter struct {
	Status, Format string
	Venue          string // a venue slug: proposals preferring it, or with no preference
	Track          string // a track name
	NoTrack        bool   // only proposals without a track
}

// Match reports whether the row passes the filter.
func (f ReviewFilter) Match(r ReviewRow) bool {
	p := r.Proposal
	switch {
	case f.Status == "" && p.Status == ProposalWithdrawn, f.Status != "" && p.Status != f.Status:
		return false
	case f.Format != "" && p.Format != f.Format:
		return false
	case f.NoTrack && p.Track != "", f.Track != "" && p.Track != f.Track:
		return false
	case f.Venue != "" && len(p.Venues) > 0 && !slices.Contains(p.VenueSlugs(), f.Venue):
		return false
	}
	return true
}

// Filter returns the rows that pass the filter, in their order.
func (f ReviewFilter) Filter(rows []ReviewRow) []ReviewRow {
	out := make([]ReviewRow, 0, len(rows))
	for _, r := range rows {
		if f.Match(r) {
			out = append(out, r)
		}
	}
	return out
}

// ReviewSortKeys are the columns the list sorts by.
var ReviewSortKeys = []string{"title", "status", "format", "track", "mean", "spread", "reviews", "votes"}

// statusOrder is the order statuses sort in: undecided first, then as a decision goes.
var statusOrder = []string{ProposalSubmitted, ProposalAccepted, ProposalReserve, ProposalRejected,
	ProposalConfirmed, ProposalDeclined, ProposalWithdrawn}

// SortReviewRows sorts rows by key (one of ReviewSortKeys), descending when desc. Rows whose
// mean and spread are hidden or missing come last whichever the direction; ties keep the
// submission order. An unknown key sorts by submission order.
func SortReviewRows(rows []ReviewRow, key string, desc bool) {
	sign := 1
	if desc {
		sign = -1
	}
	slices.SortStableFunc(rows, func(a, b ReviewRow) int {
		var c int
		switch key {
		case "title":
			c = cmp.Compare(strings.ToLower(a.Proposal.Title), strings.ToLower(b.Proposal.Title))
		case "status":
			c = cmp.Compare(slices.Index(statusOrder, a.Proposal.Status), slices.Index(statusOrder, b.Proposal.Status))
		case "format":
			c = cmp.Compare(slices.Index(ProposalFormats, a.Proposal.Format), slices.Index(ProposalFormats, b.Proposal.Format))
		case "track":
			if last := lastIf(a.Proposal.Track == "", b.Proposal.Track == ""); last != 0 {
				return last
			}
			c = cmp.Compare(strings.ToLower(a.Proposal.Track), strings.ToLower(b.Proposal.Track))
		case "mean", "spread":
			if last := lastIf(!a.scored(), !b.scored()); last != 0 {
				return last
			}
			if key == "mean" {
				c = cmp.Compare(a.Stats.Mean, b.Stats.Mean)
			} else {
				c = cmp.Compare(a.Stats.Spread(), b.Stats.Spread())
			}
		case "reviews":
			c = cmp.Compare(a.Stats.Count, b.Stats.Count)
		case "votes":
			c = cmp.Compare(a.Votes, b.Votes)
		}
		if c != 0 {
			return sign * c
		}
		return cmp.Compare(a.Proposal.ID, b.Proposal.ID)
	})
}

// scored reports whether the row shows a mean and spread.
func (r ReviewRow) scored() bool { return r.Visible && r.Stats.Count > 0 }

// lastIf orders a row missing a value after one that has it: -1, 1, or 0 when both or neither
// miss it.
func lastIf(aMissing, bMissing bool) int {
	switch {
	case aMissing && !bMissing:
		return 1
	case !aMissing && bMissing:
		return -1
	}
	return 0
}
