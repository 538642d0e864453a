package mail

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
)

// TeamKinds lists the kinds of outbox message about the organising team (issue #16); each has
// a template in every language.
var TeamKinds = []string{models.MailInvitation}

// invitationData is what the invitation e-mail's template sees.
type invitationData struct {
	Event   string
	Role    string // the role, named in the e-mail's language
	Venue   string // the venue the account is limited to; empty for every venue
	Link    string // the link to accept, with a fresh token
	Expires string // when the link stops working
}

// composeInvitation writes the invitation to join the team with a fresh link: making it
// replaces the hash of any earlier link, so only the newest e-mail's link works. An
// invitation that was accepted, withdrawn or expired meanwhile is not sent.
func (c *Composer) composeInvitation(ctx context.Context, msg models.OutboxMessage) (Message, error) {
	id, err := strconv.ParseUint(msg.Payload, 10, 64)
	if err != nil {
		return Message{}, fmt.Errorf("compose %s mail %d: invitation %q: %w", msg.Kind, msg.ID, msg.Payload, err)
	}
	inv, err := c.Store.Invitation(ctx, uint(id))
	if err != nil {
		return Message{}, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, err)
	}
	event, err := c.Store.CurrentEvent(ctx)
	if err != nil {
		return Message{}, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, err)
	}
	cat, err := catalog()
	if err != nil {
		return Message{}, err
	}
	lang := langOf(msg.Lang)
	tr := cat.Translator(locale.Lang(lang)).In(event.Location())
	d := invitationData{Event: event.Name, Role: tr.T("team.role." + inv.Role), Expires: tr.DateTime(inv.ExpiresAt)}
	if inv.Venue != nil {
		d.Venue = inv.Venue.Name
	}
	token, err := c.Store.NewInvitationToken(ctx, inv.ID)
	if errors.Is(err, models.ErrInvitationGone) {
		return Message{}, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, ErrSuperseded)
	}
	if err != nil {
		return Message{}, fmt.Errorf("compose %s mail %d: link: %w", msg.Kind, msg.ID, err)
	}
	d.Link = c.base() + "/beheer/uitnodiging/" + token
	subject, text, err := render(lang, msg.Kind, d)
	if err != nil {
		return Message{}, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, err)
	}
	return Message{To: msg.Recipient, Subject: subject, Text: text, Headers: headers(msg.ID, lang), event: &event}, nil
}
