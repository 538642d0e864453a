package mail

import (
	"path/filepath"
	"regexp"
	"sync"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// messageID is the Message-ID the worker's composer gives outbox message id in s.
func messageID(t *testing.T, s *models.Store, id uint) string {
	t.Helper()
	return must((&Composer{Store: s, BaseURL: "https://dagplanner.example"}).MessageID(ctx, id))
}

// TestMessageIDIsGloballyUnique: every fresh installation starts its outbox at id 1, so
// the id alone repeats across installations; the installation's random key and the site's
// host make the Message-ID unique, while one message keeps it on every attempt.
func TestMessageIDIsGloballyUnique(t *testing.T) {
	t.Parallel()
	form := regexp.MustCompile(`^<outbox-1\.[a-z2-7]{16}@dagplanner\.example\.org>$`)
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		// Workers racing on a new database make one key between them.
		var wg sync.WaitGroup
		ids := make([]string, 6)
		for i := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ids[i] = messageID(t, s, 1)
			}()
		}
		wg.Wait()
		for i, id := range ids {
			if id != ids[0] {
				t.Errorf("concurrent call %d got %q, call 0 %q; want one key", i, id, ids[0])
			}
		}

		other := modelstest.SQLite(t)
		c := &Composer{Store: s, BaseURL: "https://Dagplanner.example.org:8443/pad/"}
		first := must(c.MessageID(ctx, 1))
		if !form.MatchString(first) {
			t.Errorf("MessageID(1) = %q, want the form %s", first, form)
		}
		if again := must(c.MessageID(ctx, 1)); again != first {
			t.Errorf("a second attempt at message 1 got %q, want the same %q", again, first)
		}
		if got := must((&Composer{Store: other, BaseURL: c.BaseURL}).MessageID(ctx, 1)); got == first {
			t.Errorf("two installations both give %q for message 1, want different Message-IDs", got)
		}
		if got := must(c.MessageID(ctx, 2)); got == first {
			t.Errorf("messages 1 and 2 both got %q", got)
		}
	})
}

// TestMessageIDSurvivesRestart: a resend after a restart carries the same Message-ID.
func TestMessageIDSurvivesRestart(t *testing.T) {
	t.Parallel()
	dsn := "file:" + filepath.Join(t.TempDir(), "t.db")
	open := func() *models.Store {
		s, err := models.Open(modelstest.Ctx(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := open()
	before := messageID(t, s, 367)
	s.Close()
	s = open()
	defer s.Close()
	if after := messageID(t, s, 367); after != before {
		t.Errorf("after a restart message 367 got %q, before %q; want the same", after, before)
	}
}

func TestMessageIDDomain(t *testing.T) {
	t.Parallel()
	s := modelstest.SQLite(t)
	for _, tc := range []struct{ base, want string }{
		{"https://dagplanner.example.org", "@dagplanner.example.org>"},
		{"http://localhost:8080", "@localhost>"},
		{"http://127.0.0.1:8080/", "@[127.0.0.1]>"},
		{"http://[::1]:8080", "@[::1]>"},
		{"", "@localhost>"},
	} {
		got := must((&Composer{Store: s, BaseURL: tc.base}).MessageID(ctx, 3))
		if !regexp.MustCompile(`^<outbox-3\.[a-z2-7]{16}` + regexp.QuoteMeta(tc.want) + `$`).MatchString(got) {
			t.Errorf("base URL %q: MessageID = %q, want it to end in %q", tc.base, got, tc.want)
		}
	}
}
