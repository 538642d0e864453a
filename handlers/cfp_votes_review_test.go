package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
)

// TestReviewersSeeVoteCounts joins open voting and review: two colleagues vote, and a
// reviewer at once sees the counts in the list, and can sort on them.
func TestReviewersSeeVoteCounts(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	prop, others := voteFixture(t, ts)
	enableVoting(t, ts, 2, "", false) // also clears the demo's votes
	for i, ids := range [][]uint{{prop.ID, others[0]}, {prop.ID}} {
		voter := ts.withNewClient(t)
		email := fmt.Sprintf("kiezer%d@example.nl", i)
		resp, body := voter.postForm(t, "/stemmen", url.Values{"email": {email}})
		wantStatus(t, resp, body, http.StatusSeeOther)
		resp, body = voter.postForm(t, ballotLink(t, ts, email), idValues(ids...))
		wantStatus(t, resp, body, http.StatusSeeOther)
	}

	ts.loginAs(t, models.RoleReviewer, "")
	resp, body := ts.get(t, "/beheer/voorstellen?sorteer=stemmen&richting=af")
	wantStatus(t, resp, body, http.StatusOK)
	// The rows' last cell is the number of votes; the most voted proposal comes first.
	row := regexp.MustCompile(`(?s)<a class="utrecht-link" href="/beheer/voorstellen/(\d+)">.*?numeric-data">(\d+)</td>\s*</tr>`)
	rows := row.FindAllStringSubmatch(body, -1)
	if len(rows) < 2 {
		t.Fatalf("the list has %d rows with a vote count, want the demo's proposals:\n%s", len(rows), body)
	}
	if rows[0][1] != strconv.Itoa(int(prop.ID)) || rows[0][2] != "2" {
		t.Errorf("first row got proposal %s with %s votes, want %d with 2", rows[0][1], rows[0][2], prop.ID)
	}
	for _, r := range rows[1:] {
		want := "0"
		if r[1] == strconv.Itoa(int(others[0])) {
			want = "1"
		}
		if r[2] != want {
			t.Errorf("proposal %s shows %s votes, want %s", r[1], r[2], want)
		}
	}
	if strings.Contains(body, "kiezer0@example.nl") {
		t.Error("the review list shows a voter's address")
	}
}
