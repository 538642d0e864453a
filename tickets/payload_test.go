package tickets_test

import (
	"errors"
	"strings"
	"testing"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/ambtenaar20/dagplanner/tickets"
)

func TestPayloadRoundTrip(t *testing.T) {
	pub, priv := testKey(1)
	s, v := tickets.NewSigner(priv), tickets.NewVerifier(pub)
	for _, tk := range []tickets.Ticket{
		{ID: 0, Venue: "a", Version: 0},
		{ID: 1, Venue: "zwolle", Version: 1},
		{ID: 4_000_000_000, Venue: "abcdefghij-klmnop-12", Version: 65535},
		{ID: 1<<32 - 1, Venue: "0-9", Version: 7},
	} {
		p := s.Payload(tk)
		got, err := v.Verify(p)
		if err != nil || got != tk {
			t.Errorf("Verify(Payload(%+v)) = %+v, %v", tk, got, err)
		}
		if p != strings.ToUpper(p) || !strings.HasPrefix(p, "DP1") {
			t.Errorf("Payload(%+v) = %q, want upper case starting with DP1", tk, p)
		}
	}
}

// The worst case must stay small enough for a cheap camera at arm's length.
func TestPayloadSize(t *testing.T) {
	_, priv := testKey(1)
	s := tickets.NewSigner(priv)
	for _, tc := range []struct {
		venue      string
		maxLen     int
		maxVersion int // QR version at level M
	}{
		{"abcdefghij-klmnop-12", tickets.MaxPayloadLen, 6}, // longest slug: 125 characters
		{"utrecht-jaarbeurs", 122, 5},
		{"den-haag-wtc", 117, 5},
	} {
		p := s.Payload(tickets.Ticket{ID: 4_000_000_000, Venue: tc.venue, Version: 65535})
		if len(p) > tc.maxLen {
			t.Errorf("len(payload) for venue %q = %d, want <= %d", tc.venue, len(p), tc.maxLen)
		}
		q, err := qrcode.New(p, qrcode.Medium)
		if err != nil {
			t.Fatal(err)
		}
		if q.VersionNumber > tc.maxVersion {
			t.Errorf("QR version for venue %q = %d, want <= %d", tc.venue, q.VersionNumber, tc.maxVersion)
		}
		t.Logf("venue %-22q: %d characters, QR version %d-M (%d modules)", tc.venue, len(p), q.VersionNumber, 17+4*q.VersionNumber)
	}
	if tickets.MaxPayloadLen != 125 {
		t.Errorf("MaxPayloadLen = %d, want 125", tickets.MaxPayloadLen)
	}
}

// Every single-character change of a valid payload fails.
func TestPayloadTampering(t *testing.T) {
	pub, priv := testKey(1)
	s, v := tickets.NewSigner(priv), tickets.NewVerifier(pub)
	p := s.Payload(tickets.Ticket{ID: 123456, Venue: "zwolle-2", Version: 2})
	replacements := "0AZ9 :-$%*+./azé\x00"
	for i := 0; i < len(p); i++ {
		for _, c := range replacements {
			if string(c) == p[i:i+1] {
				continue
			}
			bad := p[:i] + string(c) + p[i+1:]
			if tk, err := v.Verify(bad); !errors.Is(err, tickets.ErrInvalid) {
				t.Fatalf("Verify(%q) = %+v, %v; want ErrInvalid", bad, tk, err)
			}
		}
	}
	for name, bad := range map[string]string{
		"empty":          "",
		"prefix only":    "DP1",
		"truncated by 1": p[:len(p)-1],
		"no venue":       p[:3+102],
		"extended":       p + "X",
		"extended by -":  p + "-",
		"space after":    p + " ",
		"lower case":     strings.ToLower(p),
		"other format":   "DP2" + p[3:],
		"too long venue": p + strings.Repeat("A", 20),
		"block too big":  "DP1" + strings.Repeat(":", 102) + "ZWOLLE-2",
	} {
		if tk, err := v.Verify(bad); !errors.Is(err, tickets.ErrInvalid) {
			t.Errorf("%s: Verify(%q) = %+v, %v; want ErrInvalid", name, bad, tk, err)
		}
	}
	for i := 1; i < len(p); i++ {
		if _, err := v.Verify(p[:i]); !errors.Is(err, tickets.ErrInvalid) {
			t.Fatalf("Verify(p[:%d]) = %v, want ErrInvalid", i, err)
		}
	}
}

func TestPayloadOtherKey(t *testing.T) {
	pub, _ := testKey(1)
	_, other := testKey(2)
	p := tickets.NewSigner(other).Payload(tickets.Ticket{ID: 9, Venue: "zwolle", Version: 1})
	if _, err := tickets.NewVerifier(pub).Verify(p); !errors.Is(err, tickets.ErrInvalid) {
		t.Errorf("Verify(payload signed with another key) error = %v, want ErrInvalid", err)
	}
	if _, err := tickets.NewVerifier(nil).Verify(p); !errors.Is(err, tickets.ErrInvalid) {
		t.Errorf("Verify with no key: error = %v, want ErrInvalid", err)
	}
}

func TestSuperseded(t *testing.T) {
	for _, tc := range []struct {
		version, current uint16
		want             bool
	}{
		{1, 1, false}, {1, 2, true}, {3, 2, false}, {0, 65535, true}, {65535, 65535, false},
	} {
		if got := tickets.Superseded(tickets.Ticket{ID: 1, Venue: "x", Version: tc.version}, tc.current); got != tc.want {
			t.Errorf("Superseded(version %d, current %d) = %v, want %v", tc.version, tc.current, got, tc.want)
		}
	}
}

func TestPayloadPanicsOnBadVenue(t *testing.T) {
	_, priv := testKey(1)
	s := tickets.NewSigner(priv)
	for _, venue := range []string{"", "Zwolle", "den haag", "abcdefghij-klmnop-123", "zwölle"} {
		if tickets.ValidVenue(venue) {
			t.Errorf("ValidVenue(%q) = true, want false", venue)
		}
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Payload with venue %q did not panic", venue)
				}
			}()
			s.Payload(tickets.Ticket{ID: 1, Venue: venue})
		}()
	}
}

func TestShortCode(t *testing.T) {
	_, priv := testKey(1)
	s := tickets.NewSigner(priv)
	seen := map[string]bool{}
	for id := uint32(0); id < 2000; id++ {
		code := tickets.ShortCode(s.Payload(tickets.Ticket{ID: id, Venue: "zwolle", Version: 1}))
		if len(code) != 11 || code[5] != '-' {
			t.Fatalf("ShortCode = %q, want XXXXX-XXXXX", code)
		}
		if strings.ContainsAny(code, "01OIL") || strings.ContainsAny(code, "QSZBGU") {
			t.Fatalf("ShortCode = %q has an ambiguous character", code)
		}
		if seen[code] {
			t.Fatalf("ShortCode %q twice", code)
		}
		seen[code] = true
		for _, typed := range []string{
			code,
			strings.ToLower(code),
			strings.ReplaceAll(code, "-", ""),
			strings.ReplaceAll(code, "-", " "),
			" " + strings.ToLower(code[:3]) + " " + code[3:8] + "-" + code[8:] + " ",
		} {
			if got := tickets.NormalizeCode(typed); got != code {
				t.Fatalf("NormalizeCode(%q) = %q, want %q", typed, got, code)
			}
		}
	}
	p := s.Payload(tickets.Ticket{ID: 1, Venue: "zwolle", Version: 1})
	if tickets.ShortCode(p) == tickets.ShortCode(s.Payload(tickets.Ticket{ID: 1, Venue: "zwolle", Version: 2})) {
		t.Error("a new version kept its ticket code")
	}
	for typed, want := range map[string]string{
		"s2b6u-o0q7z":  "5286V-DDD72",
		"5286v dd d72": "5286V-DDD72",
	} {
		if got := tickets.NormalizeCode(typed); got != want {
			t.Errorf("NormalizeCode(%q) = %q, want %q", typed, got, want)
		}
	}
}
