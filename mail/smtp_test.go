package mail

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

const secret = "s3cr3t-Pa55"

func TestNewSMTPSender(t *testing.T) {
	tests := []struct {
		name, url        string
		host, mode, user string
		port             int
		timeout          time.Duration
	}{
		{"starttls by default", "smtp://mailer:" + secret + "@smtp.example.nl", "smtp.example.nl", tlsStartTLS, "mailer", 587, DefaultSMTPTimeout},
		{"starttls explicit port", "smtp://mailer:" + secret + "@smtp.example.nl:2525?tls=starttls", "smtp.example.nl", tlsStartTLS, "mailer", 2525, DefaultSMTPTimeout},
		{"implicit tls", "smtps://mailer:" + secret + "@smtp.example.nl", "smtp.example.nl", tlsImplicit, "mailer", 465, DefaultSMTPTimeout},
		{"local relay", "smtp://localhost?tls=none&timeout=5s", "localhost", tlsNone, "", 25, 5 * time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := NewSMTPSender(tc.url, "Dagplanner <noreply@dagplanner.example>")
			if err != nil {
				t.Fatalf("NewSMTPSender(%q): %v", tc.url, err)
			}
			if s.host != tc.host || s.port != tc.port || s.mode != tc.mode || s.user != tc.user || s.timeout != tc.timeout {
				t.Errorf("got host=%q port=%d mode=%q user=%q timeout=%v, want %q %d %q %q %v",
					s.host, s.port, s.mode, s.user, s.timeout, tc.host, tc.port, tc.mode, tc.user, tc.timeout)
			}
			if strings.Contains(s.String(), secret) {
				t.Errorf("String() = %q, contains the password", s.String())
			}
		})
	}
}

func TestNewSMTPSenderRefusesBadURLs(t *testing.T) {
	for _, raw := range []string{
		"http://mailer:" + secret + "@smtp.example.nl",
		"smtp://mailer:" + secret + "@smtp.example.nl?tls=maybe",
		"smtps://mailer:" + secret + "@smtp.example.nl?tls=none",
		"smtp://mailer:" + secret + "@smtp.example.nl:99999",
		"smtp://mailer:" + secret + "@smtp.example.nl:port",
		"smtp://mailer:" + secret + "@/",
		"smtp://mailer:" + secret + "@smtp.example.nl?timeout=soon",
		"smtp://mailer:" + secret + "@smtp example.nl",
		"smtp://mailer:" + secret + "@smtp.example.nl\x7f",
	} {
		_, err := NewSMTPSender(raw, "noreply@dagplanner.example")
		if err == nil {
			t.Errorf("NewSMTPSender(%q) = nil error, want one", raw)
			continue
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("NewSMTPSender error %q contains the password", err)
		}
	}
	if _, err := NewSMTPSender("smtp://localhost?tls=none", "not an address"); err == nil {
		t.Error("NewSMTPSender with a bad From address = nil error, want one")
	}
}

func testMessage(to string) Message {
	return Message{To: to, Subject: "Testbericht", Text: "Hallo daar,\n\nDit is een test met een é en een lange regel " + strings.Repeat("woord ", 30) + "\n",
		Headers: map[string]string{"Message-ID": "<outbox-1@dagplanner>", "Auto-Submitted": "auto-generated"}}
}

func TestSMTPSenderSTARTTLSWithAuth(t *testing.T) {
	serverTLS, clientTLS := selfSignedTLS(t)
	srv := startSMTP(t, withSTARTTLS(serverTLS), withAuth("mailer", secret))
	s, err := NewSMTPSender("smtp://mailer:"+secret+"@127.0.0.1:"+srv.Port(), "Dagplanner <noreply@dagplanner.example>")
	if err != nil {
		t.Fatal(err)
	}
	s.tlsConfig = clientTLS
	if err := s.Send(modelstest.Ctx(), testMessage("anna@example.nl")); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("server got %d messages, want 1", len(got))
	}
	m := got[0]
	if !m.TLS || m.User != "mailer" {
		t.Errorf("TLS=%v user=%q, want TLS and user mailer", m.TLS, m.User)
	}
	if m.From != "noreply@dagplanner.example" || len(m.To) != 1 || m.To[0] != "anna@example.nl" {
		t.Errorf("envelope from %q to %q, want noreply@dagplanner.example to [anna@example.nl]", m.From, m.To)
	}
	h := m.Header(t)
	for k, want := range map[string]string{"Subject": "Testbericht", "Message-Id": "<outbox-1@dagplanner>",
		"Auto-Submitted": "auto-generated", "To": "<anna@example.nl>"} {
		if got := h.Get(k); got != want {
			t.Errorf("header %s = %q, want %q", k, got, want)
		}
	}
	if got, want := m.Body(t), testMessage("").Text; got != want {
		t.Errorf("body = %q, want %q", got, want)
	}

	t.Run("wrong password", func(t *testing.T) {
		bad, err := NewSMTPSender("smtp://mailer:wrong-"+secret+"@127.0.0.1:"+srv.Port(), "noreply@dagplanner.example")
		if err != nil {
			t.Fatal(err)
		}
		bad.tlsConfig = clientTLS
		err = bad.Send(modelstest.Ctx(), testMessage("anna@example.nl"))
		if err == nil {
			t.Fatal("Send with a wrong password = nil error, want one")
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error %q contains the password", err)
		}
	})
}

func TestSMTPSenderRequiresTLS(t *testing.T) {
	srv := startSMTP(t) // offers no STARTTLS
	s, err := NewSMTPSender("smtp://mailer:"+secret+"@127.0.0.1:"+srv.Port(), "noreply@dagplanner.example")
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(modelstest.Ctx(), testMessage("anna@example.nl"))
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Fatalf("Send to a server without STARTTLS = %v, want a STARTTLS error", err)
	}
	if strings.Contains(err.Error(), secret) {
		t.Errorf("error %q contains the password", err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("server got %d messages in plain text, want 0", n)
	}
}

func TestSMTPSenderImplicitTLS(t *testing.T) {
	serverTLS, clientTLS := selfSignedTLS(t)
	srv := startSMTP(t, withImplicitTLS(serverTLS))
	s, err := NewSMTPSender("smtps://127.0.0.1:"+srv.Port(), "noreply@dagplanner.example")
	if err != nil {
		t.Fatal(err)
	}
	s.tlsConfig = clientTLS
	if err := s.Send(modelstest.Ctx(), testMessage("anna@example.nl")); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if got := srv.Messages(); len(got) != 1 || !got[0].TLS {
		t.Fatalf("server got %+v, want one message over TLS", got)
	}
}

func TestSMTPSenderNoHeaderInjection(t *testing.T) {
	srv := startSMTP(t)
	s, err := NewSMTPSender("smtp://127.0.0.1:"+srv.Port()+"?tls=none", "noreply@dagplanner.example")
	if err != nil {
		t.Fatal(err)
	}
	m := testMessage("anna@example.nl")
	m.Subject = "Hallo\r\nBcc: x@evil.example"
	m.Headers["X-Note"] = "a\r\nBcc: y@evil.example\nCc: z@evil.example"
	if err := s.Send(modelstest.Ctx(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("server got %d messages, want 1", len(got))
	}
	if len(got[0].To) != 1 || got[0].To[0] != "anna@example.nl" {
		t.Errorf("envelope recipients = %q, want only anna@example.nl", got[0].To)
	}
	h := got[0].Header(t)
	for _, k := range []string{"Bcc", "Cc"} {
		if v, ok := h[k]; ok {
			t.Errorf("message has header %s: %q, want none\n%s", k, v, got[0].Data)
		}
	}
	if got, want := h.Get("Subject"), "Hallo  Bcc: x@evil.example"; got != want {
		t.Errorf("Subject = %q, want %q", got, want)
	}

	for _, name := range []string{"Bcc", "bcc", "X-Evil\r\nBcc", "Content-Type", "X Space", ""} {
		m := testMessage("anna@example.nl")
		m.Headers[name] = "x@evil.example"
		if err := s.Send(modelstest.Ctx(), m); err == nil {
			t.Errorf("Send with header %q = nil error, want one", name)
		}
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("server got %d messages, want still 1", n)
	}
}

func TestSMTPSenderAttachment(t *testing.T) {
	srv := startSMTP(t)
	s, err := NewSMTPSender("smtp://127.0.0.1:"+srv.Port()+"?tls=none", "noreply@dagplanner.example")
	if err != nil {
		t.Fatal(err)
	}
	m := testMessage("anna@example.nl")
	m.Attachments = []Attachment{{Name: "ticket.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4 test")}}
	if err := s.Send(modelstest.Ctx(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("server got %d messages, want 1", len(got))
	}
	raw := string(got[0].Data)
	for _, want := range []string{"multipart/mixed", `filename="ticket.pdf"`, "application/pdf"} {
		if !strings.Contains(raw, want) {
			t.Errorf("raw message lacks %q:\n%s", want, raw)
		}
	}
}

func TestLogSender(t *testing.T) {
	var buf bytes.Buffer
	s := LogSender{Log: slog.New(slog.NewTextHandler(&buf, nil))}
	m := testMessage("anna@example.nl")
	m.Text = "Je link: https://dagplanner.example/boeking/abc"
	if err := s.Send(modelstest.Ctx(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	out := buf.String()
	for _, want := range []string{"to=anna@example.nl", "subject=Testbericht", `text="Je link: https://dagplanner.example/boeking/abc"`, "Message-ID=<outbox-1@dagplanner>"} {
		if !strings.Contains(out, want) {
			t.Errorf("log %q lacks %q", out, want)
		}
	}
}
