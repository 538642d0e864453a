package mail

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"text/template/parse"
	"unicode/utf8"

	"github.com/ambtenaar20/dagplanner/models"
)

// The decision templates' sandbox. Organisers write the subject and body of a decision
// e-mail in a small template language: the placeholders of DecisionData and {{if}},
// nothing else (no functions, no loops, no variables, no {{define}}), so a stored template
// can neither fail nor run away when a draft is made. CheckDecisionTemplate refuses
// anything else before the store keeps a template; RenderDecision writes a draft.

// Limits of what a decision template may produce, in characters: the drafts' columns.
const (
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

// DecisionLinks returns the three links of a draft, built on the personal-link marker
// (models.DecisionLink).
func DecisionLinks() (confirm, decline, edit string) {
	return models.DecisionLink + "/bevestigen", models.DecisionLink + "/afzeggen", models.DecisionLink
}

// CheckDecisionTemplate reports what is wrong with a template: its fields (see
// models.DecisionTemplateInput.Validate), its syntax, a placeholder that does not exist or a
// construct other than a placeholder or {{if}}, for the accepted e-mail a missing confirm
// link, and text that could grow too long. It is the models.DecisionTemplateCheck that
// Store.SaveDecisionTemplate is given.
func CheckDecisionTemplate(in models.DecisionTemplateInput) models.Problems {
	p := in.Validate()
	if len(p) > 0 {
		return p
	}
	in.Body = strings.ReplaceAll(in.Body, "\r\n", "\n")
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
	if in.Decision == models.ProposalAccepted && !usesField(body.Tree.Root, "ConfirmLink") {
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
	strip := func(s string) string { return strings.ReplaceAll(s, models.DecisionLink, "") }
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
type templateProblem models.Problem

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
