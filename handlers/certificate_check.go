package handlers

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/certificate"
	"github.com/ambtenaar20/dagplanner/models"
)

// The public check of a certificate's code (issue #18), as a page for an employer and in the
// API for their systems. An unknown, altered or no longer valid code (the person's data
// erased, their check-in undone) is one answer, 404, that says no more.

// invalidCertificate is the answer to a code that names no certificate.
var invalidCertificate = storeError{models.ErrNotFound,
	storeAnswer{Status: http.StatusNotFound, Code: "not_found", Key: "certificate.invalid_body"}}

// checkCertificate returns what a valid code certifies, or ErrNotFound. The signature is
// checked before the registration is read, and the event must exist before its key is read:
// an event without a key would otherwise get one made for a stranger's guess.
func (h *Handler) checkCertificate(c *gin.Context, code string) (certificateOf, error) {
	eventID, err := certificate.EventOf(code)
	if err != nil {
		return certificateOf{}, fmt.Errorf("certificate code: %w", models.ErrNotFound)
	}
	ctx := c.Request.Context()
	event, err := h.store.Event(ctx, uint(eventID))
	if err != nil {
		return certificateOf{}, err
	}
	keys, err := h.keysOf(c, event.ID)
	if err != nil {
		return certificateOf{}, err
	}
	named, err := certificate.Verify(keys.key.PublicKey, code)
	if err != nil {
		return certificateOf{}, fmt.Errorf("certificate code: %w", models.ErrNotFound)
	}
	r, err := h.store.CertificateHolder(ctx, event.ID, uint(named.RegistrationID))
	if err != nil {
		return certificateOf{}, err
	}
	return h.holderOf(c, event, r)
}

// certificateLookupAllowed counts a public check against the client's limit; when refused
// it has answered 429, as a page or in the API.
func (h *Handler) certificateLookupAllowed(c *gin.Context) bool {
	wait := h.waitFor(c, byClient(h.certs.lookups, c))
	if wait == 0 {
		return true
	}
	if isAPI(c) {
		h.tooManyAPI(c, wait)
	} else {
		h.tooManyPage(c, wait)
	}
	return false
}

// certificateSession is one attended session as the check page lists it.
type certificateSession struct {
	Time, Title, Room string
}

type certificateCheckData struct {
	Page
	Valid                    bool
	Name, Event, Date, Venue string
	Hours                    string
	Sessions                 []certificateSession
}

// showCertificateCheck is the public check page of a certificate's code, in the reader's
// language.
func (h *Handler) showCertificateCheck(c *gin.Context) {
	if !h.certificateLookupAllowed(c) {
		return
	}
	c.Header("X-Robots-Tag", "noindex") // it names a person: not for search engines
	o, err := h.checkCertificate(c, c.Param("code"))
	a, invalid := shownStoreError(err, invalidCertificate)
	if err != nil && !invalid {
		h.serverError(c, err)
		return
	}
	tr := h.tr(c)
	if invalid {
		p := h.page(c, tr.T("certificate.invalid_title"), "")
		h.render(c, a.Status, "certificate", certificateCheckData{Page: p})
		return
	}
	p := h.page(c, tr.T("certificate.check_title"), "")
	lang := string(p.Lang)
	tr = tr.In(o.Event.Location())
	d := certificateCheckData{Page: p, Valid: true, Name: o.Person.Name, Event: o.Event.Name, Date: tr.Date(o.Event.Day()),
		Venue: o.Venue.NameIn(lang), Hours: hoursText(tr, o.Hours())}
	for _, s := range o.Attendance.Sessions {
		d.Sessions = append(d.Sessions, certificateSession{Time: tr.TimeRange(s.StartsAt, s.EndsAt),
			Title: models.InLang(lang, s.Title, s.TitleEn), Room: s.Room})
	}
	h.render(c, http.StatusOK, "certificate", d)
}

// CertificateJSON is what GET /api/v1/certificates/{code} answers for a valid code.
type CertificateJSON struct {
	Valid    bool                     `json:"valid"`
	Name     string                   `json:"name"`
	Event    string                   `json:"event"`
	Date     string                   `json:"date"`
	Venue    string                   `json:"venue"`
	Sessions []CertificateSessionJSON `json:"sessions"`
	Hours    float64                  `json:"hours"`
}

// CertificateSessionJSON is one attended session, its times in the event's time zone.
type CertificateSessionJSON struct {
	Title string    `json:"title"`
	Room  string    `json:"room"`
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// InvalidCertificateJSON answers a code that names no certificate: valid false, and the
// API's one error shape.
type InvalidCertificateJSON struct {
	Valid bool         `json:"valid"`
	Error APIErrorBody `json:"error"`
}

// getCertificateAPI checks a certificate's code for an employer's systems; titles and the
// venue's name are in the request's language.
func (h *Handler) getCertificateAPI(c *gin.Context) {
	if !h.certificateLookupAllowed(c) {
		return
	}
	c.Header("X-Robots-Tag", "noindex")
	o, err := h.checkCertificate(c, c.Param("code"))
	if a, invalid := shownStoreError(err, invalidCertificate); invalid {
		c.AbortWithStatusJSON(a.Status, InvalidCertificateJSON{Error: APIErrorBody{Code: a.Code,
			Message: h.tr(c).T(a.Key), Fields: map[string]string{}}})
		return
	}
	if err != nil {
		h.serverError(c, err)
		return
	}
	lang, loc := string(h.tr(c).Lang()), o.Event.Location()
	out := CertificateJSON{Valid: true, Name: o.Person.Name, Event: o.Event.Name, Date: o.Event.Date,
		Venue: o.Venue.NameIn(lang), Hours: o.Hours(), Sessions: []CertificateSessionJSON{}}
	for _, s := range o.Attendance.Sessions {
		out.Sessions = append(out.Sessions, CertificateSessionJSON{Title: models.InLang(lang, s.Title, s.TitleEn),
			Room: s.Room, Start: s.StartsAt.In(loc), End: s.EndsAt.In(loc)})
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, out)
}
