package mail

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
)

// The decision e-mails. Their default texts are templates/decisions/LANG/DECISION.txt, with
// the placeholders of DecisionData; organisers may replace them per event. A draft is
// composed when the organisers prepare the e-mails and sent word for word once they release
// it; only the personal link is made at sending time.

// DefaultDecisionTemplate returns the default subject and body of a decision's e-mail in lang.
func DefaultDecisionTemplate(decision, lang string) (models.DecisionTemplateInput, error) {
	src, err := templateFiles.ReadFile("templates/decisions/" + langOf(lang) + "/" + decision + ".txt")
	if err != nil {
		return models.DecisionTemplateInput{}, fmt.Errorf("no default %s decision template in %s: %w", decision, lang, err)
	}
	head, body, ok := strings.Cut(string(src), "\n\n")
	subject, found := strings.CutPrefix(head, "Subject: ")
	if !ok || !found {
		return models.DecisionTemplateInput{}, fmt.Errorf("default %s decision template in %s: want a Subject line and a blank line first", decision, lang)
	}
	return models.DecisionTemplateInput{Decision: decision, Lang: langOf(lang), Subject: strings.TrimSpace(subject), Body: body}, nil
}

// DecisionTemplate returns the template in use for a decision and language: the organisers'
// own from stored when there is one, the default otherwise; edited says which.
func DecisionTemplate(stored []models.DecisionTemplate, decision, lang string) (t models.DecisionTemplateInput, edited bool, err error) {
	for _, s := range stored {
		if s.Decision == decision && s.Lang == langOf(lang) {
			return models.DecisionTemplateInput{Decision: decision, Lang: s.Lang, Subject: s.Subject, Body: s.Body}, true, nil
		}
	}
	t, err = DefaultDecisionTemplate(decision, lang)
	return t, false, err
}

// DecisionComposer returns what writes a draft for a proposal of event, in the proposal's
// language, from the templates in use.
func DecisionComposer(event models.Event, stored []models.DecisionTemplate) models.DecisionComposer {
	return func(p models.Proposal) (string, string, error) {
		lang := langOf(p.Lang)
		t, _, err := DecisionTemplate(stored, p.Status, lang)
		if err != nil {
			return "", "", err
		}
		cat, err := catalog()
		if err != nil {
			return "", "", err
		}
		confirm, decline, edit := DecisionLinks()
		d := DecisionData{Name: p.SpeakerName, Title: p.Title, Event: event.Name,
			Date: cat.Translator(locale.Lang(lang)).In(event.Location()).Date(event.Day()), ConfirmLink: confirm, DeclineLink: decline, EditLink: edit}
		return RenderDecision(t.Subject, t.Body, d)
	}
}

// composeDecision sends a released draft word for word, with a fresh personal link of the
// speaker where the draft holds the marker. A draft whose decision has changed since is not
// sent.
func (c *Composer) composeDecision(ctx context.Context, msg models.OutboxMessage) (Message, error) {
	id, err := strconv.ParseUint(msg.Payload, 10, 64)
	if err != nil {
		return Message{}, fmt.Errorf("compose %s mail %d: draft %q: %w", msg.Kind, msg.ID, msg.Payload, err)
	}
	d, err := c.Store.DecisionMail(ctx, uint(id))
	if err != nil {
		return Message{}, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, err)
	}
	if d.Proposal.Status != d.Decision {
		if err := c.Store.ForgetSupersededDecisionMail(ctx, d.ID); err != nil {
			return Message{}, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, err)
		}
		return Message{}, fmt.Errorf("compose %s mail %d: proposal %d is now %s: %w", msg.Kind, msg.ID, d.ProposalID, d.Proposal.Status, ErrSuperseded)
	}
	token, err := c.Store.NewProposalToken(ctx, d.ProposalID, nil)
	if err != nil {
		return Message{}, fmt.Errorf("compose %s mail %d: personal link: %w", msg.Kind, msg.ID, err)
	}
	event, err := c.event(ctx, d.Proposal.EventID)
	if err != nil {
		return Message{}, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, err)
	}
	subject, text := d.Text(c.base() + "/voorstel/" + token)
	return Message{To: msg.Recipient, Subject: subject, Text: text, Headers: headers(msg.ID, langOf(d.Lang)), event: &event}, nil
}
