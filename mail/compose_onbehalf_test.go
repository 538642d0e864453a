package mail

import (
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// TestComposeOnBehalf reads the line that says an organiser did it, in both languages, in
// the e-mails of an organiser's actions, and checks that the attendee's own e-mails lack it.
func TestComposeOnBehalf(t *testing.T) {
	t.Parallel()
	s := modelstest.SQLite(t)
	f := newFixture(t, s)
	c := &Composer{Store: s, BaseURL: "https://dagplanner.example/"}
	by := models.Actor{Kind: models.ActorUser, ID: 1, Name: "org@example.nl"}
	own := must(s.Register(ctx, person("Eva Bos", "eva@example.nl", "nl", f.openData.ID)))
	nl := must(s.RegisterFor(ctx, by, person("Dirk Smit", "dirk@example.nl", "nl", f.openData.ID), false))
	en := must(s.RegisterFor(ctx, by, person("Emma Ray", "emma@example.nl", "en", f.openData.ID), false))
	const nlLine, enLine = "Een organisator van Dag van de Test heeft dit namens je geregeld.", "An organiser of Dag van de Test did this on your behalf."

	m := must(c.Compose(ctx, lastOutbox(t, s, own.Registration.ID, models.MailConfirmation)))
	if strings.Contains(m.Text, "organisator") {
		t.Errorf("the attendee's own confirmation says an organiser did it:\n%s", m.Text)
	}
	m = must(c.Compose(ctx, lastOutbox(t, s, nl.Registration.ID, models.MailConfirmation)))
	contains(t, "nl confirmation on behalf", m.Text, "Hallo Dirk Smit,\n\n"+nlLine+"\n")
	m = must(c.Compose(ctx, lastOutbox(t, s, en.Registration.ID, models.MailConfirmation)))
	contains(t, "en confirmation on behalf", m.Text, "Hello Emma Ray,\n\n"+enLine+"\n")

	must(s.ChangeSessionsFor(ctx, by, nl.Registration.ID, []uint{f.ai.ID}, nil, "telefoon"))
	m = must(c.Compose(ctx, lastOutbox(t, s, nl.Registration.ID, models.MailChanged)))
	contains(t, "nl changed on behalf", m.Text, nlLine, "AI en de Woo")
	must(0, s.ResendLinkFor(ctx, by, en.Registration.ID))
	m = must(c.Compose(ctx, lastOutbox(t, s, en.Registration.ID, models.MailLink)))
	contains(t, "en link on behalf", m.Text, enLine, "/boeking/")
	must(0, s.CancelFor(ctx, by, en.Registration.ID, ""))
	m = must(c.Compose(ctx, lastOutbox(t, s, en.Registration.ID, models.MailCancelled)))
	contains(t, "en cancelled on behalf", m.Text, enLine)
}
