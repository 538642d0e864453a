package certificate_test

import (
	"bytes"
	"fmt"
	"iter"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/certificate"
	"github.com/ambtenaar20/dagplanner/tickets/ticketstest"
)

func sample(name string, sessions int) certificate.Data {
	d := certificate.Data{Event: "Dag van de Ambtenaar 2027", Date: "woensdag 3 februari 2027", Venue: "Zwolle",
		Name: name, Organisation: "Gemeente Ærø", Statement: "heeft deelgenomen aan de Dag van de Ambtenaar 2027.",
		Hours: "4,5 uur", URL: "https://dagplanner.example.nl/certificaat/" + strings.Repeat("a", certificate.CodeLen),
		Code: strings.Repeat("a", certificate.CodeLen),
		Labels: certificate.Labels{Lang: "nl", Title: "Bewijs van deelname", Subject: "Bewijs van deelname met de bijgewoonde sessies en een QR-code om het te controleren", Certifies: "Hierbij bevestigen we dat",
			Sessions: "Bijgewoonde sessies", Time: "Tijd", Session: "Sessie", Room: "Zaal", NoSessions: "Geen sessies.",
			Total: "Totaal:", Verify: "Controleer dit bewijs", VerifyHint: "Scan de QR-code.", Code: "Code:", Signed: "Ondertekend."}}
	for i := range sessions {
		d.Sessions = append(d.Sessions, certificate.Line{Time: fmt.Sprintf("%d:00–%d:45", 9+i, 9+i), Title: fmt.Sprintf("Sessie nummer %d over open data", i+1), Room: "Statenzaal"})
	}
	return d
}

// The PDF holds the name, the sessions and the total as text, and its QR code the check
// page's address; a day too full for the page ends its list with "…" and still fits.
func TestCertificatePDF(t *testing.T) {
	r, err := certificate.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 3, 40} {
		t.Run(fmt.Sprint(n, " sessions"), func(t *testing.T) {
			d := sample("Zoë Ångström-Ñúñez", n)
			var buf bytes.Buffer
			if err := r.Certificate(&buf, d); err != nil {
				t.Fatal(err)
			}
			if got := ticketstest.PDFPages(t, buf.Bytes()); got != 1 {
				t.Errorf("pages = %d, want 1", got)
			}
			text := ticketstest.PDFStreamText(t, buf.Bytes())
			wants := []string{"BEWIJS VAN DEELNAME", d.Name, "Gemeente Ærø"}
			if n == 0 {
				wants = append(wants, "Geen sessies.")
			} else {
				wants = append(wants, "Sessie nummer 1", "Statenzaal")
			}
			ticketstest.WantInOrder(t, "certificate", text, append(wants, "Totaal: 4,5 uur", "Controleer dit bewijs")...)
			if got := ticketstest.DecodeQR(t, ticketstest.Rasterise(t, buf.Bytes(), 1, 150)); got != d.URL {
				t.Errorf("QR code holds %q, want %q", got, d.URL)
			}
			ticketstest.WantDescribed(t, "certificate", buf.Bytes(), d.Event+" – Bewijs van deelname – "+d.Name, "nl")
		})
	}
}

func TestCertificatesOnePagePerPerson(t *testing.T) {
	r, err := certificate.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"Anna de Vries", "Bram Bakker", "Chantal Öztürk"}
	var pages iter.Seq2[certificate.Data, error] = func(yield func(certificate.Data, error) bool) {
		for _, n := range names {
			if !yield(sample(n, 2), nil) {
				return
			}
		}
	}
	var buf bytes.Buffer
	if err := r.Certificates(&buf, certificate.Batch{Title: "Zwolle – bewijzen", Labels: sample("", 0).Labels}, pages); err != nil {
		t.Fatal(err)
	}
	if got := ticketstest.PDFPages(t, buf.Bytes()); got != len(names) {
		t.Errorf("pages = %d, want %d", got, len(names))
	}
	ticketstest.WantInOrder(t, "certificates", ticketstest.PDFStreamText(t, buf.Bytes()), names...)
}
