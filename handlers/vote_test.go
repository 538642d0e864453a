package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/mail"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// votingNow is the frozen clock of the voting tests: inside the demo's call for proposals,
// and inside the voting window enableVoting sets.
var votingNow = testNow.Add(24 * time.Hour)

// enableVoting switches voting on for the demo event, open from a day before votingNow
// until a day after it, with limit votes each for the given domains.
// clearDemoVoting turns voting off and removes the demo's voters, votes and ballot e-mails,
// so a test starts from a call without voting.
func clearDemoVoting(t *testing.T, ts *testServer) {
	t.Helper()
	modelstest.Delete(t, ts.Store, &models.Vote{}, modelstest.All)
	modelstest.Delete(t, ts.Store, &models.VoterToken{}, modelstest.All)
	modelstest.Delete(t, ts.Store, &models.Voter{}, modelstest.All)
	modelstest.Delete(t, ts.Store, &models.OutboxMessage{}, modelstest.Where("kind = ?", models.MailBallot))
	modelstest.Update(t, ts.Store, &models.Event{}, modelstest.All, map[string]any{"voting_enabled": false})
}

func enableVoting(t *testing.T, ts *testServer, limit int, domains string, countsPublic bool) models.Event {
	t.Helper()
	clearDemoVoting(t, ts)
	ts.Store.SetClock(func() time.Time { return votingNow })
	e := testEvent(t, ts)
	modelstest.Update(t, ts.Store, &models.Event{}, modelstest.Where("id = ?", e.ID), map[string]any{
		"voting_enabled": true, "voting_opens_at": votingNow.Add(-24 * time.Hour), "voting_closes_at": votingNow.Add(24 * time.Hour),
		"votes_per_voter": limit, "voting_domains": domains, "voting_counts_public": countsPublic})
	return testEvent(t, ts)
}

var ballotPath = regexp.MustCompile(`/stemmen/stembiljet/[A-Za-z0-9_-]{43}`)

// ballotLink composes the latest ballot e-mail to recipient and returns the path of its link.
func ballotLink(t *testing.T, ts *testServer, recipient string) string {
	t.Helper()
	var msg models.OutboxMessage
	if err := modelstest.First(ts.Store, &msg, modelstest.Where("kind = ? AND recipient = ?", models.MailBallot, recipient).OrderBy("id DESC")); err != nil {
		t.Fatalf("no ballot mail to %s in the outbox: %v", recipient, err)
	}
	m, err := (&mail.Composer{Store: ts.Store, BaseURL: ts.URL}).Compose(modelstest.Ctx(), msg)
	if err != nil {
		t.Fatalf("compose the ballot mail: %v", err)
	}
	link := ballotPath.FindString(m.Text)
	if link == "" || !strings.Contains(m.Text, ts.URL+link) {
		t.Fatalf("no ballot link in:\n%s", m.Text)
	}
	return link
}

func ballotMails(t *testing.T, ts *testServer) int64 {
	t.Helper()
	return countRows(t, ts, &models.OutboxMessage{}, "kind = ?", models.MailBallot)
}

// checkedVotes lists the ids of the ticked check boxes on a ballot.
func checkedVotes(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`name="votes" value="(\d+)" checked`).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// voteFixture adds a proposal whose texts hold HTML, with one confirmed and one invited
// co-speaker, to the demo; it returns the proposal and the ids of two other votable ones.
func voteFixture(t *testing.T, ts *testServer) (models.Proposal, []uint) {
	t.Helper()
	ctx := modelstest.Ctx()
	ts.Store.SetClock(func() time.Time { return votingNow })
	res, err := ts.Store.SubmitProposal(ctx, models.ProposalInput{Title: `<script>alert("titel")</script>`,
		Summary: `<img src=x onerror=alert(1)>`, Description: "Lang <b>verhaal</b>.", Format: "workshop", Slots: 1,
		MaxParticipants: 20, Speaker: models.ProposalSpeaker{Name: "Sanne <i>Spreker</i>", Email: "sanne.geheim@example.nl",
			Organisation: "Gemeente <u>Ergens</u>"}, CoSpeakers: []string{"mede.geheim@example.nl", "nog.niet@example.nl"},
		Consent: true, Lang: "nl"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.Store.ConfirmCoSpeaker(ctx, res.Proposal.CoSpeakers[0].ID, models.CoSpeakerInput{Name: "Mees <em>Mede</em>",
		Organisation: "Logius"}); err != nil {
		t.Fatal(err)
	}
	props, err := ts.Store.VotingProposals(ctx, res.Proposal.EventID)
	if err != nil {
		t.Fatal(err)
	}
	var others []uint
	for _, p := range props {
		if p.ID != res.Proposal.ID {
			others = append(others, p.ID)
		}
	}
	if len(others) < 3 {
		t.Fatalf("the demo has %d other votable proposals, want at least 3", len(others))
	}
	return res.Proposal, others
}

func idValues(ids ...uint) url.Values {
	v := url.Values{}
	for _, id := range ids {
		v.Add("votes", strconv.Itoa(int(id)))
	}
	return v
}

func TestVotingOffIsNotFound(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	clearDemoVoting(t, ts)
	for _, path := range []string{"/stemmen", "/stemmen/stembiljet/" + strings.Repeat("A", 43)} {
		resp, body := ts.get(t, path)
		wantStatus(t, resp, body, http.StatusNotFound)
	}
	resp, body := ts.postForm(t, "/stemmen", url.Values{"email": {"anna@example.nl"}})
	wantStatus(t, resp, body, http.StatusNotFound)
	if n := ballotMails(t, ts); n != 0 {
		t.Errorf("with voting off %d ballot mails were queued, want 0", n)
	}
	_, body = ts.get(t, "/")
	if strings.Contains(body, `href="/stemmen"`) {
		t.Error("with voting off the home page links to /stemmen")
	}
}

func TestVotingPageShowsProposalsSafely(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	prop, _ := voteFixture(t, ts)
	e := enableVoting(t, ts, 3, "rijksoverheid.nl\nminbzk.nl", false)
	for _, lang := range []string{"nl", "en"} {
		resp, body := ts.get(t, "/stemmen", "Accept-Language", lang)
		wantStatus(t, resp, body, http.StatusOK)
		wantTranslated(t, "voting page "+lang, body)
		if m := messageMarkerRE.FindAllString(body, -1); len(m) > 0 {
			t.Errorf("voting page %s: untranslated keys %q", lang, m)
		}
		wantContains(t, "voting page "+lang, body, `&lt;script&gt;alert(&#34;titel&#34;)&lt;/script&gt;`,
			`&lt;img src=x onerror=alert(1)&gt;`, "Lang &lt;b&gt;verhaal&lt;/b&gt;.", "Sanne &lt;i&gt;Spreker&lt;/i&gt;",
			"Gemeente &lt;u&gt;Ergens&lt;/u&gt;", "Mees &lt;em&gt;Mede&lt;/em&gt; (Logius)", "rijksoverheid.nl, minbzk.nl",
			`name="email"`, `action="/stemmen"`)
		for _, leak := range []string{`<script>alert`, "<img src=x", "sanne.geheim", "mede.geheim", "nog.niet", "<b>verhaal"} {
			if strings.Contains(body, leak) {
				t.Errorf("voting page %s shows %q, want it escaped or absent", lang, leak)
			}
		}
	}
	_, en := ts.get(t, "/stemmen", "Accept-Language", "en")
	wantContains(t, "English voting page", en, "Vote on sessions", "Ask for your ballot", "choose up to 3 sessions")

	// Only proposals open for voting are listed; the demo's withdrawn ones are not.
	var withdrawn []models.Proposal
	modelstest.Find(t, ts.Store, &withdrawn, modelstest.Where("event_id = ? AND status = ?", e.ID, models.ProposalWithdrawn))
	if len(withdrawn) == 0 {
		t.Fatal("the demo has no withdrawn proposals")
	}
	modelstest.Set(t, ts.Store, &models.Proposal{}, prop.ID, "status", models.ProposalDeclined)
	_, body := ts.get(t, "/stemmen")
	for _, p := range withdrawn {
		if strings.Contains(body, p.Title) {
			t.Errorf("the withdrawn proposal %q is listed", p.Title)
		}
	}
	if strings.Contains(body, "&lt;script&gt;") {
		t.Error("a proposal its speaker declined is listed")
	}

	// The home and programme pages link to the voting page.
	for _, path := range []string{"/", "/programma/zwolle"} {
		_, body := ts.get(t, path)
		wantContains(t, path, body, `href="/stemmen"`)
	}
}

func TestRequestBallot(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	enableVoting(t, ts, 3, "rijksoverheid.nl", false)

	// Bad input is refused with the address kept, and queues nothing.
	for _, tc := range []struct{ email, want string }{
		{"", nlMsg(t, "form.required")},
		{"geen-adres", nlMsg(t, "form.invalid_email")},
		{"mallory@evilrijksoverheid.nl", nlMsg(t, "vote.domain_not_allowed", "Domains", "rijksoverheid.nl")},
		{"anna@example.nl", nlMsg(t, "vote.domain_not_allowed", "Domains", "rijksoverheid.nl")},
	} {
		resp, body := ts.postForm(t, "/stemmen", url.Values{"email": {tc.email}})
		wantStatus(t, resp, body, http.StatusUnprocessableEntity)
		wantContains(t, "refused "+tc.email, body, tc.want, `href="#veld-email"`, `value="`+tc.email+`"`)
	}
	if n := ballotMails(t, ts); n != 0 {
		t.Fatalf("refused requests queued %d mails, want 0", n)
	}

	// A cross-site form is refused.
	resp, body := ts.postFormCrossOrigin(t, "/stemmen", url.Values{"email": {"anna@rijksoverheid.nl"}})
	wantStatus(t, resp, body, http.StatusForbidden)

	// The same answer for a new address, a subdomain, and an address asking again.
	for _, email := range []string{"anna@rijksoverheid.nl", "bram@dienst.rijksoverheid.nl", "ANNA@rijksoverheid.nl"} {
		resp, body := ts.postForm(t, "/stemmen", url.Values{"email": {email}})
		wantStatus(t, resp, body, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/stemmen" {
			t.Errorf("after asking for a ballot Location = %q, want /stemmen", loc)
		}
		_, body = ts.get(t, "/stemmen")
		wantContains(t, "after asking", body, nlMsg(t, "vote.link_sent"))
	}
	if n, v := ballotMails(t, ts), countRows(t, ts, &models.Voter{}, ""); n != 3 || v != 2 {
		t.Errorf("%d ballot mails and %d voters, want 3 and 2", n, v)
	}
	var voter models.Voter
	if err := modelstest.First(ts.Store, &voter, modelstest.All); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(voter.EmailHash, "anna") || strings.Contains(voter.EmailHash, "@") {
		t.Errorf("the voter row holds %q, want only a hash", voter.EmailHash)
	}

	// Past its limit an address gets no more mail, but the same answer.
	for range 3 {
		resp, body := ts.postForm(t, "/stemmen", url.Values{"email": {"bram@dienst.rijksoverheid.nl"}})
		wantStatus(t, resp, body, http.StatusSeeOther)
	}
	if n := countRows(t, ts, &models.OutboxMessage{}, "recipient = ?", "bram@dienst.rijksoverheid.nl"); n != 3 {
		t.Errorf("%d ballot mails to one address, want 3 (the limit)", n)
	}

	// Per client: after a burst, 429 with a message, and nothing queued.
	before := ballotMails(t, ts)
	var last *http.Response
	for i := range 25 {
		last, body = ts.postForm(t, "/stemmen", url.Values{"email": {fmt.Sprintf("flood%d@rijksoverheid.nl", i)}})
		if last.StatusCode == http.StatusTooManyRequests {
			break
		}
	}
	wantStatus(t, last, body, http.StatusTooManyRequests)
	wantContains(t, "rate limited", body, nlMsg(t, "vote.too_many_requests"))
	wantRetryAfter(t, last)
	if n := ballotMails(t, ts); n-before >= 25 {
		t.Errorf("a flood queued %d mails, want fewer than 25", n-before)
	}

	// Closed: 403, nothing queued.
	ts.Store.SetClock(func() time.Time { return votingNow.Add(48 * time.Hour) })
	before = ballotMails(t, ts)
	resp, body = ts.postForm(t, "/stemmen", url.Values{"email": {"laat@rijksoverheid.nl"}})
	wantStatus(t, resp, body, http.StatusForbidden)
	wantContains(t, "closed", body, nlMsg(t, "vote.closed_notice"))
	if n := ballotMails(t, ts); n != before {
		t.Errorf("after closing a ballot mail was queued")
	}
}

func TestBallot(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	prop, others := voteFixture(t, ts)
	e := enableVoting(t, ts, 2, "", true)
	resp, body := ts.postForm(t, "/stemmen", url.Values{"email": {"kiezer@example.nl"}})
	wantStatus(t, resp, body, http.StatusSeeOther)
	link := ballotLink(t, ts, "kiezer@example.nl")

	resp, body = ts.get(t, link)
	wantStatus(t, resp, body, http.StatusOK)
	wantTranslated(t, "ballot", body)
	wantContains(t, "ballot", body, nlMsg(t, "vote.ballot_intro", "Max", 2), `name="votes" value="`+strconv.Itoa(int(prop.ID))+`"`,
		`&lt;script&gt;alert(&#34;titel&#34;)&lt;/script&gt;`, `src="`+staticURL(t, "vote.js")+`"`, `data-vote-limit="2"`)
	if strings.Contains(body, "<script>alert") || strings.Contains(body, "sanne.geheim") {
		t.Error("the ballot shows HTML unescaped or a speaker's address")
	}
	_, en := ts.get(t, link, "Accept-Language", "en")
	wantContains(t, "English ballot", en, "Your ballot", "Choose up to 2 sessions")

	votes := func() int64 { return countRows(t, ts, &models.Vote{}, "") }
	// Too many: 422, the ticks kept, nothing stored.
	three := idValues(prop.ID, others[0], others[1])
	resp, body = ts.postForm(t, link, three)
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	wantContains(t, "too many", body, nlMsg(t, "vote.too_many", "Chosen", 3, "Max", 2), `href="#veld-votes"`, `aria-invalid="true"`)
	got, want := checkedVotes(body), slices.Clone(three["votes"])
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("after too many votes the ticks are %v, want %v", got, want)
	}
	// None, a tampered value, a proposal that cannot be voted for: 422.
	var withdrawn models.Proposal
	if err := modelstest.First(ts.Store, &withdrawn, modelstest.Where("event_id = ? AND status = ?", e.ID, models.ProposalWithdrawn)); err != nil {
		t.Fatal(err)
	}
	for name, form := range map[string]url.Values{"none": {}, "tampered": {"votes": {"abc"}}, "withdrawn": idValues(withdrawn.ID)} {
		resp, body = ts.postForm(t, link, form)
		wantStatus(t, resp, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `href="#veld-votes"`) {
			t.Errorf("%s: no error on the votes", name)
		}
	}
	// A cross-site form is refused.
	resp, body = ts.postFormCrossOrigin(t, link, idValues(prop.ID))
	wantStatus(t, resp, body, http.StatusForbidden)
	if n := votes(); n != 0 {
		t.Fatalf("refused ballots stored %d votes, want 0", n)
	}

	// A valid set.
	resp, body = ts.postForm(t, link, idValues(prop.ID, others[0]))
	wantStatus(t, resp, body, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != link {
		t.Errorf("after voting Location = %q, want the ballot", loc)
	}
	_, body = ts.get(t, link)
	wantContains(t, "after voting", body, nlMsg(t, "vote.recorded"), nlMsg(t, "vote.your_votes", "Count", 2), "&lt;script&gt;")
	if strings.Contains(body, `name="votes"`) {
		t.Error("after voting the ballot still has a form")
	}

	// A second set, through this link or a new one for the same address: 409, unchanged.
	resp, body = ts.postForm(t, link, idValues(others[1]))
	wantStatus(t, resp, body, http.StatusConflict)
	wantContains(t, "second set", body, nlMsg(t, "vote.already_voted"), nlMsg(t, "vote.your_votes", "Count", 2))
	resp, body = ts.postForm(t, "/stemmen", url.Values{"email": {"Kiezer@Example.nl"}})
	wantStatus(t, resp, body, http.StatusSeeOther)
	second := ballotLink(t, ts, "Kiezer@Example.nl")
	if second == link {
		t.Fatal("the second request gave the same link, want a fresh one")
	}
	_, body = ts.get(t, second)
	wantContains(t, "second link", body, nlMsg(t, "vote.voted_intro"), nlMsg(t, "vote.your_votes", "Count", 2))
	resp, body = ts.postForm(t, second, idValues(others[2]))
	wantStatus(t, resp, body, http.StatusConflict)
	if n := votes(); n != 2 {
		t.Errorf("after second sets %d votes, want 2", n)
	}

	// Forged and unknown links are a 404.
	for _, path := range []string{"/stemmen/stembiljet/" + strings.Repeat("A", 43), link + "x", "/stemmen/stembiljet/kort"} {
		resp, body = ts.get(t, path)
		wantStatus(t, resp, body, http.StatusNotFound)
		resp, body = ts.postForm(t, path, idValues(prop.ID))
		wantStatus(t, resp, body, http.StatusNotFound)
	}

	// After closing: 403 for a voter who had not voted, and the counts on /stemmen.
	resp, body = ts.postForm(t, "/stemmen", url.Values{"email": {"later@example.nl"}})
	wantStatus(t, resp, body, http.StatusSeeOther)
	later := ballotLink(t, ts, "later@example.nl")
	ts.Store.SetClock(func() time.Time { return votingNow.Add(48 * time.Hour) })
	resp, body = ts.postForm(t, later, idValues(prop.ID))
	wantStatus(t, resp, body, http.StatusForbidden)
	wantContains(t, "closed ballot", body, nlMsg(t, "vote.closed_notice"))
	if n := votes(); n != 2 {
		t.Errorf("after closing %d votes, want 2", n)
	}
	_, body = ts.get(t, "/stemmen")
	wantContains(t, "closed voting page", body, nlMsg(t, "vote.has_closed"), nlMsg(t, "vote.counts_shown"), "<strong>"+nlMsg(t, "vote.count", "Count", 1)+"</strong>", "<strong>"+nlMsg(t, "vote.count", "Count", 0)+"</strong>")
	if strings.Contains(body, `name="email"`) {
		t.Error("after closing /stemmen still asks for an address")
	}
	// Without the organiser's choice, no counts.
	modelstest.Set(t, ts.Store, &models.Event{}, e.ID, "voting_counts_public", false)
	_, body = ts.get(t, "/stemmen")
	if strings.Contains(body, nlMsg(t, "vote.count", "Count", 1)+"<") {
		t.Error("counts are shown although the organisers chose not to")
	}
	// Before opening a ballot says so.
	ts.Store.SetClock(func() time.Time { return votingNow.Add(-48 * time.Hour) })
	resp, body = ts.get(t, later)
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, "before opening", body, nlMsg(t, "vote.not_yet_open"))
}

func TestEventFormSetsVoting(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	clearDemoVoting(t, ts)
	ts.loginAs(t, models.RoleOrganiser, "")
	resp, body := ts.get(t, "/beheer/evenement")
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, "event form", body, `name="voting_enabled"`, `name="voting_opens_at"`, `name="voting_closes_at"`,
		`name="votes_per_voter" value="5"`, `name="voting_domains"`, `name="voting_counts_public"`, `<legend class="utrecht-form-fieldset__legend">`+nlMsg(t, "vote.settings.legend")+"</legend>")
	e := testEvent(t, ts)
	loc := e.Location()
	form := url.Values{"name": {e.Name}, "date": {e.Date}, "timezone": {e.Timezone},
		"proposals_open_at":  {models.FormatLocal(e.ProposalsOpenAt, loc)},
		"proposals_close_at": {models.FormatLocal(e.ProposalsCloseAt, loc)},
		"voting_enabled":     {"ja"}, "voting_opens_at": {"2027-01-10T09:00"}, "voting_closes_at": {"2027-01-09T09:00"},
		"votes_per_voter": {"51"}, "voting_domains": {"rijksoverheid.nl, niet_goed"}}
	resp, body = ts.postForm(t, "/beheer/evenement", form)
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	wantContains(t, "refused settings", body, `href="#veld-voting_closes_at"`, `href="#veld-votes_per_voter"`,
		`href="#veld-voting_domains"`, nlMsg(t, "vote.invalid_domain", "Domain", "niet_goed"), "rijksoverheid.nl, niet_goed</textarea>")
	if testEvent(t, ts).VotingEnabled {
		t.Fatal("refused settings switched voting on")
	}
	form.Set("votes_per_voter", "0")
	resp, body = ts.postForm(t, "/beheer/evenement", form)
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	wantContains(t, "zero votes", body, `href="#veld-votes_per_voter"`, nlMsg(t, "form.between", "Min", 1, "Max", 50))
	form.Set("voting_closes_at", "2027-01-20T17:00")
	form.Set("votes_per_voter", "3")
	form.Set("voting_domains", "@Rijksoverheid.nl\nminbzk.nl")
	form.Set("voting_counts_public", "ja")
	resp, body = ts.postForm(t, "/beheer/evenement", form)
	wantStatus(t, resp, body, http.StatusSeeOther)
	e = testEvent(t, ts)
	if !e.VotingEnabled || e.VoteLimit() != 3 || e.VotingDomains != "rijksoverheid.nl\nminbzk.nl" || !e.VotingCountsPublic ||
		models.FormatLocal(e.VotingOpensAt, loc) != "2027-01-10T09:00" || models.FormatLocal(e.VotingClosesAt, loc) != "2027-01-20T17:00" {
		t.Errorf("stored voting settings %+v", e)
	}
	_, body = ts.get(t, "/beheer/evenement")
	wantContains(t, "event form after saving", body, `name="voting_enabled" value="ja" checked`, `value="2027-01-20T17:00"`,
		`name="votes_per_voter" value="3"`, "rijksoverheid.nl\nminbzk.nl</textarea>")
}

// TestVotersWhoWantToHearCanBeWrittenTo: the ballot form's "keep me informed" box leaves an
// address that a message to voters reaches; without it, a voter cannot be written to.
func TestVotersWhoWantToHearCanBeWrittenTo(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	enableVoting(t, ts, 3, "", false)
	_, page := ts.get(t, "/stemmen")
	if !strings.Contains(page, `name="op_de_hoogte"`) {
		t.Fatal("the ballot form has no box to keep informed")
	}
	// A bad address keeps the box as ticked.
	resp, body := ts.postForm(t, "/stemmen", url.Values{"email": {"geen adres"}, "op_de_hoogte": {"ja"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `value="ja" aria-describedby="veld-op-de-hoogte-hint" checked`) {
		t.Errorf("a bad address: %d, the box not kept ticked", resp.StatusCode)
	}
	for email, informed := range map[string]string{"wil.weten@example.nl": "ja", "stil@example.nl": ""} {
		resp, _ := ts.postForm(t, "/stemmen", url.Values{"email": {email}, "op_de_hoogte": {informed}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s asks for a ballot: %d", email, resp.StatusCode)
		}
	}
	ts.loginAs(t, models.RoleOrganiser, "")
	_, list := ts.get(t, "/beheer/deelnemers?groep=stemmers")
	if n := firstNumber(t, regexp.MustCompile(`id="lijst">`+nlCountPattern("audience.count.voters")), list, "voters"); n != 1 {
		t.Errorf("the voters' count is %d, want 1 (only who asked to hear)", n)
	}
	_, compose := ts.get(t, "/beheer/berichten/nieuw?groep=stemmers")
	if n := firstNumber(t, composeCountRE, compose, "the compose form's count"); n != 1 {
		t.Errorf("a message to voters goes to %d, want 1", n)
	}
	var got []string
	if err := ts.Store.EachRecipient(modelstest.Ctx(), models.Audience{Kind: models.AudienceVoters}, func(r models.Recipient) error {
		got = append(got, r.Email)
		return nil
	}); err != nil || len(got) != 1 || got[0] != "wil.weten@example.nl" {
		t.Errorf("voters to write to %v (%v), want wil.weten@example.nl", got, err)
	}
}
