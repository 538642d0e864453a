package handlers

import (
	"encoding/json"
	"net/http"
	"testing"
)

// TestProposalTwoSlotsNeedARun checks issue #12 point 24 through the form and the API: a
// two-slot session whose speakers can only do slots with lunch between them is refused when
// it is submitted (422, with the reason on availability), and the form keeps what was typed.
func TestProposalTwoSlotsNeedARun(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	zwolle := testVenue(t, ts, "zwolle") // 10:00, 11:15, 13:15, 14:30: lunch after the second slot
	values := proposalValuesFor("twee-tijdvakken@example.nl")
	values.Set("slots", "2")
	values.Set("title", "Een middag schrijven")
	values["venues"] = []string{"zwolle"}
	values["availability"] = []string{idString(zwolle.Slots[1].ID), idString(zwolle.Slots[2].ID)}
	resp, body := ts.postMultipart(t, "/voorstellen", values, "", nil)
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	wantContains(t, "the refused form", body, nlMsgUpTo(t, "proposal.no_two_slot_run", "Minutes"), `value="Een middag schrijven"`)

	body2 := proposalBody(t, func(m map[string]any) {
		m["slots"] = 2
		m["venues"], m["availability"] = []string{"zwolle"}, []uint{zwolle.Slots[1].ID, zwolle.Slots[2].ID}
	})
	resp, b := ts.apiCall(t, http.MethodPost, "/api/v1/proposals", body2, "", "Accept-Language", "en")
	wantAPIStatus(t, resp, b, http.StatusUnprocessableEntity)
	var out APIError
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if got := out.Error.Fields["availability"]; got == "" || got[:26] != "A two-slot session needs t" {
		t.Errorf("API availability problem got %q, want the reason in English", got)
	}

	values["availability"] = append(values["availability"], idString(zwolle.Slots[3].ID)) // 13:15 then 14:30
	submitByForm(t, ts, values, "", nil)
}
