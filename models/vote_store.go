package models

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// RequestBallot queues an e-mail with a personal ballot link to email, for the current
// event, while voting is open. An address outside the allowed domains is a problem on the
// "email" field. Asking again gives another link to the same ballot; whether the address
// asked before, or voted, makes no difference to the caller.
// It returns ErrVotingClosed when voting is not open, and a *ValidationError for an address
// outside the allowed domains.
func (s *Store) RequestBallot(ctx context.Context, email, lang string) error {
	event, err := s.openVoteFor(ctx, email)
	if err != nil {
		return fmt.Errorf("request ballot: %w", err)
	}
	p := Problems{}
	if !event.AllowsVoter(email) {
		p.Add("email", "vote.domain_not_allowed", "Domains", strings.Join(event.VotingDomainList(), ", "))
		return invalid(p)
	}
	// The key is read before the transaction: creating it writes, and on SQLite a second
	// writer inside the transaction would wait for the transaction itself.
	hash, err := s.voterHash(ctx, event.ID, email)
	if err != nil {
		return fmt.Errorf("request ballot: %w", err)
	}
	email = strings.TrimSpace(email)
	err = s.write(ctx, func(tx *gorm.DB) error {
		now := s.now().UTC()
		v := Voter{EventID: event.ID, EmailHash: hash, Lang: langOrDutch(lang), CreatedAt: now}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&v).Error; err != nil {
			return err
		}
		if err := tx.Where("event_id = ? AND email_hash = ?", event.ID, hash).First(&v).Error; err != nil {
			return err
		}
		return tx.Create(&OutboxMessage{Kind: MailBallot, Recipient: email, Lang: langOrDutch(lang),
			Payload: strconv.FormatUint(uint64(v.ID), 10), NextAttemptAt: now, CreatedAt: now}).Error
	})
	if err != nil {
		return fmt.Errorf("request ballot: %w", err)
	}
	return nil
}

// openVoteFor checks a voter's address and returns the current event while its voting is
// open: a *ValidationError on "email", or ErrVotingClosed.
func (s *Store) openVoteFor(ctx context.Context, email string) (Event, error) {
	p := Problems{}
	p.checkEmail("email", email, true)
	if err := invalid(p); err != nil {
		return Event{}, err
	}
	event, err := s.CurrentEvent(ctx)
	if err != nil {
		return Event{}, err
	}
	if !event.VotingOpen(s.now()) {
		return Event{}, ErrVotingClosed
	}
	return event, nil
}

// voterHash is the voter's pseudonym: HMAC-SHA256 of the normalised address, keyed with a
// key derived from the event's private key, so the hashes cannot be reversed by hashing a
// list of addresses without that key.
func (s *Store) voterHash(ctx context.Context, eventID uint, email string) (string, error) {
	hash, err := s.voterHasher(ctx, eventID)
	if err != nil {
		return "", err
	}
	return hash(email), nil
}

// voterHasher is voterHash for many addresses of one event: the key is read once.
func (s *Store) voterHasher(ctx context.Context, eventID uint) (func(email string) string, error) {
	k, err := s.EventKey(ctx, eventID)
	if err != nil {
		return nil, err
	}
	derive := hmac.New(sha256.New, k.PrivateKey)
	derive.Write([]byte("dagplanner voter e-mail v1"))
	key := derive.Sum(nil)
	return func(email string) string {
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(VoterEmailKey(email)))
		return hex.EncodeToString(mac.Sum(nil))
	}, nil
}

// VoterEmailKey is the form of an address that decides "one ballot per address": trimmed,
// lower-case, and without a "+tag" in the local part, so that anna+1@ and anna+2@ are one
// voter.
func VoterEmailKey(email string) string {
	email = NormalizeEmail(email)
	at := strings.LastIndex(email, "@")
	if at < 0 {
		return email
	}
	local, domain := email[:at], strings.TrimSuffix(email[at+1:], ".")
	if plus := strings.Index(local, "+"); plus > 0 {
		local = local[:plus]
	}
	return local + "@" + domain
}

// NewVoterToken creates a personal ballot link for a voter (for an e-mail): 256 random bits,
// of which only the SHA-256 is stored.
func (s *Store) NewVoterToken(ctx context.Context, voterID uint) (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(b[:])
	row := VoterToken{Hash: hashToken(token), VoterID: voterID, CreatedAt: s.now().UTC()}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return "", fmt.Errorf("voter token %d: %w", voterID, err)
	}
	return token, nil
}

// Voter returns one voter.
// It returns ErrNotFound when there is no such voter.
func (s *Store) Voter(ctx context.Context, id uint) (Voter, error) {
	var v Voter
	if err := s.db.WithContext(ctx).First(&v, id).Error; err != nil {
		return Voter{}, notFound(err, "voter", id)
	}
	return v, nil
}

// voterByToken finds the voter a ballot link belongs to; an unknown or malformed token is
// ErrNotFound.
func voterByToken(tx *gorm.DB, token string) (Voter, error) {
	if len(token) < 20 || len(token) > 100 {
		return Voter{}, fmt.Errorf("voter by token: %w", ErrNotFound)
	}
	var v Voter
	err := tx.Joins("JOIN voter_tokens ON voter_tokens.voter_id = voters.id").
		Where("voter_tokens.hash = ?", hashToken(token)).First(&v).Error
	if err != nil {
		return Voter{}, notFound(err, "voter by token", "")
	}
	return v, nil
}

// VerifyVoter finds the voter a ballot link belongs to, and records the first time the link
// was opened: the voter has proved the address.
// It returns ErrNotFound when the token leads to no voter.
func (s *Store) VerifyVoter(ctx context.Context, token string) (Voter, error) {
	v, err := voterByToken(s.db.WithContext(ctx), token)
	if err != nil || v.VerifiedAt != nil {
		return v, err
	}
	err = s.write(ctx, func(tx *gorm.DB) error {
		return tx.Model(&Voter{}).Where("id = ? AND verified_at IS NULL", v.ID).Update("verified_at", s.now().UTC()).Error
	})
	if err != nil {
		return Voter{}, fmt.Errorf("verify voter %d: %w", v.ID, err)
	}
	return s.Voter(ctx, v.ID)
}

// CastVotes records the set of votes of the voter whose ballot link token is, in one
// transaction. It refuses, changing nothing: when voting is not open (ErrVotingClosed),
// when the voter has voted before (ErrAlreadyVoted: the set is final), and an empty set,
// more votes than the event allows, or a proposal that cannot be voted for (a
// *ValidationError on "votes").
// A token that leads to no voter is ErrNotFound.
func (s *Store) CastVotes(ctx context.Context, token string, proposalIDs []uint) (Voter, error) {
	ids := slices.Clone(proposalIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	var voter Voter
	err := s.write(ctx, func(tx *gorm.DB) error {
		now := s.now().UTC()
		v, err := voterByToken(tx, token)
		if err != nil {
			return err
		}
		var e Event
		if err := tx.First(&e, v.EventID).Error; err != nil {
			return err
		}
		if !e.VotingOpen(now) {
			return ErrVotingClosed
		}
		if v.VotedAt != nil {
			return ErrAlreadyVoted
		}
		if err := invalid(ballotProblems(ids, e.VoteLimit())); err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&Proposal{}).Where("id IN ? AND event_id = ? AND status IN ?", ids, e.ID, VotableStatuses).
			Count(&n).Error; err != nil {
			return err
		}
		if int(n) != len(ids) {
			return invalid(Problems{"votes": {Key: "vote.unknown_proposal"}})
		}
		// The conditional update is what makes the set final, also when two submissions
		// race: only one of them finds voted_at still empty.
		res := tx.Model(&Voter{}).Where("id = ? AND voted_at IS NULL", v.ID).
			Updates(map[string]any{"voted_at": now, "verified_at": gorm.Expr("COALESCE(verified_at, ?)", now)})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrAlreadyVoted
		}
		votes := make([]Vote, len(ids))
		for i, id := range ids {
			votes[i] = Vote{VoterID: v.ID, ProposalID: id, CreatedAt: now}
		}
		if err := tx.Create(&votes).Error; err != nil {
			return err
		}
		voter = v
		voter.VotedAt = &now
		return nil
	})
	if err != nil {
		return Voter{}, fmt.Errorf("cast votes: %w", err)
	}
	return voter, nil
}

// VotesOf lists the proposals a voter voted for, in id order.
func (s *Store) VotesOf(ctx context.Context, voterID uint) ([]uint, error) {
	var ids []uint
	err := s.db.WithContext(ctx).Model(&Vote{}).Where("voter_id = ?", voterID).Order("proposal_id").Pluck("proposal_id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("votes of voter %d: %w", voterID, err)
	}
	return ids, nil
}

// VotingProposals lists an event's proposals that are shown for voting (not withdrawn,
// rejected or declined), oldest first, each with only its confirmed co-speakers.
func (s *Store) VotingProposals(ctx context.Context, eventID uint) ([]Proposal, error) {
	var out []Proposal
	err := s.db.WithContext(ctx).
		Preload("CoSpeakers", func(db *gorm.DB) *gorm.DB { return db.Where("confirmed_at IS NOT NULL").Order("id") }).
		Where("event_id = ? AND status IN ?", eventID, VotableStatuses).Order("id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("voting proposals of event %d: %w", eventID, err)
	}
	return out, nil
}

// VoteCounts counts the votes per proposal of an event: proposal id → votes. Proposals
// without votes are absent.
func (s *Store) VoteCounts(ctx context.Context, eventID uint) (map[uint]int, error) {
	var rows []struct {
		ProposalID uint
		Votes      int
	}
	err := s.db.WithContext(ctx).Model(&Vote{}).Select("votes.proposal_id, COUNT(*) AS votes").
		Joins("JOIN voters ON voters.id = votes.voter_id").Where("voters.event_id = ?", eventID).
		Group("votes.proposal_id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("vote counts of event %d: %w", eventID, err)
	}
	out := make(map[uint]int, len(rows))
	for _, r := range rows {
		out[r.ProposalID] = r.Votes
	}
	return out, nil
}

// VoterInterests gives the votes of an event as interest data for the planner: one list of
// proposal ids per voter who voted (in id order), ordered by voter id. Voters who have not
// voted are left out.
func (s *Store) VoterInterests(ctx context.Context, eventID uint) ([][]uint, error) {
	var rows []Vote
	err := s.db.WithContext(ctx).Model(&Vote{}).Select("votes.voter_id, votes.proposal_id").
		Joins("JOIN voters ON voters.id = votes.voter_id").Where("voters.event_id = ?", eventID).
		Order("votes.voter_id, votes.proposal_id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("voter interests of event %d: %w", eventID, err)
	}
	var out [][]uint
	var last uint
	for _, r := range rows {
		if len(out) == 0 || r.VoterID != last {
			out = append(out, nil)
			last = r.VoterID
		}
		out[len(out)-1] = append(out[len(out)-1], r.ProposalID)
	}
	return out, nil
}

// VoterByEmail finds the voter who asked for a ballot with email, by its pseudonym as
// RequestBallot stores it.
// It returns ErrNotFound when the address has not asked for a ballot.
func (s *Store) VoterByEmail(ctx context.Context, eventID uint, email string) (Voter, error) {
	hash, err := s.voterHash(ctx, eventID, email)
	if err != nil {
		return Voter{}, err
	}
	var v Voter
	if err := s.db.WithContext(ctx).Where("event_id = ? AND email_hash = ?", eventID, hash).First(&v).Error; err != nil {
		return Voter{}, notFound(err, "voter of event", eventID)
	}
	return v, nil
}
