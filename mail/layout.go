package mail

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"strings"
	"sync"

	"github.com/ambtenaar20/dagplanner/locale"
)

// htmlData is what the HTML layout sees.
type htmlData struct {
	Lang, Subject, Event string
	Blocks               []block
	Footer               footer
}

// footer is what every e-mail says below its own text: how to reach the organisers and where
// the privacy statement is.
type footer struct {
	Contact      inline // the sentence with the organisers' address; empty when they set none
	ContactText  string
	PrivacyLabel string
	PrivacyURL   string // empty when the site's address is unknown
}

// text is the footer as the plain-text part ends with, after the signature separator that
// mail programs recognise and may fold away.
func (f footer) text() string {
	var b strings.Builder
	b.WriteString("-- \n")
	if f.ContactText != "" {
		b.WriteString(f.ContactText + "\n")
	}
	if f.PrivacyURL != "" {
		b.WriteString(f.PrivacyLabel + ": " + f.PrivacyURL + "\n")
	}
	return b.String()
}

// layout is the HTML layout, parsed once.
var layout = sync.OnceValues(func() (*template.Template, error) {
	// Outlook on Windows ignores max-width; a fixed-width table only it sees keeps the
	// e-mail 600 pixels wide there. html/template drops comments from a template, so the
	// conditional comments come in as values.
	funcs := template.FuncMap{
		"msoOpen": func() template.HTML {
			return `<!--[if mso]><table role="presentation" align="center" width="600" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->`
		},
		"msoClose": func() template.HTML { return `<!--[if mso]></td></tr></table><![endif]-->` },
	}
	t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("mail layout: %w", err)
	}
	return t, nil
})

// dress finishes a composed message the same way for every kind: the footer goes below the
// text, and the HTML alternative is made from that text inside the layout, with the event's
// name and the same footer. The language is the message's Content-Language.
func (c *Composer) dress(ctx context.Context, m *Message) error {
	event := m.event
	if event == nil {
		e, err := c.Store.CurrentEvent(ctx)
		if err != nil {
			return fmt.Errorf("event for the footer: %w", err)
		}
		event = &e
	}
	lang := langOf(m.Headers["Content-Language"])
	cat, err := catalog()
	if err != nil {
		return err
	}
	tr := cat.Translator(locale.Lang(lang))
	f := footer{PrivacyLabel: tr.T("mail.footer.privacy")}
	if event.ContactEmail != "" {
		f.ContactText = tr.T("mail.footer.contact", "Email", event.ContactEmail)
		f.Contact = spans(f.ContactText)
	}
	if c.base() != "" {
		f.PrivacyURL = c.base() + "/privacy"
	}
	body := strings.TrimRight(m.Text, "\n")
	html, err := renderHTML(htmlData{Lang: lang, Subject: m.Subject, Event: event.Name, Blocks: textBlocks(body), Footer: f})
	if err != nil {
		return err
	}
	m.Text = body + "\n\n" + f.text()
	m.HTML = html
	return nil
}

// renderHTML executes the layout.
func renderHTML(d htmlData) (string, error) {
	t, err := layout()
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "mail", d); err != nil {
		return "", fmt.Errorf("mail layout: %w", err)
	}
	return buf.String(), nil
}
