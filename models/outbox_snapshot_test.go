package models_test

import (
	"slices"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
)

// TestMailPayload reads the payloads of registration e-mails, including those queued before
// e-mails carried a snapshot of the programme (#12 point 28).
func TestMailPayload(t *testing.T) {
	snap := models.ProgrammeSnapshot{Seats: []uint{3, 1}, Waiting: []uint{7}}
	if got := snap.String(); got != "c=3,1;w=7" {
		t.Fatalf("String() = %q, want c=3,1;w=7", got)
	}
	for _, tc := range []struct {
		kind, payload string
		session       uint
		snap          *models.ProgrammeSnapshot
	}{
		{models.MailConfirmation, "", 0, nil},
		{models.MailChanged, "", 0, nil},
		{models.MailPromoted, "12", 12, nil},
		{models.MailConfirmation, "c=3,1;w=7", 0, &snap},
		{models.MailChanged, "c=;w=", 0, &models.ProgrammeSnapshot{}},
		{models.MailPromoted, "7|c=3,1;w=7", 7, &snap},
	} {
		got, err := models.ParseMailPayload(tc.kind, tc.payload)
		if err != nil {
			t.Errorf("ParseMailPayload(%s, %q): %v", tc.kind, tc.payload, err)
			continue
		}
		if got.SessionID != tc.session || (got.Programme == nil) != (tc.snap == nil) ||
			(tc.snap != nil && (!slices.Equal(got.Programme.Seats, tc.snap.Seats) || !slices.Equal(got.Programme.Waiting, tc.snap.Waiting))) {
			t.Errorf("ParseMailPayload(%s, %q) = %+v %+v, want session %d and %+v", tc.kind, tc.payload, got, got.Programme, tc.session, tc.snap)
		}
	}
	for _, bad := range []struct{ kind, payload string }{
		{models.MailConfirmation, "12"}, {models.MailPromoted, ""}, {models.MailPromoted, "x|c=;w="},
		{models.MailChanged, "c=1,x;w="}, {models.MailChanged, "w=1;c=2"},
	} {
		if _, err := models.ParseMailPayload(bad.kind, bad.payload); err == nil {
			t.Errorf("ParseMailPayload(%s, %q) = nil error, want one", bad.kind, bad.payload)
		}
	}
	if held, waiting := snap.Holds(7); !held || !waiting {
		t.Errorf("Holds(7) = %v %v, want held and waiting", held, waiting)
	}
	if held, waiting := snap.Holds(3); !held || waiting {
		t.Errorf("Holds(3) = %v %v, want a seat", held, waiting)
	}
	if held, _ := snap.Holds(4); held {
		t.Errorf("Holds(4) = held, want not")
	}
}
