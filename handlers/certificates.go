package handlers

import (
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/certificate"
	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
)

// Certificates of attendance (issue #18): the attendee's PDF behind the personal link, the
// public check of a certificate's code as a page and in the API, and a venue's certificates
// at once for the organisers. A certificate exists for a person admitted at the venue's door,
// neither erased nor anonymised since; what it lists is read afresh each time (see package
// certificate).

// certificates is what the certificate routes need besides the store.
type certificates struct {
	renderer *certificate.Renderer
	// lookups limits the public checks per client: each verifies a signature and reads the
	// database, and a code cannot be guessed, so an honest employer never meets it.
	lookups *keyedLimiter
}

func newCertificates() (*certificates, error) {
	r, err := certificate.NewRenderer()
	if err != nil {
		return nil, fmt.Errorf("prepare certificate fonts: %w", err)
	}
	return &certificates{renderer: r, lookups: newKeyedLimiter(2*time.Second, 30)}, nil
}

// certificatePath is the public check page of a code.
func certificatePath(code string) string { return "/certificaat/" + code }

// certificateCode signs the code of a registration's certificate with its event's key.
func (h *Handler) certificateCode(c *gin.Context, eventID, regID uint) (string, error) {
	keys, err := h.keysOf(c, eventID)
	if err != nil {
		return "", err
	}
	return certificate.Sign(keys.key.PrivateKey, certificate.Code{EventID: uint32(eventID), RegistrationID: uint32(regID)}), nil
}

// certificateOf is what a certificate states: the person, their event and what they attended.
type certificateOf struct {
	Event      models.Event
	Venue      models.Venue
	Person     models.CertificateHolder
	Attendance models.Attendance
}

// Hours is the total in hours, to two decimals: 0.75 for three quarters of an hour, as the
// certificate, the check page and the API all give it.
func (o certificateOf) Hours() float64 { return math.Round(o.Attendance.Hours()*100) / 100 }

// holderOf is the certificate of registration r, or ErrNotFound when it has none.
func (h *Handler) holderOf(c *gin.Context, event models.Event, r models.Registration) (certificateOf, error) {
	att, err := h.store.AttendedSessions(c.Request.Context(), r.ID)
	if err != nil {
		return certificateOf{}, err
	}
	if !att.CheckedIn || r.ErasedAt != nil || r.Name == "" { // erased, or anonymised by the retention job
		return certificateOf{}, fmt.Errorf("certificate of %d: %w", r.ID, models.ErrNotFound)
	}
	return certificateOf{Event: event, Venue: r.Venue, Attendance: att,
		Person: models.CertificateHolder{ID: r.ID, Name: r.Name, Organisation: r.Organisation, Lang: r.Lang}}, nil
}

// certificateData is the PDF's content for o, in the person's language.
func (h *Handler) certificateData(c *gin.Context, o certificateOf) (certificate.Data, error) {
	code, err := h.certificateCode(c, o.Event.ID, o.Person.ID)
	if err != nil {
		return certificate.Data{}, err
	}
	lang := o.Person.Lang
	tr := h.catalog.Translator(locale.Lang(lang)).In(o.Event.Location())
	venue, date := o.Venue.NameIn(lang), tr.Date(o.Event.Day())
	d := certificate.Data{Event: o.Event.Name, Date: date, Venue: venue,
		Name: o.Person.Name, Organisation: o.Person.Organisation,
		Statement: tr.T("certificate.statement", "Event", o.Event.Name, "Date", date, "Venue", venue),
		Hours:     hoursText(tr, o.Hours()), URL: h.baseURL(c) + certificatePath(code), Code: code,
		Labels: certificateLabels(tr)}
	for _, s := range o.Attendance.Sessions {
		d.Sessions = append(d.Sessions, certificate.Line{Time: tr.TimeRange(s.StartsAt, s.EndsAt),
			Title: models.InLang(lang, s.Title, s.TitleEn), Room: s.Room})
	}
	return d, nil
}

// certificateLabels are the certificate's fixed texts in tr's language.
func certificateLabels(tr *locale.Translator) certificate.Labels {
	return certificate.Labels{Lang: string(tr.Lang()), Title: tr.T("certificate.title"), Subject: tr.T("certificate.pdf_subject"),
		Certifies: tr.T("certificate.pdf_certifies"), Sessions: tr.T("certificate.sessions"), Time: tr.T("certificate.time"),
		Session: tr.T("certificate.session"), Room: tr.T("certificate.room"), NoSessions: tr.T("certificate.no_sessions"),
		Total: tr.T("certificate.pdf_total"), Verify: tr.T("certificate.pdf_verify"), VerifyHint: tr.T("certificate.pdf_verify_hint"),
		Code: tr.T("certificate.pdf_code"), Signed: tr.T("certificate.pdf_signed")}
}

// hoursText is a number of hours (as certificateOf.Hours gives it) as people write it in
// tr's language: "4,5 uur", "1 hour".
func hoursText(tr *locale.Translator, hours float64) string {
	n := strconv.FormatFloat(hours, 'f', -1, 64)
	if tr.Lang() == locale.Dutch {
		n = strings.Replace(n, ".", ",", 1)
	}
	return tr.T("certificate.hours", "Count", hours, "Hours", n)
}

// bookingCertificate is the booking page's link to the certificate and to its check page.
type bookingCertificate struct{ PDF, Check string }

// bookingCertificate is set once registration r came in at the door; nil before.
func (h *Handler) bookingCertificate(c *gin.Context, r models.Registration) (*bookingCertificate, error) {
	if _, err := h.holderOf(c, models.Event{ID: r.EventID}, r); errors.Is(err, models.ErrNotFound) {
		return nil, nil // no certificate (yet): no link
	} else if err != nil {
		return nil, err
	}
	code, err := h.certificateCode(c, r.EventID, r.ID)
	if err != nil {
		return nil, err
	}
	return &bookingCertificate{PDF: "/boeking/" + c.Param("token") + "/certificaat.pdf", Check: certificatePath(code)}, nil
}

// noCertificateYet answers the personal link's certificate before its holder came in: a page
// that says a certificate comes after the day, for the people who were there.
var noCertificateYet = storeError{models.ErrNotFound, storeAnswer{Status: http.StatusNotFound, Page: "certificate.not_yet"}}

// downloadCertificate serves the attendee's certificate behind the personal link; before
// they were admitted at the door it says when there will be one.
func (h *Handler) downloadCertificate(c *gin.Context) {
	r, ok := h.bookingFromLink(c)
	if !ok {
		return
	}
	event, err := h.store.Event(c.Request.Context(), r.EventID)
	if err != nil {
		h.fail(c, err)
		return
	}
	o, err := h.holderOf(c, event, r)
	if err != nil {
		h.storeError(c, err, noCertificateYet)
		return
	}
	d, err := h.certificateData(c, o)
	if err != nil {
		h.serverError(c, err)
		return
	}
	h.sendPDF(c, "certificaat-"+r.Venue.Slug+".pdf", "inline", func(w io.Writer) error { return h.certs.renderer.Certificate(w, d) })
}
