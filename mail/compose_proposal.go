package mail

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
)

// ProposalKinds lists the kinds of outbox message of the call for proposals; each has a
// template in every language.
var ProposalKinds = []string{models.MailProposalReceived, models.MailCoSpeakerInvite}

// proposalData is what the call for proposals' templates see.
type proposalData struct {
	Name     string // the recipient's name; empty for a co-speaker who has not given it yet
	Speaker  string // the speaker who submitted the proposal
	Event    string
	Title    string
	Link     string // the recipient's personal link
	Deadline string // the call's deadline; empty when there is none
}

// composeProposal writes a call for proposals' e-mail, with a fresh personal link for its
// recipient: the speaker's edit page, or a co-speaker's confirmation page.
func (c *Composer) composeProposal(ctx context.Context, msg models.OutboxMessage) (Message, error) {
	p, err := c.Store.Proposal(ctx, *msg.ProposalID)
	if err != nil {
		return Message{}, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, err)
	}
	if p.Status == models.ProposalWithdrawn {
		return Message{}, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, ErrSuperseded)
	}
	event, err := c.event(ctx, p.EventID)
	if err != nil {
		return Message{}, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, err)
	}
	cat, err := catalog()
	if err != nil {
		return Message{}, err
	}
	lang := langOf(msg.Lang)
	d := proposalData{Name: p.SpeakerName, Speaker: p.SpeakerName, Event: event.Name, Title: p.Title}
	if event.ProposalsCloseAt != nil {
		d.Deadline = cat.Translator(locale.Lang(lang)).In(event.Location()).DateTime(*event.ProposalsCloseAt)
	}
	switch msg.Kind {
	case models.MailProposalReceived:
		token, err := c.Store.NewProposalToken(ctx, p.ID, nil)
		if err != nil {
			return Message{}, fmt.Errorf("compose %s mail %d: personal link: %w", msg.Kind, msg.ID, err)
		}
		d.Link = c.base() + "/voorstel/" + token
	case models.MailCoSpeakerInvite:
		id, err := strconv.ParseUint(msg.Payload, 10, 64)
		if err != nil {
			return Message{}, fmt.Errorf("compose %s mail %d: co-speaker %q: %w", msg.Kind, msg.ID, msg.Payload, err)
		}
		co, err := c.Store.CoSpeaker(ctx, uint(id))
		if errors.Is(err, models.ErrNotFound) {
			// The speaker took the co-speaker off the proposal before the invitation went out.
			return Message{}, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, ErrSuperseded)
		}
		if err != nil || co.ProposalID != p.ID {
			return Message{}, fmt.Errorf("compose %s mail %d: co-speaker %d of proposal %d: %v", msg.Kind, msg.ID, id, p.ID, err)
		}
		d.Name = co.Name
		token, err := c.Store.NewProposalToken(ctx, p.ID, &co.ID)
		if err != nil {
			return Message{}, fmt.Errorf("compose %s mail %d: personal link: %w", msg.Kind, msg.ID, err)
		}
		d.Link = c.base() + "/voorstellen/medespreker/" + token
	default:
		return Message{}, fmt.Errorf("compose mail %d: kind %q is not about a proposal", msg.ID, msg.Kind)
	}
	subject, text, err := render(lang, msg.Kind, d)
	if err != nil {
		return Message{}, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, err)
	}
	return Message{To: msg.Recipient, Subject: subject, Text: text, Headers: headers(msg.ID, lang), event: &event}, nil
}
