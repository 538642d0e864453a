package tickets_test

import (
	"bytes"
	"strings"
	"sync"
	"testing"

	"github.com/ambtenaar20/dagplanner/tickets/ticketstest"

	"github.com/ambtenaar20/dagplanner/tickets"
)

func sampleTicket(s tickets.Signer, name string) (tickets.TicketData, tickets.Ticket) {
	tk := tickets.Ticket{ID: 4_000_000_123, Venue: "utrecht-jaarbeurs", Version: 3}
	payload := s.Payload(tk)
	return tickets.TicketData{
		Event:        "Dag van de Digitale Overheid 2026",
		Date:         "donderdag 12 maart 2026, 09:00–17:00",
		Venue:        "Jaarbeurs Utrecht – Beatrixgebouw",
		Address:      "Jaarbeursplein 6, 3521 AL Utrecht",
		RouteHint:    "Vanaf Utrecht Centraal 5 minuten lopen: volg de borden ‘Jaarbeurs’ via de overkapte loopbrug.",
		Name:         name,
		Organisation: "Gemeente ’s-Hertogenbosch",
		Programme: []tickets.ProgrammeLine{
			{Time: "09:30–10:15", Title: "Opening: de overheid als één loket", Room: "Zaal Utrecht"},
			{Time: "10:30–11:15", Title: "Privacy by design in de praktijk – Ωμέγα & Жизнь", Room: "Zaal 3"},
			{Time: "11:30–12:15", Title: "Open source in het sociaal domein", Room: "Brasserie", Waitlisted: true, Position: 4},
			{Time: "13:30–14:15", Title: "Toegankelijkheid voor iedereen: een lange sessietitel die over twee regels loopt in de tabel", Room: "Zaal 5"},
		},
		Payload: payload,
		Code:    tickets.ShortCode(payload),
		Labels:  tickets.DutchLabels(),
	}, tk
}

// squash removes all white space, since pdftotext -layout may split or pad lines.
func squash(s string) string { return strings.Join(strings.Fields(s), "") }

func TestTicketRoundTrip(t *testing.T) {
	pub, priv := testKey(1)
	s, v := tickets.NewSigner(priv), tickets.NewVerifier(pub)
	r := newRenderer(t)
	for _, name := range []string{
		"Zoë Ångström-Ñúñez",
		"Şükrü Öztürk",
		"Αλέξανδρος Παπαδόπουλος",
		"Дмитрий Шостакович",
	} {
		t.Run(name, func(t *testing.T) {
			d, want := sampleTicket(s, name)
			var buf bytes.Buffer
			if err := r.Ticket(&buf, d); err != nil {
				t.Fatalf("Ticket() error = %v", err)
			}
			if n := ticketstest.PDFPages(t, buf.Bytes()); n != 1 {
				t.Errorf("pages = %d, want 1", n)
			}
			text := squash(ticketstest.PDFText(t, buf.Bytes()))
			for _, s := range []string{name, d.Organisation, d.Venue, d.Address, d.Code, d.Event,
				"wachtlijst,plaats4", d.Programme[0].Title, d.Programme[1].Title, d.Programme[2].Room} {
				if !strings.Contains(text, squash(s)) {
					t.Errorf("pdftotext output lacks %q:\n%s", s, text)
				}
			}

			img := ticketstest.Rasterise(t, buf.Bytes(), 1, 150)
			got := ticketstest.DecodeQR(t, img)
			if got != d.Payload {
				t.Fatalf("QR = %q, want %q", got, d.Payload)
			}
			tk, err := v.Verify(got)
			if err != nil || tk != want {
				t.Errorf("Verify(QR) = %+v, %v; want %+v", tk, err, want)
			}
		})
	}
}

func TestTicketEnglishAndEmptyProgramme(t *testing.T) {
	_, priv := testKey(1)
	d, _ := sampleTicket(tickets.NewSigner(priv), "Ada Lovelace")
	d.Labels, d.Programme, d.RouteHint, d.Organisation = tickets.EnglishLabels(), nil, "", ""
	var buf bytes.Buffer
	if err := newRenderer(t).Ticket(&buf, d); err != nil {
		t.Fatal(err)
	}
	text := ticketstest.PDFText(t, buf.Bytes())
	for _, s := range []string{"Your programme", "You have not chosen any sessions yet.", "TICKET CODE", "Ada Lovelace"} {
		if !strings.Contains(text, s) {
			t.Errorf("pdftotext output lacks %q:\n%s", s, text)
		}
	}
}

// A character the font lacks becomes "?" and the rest prints.
func TestTicketMissingGlyphs(t *testing.T) {
	_, priv := testKey(1)
	r := newRenderer(t)
	for _, tc := range []struct{ name, want string }{
		{"Zoë 🎉 de Wit", "Zoë ? de Wit"},
		{"李小龍 Bruce Lee", "??? Bruce Lee"},
		{"Anna 👩‍💻 Jansen", "Anna ?? Jansen"},
		{"Bad\xffbyte Tab\tName", "Bad?byte Tab Name"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			d, _ := sampleTicket(tickets.NewSigner(priv), tc.name)
			var buf bytes.Buffer
			if err := r.Ticket(&buf, d); err != nil {
				t.Fatalf("Ticket() error = %v", err)
			}
			if text := ticketstest.PDFText(t, buf.Bytes()); !strings.Contains(text, tc.want) {
				t.Errorf("pdftotext output lacks %q:\n%s", tc.want, text)
			}
		})
	}
}

// Tickets rendered at the same time are the same as tickets rendered alone
// (run with -race: the renderer shares parsed fonts between documents).
func TestTicketConcurrent(t *testing.T) {
	_, priv := testKey(1)
	s := tickets.NewSigner(priv)
	r := newRenderer(t)
	names := []string{"Zoë Ångström-Ñúñez", "Şükrü Öztürk", "Αλέξανδρος Παπαδόπουλος", "Дмитрий Шостакович"}
	var wg sync.WaitGroup
	texts := make([]string, 16)
	for i := range texts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, _ := sampleTicket(s, names[i%len(names)])
			var buf bytes.Buffer
			if err := r.Ticket(&buf, d); err != nil {
				t.Error(err)
				return
			}
			texts[i] = buf.String()
		}()
	}
	wg.Wait()
	for i, pdf := range texts {
		if text := ticketstest.PDFText(t, []byte(pdf)); !strings.Contains(text, names[i%len(names)]) {
			t.Errorf("ticket %d lacks %q:\n%s", i, names[i%len(names)], text)
		}
	}
}
