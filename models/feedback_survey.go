package models

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// The survey of the feedback after the day (issue #18): the questions the organisers set per
// event, in their order, and the audit of their changes. See feedback.go.

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
