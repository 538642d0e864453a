package mail

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"text/template"

	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/tickets"
)

// Kinds lists every kind of registration e-mail in the outbox; each has a template in every
// language. The call for proposals has its own, ProposalKinds.
var Kinds = []string{
	models.MailConfirmation, models.MailChanged, models.MailCancelled, models.MailPromoted,
	models.MailLink, models.MailReminder, models.MailReleased, models.MailScheduleChanged,
	models.MailPreferencesReceived, models.MailAllocated, models.MailFeedback,
}

// Langs lists the languages e-mails are written in.
var Langs = []string{"nl", "en"}

// ErrSuperseded reports that a message no longer applies: the registration was cancelled
// before its confirmation, change, link or reminder went out. The cancellation mail says
// what matters, so the worker records such a message as done without sending it.
var ErrSuperseded = errors.New("message superseded by a cancellation")

// withLink lists the kinds whose e-mail carries a personal link. Only these create a token:
// a cancelled registration has nothing left to manage.
var withLink = map[string]bool{
	models.MailConfirmation: true, models.MailChanged: true, models.MailPromoted: true,
	models.MailLink: true, models.MailReminder: true, models.MailScheduleChanged: true,
	models.MailPreferencesReceived: true, models.MailAllocated: true, models.MailFeedback: true,
}

//go:embed templates
var templateFiles embed.FS

// parsedTemplates maps "lang/kind" to its template, parsed once.
var parsedTemplates = sync.OnceValues(parseTemplates)

func parseTemplates() (map[string]*template.Template, error) {
	paths, err := fs.Glob(templateFiles, "templates/*/*.txt")
	if err != nil {
		return nil, err
	}
	out := make(map[string]*template.Template, len(paths))
	for _, p := range paths {
		src, err := templateFiles.ReadFile(p)
		if err != nil {
			return nil, err
		}
		name := strings.TrimSuffix(strings.TrimPrefix(p, "templates/"), ".txt")
		t, err := template.New(name).Option("missingkey=error").Parse(string(src))
		if err != nil {
			return nil, fmt.Errorf("mail template %s: %w", p, err)
		}
		out[name] = t
	}
	return out, nil
}

// catalog gives the translators for dates and times; the embedded catalogues parse once.
var catalog = sync.OnceValues(locale.Load)

// Composer writes the e-mail for an outbox message from the registration as it is now.
type Composer struct {
	Store *models.Store
	// Tickets, when set, renders the PDF ticket attached to the e-mails that change what an
	// attendee holds (confirmation, change, promotion).
	Tickets *tickets.Renderer
	// BaseURL is the public address of the site, e.g. https://dagplanner.example; a trailing
	// slash is ignored.
	BaseURL string
}

// templateData is what the e-mail templates see.
type templateData struct {
	Name    string
	Event   string
	Date    string // the event day, e.g. "woensdag 3 februari 2027"
	Venue   string
	Address string
	Link    string // the personal link; empty for kinds without one
	// CancelLink opens the page where one click cancels: the "I can't come after all" link.
	CancelLink string
	// FeedLink is the personal calendar feed, with its own read-only token; only in the
	// confirmation.
	FeedLink  string
	Site      string // the public site
	Programme []programmeItem
	Waiting   bool          // some of the programme is on a waiting list
	Session   programmeItem // the session a promoted attendee now has a seat in
	Deadline  string        // the reconfirmation deadline; empty when there is none
	Version   string        // the schedule's version number, in a schedule_changed e-mail
	// Changes says what that version changed for this person, one sentence a line.
	Changes []string
	// OnBehalf: an organiser did what the e-mail reports (a phone call, a registration added
	// by hand); the e-mail says so in one line.
	OnBehalf bool
	// Allocation is when the seats are allocated by preference, Closes when rankings can no
	// longer change, and Ranking what the person ranked: in a preferences_received e-mail
	// (compose_preferences.go).
	Allocation, Closes string
	Ranking            []rankedSlot
	// FeedbackLink opens the person's feedback page and CertificateLink their certificate of
	// attendance: in the feedback e-mail (compose_feedback.go), whose Programme lists the
	// sessions attended.
	FeedbackLink, CertificateLink string
}

// programmeItem is one line of an attendee's personal programme.
type programmeItem struct {
	Time, Title, Room string
	Waitlisted        bool
	Position          int // place in the waiting list, 1 is next
}

// Compose writes the e-mail for msg. For kinds with a personal link it creates a fresh
// token: the e-mail is the only place the token is ever written down. Every attempt at one
// outbox message gets the same Message-ID.
func (c *Composer) Compose(ctx context.Context, msg models.OutboxMessage) (Message, error) {
	m, err := c.compose(ctx, msg)
	if err != nil {
		return Message{}, err
	}
	if err := c.dress(ctx, &m); err != nil {
		return Message{}, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, err)
	}
	id, err := c.MessageID(ctx, msg.ID)
	if err != nil {
		return Message{}, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, err)
	}
	m.Headers["Message-ID"] = id
	return m, nil
}

func (c *Composer) compose(ctx context.Context, msg models.OutboxMessage) (Message, error) {
	if msg.Kind == models.MailMessage {
		return c.composeMessage(ctx, msg)
	}
	if msg.Kind == models.MailBallot {
		return c.composeBallot(ctx, msg)
	}
	if msg.Kind == models.MailSpeakerErased || msg.Kind == models.MailVoterErased {
		return c.composeErasure(ctx, msg)
	}
	if msg.Kind == models.MailInvitation {
		return c.composeInvitation(ctx, msg)
	}
	if msg.Kind == models.MailPasswordReset {
		return c.composePasswordReset(ctx, msg)
	}
	if msg.Kind == models.MailDecision {
		return c.composeDecision(ctx, msg)
	}
	if msg.ProposalID != nil {
		return c.composeProposal(ctx, msg)
	}
	if msg.Kind == models.MailSpeakerSchedule {
		return c.composeSpeakerSchedule(ctx, msg)
	}
	if msg.RegistrationID == nil {
		return Message{}, fmt.Errorf("compose %s mail %d: no registration", msg.Kind, msg.ID)
	}
	r, err := c.Store.Registration(ctx, *msg.RegistrationID)
	if err != nil {
		return Message{}, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, err)
	}
	if r.Status == models.RegistrationCancelled && withLink[msg.Kind] {
		return Message{}, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, ErrSuperseded)
	}
	if r.ErasedAt != nil && msg.Kind != models.MailErased {
		// An erased person (one checked in stays active, without an address) gets nothing
		// but the erasure's own confirmation.
		return Message{}, fmt.Errorf("compose %s mail %d: erased: %w", msg.Kind, msg.ID, ErrSuperseded)
	}
	event, err := c.event(ctx, r.EventID)
	if err != nil {
		return Message{}, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, err)
	}
	lang := langOf(msg.Lang)
	data, err := c.data(ctx, lang, r, event, msg)
	if err != nil {
		return Message{}, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, err)
	}
	if withLink[msg.Kind] {
		token, err := c.Store.NewAccessToken(ctx, r.ID)
		if err != nil {
			return Message{}, fmt.Errorf("compose %s mail %d: personal link: %w", msg.Kind, msg.ID, err)
		}
		data.Link = c.base() + "/boeking/" + token
		data.CancelLink = data.Link + "/annuleren"
	}
	if msg.Kind == models.MailFeedback {
		if err := c.feedbackData(ctx, lang, r, event, &data); err != nil {
			return Message{}, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, err)
		}
	}
	if msg.Kind == models.MailConfirmation {
		feed, err := c.Store.CalendarFeedToken(ctx, r.ID)
		if err != nil {
			return Message{}, fmt.Errorf("compose %s mail %d: calendar feed: %w", msg.Kind, msg.ID, err)
		}
		data.FeedLink = c.base() + "/agenda/" + feed + ".ics"
	}
	subject, text, err := render(lang, msg.Kind, data)
	if err != nil {
		return Message{}, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, err)
	}
	m := Message{
		To:      msg.Recipient,
		Subject: subject,
		Text:    text,
		Headers: headers(msg.ID, lang),
		event:   &event,
	}
	if withTicket[msg.Kind] && c.Tickets != nil && r.Status == models.RegistrationActive {
		pdf, err := c.ticketPDF(ctx, event, r, lang)
		if err != nil {
			return Message{}, fmt.Errorf("compose %s mail %d: ticket: %w", msg.Kind, msg.ID, err)
		}
		m.Attachments = []Attachment{{Name: "ticket-" + r.Venue.Slug + ".pdf", ContentType: "application/pdf", Data: pdf}}
	}
	return m, nil
}

// withTicket lists the kinds whose e-mail carries the ticket as it is now: a new ticket
// replaces the old one whenever the booking changes.
var withTicket = map[string]bool{models.MailConfirmation: true, models.MailChanged: true, models.MailPromoted: true,
	models.MailAllocated: true}

// ticketPDF renders the registration's current ticket.
func (c *Composer) ticketPDF(ctx context.Context, event models.Event, r models.Registration, lang string) ([]byte, error) {
	key, err := c.Store.EventKey(ctx, event.ID)
	if err != nil {
		return nil, err
	}
	cat, err := catalog()
	if err != nil {
		return nil, err
	}
	data := tickets.Issue(tickets.NewSigner(key.PrivateKey), event, r.Venue, r, cat.Translator(locale.Lang(lang)).In(event.Location()))
	var buf bytes.Buffer
	if err := c.Tickets.Ticket(&buf, data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// headers are the extra header fields of every e-mail; Compose adds the Message-ID.
func headers(_ uint, lang string) map[string]string {
	return map[string]string{
		"Auto-Submitted":   "auto-generated",
		"Content-Language": lang,
	}
}

// MessageID is the Message-ID header of an outbox message: unique in the world and the same
// on every attempt, so a message that is sent twice can be recognised. The outbox id and
// part of the installation's random key (outbox ids start at 1 in every installation) come
// before the @, the host of the site's base URL after it:
// "<outbox-367.k3j4h5q2m7xw9abc@dagplanner.example.org>".
func (c *Composer) MessageID(ctx context.Context, outboxID uint) (string, error) {
	key, err := c.Store.InstallationKey(ctx)
	if err != nil {
		return "", err
	}
	if len(key) > 16 {
		key = key[:16] // 80 random bits
	}
	return "<outbox-" + strconv.FormatUint(uint64(outboxID), 10) + "." + key + "@" + c.messageDomain() + ">", nil
}

// messageDomain is the host of the base URL: a name, or an address as a domain literal. A
// base URL without a host gives "localhost".
func (c *Composer) messageDomain() string {
	u, err := url.Parse(c.base())
	if err != nil || u.Hostname() == "" {
		return "localhost"
	}
	host := strings.ToLower(u.Hostname())
	if strings.Contains(host, ":") || net.ParseIP(host) != nil {
		return "[" + host + "]"
	}
	return host
}

func (c *Composer) base() string { return strings.TrimRight(c.BaseURL, "/") }

// event loads the registration's event: mostly the current one, else an older one by id.
func (c *Composer) event(ctx context.Context, id uint) (models.Event, error) {
	e, err := c.Store.CurrentEvent(ctx)
	if err == nil && e.ID == id {
		return e, nil
	}
	return c.Store.Event(ctx, id)
}

func (c *Composer) data(ctx context.Context, lang string, r models.Registration, e models.Event, msg models.OutboxMessage) (templateData, error) {
	cat, err := catalog()
	if err != nil {
		return templateData{}, err
	}
	tr := cat.Translator(locale.Lang(lang)).In(e.Location())
	d := templateData{
		Name: r.Name, Event: e.Name, Date: tr.Date(e.Day()),
		Venue: r.Venue.NameIn(lang), Address: r.Venue.Address, Site: c.base() + "/", OnBehalf: msg.OnBehalf,
	}
	if e.ReconfirmDeadline != nil {
		d.Deadline = tr.DateTime(*e.ReconfirmDeadline)
	}
	var payload models.MailPayload
	if snapshotKinds[msg.Kind] {
		if payload, err = models.ParseMailPayload(msg.Kind, msg.Payload); err != nil {
			return templateData{}, err
		}
	}
	if payload.Programme != nil {
		if d.Programme, err = c.snapshotItems(ctx, tr, r, *payload.Programme); err != nil {
			return templateData{}, err
		}
	} else {
		for _, b := range r.Bookings {
			d.Programme = append(d.Programme, item(tr, b.Session, b.Status == models.BookingWaitlisted, b.Position))
		}
	}
	for _, it := range d.Programme {
		d.Waiting = d.Waiting || it.Waitlisted
	}
	if msg.Kind == models.MailScheduleChanged {
		d.Version = msg.Payload
		vc, err := c.loadVersionChanges(ctx, e.ID, msg.Payload)
		if err != nil {
			return templateData{}, err
		}
		d.Changes = vc.attendeeChanges(tr, r)
	}
	if msg.Kind == models.MailPreferencesReceived {
		if err := c.preferenceData(ctx, tr, r, e, &d); err != nil {
			return templateData{}, err
		}
	}
	if msg.Kind == models.MailPromoted {
		se, err := c.Store.Session(ctx, payload.SessionID)
		if err != nil {
			return templateData{}, err
		}
		d.Session = item(tr, se, false, 0)
	}
	return d, nil
}

// item is a session as a line of a programme, its title in the translator's language.
func item(tr *locale.Translator, se models.Session, waitlisted bool, position int) programmeItem {
	it := programmeItem{Title: se.TitleIn(string(tr.Lang())), Waitlisted: waitlisted, Position: position}
	if !se.StartsAt().IsZero() {
		it.Time = tr.TimeRange(se.StartsAt(), se.EndsAt())
	}
	if se.Room != nil {
		it.Room = se.Room.Name
	}
	return it
}

func langOf(l string) string {
	if l == "en" {
		return "en"
	}
	return "nl"
}

// render executes the template for kind in lang. A template starts with "Subject: …" and a
// blank line; the rest is the body.
func render(lang, kind string, data any) (subject, text string, err error) {
	all, err := parsedTemplates()
	if err != nil {
		return "", "", err
	}
	name := lang + "/" + kind
	t, ok := all[name]
	if !ok {
		return "", "", fmt.Errorf("no mail template %s", name)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return "", "", err
	}
	head, body, ok := strings.Cut(buf.String(), "\n\n")
	subject, found := strings.CutPrefix(head, "Subject: ")
	if !ok || !found || strings.Contains(subject, "\n") {
		return "", "", fmt.Errorf("template %s: want a Subject line and a blank line first", name)
	}
	return strings.TrimSpace(subject), strings.TrimSpace(body) + "\n", nil
}
