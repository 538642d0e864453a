package mail

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/png"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
	"github.com/ambtenaar20/dagplanner/tickets"
)

// mimePart is one leaf of a MIME message, its body decoded.
type mimePart struct {
	ContentType string // media type only, lower case
	Disposition string // "attachment", "inline" or ""
	FileName    string
	Data        []byte
}

// mimeParts parses a raw message with net/mail and mime/multipart and returns its leaves.
func mimeParts(t *testing.T, raw []byte) []mimePart {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse message: %v", err)
	}
	return collectParts(t, m.Header, m.Body)
}

// partHeader is what collectParts needs of a message's or a part's header.
type partHeader interface{ Get(string) string }

// collectParts returns the leaves under a header and body, descending into multiparts.
func collectParts(t *testing.T, h partHeader, body io.Reader) []mimePart {
	t.Helper()
	ct := h.Get("Content-Type")
	if ct == "" {
		ct = "text/plain"
	}
	mediaType, params, err := mime.ParseMediaType(ct)
	if err != nil {
		t.Fatalf("Content-Type %q: %v", ct, err)
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		var out []mimePart
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return out
			}
			if err != nil {
				t.Fatalf("read %s part: %v", mediaType, err)
			}
			out = append(out, collectParts(t, p.Header, p)...)
		}
	}
	switch strings.ToLower(h.Get("Content-Transfer-Encoding")) {
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, stripNewlines{body})
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	}
	data, err := io.ReadAll(body)
	if err != nil {
		t.Fatalf("read %s body: %v", mediaType, err)
	}
	part := mimePart{ContentType: mediaType, Data: data}
	if cd := h.Get("Content-Disposition"); cd != "" {
		disp, dparams, err := mime.ParseMediaType(cd)
		if err != nil {
			t.Fatalf("Content-Disposition %q: %v", cd, err)
		}
		part.Disposition, part.FileName = disp, dparams["filename"]
	}
	return []mimePart{part}
}

// stripNewlines drops CR and LF, which base64 bodies are wrapped with.
type stripNewlines struct{ r io.Reader }

func (s stripNewlines) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	j := 0
	for _, c := range p[:n] {
		if c != '\r' && c != '\n' {
			p[j] = c
			j++
		}
	}
	return j, err
}

// pdfAttachments returns the parts of a message that are PDF files or attachments.
func pdfAttachments(parts []mimePart) []mimePart {
	var out []mimePart
	for _, p := range parts {
		if p.ContentType == "application/pdf" || p.Disposition == "attachment" {
			out = append(out, p)
		}
	}
	return out
}

// needPDFTool skips the test if a Debian tool is missing.
func needPDFTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s not installed (Debian: poppler-utils)", name)
	}
}

func savePDF(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// pdfToText returns the text of pdf as pdftotext sees it, all white space squashed to one space.
func pdfToText(t *testing.T, pdf []byte) string {
	t.Helper()
	needPDFTool(t, "pdftotext")
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", savePDF(t, pdf), "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// pdfQR rasterises page 1 of pdf with pdftoppm and decodes its QR code with gozxing, or with
// zbarimg when gozxing's detector misses it.
func pdfQR(t *testing.T, pdf []byte) string {
	t.Helper()
	needPDFTool(t, "pdftoppm")
	prefix := filepath.Join(t.TempDir(), "page")
	if out, err := exec.Command("pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile",
		savePDF(t, pdf), prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	raw, err := os.ReadFile(prefix + ".png")
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if text, err := decodeWithGozxing(img); err == nil {
		return text
	} else if _, lookErr := exec.LookPath("zbarimg"); lookErr != nil {
		t.Fatalf("decode QR with gozxing: %v (zbarimg not installed)", err)
	}
	out, err := exec.Command("zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable", prefix+".png").Output()
	if err != nil {
		t.Fatalf("decode QR: neither gozxing nor zbarimg (%v) could", err)
	}
	t.Logf("gozxing could not read the QR code; zbarimg could")
	return strings.TrimSuffix(string(out), "\n")
}

func decodeWithGozxing(img image.Image) (string, error) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{
		gozxing.DecodeHintType_TRY_HARDER: true,
	})
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}

// ticketOf returns the one PDF attachment of m, checked to be the ticket of the venue: a PDF
// whose QR code verifies with the event's key.
func ticketOf(t *testing.T, m received, v tickets.Verifier, slug string) (text string, ticket tickets.Ticket) {
	t.Helper()
	atts := pdfAttachments(mimeParts(t, m.Data))
	if len(atts) != 1 {
		t.Fatalf("mail to %s: got %d attachments, want 1 (the ticket)", m.To[0], len(atts))
	}
	a := atts[0]
	if a.ContentType != "application/pdf" || a.Disposition != "attachment" || a.FileName != "ticket-"+slug+".pdf" {
		t.Errorf("mail to %s: attachment got %s, %s, %q; want application/pdf, attachment, %q",
			m.To[0], a.ContentType, a.Disposition, a.FileName, "ticket-"+slug+".pdf")
	}
	if !bytes.HasPrefix(a.Data, []byte("%PDF-")) {
		t.Fatalf("mail to %s: attachment starts with %q, want %%PDF-", m.To[0], a.Data[:min(len(a.Data), 16)])
	}
	payload := pdfQR(t, a.Data)
	ticket, err := v.Verify(payload)
	if err != nil {
		t.Fatalf("mail to %s: Verify(%q) with the event's key: %v", m.To[0], payload, err)
	}
	return pdfToText(t, a.Data), ticket
}

func TestMailCarriesTicket(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, testMailCarriesTicket)
}

func testMailCarriesTicket(t *testing.T, s *models.Store) {
	f := newFixture(t, s)
	renderer, err := tickets.NewRenderer()
	if err != nil {
		t.Fatalf("NewRenderer: %v", err)
	}
	// Zaal B holds one: Zoë gets the seat, Dmitri the waiting list.
	zoe := must(s.Register(ctx, person("Zoë Ångström-Ñúñez", "zoe@example.nl", "nl", f.writing.ID, f.ai.ID)))
	dmitri := must(s.Register(ctx, person("Дмитрий Шостакович", "dmitri@example.nl", "en", f.writing.ID)))
	srv := startSMTP(t)
	w := newWorker(t, s, srv, nil)
	w.Composer.Tickets = renderer
	key := must(s.EventKey(ctx, f.event.ID))
	verifier := tickets.NewVerifier(key.PublicKey)

	byKind := func(want int) map[string]received {
		t.Helper()
		msgs := srv.Messages()
		if len(msgs) != want {
			t.Fatalf("server got %d messages, want %d", len(msgs), want)
		}
		out := map[string]received{}
		for _, m := range msgs {
			out[m.To[0]+" "+m.Header(t).Get("Subject")] = m
		}
		return out
	}
	find := func(msgs map[string]received, to, subject string) received {
		t.Helper()
		m, ok := msgs[to+" "+subject]
		if !ok {
			t.Fatalf("no mail %q to %s among %d", subject, to, len(msgs))
		}
		return m
	}

	runOnce(t, w, 2, 0)
	msgs := byKind(2)
	for _, tc := range []struct {
		reg          models.RegistrationResult
		subject      string
		want, refuse []string
	}{
		{zoe, "Je aanmelding voor Dag van de Test", []string{"Zoë Ångström-Ñúñez", "Gemeente Utrecht", "Stadskantoor Utrecht",
			"Helder schrijven", "AI en de Woo"}, []string{"wachtlijst"}},
		{dmitri, "Your registration for Dag van de Test", []string{"Дмитрий Шостакович", "Helder schrijven",
			"waiting list, position 1"}, nil},
	} {
		r := tc.reg.Registration
		text, got := ticketOf(t, find(msgs, r.Email, tc.subject), verifier, "utrecht")
		if want := (tickets.Ticket{ID: uint32(r.ID), Venue: "utrecht", Version: 1}); got != want {
			t.Errorf("ticket mailed to %s: QR holds %+v, want %+v", r.Email, got, want)
		}
		for _, s := range tc.want {
			if !strings.Contains(text, s) {
				t.Errorf("ticket mailed to %s lacks %q:\n%s", r.Email, s, text)
			}
		}
		for _, s := range tc.refuse {
			if strings.Contains(text, s) {
				t.Errorf("ticket mailed to %s shows %q:\n%s", r.Email, s, text)
			}
		}
	}

	// Zoë cancels: her mail has no ticket; Dmitri moves up and gets a ticket with the seat.
	if err := s.Cancel(ctx, zoe.Registration.ID); err != nil {
		t.Fatalf("Cancel: %v", err)
	}
	runOnce(t, w, 2, 0)
	msgs = byKind(4)
	cancelled := find(msgs, "zoe@example.nl", "Je bent afgemeld voor Dag van de Test")
	if atts := pdfAttachments(mimeParts(t, cancelled.Data)); len(atts) != 0 {
		t.Errorf("cancellation mail: got %d attachments, want none", len(atts))
	}
	text, got := ticketOf(t, find(msgs, "dmitri@example.nl", "A seat has come free for you: Helder schrijven"), verifier, "utrecht")
	current := must(s.Registration(ctx, dmitri.Registration.ID))
	if want := (tickets.Ticket{ID: uint32(current.ID), Venue: "utrecht", Version: uint16(current.TicketVersion)}); got != want {
		t.Errorf("ticket in the promotion mail: QR holds %+v, want %+v", got, want)
	}
	if !strings.Contains(text, "Helder schrijven") || strings.Contains(text, "waiting list") {
		t.Errorf("ticket in the promotion mail: want Helder schrijven with a seat, not on a waiting list:\n%s", text)
	}
	if !strings.Contains(text, "Zaal B") {
		t.Errorf("ticket in the promotion mail lacks the room of the new seat, Zaal B:\n%s", text)
	}
}
