package handlers

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/mail"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// proposalValuesFor is a valid proposal as the form posts it.
func proposalValuesFor(email string) url.Values {
	return url.Values{
		"title": {"Open data in de praktijk"}, "summary": {"Kort."}, "description": {"Lang."}, "format": {"workshop"},
		"slots": {"1"}, "max_participants": {"30"}, "speaker_name": {"Bram Bakker"}, "speaker_email": {email},
		"speaker_organisation": {"Gemeente Zwolle"}, "consent": {"ja"},
	}
}

// postMultipart posts values and an optional file as the proposal form does.
func (ts *testServer) postMultipart(t *testing.T, path string, values url.Values, fileName string, file []byte, headers ...string) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vs := range values {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	if fileName != "" {
		fw, err := w.CreateFormFile("photo", fileName)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(file)
	}
	w.Close()
	req, err := http.NewRequest(http.MethodPost, ts.URL+path, &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	return ts.do(t, req, append([]string{"Origin", ts.URL, "Sec-Fetch-Site", "same-origin"}, headers...)...)
}

// testPhoto draws a w×h picture: red on the left, blue on the right.
func testPhoto(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{R: 200, A: 255}
			if x >= w/2 {
				c = color.RGBA{B: 200, A: 255}
			}
			img.Set(x, y, c)
		}
	}
	return img
}

func pngBytes(t *testing.T, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func jpegBytes(t *testing.T, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var proposalLink = regexp.MustCompile(`^/voorstel/([A-Za-z0-9_-]{43})$`)

// submitByForm posts the proposal form and returns the token of the page it redirects to.
func submitByForm(t *testing.T, ts *testServer, values url.Values, fileName string, file []byte) string {
	t.Helper()
	resp, body := ts.postMultipart(t, "/voorstellen", values, fileName, file)
	wantStatus(t, resp, body, http.StatusSeeOther)
	m := proposalLink.FindStringSubmatch(resp.Header.Get("Location"))
	if m == nil {
		t.Fatalf("Location got %q, want /voorstel/TOKEN", resp.Header.Get("Location"))
	}
	return m[1]
}

func TestProposalFormPage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	resp, body := ts.get(t, "/voorstellen")
	wantStatus(t, resp, body, http.StatusOK)
	wantTranslated(t, "proposal form", body)
	for _, want := range []string{`enctype="multipart/form-data"`, `name="title"`, `name="venues" value="zwolle"`,
		`name="availability"`, `name="needs" value="projector"`, `name="photo"`, `accept="image/jpeg,image/png"`,
		`name="co_speakers"`, `name="consent"`, nlMsg(t, "proposal.title_page"), nlMsgUpTo(t, "proposal.deadline", "When")} {
		if !strings.Contains(body, want) {
			t.Errorf("the proposal form lacks %q", want)
		}
	}
	_, en := ts.get(t, "/voorstellen", "Accept-Language", "en")
	if !strings.Contains(en, "Propose a session") || !strings.Contains(en, "Preferred venue") {
		t.Errorf("the English form is not in English:\n%s", excerpt(en))
	}

	e := testEvent(t, ts)
	ts.Store.SetClock(func() time.Time { return e.ProposalsOpenAt.Add(-time.Hour) })
	_, body = ts.get(t, "/voorstellen")
	if strings.Contains(body, `name="title"`) || !strings.Contains(body, nlMsgUpTo(t, "proposal.opens_at", "When")) {
		t.Errorf("before the call opens the page shows a form or no opening time:\n%s", excerpt(body))
	}
	ts.Store.SetClock(func() time.Time { return *e.ProposalsCloseAt })
	_, body = ts.get(t, "/voorstellen")
	if strings.Contains(body, `name="title"`) || !strings.Contains(body, nlMsg(t, "proposal.closed")) {
		t.Errorf("after the deadline the page shows a form or does not say it closed:\n%s", excerpt(body))
	}
	before := countRows(t, ts, &models.Proposal{}, "1 = 1")
	resp, body = ts.postMultipart(t, "/voorstellen", proposalValuesFor("laat@example.nl"), "", nil)
	wantStatus(t, resp, body, http.StatusForbidden)
	if n := countRows(t, ts, &models.Proposal{}, "1 = 1"); n != before {
		t.Errorf("a proposal after the deadline was stored: %d, want %d", n, before)
	}
}

func TestProposalFormInvalid(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	values := url.Values{"title": {tricky}, "slots": {"3"}, "max_participants": {"veel"}, "speaker_email": {"anna@"},
		"co_speakers": {"bram@example.nl\ngeen-adres"}, "needs": {"flipover"}, "needs_other": {"Een statafel"}, "venues": {"zwolle"}}
	resp, body := ts.postMultipart(t, "/voorstellen", values, "", nil)
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	wantTranslated(t, "invalid proposal form", body)
	if !strings.Contains(body, "error-summary") {
		t.Error("no error summary")
	}
	for _, field := range []string{"summary", "description", "format", "slots", "max_participants", "speaker_name",
		"speaker_email", "speaker_organisation", "co_speakers", "consent"} {
		if !strings.Contains(body, `href="#veld-`+field+`"`) {
			t.Errorf("the error summary does not link to %s", field)
		}
		if !strings.Contains(body, `id="veld-`+field+`-error"`) {
			t.Errorf("no error message next to %s", field)
		}
	}
	// What was typed is kept, and shown escaped.
	for _, want := range []string{`value="  Zoë&#39;s &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; “quotes” 🎉  "`,
		`value="anna@"`, "bram@example.nl\ngeen-adres</textarea>", "Een statafel</textarea>",
		`value="flipover" checked`, `value="zwolle" checked`} {
		if !strings.Contains(body, want) {
			t.Errorf("the refused form does not keep %q", want)
		}
	}
	if strings.Contains(body, `<script>alert`) {
		t.Error("the page holds the typed script unescaped")
	}
}

func TestProposalSubmitWithPhoto(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	zwolle := testVenue(t, ts, "zwolle")
	for _, tc := range []struct {
		name, file, contentType string
		data                    []byte
		width, height           int
	}{
		{"png", "ik.png", "image/png", pngBytes(t, testPhoto(1200, 600)), 800, 400},
		{"jpeg", "ik.jpg", "image/jpeg", jpegBytes(t, testPhoto(300, 500)), 300, 500},
	} {
		t.Run(tc.name, func(t *testing.T) {
			values := proposalValuesFor("foto-" + tc.name + "@example.nl")
			values.Set("title", tricky)
			values["venues"] = []string{"zwolle"}
			values["availability"] = []string{idString(zwolle.Slots[0].ID)}
			values["needs"] = []string{"projector", "laptop"}
			values.Set("needs_other", "Een statafel\nRingleiding")
			values.Set("co_speakers", "carla@example.nl, daan@example.nl")
			token := submitByForm(t, ts, values, tc.file, tc.data)
			p, err := ts.Store.ProposalByToken(modelstest.Ctx(), token)
			if err != nil {
				t.Fatal(err)
			}
			if p.Title != tricky || !p.HasPhoto || strings.Join(p.Needs, "|") != "projector|laptop|Een statafel|Ringleiding" ||
				strings.Join(p.CoSpeakerEmails(), " ") != "carla@example.nl daan@example.nl" || len(p.SlotIDs()) != 1 || p.Lang != "nl" {
				t.Errorf("stored %q photo %v needs %q co-speakers %q slots %v lang %q", p.Title, p.HasPhoto, p.Needs, p.CoSpeakerEmails(), p.SlotIDs(), p.Lang)
			}
			ph, err := ts.Store.ProposalPhoto(modelstest.Ctx(), p.ID)
			if err != nil {
				t.Fatal(err)
			}
			img, format, err := image.Decode(bytes.NewReader(ph.Data))
			if err != nil || "image/"+format != tc.contentType || ph.ContentType != tc.contentType {
				t.Fatalf("stored photo decodes as %q (%v), type %q; want %s", format, err, ph.ContentType, tc.contentType)
			}
			if img.Bounds().Dx() != tc.width || img.Bounds().Dy() != tc.height {
				t.Errorf("stored photo is %v, want %d×%d", img.Bounds(), tc.width, tc.height)
			}
			if bytes.Equal(ph.Data, tc.data) {
				t.Error("the photo was stored as uploaded, want it re-encoded")
			}

			// The page behind the link shows the proposal, escaped, with the photo.
			resp, body := ts.get(t, "/voorstel/"+token)
			wantStatus(t, resp, body, http.StatusOK)
			wantTranslated(t, "proposal page", body)
			if !strings.Contains(body, nlMsg(t, "proposal.submitted")) || !strings.Contains(body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") ||
				strings.Contains(body, "<script>alert") || !strings.Contains(body, `src="/voorstel/`+token+`/foto"`) {
				t.Errorf("the proposal page lacks the flash, the escaped title or the photo:\n%s", excerpt(body))
			}
			resp, served := ts.get(t, "/voorstel/"+token+"/foto")
			wantStatus(t, resp, served, http.StatusOK)
			if resp.Header.Get("Content-Type") != tc.contentType || served != string(ph.Data) {
				t.Errorf("photo served as %q, %d bytes; want %s, the stored %d bytes", resp.Header.Get("Content-Type"), len(served), tc.contentType, len(ph.Data))
			}
		})
	}
	resp, body := ts.get(t, "/voorstel/"+strings.Repeat("A", 43)+"/foto")
	wantStatus(t, resp, body, http.StatusNotFound)
}

// claimPixels rewrites a PNG's header to claim w×h pixels, with a correct checksum.
func claimPixels(data []byte, w, h int) []byte {
	out := bytes.Clone(data)
	binary.BigEndian.PutUint32(out[16:], uint32(w))
	binary.BigEndian.PutUint32(out[20:], uint32(h))
	binary.BigEndian.PutUint32(out[29:], crc32.ChecksumIEEE(out[12:29]))
	return out
}

func TestProposalPhotoRefused(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	good := pngBytes(t, testPhoto(200, 200))
	big := append(jpegBytes(t, testPhoto(50, 50)), bytes.Repeat([]byte{0}, 5<<20)...)
	for _, tc := range []struct {
		name, file string
		data       []byte
		message    string
	}{
		{"text file named .png", "foto.png", []byte("Dit is geen foto.\n"), nlMsg(t, "proposal.photo_not_image")},
		{"gif", "foto.gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), nlMsg(t, "proposal.photo_not_image")},
		{"huge image", "groot.png", claimPixels(pngBytes(t, testPhoto(2, 2)), 30000, 30000), nlMsg(t, "proposal.photo_too_many_pixels")},
		{"truncated image", "half.png", good[:len(good)/2], nlMsg(t, "proposal.photo_broken")},
		{"file over 5 MB", "zwaar.jpg", big, nlMsg(t, "proposal.photo_too_large", "Max", 5)},
		// A phone photo of 7 MB: the form's text must survive it.
		{"phone photo of 7 MB", "telefoon.jpg", append(jpegBytes(t, testPhoto(50, 50)), bytes.Repeat([]byte{0}, 7<<20)...), nlMsg(t, "proposal.photo_too_large", "Max", 5)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := countRows(t, ts, &models.Proposal{}, "1 = 1")
			photos := countRows(t, ts, &models.ProposalPhoto{}, "1 = 1")
			outbox := countRows(t, ts, &models.OutboxMessage{}, "1 = 1")
			resp, body := ts.postMultipart(t, "/voorstellen", proposalValuesFor("geweigerd@example.nl"), tc.file, tc.data)
			wantStatus(t, resp, body, http.StatusUnprocessableEntity)
			if !strings.Contains(body, `id="veld-photo-error"`) || !strings.Contains(body, tc.message) || !strings.Contains(body, `href="#veld-photo"`) {
				t.Errorf("the page does not explain the photo with %q:\n%s", tc.message, excerpt(body))
			}
			if !strings.Contains(body, `value="Open data in de praktijk"`) {
				t.Error("the refused form lost the title")
			}
			if countRows(t, ts, &models.Proposal{}, "1 = 1") != before || countRows(t, ts, &models.ProposalPhoto{}, "1 = 1") != photos ||
				countRows(t, ts, &models.OutboxMessage{}, "1 = 1") != outbox {
				t.Error("a refused photo left a proposal, a photo or an e-mail behind")
			}
		})
	}
}

// mailLink composes the outbox message of kind to proposalID's recipient and returns the
// path of the personal link in it.
func mailLink(t *testing.T, ts *testServer, proposalID uint, kind, recipient string) (string, mail.Message) {
	t.Helper()
	var msg models.OutboxMessage
	if err := modelstest.First(ts.Store, &msg, modelstest.Where("proposal_id = ? AND kind = ? AND recipient = ?", proposalID, kind, recipient)); err != nil {
		t.Fatalf("no %s mail to %s in the outbox: %v", kind, recipient, err)
	}
	c := &mail.Composer{Store: ts.Store, BaseURL: ts.URL}
	m, err := c.Compose(modelstest.Ctx(), msg)
	if err != nil {
		t.Fatalf("compose the %s mail: %v", kind, err)
	}
	i := strings.Index(m.Text, ts.URL+"/voorstel")
	if i < 0 {
		t.Fatalf("no personal link in:\n%s", m.Text)
	}
	return strings.Fields(m.Text[i+len(ts.URL):])[0], m
}

func TestProposalEditThroughMailLink(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	values := proposalValuesFor("wijzig@example.nl")
	values.Set("co_speakers", "ella@example.nl")
	first := submitByForm(t, ts, values, "", nil)
	p, err := ts.Store.ProposalByToken(modelstest.Ctx(), first)
	if err != nil {
		t.Fatal(err)
	}
	link, m := mailLink(t, ts, p.ID, models.MailProposalReceived, "wijzig@example.nl")
	if !proposalLink.MatchString(link) || link == "/voorstel/"+first || !strings.Contains(m.Subject, "Open data in de praktijk") {
		t.Errorf("mail link %q subject %q: want a fresh /voorstel/TOKEN and the title", link, m.Subject)
	}
	resp, body := ts.get(t, link)
	wantStatus(t, resp, body, http.StatusOK)
	if !strings.Contains(body, `value="Open data in de praktijk"`) || !strings.Contains(body, "ella@example.nl</textarea>") {
		t.Errorf("the edit page is not filled in:\n%s", excerpt(body))
	}

	// Change it, with a mistake first.
	values.Set("title", "")
	resp, body = ts.postMultipart(t, link, values, "", nil)
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, `href="#veld-title"`) {
		t.Error("the refused change has no error for the title")
	}
	values.Set("title", "Open data, de tweede keer")
	resp, body = ts.postMultipart(t, link, values, "", nil)
	wantStatus(t, resp, body, http.StatusSeeOther)
	_, body = ts.get(t, link)
	if !strings.Contains(body, nlMsg(t, "proposal.saved")) || !strings.Contains(body, `value="Open data, de tweede keer"`) {
		t.Errorf("after saving the page does not show the change:\n%s", excerpt(body))
	}

	// The co-speaker's own link: confirm and complete the profile.
	coLink, coMail := mailLink(t, ts, p.ID, models.MailCoSpeakerInvite, "ella@example.nl")
	if !strings.HasPrefix(coLink, "/voorstellen/medespreker/") || !strings.Contains(coMail.Text, "Bram Bakker") {
		t.Errorf("invitation link %q, text:\n%s", coLink, coMail.Text)
	}
	resp, body = ts.get(t, coLink)
	wantStatus(t, resp, body, http.StatusOK)
	wantTranslated(t, "co-speaker page", body)
	resp, body = ts.postForm(t, coLink, url.Values{"name": {""}, "organisation": {"Logius"}})
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, `href="#veld-name"`) || !strings.Contains(body, `value="Logius"`) {
		t.Errorf("the refused confirmation lacks the error or lost the organisation:\n%s", excerpt(body))
	}
	resp, body = ts.postForm(t, coLink, url.Values{"name": {"Ella <b>Vos</b>"}, "organisation": {"Logius"}, "bio": {"Hallo."}})
	wantStatus(t, resp, body, http.StatusSeeOther)
	p, _ = ts.Store.Proposal(modelstest.Ctx(), p.ID)
	if co := p.CoSpeakers[0]; co.Name != "Ella <b>Vos</b>" || co.Organisation != "Logius" || co.ConfirmedAt == nil {
		t.Errorf("co-speaker after confirming: %+v", co)
	}
	_, body = ts.get(t, link)
	if !strings.Contains(body, "Ella &lt;b&gt;Vos&lt;/b&gt; · ella@example.nl · bevestigd") {
		t.Errorf("the speaker's page does not show the confirmed co-speaker:\n%s", excerpt(body))
	}
	// The speaker's link does not open the co-speaker's page, nor the other way round.
	for _, path := range []string{"/voorstellen/medespreker/" + strings.TrimPrefix(link, "/voorstel/"), "/voorstel/" + strings.TrimPrefix(coLink, "/voorstellen/medespreker/")} {
		resp, body = ts.get(t, path)
		wantStatus(t, resp, body, http.StatusNotFound)
	}

	// After the deadline both pages are read-only, and posts change nothing.
	ts.Store.SetClock(func() time.Time { return *testEvent(t, ts).ProposalsCloseAt })
	_, body = ts.get(t, link)
	if strings.Contains(body, `name="title"`) || strings.Contains(body, "/intrekken") || !strings.Contains(body, nlMsg(t, "proposal.read_only")) ||
		!strings.Contains(body, "Open data, de tweede keer") {
		t.Errorf("after the deadline the page is not read-only:\n%s", excerpt(body))
	}
	values.Set("title", "Te laat")
	resp, body = ts.postMultipart(t, link, values, "", nil)
	wantStatus(t, resp, body, http.StatusSeeOther)
	resp, body = ts.postForm(t, link+"/intrekken", nil)
	wantStatus(t, resp, body, http.StatusSeeOther)
	_, body = ts.get(t, coLink)
	if strings.Contains(body, `name="name"`) || !strings.Contains(body, nlMsg(t, "proposal.read_only")) {
		t.Errorf("after the deadline the co-speaker page is not read-only:\n%s", excerpt(body))
	}
	if p, _ = ts.Store.Proposal(modelstest.Ctx(), p.ID); p.Title != "Open data, de tweede keer" || p.Status != models.ProposalSubmitted {
		t.Errorf("after the deadline: title %q status %q, want them unchanged", p.Title, p.Status)
	}

	// Before it, withdrawing works once and leaves the page read-only.
	ts.Store.SetClock(time.Now)
	resp, body = ts.postForm(t, link+"/intrekken", nil)
	wantStatus(t, resp, body, http.StatusSeeOther)
	_, body = ts.get(t, link)
	if !strings.Contains(body, nlMsg(t, "proposal.withdrawn_done")) || strings.Contains(body, `name="title"`) {
		t.Errorf("after withdrawing:\n%s", excerpt(body))
	}
	if p, _ = ts.Store.Proposal(modelstest.Ctx(), p.ID); p.Status != models.ProposalWithdrawn {
		t.Errorf("status after withdrawing %q, want withdrawn", p.Status)
	}
	resp, body = ts.get(t, "/voorstel/"+strings.Repeat("A", 43))
	wantStatus(t, resp, body, http.StatusNotFound)
}

func TestEventFormSetsCallForProposals(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.loginAs(t, models.RoleOrganiser, "")
	resp, body := ts.get(t, "/beheer/evenement")
	wantStatus(t, resp, body, http.StatusOK)
	if !strings.Contains(body, `name="proposals_open_at"`) || !strings.Contains(body, `name="proposals_close_at"`) {
		t.Fatal("the event form has no fields for the call for proposals")
	}
	e := testEvent(t, ts)
	form := url.Values{"name": {e.Name}, "date": {e.Date}, "timezone": {e.Timezone},
		"proposals_open_at": {"2026-12-01T09:00"}, "proposals_close_at": {"2026-11-30T09:00"}}
	resp, body = ts.postForm(t, "/beheer/evenement", form)
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, `href="#veld-proposals_close_at"`) {
		t.Error("a deadline before the opening is not refused on its field")
	}
	form.Set("proposals_close_at", "2027-01-15T17:00")
	resp, body = ts.postForm(t, "/beheer/evenement", form)
	wantStatus(t, resp, body, http.StatusSeeOther)
	e = testEvent(t, ts)
	loc := e.Location()
	if got := models.FormatLocal(e.ProposalsOpenAt, loc) + " " + models.FormatLocal(e.ProposalsCloseAt, loc); got != "2026-12-01T09:00 2027-01-15T17:00" {
		t.Errorf("stored call window %q, want 2026-12-01T09:00 2027-01-15T17:00", got)
	}
	_, body = ts.get(t, "/beheer/evenement")
	if !strings.Contains(body, `value="2027-01-15T17:00"`) {
		t.Error("the event form does not show the stored deadline")
	}
}

func TestHomeInvitesProposalsWhileTheCallIsOpen(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	_, body := ts.get(t, "/")
	if !strings.Contains(body, `href="/voorstellen"`) {
		t.Error("the home page does not link to /voorstellen while the call is open")
	}
	ts.Store.SetClock(func() time.Time { return *testEvent(t, ts).ProposalsCloseAt })
	_, body = ts.get(t, "/")
	if strings.Contains(body, `href="/voorstellen"`) {
		t.Error("the home page links to /voorstellen after the deadline")
	}
}
