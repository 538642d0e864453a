package models_test

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// reviewFixture is the fixture with an open call, three proposals and three accounts.
type reviewFixture struct {
	fixture
	props                          []models.Proposal
	reviewer1, reviewer2, organist models.User
}

func newReviewFixture(t *testing.T, s *models.Store) reviewFixture {
	t.Helper()
	f := reviewFixture{fixture: newFixture(t, s)}
	openCall(t, s, f.fixture)
	for _, title := range []string{"Open data", "Schrijven op B1", "Zaken doen"} {
		in := proposalInput()
		in.Title, in.CoSpeakers = title, nil
		f.props = append(f.props, must(s.SubmitProposal(ctx, in)).Proposal)
	}
	user := func(email, role string) models.User {
		return must(s.CreateUser(ctx, models.UserInput{Email: email, Password: "een lang wachtwoord", Role: role}))
	}
	f.reviewer1, f.reviewer2 = user("r1@example.nl", models.RoleReviewer), user("r2@example.nl", models.RoleReviewer)
	f.organist = user("org@example.nl", models.RoleOrganiser)
	return f
}

func TestReviewInputValidate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    models.ReviewInput
		field string // "" means valid
	}{
		{"lowest", models.ReviewInput{Score: 1}, ""},
		{"highest with comment", models.ReviewInput{Score: 5, Comment: strings.Repeat("é", 2000)}, ""},
		{"zero", models.ReviewInput{Score: 0}, "score"},
		{"six", models.ReviewInput{Score: 6}, "score"},
		{"negative", models.ReviewInput{Score: -3}, "score"},
		{"comment too long", models.ReviewInput{Score: 3, Comment: strings.Repeat("a", 2001)}, "comment"},
		{"control character", models.ReviewInput{Score: 3, Comment: "a\x00b"}, "comment"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.in.Validate()
			if tc.field == "" && len(p) != 0 {
				t.Errorf("Validate() = %v, want no problems", p)
			}
			if _, ok := p[tc.field]; tc.field != "" && !ok {
				t.Errorf("Validate() = %v, want a problem on %q", p, tc.field)
			}
		})
	}
}

func TestScoresVisible(t *testing.T) {
	for _, tc := range []struct {
		role     string
		reviewed bool
		want     bool
	}{
		{models.RoleReviewer, false, false},
		{models.RoleReviewer, true, true},
		{models.RoleOrganiser, false, true},
		{models.RoleAdmin, false, true},
		{models.RoleDoor, false, false},
	} {
		if got := models.ScoresVisible(models.User{Role: tc.role}, tc.reviewed); got != tc.want {
			t.Errorf("ScoresVisible(%s, reviewed=%v) = %v, want %v", tc.role, tc.reviewed, got, tc.want)
		}
	}
}

func TestSummarize(t *testing.T) {
	for _, tc := range []struct {
		scores           []int
		mean             float64
		lo, hi, count, d int
	}{
		{nil, 0, 0, 0, 0, 0},
		{[]int{4}, 4, 4, 4, 1, 0},
		{[]int{1, 5, 3}, 3, 1, 5, 3, 4},
		{[]int{2, 3}, 2.5, 2, 3, 2, 1},
	} {
		got := models.Summarize(tc.scores)
		if got.Count != tc.count || math.Abs(got.Mean-tc.mean) > 1e-9 || got.Min != tc.lo || got.Max != tc.hi || got.Spread() != tc.d {
			t.Errorf("Summarize(%v) = %+v (spread %d), want count %d mean %v min %d max %d spread %d",
				tc.scores, got, got.Spread(), tc.count, tc.mean, tc.lo, tc.hi, tc.d)
		}
	}
}

func TestSaveReview(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newReviewFixture(t, s)
		p := f.props[0]
		r := must(s.SaveReview(ctx, p.ID, f.reviewer1.ID, models.ReviewInput{Score: 4, Comment: "<script>x</script>"}))
		if r.Score != 4 || r.Comment != "<script>x</script>" {
			t.Errorf("saved %+v, want score 4 and the comment as typed", r)
		}
		// A second review by the same account replaces the first.
		must(s.SaveReview(ctx, p.ID, f.reviewer1.ID, models.ReviewInput{Score: 2, Comment: "Toch minder."}))
		must(s.SaveReview(ctx, p.ID, f.reviewer2.ID, models.ReviewInput{Score: 5}))
		all := must(s.ReviewsOf(ctx, p.ID))
		if len(all) != 2 || all[0].Score != 2 || all[0].Comment != "Toch minder." || all[0].User.Email != "r1@example.nl" || all[1].Score != 5 {
			t.Errorf("reviews = %+v, want r1's changed review and r2's", all)
		}

		// Scores outside 1–5 and oversized comments are refused and change nothing.
		_, err := s.SaveReview(ctx, p.ID, f.reviewer1.ID, models.ReviewInput{Score: 6})
		wantProblem(t, err, "score", "review.score_range")
		_, err = s.SaveReview(ctx, p.ID, f.reviewer1.ID, models.ReviewInput{Score: 3, Comment: strings.Repeat("x", 2001)})
		wantProblem(t, err, "comment", "form.too_long")
		if r := must(s.ReviewBy(ctx, p.ID, f.reviewer1.ID)); r.Score != 2 {
			t.Errorf("after refused reviews the score is %d, want 2", r.Score)
		}
		// The database refuses an out-of-range score too, even past the validation.
		if err := s.DB().Exec("UPDATE reviews SET score = 9").Error; err == nil {
			t.Error("the database took score 9, want its CHECK to refuse it")
		}

		if _, err := s.SaveReview(ctx, 999999, f.reviewer1.ID, models.ReviewInput{Score: 3}); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("review of an unknown proposal: %v, want ErrNotFound", err)
		}
		must(s.WithdrawProposal(ctx, f.props[1].ID))
		if _, err := s.SaveReview(ctx, f.props[1].ID, f.reviewer1.ID, models.ReviewInput{Score: 3}); !errors.Is(err, models.ErrWithdrawn) {
			t.Errorf("review of a withdrawn proposal: %v, want ErrWithdrawn", err)
		}

		byProposal := must(s.ReviewsOfEvent(ctx, f.event.ID))
		if len(byProposal) != 1 || len(byProposal[p.ID]) != 2 {
			t.Errorf("ReviewsOfEvent = %+v, want the two reviews of proposal %d", byProposal, p.ID)
		}
	})
}

func TestReviewRowsHideScores(t *testing.T) {
	props := []models.Proposal{{ID: 1, Status: models.ProposalSubmitted}, {ID: 2, Status: models.ProposalSubmitted}}
	reviews := map[uint][]models.Review{
		1: {{ProposalID: 1, UserID: 10, Score: 5}, {ProposalID: 1, UserID: 11, Score: 1}},
		2: {{ProposalID: 2, UserID: 10, Score: 4}},
	}
	votes := map[uint]int{2: 7}

	rows := models.ReviewRows(models.User{ID: 11, Role: models.RoleReviewer}, props, reviews, votes)
	if r := rows[0]; !r.Visible || r.Own != 1 || r.Stats.Count != 2 || r.Stats.Mean != 3 || r.Stats.Min != 1 || r.Stats.Max != 5 {
		t.Errorf("reviewer's own reviewed row = %+v, want visible, own 1, mean 3, 1–5", r)
	}
	if r := rows[1]; r.Visible || r.Own != 0 || r.Stats != (models.ReviewStats{Count: 1}) || r.Votes != 7 {
		t.Errorf("reviewer's unreviewed row = %+v, want hidden with only the count 1, votes 7", r)
	}
	rows = models.ReviewRows(models.User{ID: 99, Role: models.RoleOrganiser}, props, reviews, votes)
	if r := rows[1]; !r.Visible || r.Stats.Mean != 4 {
		t.Errorf("organiser's row = %+v, want visible with mean 4", r)
	}
}

func TestReviewFilter(t *testing.T) {
	zwolle := models.ProposalVenue{Venue: models.Venue{Slug: "zwolle"}}
	rows := []models.ReviewRow{
		{Proposal: models.Proposal{ID: 1, Status: models.ProposalSubmitted, Format: "workshop", Track: "Data", Venues: []models.ProposalVenue{zwolle}}},
		{Proposal: models.Proposal{ID: 2, Status: models.ProposalAccepted, Format: "lecture"}},
		{Proposal: models.Proposal{ID: 3, Status: models.ProposalWithdrawn, Format: "workshop", Track: "Data"}},
		{Proposal: models.Proposal{ID: 4, Status: models.ProposalSubmitted, Format: "workshop", Venues: []models.ProposalVenue{{Venue: models.Venue{Slug: "rotterdam"}}}}},
	}
	ids := func(rows []models.ReviewRow) []uint {
		var out []uint
		for _, r := range rows {
			out = append(out, r.Proposal.ID)
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		filter models.ReviewFilter
		want   []uint
	}{
		{"none hides withdrawn", models.ReviewFilter{}, []uint{1, 2, 4}},
		{"withdrawn when asked", models.ReviewFilter{Status: models.ProposalWithdrawn}, []uint{3}},
		{"status", models.ReviewFilter{Status: models.ProposalAccepted}, []uint{2}},
		{"format", models.ReviewFilter{Format: "workshop"}, []uint{1, 4}},
		{"track", models.ReviewFilter{Track: "Data"}, []uint{1}},
		{"no track", models.ReviewFilter{NoTrack: true}, []uint{2, 4}},
		{"venue includes either", models.ReviewFilter{Venue: "zwolle"}, []uint{1, 2}},
		{"combined", models.ReviewFilter{Venue: "rotterdam", Format: "workshop"}, []uint{4}},
	} {
		if got := ids(tc.filter.Filter(rows)); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestSortReviewRows(t *testing.T) {
	rows := []models.ReviewRow{
		{Proposal: models.Proposal{ID: 1, Title: "beta", Status: models.ProposalRejected, Format: "lecture", Track: "Zorg"}, Visible: true, Stats: models.ReviewStats{Count: 2, Mean: 3, Min: 1, Max: 5}, Votes: 4},
		{Proposal: models.Proposal{ID: 2, Title: "Alfa", Status: models.ProposalSubmitted, Format: "workshop"}, Visible: false, Stats: models.ReviewStats{Count: 3}, Votes: 9},
		{Proposal: models.Proposal{ID: 3, Title: "gamma", Status: models.ProposalAccepted, Format: "presentation", Track: "Data"}, Visible: true, Stats: models.ReviewStats{Count: 1, Mean: 4.5, Min: 4, Max: 5}, Votes: 0},
		{Proposal: models.Proposal{ID: 4, Title: "Delta", Status: models.ProposalSubmitted, Format: "workshop"}, Visible: true, Votes: 4},
	}
	for _, tc := range []struct {
		key  string
		desc bool
		want []uint
	}{
		{"title", false, []uint{2, 1, 4, 3}},
		{"title", true, []uint{3, 4, 1, 2}},
		{"status", false, []uint{2, 4, 3, 1}},
		{"format", false, []uint{2, 4, 3, 1}},
		{"track", false, []uint{3, 1, 2, 4}},
		{"track", true, []uint{1, 3, 2, 4}},
		{"mean", false, []uint{1, 3, 2, 4}},
		{"mean", true, []uint{3, 1, 2, 4}}, // hidden (2) and unreviewed (4) last both ways
		{"spread", true, []uint{1, 3, 2, 4}},
		{"reviews", true, []uint{2, 1, 3, 4}},
		{"votes", false, []uint{3, 1, 4, 2}},
		{"votes", true, []uint{2, 1, 4, 3}}, // ties keep submission order
		{"nonsense", false, []uint{1, 2, 3, 4}},
	} {
		got := slices.Clone(rows)
		models.SortReviewRows(got, tc.key, tc.desc)
		var ids []uint
		for _, r := range got {
			ids = append(ids, r.Proposal.ID)
		}
		if !slices.Equal(ids, tc.want) {
			t.Errorf("sort by %s (desc %v) = %v, want %v", tc.key, tc.desc, ids, tc.want)
		}
	}
}

func TestDecideProposal(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newReviewFixture(t, s)
		p := f.props[0]
		for _, status := range []string{models.ProposalAccepted, models.ProposalReserve, models.ProposalRejected} {
			got := must(s.DecideProposal(ctx, p.ID, status, f.organist.ID))
			if got.Status != status || got.DecidedAt == nil || got.DecidedBy == nil || *got.DecidedBy != f.organist.ID {
				t.Errorf("after deciding %s: status %s, decided %v by %v", status, got.Status, got.DecidedAt, got.DecidedBy)
			}
		}
		got := must(s.DecideProposal(ctx, p.ID, models.ProposalSubmitted, f.organist.ID))
		if got.Status != models.ProposalSubmitted || got.DecidedAt != nil || got.DecidedBy != nil {
			t.Errorf("back to undecided: status %s, decided %v by %v, want submitted and no decision", got.Status, got.DecidedAt, got.DecidedBy)
		}

		_, err := s.DecideProposal(ctx, p.ID, models.ProposalConfirmed, f.organist.ID)
		wantProblem(t, err, "status", "form.invalid_choice")
		if _, err := s.DecideProposal(ctx, 999999, models.ProposalAccepted, f.organist.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("deciding an unknown proposal: %v, want ErrNotFound", err)
		}

		withdrawn := must(s.WithdrawProposal(ctx, f.props[1].ID))
		if _, err := s.DecideProposal(ctx, withdrawn.ID, models.ProposalAccepted, f.organist.ID); !errors.Is(err, models.ErrWithdrawn) {
			t.Errorf("deciding a withdrawn proposal: %v, want ErrWithdrawn", err)
		}
		if got := must(s.Proposal(ctx, withdrawn.ID)); got.Status != models.ProposalWithdrawn || got.DecidedAt != nil {
			t.Errorf("refused decision changed the proposal: %s, %v", got.Status, got.DecidedAt)
		}
		for _, answered := range []string{models.ProposalConfirmed, models.ProposalDeclined} {
			id := f.props[2].ID
			if err := s.DB().Model(&models.Proposal{}).Where("id = ?", id).Update("status", answered).Error; err != nil {
				t.Fatal(err)
			}
			if _, err := s.DecideProposal(ctx, id, models.ProposalRejected, f.organist.ID); !errors.Is(err, models.ErrSpeakerAnswered) {
				t.Errorf("deciding a %s proposal: %v, want ErrSpeakerAnswered", answered, err)
			}
			if got := must(s.Proposal(ctx, id)); got.Status != answered {
				t.Errorf("refused decision changed the status to %s, want %s", got.Status, answered)
			}
		}
	})
}

func TestTracks(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newReviewFixture(t, s)
		data := must(s.CreateTrack(ctx, f.event.ID, models.TrackInput{Name: "  Data & <i>AI</i> "}))
		if data.Name != "Data & <i>AI</i>" {
			t.Errorf("track name %q, want it trimmed and otherwise as typed", data.Name)
		}
		zorg := must(s.CreateTrack(ctx, f.event.ID, models.TrackInput{Name: "Zorg"}))
		_, err := s.CreateTrack(ctx, f.event.ID, models.TrackInput{Name: "Zorg"})
		wantProblem(t, err, "name", "track.name_taken")
		_, err = s.CreateTrack(ctx, f.event.ID, models.TrackInput{Name: strings.Repeat("x", 101)})
		wantProblem(t, err, "name", "form.too_long")
		_, err = s.CreateTrack(ctx, f.event.ID, models.TrackInput{Name: "   "})
		wantProblem(t, err, "name", "form.required")
		if n := len(must(s.Tracks(ctx, f.event.ID))); n != 2 {
			t.Errorf("after refused tracks there are %d, want 2", n)
		}

		p := must(s.SetProposalTrack(ctx, f.props[0].ID, data.Name))
		if p.Track != data.Name {
			t.Errorf("proposal track %q, want %q", p.Track, data.Name)
		}
		_, err = s.SetProposalTrack(ctx, f.props[0].ID, "Bestaat niet")
		wantProblem(t, err, "track", "form.invalid_choice")

		// A rename follows into the proposals; a clash with another track changes nothing.
		_, err = s.RenameTrack(ctx, data.ID, models.TrackInput{Name: "Zorg"})
		wantProblem(t, err, "name", "track.name_taken")
		must(s.RenameTrack(ctx, data.ID, models.TrackInput{Name: "Data"}))
		if p := must(s.Proposal(ctx, f.props[0].ID)); p.Track != "Data" {
			t.Errorf("after the rename the proposal's track is %q, want Data", p.Track)
		}
		must(s.SetProposalTrack(ctx, f.props[1].ID, "Zorg"))
		if err := s.DeleteTrack(ctx, zorg.ID); err != nil {
			t.Fatal(err)
		}
		if p := must(s.Proposal(ctx, f.props[1].ID)); p.Track != "" {
			t.Errorf("after deleting its track the proposal has %q, want none", p.Track)
		}
		if err := s.DeleteTrack(ctx, zorg.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("deleting it again: %v, want ErrNotFound", err)
		}
		must(s.WithdrawProposal(ctx, f.props[2].ID))
		if _, err := s.SetProposalTrack(ctx, f.props[2].ID, "Data"); !errors.Is(err, models.ErrWithdrawn) {
			t.Errorf("track of a withdrawn proposal: %v, want ErrWithdrawn", err)
		}
	})
}
