package mail

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/ambtenaar20/dagplanner/models"
)

// AccountKinds lists the kinds of outbox message about organiser accounts; each has a
// template in every language.
var AccountKinds = []string{models.MailPasswordReset}

// accountData is what the account e-mails' templates see.
type accountData struct {
	Event   string // the event's name; empty when there is none yet
	Link    string // the link to choose a new password
	Minutes int    // how long the link works
}

// composePasswordReset writes the e-mail with a link to choose a new password, with a fresh
// token: the e-mail is the only place the token is ever written down.
func (c *Composer) composePasswordReset(ctx context.Context, msg models.OutboxMessage) (Message, error) {
	id, err := strconv.ParseUint(msg.Payload, 10, 64)
	if err != nil {
		return Message{}, fmt.Errorf("compose %s mail %d: user %q: %w", msg.Kind, msg.ID, msg.Payload, err)
	}
	event, err := c.Store.CurrentEvent(ctx)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return Message{}, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, err)
	}
	token, err := c.Store.NewPasswordResetToken(ctx, uint(id))
	if err != nil {
		return Message{}, fmt.Errorf("compose %s mail %d: link: %w", msg.Kind, msg.ID, err)
	}
	lang := langOf(msg.Lang)
	d := accountData{Event: event.Name, Link: c.base() + "/beheer/wachtwoord-herstellen/" + token,
		Minutes: int(models.PasswordResetTTL.Minutes())}
	subject, text, err := render(lang, msg.Kind, d)
	if err != nil {
		return Message{}, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, err)
	}
	// An installation without an event yet still has accounts: the footer then has no
	// event's name or contact address.
	return Message{To: msg.Recipient, Subject: subject, Text: text, Headers: headers(msg.ID, lang), event: &event}, nil
}
