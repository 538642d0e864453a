// Package mail turns outbox messages into e-mails and delivers them: it composes the text
// from the registration as it is when the message goes out, and sends it over SMTP (or, in
// development, writes it to the log).
package mail

import (
	"context"
	"log/slog"
	"maps"
	"slices"

	"github.com/ambtenaar20/dagplanner/models"
)

// Message is one e-mail, ready to send. Text is the plain-text body; HTML, when set, is the
// same content as HTML, sent as the second alternative after the text.
type Message struct {
	To, Subject, Text string
	HTML              string
	// Headers holds extra header fields such as Message-ID; address and MIME headers are
	// set by the sender and may not appear here.
	Headers     map[string]string
	Attachments []Attachment
	// event is the event the message is about, for the name and contact address in its
	// layout; nil means the current event.
	event *models.Event
}

// Attachment is a file sent along with a message.
type Attachment struct {
	Name, ContentType string
	Data              []byte
}

// Sender delivers messages.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// LogSender writes messages to the log instead of sending them: for development, when no
// SMTP server is configured. The log then holds personal links, so it is not for production.
type LogSender struct {
	Log *slog.Logger
}

// Send logs the message's recipient, subject, extra headers and text.
func (s LogSender) Send(ctx context.Context, m Message) error {
	attrs := []any{"to", m.To, "subject", m.Subject}
	for _, k := range sortedKeys(m.Headers) {
		attrs = append(attrs, k, m.Headers[k])
	}
	for _, a := range m.Attachments {
		attrs = append(attrs, "attachment", a.Name)
	}
	attrs = append(attrs, "text", m.Text)
	if m.HTML != "" {
		attrs = append(attrs, "html_bytes", len(m.HTML))
	}
	s.Log.InfoContext(ctx, "mail not sent: no SMTP server configured", attrs...)
	return nil
}

func sortedKeys(m map[string]string) []string {
	return slices.Sorted(maps.Keys(m))
}
