package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// Adding a registration by hand (/beheer/deelnemers/nieuw): first the venue, then the
// registration form for it, with the organiser's confirmation that the person agreed to the
// privacy statement and an explicit "over capacity" choice.

var newPersonFields = append(append([]string{}, registrationFields...), "lang:person.lang", "over_capacity:person.over_capacity")

type newPersonData struct {
	registerData
	Venues []models.Venue // the venues the organiser may choose from, before one is chosen
}

// LangOptions are the languages the person's e-mails can be in.
func (d newPersonData) LangOptions() []Option {
	return []Option{{Value: "nl", Label: d.T("person.lang_nl")}, {Value: "en", Label: d.T("person.lang_en")}}
}

// newPersonVenue finds the venue chosen (?locatie= or the posted venue); a venue-scoped
// organiser always has their own. It reports false when none is chosen yet.
func (h *Handler) newPersonVenue(c *gin.Context, slug string) (models.Venue, bool, error) {
	u := h.actingUser(c)
	ctx := c.Request.Context()
	if slug == "" && u.VenueID != nil {
		v, err := h.store.Venue(ctx, *u.VenueID)
		return v, err == nil, err
	}
	if slug == "" {
		return models.Venue{}, false, nil
	}
	v, err := h.editionVenue(c, slug)
	if err == nil && !u.CanManageVenue(v.ID) {
		err = models.ErrNotFound
	}
	return v, err == nil, err
}

func (h *Handler) newPerson(c *gin.Context) {
	v, chosen, err := h.newPersonVenue(c, c.Query("locatie"))
	if err != nil {
		h.fail(c, err)
		return
	}
	p := h.page(c, h.tr(c).T("person.new_title"), "beheer")
	p.Form = newForm(nil, newPersonFields...)
	p.Form.Values.Set("lang", string(h.tr(c).Lang()))
	if !chosen {
		event, venues, ok := h.eventAndVenues(c)
		if !ok {
			return
		}
		d := newPersonData{registerData: registerData{Page: p, Event: event}}
		for _, v := range venues {
			if h.actingUser(c).CanManageVenue(v.ID) {
				d.Venues = append(d.Venues, v)
			}
		}
		h.render(c, http.StatusOK, "beheer/person_new", d)
		return
	}
	h.renderNewPerson(c, http.StatusOK, p, v, nil, nil)
}

func (h *Handler) renderNewPerson(c *gin.Context, status int, p Page, v models.Venue, sessions, waitlist []uint) {
	d, err := h.registrationForm(c, p, v, p.Form, sessions, waitlist)
	if err != nil {
		h.serverError(c, err)
		return
	}
	d.Action = "/beheer/deelnemers/nieuw"
	h.render(c, status, "beheer/person_new", newPersonData{registerData: d})
}

func (h *Handler) createPerson(c *gin.Context) {
	form := postedForm(c, newPersonFields...)
	v, chosen, err := h.newPersonVenue(c, form.String("venue"))
	if err == nil && !chosen {
		err = models.ErrNotFound
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	sessions, waitlist := choicesFromForm(form, v)
	in := models.RegistrationInput{
		Name: form.String("name"), Email: form.String("email"), Organisation: form.String("organisation"),
		JobTitle: form.String("job_title"), Dietary: form.String("dietary"), Accessibility: form.String("accessibility"),
		Lang: form.String("lang"), Venue: v.Slug, VenueID: v.ID, Sessions: sessions, Waitlist: waitlist,
		Consent: form.String("consent") == "ja",
	}
	var res models.RegistrationResult
	if form.Valid() {
		res, err = h.store.RegisterFor(c.Request.Context(), h.actor(c), in, form.String("over_capacity") == "ja")
	}
	if _, shown := form.showStoreError(err, formAnswer{Err: models.ErrAlreadyRegistered, Field: "email", Key: "person.email_taken"},
		formAnswer{Err: models.ErrVenueFull, Field: "over_capacity", Key: "person.venue_full"}); !shown {
		h.fail(c, err)
		return
	}
	if !form.Valid() {
		p := h.page(c, h.tr(c).T("person.new_title"), "beheer")
		p.Form = form
		h.renderNewPerson(c, http.StatusUnprocessableEntity, p, v, sessions, waitlist)
		return
	}
	h.setFlash(c, "person.added", "Name", res.Registration.Name)
	c.Redirect(http.StatusSeeOther, personPath(res.Registration.ID))
}
