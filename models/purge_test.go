package models_test

import (
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// purgeWorld is the voting fixture after the event: people who registered with needs, one
// checked in, one cancelled, one added by an organiser; votes and a voter's address; a
// rejected proposal of another speaker with a co-speaker and a photo.
type purgeWorld struct {
	votingFixture
	people   []models.Registration
	rejected models.Proposal
	// secrets are texts about the people that must be nowhere after the purge.
	secrets []string
}

func newPurgeWorld(t *testing.T, s *models.Store) purgeWorld {
	t.Helper()
	w := purgeWorld{votingFixture: newVotingFixture(t, s)}
	modelstest.Update(t, s, &models.Event{}, modelstest.Where("id = ?", w.event.ID), map[string]any{ // the call is open again
		"proposals_open_at": time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC), "proposals_close_at": time.Date(2027, 1, 10, 16, 0, 0, 0, time.UTC)})
	in := proposalInput()
	in.Title = "Afgewezen voorstel"
	in.Speaker = models.ProposalSpeaker{Name: "Rinske Afgewezenmans", Email: "rinske.afgewezen@example.nl",
		Organisation: "Waterschap Testvallei", Bio: "Bio van Rinske."}
	in.CoSpeakers = []string{"co.afgewezen@example.nl"}
	w.rejected = must(s.SubmitProposal(ctx, in)).Proposal
	modelstest.SetProposalStatus(t, s, w.rejected.ID, models.ProposalRejected)
	modelstest.Insert(t, s, &models.ProposalPhoto{ProposalID: w.rejected.ID, ContentType: "image/jpeg", Data: []byte("jpeg")})
	w.secrets = append(w.secrets, "Rinske Afgewezenmans", "rinske.afgewezen@example.nl", "co.afgewezen@example.nl", "Bio van Rinske")

	_, token := ballot(t, s, "kiezer@rijksoverheid.nl")
	must(s.CastVotes(ctx, token, []uint{w.proposals[0].ID, w.proposals[1].ID}))
	_, token = ballot(t, s, "kiezer2@rijksoverheid.nl")
	must(s.CastVotes(ctx, token, []uint{w.proposals[1].ID}))
	if err := s.KeepVoterInformed(ctx, "kiezer3@rijksoverheid.nl", "nl"); err != nil {
		t.Fatal(err)
	}
	w.secrets = append(w.secrets, "kiezer@rijksoverheid.nl", "kiezer2@rijksoverheid.nl", "kiezer3@rijksoverheid.nl")
	modelstest.Update(t, s, &models.OutboxMessage{}, modelstest.Where("kind = ? AND recipient = ?", models.MailBallot, "kiezer@rijksoverheid.nl"),
		map[string]any{"sent_at": time.Date(2027, 1, 5, 13, 0, 0, 0, time.UTC)})

	a := session(t, s, w.fixture, "Sessie A", w.big, w.s1, 1, 2)
	b := session(t, s, w.fixture, "Sessie B", w.small, w.s2, 1, 0)
	for i, org := range []string{"Gemeente Zwolle", "Ministerie van Testzaken", "Stichting Iets", "Provincie Overijssel"} {
		reg := models.RegistrationInput{Name: fmt.Sprintf("Purgia Persoon%d", i), Email: fmt.Sprintf("purgia%d@example.nl", i),
			Organisation: org, JobTitle: "Functie van Purgia", Lang: "nl", Venue: "zwolle", Sessions: []uint{a.ID, b.ID}, Consent: true}
		if i != 2 {
			reg.Dietary, reg.Accessibility = fmt.Sprintf("Dieetwens nummer %d", i), fmt.Sprintf("Rolstoelplek nummer %d", i)
			w.secrets = append(w.secrets, reg.Dietary, reg.Accessibility)
		}
		w.secrets = append(w.secrets, reg.Name, reg.Email)
		var r models.Registration
		if i == 3 {
			r = must(s.RegisterFor(ctx, organiser, reg, false)).Registration
		} else {
			r = must(s.Register(ctx, reg)).Registration
		}
		w.people = append(w.people, r)
	}
	if err := s.CancelFor(ctx, organiser, w.people[1].ID, "Belde af namens Purgia"); err != nil {
		t.Fatal(err)
	}
	// An organiser's correction: the old and new name and address go in the audit log.
	p := w.people[2]
	w.people[2] = must(s.UpdateDetails(ctx, organiser, p.ID, models.DetailsInput{Name: "Purgia Hernoemd", Email: "purgia-nieuw@example.nl",
		Organisation: p.Organisation, JobTitle: p.JobTitle}, "Typfout van Purgia"))
	w.secrets = append(w.secrets, "namens Purgia", "Purgia Hernoemd", "purgia-nieuw@example.nl", "Typfout van Purgia")
	must(s.CheckIn(ctx, models.CheckInInput{VenueID: w.venue.ID, RegistrationID: w.people[0].ID, Door: "Hoofdingang"}))
	modelstest.Update(t, s, &models.OutboxMessage{}, modelstest.Where("registration_id = ?", w.people[0].ID),
		map[string]any{"sent_at": time.Date(2027, 1, 5, 13, 0, 0, 0, time.UTC)})
	return w
}

// aggregates are the figures a purge must leave as they are.
type aggregates struct {
	Venues   []models.VenueFigures
	Bookings []bookingCount
	CheckIns int64
	Votes    int
}

func aggregatesOf(t *testing.T, s *models.Store, w purgeWorld) aggregates {
	t.Helper()
	d := must(s.DashboardFigures(ctx, w.event.ID, nil, false))
	for i := range d.Venues {
		d.Venues[i].MailPending, d.Venues[i].MailFailed = 0, 0 // waiting e-mails are withdrawn
	}
	return aggregates{
		Venues:   d.Venues,
		Bookings: bookingCounts(t, s),
		CheckIns: modelstest.Count(t, s, &models.CheckIn{}, modelstest.Where("undone_at IS NULL")),
		Votes:    must(s.VoteCounts(ctx, w.event.ID))[w.proposals[1].ID],
	}
}

type bookingCount struct {
	SessionID uint
	Status    string
	N         int
}

func bookingCounts(t *testing.T, s *models.Store) []bookingCount {
	t.Helper()
	var out []bookingCount
	if err := s.DB().Raw("SELECT session_id, status, COUNT(*) AS n FROM bookings GROUP BY session_id, status ORDER BY session_id, status").
		Scan(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

// itemOf returns the report's item of a category, and whether there is one.
func itemOf(rep models.PurgeReport, category string) (models.PurgeItem, bool) {
	for _, it := range rep.Items {
		if it.Category == category {
			return it, true
		}
	}
	return models.PurgeItem{}, false
}

func counts(it models.PurgeItem) map[string]int64 {
	out := map[string]int64{}
	for _, c := range it.Counts {
		out[c.What] = c.N
	}
	return out
}

// TestPurge walks the retention periods' ends with a frozen clock: one second before each,
// its category does nothing; at it, the dry run reports what the real run then does, and a
// second run does nothing. Afterwards the figures are as they were, nothing of the people is
// left, and the audit log is sound and names each category's work.
func TestPurge(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		w := newPurgeWorld(t, s)
		before := aggregatesOf(t, s, w)
		e := must(s.Event(ctx, w.event.ID))
		ids := func(rs ...models.Registration) []uint {
			var out []uint
			for _, r := range rs {
				out = append(out, r.ID)
			}
			return out
		}
		p := w.proposals // submitted, accepted, rejected, withdrawn
		steps := []struct {
			category string
			at       time.Time
			ids      []uint
			counts   map[string]int64
		}{
			{models.PurgeVoteContacts, w.closesAt, nil, map[string]int64{"addresses": 1, "ballot_emails_anonymised": 1, "ballot_emails_withdrawn": 1}},
			{models.PurgeNeeds, e.RetentionEnds(7), ids(w.people[0], w.people[1], w.people[3]), map[string]int64{"registrations": 3}},
			{models.PurgeProposals, e.RetentionEnds(30), []uint{p[0].ID, p[2].ID, p[3].ID, w.rejected.ID},
				map[string]int64{"proposals": 4, "votes": 1, "co_speakers": 1, "co_speaker_invitations": 1, "photos": 1}},
			{models.PurgePersonal, e.RetentionEnds(90), ids(w.people...), map[string]int64{"registrations": 4, "links_revoked": 4}},
		}
		for _, step := range steps {
			early := step.at.Add(-time.Second)
			for _, dry := range []bool{true, false} {
				rep := must(s.Purge(ctx, early, dry))
				if it, ok := itemOf(rep, step.category); ok {
					t.Errorf("%s at %v (dry run %v), a second early: %+v, want nothing", step.category, early, dry, it)
				}
			}
			dry := must(s.Purge(ctx, step.at, true))
			done := must(s.Purge(ctx, step.at, false))
			if !dry.DryRun || done.DryRun || !slices.EqualFunc(dry.Items, done.Items, sameItem) {
				t.Errorf("%s: dry run reported %+v, the run did %+v", step.category, dry.Items, done.Items)
			}
			it, ok := itemOf(done, step.category)
			if !ok {
				t.Fatalf("%s at %v: nothing done (%+v)", step.category, step.at, done)
			}
			if !slices.Equal(it.IDs, step.ids) || it.EventID != e.ID || !it.Due.Equal(step.at) {
				t.Errorf("%s: ids %v of event %d due %v, want %v of %d due %v", step.category, it.IDs, it.EventID, it.Due, step.ids, e.ID, step.at)
			}
			got := counts(it)
			for what, n := range step.counts {
				if got[what] != n {
					t.Errorf("%s: %s = %d, want %d (all: %v)", step.category, what, got[what], n, got)
				}
			}
			if again := must(s.Purge(ctx, step.at, false)); len(again.Items) != 0 {
				t.Errorf("%s: a second run did %+v, want nothing", step.category, again.Items)
			}
			if again := must(s.Purge(ctx, step.at.Add(48*time.Hour), true)); len(again.Items) != 0 {
				t.Errorf("%s: two days later the dry run would do %+v, want nothing", step.category, again.Items)
			}
		}

		if after := aggregatesOf(t, s, w); !sameAggregates(before, after) {
			t.Errorf("aggregates changed:\nbefore %+v\nafter  %+v", before, after)
		}
		if traces := must(s.FindTraces(ctx, w.secrets...)); len(traces) != 0 {
			t.Errorf("after the purge the people are still in %v", traces)
		}
		if left := modelstest.Count(t, s, &models.CheckIn{}, modelstest.Where("registration_id = ?", w.people[0].ID)); left != 1 {
			t.Errorf("the check-in is gone (%d left), want it kept as an anonymous row", left)
		}
		for _, p := range w.people {
			got := must(s.Registration(ctx, p.ID))
			if got.Name != "" || got.Email != "" || got.ActiveEmail != nil || got.JobTitle != "" || got.Organisation == p.Organisation ||
				models.OrganisationType(got.Organisation) != models.OrganisationType(p.Organisation) {
				t.Errorf("registration %d after the purge: %+v, want it anonymised (organisation of the type of %q)", p.ID, got, p.Organisation)
			}
		}
		check := must(s.VerifyAudit(ctx))
		if check.Broken != nil || check.Anonymised == 0 {
			t.Errorf("VerifyAudit = %+v, want a sound chain with anonymised entries", check)
		}
		for _, action := range []string{models.ActionRetentionVoteContacts, models.ActionRetentionNeeds,
			models.ActionRetentionProposals, models.ActionRetentionPersonal, models.ActionAuditAnonymised} {
			if n := modelstest.Count(t, s, &models.AuditEntry{}, modelstest.Where("action = ?", action)); n != 1 {
				t.Errorf("%d audit entries %s, want 1", n, action)
			}
		}
	})
}

func sameItem(a, b models.PurgeItem) bool {
	return a.Category == b.Category && a.EventID == b.EventID && a.Due.Equal(b.Due) &&
		slices.Equal(a.IDs, b.IDs) && slices.Equal(a.Counts, b.Counts)
}

func sameAggregates(a, b aggregates) bool {
	if len(a.Venues) != len(b.Venues) || a.CheckIns != b.CheckIns || a.Votes != b.Votes ||
		!slices.Equal(a.Bookings, b.Bookings) {
		return false
	}
	for i := range a.Venues {
		x, y := a.Venues[i], b.Venues[i]
		if !maps.Equal(x.ByOrgType, y.ByOrgType) {
			return false
		}
		x.ByOrgType, y.ByOrgType = nil, nil
		if fmt.Sprint(x) != fmt.Sprint(y) {
			return false
		}
	}
	return true
}
