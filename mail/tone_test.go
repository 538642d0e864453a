package mail

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/locale"
)

// TestDutchMailSaysJe fails on a formal "u" or "uw" in a Dutch e-mail template: Dagplanner
// says "je", in its messages and its e-mails alike.
func TestDutchMailSaysJe(t *testing.T) {
	read := 0
	err := fs.WalkDir(templateFiles, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.Contains(p, "/nl/") {
			return err
		}
		b, err := fs.ReadFile(templateFiles, p)
		if err != nil {
			return err
		}
		read++
		for i, line := range strings.Split(string(b), "\n") {
			if words := locale.FormalWords(line); len(words) > 0 {
				t.Errorf("%s:%d says %q: %q; use je/jouw", p, i+1, words, line)
			}
		}
		return nil
	})
	if err != nil || read == 0 {
		t.Fatalf("read %d Dutch templates: %v", read, err)
	}
}
