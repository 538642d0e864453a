package mail

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
)

// ScheduleKinds lists the kinds of outbox message about a published schedule that are not
// about a registration; each has a template in every language.
var ScheduleKinds = []string{models.MailSpeakerSchedule}

// speakerScheduleData is what the speaker's schedule e-mail sees.
type speakerScheduleData struct {
	Name, Event, Date, Version, Site string
	// Changes says what the version changed in the speaker's sessions, a sentence a line.
	Changes  []string
	Sessions []speakerSession
}

// speakerSession is one of a speaker's sessions as the e-mail lists it; Room is empty for a
// session that is not in the schedule.
type speakerSession struct {
	Time, Title, Room, Venue, City string
}

// composeSpeakerSchedule tells a speaker, in their language, what the version changed in
// their sessions and where and when these now are. The payload is "<version>:<speaker id>";
// the sessions are read as they are when the e-mail goes out.
func (c *Composer) composeSpeakerSchedule(ctx context.Context, msg models.OutboxMessage) (Message, error) {
	version, id, ok := strings.Cut(msg.Payload, ":")
	speakerID, err := strconv.ParseUint(id, 10, 64)
	if !ok || err != nil {
		return Message{}, fmt.Errorf("compose %s mail %d: payload %q", msg.Kind, msg.ID, msg.Payload)
	}
	sp, sessions, err := c.Store.SpeakerWithSessions(ctx, uint(speakerID))
	if err != nil {
		return Message{}, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, err)
	}
	event, err := c.event(ctx, sp.EventID)
	if err != nil {
		return Message{}, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, err)
	}
	cat, err := catalog()
	if err != nil {
		return Message{}, err
	}
	lang := langOf(msg.Lang)
	tr := cat.Translator(locale.Lang(lang)).In(event.Location())
	vc, err := c.loadVersionChanges(ctx, sp.EventID, version)
	if err != nil {
		return Message{}, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, err)
	}
	d := speakerScheduleData{Name: sp.Name, Event: event.Name, Date: tr.Date(event.Day()), Version: version,
		Site: c.base() + "/programma", Changes: vc.speakerChanges(tr, sp, sessions)}
	for _, se := range sessions {
		it := speakerSession{Title: se.TitleIn(lang)}
		if se.Placed() && se.Venue != nil {
			it.Time = tr.TimeRange(se.StartsAt(), se.EndsAt())
			it.Room, it.Venue, it.City = se.Room.Name, se.Venue.NameIn(lang), se.Venue.City
		}
		d.Sessions = append(d.Sessions, it)
	}
	subject, text, err := render(lang, msg.Kind, d)
	if err != nil {
		return Message{}, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, err)
	}
	return Message{To: msg.Recipient, Subject: subject, Text: text, Headers: headers(msg.ID, lang), event: &event}, nil
}
