package handlers

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/photo"
)

// The call for proposals: speakers submit at /voorstellen, and change or withdraw their
// proposal through the personal link /voorstel/TOKEN until the deadline.

var proposalFields = []string{"title:proposal.title", "summary:proposal.summary", "description:proposal.description",
	"format:proposal.format", "slots:proposal.slots", "max_participants:proposal.max_participants",
	"audience:proposal.audience", "level:proposal.level", "venues:proposal.venues", "availability:proposal.availability",
	"needs:proposal.needs", "speaker_name:proposal.speaker_name", "speaker_email:proposal.speaker_email",
	"speaker_organisation:proposal.speaker_organisation", "speaker_bio:proposal.speaker_bio", "photo:proposal.photo",
	"co_speakers:proposal.co_speakers", "consent:proposal.consent_short"}

// proposalFormData is the submit page, and the speaker's page behind the personal link.
type proposalFormData struct {
	Page
	Event      models.Event
	Open       bool // the call is open now
	NotYetOpen bool
	Venues     []models.Venue
	Formats    []Option
	Levels     []Option
	// SlotOptions are the lengths a session may have: one or two slots.
	SlotOptions []Option
	Needs       []string
	Action      string
	// Set on the speaker's own page.
	Token    string
	Proposal *models.Proposal
	Editable bool
	// Session is what a confirmed proposal became: place, time and sign-ups.
	Session *models.Session
	// Feedback is the session's feedback as its speaker may see it, once the day is over
	// (issue #18); nil before.
	Feedback *speakerFeedback
	// Status is the proposal's status as its speaker may see it (models.Store.SpeakerStatus).
	Status string
}

// proposalPage gathers what the proposal form shows: the call's window, the venues with
// their slots, and the choices of format and level.
func (h *Handler) proposalPage(c *gin.Context, p Page) (proposalFormData, error) {
	event, err := h.store.CurrentEvent(c.Request.Context())
	if err != nil {
		return proposalFormData{}, err
	}
	return h.proposalPageFor(c, p, event)
}

// proposalPageFor is proposalPage for a given event: a proposal's own.
func (h *Handler) proposalPageFor(c *gin.Context, p Page, event models.Event) (proposalFormData, error) {
	ctx := c.Request.Context()
	venues, err := h.store.Venues(ctx, event.ID)
	if err != nil {
		return proposalFormData{}, err
	}
	now := h.store.Now()
	d := proposalFormData{Page: p, Event: event, Open: event.CallOpen(now), NotYetOpen: event.CallNotYetOpen(now),
		Venues: venues, Needs: models.ProposalNeeds, Action: "/voorstellen"}
	d.Formats = []Option{{Value: "", Label: p.T("proposal.choose")}}
	for _, f := range models.ProposalFormats {
		d.Formats = append(d.Formats, Option{Value: f, Label: p.Format(f)})
	}
	d.SlotOptions = []Option{{Value: "1", Label: p.T("proposal.slots_one")}, {Value: "2", Label: p.T("proposal.slots_two")}}
	d.Levels = []Option{{Value: "", Label: p.T("proposal.level_none")}}
	for _, l := range models.ProposalLevels {
		d.Levels = append(d.Levels, Option{Value: l, Label: p.T("proposal.level." + l)})
	}
	return d, nil
}

func (h *Handler) showProposalForm(c *gin.Context) {
	p := h.page(c, h.tr(c).T("proposal.title_page"), "proposals")
	p.Form = newForm(url.Values{"slots": {"1"}}, proposalFields...)
	d, err := h.proposalPage(c, p)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "proposal_form", d)
}

// maxProposalBody bounds a proposal form with its photo; beyond 1 MB in memory the parts go
// to temporary files.
const maxProposalBody = 32 << 20

// postedProposal reads the multipart form and returns it with the uploaded photo's file,
// nil when none was chosen. It does not look inside the photo: that costs far more than the
// rest, so it waits until the form is valid and the rate limits allow it (readPhoto). A body
// too large or broken is a problem on the photo field.
func (h *Handler) postedProposal(c *gin.Context) (*Form, *multipart.FileHeader) {
	// Phone photos are often 7 to 12 MB: the body may be much larger than a photo we take, so
	// that the form's text is read and kept and only the photo is refused.
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxProposalBody)
	err := c.Request.ParseMultipartForm(1 << 20)
	form := newForm(c.Request.PostForm, proposalFields...)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		form.Problems.Add("photo", "proposal.photo_too_large", "Max", photo.MaxBytes>>20)
		return form, nil
	case err != nil && !errors.Is(err, http.ErrNotMultipart):
		form.Problems.Add("photo", "proposal.photo_broken")
		return form, nil
	}
	if c.Request.MultipartForm == nil || len(c.Request.MultipartForm.File["photo"]) == 0 {
		return form, nil
	}
	fh := c.Request.MultipartForm.File["photo"][0]
	if fh.Size == 0 && fh.Filename == "" {
		return form, nil // the browser sends an empty part when no file was chosen
	}
	if fh.Size > photo.MaxBytes {
		form.Problems.Add("photo", "proposal.photo_too_large", "Max", photo.MaxBytes>>20)
		return form, nil
	}
	return form, fh
}

// readPhoto checks and re-encodes the uploaded photo fh into in. A photo that is not an
// image, too large or broken is a problem on the form's photo field, and readPhoto reports
// false; no upload is true.
func readPhoto(form *Form, fh *multipart.FileHeader, in *models.ProposalInput) bool {
	if fh == nil {
		return true
	}
	f, err := fh.Open()
	if err != nil {
		form.Problems.Add("photo", "proposal.photo_broken")
		return false
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, photo.MaxBytes+1))
	if err != nil {
		form.Problems.Add("photo", "proposal.photo_broken")
		return false
	}
	ph, err := photo.Normalize(data)
	switch {
	case errors.Is(err, photo.ErrTooLarge):
		form.Problems.Add("photo", "proposal.photo_too_large", "Max", photo.MaxBytes>>20)
	case errors.Is(err, photo.ErrNotAnImage):
		form.Problems.Add("photo", "proposal.photo_not_image")
	case errors.Is(err, photo.ErrTooManyPx):
		form.Problems.Add("photo", "proposal.photo_too_many_pixels")
	case err != nil:
		form.Problems.Add("photo", "proposal.photo_broken")
	default:
		in.Photo, in.PhotoType = ph.Data, ph.ContentType
		return true
	}
	return false
}

// proposalFromForm reads the form's fields into an input; unparseable numbers and ids are
// problems on the form.
func proposalFromForm(form *Form, lang string) models.ProposalInput {
	in := models.ProposalInput{
		Title: form.String("title"), Summary: form.String("summary"), Description: form.String("description"),
		Format: form.String("format"), Slots: form.Int("slots", true), MaxParticipants: form.Int("max_participants", true),
		Audience: form.String("audience"), Level: form.String("level"), Venues: form.Values["venues"],
		Speaker: models.ProposalSpeaker{Name: form.String("speaker_name"), Email: form.String("speaker_email"),
			Organisation: form.String("speaker_organisation"), Bio: form.String("speaker_bio")},
		Consent: form.String("consent") == "ja", Lang: lang, RemovePhoto: form.String("remove_photo") == "ja",
	}
	for _, v := range form.Values["availability"] {
		id, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			form.Problems.Add("availability", "form.invalid_choice")
			continue
		}
		in.Availability = append(in.Availability, uint(id))
	}
	for _, n := range form.Values["needs"] {
		if slices.Contains(models.ProposalNeeds, n) {
			in.Needs = append(in.Needs, n)
		}
	}
	for line := range strings.Lines(form.String("needs_other")) {
		if line = strings.TrimSpace(line); line != "" {
			in.Needs = append(in.Needs, line)
		}
	}
	in.CoSpeakers = strings.FieldsFunc(form.String("co_speakers"), func(r rune) bool {
		return r == '\n' || r == '\r' || r == ',' || r == ';' || r == ' ' || r == '\t'
	})
	return in
}

// formProblems renames the store's field names for the form: "speaker.name" is the form
// field "speaker_name".
func formProblems(p models.Problems) models.Problems {
	out := models.Problems{}
	for field, pr := range p {
		out[strings.ReplaceAll(field, ".", "_")] = pr
	}
	return out
}

// proposalValues fills a form with a stored proposal, the way the speaker typed it.
func proposalValues(p models.Proposal) url.Values {
	v := url.Values{"title": {p.Title}, "summary": {p.Summary}, "description": {p.Description}, "format": {p.Format},
		"slots": {strconv.Itoa(p.SlotCount)}, "max_participants": {strconv.Itoa(p.MaxParticipants)},
		"audience": {p.Audience}, "level": {p.Level}, "speaker_name": {p.SpeakerName}, "speaker_email": {p.SpeakerEmail},
		"speaker_organisation": {p.SpeakerOrganisation}, "speaker_bio": {p.SpeakerBio},
		"co_speakers": {strings.Join(p.CoSpeakerEmails(), "\n")}, "consent": {"ja"}}
	v["venues"] = p.VenueSlugs()
	for _, id := range p.SlotIDs() {
		v.Add("availability", strconv.Itoa(int(id)))
	}
	var other []string
	for _, n := range p.Needs {
		if slices.Contains(models.ProposalNeeds, n) {
			v.Add("needs", n)
		} else {
			other = append(other, n)
		}
	}
	v.Set("needs_other", strings.Join(other, "\n"))
	return v
}

func (h *Handler) createProposal(c *gin.Context) {
	form, upload := h.postedProposal(c)
	in := proposalFromForm(form, string(h.tr(c).Lang()))
	status := http.StatusUnprocessableEntity
	var res models.ProposalResult
	var err error
	// The photo is looked at last: after the form is valid and the limits allow it.
	problems := in.Validate()
	switch {
	case !form.Valid() || len(problems) > 0:
		form.Merge(formProblems(problems))
	default:
		if wait := h.proposalWait(c, in); wait > 0 {
			status = http.StatusTooManyRequests
			tooManyProblem(form, "speaker_email", wait)
		} else if readPhoto(form, upload, &in) {
			res, err = h.store.SubmitProposal(c.Request.Context(), in)
		}
	}
	// A call closed meanwhile: the page shows it closed, with the table's status.
	closed, isClosed := shownStoreError(err, fromTable(models.ErrCallClosed)...)
	var verr *models.ValidationError
	switch {
	case errors.As(err, &verr):
		form.Merge(formProblems(verr.Problems))
	case isClosed:
		status = closed.Status
	case err != nil:
		h.fail(c, err)
		return
	case form.Valid():
		h.setFlash(c, "proposal.submitted")
		c.Redirect(http.StatusSeeOther, "/voorstel/"+res.Token)
		return
	}
	p := h.page(c, h.tr(c).T("proposal.title_page"), "proposals")
	p.Form = form
	d, derr := h.proposalPage(c, p)
	if derr != nil {
		h.serverError(c, derr)
		return
	}
	h.render(c, status, "proposal_form", d)
}

// proposalWait applies the submission limit to the client's address and to the speaker's
// e-mail address, so neither a script nor a spoofed sender can make us mail many people, and
// counts a mail to every address the proposal names (speaker and co-speakers). Only
// well-formed submissions count: correcting typing errors never uses up the limit.
func (h *Handler) proposalWait(c *gin.Context, in models.ProposalInput) time.Duration {
	keys := []limitKey{byClient(h.proposalLimiter, c), byAddress(h.proposalLimiter, in.Speaker.Email),
		byAddress(h.mail.recipients, in.Speaker.Email)}
	for _, e := range in.CoSpeakers {
		keys = append(keys, byAddress(h.mail.recipients, e))
	}
	return h.waitFor(c, keys...)
}

// proposalEditWait limits changes to proposal prop per client and per proposal (each may
// carry a photo to decode), and counts a mail to every address the change adds: a new
// speaker address, new co-speakers.
func (h *Handler) proposalEditWait(c *gin.Context, prop models.Proposal, in models.ProposalInput) time.Duration {
	keys := []limitKey{byClient(h.mail.clients, c), {limiter: h.mail.proposalEdits, key: "proposal:" + strconv.Itoa(int(prop.ID))}}
	if models.NormalizeEmail(in.Speaker.Email) != models.NormalizeEmail(prop.SpeakerEmail) {
		keys = append(keys, byAddress(h.mail.recipients, in.Speaker.Email))
	}
	invited := map[string]bool{}
	for _, co := range prop.CoSpeakers {
		invited[co.EmailKey] = true
	}
	for _, e := range in.CoSpeakers {
		if !invited[models.NormalizeEmail(e)] {
			keys = append(keys, byAddress(h.mail.recipients, e))
		}
	}
	return h.waitFor(c, keys...)
}
