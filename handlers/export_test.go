package handlers

import (
	"net/http"
	"reflect"
	"testing"

	"github.com/gin-gonic/gin"
)

// ginRoutes lists every route routes() registers, as gin sees them.
func ginRoutes() gin.RoutesInfo {
	r, err := (&Handler{}).routes()
	if err != nil {
		panic(err) // no proxies are configured, so this cannot happen
	}
	return r.(*gin.Engine).Routes()
}

// newHandlerForTest builds the handler as New does and also hands back the *Handler, so a
// test can look inside (its message catalogue).
func newHandlerForTest(cfg Config) (*Handler, http.Handler, error) {
	h, err := newHandler(cfg)
	if err != nil {
		return nil, nil, err
	}
	routes, err := h.routes()
	if err != nil {
		return nil, nil, err
	}
	return h, h.sessions.LoadAndSave(routes), nil
}

// missingMessages lists the "lang:key" message keys the handler asked for but the catalogues lack.
func (h *Handler) missingMessages() []string { return h.catalog.Missing() }

// checkEveryFieldSet fails when a field of h (other than the listed booleans) is zero, which
// means newHandlerForTest no longer builds what New builds.
func checkEveryFieldSet(t *testing.T, h *Handler, mayBeZero ...string) {
	t.Helper()
	v := reflect.ValueOf(h).Elem()
	for i := range v.NumField() {
		name := v.Type().Field(i).Name
		if v.Field(i).IsZero() && !contains(mayBeZero, name) {
			t.Errorf("newHandlerForTest leaves Handler.%s zero; got zero, want it set as New sets it", name)
		}
	}
}
