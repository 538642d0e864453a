package mail

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// received is one message as the test SMTP server got it.
type received struct {
	From string
	To   []string
	Data []byte
	TLS  bool   // the message came over an encrypted connection
	User string // the authenticated user, if any
}

// Header returns the parsed header of the raw message.
func (r received) Header(t *testing.T) mail.Header {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(r.Data))
	if err != nil {
		t.Fatalf("parse received message: %v\n%s", err, r.Data)
	}
	return m.Header
}

// Body returns the decoded plain-text body: the whole body of a single-part message, or the
// first text/plain part of a multipart one.
func (r received) Body(t *testing.T) string {
	t.Helper()
	for _, p := range mimeParts(t, r.Data) {
		if p.ContentType == "text/plain" && p.Disposition != "attachment" {
			return strings.ReplaceAll(string(p.Data), "\r\n", "\n")
		}
	}
	t.Fatalf("no text/plain part in:\n%s", r.Data)
	return ""
}

// testSMTP is an SMTP server inside the test. It records what it receives, can refuse all
// mail with a temporary error ("down"), and can be stopped and started again on its port.
type testSMTP struct {
	t        *testing.T
	addr     string
	tls      *tls.Config // STARTTLS offered when set (or implicit TLS with implicitTLS)
	implicit bool
	user     string // AUTH PLAIN required when set
	password string

	mu     sync.Mutex
	msgs   []received
	refuse bool
	srv    *smtp.Server
	done   chan struct{}
}

type smtpOption func(*testSMTP)

func withSTARTTLS(cfg *tls.Config) smtpOption { return func(s *testSMTP) { s.tls = cfg } }
func withImplicitTLS(cfg *tls.Config) smtpOption {
	return func(s *testSMTP) { s.tls, s.implicit = cfg, true }
}
func withAuth(user, password string) smtpOption {
	return func(s *testSMTP) { s.user, s.password = user, password }
}

// startSMTP starts a test server on a free port of 127.0.0.1; it stops when the test ends.
func startSMTP(t *testing.T, opts ...smtpOption) *testSMTP {
	t.Helper()
	s := &testSMTP{t: t, addr: "127.0.0.1:0"}
	for _, o := range opts {
		o(s)
	}
	s.Start()
	t.Cleanup(s.Stop)
	return s
}

// Port is the port the server listens on.
func (s *testSMTP) Port() string {
	_, port, _ := net.SplitHostPort(s.addr)
	return port
}

// Start listens again, on the same port as before.
func (s *testSMTP) Start() {
	s.t.Helper()
	var l net.Listener
	var err error
	for range 50 { // the port may take a moment to come free after Stop
		if l, err = net.Listen("tcp", s.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		s.t.Fatalf("listen on %s: %v", s.addr, err)
	}
	s.addr = l.Addr().String()
	if s.implicit {
		l = tls.NewListener(l, s.tls)
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		sess := &testSession{srv: s, conn: c}
		if s.user != "" {
			return &testAuthSession{sess}, nil
		}
		return sess, nil
	}))
	srv.Domain = "localhost"
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.MaxMessageBytes = 1 << 20
	if !s.implicit {
		srv.TLSConfig = s.tls
	}
	srv.ErrorLog = discardLogger{}
	done := make(chan struct{})
	s.mu.Lock()
	s.srv, s.done = srv, done
	s.mu.Unlock()
	go func() {
		defer close(done)
		if err := srv.Serve(l); err != nil && !errors.Is(err, smtp.ErrServerClosed) {
			s.t.Errorf("smtp server: %v", err)
		}
	}()
}

// Stop closes the listener and every connection; Start opens the port again.
func (s *testSMTP) Stop() {
	s.mu.Lock()
	srv, done := s.srv, s.done
	s.srv = nil
	s.mu.Unlock()
	if srv == nil {
		return
	}
	srv.Close()
	<-done
}

// SetRefuse makes the server answer every MAIL FROM with 451, a temporary failure.
func (s *testSMTP) SetRefuse(refuse bool) {
	s.mu.Lock()
	s.refuse = refuse
	s.mu.Unlock()
}

// Messages returns what the server accepted so far.
func (s *testSMTP) Messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.msgs...)
}

type testSession struct {
	srv  *testSMTP
	conn *smtp.Conn
	user string
	msg  received
}

func (ss *testSession) Mail(from string, _ *smtp.MailOptions) error {
	ss.srv.mu.Lock()
	refuse := ss.srv.refuse
	ss.srv.mu.Unlock()
	if refuse {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
	}
	if ss.srv.user != "" && ss.user == "" {
		return smtp.ErrAuthRequired
	}
	_, isTLS := ss.conn.TLSConnectionState()
	ss.msg = received{From: from, TLS: isTLS, User: ss.user}
	return nil
}

func (ss *testSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.msg.To = append(ss.msg.To, to)
	return nil
}

func (ss *testSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.msg.Data = b
	ss.srv.mu.Lock()
	ss.srv.msgs = append(ss.srv.msgs, ss.msg)
	ss.srv.mu.Unlock()
	return nil
}

func (ss *testSession) Reset()        { ss.msg = received{} }
func (ss *testSession) Logout() error { return nil }

type testAuthSession struct{ *testSession }

func (ss *testAuthSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *testAuthSession) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, user, password string) error {
		if user != ss.srv.user || password != ss.srv.password {
			return smtp.ErrAuthFailed
		}
		ss.user = user
		return nil
	}), nil
}

type discardLogger struct{}

func (discardLogger) Printf(string, ...any) {}
func (discardLogger) Println(...any)        {}

// selfSignedTLS returns a server certificate for 127.0.0.1 and a client config that trusts it.
func selfSignedTLS(t *testing.T) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	server = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}, MinVersion: tls.VersionTLS12}
	client = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return server, client
}
