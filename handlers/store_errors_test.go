package handlers

import (
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// TestStoreErrorTableIsComplete fails when models gains an exported Err… variable the table
// does not answer.
func TestStoreErrorTableIsComplete(t *testing.T) {
	files, err := filepath.Glob("../models/*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				continue
			}
			for _, s := range g.Specs {
				for _, name := range s.(*ast.ValueSpec).Names {
					if strings.HasPrefix(name.Name, "Err") && name.IsExported() {
						if _, ok := storeErrorByName[name.Name]; !ok {
							t.Errorf("models.%s: got no row in storeErrors, want one", name.Name)
						}
					}
				}
			}
		}
	}
	for name, sentinel := range storeErrorByName {
		if _, ok := tableRow(sentinel); !ok {
			t.Errorf("models.%s: got no row in storeErrors, want one", name)
		}
	}
	if len(storeErrorByName) != len(storeErrors) {
		t.Errorf("storeErrorByName has %d names, storeErrors %d rows: want the same", len(storeErrorByName), len(storeErrors))
	}
}

// storeErrorByName names every sentinel of the table, for the test above.
var storeErrorByName = map[string]error{
	"ErrNotFound": models.ErrNotFound, "ErrConflict": models.ErrConflict,
	"ErrAlreadyRegistered": models.ErrAlreadyRegistered, "ErrVenueFull": models.ErrVenueFull,
	"ErrRegistrationClosed": models.ErrRegistrationClosed, "ErrSessionFull": models.ErrSessionFull,
	"ErrPreferenceSignupClosed": models.ErrPreferenceSignupClosed, "ErrPreferencesClosed": models.ErrPreferencesClosed,
	"ErrNotPreferenceMode": models.ErrNotPreferenceMode, "ErrAlreadyAllocated": models.ErrAlreadyAllocated,
	"ErrNotWaitlisted": models.ErrNotWaitlisted, "ErrScanIDReused": models.ErrScanIDReused,
	"ErrCallClosed": models.ErrCallClosed, "ErrWithdrawn": models.ErrWithdrawn,
	"ErrSpeakerAnswered": models.ErrSpeakerAnswered, "ErrProposalStatus": models.ErrProposalStatus,
	"ErrStaleDraft": models.ErrStaleDraft, "ErrDraftsChanged": models.ErrDraftsChanged,
	"ErrVotingClosed": models.ErrVotingClosed, "ErrAlreadyVoted": models.ErrAlreadyVoted,
	"ErrFeedbackClosed": models.ErrFeedbackClosed,
	"ErrMessageDone":    models.ErrMessageDone, "ErrNoRecipients": models.ErrNoRecipients,
	"ErrRecipientsChanged": models.ErrRecipientsChanged, "ErrNothingToPublish": models.ErrNothingToPublish,
	"ErrHasAccount": models.ErrHasAccount, "ErrAlreadyInvited": models.ErrAlreadyInvited,
	"ErrInvitationGone": models.ErrInvitationGone, "ErrLastAdmin": models.ErrLastAdmin,
	"ErrInvalidCredentials": models.ErrInvalidCredentials, "ErrWrongCode": models.ErrWrongCode,
	"ErrCodeUsed": models.ErrCodeUsed, "ErrUnavailable": models.ErrUnavailable, "ErrClosed": models.ErrClosed,
	"ErrNoAddresses": models.ErrNoAddresses, "ErrMigrationsBehind": models.ErrMigrationsBehind,
	"ErrBackupExists": models.ErrBackupExists, "ErrBackupUnsupported": models.ErrBackupUnsupported,
}

func TestStoreErrorAnswers(t *testing.T) {
	catalog, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	tr := catalog.Translator(locale.English)
	for name, sentinel := range storeErrorByName {
		t.Run(name, func(t *testing.T) {
			wrapped := fmt.Errorf("do something with %q: %w", "x", sentinel)
			got, ok := answerFor(wrapped, answersAPI)
			if !ok {
				t.Fatalf("answerFor(%v): got unknown, want a row", wrapped)
			}
			var want storeAnswer
			for _, row := range storeErrors {
				if row.Err == sentinel {
					want = row.storeAnswer
					break
				}
			}
			if got != want {
				t.Errorf("answerFor(%v) = %+v, want %+v", wrapped, got, want)
			}
			if got.Status < 400 || got.Status > 599 {
				t.Errorf("status %d: want an error status", got.Status)
			}
			for _, key := range []string{got.Key, got.FieldKey} {
				if key != "" && tr.T(key) == key {
					t.Errorf("message key %q: not in the catalogue", key)
				}
			}
			if got.Page != "" && tr.T(got.Page+".title") == got.Page+".title" {
				t.Errorf("page key %q: has no title in the catalogue", got.Page)
			}
		})
	}

	t.Run("validation", func(t *testing.T) {
		verr := &models.ValidationError{Problems: models.Problems{}}
		if got, ok := answerFor(fmt.Errorf("save: %w", verr), answersAPI); !ok || got != validationAnswer {
			t.Errorf("answerFor(validation error) = %+v, %v; want %+v", got, ok, validationAnswer)
		}
	})

	t.Run("override", func(t *testing.T) {
		cancelled := storeAnswer{Status: http.StatusConflict, Code: "cancelled", Key: "booking.cancelled_already"}
		o := storeError{models.ErrConflict, cancelled}
		if got, _ := answerFor(fmt.Errorf("x: %w", models.ErrConflict), answersAPI, o); got != cancelled {
			t.Errorf("a bare conflict: got %+v, want the override %+v", got, cancelled)
		}
		// A more specific row with an API answer of its own is not hidden by the general override.
		if got, _ := answerFor(fmt.Errorf("x: %w", models.ErrVenueFull), answersAPI, o); got.Code != "venue_full" {
			t.Errorf("venue full under a conflict override: got %+v, want the table's venue_full", got)
		}
		// One without an answer of its own is.
		if got, _ := answerFor(fmt.Errorf("x: %w", models.ErrProposalStatus), answersAPI, o); got != cancelled {
			t.Errorf("proposal status under a conflict override: got %+v, want the override", got)
		}
	})

	t.Run("unknown", func(t *testing.T) {
		if got, ok := answerFor(errors.New("disk on fire"), answersAPI); ok || got != internalAnswer {
			t.Errorf("answerFor(unknown) = %+v, %v; want %+v, false", got, ok, internalAnswer)
		}
	})
}

// TestAPIStoreErrorAnswers checks what the JSON API answers: the table's status, code and
// message, and for an unknown error a 500 that says nothing of it.
func TestAPIStoreErrorAnswers(t *testing.T) {
	h, err := newHandler(Config{Store: modelstest.SQLite(t), Logger: discardLogger()})
	if err != nil {
		t.Fatal(err)
	}
	tr := h.catalog.Translator(locale.English)
	for _, tc := range []struct {
		err                  error
		status               int
		code, message, field string
	}{
		{models.ErrNotFound, http.StatusNotFound, "not_found", tr.T("error.api_not_found"), ""},
		{models.ErrVenueFull, http.StatusConflict, "venue_full", tr.T("register.venue_full"), "venue"},
		{models.ErrCallClosed, http.StatusForbidden, "call_closed", tr.T("proposal.api_call_closed"), ""},
		{models.ErrScanIDReused, http.StatusUnprocessableEntity, "invalid", tr.T("api.invalid"), "scan_id"},
		{models.ErrWrongCode, http.StatusInternalServerError, "internal", tr.T("error.server.body"), ""},
		{models.ErrConflict, http.StatusInternalServerError, "internal", tr.T("error.server.body"), ""},
		{errors.New("secret detail 42"), http.StatusInternalServerError, "internal", tr.T("error.server.body"), ""},
	} {
		t.Run(tc.err.Error(), func(t *testing.T) {
			gin.SetMode(gin.ReleaseMode)
			r := gin.New()
			r.Use(h.requestID, h.language)
			r.GET("/api/v1/x", func(c *gin.Context) { h.apiStoreError(c, fmt.Errorf("wrapped: %w", tc.err)) })
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodGet, "/api/v1/x", nil)
			req.Header.Set("Accept-Language", "en")
			r.ServeHTTP(rec, req)
			if rec.Code != tc.status {
				t.Errorf("status: got %d, want %d", rec.Code, tc.status)
			}
			var got APIError
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatalf("decode %s: %v", rec.Body, err)
			}
			if got.Error.Code != tc.code || got.Error.Message != tc.message {
				t.Errorf("error: got %q %q, want %q %q", got.Error.Code, got.Error.Message, tc.code, tc.message)
			}
			if _, ok := got.Error.Fields[tc.field]; tc.field != "" && !ok {
				t.Errorf("fields: got %v, want one for %q", got.Error.Fields, tc.field)
			}
			if strings.Contains(rec.Body.String(), "secret detail") || strings.Contains(rec.Body.String(), "wrapped") {
				t.Errorf("the answer leaks the error: %s", rec.Body)
			}
		})
	}
}

func TestShowStoreError(t *testing.T) {
	answers := []formAnswer{{Err: models.ErrVenueFull, Field: "sessions"}, {Err: models.ErrConflict, Field: "sessions", Key: "booking.cancelled_already"}}
	for _, tc := range []struct {
		name   string
		err    error
		status int
		shown  bool
		key    string
	}{
		{"nil", nil, 0, true, ""},
		{"table's words", fmt.Errorf("x: %w", models.ErrVenueFull), http.StatusConflict, true, "register.venue_full"},
		{"the form's words", fmt.Errorf("x: %w", models.ErrConflict), http.StatusInternalServerError, true, "booking.cancelled_already"},
		{"validation", &models.ValidationError{Problems: models.Problems{"sessions": {Key: "form.required"}}}, http.StatusUnprocessableEntity, true, "form.required"},
		{"not the form's", fmt.Errorf("x: %w", models.ErrNotFound), 0, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newForm(nil, "sessions")
			status, shown := f.showStoreError(tc.err, answers...)
			if status != tc.status || shown != tc.shown {
				t.Errorf("showStoreError(%v) = %d, %v; want %d, %v", tc.err, status, shown, tc.status, tc.shown)
			}
			got := ""
			if pr, ok := f.Problems["sessions"]; ok {
				got = pr.Key
			}
			if got != tc.key {
				t.Errorf("problem on sessions: got %q, want %q", got, tc.key)
			}
		})
	}
}
