package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Recipient is one person of an audience as a message and the lists of groups other than
// attendees see them.
type Recipient struct {
	Kind string // the audience's group
	// ID is the registration's, the (first) proposal's, the co-speaker's or the account's.
	ID uint
	// Key is the normalised address that makes them one person.
	Key                       string
	Name, Email, Organisation string
	Lang                      string
	// Proposals are a speaker's or co-speaker's proposals in the audience, by id.
	Proposals []string
}

// DisplayName is the person's name, or their address when they gave none (a co-speaker who
// has not confirmed yet, a reviewer's account).
func (r Recipient) DisplayName() string {
	if strings.TrimSpace(r.Name) != "" {
		return r.Name
	}
	return r.Email
}

// recipientColumns are what each group's Recipient is read from, in the order of scanning:
// id, key, name, address, organisation, language and a proposal's title.
var recipientColumns = map[string]string{
	AudienceAttendees: `registrations.id, LOWER(TRIM(registrations.email)), registrations.name, registrations.email,
		registrations.organisation, registrations.lang, ''`,
	AudienceSpeakers: `proposals.id, LOWER(TRIM(proposals.speaker_email)), proposals.speaker_name, proposals.speaker_email,
		proposals.speaker_organisation, proposals.lang, proposals.title`,
	AudienceCoSpeakers: `co_speakers.id, co_speakers.email_key, co_speakers.name, co_speakers.email, co_speakers.organisation,
		proposals.lang, proposals.title`,
	AudienceReviewers: `users.id, users.email, '', users.email, '', 'nl', ''`,
	AudienceVoters:    `vote_contacts.id, vote_contacts.email_key, '', vote_contacts.email, '', vote_contacts.lang, ''`,
}

// recipientOrder lists each person's rows together, the row that stands for them first: an
// attendee's active registration before a cancelled one (and the latest), a speaker's first
// proposal.
var recipientOrder = map[string]string{
	AudienceAttendees:  "2, CASE WHEN registrations.status = 'active' THEN 0 ELSE 1 END, registrations.id DESC",
	AudienceSpeakers:   "2, proposals.id",
	AudienceCoSpeakers: "2, proposals.id, co_speakers.id",
	AudienceReviewers:  "2, users.id",
	AudienceVoters:     "2",
}

// EachRecipient calls fn once for every person of the audience, in the order of their
// address, reading one row at a time.
// It returns a *ValidationError when the audience is not valid, and ErrNoAddresses for a group
// whose people cannot be written to.
func (s *Store) EachRecipient(ctx context.Context, a Audience, fn func(Recipient) error) error {
	if err := invalid(a.Validate()); err != nil {
		return err
	}
	return eachRecipient(s.db.WithContext(ctx), a, s.now(), fn)
}

// eachRecipient is EachRecipient inside a transaction (or on any handle).
func eachRecipient(db *gorm.DB, a Audience, now time.Time, fn func(Recipient) error) error {
	kind := a.kind()
	cols, ok := recipientColumns[kind]
	if !ok {
		return fmt.Errorf("recipients of the %s group: %w", kind, ErrNoAddresses)
	}
	q, _ := a.query(db, now)
	rows, err := q.Select(cols).Order(recipientOrder[kind]).Rows()
	if err != nil {
		return fmt.Errorf("recipients of the %s group: %w", kind, err)
	}
	defer rows.Close()
	var cur Recipient
	for rows.Next() {
		var r Recipient
		var title string
		if err := rows.Scan(&r.ID, &r.Key, &r.Name, &r.Email, &r.Organisation, &r.Lang, &title); err != nil {
			return fmt.Errorf("read recipient: %w", err)
		}
		if cur.Key == r.Key && cur.Email != "" {
			if title != "" && !slices.Contains(cur.Proposals, title) {
				cur.Proposals = append(cur.Proposals, title)
			}
			continue
		}
		if cur.Email != "" {
			if err := fn(cur); err != nil {
				return err
			}
		}
		r.Kind = kind
		r.Lang = langOrDutch(r.Lang)
		if title != "" {
			r.Proposals = []string{title}
		}
		cur = r
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if cur.Email != "" {
		return fn(cur)
	}
	return nil
}

// RecipientPage is one page of an audience's people, for the groups other than attendees.
type RecipientPage struct {
	People []Recipient
	Total  int
}

// Recipients returns one page (from 1) of an audience's people by name, with the total:
// the list of people for speakers, co-speakers and reviewers. These groups are a few
// hundred people at most, so they are read whole and sorted here. Voters have a total only.
func (s *Store) Recipients(ctx context.Context, a Audience, page, perPage int) (RecipientPage, error) {
	if a.kind() == AudienceVoters {
		// Their addresses are for writing to them about the vote, not for a list.
		n, err := s.CountAudience(ctx, a)
		return RecipientPage{People: []Recipient{}, Total: n}, err
	}
	var all []Recipient
	err := s.EachRecipient(ctx, a, func(r Recipient) error {
		all = append(all, r)
		return nil
	})
	if err != nil {
		return RecipientPage{}, err
	}
	slices.SortStableFunc(all, func(x, y Recipient) int {
		if c := strings.Compare(FoldForSearch(x.DisplayName()), FoldForSearch(y.DisplayName())); c != 0 {
			return c
		}
		return strings.Compare(x.Key, y.Key)
	})
	out := RecipientPage{People: []Recipient{}, Total: len(all)}
	from := max(page-1, 0) * perPage
	if from < len(all) {
		out.People = all[from:min(from+perPage, len(all))]
	}
	return out, nil
}
