package certificate_test

import (
	"crypto/ed25519"
	"fmt"
	"iter"
	"testing"

	"github.com/ambtenaar20/dagplanner/certificate"
)

// countingWriter counts what the renderer writes.
type countingWriter struct{ n int }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }

// BenchmarkVenueCertificates draws a venue of 700 people, four sessions each, as the
// organisers' download does; file-MB is the uncompressed file that is then gzipped.
func BenchmarkVenueCertificates(b *testing.B) {
	r, err := certificate.NewRenderer()
	if err != nil {
		b.Fatal(err)
	}
	_, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		b.Fatal(err)
	}
	var pages iter.Seq2[certificate.Data, error] = func(yield func(certificate.Data, error) bool) {
		for i := range 700 {
			d := sample(fmt.Sprintf("Deelnemer %d van Zwolle", i), 4)
			d.Code = certificate.Sign(priv, certificate.Code{EventID: 1, RegistrationID: uint32(i + 1)})
			d.URL = "https://dagplanner.example.nl/certificaat/" + d.Code
			if !yield(d, nil) {
				return
			}
		}
	}
	b.ReportAllocs()
	var w countingWriter
	for b.Loop() {
		w = countingWriter{}
		if err := r.Certificates(&w, certificate.Batch{Title: "Zwolle", Labels: sample("", 0).Labels}, pages); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(w.n)/1e6, "file-MB")
}
