// Editions (issue #18): which edition the organisers' pages work on, and /beheer/edities,
// where organisers make a new edition from the last one and publish it.

package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/schedule"
)

const (
	// sessionEdition is the id of the edition a signed-in organiser chose to work on.
	sessionEdition = "edition"
	// ctxEdition holds the request's edition once organiserEvent has looked it up.
	ctxEdition = "edition"
	// editionHeader names the edition in every answer of an organiser route, the API's too.
	editionHeader = "Dagplanner-Edition"
)

// organiserEvent is the edition the organisers' pages, exports and API calls work on: the one
// of ?edition=YYYY (the API's way to choose), else the one chosen in /beheer (kept in the
// session), else the current edition. An account limited to one venue works on its venue's
// edition. The answer names it in the Dagplanner-Edition header.
// It returns ErrNotFound when ?edition names a year without an edition, or there is no event.
func (h *Handler) organiserEvent(c *gin.Context) (models.Event, error) {
	if e, ok := c.Get(ctxEdition); ok {
		if event, ok := e.(models.Event); ok {
			return event, nil
		}
	}
	e, err := h.chooseEdition(c)
	if err != nil {
		return models.Event{}, err
	}
	c.Set(ctxEdition, e)
	c.Header(editionHeader, strconv.Itoa(e.Year()))
	return e, nil
}

func (h *Handler) chooseEdition(c *gin.Context) (models.Event, error) {
	ctx := c.Request.Context()
	if u := h.actingUser(c); u.VenueID != nil {
		v, err := h.store.Venue(ctx, *u.VenueID)
		if err != nil {
			return models.Event{}, err
		}
		return h.store.Event(ctx, v.EventID)
	}
	if y := c.Query("edition"); y != "" {
		year, err := strconv.Atoi(y)
		if err != nil {
			return models.Event{}, fmt.Errorf("edition %q: %w", y, models.ErrNotFound)
		}
		return h.store.EditionByYear(ctx, year)
	}
	if id := h.sessions.GetInt(ctx, sessionEdition); id > 0 {
		if e, err := h.store.Event(ctx, uint(id)); err == nil {
			return e, nil
		}
	}
	return h.store.CurrentEvent(ctx)
}

// inEdition checks that an object of event eventID, named by an organiser route, belongs to
// the edition the organiser works on: one of another edition is ErrNotFound, as an unknown id
// is, so no page shows or changes it under the wrong edition's name.
func (h *Handler) inEdition(c *gin.Context, eventID uint) error {
	e, err := h.organiserEvent(c)
	if err != nil {
		return err
	}
	if e.ID != eventID {
		return fmt.Errorf("event %d is not edition %d: %w", eventID, e.Year(), models.ErrNotFound)
	}
	return nil
}

// editionVenue is the venue with slug in the organiser's edition.
// It returns ErrNotFound when that edition has no venue of that slug.
func (h *Handler) editionVenue(c *gin.Context, slug string) (models.Venue, error) {
	e, err := h.organiserEvent(c)
	if err != nil {
		return models.Venue{}, err
	}
	return h.store.VenueByTicketName(c.Request.Context(), e.ID, slug)
}

// editionSwitch is the shell's choice of edition: every edition, the one shown selected;
// nil for an account limited to one venue, or when there is only one edition.
func (h *Handler) editionSwitch(c *gin.Context, p Page, u models.User, shown models.Event) []Option {
	if u.VenueID != nil || shown.ID == 0 {
		return nil
	}
	editions, err := h.store.Editions(c.Request.Context())
	if err != nil {
		h.log.Warn("edition switch", "id", p.RequestID, "err", err)
		return nil
	}
	if len(editions) < 2 {
		return nil
	}
	out := make([]Option, 0, len(editions))
	for _, e := range editions {
		// The year alone: the navigation's column is narrow, and a year names an edition.
		out = append(out, Option{Value: strconv.FormatUint(uint64(e.ID), 10), Label: strconv.Itoa(e.Year()), Selected: e.ID == shown.ID})
	}
	return out
}

// editionFileName starts an export's file name: the event's name as a slug, with the
// edition's year when the name does not hold it, so that every export names its edition.
func editionFileName(e models.Event) string {
	name := schedule.Slugify(e.Name, 1, "dagplanner")
	if year := strconv.Itoa(e.Year()); !strings.Contains(name, year) {
		name += "-" + year
	}
	return name
}

// switchEdition keeps the edition an organiser chose in their session and goes back to the
// page they came from (or the dashboard).
func (h *Handler) switchEdition(c *gin.Context) {
	ctx := c.Request.Context()
	id, err := strconv.ParseUint(c.PostForm("editie"), 10, 32)
	var e models.Event
	if err == nil {
		e, err = h.store.Event(ctx, uint(id))
	}
	if err != nil {
		h.errorPage(c, http.StatusUnprocessableEntity, "edition.unknown_page")
		return
	}
	if u := h.actingUser(c); u.VenueID != nil {
		h.errorPage(c, http.StatusForbidden, "error.forbidden")
		return
	}
	h.sessions.Put(ctx, sessionEdition, int(e.ID))
	h.setFlash(c, "edition.switched", "Year", e.Year())
	c.Redirect(http.StatusSeeOther, editionSwitchBack(c.PostForm("terug")))
}

// editionSwitchBack is where the switch leads: the page it was used on, unless that page is
// about one object (an id in its path), which belongs to the edition left; then the dashboard.
func editionSwitchBack(from string) string {
	p := localPath(from)
	if p == "/" || !strings.HasPrefix(p, shellRoot) || strings.ContainsFunc(p, unicode.IsDigit) {
		return shellRoot
	}
	return p
}

// editionsData is /beheer/edities: every edition with its state, and the form that makes a
// new edition from one of them.
type editionsData struct {
	Page
	Editions []editionRow
	// Sources are the editions a copy may start from, the latest first.
	Sources []Option
	// Parts are the tick boxes of what to copy.
	Parts []copyPart
}

// editionRow is one edition in the list.
type editionRow struct {
	models.Event
	Current, Chosen bool
}

// copyPart is one tick box of the copy form.
type copyPart struct {
	Name    string
	Checked bool
}

// copyFields are the copy form's fields, in the order the error summary lists them.
var copyFields = []string{"bron:edition.source", "date:edition.date", "what:edition.what"}

func (h *Handler) showEditions(c *gin.Context) {
	if !h.requireEventManager(c) {
		return
	}
	form := newForm(nil, copyFields...)
	form.Values["what"] = models.CopyDefault
	h.renderEditions(c, http.StatusOK, form)
}

func (h *Handler) renderEditions(c *gin.Context, status int, form *Form) {
	ctx := c.Request.Context()
	editions, err := h.store.Editions(ctx)
	if err != nil {
		h.serverError(c, err)
		return
	}
	current, err := h.store.CurrentEvent(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	chosen, err := h.organiserEvent(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	p := h.page(c, h.tr(c).T("edition.title"), "beheer")
	p.Form = form
	d := editionsData{Page: p}
	for _, e := range editions {
		d.Editions = append(d.Editions, editionRow{Event: e, Current: e.ID == current.ID, Chosen: e.ID == chosen.ID})
		d.Sources = append(d.Sources, Option{Value: strconv.FormatUint(uint64(e.ID), 10), Label: editionLabel(p, e)})
	}
	if form.String("bron") == "" && len(editions) > 0 {
		form.Values.Set("bron", strconv.FormatUint(uint64(editions[0].ID), 10))
	}
	for _, part := range models.CopyParts {
		d.Parts = append(d.Parts, copyPart{Name: part, Checked: slices.Contains(form.Values["what"], part)})
	}
	h.render(c, status, "beheer/editions", d)
}

// editionLabel names an edition in a choice: its year and date.
func editionLabel(p Page, e models.Event) string {
	return p.T("edition.label", "Year", e.Year(), "Date", p.Date(e.Day()))
}

// copyEditionData is the summary a copy shows before it is made: what it will create.
type copyEditionData struct {
	Page
	Summary models.CopySummary
	// What is the parts as the form sends them again.
	What []string
}

// planEdition checks the copy form and shows what the copy would create, with the button
// that creates it; bad input shows the form again with the problems (422).
func (h *Handler) planEdition(c *gin.Context) {
	if !h.requireEventManager(c) {
		return
	}
	form := postedForm(c, copyFields...)
	in := models.CopyInput{Date: form.String("date"), What: form.Values["what"]}
	if len(in.What) == 0 {
		form.Merge(models.Problems{"what": {Key: "edition.nothing_chosen"}})
		h.renderEditions(c, http.StatusUnprocessableEntity, form)
		return
	}
	sum, err := h.store.PlanCopy(c.Request.Context(), form.ID("bron"), in)
	if h.copyFailed(c, err, form) {
		return
	}
	p := h.page(c, h.tr(c).T("edition.summary_title", "Year", sum.Date[:4]), "beheer")
	h.render(c, http.StatusOK, "beheer/edition_copy", copyEditionData{Page: p, Summary: sum, What: sum.Parts})
}

// createEdition makes the copy the summary showed, and lets the organiser work on it.
func (h *Handler) createEdition(c *gin.Context) {
	if !h.requireEventManager(c) {
		return
	}
	form := postedForm(c, copyFields...)
	e, _, err := h.store.CopyEvent(c.Request.Context(), form.ID("bron"), models.CopyInput{Date: form.String("date"), What: form.Values["what"]})
	if h.copyFailed(c, err, form) {
		return
	}
	h.sessions.Put(c.Request.Context(), sessionEdition, int(e.ID))
	h.setFlash(c, "edition.created", "Year", e.Year())
	c.Redirect(http.StatusSeeOther, "/beheer/edities")
}

// copyFailed answers a copy's error: the form again with the problems, or the error page.
func (h *Handler) copyFailed(c *gin.Context, err error, form *Form) bool {
	var verr *models.ValidationError
	switch {
	case errors.As(err, &verr):
		form.Merge(verr.Problems)
		h.renderEditions(c, http.StatusUnprocessableEntity, form)
	case errors.Is(err, models.ErrNotFound):
		form.Merge(models.Problems{"bron": {Key: "edition.unknown"}})
		h.renderEditions(c, http.StatusUnprocessableEntity, form)
	case err != nil:
		h.serverError(c, err)
	default:
		return false
	}
	return true
}

// publishEdition makes an edition public: the site shows it when it is the latest.
func (h *Handler) publishEdition(c *gin.Context) {
	if !h.requireEventManager(c) {
		return
	}
	id, ok := h.paramID(c, "edition")
	if !ok {
		return
	}
	e, err := h.store.PublishEvent(c.Request.Context(), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.setFlash(c, "edition.published", "Year", e.Year())
	c.Redirect(http.StatusSeeOther, "/beheer/edities")
}
