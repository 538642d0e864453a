package models

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
)

// The people migration fills the search text and sort key of the registrations that were
// there before it, so the organisers' search finds them too.
func TestMigratePeopleFillsExistingRegistrations(t *testing.T) {
	db, err := gorm.Open(sqlite.Open(filepath.Join(t.TempDir(), "old.db")), &gorm.Config{})
	if err != nil {
		t.Fatal(err)
	}
	type Registration struct {
		ID                        uint
		Name, Email, Organisation string
	}
	type OutboxMessage struct{ ID uint }
	type Venue struct{ ID uint }
	if err := db.AutoMigrate(&Registration{}, &OutboxMessage{}, &Venue{}); err != nil {
		t.Fatal(err)
	}
	if err := db.Create(&Registration{Name: "Zoë van den Bërg", Email: "zoe@example.nl", Organisation: "Gemeente Zwolle"}).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Transaction(migratePeople); err != nil {
		t.Fatal(err)
	}
	var got struct{ SearchText, SortName string }
	if err := db.Table("registrations").Select("search_text, sort_name").Take(&got).Error; err != nil {
		t.Fatal(err)
	}
	if got.SearchText != "zoe van den berg zoe@example.nl gemeente zwolle" {
		t.Errorf("search text = %q", got.SearchText)
	}
	if got.SortName != "berg\x01zoe\x01van den" {
		t.Errorf("sort key = %q, want last name, given names, particles", got.SortName)
	}
	for _, table := range []string{"audit_entries", "api_tokens"} {
		if !db.Migrator().HasTable(table) {
			t.Errorf("no table %s after the migration", table)
		}
	}
	if !db.Migrator().HasColumn("outbox_messages", "on_behalf") {
		t.Error("outbox_messages has no on_behalf column")
	}
}

// Closing a store twice returns, also when it never wrote (its writer never started): a
// test's own Close and its cleanup's both run.
func TestCloseTwiceWithoutWrites(t *testing.T) {
	s, err := Open(t.Context(), "file:"+filepath.Join(t.TempDir(), "idle.db"))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		s.Close()
		s.Close()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the second Close never returned")
	}
}

// A value cut to its column's size stays valid UTF-8: the cut never splits a character.
func TestTruncateKeepsCharactersWhole(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"Zoë", 3, "Zo"}, // ë is two bytes: cutting after its first would split it
		{"Zoë", 4, "Zoë"},
		{"ab", 1, "a"},
		{"€", 2, ""},
	} {
		got := truncate(tc.in, tc.n)
		if got != tc.want || !utf8.ValidString(got) {
			t.Errorf("truncate(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
	long := searchText(strings.Repeat("Ελένη ", 100), "x@example.nl", "")
	if len(long) > 700 || !utf8.ValidString(long) {
		t.Errorf("a long search text is %d bytes, valid UTF-8 %v; want at most 700, valid", len(long), utf8.ValidString(long))
	}
}
