package cluster

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-smtp"
)

// Mail is one message as the SMTP server received it.
type Mail struct {
	To        []string
	MessageID string
	Subject   string
	// Text is the plain-text part, decoded, so that a test can follow the links in it.
	Text string
	// Raw is the whole message as received, headers and MIME parts, for a test that reads
	// a link out of it.
	Raw []byte
}

// MailServer is an SMTP server that accepts every message and remembers its recipients and
// headers. Point Dagplanner at it with DAGPLANNER_SMTP=URL().
type MailServer struct {
	addr string
	srv  *smtp.Server
	done chan struct{}
	mu   sync.Mutex
	msgs []Mail
}

// StartMailServer listens on a free loopback port; Close stops it.
func StartMailServer() (*MailServer, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	m := &MailServer{addr: l.Addr().String(), done: make(chan struct{})}
	m.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &mailSession{srv: m}, nil
	}))
	m.srv.Domain = "localhost"
	m.srv.ReadTimeout = 30 * time.Second
	m.srv.WriteTimeout = 30 * time.Second
	m.srv.MaxMessageBytes = 10 << 20 // tickets are attached as PDFs
	go func() {
		defer close(m.done)
		m.srv.Serve(l)
	}()
	return m, nil
}

// URL is the DAGPLANNER_SMTP value for this server (plain SMTP on loopback).
func (m *MailServer) URL() string { return "smtp://" + m.addr + "?tls=none" }

// Messages returns what the server has accepted so far.
func (m *MailServer) Messages() []Mail {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Mail(nil), m.msgs...)
}

// PerRecipient counts the messages per recipient address (lower case).
func (m *MailServer) PerRecipient() map[string]int {
	counts := map[string]int{}
	for _, msg := range m.Messages() {
		for _, to := range msg.To {
			counts[strings.ToLower(to)]++
		}
	}
	return counts
}

// Close stops the server and closes its connections.
func (m *MailServer) Close() {
	m.srv.Close()
	<-m.done
}

type mailSession struct {
	srv *MailServer
	msg Mail
}

func (s *mailSession) Mail(string, *smtp.MailOptions) error { return nil }

func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.msg.To = append(s.msg.To, to)
	return nil
}

func (s *mailSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	br := bufio.NewReader(bytes.NewReader(raw))
	h, err := textproto.NewReader(br).ReadMIMEHeader()
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	body, err := io.ReadAll(br)
	if err != nil {
		return err
	}
	s.msg.MessageID, s.msg.Subject, s.msg.Raw = h.Get("Message-Id"), h.Get("Subject"), raw
	s.msg.Text = plainText(h.Get("Content-Type"), h.Get("Content-Transfer-Encoding"), body)
	s.srv.mu.Lock()
	s.srv.msgs = append(s.srv.msgs, s.msg)
	s.srv.mu.Unlock()
	s.msg = Mail{}
	return nil
}

func (s *mailSession) Reset()        { s.msg = Mail{} }
func (s *mailSession) Logout() error { return nil }

// plainText finds the first text/plain part of a message body (walking multipart bodies)
// and decodes it; "" when there is none or it cannot be read.
func plainText(contentType, encoding string, body []byte) string {
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		mediaType = "text/plain"
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		for {
			part, err := mr.NextRawPart()
			if err != nil {
				return ""
			}
			data, err := io.ReadAll(part)
			if err != nil {
				return ""
			}
			if text := plainText(part.Header.Get("Content-Type"), part.Header.Get("Content-Transfer-Encoding"), data); text != "" {
				return text
			}
		}
	}
	if mediaType != "text/plain" {
		return ""
	}
	var dec io.Reader = bytes.NewReader(body)
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		dec = quotedprintable.NewReader(dec)
	case "base64":
		dec = base64.NewDecoder(base64.StdEncoding, dec) // it skips the line breaks
	}
	out, err := io.ReadAll(dec)
	if err != nil {
		return ""
	}
	return string(out)
}
