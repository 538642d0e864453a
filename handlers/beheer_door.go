package handlers

import (
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/ambtenaar20/dagplanner/models"
)

// sessionPairing holds a device token between making it and showing it, once.
const sessionPairing = "pairing_token"

var deviceFields = []string{"name:beheer.devices.name"}

type devicesData struct {
	Page
	Venue   models.Venue
	Devices []models.DeviceToken
}

// showDevices lists a venue's door devices, with a form to pair another.
func (h *Handler) showDevices(c *gin.Context) {
	v, ok := h.venueFromPath(c)
	if !ok {
		return
	}
	p := h.page(c, h.tr(c).T("beheer.devices.title", "Venue", h.venueName(c, v)), "beheer")
	p.Form = newForm(nil, deviceFields...)
	h.renderDevices(c, http.StatusOK, p, v)
}

func (h *Handler) renderDevices(c *gin.Context, status int, p Page, v models.Venue) {
	devices, err := h.store.DeviceTokens(c.Request.Context(), v.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	h.render(c, status, "beheer/devices", devicesData{Page: p, Venue: v, Devices: devices})
}

// createDevice makes a device token and sends the organiser to the page that shows it once.
func (h *Handler) createDevice(c *gin.Context) {
	v, ok := h.venueFromPath(c)
	if !ok {
		return
	}
	form := postedForm(c, deviceFields...)
	dev, token, err := h.store.CreateDeviceToken(c.Request.Context(), models.DeviceTokenInput{
		Name: form.String("name"), Role: models.RoleDoor, VenueSlug: v.Slug, VenueID: v.ID})
	var verr *models.ValidationError
	if errors.As(err, &verr) {
		form.Merge(verr.Problems)
		p := h.page(c, h.tr(c).T("beheer.devices.title", "Venue", h.venueName(c, v)), "beheer")
		p.Form = form
		h.renderDevices(c, http.StatusUnprocessableEntity, p, v)
		return
	}
	if err != nil {
		h.serverError(c, err)
		return
	}
	h.log.Info("door device paired", "device", dev.ID, "venue", v.Slug, "id", c.GetString(ctxRequestID))
	h.sessions.Put(c.Request.Context(), sessionPairing, strconv.Itoa(int(dev.ID))+":"+token)
	c.Redirect(http.StatusSeeOther, "/beheer/apparaten/"+strconv.Itoa(int(dev.ID))+"/koppelen")
}

type pairingData struct {
	Page
	Venue  models.Venue
	Device models.DeviceToken
	Token  string
	Link   string
	QR     template.URL // a data: URL of the pairing link as a QR code
}

// showPairing shows a new device's token and pairing QR code. It can be seen once: the token
// is taken out of the organiser's session, and only its hash is stored.
func (h *Handler) showPairing(c *gin.Context) {
	dev, v, ok := h.managedDevice(c)
	if !ok {
		return
	}
	p := h.page(c, h.tr(c).T("beheer.devices.pair_title", "Name", dev.Name), "beheer")
	data := pairingData{Page: p, Venue: v, Device: dev}
	id, token, found := strings.Cut(h.sessions.PopString(c.Request.Context(), sessionPairing), ":")
	if found && id == strconv.Itoa(int(dev.ID)) {
		data.Token = token
		data.Link = h.baseURL(c) + "/deur#token=" + token
		png, err := qrcode.Encode(data.Link, qrcode.Medium, 320)
		if err != nil {
			h.serverError(c, err)
			return
		}
		data.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
	}
	h.render(c, http.StatusOK, "beheer/device_paired", data)
}

// revokeDevice stops a device's token from working, at once in this process.
func (h *Handler) revokeDevice(c *gin.Context) {
	dev, v, ok := h.managedDevice(c)
	if !ok {
		return
	}
	if err := h.store.RevokeDeviceToken(c.Request.Context(), dev.ID); err != nil {
		h.fail(c, err)
		return
	}
	h.devices.forget(dev.ID)
	h.log.Info("door device revoked", "device", dev.ID, "venue", v.Slug, "id", c.GetString(ctxRequestID))
	h.setFlash(c, "beheer.devices.revoked", "Name", dev.Name)
	c.Redirect(http.StatusSeeOther, "/beheer/locaties/"+strconv.Itoa(int(v.ID))+"/apparaten")
}

// managedDevice loads the device in the path and checks the account may manage its venue.
func (h *Handler) managedDevice(c *gin.Context) (models.DeviceToken, models.Venue, bool) {
	id, ok := h.paramID(c, "device")
	if !ok {
		return models.DeviceToken{}, models.Venue{}, false
	}
	dev, err := h.store.DeviceToken(c.Request.Context(), id)
	if err != nil {
		h.fail(c, err)
		return models.DeviceToken{}, models.Venue{}, false
	}
	v, ok := h.managedVenue(c, dev.VenueID)
	return dev, v, ok
}

// baseURL is the site's address as configured, or as this request reached it.
func (h *Handler) baseURL(c *gin.Context) string {
	if h.base != "" {
		return strings.TrimRight(h.base, "/")
	}
	scheme := "http"
	if c.Request.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + c.Request.Host
}

// ---------------------------------------------------------------- live arrivals

type arrivalsOverviewData struct {
	Page
	Venues []venueArrivals
}

type venueArrivals struct {
	Venue models.Venue
	models.Arrivals
}

// Percent is the share of the registered people who are in, rounded down.
func (a venueArrivals) Percent() int {
	if a.Registered == 0 {
		return 0
	}
	return a.CheckedIn * 100 / a.Registered
}

// showArrivals shows, per venue the account manages, how many people are in.
func (h *Handler) showArrivals(c *gin.Context) {
	_, venues, ok := h.eventAndVenues(c)
	if !ok {
		return
	}
	u, _ := h.currentUser(c)
	var out []venueArrivals
	for _, v := range venues {
		if !u.CanManageVenue(v.ID) {
			continue
		}
		a, err := h.store.VenueArrivals(c.Request.Context(), v.ID, false)
		if err != nil {
			h.serverError(c, err)
			return
		}
		out = append(out, venueArrivals{Venue: v, Arrivals: a})
	}
	p := h.page(c, h.tr(c).T("beheer.arrivals.title"), "beheer")
	h.render(c, http.StatusOK, "beheer/arrivals", arrivalsOverviewData{Page: p, Venues: out})
}

type venueArrivalsData struct {
	Page
	venueArrivals
	Chart     arrivalsChart
	DoorsOpen time.Time // when the programme starts; the no-show list is shown from then
	Closed    bool
	Updated   time.Time
}

// arrivalsChart is the arrivals per ten minutes, as bars of an SVG chart and rows of a table.
type arrivalsChart struct {
	Bars   []arrivalsBar
	Max    int
	Width  int
	Height int
}

type arrivalsBar struct {
	From   time.Time
	Count  int
	X, Y   int
	W, H   int
	LabelX int
}

const (
	chartBucket    = 10 * time.Minute
	chartMaxBars   = 36 // six hours
	chartBarWidth  = 24
	chartBarHeight = 120
)

// newArrivalsChart counts the check-in times (earliest first) per ten minutes.
func newArrivalsChart(times []time.Time) arrivalsChart {
	ch := arrivalsChart{Height: chartBarHeight + 20}
	if len(times) == 0 {
		return ch
	}
	first := times[0].Truncate(chartBucket)
	last := times[len(times)-1].Truncate(chartBucket)
	if n := int(last.Sub(first)/chartBucket) + 1; n > chartMaxBars {
		first = last.Add(-chartBucket * (chartMaxBars - 1))
	}
	n := int(last.Sub(first)/chartBucket) + 1
	counts := make([]int, n)
	for _, t := range times {
		if i := int(t.Truncate(chartBucket).Sub(first) / chartBucket); i >= 0 && i < n {
			counts[i]++
		}
	}
	for _, c := range counts {
		ch.Max = max(ch.Max, c)
	}
	for i, c := range counts {
		h := 0
		if ch.Max > 0 {
			h = c * chartBarHeight / ch.Max
		}
		ch.Bars = append(ch.Bars, arrivalsBar{From: first.Add(time.Duration(i) * chartBucket), Count: c,
			X: i*(chartBarWidth+4) + 2, Y: chartBarHeight - h, W: chartBarWidth, H: h})
	}
	ch.Width = n*(chartBarWidth+4) + 4
	return ch
}

// showVenueArrivals shows a venue's arrivals live: totals, per door, per ten minutes, scans
// that clashed, and once the programme has begun, who has not come.
func (h *Handler) showVenueArrivals(c *gin.Context) {
	v, ok := h.venueFromPath(c)
	if !ok {
		return
	}
	h.renderVenueArrivals(c, http.StatusOK, v, newForm(nil, walkInFields...))
}

// renderVenueArrivals renders a venue's arrivals page with the walk-in form as given.
func (h *Handler) renderVenueArrivals(c *gin.Context, status int, v models.Venue, form *Form) {
	now := h.store.Now()
	var doorsOpen time.Time
	for _, s := range v.Slots {
		if doorsOpen.IsZero() || s.StartsAt.Before(doorsOpen) {
			doorsOpen = s.StartsAt
		}
	}
	closed := !doorsOpen.IsZero() && !now.Before(doorsOpen)
	a, err := h.store.VenueArrivals(c.Request.Context(), v.ID, closed)
	if err != nil {
		h.serverError(c, err)
		return
	}
	p := h.page(c, h.tr(c).T("beheer.arrivals.venue_title", "Venue", h.venueName(c, v)), "beheer")
	p.Form = form
	h.render(c, status, "beheer/venue_arrivals", venueArrivalsData{Page: p, venueArrivals: venueArrivals{Venue: v, Arrivals: a},
		Chart: newArrivalsChart(a.Times), DoorsOpen: doorsOpen, Closed: closed, Updated: now})
}
