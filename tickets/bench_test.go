package tickets_test

import (
	"bytes"
	"testing"

	"github.com/ambtenaar20/dagplanner/tickets"
)

// Run with: go test -run '^$' -bench . -cpu 1 ./tickets/
// Targets: a ticket <= 3 ms and <= 40 KB; a 700-badge sheet <= 1 s.

func BenchmarkTicketPDF(b *testing.B) {
	_, priv := testKey(1)
	d, _ := sampleTicket(tickets.NewSigner(priv), "Αλέξανδρος Παπαδόπουλος")
	r := newRenderer(b)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := r.Ticket(&buf, d); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "pdf-bytes/op")
}

func BenchmarkBadgeSheet700(b *testing.B) {
	_, priv := testKey(1)
	d := tickets.BadgeSheetData{Event: "Dag van de Digitale Overheid 2026", Venue: "Jaarbeurs Utrecht",
		Badges: badges(tickets.NewSigner(priv), 700), Labels: tickets.DutchLabels()}
	r := newRenderer(b)
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := r.Badges(&buf, d); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "pdf-bytes/op")
}

func BenchmarkSign(b *testing.B) {
	_, priv := testKey(1)
	s := tickets.NewSigner(priv)
	tk := tickets.Ticket{ID: 4_000_000_000, Venue: "utrecht-jaarbeurs", Version: 7}
	for b.Loop() {
		_ = s.Payload(tk)
	}
}

func BenchmarkVerify(b *testing.B) {
	pub, priv := testKey(1)
	p := tickets.NewSigner(priv).Payload(tickets.Ticket{ID: 4_000_000_000, Venue: "utrecht-jaarbeurs", Version: 7})
	v := tickets.NewVerifier(pub)
	for b.Loop() {
		if _, err := v.Verify(p); err != nil {
			b.Fatal(err)
		}
	}
}
