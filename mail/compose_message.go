package mail

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
)

// MessageKinds lists the organisers' messages to an audience; each has a template in every
// language, which wraps the organiser's own text.
var MessageKinds = []string{models.MailMessage}

// messageData is what the message template sees: the organiser's subject and text with the
// placeholders filled in, and what the closing line needs.
type messageData struct {
	Subject, Body string
	Event         string
	Group         string // the audience's group: the closing line says why the person gets it
	Site          string
}

// composeMessage writes one person's e-mail of an organiser's message, from the message and
// the person as they are now. A cancelled message, or a person who left the audience since
// it was queued, is taken out of the outbox instead (ErrSuperseded): nobody gets a message
// that was called off, nor one meant for a group they no longer belong to.
func (c *Composer) composeMessage(ctx context.Context, msg models.OutboxMessage) (Message, error) {
	fail := func(err error) (Message, error) {
		return Message{}, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, err)
	}
	ref, err := models.ParseMessagePayload(msg.Payload)
	if err != nil {
		return fail(err)
	}
	m, err := c.Store.Message(ctx, ref.MessageID)
	if err != nil {
		return fail(err)
	}
	if !ref.Test && m.CancelledAt != nil {
		if err := c.Store.ForgetMessageMail(ctx, msg.ID, m.ID, true); err != nil {
			return fail(err)
		}
		return fail(ErrSuperseded)
	}
	person, err := c.Store.MessagePerson(ctx, m.Audience, ref.Group, ref.PersonID)
	if errors.Is(err, models.ErrNotFound) {
		person.Gone = true // deleted since: an account, say
	} else if err != nil {
		return fail(err)
	}
	if person.Gone && !ref.Test {
		if err := c.Store.ForgetMessageMail(ctx, msg.ID, m.ID, false); err != nil {
			return fail(err)
		}
		return fail(ErrSuperseded)
	}
	mode := messageSend
	if ref.Test {
		mode = messageTest
	}
	out, err := c.writeMessage(ctx, m, person, mode)
	if err != nil {
		return fail(err)
	}
	out.To = msg.Recipient
	return out, nil
}

// PreviewMessage writes the e-mail person would get, exactly as it is sent except for the
// personal link, which shows a placeholder: a preview must not make a working link.
func (c *Composer) PreviewMessage(ctx context.Context, m models.Message, person models.MessagePerson) (Message, error) {
	out, err := c.writeMessage(ctx, m, person, messagePreview)
	if err != nil {
		return Message{}, fmt.Errorf("preview message %d: %w", m.ID, err)
	}
	out.To = person.Email
	return out, nil
}

// What a message is written for: to send, to show on the page, or to send as a test to the
// organiser.
type messageMode int

const (
	messageSend messageMode = iota
	messagePreview
	messageTest
)

// writeMessage fills in the message for person in their language (English when they speak
// it and there is an English text) and wraps it in the message template. A preview or a test
// has a placeholder for the personal link; a test says so in its subject.
func (c *Composer) writeMessage(ctx context.Context, m models.Message, p models.MessagePerson, mode messageMode) (Message, error) {
	lang, subject, body := m.Texts(p.Lang)
	cat, err := catalog()
	if err != nil {
		return Message{}, err
	}
	event, err := c.event(ctx, m.EventID)
	if err != nil {
		return Message{}, err
	}
	tr := cat.Translator(locale.Lang(lang)).In(event.Location())
	values := map[string]string{"naam": p.DisplayName(), "organisatie": p.Organisation, "evenement": event.Name,
		"datum": tr.Date(event.Day())}
	if r := p.Registration; r != nil {
		values["locatie"], values["adres"] = r.Venue.NameIn(lang), r.Venue.Address
	}
	used := models.UsedPlaceholders(subject, body)
	if used["sessies"] {
		values["sessies"] = messageSessions(tr, p)
	}
	if used["persoonlijke_link"] {
		if values["persoonlijke_link"], err = c.messageLink(ctx, tr, p, mode != messageSend); err != nil {
			return Message{}, fmt.Errorf("personal link: %w", err)
		}
	}
	subject = strings.TrimSpace(models.FillPlaceholders(subject, values))
	if mode == messageTest {
		subject = "[Test] " + subject
	}
	d := messageData{Subject: subject, Body: strings.TrimSpace(models.FillPlaceholders(body, values)), Event: event.Name,
		Group: p.Kind, Site: c.base() + "/"}
	subject, text, err := render(lang, models.MailMessage, d)
	if err != nil {
		return Message{}, err
	}
	return Message{Subject: subject, Text: text, Headers: headers(0, lang)}, nil
}

// messageSessions is {sessies}: an attendee's programme, with their places in line, or a
// speaker's proposals with where and when their sessions are, one per line.
func messageSessions(tr *locale.Translator, p models.MessagePerson) string {
	var lines []string
	if r := p.Registration; r != nil {
		for _, b := range r.Bookings {
			it := item(tr, b.Session, b.Status == models.BookingWaitlisted, b.Position)
			line := "- " + strings.TrimSpace(it.Time+" "+it.Title)
			if it.Room != "" {
				line += ", " + it.Room
			}
			if it.Waitlisted {
				line += " (" + tr.T("message.sessions.waiting", "Position", it.Position) + ")"
			}
			lines = append(lines, line)
		}
	}
	for _, pl := range p.Places {
		line := "- " + pl.Title
		if se := pl.Session; se != nil && se.Placed() && se.Venue != nil && se.Room != nil {
			line += " (" + tr.TimeRange(se.StartsAt(), se.EndsAt()) + ", " + se.Room.Name + ", " + se.Venue.NameIn(string(tr.Lang())) + ")"
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		return tr.T("message.sessions.none")
	}
	return strings.Join(lines, "\n")
}

// messageLink is {persoonlijke_link}: a fresh personal link, made for this e-mail only (as
// the other e-mails make theirs), to an attendee's booking, a speaker's proposal or a
// co-speaker's page; in a preview or a test, the link with a placeholder for its code.
func (c *Composer) messageLink(ctx context.Context, tr *locale.Translator, p models.MessagePerson, preview bool) (string, error) {
	path := "/boeking/"
	switch {
	case p.Kind == models.AudienceSpeakers:
		path = "/voorstel/"
	case p.Kind == models.AudienceCoSpeakers:
		path = "/voorstellen/medespreker/"
	}
	if preview {
		return c.base() + path + tr.T("message.link_placeholder"), nil
	}
	var token string
	var err error
	switch p.Kind {
	case models.AudienceAttendees:
		token, err = c.Store.NewAccessToken(ctx, p.ID)
	case models.AudienceSpeakers, models.AudienceCoSpeakers:
		token, err = c.Store.NewProposalToken(ctx, p.LinkProposal, p.LinkCoSpeaker)
	default:
		return "", fmt.Errorf("no personal link for the %s group", p.Kind)
	}
	return c.base() + path + token, err
}
