package handlers

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models/modelstest"
	"github.com/ambtenaar20/dagplanner/schedule/icaltest"
)

// TestDemoFeedsReadByLibical serves the demo's published programme as every venue's iCal
// feed and reads each with libical: no RFC 5545/5546 problem, and as many events as the
// feed holds.
func TestDemoFeedsReadByLibical(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	venues, err := ts.Store.Venues(modelstest.Ctx(), testEvent(t, ts).ID)
	if err != nil || len(venues) == 0 {
		t.Fatalf("demo venues: %v (%d)", err, len(venues))
	}
	total := 0
	for _, v := range venues {
		resp, body := ts.get(t, "/api/v1/venues/"+v.Slug+"/schedule.ics")
		wantStatus(t, resp, body, http.StatusOK)
		events := icaltest.Check(t, []byte(body))
		if want := strings.Count(body, "BEGIN:VEVENT"); len(events) != want || want == 0 {
			t.Errorf("%s: libical read %d events, the feed holds %d", v.Slug, len(events), want)
		}
		total += len(events)
	}
	t.Logf("libical read %d events in %d venue feeds", total, len(venues))
}
