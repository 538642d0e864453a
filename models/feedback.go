package models

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Feedback after the day (issue #18 point 3): the day after the event everyone who was
// checked in gets one e-mail with a personal link (a FeedbackToken) to rate the sessions
// they attended (AttendedSessions) on 1–5 with an optional comment, and to answer the
// organisers' survey. One rating per person per session and one answer per question, which
// they may change for FeedbackDays days after the event day. Speakers see their session's
// figures only from SpeakerThreshold responses, and never who gave them. Point 5: when the
// organisers make the results public, the programme shows per session the attendees and
// the average rating once the day is over.

// MailFeedback asks a checked-in attendee, once, the day after the event, how it was; its
// UniqueKey ("feedback <registration id>") keeps it to one e-mail per person.
const MailFeedback = "feedback"

// FeedbackDays is how many days after the event day the feedback stays open to change.
const FeedbackDays = 14

// SpeakerThreshold is the fewest responses a speaker sees their session's figures from:
// fewer could tell them who gave which rating.
const SpeakerThreshold = 3

// Limits on what a person types.
const (
	maxFeedbackComment = 1000
	maxQuestionText    = 300
	maxQuestionOptions = 12
	maxOptionLength    = 100
)

// Kinds of survey question.
const (
	QuestionScale  = "scale"  // 1 to 5
	QuestionChoice = "choice" // one of the options
	QuestionText   = "text"   // free text
)

// QuestionKinds lists the kinds in the order the organisers' form offers them.
var QuestionKinds = []string{QuestionScale, QuestionChoice, QuestionText}

// Audit actions of the feedback's settings: the survey's questions and the choice to publish
// the results. Their subject is the event.
const (
	ActionSurveyQuestionCreated = "survey_question.created"
	ActionSurveyQuestionUpdated = "survey_question.updated"
	ActionSurveyQuestionDeleted = "survey_question.deleted"
	ActionSurveyQuestionMoved   = "survey_question.moved"
	ActionResultsPublic         = "feedback.results_public"
)

// auditSurvey writes the audit entry of a change to event eventID's survey.
func (s *Store) auditSurvey(ctx context.Context, tx *gorm.DB, action string, eventID uint, q SurveyQuestion) error {
	return s.audit(ctx, tx, AuditRecord{Action: action, SubjectKind: SubjectEvent, SubjectID: eventID,
		Details: map[string]any{"question": q.ID, "kind": q.Kind, "text": q.Text}})
}

// ErrFeedbackClosed: the feedback can no longer be changed (more than FeedbackDays days
// after the event day), or cannot be given yet.
var ErrFeedbackClosed = errors.New("feedback closed")

// SurveyQuestion is one question of an event's survey, set by the organisers.
type SurveyQuestion struct {
	ID       uint
	EventID  uint   `gorm:"not null;index"`
	Position int    `gorm:"not null;default:0"`
	Kind     string `gorm:"size:10;not null"`
	Text     string `gorm:"size:300;not null"`
	TextEn   string `gorm:"size:300;not null;default:''"`
	// Options are a choice question's answers, one a line.
	Options   string `gorm:"size:2000;not null;default:''"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TextIn is the question in lang: English when asked and given, Dutch otherwise.
func (q SurveyQuestion) TextIn(lang string) string { return InLang(lang, q.Text, q.TextEn) }

// OptionList is a choice question's options, in order.
func (q SurveyQuestion) OptionList() []string { return optionLines(q.Options) }

func optionLines(s string) []string {
	var out []string
	for line := range strings.Lines(s) {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// FeedbackToken is the hash of a feedback link; the token itself is only in the e-mail.
type FeedbackToken struct {
	Hash           string       `gorm:"size:64;primaryKey"`
	RegistrationID uint         `gorm:"not null;index"`
	Registration   Registration `gorm:"constraint:OnDelete:CASCADE"`
	CreatedAt      time.Time
}

// SessionRating is one person's rating of one session they attended.
type SessionRating struct {
	ID             uint
	RegistrationID uint         `gorm:"not null;uniqueIndex:idx_session_ratings_registration_session"`
	Registration   Registration `gorm:"constraint:OnDelete:CASCADE"`
	SessionID      uint         `gorm:"not null;uniqueIndex:idx_session_ratings_registration_session;index"`
	Session        Session      `gorm:"constraint:OnDelete:CASCADE"`
	Rating         int          `gorm:"not null"`
	Comment        string       `gorm:"size:1000;not null;default:''"`
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// SurveyAnswer is one person's answer to one survey question: a number for a scale, the
// option for a choice, the text for a text question.
type SurveyAnswer struct {
	ID             uint
	RegistrationID uint           `gorm:"not null;uniqueIndex:idx_survey_answers_registration_question"`
	Registration   Registration   `gorm:"constraint:OnDelete:CASCADE"`
	QuestionID     uint           `gorm:"not null;uniqueIndex:idx_survey_answers_registration_question;index"`
	Question       SurveyQuestion `gorm:"constraint:OnDelete:CASCADE"`
	Value          string         `gorm:"size:1000;not null"`
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// migrateFeedback adds the survey, the feedback links, ratings and answers, and the event's
// once-only marker of the feedback e-mail and its choice to publish the results (issue #18).
func migrateFeedback(tx *gorm.DB) error {
	type Event struct {
		ID               uint
		FeedbackMailedAt *time.Time
		ResultsPublic    bool `gorm:"not null;default:false"`
	}
	type Session struct{ ID uint }
	type Registration struct{ ID uint }
	type SurveyQuestion struct {
		ID        uint
		EventID   uint   `gorm:"not null;index"`
		Position  int    `gorm:"not null;default:0"`
		Kind      string `gorm:"size:10;not null"`
		Text      string `gorm:"size:300;not null"`
		TextEn    string `gorm:"size:300;not null;default:''"`
		Options   string `gorm:"size:2000;not null;default:''"`
		CreatedAt time.Time
		UpdatedAt time.Time
	}
	type FeedbackToken struct {
		Hash           string       `gorm:"size:64;primaryKey"`
		RegistrationID uint         `gorm:"not null;index"`
		Registration   Registration `gorm:"constraint:OnDelete:CASCADE"`
		CreatedAt      time.Time
	}
	type SessionRating struct {
		ID             uint
		RegistrationID uint         `gorm:"not null;uniqueIndex:idx_session_ratings_registration_session"`
		Registration   Registration `gorm:"constraint:OnDelete:CASCADE"`
		SessionID      uint         `gorm:"not null;uniqueIndex:idx_session_ratings_registration_session;index"`
		Session        Session      `gorm:"constraint:OnDelete:CASCADE"`
		Rating         int          `gorm:"not null"`
		Comment        string       `gorm:"size:1000;not null;default:''"`
		CreatedAt      time.Time
		UpdatedAt      time.Time
	}
	type SurveyAnswer struct {
		ID             uint
		RegistrationID uint           `gorm:"not null;uniqueIndex:idx_survey_answers_registration_question"`
		Registration   Registration   `gorm:"constraint:OnDelete:CASCADE"`
		QuestionID     uint           `gorm:"not null;uniqueIndex:idx_survey_answers_registration_question;index"`
		Question       SurveyQuestion `gorm:"constraint:OnDelete:CASCADE"`
		Value          string         `gorm:"size:1000;not null"`
		CreatedAt      time.Time
		UpdatedAt      time.Time
	}
	m := tx.Migrator()
	for _, col := range []string{"FeedbackMailedAt", "ResultsPublic"} {
		if err := m.AddColumn(&Event{}, col); err != nil {
			return err
		}
	}
	return m.CreateTable(&SurveyQuestion{}, &FeedbackToken{}, &SessionRating{}, &SurveyAnswer{})
}

// FeedbackOpens is when feedback on event e can first be given: the start of the day after.
func FeedbackOpens(e Event) time.Time { return e.Day().AddDate(0, 0, 1) }

// FeedbackCloses is when feedback on event e can no longer change: FeedbackDays days after
// the event day, at midnight in the event's zone.
func FeedbackCloses(e Event) time.Time { return e.Day().AddDate(0, 0, FeedbackDays+1) }

// SurveyQuestionInput is a question as an organiser types it.
type SurveyQuestionInput struct {
	Kind, Text, TextEn, Options string
}

// Validate reports what is wrong with the question on its own.
func (in SurveyQuestionInput) Validate() Problems {
	p := Problems{}
	if !slices.Contains(QuestionKinds, in.Kind) {
		p.Add("kind", "form.invalid_choice")
	}
	p.checkLine("text", in.Text, true, maxQuestionText)
	p.checkLine("text_en", in.TextEn, false, maxQuestionText)
	p.checkText("options", in.Options, false, 2000)
	opts := optionLines(in.Options)
	switch {
	case in.Kind == QuestionChoice && len(opts) < 2:
		p.Add("options", "feedback.question.options_needed")
	case len(opts) > maxQuestionOptions:
		p.Add("options", "form.too_many", "Max", maxQuestionOptions)
	}
	for _, o := range opts {
		if len([]rune(o)) > maxOptionLength {
			p.Add("options", "feedback.question.option_too_long", "Max", maxOptionLength)
			break
		}
	}
	return p
}

func (in SurveyQuestionInput) options() string {
	if in.Kind != QuestionChoice {
		return ""
	}
	return strings.Join(optionLines(in.Options), "\n")
}

// SurveyQuestions lists event eventID's survey questions in their order.
func (s *Store) SurveyQuestions(ctx context.Context, eventID uint) ([]SurveyQuestion, error) {
	var out []SurveyQuestion
	if err := s.db.WithContext(ctx).Where("event_id = ?", eventID).Order("position, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("survey questions of event %d: %w", eventID, err)
	}
	return out, nil
}

// SurveyQuestion returns one question of event eventID.
// It returns ErrNotFound when the event has no such question.
func (s *Store) SurveyQuestion(ctx context.Context, eventID, id uint) (SurveyQuestion, error) {
	var q SurveyQuestion
	if err := s.db.WithContext(ctx).Where("event_id = ?", eventID).First(&q, id).Error; err != nil {
		return SurveyQuestion{}, notFound(err, "survey question", id)
	}
	return q, nil
}

// CreateSurveyQuestion adds a question at the end of event eventID's survey.
// It returns a *ValidationError when the input is not valid.
func (s *Store) CreateSurveyQuestion(ctx context.Context, eventID uint, in SurveyQuestionInput) (SurveyQuestion, error) {
	if err := invalid(in.Validate()); err != nil {
		return SurveyQuestion{}, err
	}
	q := SurveyQuestion{EventID: eventID, Kind: in.Kind, Text: strings.TrimSpace(in.Text),
		TextEn: strings.TrimSpace(in.TextEn), Options: in.options()}
	err := s.write(ctx, func(tx *gorm.DB) error {
		var last struct{ N int }
		if err := tx.Model(&SurveyQuestion{}).Select("COALESCE(MAX(position), 0) AS n").Where("event_id = ?", eventID).Scan(&last).Error; err != nil {
			return err
		}
		q.Position = last.N + 1
		now := s.now().UTC()
		q.CreatedAt, q.UpdatedAt = now, now
		if err := tx.Create(&q).Error; err != nil {
			return err
		}
		return s.auditSurvey(ctx, tx, ActionSurveyQuestionCreated, eventID, q)
	})
	if err != nil {
		return SurveyQuestion{}, fmt.Errorf("create survey question: %w", err)
	}
	return q, nil
}

// UpdateSurveyQuestion changes a question of event eventID. A question that has answers
// keeps its kind (the answers would no longer fit), and a choice question keeps the options
// chosen so far.
// It returns ErrNotFound when the event has no such question and a *ValidationError when
// the input is not valid.
func (s *Store) UpdateSurveyQuestion(ctx context.Context, eventID, id uint, in SurveyQuestionInput) (SurveyQuestion, error) {
	if err := invalid(in.Validate()); err != nil {
		return SurveyQuestion{}, err
	}
	var q SurveyQuestion
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("event_id = ?", eventID).First(&q, id).Error; err != nil {
			return notFound(err, "survey question", id)
		}
		var chosen []string
		if err := tx.Model(&SurveyAnswer{}).Where("question_id = ?", id).Distinct().Pluck("value", &chosen).Error; err != nil {
			return err
		}
		p := Problems{}
		if len(chosen) > 0 && in.Kind != q.Kind {
			p.Add("kind", "feedback.question.kind_answered")
		}
		if len(chosen) > 0 && in.Kind == QuestionChoice {
			for _, c := range chosen {
				if !slices.Contains(optionLines(in.Options), c) {
					p.Add("options", "feedback.question.option_answered", "Option", c)
					break
				}
			}
		}
		if err := invalid(p); err != nil {
			return err
		}
		q.Kind, q.Text, q.TextEn, q.Options = in.Kind, strings.TrimSpace(in.Text), strings.TrimSpace(in.TextEn), in.options()
		q.UpdatedAt = s.now().UTC()
		if err := tx.Save(&q).Error; err != nil {
			return err
		}
		return s.auditSurvey(ctx, tx, ActionSurveyQuestionUpdated, eventID, q)
	})
	if err != nil {
		return SurveyQuestion{}, fmt.Errorf("update survey question %d: %w", id, err)
	}
	return q, nil
}

// DeleteSurveyQuestion removes a question of event eventID, and its answers with it.
// It returns ErrNotFound when the event has no such question.
func (s *Store) DeleteSurveyQuestion(ctx context.Context, eventID, id uint) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		var q SurveyQuestion
		if err := tx.Where("event_id = ?", eventID).First(&q, id).Error; err != nil {
			return notFound(err, "survey question", id)
		}
		if err := tx.Where("question_id = ?", id).Delete(&SurveyAnswer{}).Error; err != nil {
			return err
		}
		if err := tx.Delete(&SurveyQuestion{}, id).Error; err != nil {
			return err
		}
		return s.auditSurvey(ctx, tx, ActionSurveyQuestionDeleted, eventID, q)
	})
	if err != nil {
		return fmt.Errorf("delete survey question %d: %w", id, err)
	}
	return nil
}

// MoveSurveyQuestion moves a question of event eventID one place up (by < 0) or down.
// It returns ErrNotFound when the event has no such question.
func (s *Store) MoveSurveyQuestion(ctx context.Context, eventID, id uint, by int) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		var qs []SurveyQuestion
		if err := tx.Where("event_id = ?", eventID).Order("position, id").Find(&qs).Error; err != nil {
			return err
		}
		at := slices.IndexFunc(qs, func(q SurveyQuestion) bool { return q.ID == id })
		if at < 0 {
			return notFound(gorm.ErrRecordNotFound, "survey question", id)
		}
		to := at + 1
		if by < 0 {
			to = at - 1
		}
		if to < 0 || to >= len(qs) {
			return nil
		}
		qs[at], qs[to] = qs[to], qs[at]
		for i, q := range qs {
			if err := tx.Model(&SurveyQuestion{}).Where("id = ?", q.ID).Update("position", i+1).Error; err != nil {
				return err
			}
		}
		return s.auditSurvey(ctx, tx, ActionSurveyQuestionMoved, eventID, qs[to])
	})
	if err != nil {
		return fmt.Errorf("move survey question %d: %w", id, err)
	}
	return nil
}

// NewFeedbackToken creates a feedback link for a registration (for the feedback e-mail): 256
// random bits, of which the database keeps only the hash.
func (s *Store) NewFeedbackToken(ctx context.Context, regID uint) (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(b[:])
	err := s.db.WithContext(ctx).Create(&FeedbackToken{Hash: hashToken(token), RegistrationID: regID, CreatedAt: s.now().UTC()}).Error
	if err != nil {
		return "", fmt.Errorf("feedback token of registration %d: %w", regID, err)
	}
	return token, nil
}

// Feedback is what one person's feedback page shows: the sessions they attended, the
// survey, and what they answered so far.
type Feedback struct {
	RegistrationID uint
	Lang           string
	Event          Event
	Sessions       []AttendedSession
	Questions      []SurveyQuestion
	// Ratings and Answers are what the person gave, by session and by question id.
	Ratings map[uint]SessionRating
	Answers map[uint]string
	// Open: the feedback may still change (until ClosesAt). NotYetOpen: it cannot be given
	// before the day after the event.
	Open, NotYetOpen bool
	ClosesAt         time.Time
}

// FeedbackByToken returns the feedback page of the person whose feedback link token is.
// It returns ErrNotFound for an unknown token and for a person who was not checked in: they
// have nothing to give feedback on.
func (s *Store) FeedbackByToken(ctx context.Context, token string) (Feedback, error) {
	db := s.db.WithContext(ctx)
	var t FeedbackToken
	if err := db.Where("hash = ?", hashToken(token)).First(&t).Error; err != nil {
		return Feedback{}, notFound(err, "feedback link", "…")
	}
	var r Registration
	if err := db.Select("id", "event_id", "lang", "erased_at").First(&r, t.RegistrationID).Error; err != nil {
		return Feedback{}, notFound(err, "registration", t.RegistrationID)
	}
	att, err := s.AttendedSessions(ctx, r.ID)
	if err != nil {
		return Feedback{}, err
	}
	if !att.CheckedIn || r.ErasedAt != nil {
		return Feedback{}, fmt.Errorf("feedback of registration %d: not checked in: %w", r.ID, ErrNotFound)
	}
	e, err := s.Event(ctx, r.EventID)
	if err != nil {
		return Feedback{}, err
	}
	f := Feedback{RegistrationID: r.ID, Lang: r.Lang, Event: e, Sessions: att.Sessions, ClosesAt: FeedbackCloses(e),
		Ratings: map[uint]SessionRating{}, Answers: map[uint]string{}}
	now := s.now()
	f.NotYetOpen = now.Before(FeedbackOpens(e))
	f.Open = !f.NotYetOpen && now.Before(f.ClosesAt)
	if f.Questions, err = s.SurveyQuestions(ctx, e.ID); err != nil {
		return Feedback{}, err
	}
	var ratings []SessionRating
	if err := db.Where("registration_id = ?", r.ID).Find(&ratings).Error; err != nil {
		return Feedback{}, fmt.Errorf("ratings of registration %d: %w", r.ID, err)
	}
	for _, x := range ratings {
		f.Ratings[x.SessionID] = x
	}
	var answers []SurveyAnswer
	if err := db.Where("registration_id = ?", r.ID).Find(&answers).Error; err != nil {
		return Feedback{}, fmt.Errorf("answers of registration %d: %w", r.ID, err)
	}
	for _, a := range answers {
		f.Answers[a.QuestionID] = a.Value
	}
	return f, nil
}

// RatingInput is a person's rating of one session: 0 for none, else 1–5, and a comment.
type RatingInput struct {
	Rating  int
	Comment string
}

// FeedbackInput is what a person sends from their feedback page: ratings by session id and
// answers by question id ("" for none).
type FeedbackInput struct {
	Ratings map[uint]RatingInput
	Answers map[uint]string
}

// RatingField names the form field of a session's rating; Validate's problems use it too.
func RatingField(sessionID uint) string { return "rating-" + strconv.Itoa(int(sessionID)) }

// CommentField names the form field of the comment on a session.
func CommentField(sessionID uint) string { return "comment-" + strconv.Itoa(int(sessionID)) }

// AnswerField names the form field of the answer to a survey question.
func AnswerField(questionID uint) string { return "answer-" + strconv.Itoa(int(questionID)) }

// scaleValue reads an answer on the scale of 1 to 5.
func scaleValue(v string) (int, bool) {
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= 1 && n <= 5
}

func (f Feedback) attended(id uint) bool {
	return slices.ContainsFunc(f.Sessions, func(a AttendedSession) bool { return a.SessionID == id })
}

func (f Feedback) question(id uint) int {
	return slices.IndexFunc(f.Questions, func(q SurveyQuestion) bool { return q.ID == id })
}

func (f Feedback) closed(now time.Time) bool {
	return now.Before(FeedbackOpens(f.Event)) || !now.Before(f.ClosesAt)
}

func (in FeedbackInput) empty() bool { return len(in.Ratings) == 0 && len(in.Answers) == 0 }

func (r RatingInput) given() bool { return r.Rating != 0 || strings.TrimSpace(r.Comment) != "" }

func trimmedAnswer(v string) string { return strings.TrimSpace(v) }

// Validate reports what is wrong with the input for feedback page f: a rating outside 1–5,
// a comment without a rating or too long, a session the person did not attend, an answer
// that does not fit its question.
func (in FeedbackInput) Validate(f Feedback) Problems {
	p := Problems{}
	for id, r := range in.Ratings {
		if !f.attended(id) {
			p.Add(RatingField(id), "feedback.unknown_session")
			continue
		}
		if r.Rating < 0 || r.Rating > 5 {
			p.Add(RatingField(id), "feedback.rating_range")
		} else if r.Rating == 0 && strings.TrimSpace(r.Comment) != "" {
			p.Add(RatingField(id), "feedback.rating_with_comment")
		}
		p.checkText(CommentField(id), r.Comment, false, maxFeedbackComment)
	}
	for id, v := range in.Answers {
		at := f.question(id)
		if at < 0 {
			p.Add(AnswerField(id), "feedback.unknown_question")
			continue
		}
		v = trimmedAnswer(v)
		if v == "" {
			continue
		}
		switch q := f.Questions[at]; q.Kind {
		case QuestionScale:
			if _, ok := scaleValue(v); !ok {
				p.Add(AnswerField(id), "feedback.rating_range")
			}
		case QuestionChoice:
			if !slices.Contains(q.OptionList(), v) {
				p.Add(AnswerField(id), "form.invalid_choice")
			}
		default:
			p.checkText(AnswerField(id), v, false, maxFeedbackComment)
		}
	}
	return p
}

// SubmitFeedback stores what the person with feedback link token rated and answered, all or
// nothing: a rating or answer given before is replaced (one per person per session and per
// question), one left empty now is removed.
// It returns ErrNotFound for an unknown token or a person not checked in, ErrFeedbackClosed
// outside the feedback window, and a *ValidationError when the input does not fit.
func (s *Store) SubmitFeedback(ctx context.Context, token string, in FeedbackInput) error {
	f, err := s.FeedbackByToken(ctx, token)
	if err != nil {
		return fmt.Errorf("submit feedback: %w", err)
	}
	if f.closed(s.now()) {
		return fmt.Errorf("submit feedback of registration %d: %w", f.RegistrationID, ErrFeedbackClosed)
	}
	if err := invalid(in.Validate(f)); err != nil {
		return fmt.Errorf("submit feedback of registration %d: %w", f.RegistrationID, err)
	}
	if in.empty() {
		return nil
	}
	err = s.write(ctx, func(tx *gorm.DB) error {
		now := s.now().UTC()
		for id, r := range in.Ratings {
			if !r.given() {
				if err := tx.Where("registration_id = ? AND session_id = ?", f.RegistrationID, id).Delete(&SessionRating{}).Error; err != nil {
					return err
				}
				continue
			}
			row := SessionRating{RegistrationID: f.RegistrationID, SessionID: id, Rating: r.Rating,
				Comment: strings.TrimSpace(r.Comment), CreatedAt: now, UpdatedAt: now}
			err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "registration_id"}, {Name: "session_id"}},
				DoUpdates: clause.AssignmentColumns([]string{"rating", "comment", "updated_at"})}).Create(&row).Error
			if err != nil {
				return err
			}
		}
		for id, v := range in.Answers {
			if v = trimmedAnswer(v); v == "" {
				if err := tx.Where("registration_id = ? AND question_id = ?", f.RegistrationID, id).Delete(&SurveyAnswer{}).Error; err != nil {
					return err
				}
				continue
			}
			row := SurveyAnswer{RegistrationID: f.RegistrationID, QuestionID: id, Value: v, CreatedAt: now, UpdatedAt: now}
			err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "registration_id"}, {Name: "question_id"}},
				DoUpdates: clause.AssignmentColumns([]string{"value", "updated_at"})}).Create(&row).Error
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("submit feedback of registration %d: %w", f.RegistrationID, err)
	}
	return nil
}

// SendFeedbackMails queues, once per event, the feedback e-mail to everyone who was checked
// in at event eventID and has an address, and reports how many it queued. The event's
// marker (feedback_mailed_at) makes a second call do nothing, and each e-mail's unique key
// keeps it to one per person even then. It does nothing before the day after the event or
// once the feedback has closed.
func (s *Store) SendFeedbackMails(ctx context.Context, eventID uint) (int, error) {
	queued := 0
	err := s.write(ctx, func(tx *gorm.DB) error {
		queued = 0 // a write may run more than once
		var e Event
		if err := tx.First(&e, eventID).Error; err != nil {
			return notFound(err, "event", eventID)
		}
		now := s.now()
		if now.Before(FeedbackOpens(e)) || !now.Before(FeedbackCloses(e)) {
			return nil
		}
		res := tx.Table("events").Where("id = ? AND feedback_mailed_at IS NULL", eventID).Update("feedback_mailed_at", now.UTC())
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error // sent already
		}
		var regs []Registration
		err := tx.Where("event_id = ? AND status = ? AND erased_at IS NULL AND email <> ''", eventID, RegistrationActive).
			Where("EXISTS (SELECT 1 FROM check_ins WHERE check_ins.registration_id = registrations.id AND check_ins.undone_at IS NULL)").
			Order("id").Find(&regs).Error
		if err != nil {
			return err
		}
		for _, r := range regs {
			key := "feedback " + strconv.Itoa(int(r.ID))
			id := r.ID
			err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&OutboxMessage{Kind: MailFeedback, Recipient: r.Email,
				Lang: r.Lang, RegistrationID: &id, NextAttemptAt: now.UTC(), CreatedAt: now.UTC(), UniqueKey: &key}).Error
			if err != nil {
				return err
			}
		}
		queued = len(regs)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("send feedback mails of event %d: %w", eventID, err)
	}
	return queued, nil
}

// RunFeedbackJob sends the current event's feedback e-mails when they are due; a periodic
// job calls it every few minutes.
func (s *Store) RunFeedbackJob(ctx context.Context) error {
	e, err := s.CurrentEvent(ctx)
	if errors.Is(err, ErrNotFound) {
		return nil // no event, nothing to do
	}
	if err != nil {
		return err
	}
	_, err = s.SendFeedbackMails(ctx, e.ID)
	return err
}

// FeedbackSettings is the organisers' choice about the results, and when the e-mail went.
type FeedbackSettings struct {
	ResultsPublic bool
	MailedAt      *time.Time
}

// FeedbackSettings returns event eventID's feedback settings.
// It returns ErrNotFound when there is no such event.
func (s *Store) FeedbackSettings(ctx context.Context, eventID uint) (FeedbackSettings, error) {
	var row struct {
		ResultsPublic    bool
		FeedbackMailedAt *time.Time
	}
	err := s.db.WithContext(ctx).Table("events").Select("results_public", "feedback_mailed_at").Where("id = ?", eventID).Take(&row).Error
	if err != nil {
		return FeedbackSettings{}, notFound(err, "event", eventID)
	}
	return FeedbackSettings{ResultsPublic: row.ResultsPublic, MailedAt: utcPtr(row.FeedbackMailedAt)}, nil
}

// SetResultsPublic says whether the public programme shows each session's attendees and
// average rating once the event day is over.
// It returns ErrNotFound when there is no such event.
func (s *Store) SetResultsPublic(ctx context.Context, eventID uint, public bool) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Table("events").Where("id = ?", eventID).Update("results_public", public)
		if res.Error == nil && res.RowsAffected == 0 {
			return notFound(gorm.ErrRecordNotFound, "event", eventID)
		}
		if res.Error != nil {
			return res.Error
		}
		return s.audit(ctx, tx, AuditRecord{Action: ActionResultsPublic, SubjectKind: SubjectEvent, SubjectID: eventID,
			Details: map[string]any{"public": public}})
	})
	if err != nil {
		return fmt.Errorf("results public of event %d: %w", eventID, err)
	}
	return nil
}

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

// ForSpeaker is what the session's speaker may see: below SpeakerThreshold responses only
// the number of responses.
func (r SessionResult) ForSpeaker() SessionResult {
	if r.Visible() {
		return r
	}
	return SessionResult{SessionID: r.SessionID, Title: r.Title, TitleEn: r.TitleEn, VenueID: r.VenueID, Responses: r.Responses}
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
// organisers made them public and the event day is over.
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
