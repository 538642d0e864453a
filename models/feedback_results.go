package models

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// The results of the feedback after the day (issue #18): per session for the organisers, the
// speakers (from SpeakerThreshold responses) and the public programme; per question of the
// survey; and a person's own feedback in the export of their data and its erasure. See
// feedback.go.

// SessionResult is one session's feedback in figures: who attended, how many rated it, the
// ratings' distribution and the comments. It never says who gave which.
type SessionResult struct {
	SessionID      uint
	Title, TitleEn string
	VenueID        uint
	Attendees      int
	Responses      int
	// Distribution counts the ratings: [0] the ones, [4] the fives.
	Distribution [5]int
	// Comments are the comments given, oldest first, without names.
	Comments []string
}

// Average is the mean rating, 0 without responses.
func (r SessionResult) Average() float64 {
	if r.Responses == 0 {
		return 0
	}
	sum := 0
	for i, n := range r.Distribution {
		sum += (i + 1) * n
	}
	return float64(sum) / float64(r.Responses)
}

// Visible reports whether enough people responded for a speaker (or the public) to see the
// figures without being able to tell who gave which.
func (r SessionResult) Visible() bool { return r.Responses >= SpeakerThreshold }

// ForSpeaker is what the session's speaker may see: below SpeakerThreshold responses
// nothing but the session.
func (r SessionResult) ForSpeaker() SessionResult {
	if r.Visible() {
		return r
	}
	return SessionResult{SessionID: r.SessionID, Title: r.Title, TitleEn: r.TitleEn, VenueID: r.VenueID}
}

// attendeesQuery counts, per session, the people who attended it as AttendedSessions
// decides: checked in, and scanned at its room's door, or booked in it when they have no
// room scan at all.
const attendeesQuery = `SELECT a.session_id, COUNT(*) AS n FROM (
	SELECT rc.session_id, rc.registration_id FROM room_check_ins rc WHERE ` + checkedIn + `rc.registration_id)
	UNION
	SELECT b.session_id, b.registration_id FROM bookings b WHERE b.status = 'confirmed' AND ` + checkedIn + `b.registration_id)
		AND NOT EXISTS (SELECT 1 FROM room_check_ins x WHERE x.registration_id = b.registration_id)
) a JOIN sessions ON sessions.id = a.session_id WHERE sessions.event_id = ? GROUP BY a.session_id`

// checkedIn, completed with a registration id column and ")", holds for a registration that
// was checked in (and not undone).
const checkedIn = `EXISTS (SELECT 1 FROM check_ins c WHERE c.undone_at IS NULL AND c.registration_id = `

// FeedbackResults returns every placed session of event eventID with its attendees and its
// feedback, by venue and title: everything, comments included, for the organisers.
func (s *Store) FeedbackResults(ctx context.Context, eventID uint) ([]SessionResult, error) {
	return s.feedbackResults(ctx, eventID, 0)
}

// SessionFeedback returns one session's results as its speaker may see them (ForSpeaker).
// It returns ErrNotFound when there is no such session.
func (s *Store) SessionFeedback(ctx context.Context, sessionID uint) (SessionResult, error) {
	var se Session
	if err := s.db.WithContext(ctx).Select("id", "event_id").First(&se, sessionID).Error; err != nil {
		return SessionResult{}, notFound(err, "session", sessionID)
	}
	rs, err := s.feedbackResults(ctx, se.EventID, sessionID)
	if err != nil || len(rs) == 0 {
		return SessionResult{SessionID: sessionID}, err
	}
	return rs[0].ForSpeaker(), nil
}

// feedbackResults is FeedbackResults, for one session only when only is not 0.
func (s *Store) feedbackResults(ctx context.Context, eventID, only uint) ([]SessionResult, error) {
	db := s.db.WithContext(ctx)
	q := db.Model(&Session{}).Where("event_id = ? AND venue_id IS NOT NULL", eventID)
	if only != 0 {
		q = q.Where("id = ?", only)
	}
	var sessions []Session
	if err := q.Order("venue_id, title, id").Find(&sessions).Error; err != nil {
		return nil, fmt.Errorf("feedback results of event %d: %w", eventID, err)
	}
	out := make([]SessionResult, len(sessions))
	at := map[uint]int{}
	for i, se := range sessions {
		out[i] = SessionResult{SessionID: se.ID, Title: se.Title, TitleEn: se.TitleEn, VenueID: *se.VenueID}
		at[se.ID] = i
	}
	var counts []struct {
		SessionID uint
		N         int
	}
	if err := db.Raw(attendeesQuery, eventID).Scan(&counts).Error; err != nil {
		return nil, fmt.Errorf("attendees of event %d: %w", eventID, err)
	}
	for _, c := range counts {
		if i, ok := at[c.SessionID]; ok {
			out[i].Attendees = c.N
		}
	}
	var ratings []SessionRating
	err := db.Joins("JOIN sessions ON sessions.id = session_ratings.session_id").Where("sessions.event_id = ?", eventID).
		Order("session_ratings.created_at, session_ratings.id").Find(&ratings).Error
	if err != nil {
		return nil, fmt.Errorf("ratings of event %d: %w", eventID, err)
	}
	for _, r := range ratings {
		i, ok := at[r.SessionID]
		if !ok || r.Rating < 1 || r.Rating > 5 {
			continue
		}
		out[i].Responses++
		out[i].Distribution[r.Rating-1]++
		if r.Comment != "" {
			out[i].Comments = append(out[i].Comments, r.Comment)
		}
	}
	return out, nil
}

// QuestionResult is one survey question's answers: counts per option (for a scale "1" to
// "5"), or the texts given.
type QuestionResult struct {
	Question  SurveyQuestion
	Responses int
	Counts    []OptionCount
	Texts     []string
}

// OptionCount is how many people gave one answer.
type OptionCount struct {
	Option string
	Count  int
}

// Average is a scale question's mean answer, 0 without answers or for another kind.
func (r QuestionResult) Average() float64 {
	if r.Question.Kind != QuestionScale || r.Responses == 0 {
		return 0
	}
	sum := 0
	for i, c := range r.Counts {
		sum += (i + 1) * c.Count
	}
	return float64(sum) / float64(r.Responses)
}

// SurveyResults returns the answers to event eventID's survey, question by question.
func (s *Store) SurveyResults(ctx context.Context, eventID uint) ([]QuestionResult, error) {
	qs, err := s.SurveyQuestions(ctx, eventID)
	if err != nil {
		return nil, err
	}
	var answers []SurveyAnswer
	err = s.db.WithContext(ctx).Joins("JOIN survey_questions ON survey_questions.id = survey_answers.question_id").
		Where("survey_questions.event_id = ?", eventID).Order("survey_answers.created_at, survey_answers.id").Find(&answers).Error
	if err != nil {
		return nil, fmt.Errorf("survey answers of event %d: %w", eventID, err)
	}
	out := make([]QuestionResult, len(qs))
	at := map[uint]int{}
	for i, q := range qs {
		out[i].Question = q
		at[q.ID] = i
		switch q.Kind {
		case QuestionScale:
			for n := 1; n <= 5; n++ {
				out[i].Counts = append(out[i].Counts, OptionCount{Option: strconv.Itoa(n)})
			}
		case QuestionChoice:
			for _, o := range q.OptionList() {
				out[i].Counts = append(out[i].Counts, OptionCount{Option: o})
			}
		}
	}
	for _, a := range answers {
		r := &out[at[a.QuestionID]]
		r.Responses++
		if r.Question.Kind == QuestionText {
			r.Texts = append(r.Texts, a.Value)
			continue
		}
		if j := slices.IndexFunc(r.Counts, func(c OptionCount) bool { return c.Option == a.Value }); j >= 0 {
			r.Counts[j].Count++
		}
	}
	return out, nil
}

// PublicResult is what the public programme shows of a session once the day is over, when
// the organisers chose to: the attendees, and the average rating from SpeakerThreshold
// responses (Rated is false below that, as for the speaker: the public includes the
// speaker).
type PublicResult struct {
	SessionID, VenueID uint
	Title, TitleEn     string
	Attendees          int
	Responses          int
	Rated              bool
	Average            float64
}

// PublicResults returns event e's public results, by venue and title: none unless the
// organisers made them public and the event day is over. It returns ErrNotFound when there
// is no such event.
func (s *Store) PublicResults(ctx context.Context, e Event) ([]PublicResult, error) {
	set, err := s.FeedbackSettings(ctx, e.ID)
	if err != nil || !set.ResultsPublic || s.now().Before(FeedbackOpens(e)) {
		return nil, err
	}
	rs, err := s.FeedbackResults(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	out := make([]PublicResult, len(rs))
	for i, r := range rs {
		out[i] = PublicResult{SessionID: r.SessionID, VenueID: r.VenueID, Title: r.Title, TitleEn: r.TitleEn,
			Attendees: r.Attendees, Responses: r.Responses, Rated: r.Visible()}
		if out[i].Rated {
			out[i].Average = r.Average()
		}
	}
	return out, nil
}

// ExportRating is one of a person's ratings in the export of their data.
type ExportRating struct {
	SessionID uint      `json:"session_id"`
	Title     string    `json:"title"`
	Rating    int       `json:"rating"`
	Comment   string    `json:"comment,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ExportAnswer is one of a person's survey answers in the export of their data.
type ExportAnswer struct {
	Question  string    `json:"question"`
	Answer    string    `json:"answer"`
	UpdatedAt time.Time `json:"updated_at"`
}

// exportFeedback reads registration regID's own ratings and answers.
func exportFeedback(db *gorm.DB, regID uint) ([]ExportRating, []ExportAnswer, error) {
	var ratings []SessionRating
	if err := db.Preload("Session").Where("registration_id = ?", regID).Order("id").Find(&ratings).Error; err != nil {
		return nil, nil, err
	}
	var answers []SurveyAnswer
	if err := db.Preload("Question").Where("registration_id = ?", regID).Order("id").Find(&answers).Error; err != nil {
		return nil, nil, err
	}
	var rs []ExportRating
	for _, r := range ratings {
		rs = append(rs, ExportRating{SessionID: r.SessionID, Title: r.Session.Title, Rating: r.Rating, Comment: r.Comment, UpdatedAt: r.UpdatedAt.UTC()})
	}
	var as []ExportAnswer
	for _, a := range answers {
		as = append(as, ExportAnswer{Question: a.Question.Text, Answer: a.Value, UpdatedAt: a.UpdatedAt.UTC()})
	}
	return rs, as, nil
}

// eraseFeedback removes what an erased person wrote in their own words: the comments and
// the answers to text questions may name or describe them. The ratings and the answers on a
// scale or a choice stay, without a link to follow, as the figures stay true (as an erased
// attendee's seats do); the feedback links go with the other personal links.
func eraseFeedback(tx *gorm.DB, regID uint, now time.Time) error {
	if err := tx.Where("registration_id = ?", regID).Delete(&FeedbackToken{}).Error; err != nil {
		return err
	}
	if err := tx.Model(&SessionRating{}).Where("registration_id = ? AND comment <> ''", regID).
		Updates(map[string]any{"comment": "", "updated_at": now}).Error; err != nil {
		return err
	}
	return tx.Where("registration_id = ? AND question_id IN (?)", regID,
		tx.Model(&SurveyQuestion{}).Select("id").Where("kind = ?", QuestionText)).Delete(&SurveyAnswer{}).Error
}
