package models

import (
	"context"
	"fmt"
	"math"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Limits of a review.
const (
	MinScore         = 1
	MaxScore         = 5
	MaxReviewComment = 2000
)

// Review is one reviewer's judgement of a proposal: a score from 1 to 5 and a comment. Each
// account has at most one review per proposal, which it may change.
type Review struct {
	ID         uint
	ProposalID uint `gorm:"not null;uniqueIndex:idx_reviews_proposal_user"`
	UserID     uint `gorm:"not null;uniqueIndex:idx_reviews_proposal_user;index"`
	User       User
	Score      int    `gorm:"not null"`
	Comment    string `gorm:"size:2000;not null;default:''"`
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// ReviewInput is what a reviewer sends: a score and an optional comment.
type ReviewInput struct {
	Score   int
	Comment string
}

// Validate reports what is wrong with the review.
func (in ReviewInput) Validate() Problems {
	p := Problems{}
	if in.Score < MinScore || in.Score > MaxScore {
		p.Add("score", "review.score_range", "Min", MinScore, "Max", MaxScore)
	}
	p.checkText("comment", in.Comment, false, MaxReviewComment)
	return p
}

// CanReview reports whether the account may see proposals and review them.
func (u User) CanReview() bool {
	return u.Role == RoleAdmin || u.Role == RoleOrganiser || u.Role == RoleReviewer
}

// SeesAllScores reports whether the account always sees every score, comment and speaker's
// e-mail address: organisers and admins, who decide.
func (u User) SeesAllScores() bool {
	return u.Role == RoleAdmin || u.Role == RoleOrganiser
}

// CanDecide reports whether the account may decide on proposals and manage the tracks: the
// event's organisers and admins, not those limited to one venue.
func (u User) CanDecide() bool { return u.CanManageEvent() }

// ScoresVisible reports whether u may see the other reviews of a proposal (their scores,
// comments, mean and spread); reviewed says whether u has reviewed it. A reviewer sees them
// only after giving their own score, so that they judge unswayed.
func ScoresVisible(u User, reviewed bool) bool {
	return u.SeesAllScores() || reviewed
}

// ReviewStats summarises a proposal's scores. The spread is shown as lowest–highest.
type ReviewStats struct {
	Count    int
	Mean     float64
	Min, Max int
}

// Spread is the difference between the highest and lowest score; 0 with one or no review.
func (s ReviewStats) Spread() int { return s.Max - s.Min }

// Summarize computes the count, mean, lowest and highest of scores.
func Summarize(scores []int) ReviewStats {
	if len(scores) == 0 {
		return ReviewStats{}
	}
	st := ReviewStats{Count: len(scores), Min: math.MaxInt, Max: math.MinInt}
	sum := 0
	for _, sc := range scores {
		sum += sc
		st.Min, st.Max = min(st.Min, sc), max(st.Max, sc)
	}
	st.Mean = float64(sum) / float64(len(scores))
	return st
}

// SaveReview records userID's review of a proposal, replacing their earlier one. A withdrawn
// proposal is not reviewed (ErrWithdrawn).
// It also returns ErrNotFound when there is no such proposal, and a *ValidationError when the
// input is not valid.
func (s *Store) SaveReview(ctx context.Context, proposalID, userID uint, in ReviewInput) (Review, error) {
	if err := invalid(in.Validate()); err != nil {
		return Review{}, err
	}
	var r Review
	err := s.write(ctx, func(tx *gorm.DB) error {
		var p Proposal
		if err := tx.Select("id", "status").First(&p, proposalID).Error; err != nil {
			return notFound(err, "proposal", proposalID)
		}
		if p.Status == ProposalWithdrawn {
			return ErrWithdrawn
		}
		var old Review
		if err := tx.Where("proposal_id = ? AND user_id = ?", proposalID, userID).Limit(1).Find(&old).Error; err != nil {
			return err
		}
		now := s.now().UTC()
		r = Review{ProposalID: proposalID, UserID: userID, Score: in.Score, Comment: in.Comment, CreatedAt: now, UpdatedAt: now}
		err := tx.Omit(clause.Associations).Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "proposal_id"}, {Name: "user_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"score", "comment", "updated_at"}),
		}).Create(&r).Error
		if err != nil {
			return err
		}
		details := changes(Review{Score: old.Score, Comment: old.Comment}, Review{Score: r.Score, Comment: r.Comment})
		if old.ID == 0 {
			details = created(Review{Score: r.Score, Comment: r.Comment})
		}
		return s.audit(ctx, tx, AuditRecord{Action: ActionReviewSaved, SubjectKind: SubjectProposal, SubjectID: proposalID,
			Details: details})
	})
	if err != nil {
		return Review{}, fmt.Errorf("review proposal %d: %w", proposalID, err)
	}
	return s.ReviewBy(ctx, proposalID, userID)
}

// ReviewBy returns userID's review of a proposal, or ErrNotFound.
func (s *Store) ReviewBy(ctx context.Context, proposalID, userID uint) (Review, error) {
	var r Review
	err := s.db.WithContext(ctx).Where("proposal_id = ? AND user_id = ?", proposalID, userID).First(&r).Error
	if err != nil {
		return Review{}, notFound(err, "review of proposal", proposalID)
	}
	return r, nil
}

// ReviewsOf lists a proposal's reviews, oldest first, with their reviewers' accounts.
func (s *Store) ReviewsOf(ctx context.Context, proposalID uint) ([]Review, error) {
	var out []Review
	if err := s.db.WithContext(ctx).Preload("User").Where("proposal_id = ?", proposalID).Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("reviews of proposal %d: %w", proposalID, err)
	}
	return out, nil
}

// ReviewsOfEvent returns the reviews of an event's proposals by proposal id, without comments.
func (s *Store) ReviewsOfEvent(ctx context.Context, eventID uint) (map[uint][]Review, error) {
	var all []Review
	err := s.db.WithContext(ctx).Select("reviews.id", "reviews.proposal_id", "reviews.user_id", "reviews.score").
		Joins("JOIN proposals ON proposals.id = reviews.proposal_id").
		Where("proposals.event_id = ?", eventID).Order("reviews.id").Find(&all).Error
	if err != nil {
		return nil, fmt.Errorf("reviews of event %d: %w", eventID, err)
	}
	out := map[uint][]Review{}
	for _, r := range all {
		out[r.ProposalID] = append(out[r.ProposalID], r)
	}
	return out, nil
}
