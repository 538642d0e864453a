package models

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"text/template/parse"
	"time"
	"unicode/utf8"
)

// The decision e-mails: organisers edit a subject and body per decision and language, the
// outbox page composes a draft per decided proposal from them, and "send" releases the
// reviewed drafts into the outbox. The placeholders are a small fixed set (DecisionData);
// a template may use them and {{if}}, nothing else, so a stored template can neither fail
// nor run away when a draft is made.

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

// Limits of a decision template and of what it may produce.
const (
	MaxDecisionSubject    = 200
	MaxDecisionBody       = 10000
	maxDecisionSubjectOut = 1000
	maxDecisionBodyOut    = 40000
)

// DecisionData is what a decision e-mail's template sees: {{.Name}}, {{.Title}} and so on.
type DecisionData struct {
	Name        string // the speaker's name
	Title       string // the proposal's title
	Event       string // the event's name
	Date        string // the event day, in the e-mail's language
	ConfirmLink string // one click to confirm an accepted proposal
	DeclineLink string // one click to decline it
	EditLink    string // the speaker's page
}

// DecisionFields lists the placeholders a decision template may use.
var DecisionFields = []string{"Name", "Title", "Event", "Date", "ConfirmLink", "DeclineLink", "EditLink"}

// DecisionLinks returns the three links of a draft, built on the personal-link marker.
func DecisionLinks() (confirm, decline, edit string) {
	return DecisionLink + "/bevestigen", DecisionLink + "/afzeggen", DecisionLink
}

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

// Validate reports what is wrong with a template: its length, its syntax, a placeholder
// that does not exist or a construct other than a placeholder or {{if}}, and, for the
// accepted e-mail, a missing confirm link.
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
	if len(p) > 0 {
		return p
	}
	subject, err := parseDecisionTemplate("subject", in.Subject)
	if err != nil {
		p.Add("subject", err.Key, err.Args...)
	}
	body, err := parseDecisionTemplate("body", in.Body)
	if err != nil {
		p.Add("body", err.Key, err.Args...)
	}
	if len(p) > 0 {
		return p
	}
	if in.Decision == ProposalAccepted && !usesField(body.Tree.Root, "ConfirmLink") {
		p.Add("body", "decision.needs_confirm_link")
	}
	// The longest texts a proposal can give must still fit the drafts' columns.
	long := strings.Repeat("x", 200)
	worst := DecisionData{Name: long, Title: long, Event: long, Date: long, ConfirmLink: long, DeclineLink: long, EditLink: long}
	if out, err := execute(subject, worst, maxDecisionSubjectOut); err != nil || strings.ContainsAny(out, "\r\n") {
		p.Add("subject", "decision.output_too_long")
	}
	if _, err := execute(body, worst, maxDecisionBodyOut); err != nil {
		p.Add("body", "decision.output_too_long")
	}
	return p
}

// RenderDecision fills a subject and body template with d. Markers of the personal link in
// the speaker's own texts are dropped, so only the links carry one.
func RenderDecision(subjectText, bodyText string, d DecisionData) (subject, body string, err error) {
	strip := func(s string) string { return strings.ReplaceAll(s, DecisionLink, "") }
	d.Name, d.Title, d.Event, d.Date = strip(d.Name), strip(d.Title), strip(d.Event), strip(d.Date)
	st, perr := parseDecisionTemplate("subject", subjectText)
	if perr != nil {
		return "", "", fmt.Errorf("decision subject: %s", perr.Detail())
	}
	bt, perr := parseDecisionTemplate("body", strings.ReplaceAll(bodyText, "\r\n", "\n"))
	if perr != nil {
		return "", "", fmt.Errorf("decision body: %s", perr.Detail())
	}
	if subject, err = execute(st, d, maxDecisionSubjectOut); err != nil {
		return "", "", fmt.Errorf("decision subject: %w", err)
	}
	if body, err = execute(bt, d, maxDecisionBodyOut); err != nil {
		return "", "", fmt.Errorf("decision body: %w", err)
	}
	return strings.TrimSpace(subject), strings.TrimSpace(body) + "\n", nil
}

// templateProblem is what is wrong with a template, as a message key and its arguments.
type templateProblem Problem

// Detail gives the problem in words for logs.
func (p *templateProblem) Detail() string { return fmt.Sprint(p.Key, p.Args) }

// goTemplateError matches text/template's "template: body:3: unexpected ..." messages.
var goTemplateError = regexp.MustCompile(`^template: \w+:(\d+):(?:\d+:)? ?(.*)$`)

func parseDecisionTemplate(name, text string) (*template.Template, *templateProblem) {
	t, err := template.New(name).Parse(text)
	if err != nil {
		line, detail := "1", err.Error()
		if m := goTemplateError.FindStringSubmatch(detail); m != nil {
			line, detail = m[1], m[2]
		}
		return nil, &templateProblem{Key: "decision.syntax", Args: []any{"Line", line, "Detail", detail}}
	}
	if len(t.Templates()) > 1 {
		return nil, &templateProblem{Key: "decision.construct", Args: []any{"Line", "1", "Text", "{{define}}"}}
	}
	if t.Tree == nil || t.Tree.Root == nil {
		return t, nil
	}
	if pr := checkNodes(t.Tree.Root, text); pr != nil {
		return nil, pr
	}
	return t, nil
}

// checkNodes allows text, comments, {{.Field}} for the known fields and {{if .Field}}.
func checkNodes(list *parse.ListNode, text string) *templateProblem {
	if list == nil {
		return nil
	}
	for _, n := range list.Nodes {
		line := strconv.Itoa(strings.Count(text[:min(int(n.Position()), len(text))], "\n") + 1)
		switch n := n.(type) {
		case *parse.TextNode, *parse.CommentNode:
		case *parse.ActionNode:
			if pr := checkPipe(n.Pipe, line); pr != nil {
				return pr
			}
		case *parse.IfNode:
			if pr := checkPipe(n.Pipe, line); pr != nil {
				return pr
			}
			if pr := checkNodes(n.List, text); pr != nil {
				return pr
			}
			if pr := checkNodes(n.ElseList, text); pr != nil {
				return pr
			}
		default:
			return &templateProblem{Key: "decision.construct", Args: []any{"Line", line, "Text", shorten(n.String())}}
		}
	}
	return nil
}

func checkPipe(pipe *parse.PipeNode, line string) *templateProblem {
	if len(pipe.Decl) == 0 && len(pipe.Cmds) == 1 && len(pipe.Cmds[0].Args) == 1 {
		if f, ok := pipe.Cmds[0].Args[0].(*parse.FieldNode); ok && len(f.Ident) == 1 {
			if slices.Contains(DecisionFields, f.Ident[0]) {
				return nil
			}
			return &templateProblem{Key: "decision.unknown_field", Args: []any{"Line", line, "Text", "{{." + f.Ident[0] + "}}"}}
		}
	}
	return &templateProblem{Key: "decision.construct", Args: []any{"Line", line, "Text", shorten("{{" + pipe.String() + "}}")}}
}

func shorten(s string) string {
	if utf8.RuneCountInString(s) > 60 {
		return string([]rune(s)[:60]) + "…"
	}
	return s
}

func usesField(list *parse.ListNode, field string) bool {
	if list == nil {
		return false
	}
	for _, n := range list.Nodes {
		switch n := n.(type) {
		case *parse.ActionNode:
			if strings.Contains(n.Pipe.String(), "."+field) {
				return true
			}
		case *parse.IfNode:
			if usesField(n.List, field) || usesField(n.ElseList, field) {
				return true
			}
		}
	}
	return false
}

// errTooLong reports a template whose text would not fit.
var errTooLong = errors.New("text too long")

type limitWriter struct {
	b   strings.Builder
	max int
}

func (w *limitWriter) Write(p []byte) (int, error) {
	if w.b.Len()+len(p) > w.max {
		return 0, errTooLong
	}
	return w.b.Write(p)
}

func execute(t *template.Template, d DecisionData, max int) (string, error) {
	w := &limitWriter{max: max}
	if err := t.Execute(w, d); err != nil {
		return "", err
	}
	if utf8.RuneCountInString(w.b.String()) > max {
		return "", errTooLong
	}
	return w.b.String(), nil
}

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
