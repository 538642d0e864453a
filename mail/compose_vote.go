package mail

import (
	"context"
	"fmt"
	"strconv"

	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
)

// VoteKinds lists the kinds of outbox message of open voting; each has a template in every
// language.
var VoteKinds = []string{models.MailBallot}

// ballotData is what the ballot e-mail's template sees.
type ballotData struct {
	Event  string
	Link   string // the voter's personal ballot link
	Limit  int    // how many proposals the voter may choose
	Closes string // when voting closes; empty when it has no end
}

// composeBallot writes the e-mail with a voter's ballot link, with a fresh token: the e-mail
// is the only place the token is ever written down.
func (c *Composer) composeBallot(ctx context.Context, msg models.OutboxMessage) (Message, error) {
	id, err := strconv.ParseUint(msg.Payload, 10, 64)
	if err != nil {
		return Message{}, fmt.Errorf("compose %s mail %d: voter %q: %w", msg.Kind, msg.ID, msg.Payload, err)
	}
	v, err := c.Store.Voter(ctx, uint(id))
	if err != nil {
		return Message{}, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, err)
	}
	event, err := c.event(ctx, v.EventID)
	if err != nil {
		return Message{}, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, err)
	}
	cat, err := catalog()
	if err != nil {
		return Message{}, err
	}
	lang := langOf(msg.Lang)
	d := ballotData{Event: event.Name, Limit: event.VoteLimit()}
	if event.VotingClosesAt != nil {
		d.Closes = cat.Translator(locale.Lang(lang)).In(event.Location()).DateTime(*event.VotingClosesAt)
	}
	token, err := c.Store.NewVoterToken(ctx, v.ID)
	if err != nil {
		return Message{}, fmt.Errorf("compose %s mail %d: personal link: %w", msg.Kind, msg.ID, err)
	}
	d.Link = c.base() + "/stemmen/stembiljet/" + token
	subject, text, err := render(lang, msg.Kind, d)
	if err != nil {
		return Message{}, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, err)
	}
	return Message{To: msg.Recipient, Subject: subject, Text: text, Headers: headers(msg.ID, lang), event: &event}, nil
}
