package models_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// TestEnglishContentIsStored saves the English versions of the event's, a venue's and a
// session's texts, reads them back, and picks the language version for each kind of reader.
func TestEnglishContentIsStored(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		must(s.UpdateEvent(ctx, f.event.ID, models.EventInput{Name: f.event.Name, Date: f.event.Date,
			Theme: "Wij, de overheid", ThemeEn: "  We, the government ", Description: "Een dag voor ambtenaren.",
			DescriptionEn: "A day for civil servants.\nIn two cities."}))
		must(s.UpdateVenue(ctx, f.venue.ID, models.VenueInput{Slug: "zwolle", Name: "Provinciehuis", City: "Zwolle",
			Address: "Luttenbergstraat 2", Capacity: 300, RouteHint: "Vijf minuten lopen.", NameEn: "Provincial House",
			RouteHintEn: "A five-minute walk.", AccessibilityEn: "Step-free entrance."}))
		se := must(s.CreateSession(ctx, f.event.ID, models.SessionInput{Title: "Open data", TitleEn: "Open data in English",
			Abstract: "Over open data.", AbstractEn: "About open data.", Format: "workshop", SlotCount: 1,
			VenueID: f.venue.ID, RoomID: f.big.ID, FirstSlotID: f.s1.ID}))
		plain := must(s.CreateSession(ctx, f.event.ID, models.SessionInput{Title: "Alleen Nederlands", Format: "lecture", SlotCount: 1}))

		e := must(s.CurrentEvent(ctx))
		if e.ThemeEn != "We, the government" || e.DescriptionEn != "A day for civil servants.\nIn two cities." {
			t.Errorf("event English got %q / %q, want them trimmed as typed", e.ThemeEn, e.DescriptionEn)
		}
		v := must(s.Venue(ctx, f.venue.ID))
		if v.NameEn != "Provincial House" || v.RouteHintEn != "A five-minute walk." || v.AccessibilityEn != "Step-free entrance." {
			t.Errorf("venue English got %q / %q / %q", v.NameEn, v.RouteHintEn, v.AccessibilityEn)
		}
		got := must(s.Session(ctx, se.ID))
		if got.TitleEn != "Open data in English" || got.AbstractEn != "About open data." {
			t.Errorf("session English got %q / %q", got.TitleEn, got.AbstractEn)
		}

		for _, tc := range []struct {
			lang, title, abstract, venue, route, access, theme, plainTitle string
		}{
			{"en", "Open data in English", "About open data.", "Provincial House", "A five-minute walk.", "Step-free entrance.", "We, the government", "Alleen Nederlands"},
			{"nl", "Open data", "Over open data.", "Provinciehuis", "Vijf minuten lopen.", "", "Wij, de overheid", "Alleen Nederlands"},
			{"", "Open data", "Over open data.", "Provinciehuis", "Vijf minuten lopen.", "", "Wij, de overheid", "Alleen Nederlands"},
		} {
			shown := got.In(tc.lang)
			if shown.Title != tc.title || shown.Abstract != tc.abstract || shown.Venue.Name != tc.venue {
				t.Errorf("session in %q got %q / %q at %q, want %q / %q at %q", tc.lang, shown.Title, shown.Abstract, shown.Venue.Name, tc.title, tc.abstract, tc.venue)
			}
			if v.RouteHintIn(tc.lang) != tc.route || v.AccessibilityIn(tc.lang) != tc.access || e.ThemeIn(tc.lang) != tc.theme {
				t.Errorf("in %q: route %q, access %q, theme %q; want %q, %q, %q", tc.lang, v.RouteHintIn(tc.lang), v.AccessibilityIn(tc.lang), e.ThemeIn(tc.lang), tc.route, tc.access, tc.theme)
			}
			if plain.TitleIn(tc.lang) != tc.plainTitle {
				t.Errorf("a session without English, in %q, got %q, want the Dutch %q", tc.lang, plain.TitleIn(tc.lang), tc.plainTitle)
			}
		}
		if got.Title != "Open data" || got.Venue.Name != "Provinciehuis" {
			t.Errorf("In changed the session it copied: %q at %q", got.Title, got.Venue.Name)
		}

		// Bad English input is refused on its own field, like the Dutch.
		_, err := s.UpdateSession(ctx, se.ID, models.SessionInput{Title: "Open data", TitleEn: strings.Repeat("x", 201), Format: "workshop", SlotCount: 1,
			VenueID: f.venue.ID, RoomID: f.big.ID, FirstSlotID: f.s1.ID})
		wantProblem(t, err, "title_en", "form.too_long")
		_, err = s.UpdateVenue(ctx, f.venue.ID, models.VenueInput{Slug: "zwolle", Name: "Provinciehuis", City: "Zwolle",
			Address: "Luttenbergstraat 2", Capacity: 300, NameEn: "Provincial\u202eHouse"})
		wantProblem(t, err, "name_en", "form.invisible_chars")
		_, err = s.UpdateEvent(ctx, f.event.ID, models.EventInput{Name: f.event.Name, Date: f.event.Date, ThemeEn: "two\nlines"})
		wantProblem(t, err, "theme_en", "form.control_chars")
		if after := must(s.Session(ctx, se.ID)); after.TitleEn != "Open data in English" {
			t.Errorf("a refused change left the English title %q", after.TitleEn)
		}
	})
}

// TestTranslationIsPublishedWithoutMail publishes a version whose only change is an English
// title: the public programme gets it, nobody gets an e-mail. A change to the Dutch title
// still e-mails the people booked.
func TestTranslationIsPublishedWithoutMail(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		a := session(t, s, f, "Open data", f.big, f.s1, 1, 0)
		must(s.Register(ctx, attendee(1, a.ID)))
		must(s.PublishSchedule(ctx, f.event.ID, nil))
		mails := count(t, s, &models.OutboxMessage{})

		in := models.SessionInput{Title: a.Title, TitleEn: "Open data, in English", AbstractEn: "About it.", Format: a.Format,
			VenueID: f.venue.ID, RoomID: f.big.ID, FirstSlotID: f.s1.ID, SlotCount: 1}
		must(s.UpdateSession(ctx, a.ID, in))
		if att, sps := must2(s.PublishMails(ctx, f.event.ID)); att != 0 || sps != 0 {
			t.Errorf("PublishMails for a translation = %d attendees, %d speakers; want none", att, sps)
		}
		v2 := must(s.PublishScheduleMailing(ctx, f.event.ID, nil, 0))
		if got := changeKinds(v2.Changes); !slices.Equal(got, []string{"translated Open data"}) {
			t.Errorf("v2 changes got %q, want the translation", got)
		}
		if ps := v2.Sessions[0]; ps.TitleIn("en") != "Open data, in English" || ps.AbstractIn("en") != "About it." || ps.TitleIn("nl") != "Open data" {
			t.Errorf("v2 holds %q / %q / %q", ps.TitleIn("en"), ps.AbstractIn("en"), ps.TitleIn("nl"))
		}
		if n := count(t, s, &models.OutboxMessage{}); n != mails {
			t.Errorf("publishing a translation queued %d e-mails, want none", n-mails)
		}
		latest := must(s.LatestScheduleVersion(ctx, f.event.ID))
		if latest.Number != 2 || must(s.ScheduleVersion(ctx, f.event.ID, 1)).Sessions[0].TitleEn != "" {
			t.Errorf("latest is v%d and v1 was changed; want v2 and v1 as it was", latest.Number)
		}

		in.Title = "Open data in de praktijk"
		must(s.UpdateSession(ctx, a.ID, in))
		if att, _ := must2(s.PublishMails(ctx, f.event.ID)); att != 1 {
			t.Errorf("PublishMails for a new Dutch title = %d attendees, want 1", att)
		}
	})
}

// TestSpeakersLanguage: the speaker of a proposal is written to in the proposal's language,
// a co-speaker in the language they confirmed in, and the schedule's e-mail to each is queued
// in it.
func TestSpeakersLanguage(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		openCall(t, s, f)
		in := proposalInput() // sent from the English site
		p := must(s.SubmitProposal(ctx, in)).Proposal
		must(s.ConfirmCoSpeaker(ctx, p.CoSpeakers[0].ID, models.CoSpeakerInput{Name: "Anna de Vries", Organisation: "Logius", Lang: "nl"}))
		setStatus(t, s, p.ID, models.ProposalAccepted)
		must(s.ConfirmProposal(ctx, p.ID))
		se := must(s.SessionOfProposal(ctx, p.ID))
		langs := map[string]string{}
		for _, sp := range se.Speakers {
			langs[sp.Email] = sp.Lang
		}
		if langs["Sukru@Example.nl"] != "en" || langs["anna@example.nl"] != "nl" {
			t.Errorf("speakers' languages got %v, want the speaker en and the co-speaker nl", langs)
		}

		// Placed and published, then moved: each speaker's e-mail is queued in their language.
		must(s.UpdateSession(ctx, se.ID, models.SessionInput{Title: se.Title, Format: se.Format, SlotCount: se.SlotCount,
			CapacityLimit: se.CapacityLimit, VenueID: f.venue.ID, RoomID: f.big.ID, FirstSlotID: f.s1.ID, Speakers: speakerInputs(se)}))
		must(s.PublishSchedule(ctx, f.event.ID, nil))
		must(s.UpdateSession(ctx, se.ID, models.SessionInput{Title: se.Title, Format: se.Format, SlotCount: se.SlotCount,
			CapacityLimit: se.CapacityLimit, VenueID: f.venue.ID, RoomID: f.big.ID, FirstSlotID: f.s2.ID, Speakers: speakerInputs(se)}))
		must(s.PublishSchedule(ctx, f.event.ID, nil))
		var msgs []models.OutboxMessage
		if err := s.DB().Where("kind = ?", models.MailSpeakerSchedule).Order("recipient").Find(&msgs).Error; err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range msgs {
			got = append(got, m.Recipient+" "+m.Lang)
		}
		if want := []string{"Sukru@Example.nl en", "anna@example.nl nl"}; !slices.Equal(got, want) {
			t.Errorf("speaker e-mails got %q, want %q", got, want)
		}
	})
}

// speakerInputs gives a session's speakers as the session form would send them back.
func speakerInputs(se models.Session) []models.SpeakerInput {
	var out []models.SpeakerInput
	for _, sp := range se.Speakers {
		out = append(out, models.SpeakerInput{Name: sp.Name, Organisation: sp.Organisation})
	}
	return out
}
