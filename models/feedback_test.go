package models_test

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// feedbackFixture is an event on 3 February 2027 (Amsterdam) with two sessions and four
// attendees: Anna and Bert checked in, Carla not, Dirk checked in and then undone.
type feedbackFixture struct {
	fixture
	morning, noon           models.Session
	anna, bert, carla, dirk models.RegistrationResult
}

func newFeedbackFixture(t *testing.T, s *models.Store) feedbackFixture {
	t.Helper()
	f := feedbackFixture{fixture: newFixture(t, s)}
	f.morning = session(t, s, f.fixture, "Ochtend", f.big, f.s1, 1, 0)
	f.noon = session(t, s, f.fixture, "Middag", f.small, f.s2, 1, 0)
	f.anna = modelstest.Attendee(t, s, "zwolle", f.morning.ID, f.noon.ID)
	f.bert = modelstest.Attendee(t, s, "zwolle", f.morning.ID)
	f.carla = modelstest.Attendee(t, s, "zwolle", f.morning.ID)
	f.dirk = modelstest.Attendee(t, s, "zwolle", f.noon.ID)
	for _, r := range []models.RegistrationResult{f.anna, f.bert, f.dirk} {
		must(s.CheckIn(ctx, models.CheckInInput{VenueID: f.venue.ID, RegistrationID: r.Registration.ID, Door: "Hoofdingang"}))
	}
	modelstest.Update(t, s, &models.CheckIn{}, modelstest.Where("registration_id = ?", f.dirk.Registration.ID),
		map[string]any{"undone_at": time.Now().UTC()})
	return f
}

// at sets the store's clock to a wall-clock time in Amsterdam.
func at(s *models.Store, day string, clock string) {
	loc, _ := time.LoadLocation(models.DefaultTimezone)
	t, err := time.ParseInLocation("2006-01-02 15:04", day+" "+clock, loc)
	if err != nil {
		panic(err)
	}
	s.SetClock(func() time.Time { return t })
}

func feedbackMails(t *testing.T, s *models.Store) []uint {
	t.Helper()
	var ids []uint
	for _, m := range modelstest.OutboxMessages(t, s) {
		if m.Kind == models.MailFeedback {
			ids = append(ids, *m.RegistrationID)
		}
	}
	slices.Sort(ids)
	return ids
}

// Only the people checked in (and not undone) get the feedback e-mail, the day after the
// event and not before, and only once however often the job runs.
func TestFeedbackMailGoesOnceToThoseCheckedIn(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFeedbackFixture(t, s)
		at(s, "2027-02-03", "23:59")
		if n := must(s.SendFeedbackMails(ctx, f.event.ID)); n != 0 || len(feedbackMails(t, s)) != 0 {
			t.Fatalf("on the event day: %d queued, want none", n)
		}
		at(s, "2027-02-04", "00:00")
		if n := must(s.SendFeedbackMails(ctx, f.event.ID)); n != 2 {
			t.Errorf("the day after: %d queued, want 2", n)
		}
		want := []uint{f.anna.Registration.ID, f.bert.Registration.ID}
		slices.Sort(want)
		if got := feedbackMails(t, s); !slices.Equal(got, want) {
			t.Errorf("feedback e-mails to %v, want %v (Anna and Bert)", got, want)
		}
		at(s, "2027-02-05", "09:00")
		for range 3 {
			if err := s.RunFeedbackJob(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if n := must(s.SendFeedbackMails(ctx, f.event.ID)); n != 0 {
			t.Errorf("again: %d queued, want 0", n)
		}
		if got := feedbackMails(t, s); len(got) != 2 {
			t.Errorf("after the job ran again: %d feedback e-mails, want 2", len(got))
		}
		if set := must(s.FeedbackSettings(ctx, f.event.ID)); set.MailedAt == nil {
			t.Error("the event has no marker of the feedback e-mail")
		}
	})
}

// The form is only for people who were checked in: a link of anyone else, or an unknown
// one, finds nothing.
func TestFeedbackFormOnlyForThoseCheckedIn(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFeedbackFixture(t, s)
		at(s, "2027-02-04", "10:00")
		for name, r := range map[string]models.RegistrationResult{"Carla (not checked in)": f.carla, "Dirk (undone)": f.dirk} {
			tok := must(s.NewFeedbackToken(ctx, r.Registration.ID))
			if _, err := s.FeedbackByToken(ctx, tok); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("%s: FeedbackByToken = %v, want ErrNotFound", name, err)
			}
			err := s.SubmitFeedback(ctx, tok, models.FeedbackInput{Ratings: map[uint]models.RatingInput{f.morning.ID: {Rating: 5}}})
			if !errors.Is(err, models.ErrNotFound) {
				t.Errorf("%s: SubmitFeedback = %v, want ErrNotFound", name, err)
			}
		}
		if _, err := s.FeedbackByToken(ctx, "onbekend"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("unknown token: %v, want ErrNotFound", err)
		}
		fb := must(s.FeedbackByToken(ctx, must(s.NewFeedbackToken(ctx, f.anna.Registration.ID))))
		if !fb.Open || len(fb.Sessions) != 2 || fb.Sessions[0].Title != "Ochtend" || fb.Sessions[1].Title != "Middag" {
			t.Errorf("Anna's form: open %v, sessions %+v; want open, Ochtend and Middag", fb.Open, fb.Sessions)
		}
		if n := modelstest.Count(t, s, &models.SessionRating{}, modelstest.Q{}); n != 0 {
			t.Errorf("%d ratings stored, want none", n)
		}
	})
}

// A second submission changes the first: one rating per person per session, one answer per
// question; an emptied answer goes.
func TestFeedbackOneResponsePerPersonPerSession(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFeedbackFixture(t, s)
		q := must(s.CreateSurveyQuestion(ctx, f.event.ID, models.SurveyQuestionInput{Kind: models.QuestionText, Text: "Tips?"}))
		at(s, "2027-02-04", "10:00")
		tok := must(s.NewFeedbackToken(ctx, f.anna.Registration.ID))
		in := models.FeedbackInput{Ratings: map[uint]models.RatingInput{f.morning.ID: {Rating: 2, Comment: "Te kort"}},
			Answers: map[uint]string{q.ID: "Meer koffie"}}
		if err := s.SubmitFeedback(ctx, tok, in); err != nil {
			t.Fatal(err)
		}
		in = models.FeedbackInput{Ratings: map[uint]models.RatingInput{f.morning.ID: {Rating: 4}, f.noon.ID: {Rating: 5}},
			Answers: map[uint]string{q.ID: " "}}
		if err := s.SubmitFeedback(ctx, tok, in); err != nil {
			t.Fatal(err)
		}
		fb := must(s.FeedbackByToken(ctx, tok))
		if n := modelstest.Count(t, s, &models.SessionRating{}, modelstest.Where("registration_id = ?", f.anna.Registration.ID)); n != 2 {
			t.Errorf("%d ratings, want 2 (one per session)", n)
		}
		if r := fb.Ratings[f.morning.ID]; r.Rating != 4 || r.Comment != "" {
			t.Errorf("Ochtend = %+v, want 4 without a comment", r)
		}
		if _, ok := fb.Answers[q.ID]; ok || modelstest.Count(t, s, &models.SurveyAnswer{}, modelstest.Q{}) != 0 {
			t.Errorf("the emptied answer stayed: %v", fb.Answers)
		}
	})
}

// The feedback stays open for 14 days after the event day, to the minute, then closes.
func TestFeedbackWindowClosesAfterFourteenDays(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFeedbackFixture(t, s)
		at(s, "2027-02-04", "10:00")
		tok := must(s.NewFeedbackToken(ctx, f.anna.Registration.ID))
		rate := func(n int) error {
			return s.SubmitFeedback(ctx, tok, models.FeedbackInput{Ratings: map[uint]models.RatingInput{f.morning.ID: {Rating: n}}})
		}
		at(s, "2027-02-17", "23:59")
		if err := rate(3); err != nil {
			t.Fatalf("on the 14th day: %v", err)
		}
		at(s, "2027-02-18", "00:00")
		if err := rate(1); !errors.Is(err, models.ErrFeedbackClosed) {
			t.Errorf("on the 15th day: %v, want ErrFeedbackClosed", err)
		}
		fb := must(s.FeedbackByToken(ctx, tok))
		if fb.Open || fb.Ratings[f.morning.ID].Rating != 3 {
			t.Errorf("closed form: open %v, rating %d; want closed with 3", fb.Open, fb.Ratings[f.morning.ID].Rating)
		}
		at(s, "2027-02-03", "18:00")
		if err := rate(1); !errors.Is(err, models.ErrFeedbackClosed) {
			t.Errorf("on the event day itself: %v, want ErrFeedbackClosed", err)
		}
		at(s, "2027-02-18", "00:00")
		if n := must(s.SendFeedbackMails(ctx, f.event.ID)); n != 0 {
			t.Errorf("after the window: %d e-mails queued, want none", n)
		}
	})
}

// Bad input is refused with a key per field and nothing is written, not even the valid part.
func TestFeedbackBadInputWritesNothing(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFeedbackFixture(t, s)
		scale := must(s.CreateSurveyQuestion(ctx, f.event.ID, models.SurveyQuestionInput{Kind: models.QuestionScale, Text: "Hoe was de dag?"}))
		choice := must(s.CreateSurveyQuestion(ctx, f.event.ID, models.SurveyQuestionInput{Kind: models.QuestionChoice,
			Text: "Kom je terug?", Options: "Ja\nNee\n"}))
		at(s, "2027-02-04", "10:00")
		tok := must(s.NewFeedbackToken(ctx, f.bert.Registration.ID))
		cases := []struct {
			name  string
			in    models.FeedbackInput
			field string
			key   string
		}{
			{"rating 6", models.FeedbackInput{Ratings: map[uint]models.RatingInput{f.morning.ID: {Rating: 6}}}, models.RatingField(f.morning.ID), "feedback.rating_range"},
			{"not attended", models.FeedbackInput{Ratings: map[uint]models.RatingInput{f.noon.ID: {Rating: 4}}}, models.RatingField(f.noon.ID), "feedback.unknown_session"},
			{"comment alone", models.FeedbackInput{Ratings: map[uint]models.RatingInput{f.morning.ID: {Comment: "Mooi"}}}, models.RatingField(f.morning.ID), "feedback.rating_with_comment"},
			{"comment too long", models.FeedbackInput{Ratings: map[uint]models.RatingInput{f.morning.ID: {Rating: 4, Comment: strings.Repeat("a", 1001)}}}, models.CommentField(f.morning.ID), "form.too_long"},
			{"scale 0", models.FeedbackInput{Ratings: map[uint]models.RatingInput{f.morning.ID: {Rating: 5}}, Answers: map[uint]string{scale.ID: "0"}}, models.AnswerField(scale.ID), "feedback.rating_range"},
			{"unknown option", models.FeedbackInput{Ratings: map[uint]models.RatingInput{f.morning.ID: {Rating: 5}}, Answers: map[uint]string{choice.ID: "Misschien"}}, models.AnswerField(choice.ID), "form.invalid_choice"},
			{"unknown question", models.FeedbackInput{Answers: map[uint]string{99999: "x"}}, models.AnswerField(99999), "feedback.unknown_question"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				wantProblem(t, s.SubmitFeedback(ctx, tok, tc.in), tc.field, tc.key)
			})
		}
		if n := modelstest.Count(t, s, &models.SessionRating{}, modelstest.Q{}) + modelstest.Count(t, s, &models.SurveyAnswer{}, modelstest.Q{}); n != 0 {
			t.Errorf("%d rows written by refused input, want none", n)
		}
	})
}

// Speakers see nothing of their session below three responses, not even the count; from three on
// the average, the distribution and the comments, never a name.
func TestSpeakersSeeResultsFromThreeResponses(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFeedbackFixture(t, s)
		var people []models.RegistrationResult
		for range 3 {
			r := modelstest.Attendee(t, s, "zwolle", f.morning.ID)
			must(s.CheckIn(ctx, models.CheckInInput{VenueID: f.venue.ID, RegistrationID: r.Registration.ID, Door: "Hoofdingang"}))
			people = append(people, r)
		}
		at(s, "2027-02-04", "10:00")
		for i, r := range people {
			got := must(s.SessionFeedback(ctx, f.morning.ID))
			if got.Responses != 0 || got.Visible() || got.Average() != 0 || got.Comments != nil || got.Distribution != [5]int{} {
				t.Errorf("after %d responses the speaker sees %+v, want nothing", i, got)
			}
			tok := must(s.NewFeedbackToken(ctx, r.Registration.ID))
			in := models.FeedbackInput{Ratings: map[uint]models.RatingInput{f.morning.ID: {Rating: 3 + i%2*2, Comment: "Punt " + strconv.Itoa(i)}}}
			if err := s.SubmitFeedback(ctx, tok, in); err != nil {
				t.Fatal(err)
			}
		}
		got := must(s.SessionFeedback(ctx, f.morning.ID))
		if !got.Visible() || got.Responses != 3 || got.Distribution != [5]int{0, 0, 2, 0, 1} ||
			!slices.Equal(got.Comments, []string{"Punt 0", "Punt 1", "Punt 2"}) {
			t.Errorf("after 3 responses: %+v, want 3, two 3s and a 5, three comments", got)
		}
		if avg := got.Average(); avg < 3.66 || avg > 3.67 {
			t.Errorf("average = %v, want 3.67", avg)
		}
		all := must(s.FeedbackResults(ctx, f.event.ID))
		i := slices.IndexFunc(all, func(r models.SessionResult) bool { return r.SessionID == f.morning.ID })
		// Anna, Bert (Carla and Dirk not admitted) and the three: five attended.
		if i < 0 || all[i].Attendees != 5 {
			t.Errorf("organisers' results for Ochtend: %+v, want 5 attendees", all)
		}
	})
}

// The organisers' survey: questions are added in order, moved, checked, kept from changing
// kind once answered, and removed with their answers.
func TestSurveyQuestions(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFeedbackFixture(t, s)
		_, err := s.CreateSurveyQuestion(ctx, f.event.ID, models.SurveyQuestionInput{Kind: models.QuestionChoice, Text: "Kom je terug?", Options: "Ja"})
		wantProblem(t, err, "options", "feedback.question.options_needed")
		_, err = s.CreateSurveyQuestion(ctx, f.event.ID, models.SurveyQuestionInput{Kind: "kleur", Text: ""})
		wantProblem(t, err, "kind", "form.invalid_choice")
		wantProblem(t, err, "text", "form.required")
		a := must(s.CreateSurveyQuestion(ctx, f.event.ID, models.SurveyQuestionInput{Kind: models.QuestionScale, Text: "Hoe was de dag?", TextEn: "How was the day?"}))
		b := must(s.CreateSurveyQuestion(ctx, f.event.ID, models.SurveyQuestionInput{Kind: models.QuestionChoice, Text: "Kom je terug?", Options: "Ja\n\nNee"}))
		if b.OptionList()[1] != "Nee" || a.TextIn("en") != "How was the day?" {
			t.Errorf("options %q, English %q", b.OptionList(), a.TextIn("en"))
		}
		if err := s.MoveSurveyQuestion(ctx, f.event.ID, b.ID, -1); err != nil {
			t.Fatal(err)
		}
		qs := must(s.SurveyQuestions(ctx, f.event.ID))
		if len(qs) != 2 || qs[0].ID != b.ID || qs[1].ID != a.ID {
			t.Errorf("after moving up: %v, want b then a", qs)
		}
		at(s, "2027-02-04", "10:00")
		tok := must(s.NewFeedbackToken(ctx, f.anna.Registration.ID))
		if err := s.SubmitFeedback(ctx, tok, models.FeedbackInput{Answers: map[uint]string{a.ID: "4", b.ID: "Ja"}}); err != nil {
			t.Fatal(err)
		}
		_, err = s.UpdateSurveyQuestion(ctx, f.event.ID, a.ID, models.SurveyQuestionInput{Kind: models.QuestionText, Text: "Hoe was de dag?"})
		wantProblem(t, err, "kind", "feedback.question.kind_answered")
		_, err = s.UpdateSurveyQuestion(ctx, f.event.ID, b.ID, models.SurveyQuestionInput{Kind: models.QuestionChoice, Text: "Kom je terug?", Options: "Zeker\nNee"})
		wantProblem(t, err, "options", "feedback.question.option_answered")
		res := must(s.SurveyResults(ctx, f.event.ID))
		if res[0].Responses != 1 || res[0].Counts[0] != (models.OptionCount{Option: "Ja", Count: 1}) || res[1].Average() != 4 {
			t.Errorf("survey results: %+v", res)
		}
		if _, err := s.SurveyQuestion(ctx, f.event.ID+1000, a.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("another event's question: %v, want ErrNotFound", err)
		}
		if err := s.DeleteSurveyQuestion(ctx, f.event.ID, a.ID); err != nil {
			t.Fatal(err)
		}
		if n := modelstest.Count(t, s, &models.SurveyAnswer{}, modelstest.Q{}); n != 1 {
			t.Errorf("%d answers after removing a question, want 1", n)
		}
		for action, want := range map[string]int64{models.ActionSurveyQuestionCreated: 2, models.ActionSurveyQuestionMoved: 1,
			models.ActionSurveyQuestionUpdated: 0, models.ActionSurveyQuestionDeleted: 1} {
			if n := modelstest.Count(t, s, &models.AuditEntry{}, modelstest.Where("action = ? AND subject_id = ?", action, f.event.ID)); n != want {
				t.Errorf("%d audit entries %s, want %d", n, action, want)
			}
		}
	})
}

// A person's export holds their own feedback; erasing them keeps the ratings as figures but
// removes their own words and their feedback links.
func TestFeedbackInExportAndErasure(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFeedbackFixture(t, s)
		text := must(s.CreateSurveyQuestion(ctx, f.event.ID, models.SurveyQuestionInput{Kind: models.QuestionText, Text: "Tips?"}))
		scale := must(s.CreateSurveyQuestion(ctx, f.event.ID, models.SurveyQuestionInput{Kind: models.QuestionScale, Text: "Hoe was de dag?"}))
		at(s, "2027-02-04", "10:00")
		tok := must(s.NewFeedbackToken(ctx, f.anna.Registration.ID))
		in := models.FeedbackInput{Ratings: map[uint]models.RatingInput{f.noon.ID: {Rating: 5, Comment: "Ik, Anna, vond het top"}},
			Answers: map[uint]string{text.ID: "Bel me: 06-12345678", scale.ID: "4"}}
		if err := s.SubmitFeedback(ctx, tok, in); err != nil {
			t.Fatal(err)
		}
		ex := must(s.ExportRegistration(ctx, f.anna.Registration.ID))
		if len(ex.Ratings) != 1 || ex.Ratings[0].Title != "Middag" || ex.Ratings[0].Rating != 5 || ex.Ratings[0].Comment != "Ik, Anna, vond het top" ||
			len(ex.SurveyAnswers) != 2 {
			t.Errorf("export: ratings %+v, answers %+v", ex.Ratings, ex.SurveyAnswers)
		}
		must(s.EraseRegistration(ctx, f.anna.Registration.ID))
		if _, err := s.FeedbackByToken(ctx, tok); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("the feedback link after erasure: %v, want ErrNotFound", err)
		}
		res := must(s.FeedbackResults(ctx, f.event.ID))
		i := slices.IndexFunc(res, func(r models.SessionResult) bool { return r.SessionID == f.noon.ID })
		if res[i].Responses != 1 || res[i].Distribution[4] != 1 || len(res[i].Comments) != 0 {
			t.Errorf("after erasure Middag has %+v, want the 5 without its comment", res[i])
		}
		survey := must(s.SurveyResults(ctx, f.event.ID))
		if survey[0].Responses != 0 || survey[1].Responses != 1 {
			t.Errorf("after erasure: text answers %d, scale answers %d; want 0 and 1", survey[0].Responses, survey[1].Responses)
		}
	})
}

// The public results: nothing until the organisers choose them and the day is over; then per
// session the attendees, and the average from three responses.
func TestPublicResults(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFeedbackFixture(t, s)
		at(s, "2027-02-04", "10:00")
		if got := must(s.PublicResults(ctx, f.event)); len(got) != 0 {
			t.Errorf("not public: %v, want nothing", got)
		}
		if err := s.SetResultsPublic(ctx, f.event.ID, true); err != nil {
			t.Fatal(err)
		}
		if n := modelstest.Count(t, s, &models.AuditEntry{}, modelstest.Where("action = ?", models.ActionResultsPublic)); n != 1 {
			t.Errorf("%d audit entries of making the results public, want 1", n)
		}
		at(s, "2027-02-03", "17:00")
		if got := must(s.PublicResults(ctx, f.event)); len(got) != 0 {
			t.Errorf("on the day itself: %v, want nothing", got)
		}
		at(s, "2027-02-04", "10:00")
		tok := must(s.NewFeedbackToken(ctx, f.anna.Registration.ID))
		if err := s.SubmitFeedback(ctx, tok, models.FeedbackInput{Ratings: map[uint]models.RatingInput{f.morning.ID: {Rating: 5}}}); err != nil {
			t.Fatal(err)
		}
		got := map[uint]models.PublicResult{}
		for _, r := range must(s.PublicResults(ctx, f.event)) {
			got[r.SessionID] = r
		}
		if m := got[f.morning.ID]; m.Attendees != 2 || m.Responses != 1 || m.Rated || m.Average != 0 {
			t.Errorf("Ochtend: %+v, want 2 attendees and no average from one response", m)
		}
		if n := got[f.noon.ID]; n.Attendees != 1 {
			t.Errorf("Middag: %+v, want 1 attendee (Anna; Dirk was undone)", n)
		}
	})
}
