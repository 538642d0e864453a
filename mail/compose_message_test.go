package mail

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

var organiser = models.Actor{Kind: models.ActorUser, ID: 1, Name: "organisator@example.nl"}

// plainText returns the text/plain part of a received message, single-part or multipart
// (with an HTML alternative or an attachment), decoded.
func plainText(t *testing.T, raw []byte) (mail.Header, string) {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse message: %v", err)
	}
	text, err := textPart(m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), m.Body)
	if err != nil {
		t.Fatalf("read the text part: %v\n%s", err, raw)
	}
	return m.Header, strings.ReplaceAll(text, "\r\n", "\n")
}

func textPart(contentType, encoding string, body io.Reader) (string, error) {
	media, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		media = "text/plain"
	}
	if strings.HasPrefix(media, "multipart/") {
		r := multipart.NewReader(body, params["boundary"])
		for {
			part, err := r.NextRawPart()
			if err != nil {
				return "", fmt.Errorf("no text/plain part: %w", err)
			}
			if text, err := textPart(part.Header.Get("Content-Type"), part.Header.Get("Content-Transfer-Encoding"), part); err == nil {
				return text, nil
			}
		}
	}
	if media != "text/plain" {
		return "", fmt.Errorf("%s is not text", media)
	}
	if strings.EqualFold(encoding, "quoted-printable") {
		body = quotedprintable.NewReader(body)
	}
	b, err := io.ReadAll(body)
	return string(b), err
}

// deliverAll runs the worker until the outbox has nothing due.
func deliverAll(t *testing.T, w *Worker) int {
	t.Helper()
	total := 0
	for {
		sent, failed, err := w.RunOnce(ctx)
		if err != nil || failed != 0 {
			t.Fatalf("RunOnce: %d failed, %v", failed, err)
		}
		if sent == 0 {
			return total
		}
		total += sent
	}
}

var messageLinkPattern = regexp.MustCompile(`https://dagplanner\.example/boeking/([A-Za-z0-9_-]{20,})`)

// TestMessageToAThousandPeople sends a message to 1,002 attendees through a real SMTP
// server: each gets it exactly once, in their own language, with every placeholder filled in
// and a personal link of their own; a cancelled message sends nothing more, and a planned
// one nothing before its time.
func TestMessageToAThousandPeople(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		big := must(s.CreateVenue(ctx, f.event.ID, models.VenueInput{Slug: "amersfoort", Name: "Stadhuis Amersfoort", NameEn: "Amersfoort City Hall",
			City: "Amersfoort", Address: "Stadhuisplein 1, Amersfoort", Capacity: 2000}))
		rows := make([]models.ImportRow, 1000)
		for i := range rows {
			lang := "nl"
			if i%3 == 0 {
				lang = "en"
			}
			rows[i] = models.ImportRow{Row: i + 2, Name: fmt.Sprintf("Deelnemer %04d", i), Email: fmt.Sprintf("d%04d@example.nl", i),
				Organisation: "Gemeente Amersfoort", Lang: lang}
		}
		if res, err := s.ImportRegistrations(ctx, organiser, big.ID, rows, false); err != nil || !res.Imported {
			t.Fatalf("import: %+v, %v", res.Problems, err)
		}
		anna := must(s.Register(ctx, person("Anna de Vries", "anna@example.nl", "nl", f.openData.ID, f.ai.ID))).Registration
		carla := must(s.Register(ctx, person("Carla Smit", "carla@example.nl", "nl", f.writing.ID))).Registration
		bob := must(s.Register(ctx, models.RegistrationInput{Name: "Bob Jansen", Email: "bob@example.nl", Organisation: "Rijk", Lang: "en",
			Venue: "utrecht", Waitlist: []uint{f.writing.ID}, Consent: true})).Registration
		_ = carla
		must(s.DiscardPendingMail(ctx, "test: the confirmations are not what is tested"))

		m := must(s.CreateMessage(ctx, f.event.ID, organiser, models.MessageInput{Audience: models.Audience{Status: models.StatusConfirmed},
			SubjectNL: "Tot {datum}, {naam}", BodyNL: "Hallo {naam} van {organisatie},\n\nWe zien je in {locatie}, {adres}.\n\nJouw programma:\n{sessies}\n\nWijzigen kan hier: {persoonlijke_link}",
			SubjectEN: "See you on {date}, {name}", BodyEN: "Hello {name},\n\nSee you at {venue}.\n\n{sessions}\n\nYour link: {personal_link}"}))
		n := must(s.SendMessage(ctx, organiser, m.ID, 1003))
		if n != 1003 {
			t.Fatalf("queued %d, want 1003", n)
		}
		srv := startSMTP(t)
		w := newWorker(t, s, srv, nil)
		w.Batch = 200
		// The e-mails become due one after another, 50 a second: nothing is due ahead of that.
		f.clock.Advance(10 * time.Second)
		early := deliverAll(t, w)
		if early < 400 || early > 520 {
			t.Errorf("after 10 s %d e-mails went out, want about 500 (50 a second)", early)
		}
		f.clock.Advance(time.Minute)
		if got := early + deliverAll(t, w); got != 1003 {
			t.Fatalf("delivered %d, want 1003", got)
		}

		per := map[string]int{}
		for _, r := range srv.Messages() {
			per[r.To[0]]++
		}
		if len(per) != 1003 {
			t.Errorf("%d addresses got mail, want 1003", len(per))
		}
		for to, k := range per {
			if k != 1 {
				t.Errorf("%s got %d copies, want 1", to, k)
			}
		}
		byTo := map[string]received{}
		for _, r := range srv.Messages() {
			byTo[r.To[0]] = r
		}
		check := func(to, subject string, wants ...string) string {
			t.Helper()
			h, text := plainText(t, byTo[to].Data)
			if got := h.Get("Subject"); !strings.Contains(decodeHeader(t, got), subject) {
				t.Errorf("%s: subject %q, want %q", to, decodeHeader(t, got), subject)
			}
			for _, want := range wants {
				if !strings.Contains(text, want) {
					t.Errorf("%s: text lacks %q:\n%s", to, want, text)
				}
			}
			if strings.ContainsAny(text, "{}") {
				t.Errorf("%s: a placeholder is left:\n%s", to, text)
			}
			return text
		}
		check("d0001@example.nl", "Tot woensdag 3 februari 2027, Deelnemer 0001", "Hallo Deelnemer 0001 van Gemeente Amersfoort",
			"We zien je in Stadhuis Amersfoort, Stadhuisplein 1, Amersfoort.", "(geen sessies)", "omdat je je hebt aangemeld voor Dag van de Test")
		check("d0003@example.nl", "See you on Wednesday 3 February 2027, Deelnemer 0003", "Hello Deelnemer 0003,",
			"See you at Amersfoort City Hall.", "because you registered for Dag van de Test")
		text := check("anna@example.nl", "Anna de Vries", "- 10:00–11:00 Open data in de praktijk, Zaal A", "- 11:15–12:15 AI en de Woo, Zaal A")
		check("bob@example.nl", "Bob Jansen", "Helder schrijven, Zaal B (waiting list, place 1)")
		link := messageLinkPattern.FindStringSubmatch(text)
		if link == nil {
			t.Fatalf("anna's e-mail has no personal link:\n%s", text)
		}
		if r, err := s.RegistrationByToken(ctx, link[1]); err != nil || r.ID != anna.ID {
			t.Errorf("anna's link opens %d (%v), want her registration %d", r.ID, err, anna.ID)
		}
		_, bobText := plainText(t, byTo["bob@example.nl"].Data)
		if bl := messageLinkPattern.FindStringSubmatch(bobText); bl == nil || bl[1] == link[1] {
			t.Errorf("bob's link %v must be his own", bl)
		}
		if c := must(s.MessageCounts(ctx, []uint{m.ID}))[m.ID]; c.Sent != 1003 || c.Waiting != 0 {
			t.Errorf("counts %+v, want 1003 sent", c)
		}
		_ = bob

		// A message cancelled after ten of its e-mails went out sends no more.
		ten := models.Audience{Query: "deelnemer 000"}
		c := must(s.CreateMessage(ctx, f.event.ID, organiser, models.MessageInput{Audience: ten, SubjectNL: "Oeps", BodyNL: "Vergeten."}))
		must(s.SendMessage(ctx, organiser, c.ID, 10))
		f.clock.Advance(time.Minute)
		w.Batch = 3
		runOnce(t, w, 3, 0)
		if withdrawn := must(s.CancelMessage(ctx, organiser, c.ID)); withdrawn != 7 {
			t.Errorf("cancelling withdrew %d, want 7", withdrawn)
		}
		w.Batch = 200
		if got := deliverAll(t, w); got != 0 {
			t.Errorf("%d e-mails of a cancelled message went out", got)
		}
		if got := len(srv.Messages()); got != 1006 {
			t.Errorf("server has %d messages, want 1003 + 3", got)
		}

		// A planned message: nothing before its time, everything once after it.
		p := must(s.CreateMessage(ctx, f.event.ID, organiser, models.MessageInput{Audience: ten, SubjectNL: "Gepland", BodyNL: "Op tijd."}))
		must(0, s.ScheduleMessage(ctx, organiser, p.ID, f.clock.Now().Add(time.Hour)))
		for range 2 {
			f.clock.Advance(29 * time.Minute)
			must(0, s.QueueDueMessages(ctx))
			if got := deliverAll(t, w); got != 0 {
				t.Fatalf("%d e-mails of a planned message went out before its time", got)
			}
		}
		f.clock.Advance(2 * time.Minute)
		must(0, s.QueueDueMessages(ctx))
		must(0, s.QueueDueMessages(ctx))
		f.clock.Advance(time.Minute)
		if got := deliverAll(t, w); got != 10 {
			t.Errorf("the planned message delivered %d, want 10", got)
		}
	})
}

func decodeHeader(t *testing.T, v string) string {
	t.Helper()
	s, err := new(mime.WordDecoder).DecodeHeader(v)
	if err != nil {
		t.Fatalf("decode header %q: %v", v, err)
	}
	return s
}
