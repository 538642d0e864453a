package models

import (
	"path/filepath"
	"testing"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
)

// The English-content migration gives the speakers already there the language of their latest
// proposal, or of the latest one they were invited to as a co-speaker; the others keep none,
// which means Dutch.
func TestMigrateEnglishContentFillsSpeakersLanguage(t *testing.T) {
	t.Parallel()
	db, err := gorm.Open(sqlite.Open(filepath.Join(t.TempDir(), "old.db")), &gorm.Config{})
	if err != nil {
		t.Fatal(err)
	}
	type Event struct{ ID uint }
	type Venue struct{ ID uint }
	type Session struct{ ID uint }
	type Speaker struct {
		ID      uint
		EventID uint
		Email   string
	}
	type Proposal struct {
		ID           uint
		EventID      uint
		SpeakerEmail string
		Lang         string
	}
	type CoSpeaker struct {
		ID         uint
		ProposalID uint
		Email      string
	}
	if err := db.AutoMigrate(&Event{}, &Venue{}, &Session{}, &Speaker{}, &Proposal{}, &CoSpeaker{}); err != nil {
		t.Fatal(err)
	}
	rows := []any{
		&Proposal{ID: 1, EventID: 1, SpeakerEmail: "sam@example.org", Lang: "nl"},
		&Proposal{ID: 2, EventID: 1, SpeakerEmail: "Sam@Example.org", Lang: "en"}, // the latest counts
		&Proposal{ID: 3, EventID: 1, SpeakerEmail: "anna@example.nl", Lang: "en"},
		&CoSpeaker{ProposalID: 3, Email: "bram@example.nl"},
		&Proposal{ID: 4, EventID: 2, SpeakerEmail: "ria@example.nl", Lang: "en"}, // another event
		&Speaker{ID: 1, EventID: 1, Email: "sam@example.org"},
		&Speaker{ID: 2, EventID: 1, Email: "bram@example.nl"},
		&Speaker{ID: 3, EventID: 1, Email: ""},
		&Speaker{ID: 4, EventID: 1, Email: "ria@example.nl"},
	}
	for _, r := range rows {
		if err := db.Create(r).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Transaction(migrateEnglishContent); err != nil {
		t.Fatal(err)
	}
	var got []struct {
		ID   uint
		Lang string
	}
	if err := db.Table("speakers").Select("id, lang").Order("id").Scan(&got).Error; err != nil {
		t.Fatal(err)
	}
	want := []string{"en", "en", "", ""}
	for i, sp := range got {
		if sp.Lang != want[i] {
			t.Errorf("speaker %d: lang %q, want %q", sp.ID, sp.Lang, want[i])
		}
	}
	for _, c := range []struct{ table, column string }{{"events", "description_en"}, {"venues", "route_hint_en"},
		{"sessions", "title_en"}, {"co_speakers", "lang"}} {
		if !db.Migrator().HasColumn(c.table, c.column) {
			t.Errorf("%s has no column %s after the migration", c.table, c.column)
		}
	}
}
