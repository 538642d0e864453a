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
// once the feedback has closed. It returns ErrNotFound when there is no such event.
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
			Where(admittedRegistration).
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

// RunFeedbackJob sends every edition's feedback e-mails when they are due; a periodic job
// calls it every few minutes. Every edition, not only the current one: organisers may have
// published next year's edition before this year's day is over.
func (s *Store) RunFeedbackJob(ctx context.Context) error {
	editions, err := s.Editions(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	for _, e := range editions {
		if now.Before(FeedbackOpens(e)) || !now.Before(FeedbackCloses(e)) {
			continue
		}
		if _, err := s.SendFeedbackMails(ctx, e.ID); err != nil {
			return err
		}
	}
	return nil
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
