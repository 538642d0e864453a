package handlers

import (
	"cmp"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// A storeAnswer says how a request is answered when the store returns one of its sentinel
// errors. A field left empty means the error has no answer of that kind of its own: an API
// route answers a row without Code, and a page a row without Page, as any other error (500).
type storeAnswer struct {
	Status int    // the HTTP status
	Code   string // the JSON API's error code
	Key    string // the message key: the API's message, or a form's problem or a flash on a page
	Page   string // the error page's key (it has a .title and a .body)
	// Field is the request field the JSON API also gives a message for, FieldKey that
	// message's key when it is not Key.
	Field, FieldKey string
}

// storeError pairs a sentinel error with its answer; a handler passes some as overrides when
// its route answers an error differently from the table.
type storeError struct {
	Err error
	storeAnswer
}

// storeErrors maps every sentinel error of the store to its answer. The first row whose Err
// matches (errors.Is) wins, so the errors that wrap ErrConflict come before it.
var storeErrors = []storeError{
	{models.ErrNotFound, notFoundAnswer},

	// Attendees registering, changing a booking, and the organisers' people pages
	{models.ErrAlreadyRegistered, storeAnswer{Status: http.StatusConflict, Code: "already_registered", Key: "register.already_registered", Field: "email"}},
	{models.ErrVenueFull, storeAnswer{Status: http.StatusConflict, Code: "venue_full", Key: "register.venue_full", Field: "venue"}},
	{models.ErrPreferenceSignupClosed, storeAnswer{Status: http.StatusForbidden, Code: "registration_closed", Key: "preference.signup_closed"}},
	{models.ErrRegistrationClosed, storeAnswer{Status: http.StatusForbidden, Code: "registration_closed", Key: "register.closed"}},
	{models.ErrSessionFull, storeAnswer{Status: http.StatusConflict, Key: "person.session_full"}},
	{models.ErrNotWaitlisted, storeAnswer{Status: http.StatusConflict, Key: "person.not_waiting"}},
	{models.ErrPreferencesClosed, storeAnswer{Status: http.StatusConflict, Code: "preferences_closed", Key: "preference.closed", Field: "preferences"}},
	{models.ErrAlreadyAllocated, storeAnswer{Status: http.StatusConflict, Code: "already_allocated", Key: "preference.allocated_already"}},
	{models.ErrNotPreferenceMode, storeAnswer{Status: http.StatusConflict, Code: "not_preference_mode", Key: "preference.not_preference_mode", Field: "preferences"}},
	{models.ErrScanIDReused, storeAnswer{Status: http.StatusUnprocessableEntity, Code: "invalid", Key: "api.invalid", Field: "scan_id", FieldKey: "checkin.scan_id_reused"}},

	// Speakers' proposals, the decisions on them, and voting
	{models.ErrCallClosed, storeAnswer{Status: http.StatusForbidden, Code: "call_closed", Key: "proposal.api_call_closed"}},
	{models.ErrWithdrawn, storeAnswer{Status: http.StatusConflict, Code: "withdrawn", Key: "proposal.api_withdrawn", Page: "error.proposal_withdrawn"}},
	{models.ErrSpeakerAnswered, storeAnswer{Status: http.StatusConflict, Code: "answered", Key: "proposal.api_answered", Page: "error.proposal_answered"}},
	{models.ErrProposalStatus, storeAnswer{Status: http.StatusConflict, Key: "answer.not_accepted"}},
	{models.ErrStaleDraft, storeAnswer{Status: http.StatusConflict, Key: "decision.stale_refused"}},
	{models.ErrDraftsChanged, storeAnswer{Status: http.StatusConflict, Key: "decision.drafts_changed"}},
	{models.ErrVotingClosed, storeAnswer{Status: http.StatusForbidden, Key: "vote.closed_notice"}},
	{models.ErrAlreadyVoted, storeAnswer{Status: http.StatusConflict, Key: "vote.already_voted"}},
	{models.ErrFeedbackClosed, storeAnswer{Status: http.StatusConflict, Key: "feedback.closed"}}, // #18 feedback after the day

	// Messages, publishing and reminders: what is sent, and to how many
	{models.ErrMessageDone, storeAnswer{Status: http.StatusConflict, Key: "message.already_done"}},
	{models.ErrNoRecipients, storeAnswer{Status: http.StatusConflict, Key: "message.nobody_now"}},
	{models.ErrRecipientsChanged, storeAnswer{Status: http.StatusConflict}},
	{models.ErrNothingToPublish, storeAnswer{Status: http.StatusConflict, Key: "beheer.publish.nothing"}},

	// The team, invitations and signing in
	{models.ErrHasAccount, storeAnswer{Status: http.StatusConflict, Key: "team.error.has_account", Page: "invitation.has_account"}},
	{models.ErrAlreadyInvited, storeAnswer{Status: http.StatusConflict, Key: "team.error.already_invited"}},
	{models.ErrInvitationGone, storeAnswer{Status: http.StatusGone, Page: "invitation.gone"}},
	{models.ErrLastAdmin, storeAnswer{Status: http.StatusConflict, Key: "team.error.last_admin"}},
	{models.ErrInvalidCredentials, storeAnswer{Status: http.StatusUnprocessableEntity, Key: "login.failed"}},
	{models.ErrWrongCode, storeAnswer{Status: http.StatusUnprocessableEntity, Key: "login.code_wrong"}},
	{models.ErrCodeUsed, storeAnswer{Status: http.StatusUnprocessableEntity, Key: "login.code_used"}},

	// A bare conflict means something different on every page that expects one (a cancelled
	// booking, a changed proposal, a pinned session…): each says so with an override.
	// Elsewhere it is, like the errors below that no request should meet, a 500.
	{models.ErrConflict, internalAnswer},
	{models.ErrUnavailable, storeAnswer{Status: http.StatusServiceUnavailable, Code: "unavailable", Key: "error.unavailable.body", Page: "error.unavailable"}},
	{models.ErrClosed, internalAnswer},
	{models.ErrNoAddresses, internalAnswer},
	{models.ErrMigrationsBehind, internalAnswer},
	{models.ErrBackupExists, internalAnswer},
	{models.ErrBackupUnsupported, internalAnswer},
}

var (
	// notFoundAnswer is the answer to ErrNotFound: the 404 in the request's own style.
	notFoundAnswer = storeAnswer{Status: http.StatusNotFound, Code: "not_found", Key: "error.api_not_found", Page: "error.not_found"}
	// validationAnswer is the answer to a *models.ValidationError: 422 with a message per field.
	validationAnswer = storeAnswer{Status: http.StatusUnprocessableEntity, Code: "invalid", Key: "api.invalid"}
	// internalAnswer is the answer to any other error: a calm 500 that names nothing of it.
	internalAnswer = storeAnswer{Status: http.StatusInternalServerError, Code: "internal", Key: "error.server.body", Page: "error.server"}
)

// answerFor returns the answer to err: the first override it matches, else a validation
// error's, else the table's first matching row. It reports false (and the 500 answer) for an
// error it does not know. An override of a general sentinel (ErrConflict) does not hide a
// more specific row that answers this kind of request itself (answers reports which do):
// a route that says what a bare conflict means still answers "venue full" as the table does.
func answerFor(err error, answers func(storeAnswer) bool, overrides ...storeError) (storeAnswer, bool) {
	if err == nil {
		return storeAnswer{}, false
	}
	row, known := tableRow(err)
	for _, o := range overrides {
		if !errors.Is(err, o.Err) {
			continue
		}
		if known && row.Err != o.Err && errors.Is(row.Err, o.Err) && answers(row.storeAnswer) {
			return row.storeAnswer, true
		}
		return o.storeAnswer, true
	}
	if _, ok := errors.AsType[*models.ValidationError](err); ok {
		return validationAnswer, true
	}
	if known {
		return row.storeAnswer, true
	}
	return internalAnswer, false
}

// tableRow is the first row of storeErrors that err matches.
func tableRow(err error) (storeError, bool) {
	for _, row := range storeErrors {
		if errors.Is(err, row.Err) {
			return row, true
		}
	}
	return storeError{}, false
}

// answersAPI and answersPage report whether an answer has an answer of its own for the JSON
// API and for a page.
func answersAPI(a storeAnswer) bool { return a.Code != "" && a.Status < http.StatusInternalServerError }
func answersPage(a storeAnswer) bool {
	return a.Page != "" && a.Status < http.StatusInternalServerError
}

// storeError answers an error from the store with a page (or, on the JSON API, as
// apiStoreError does): ErrNotFound is the 404 page, a sentinel whose answer names an error
// page is that page with the answer's status, and anything else the 500 page, logged. The
// overrides say how this route answers an error differently from the table.
func (h *Handler) storeError(c *gin.Context, err error, overrides ...storeError) {
	if isAPI(c) {
		h.apiStoreError(c, err, overrides...)
		return
	}
	a, ok := answerFor(err, answersPage, overrides...)
	switch {
	case ok && a == notFoundAnswer:
		h.notFound(c)
	case ok && answersPage(a):
		h.errorPage(c, a.Status, a.Page)
	default:
		h.serverError(c, err)
	}
}

// apiStoreError answers an error from the store in the JSON API's one error shape:
// ErrNotFound is the API's 404, a validation error 422 with a message per field, a sentinel
// with an API code its answer, and anything else a 500 that says nothing of the error (it is
// logged with the request id). The overrides say how this route answers an error
// differently from the table.
func (h *Handler) apiStoreError(c *gin.Context, err error, overrides ...storeError) {
	a, ok := answerFor(err, answersAPI, overrides...)
	switch {
	case ok && a == notFoundAnswer:
		h.notFound(c)
	case !ok || !answersAPI(a):
		h.serverError(c, err)
	default:
		tr := h.tr(c)
		var fields map[string]string
		if verr, isValidation := errors.AsType[*models.ValidationError](err); isValidation && a == validationAnswer {
			fields = h.problemFields(c, verr.Problems)
		} else if a.Field != "" {
			fields = map[string]string{a.Field: tr.T(cmp.Or(a.FieldKey, a.Key))}
		}
		h.apiError(c, a.Status, a.Code, tr.T(a.Key), fields)
	}
}

// A formAnswer says where a form shows an error of the store: as the problem of Field, in
// the words of the table's answer to Err, or of Key when the form has words of its own.
type formAnswer struct {
	Err   error
	Field string
	Key   string
}

// showStoreError puts an error of the store on the form: a validation error's problems, or
// the problem of the first formAnswer that err matches (errors.Is, in the order given). It
// returns the status of the error's answer (422 for a validation error) and reports whether
// the form shows err; a nil err is shown (status 0), any other error is the caller's to answer.
func (f *Form) showStoreError(err error, answers ...formAnswer) (int, bool) {
	if err == nil {
		return 0, true
	}
	if verr, ok := errors.AsType[*models.ValidationError](err); ok {
		f.Merge(verr.Problems)
		return validationAnswer.Status, true
	}
	for _, a := range answers {
		if errors.Is(err, a.Err) {
			row, _ := tableRow(a.Err)
			f.Problems.Add(a.Field, cmp.Or(a.Key, row.Key))
			return row.Status, true
		}
	}
	return 0, false
}

// flashStoreError keeps the table's message for err as the flash message when err is one of
// the sentinels (errors.Is), and reports whether it did: the page then redirects and tells.
func (h *Handler) flashStoreError(c *gin.Context, err error, sentinels ...error) bool {
	return h.flashStoreAnswer(c, err, fromTable(sentinels...)...)
}

// flashStoreAnswer is flashStoreError for a page that tells a sentinel in words of its own:
// it keeps the Key of the first override err matches as the flash message.
func (h *Handler) flashStoreAnswer(c *gin.Context, err error, overrides ...storeError) bool {
	a, ok := shownStoreError(err, overrides...)
	if ok {
		h.setFlash(c, a.Key)
	}
	return ok
}

// shownStoreError returns the answer to err when err is one of the answers' errors (errors.Is,
// in the order given): that answer, or the table's row for its Err when it is left empty. A
// handler that shows the answer in a way of its own (a notice on the page it renders again,
// an answer in the passkey ceremony's own JSON) takes its status, code and key from here; any other
// error reports false and stays the caller's to answer.
func shownStoreError(err error, answers ...storeError) (storeAnswer, bool) {
	for _, a := range answers {
		if !errors.Is(err, a.Err) {
			continue
		}
		if a.storeAnswer == (storeAnswer{}) {
			row, _ := tableRow(a.Err)
			return row.storeAnswer, true
		}
		return a.storeAnswer, true
	}
	return storeAnswer{}, false
}

// fromTable lists sentinels for shownStoreError that a page answers as the table does.
func fromTable(sentinels ...error) []storeError {
	answers := make([]storeError, len(sentinels))
	for i, s := range sentinels {
		answers[i] = storeError{Err: s}
	}
	return answers
}
