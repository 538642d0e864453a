package mail

import (
	"context"
	"fmt"
	"strconv"

	"github.com/ambtenaar20/dagplanner/models"
)

// erasureData is what a speaker's or a voter's erasure's confirmation template sees.
type erasureData struct {
	Event string
}

// composeErasure writes the last e-mail to an erased speaker or voter.
func (c *Composer) composeErasure(ctx context.Context, msg models.OutboxMessage) (Message, error) {
	id, err := strconv.ParseUint(msg.Payload, 10, 64)
	if err != nil {
		return Message{}, fmt.Errorf("compose %s mail %d: event %q: %w", msg.Kind, msg.ID, msg.Payload, err)
	}
	event, err := c.event(ctx, uint(id))
	if err != nil {
		return Message{}, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, err)
	}
	lang := langOf(msg.Lang)
	subject, text, err := render(lang, msg.Kind, erasureData{Event: event.Name})
	if err != nil {
		return Message{}, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, err)
	}
	return Message{To: msg.Recipient, Subject: subject, Text: text, Headers: headers(msg.ID, lang), event: &event}, nil
}
