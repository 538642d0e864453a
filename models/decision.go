package models

import (
	"slices"
	"strings"
	"time"
)

// The decision e-mails: organisers edit a subject and body per decision and language, the
// outbox page composes a draft per decided proposal from them, and "send" releases the
// reviewed drafts into the outbox. The templates' language is package mail's: a small fixed
// set of placeholders (mail.DecisionData) and {{if}}, nothing else, so a stored template can
// neither fail nor run away when a draft is made. Here are the stored templates and drafts.

// Decisions lists the decisions that get an e-mail, in the order pages show them.
var Decisions = []string{ProposalAccepted, ProposalReserve, ProposalRejected}

// DecisionLangs lists the languages of the decision e-mails: a proposal's own language.
var DecisionLangs = []string{"nl", "en"}

// MailDecision is the outbox kind of a decision e-mail; its Payload is the draft's id and
// its text is the stored draft's, word for word.
const MailDecision = "decision"

// DecisionLink stands for the speaker's personal link (the site's address, /voorstel/ and
// a token) in a stored draft. The token is made when the e-mail is sent, so it is never
// stored in the clear; speakers' own texts never hold this private-use character.
const DecisionLink = "\uE000"

// Limits of a decision template's subject and body, in characters.
const (
	MaxDecisionSubject = 200
	MaxDecisionBody    = 10000
)

// DecisionTemplate is an organiser's own text for one decision's e-mail in one language. A
// decision without one uses the default text of package mail.
type DecisionTemplate struct {
	ID        uint
	EventID   uint   `gorm:"not null;uniqueIndex:idx_decision_templates_key"`
	Decision  string `gorm:"size:20;not null;uniqueIndex:idx_decision_templates_key"`
	Lang      string `gorm:"size:5;not null;uniqueIndex:idx_decision_templates_key"`
	Subject   string `gorm:"size:400;not null"`
	Body      string `gorm:"size:10000;not null"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

// DecisionTemplateInput is what an organiser saves as a decision's template.
type DecisionTemplateInput struct {
	Decision, Lang, Subject, Body string
}

// normalized gives the input with the browser's CRLF line ends as plain newlines.
func (in DecisionTemplateInput) normalized() DecisionTemplateInput {
	in.Body = strings.ReplaceAll(in.Body, "\r\n", "\n")
	return in
}

// Validate reports what is wrong with a template's fields: an unknown decision or
// language, a subject or body that is empty, too long or (the subject) more than one line.
// What its text says — its syntax, its placeholders, what it may produce — is checked by
// the DecisionTemplateCheck given to Store.SaveDecisionTemplate (package mail's
// CheckDecisionTemplate): models knows no template language.
func (in DecisionTemplateInput) Validate() Problems {
	in = in.normalized()
	p := Problems{}
	if !slices.Contains(Decisions, in.Decision) {
		p.Add("decision", "form.invalid_choice")
	}
	if !slices.Contains(DecisionLangs, in.Lang) {
		p.Add("lang", "form.invalid_choice")
	}
	p.checkLine("subject", in.Subject, true, MaxDecisionSubject)
	p.checkText("body", in.Body, true, MaxDecisionBody)
	return p
}

// DecisionTemplateCheck reports what is wrong with a template whose fields are valid: its
// syntax, its placeholders and what it may produce. Package mail's CheckDecisionTemplate is
// the one the application uses.
type DecisionTemplateCheck func(DecisionTemplateInput) Problems

// DecisionMail is a decision e-mail to a proposal's speaker: a draft until an organiser
// sends it, then queued in the outbox (QueuedAt set). Its texts are exactly what is sent,
// except that DecisionLink stands where the personal link goes.
type DecisionMail struct {
	ID         uint
	ProposalID uint   `gorm:"not null;index"`
	Decision   string `gorm:"size:20;not null"`
	Lang       string `gorm:"size:5;not null"`
	Recipient  string `gorm:"size:254;not null"`
	Subject    string `gorm:"size:1000;not null"`
	Body       string `gorm:"size:40000;not null"`
	CreatedAt  time.Time
	QueuedAt   *time.Time
	Proposal   Proposal `gorm:"constraint:OnDelete:CASCADE"`
	// Stale reports that the proposal's decision changed after the draft was made; such a
	// draft is never sent. Not stored.
	Stale bool `gorm:"-"`
}

// Text gives the subject and body with link in place of the personal-link marker.
func (m DecisionMail) Text(link string) (subject, body string) {
	return strings.ReplaceAll(m.Subject, DecisionLink, link), strings.ReplaceAll(m.Body, DecisionLink, link)
}
