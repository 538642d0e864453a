package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// DefaultSMTPTimeout bounds connecting to the SMTP server and each command after that.
const DefaultSMTPTimeout = 30 * time.Second

// TLS modes of an SMTP URL.
const (
	tlsStartTLS = "starttls" // smtp://: STARTTLS, and refuse to send without it
	tlsImplicit = "implicit" // smtps://: TLS from the first byte
	tlsNone     = "none"     // smtp://…?tls=none: plain text, for a relay on localhost or tests
)

// SMTPSender sends messages through an SMTP server. It opens a connection per message, so
// it holds no connection between sends and is safe for concurrent use.
type SMTPSender struct {
	host      string
	port      int
	mode      string
	user      string
	password  string
	from      string
	timeout   time.Duration
	redacted  string
	tlsConfig *tls.Config // nil: the system's roots; tests trust their own certificate
}

// NewSMTPSender configures a sender from a URL and a From address. The URL is
// smtp://user:pass@host:587 (STARTTLS, required), smtps://user:pass@host:465 (implicit TLS)
// or smtp://host:25?tls=none (no TLS, for a local relay); ?timeout=10s overrides the 30-second
// timeout. User and password, when present, are used for SMTP AUTH. Errors never contain the
// password.
func NewSMTPSender(rawURL, from string) (*SMTPSender, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Error repeats the whole URL, password included: keep only the reason.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("parse SMTP URL: %v", err)
	}
	s := &SMTPSender{host: u.Hostname(), from: from, timeout: DefaultSMTPTimeout, redacted: u.Redacted()}
	if u.User != nil {
		s.user = u.User.Username()
		s.password, _ = u.User.Password()
	}
	q := u.Query()
	switch u.Scheme {
	case "smtp":
		switch q.Get("tls") {
		case "", tlsStartTLS:
			s.mode, s.port = tlsStartTLS, 587
		case tlsNone:
			s.mode, s.port = tlsNone, 25
		default:
			return nil, fmt.Errorf("SMTP URL %s: tls must be starttls or none, got %q", s.redacted, q.Get("tls"))
		}
	case "smtps":
		if t := q.Get("tls"); t != "" && t != tlsImplicit {
			return nil, fmt.Errorf("SMTP URL %s: smtps:// always uses TLS, got tls=%q", s.redacted, t)
		}
		s.mode, s.port = tlsImplicit, 465
	default:
		return nil, fmt.Errorf("SMTP URL %s: scheme must be smtp or smtps", s.redacted)
	}
	if s.host == "" {
		return nil, fmt.Errorf("SMTP URL %s: no host", s.redacted)
	}
	if p := u.Port(); p != "" {
		if s.port, err = strconv.Atoi(p); err != nil || s.port < 1 || s.port > 65535 {
			return nil, fmt.Errorf("SMTP URL %s: invalid port %q", s.redacted, p)
		}
	}
	if t := q.Get("timeout"); t != "" {
		if s.timeout, err = time.ParseDuration(t); err != nil || s.timeout <= 0 {
			return nil, fmt.Errorf("SMTP URL %s: invalid timeout %q", s.redacted, t)
		}
	}
	if err := gomail.NewMsg().From(from); err != nil {
		return nil, fmt.Errorf("mail from address %q: %w", from, err)
	}
	return s, nil
}

// String returns the server's URL without the password, for logs.
func (s *SMTPSender) String() string { return s.redacted }

// Send delivers one message. The context bounds the whole exchange with the server.
func (s *SMTPSender) Send(ctx context.Context, m Message) error {
	msg, err := s.build(m)
	if err != nil {
		return err
	}
	client, err := s.client()
	if err != nil {
		return fmt.Errorf("smtp client for %s: %w", s.redacted, err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("send mail via %s: %w", s.redacted, err)
	}
	return nil
}

func (s *SMTPSender) client() (*gomail.Client, error) {
	opts := []gomail.Option{gomail.WithPort(s.port), gomail.WithTimeout(s.timeout)}
	switch s.mode {
	case tlsImplicit:
		opts = append(opts, gomail.WithSSL())
	case tlsNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.tlsConfig != nil {
		cfg := s.tlsConfig.Clone()
		cfg.ServerName = s.host
		opts = append(opts, gomail.WithTLSConfig(cfg))
	}
	if s.user != "" {
		// Auto-discovery picks the strongest mechanism the server offers and never sends a
		// password in the clear over an unencrypted connection.
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.user), gomail.WithPassword(s.password))
	}
	return gomail.NewClient(s.host, opts...)
}

// reservedHeaders are set from Message's own fields or by the MIME writer; Headers may not
// override them.
var reservedHeaders = map[string]bool{
	"from": true, "to": true, "cc": true, "bcc": true, "sender": true, "reply-to": true,
	"subject": true, "mime-version": true, "content-type": true, "content-transfer-encoding": true,
	"return-path": true,
}

// build turns a Message into go-mail's Msg. Header values lose any line breaks, so text from
// a registration can never start a header of its own.
func (s *SMTPSender) build(m Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.From(s.from); err != nil {
		return nil, fmt.Errorf("from address: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("recipient address: %w", err)
	}
	msg.Subject(oneLine(m.Subject))
	msg.SetDate()
	for _, name := range sortedKeys(m.Headers) {
		if !validHeaderName(name) || reservedHeaders[strings.ToLower(name)] {
			return nil, fmt.Errorf("header %q may not be set", name)
		}
		msg.SetGenHeader(gomail.Header(name), oneLine(m.Headers[name]))
	}
	// The text comes first: a reader shows the last alternative it can, and one that
	// shows no HTML still has every word and link.
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	for _, a := range m.Attachments {
		ct := a.ContentType
		if ct == "" {
			ct = string(gomail.TypeAppOctetStream)
		}
		err := msg.AttachReader(oneLine(a.Name), bytes.NewReader(a.Data),
			gomail.WithFileContentType(gomail.ContentType(oneLine(ct))))
		if err != nil {
			return nil, fmt.Errorf("attach %q: %w", a.Name, err)
		}
	}
	return msg, nil
}

// oneLine replaces line breaks and other control characters with spaces.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || r == '\u2028' || r == '\u2029' || r == '\u0085' {
			return ' '
		}
		return r
	}, s)
}

// validHeaderName reports whether name is a header field name as RFC 5322 allows:
// printable ASCII except the colon.
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; c <= ' ' || c >= 0x7f || c == ':' {
			return false
		}
	}
	return true
}
