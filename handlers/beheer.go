// The organiser area (/beheer): its shell (navigation, the venue switch) and the checks
// every organiser page shares (may this account manage the event, this venue; ids in paths).

package handlers

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
)

// Shell is the organiser area's frame around a page: one navigation for every /beheer page,
// holding only what the signed-in account may use, with the current place marked, and on a
// page that is about one venue a switch to the same page of the other venues.
type Shell struct {
	Items []NavLink
	// Venues is the venue switch: the same page for each venue the account may manage, empty
	// on pages that are not per venue and for an account limited to one venue.
	Venues []NavLink
	// Section names the current item, for the phone's menu button ("Menu: Deelnemers").
	Section string
	// Edition is the edition the page is about (organiserEvent), named on every organiser
	// page; Editions is the switch to the others, empty for an account limited to a venue.
	Edition  models.Event
	Editions []Option
}

// NavLink is one link of the shell. Current is its aria-current: "page" on the link to the
// page shown, "true" on the links of the section the page belongs to, "" otherwise.
type NavLink struct {
	Label, Href, Current string
	// Children are the links of a section with more than one page; only the current
	// section's are shown, as pretix and pretalx fold theirs.
	Children []NavLink
}

// shellItem is one entry of the organiser area's navigation.
type shellItem struct {
	key  string // the label is the message "shell.item.<key>"
	href string // a parent leads to its first child the account may use
	// may reports whether the account may use the page; nil for a parent, which is there when
	// one of its children is.
	may func(models.User) bool
	// owns lists the route patterns (gin's FullPath) whose pages belong to the item; a pattern
	// also owns the patterns below it, and the longest pattern owning a page wins.
	owns     []string
	children []shellItem
	// mode, when set, shows the item only while the event signs people up that way
	// (models.SignupPreferences).
	mode string
}

// Who may use what: the same checks the routes and handlers make.
func organises(u models.User) bool {
	return u.Role == models.RoleAdmin || u.Role == models.RoleOrganiser
}
func managesEvent(u models.User) bool { return u.CanManageEvent() }
func reviews(u models.User) bool      { return u.CanReview() }
func decides(u models.User) bool      { return u.CanDecide() }
func scans(u models.User) bool        { return organises(u) || u.Role == models.RoleDoor }
func administers(u models.User) bool  { return u.Role == models.RoleAdmin }
func signedIn(u models.User) bool     { return u.ID != 0 }

// shellItems is the organiser area's navigation, in order. An item shows only when its page's
// GET route exists, so an item can be listed before its page is built: adding a page to the
// navigation is one line here.
var shellItems = []shellItem{
	{key: "dashboard", href: shellRoot, may: organises, owns: []string{shellRoot, "/beheer/herinnering"}},
	{key: "people", href: "/beheer/deelnemers", may: organises, owns: []string{"/beheer/deelnemers", "/beheer/locaties/:venue/behoeften"}},
	{key: "sessions", children: []shellItem{
		{key: "sessions_list", href: "/beheer/sessies", may: organises, owns: []string{"/beheer/sessies"}},
		{key: "board", href: "/beheer/rooster", may: organises, owns: []string{"/beheer/rooster"}},
		{key: "publish", href: "/beheer/programma", may: managesEvent, owns: []string{"/beheer/programma"}},
	}},
	{key: "proposals", children: []shellItem{
		{key: "proposals_list", href: "/beheer/voorstellen", may: reviews, owns: []string{"/beheer/voorstellen"}},
		{key: "tracks", href: "/beheer/themas", may: decides, owns: []string{"/beheer/themas"}},
		{key: "decisions", href: "/beheer/besluiten", may: managesEvent, owns: []string{"/beheer/besluiten"}},
	}},
	{key: "allocation", href: "/beheer/toewijzing", may: organises, mode: models.SignupPreferences, owns: []string{"/beheer/toewijzing"}},
	{key: "messages", href: "/beheer/berichten", may: organises, owns: []string{"/beheer/berichten"}},
	{key: "feedback", href: "/beheer/feedback", may: managesEvent, owns: []string{"/beheer/feedback"}}, // #18
	{key: "door", owns: []string{"/beheer/locaties/:venue/apparaten", "/beheer/apparaten"}, children: []shellItem{
		{key: "arrivals", href: "/beheer/binnenkomst", may: organises,
			owns: []string{"/beheer/binnenkomst", "/beheer/locaties/:venue/binnenkomst", "/beheer/locaties/:venue/binnenlopers"}},
		{key: "scan", href: "/deur", may: scans, owns: []string{"/deur"}},
	}},
	{key: "settings", children: []shellItem{
		{key: "event", href: "/beheer/evenement", may: managesEvent, owns: []string{"/beheer/evenement"}},
		{key: "venues", href: "/beheer/locaties", may: organises, owns: []string{"/beheer/locaties", "/beheer/zalen", "/beheer/tijdvakken"}},
		{key: "editions", href: "/beheer/edities", may: managesEvent, owns: []string{"/beheer/edities"}},
		{key: "team", href: "/beheer/team", may: administers, owns: []string{"/beheer/team"}},
		{key: "audit", href: "/beheer/logboek", may: administers, owns: []string{"/beheer/logboek"}},
		{key: "security", href: "/beheer/beveiliging", may: administers, owns: []string{"/beheer/beveiliging"}},
	}},
	{key: "account", href: "/beheer/account", may: signedIn, owns: []string{"/beheer/account"}},
}

// shellRoot is the organiser area's own address; it owns only itself, not every page below.
const shellRoot = "/beheer"

// ownsRoute reports how well pattern owns route: its length when route is the pattern or lies
// below it, 0 when not.
func ownsRoute(pattern, route string) int {
	if route == pattern || (pattern != shellRoot && strings.HasPrefix(route, pattern+"/")) {
		return len(pattern)
	}
	return 0
}

func (it shellItem) ownsRoute(route string) int {
	best := 0
	for _, p := range it.owns {
		best = max(best, ownsRoute(p, route))
	}
	return best
}

// navItems is the navigation for u: the items u may use whose page exists, each parent with
// the children u may use and leading to the first of them.
func (h *Handler) navItems(u models.User) []shellItem {
	var out []shellItem
	for _, it := range shellItems {
		if it.children == nil {
			if it.may(u) && h.getRoutes[it.href] {
				out = append(out, it)
			}
			continue
		}
		var kids []shellItem
		for _, k := range it.children {
			if k.may(u) && h.getRoutes[k.href] {
				kids = append(kids, k)
			}
		}
		if len(kids) == 0 {
			continue
		}
		it.href, it.children = kids[0].href, kids
		out = append(out, it)
	}
	return out
}

// organiserHome is where the organiser area starts for u: the first page of its navigation
// (the dashboard; the proposals for a reviewer; the scan page for door staff).
func (h *Handler) organiserHome(u models.User) string {
	if items := h.navItems(u); len(items) > 0 {
		return items[0].href
	}
	return "/"
}

// shell builds the navigation for the request's page, with the venue switch when venues
// lists the event's venues and the page is one venue's. Items for another signup mode than
// the event's are left out.
func (h *Handler) shell(c *gin.Context, u models.User, mode string, venues []models.Venue) *Shell {
	tr := h.tr(c)
	route, path := c.FullPath(), c.Request.URL.Path
	items := slices.DeleteFunc(h.navItems(u), func(it shellItem) bool { return it.mode != "" && it.mode != mode })
	// The current place is the item or child owning the page's route with the longest pattern.
	best, top, child := 0, -1, -1
	for i, it := range items {
		if n := it.ownsRoute(route); n > best {
			best, top, child = n, i, -1
		}
		for j, k := range it.children {
			if n := k.ownsRoute(route); n > best {
				best, top, child = n, i, j
			}
		}
	}
	s := &Shell{Venues: venueSwitch(c, tr, u, venues)}
	for i, it := range items {
		l := NavLink{Label: tr.T("shell.item." + it.key), Href: it.href}
		if i == top {
			s.Section = l.Label
			l.Current = currentness(it.href, path)
			// A section of one page is its page: its only child is not shown.
			if len(it.children) > 1 {
				for j, k := range it.children {
					kl := NavLink{Label: tr.T("shell.item." + k.key), Href: k.href}
					if j == child {
						kl.Current = currentness(k.href, path)
						l.Current = "true"
					}
					l.Children = append(l.Children, kl)
				}
			}
		}
		s.Items = append(s.Items, l)
	}
	return s
}

// currentness is a current link's aria-current: "page" when it leads to the page shown, "true"
// when the page lies within its section.
func currentness(href, path string) string {
	if href == path {
		return "page"
	}
	return "true"
}

// perVenue reports whether the request reads a page about one venue: a GET whose route names
// a venue and nothing else. Only those pages get the venue switch, so only they read the
// venues for it.
func perVenue(c *gin.Context) bool {
	route := c.FullPath()
	return c.Request.Method == http.MethodGet && strings.Contains(route, "/:venue") && strings.Count(route, ":") == 1
}

// venueSwitch links a page about one venue to the same page of each venue u may manage; nil
// when there is nothing to switch to.
func venueSwitch(c *gin.Context, tr *locale.Translator, u models.User, venues []models.Venue) []NavLink {
	if !perVenue(c) {
		return nil
	}
	route := c.FullPath()
	var out []NavLink
	for _, v := range venues {
		if !u.CanManageVenue(v.ID) {
			continue
		}
		id := strconv.FormatUint(uint64(v.ID), 10)
		l := NavLink{Label: v.City + ": " + v.NameIn(string(tr.Lang())), Href: strings.Replace(route, ":venue", id, 1)}
		if id == c.Param("venue") {
			l.Current = "page"
		}
		out = append(out, l)
	}
	if len(out) < 2 {
		return nil
	}
	return out
}

// showFirstBoard leads the navigation's "Rooster" to the board of the first venue the account
// may manage: the board is per venue, and its page has the venue switch.
func (h *Handler) showFirstBoard(c *gin.Context) { h.toFirstVenue(c, "/beheer/rooster/") }

// showFirstVenue leads the navigation's "Locaties" to the first venue the account may manage.
func (h *Handler) showFirstVenue(c *gin.Context) { h.toFirstVenue(c, "/beheer/locaties/") }

// toFirstVenue redirects to prefix + the id of the first venue the account may manage; with
// no venue (or no event) yet, to the dashboard, which says so and offers to add one.
func (h *Handler) toFirstVenue(c *gin.Context, prefix string) {
	ctx := c.Request.Context()
	u, _ := h.currentUser(c)
	event, err := h.organiserEvent(c)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		h.serverError(c, err)
		return
	}
	if err == nil {
		venues, err := h.store.Venues(ctx, event.ID)
		if err != nil {
			h.serverError(c, err)
			return
		}
		for _, v := range venues {
			if u.CanManageVenue(v.ID) {
				c.Redirect(http.StatusSeeOther, prefix+strconv.FormatUint(uint64(v.ID), 10))
				return
			}
		}
	}
	h.setFlash(c, "shell.no_venues")
	c.Redirect(http.StatusSeeOther, shellRoot)
}

// pageRoutes is the set of paths with a GET route, so that the navigation shows only pages
// that exist.
func pageRoutes(routes gin.RoutesInfo) map[string]bool {
	out := make(map[string]bool, len(routes))
	for _, r := range routes {
		if r.Method == http.MethodGet {
			out[r.Path] = true
		}
	}
	return out
}

// requireEventManager refuses venue-scoped and non-organiser accounts; it reports whether
// the request may go on.
func (h *Handler) requireEventManager(c *gin.Context) bool {
	if u, ok := h.currentUser(c); ok && u.CanManageEvent() {
		return true
	}
	h.errorPage(c, http.StatusForbidden, "error.forbidden")
	return false
}

// managedEvent is the organisers' edition (organiserEvent), for a request by someone who may manage it as a whole;
// anyone else gets the 403 page and false.
func (h *Handler) managedEvent(c *gin.Context) (models.Event, bool) {
	if !h.requireEventManager(c) {
		return models.Event{}, false
	}
	event, err := h.organiserEvent(c)
	if err != nil {
		h.fail(c, err)
		return models.Event{}, false
	}
	return event, true
}

// paramID reads a numeric id from the path; anything else is a 404.
func (h *Handler) paramID(c *gin.Context, name string) (uint, bool) {
	id, err := strconv.ParseUint(c.Param(name), 10, 32)
	if err != nil || id == 0 {
		h.notFound(c)
		return 0, false
	}
	return uint(id), true
}

// venueFromPath loads the venue whose id is in the path and checks the account may manage
// it; when not, it has answered (404 or 403) and reports false.
func (h *Handler) venueFromPath(c *gin.Context) (models.Venue, bool) {
	id, ok := h.paramID(c, "venue")
	if !ok {
		return models.Venue{}, false
	}
	return h.managedVenue(c, id)
}

// managedVenue loads a venue by id and checks the account may manage it.
func (h *Handler) managedVenue(c *gin.Context, venueID uint) (models.Venue, bool) {
	v, err := h.store.Venue(c.Request.Context(), venueID)
	if err == nil {
		err = h.inEdition(c, v.EventID)
	}
	if err != nil {
		h.fail(c, err)
		return models.Venue{}, false
	}
	if u, ok := h.currentUser(c); !ok || !u.CanManageVenue(v.ID) {
		h.errorPage(c, http.StatusForbidden, "error.forbidden")
		return models.Venue{}, false
	}
	return v, true
}
