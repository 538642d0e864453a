package mail

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

func TestBallotTemplateRenders(t *testing.T) {
	for _, d := range []ballotData{{Event: "Dag van de Test", Link: "https://dagplanner.example/stemmen/stembiljet/tok", Limit: 5,
		Closes: "woensdag 20 januari 2027, 17:00"}, {}} {
		for _, lang := range Langs {
			subject, text, err := render(lang, models.MailBallot, d)
			if err != nil {
				t.Fatalf("%s: render: %v", lang, err)
			}
			if subject == "" || strings.Contains(subject+text, "<no value>") {
				t.Errorf("%s: got\n%s\n\n%s", lang, subject, text)
			}
			if d.Link != "" && (!strings.Contains(text, d.Link+"\n") || !strings.Contains(text, d.Closes)) {
				t.Errorf("%s: the text lacks the link or the closing time:\n%s", lang, text)
			}
		}
	}
}

var ballotLink = regexp.MustCompile(`https://dagplanner\.example/stemmen/stembiljet/([A-Za-z0-9_-]{43})\n`)

func TestComposeBallotMail(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s) // the clock is at 20 January 2027
		must(s.UpdateEvent(ctx, f.event.ID, models.EventInput{Name: f.event.Name, Date: f.event.Date, Timezone: models.DefaultTimezone,
			VotingEnabled: true, VotingOpensAt: "2027-01-10T09:00", VotingClosesAt: "2027-01-25T17:00", VotesPerVoter: 4}))
		for _, tc := range []struct{ lang, email, subject, closes, limit string }{
			{"nl", "Anna@Example.nl", "Je stembiljet voor Dag van de Test", "maandag 25 januari 2027, 17:00", "ten hoogste 4"},
			{"en", "bram@example.org", "Your ballot for Dag van de Test", "Monday 25 January 2027, 17:00", "up to 4"},
		} {
			if err := s.RequestBallot(ctx, tc.email, tc.lang); err != nil {
				t.Fatalf("RequestBallot: %v", err)
			}
			msgs := outbox(t, s)
			msg := msgs[len(msgs)-1]
			if msg.Kind != models.MailBallot || msg.Recipient != tc.email || msg.Lang != tc.lang {
				t.Fatalf("outbox holds %s to %s in %s, want a ballot to %s in %s", msg.Kind, msg.Recipient, msg.Lang, tc.email, tc.lang)
			}
			c := &Composer{Store: s, BaseURL: "https://dagplanner.example/"}
			m := must(c.Compose(ctx, msg))
			if m.To != tc.email || m.Subject != tc.subject || m.Headers["Content-Language"] != tc.lang {
				t.Errorf("mail to %q subject %q headers %v", m.To, m.Subject, m.Headers)
			}
			contains(t, tc.lang+" ballot mail", m.Text, tc.closes, tc.limit)
			link := ballotLink.FindStringSubmatch(m.Text)
			if link == nil {
				t.Fatalf("no ballot link in\n%s", m.Text)
			}
			v, err := s.VerifyVoter(ctx, link[1])
			if err != nil || v.ID == 0 || v.EventID != f.event.ID {
				t.Errorf("the ballot link finds voter %+v (%v), want a voter of event %d", v, err, f.event.ID)
			}
			// Each e-mail gets a fresh link; the outbox never holds it.
			again := must(c.Compose(ctx, msg))
			if l := ballotLink.FindStringSubmatch(again.Text); l == nil || l[1] == link[1] || strings.Contains(msg.Payload, link[1]) {
				t.Errorf("composing again gave link %v, want a fresh one", l)
			}
		}
	})
}

// TestMessageToVotersWhoWantToHear: a message to voters reaches, through a real SMTP server,
// those who asked to hear about the vote, in their language, saying why they get it; after
// voting closes a queued one is not sent.
func TestMessageToVotersWhoWantToHear(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s) // the clock is at 20 January 2027
		must(s.UpdateEvent(ctx, f.event.ID, models.EventInput{Name: f.event.Name, Date: f.event.Date, Timezone: models.DefaultTimezone,
			VotingEnabled: true, VotingOpensAt: "2027-01-10T09:00", VotingClosesAt: "2027-01-25T17:00", VotesPerVoter: 4}))
		for _, v := range []struct{ email, lang string }{{"anna@example.nl", "nl"}, {"bram@example.org", "en"}, {"stil@example.nl", "nl"}} {
			must(0, s.RequestBallot(ctx, v.email, v.lang))
			if v.email != "stil@example.nl" {
				must(0, s.KeepVoterInformed(ctx, v.email, v.lang))
			}
		}
		must(s.DiscardPendingMail(ctx, "test: the ballots are not what is tested"))
		voters := models.Audience{Kind: models.AudienceVoters}
		m := must(s.CreateMessage(ctx, f.event.ID, organiser, models.MessageInput{Audience: voters,
			SubjectNL: "Stemmen sluit bijna", BodyNL: "Stem nog voor {evenement}.", SubjectEN: "Voting closes soon", BodyEN: "Vote for {event}."}))
		if n := must(s.SendMessage(ctx, organiser, m.ID, 2)); n != 2 {
			t.Fatalf("queued %d, want 2", n)
		}
		srv := startSMTP(t)
		w := newWorker(t, s, srv, nil)
		f.clock.Advance(time.Minute)
		if n := deliverAll(t, w); n != 2 {
			t.Fatalf("delivered %d, want 2", n)
		}
		got := map[string]string{}
		for _, r := range srv.Messages() {
			_, text := plainText(t, r.Data)
			got[r.To[0]] = text
		}
		contains(t, "Dutch voter", got["anna@example.nl"], "Stem nog voor Dag van de Test.", "We vergeten je adres als de stemming sluit.")
		contains(t, "English voter", got["bram@example.org"], "Vote for Dag van de Test.", "We forget your address when voting closes.")
		if _, ok := got["stil@example.nl"]; ok || len(got) != 2 {
			t.Errorf("e-mails to %v, want anna and bram only", got)
		}

		// A second message, queued just before voting closes, is not sent after it.
		m2 := must(s.CreateMessage(ctx, f.event.ID, organiser, models.MessageInput{Audience: voters,
			SubjectNL: "Laatste kans", BodyNL: "Nu stemmen."}))
		must(s.SendMessage(ctx, organiser, m2.ID, 2))
		f.clock.Advance(5*24*time.Hour + 9*time.Hour) // 25 January, 18:01
		deliverAll(t, w)
		if n := len(srv.Messages()); n != 2 {
			t.Errorf("%d e-mails in all, want still 2: voting had closed", n)
		}
	})
}
