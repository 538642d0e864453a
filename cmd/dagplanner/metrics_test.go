package main

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

var metricsRE = regexp.MustCompile(`metrics listening"? addr=(\S+)`)

// scrape fetches /metrics and parses it with Prometheus' own text parser.
func scrape(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d, want 200", url, resp.StatusCode)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parse %s: %v", url, err)
	}
	return families
}

// value returns the value of the family's series whose labels include want; ok is false when
// there is none.
func value(families map[string]*dto.MetricFamily, name string, want map[string]string) (v float64, ok bool) {
	f := families[name]
	if f == nil {
		return 0, false
	}
series:
	for _, m := range f.GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		for k, w := range want {
			if labels[k] != w {
				continue series
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue(), true
		case m.Gauge != nil:
			return m.Gauge.GetValue(), true
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount()), true
		}
	}
	return 0, false
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	db := demoDB(t, false)
	srv := startServer(t, "--db", db, "--demo", "--demo-registrations=false", "--metrics-addr", "127.0.0.1:0")
	m := metricsRE.FindStringSubmatch(srv.Out.String())
	if m == nil {
		t.Fatalf("no %q log line:\n%s", "metrics listening", srv.Out.String())
	}
	metricsURL := "http://" + m[1] + "/metrics"

	// Never on the public address.
	c := newClient(t)
	if status, _ := get(t, c, srv.URL, "/metrics"); status != http.StatusNotFound {
		t.Errorf("GET /metrics on the public address = %d, want 404", status)
	}

	token := newDoorToken(t, db, "zwolle")
	first := registerViaAPI(t, srv.URL, "eerste@example.org")
	registerViaAPI(t, srv.URL, "tweede@example.org")
	scanSome(t, srv.URL, token, 0, 1)
	get(t, c, srv.URL, "/boeking/"+first) // a personal link: its route, never its token, is counted

	// The two confirmations leave through the mail worker (to the log: no SMTP here).
	var families map[string]*dto.MetricFamily
	for deadline := time.Now().Add(30 * time.Second); ; {
		families = scrape(t, metricsURL)
		sent, _ := value(families, "dagplanner_mail_sent_total", nil)
		pending, _ := value(families, "dagplanner_outbox_pending", nil)
		if sent == 2 && pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("mail sent %v and outbox pending %v after 30s, want 2 and 0", sent, pending)
		}
		time.Sleep(200 * time.Millisecond)
	}

	for _, tc := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"dagplanner_registrations_total", nil, 2},
		{"dagplanner_checkins_total", nil, 1},
		{"dagplanner_waitlist_promotions_total", nil, 0},
		{"dagplanner_mail_failed_total", nil, 0},
		{"dagplanner_outbox_oldest_pending_age_seconds", nil, 0},
		{"dagplanner_http_requests_total", map[string]string{"route": "/api/v1/registrations", "method": "POST", "status": "201"}, 2},
		{"dagplanner_http_requests_total", map[string]string{"route": "/api/v1/checkins", "method": "POST", "status": "200"}, 1},
		{"dagplanner_http_requests_total", map[string]string{"route": "/boeking/:token", "method": "GET", "status": "200"}, 1},
		{"dagplanner_http_requests_total", map[string]string{"route": "unmatched", "method": "GET", "status": "404"}, 1},
		{"dagplanner_http_request_duration_seconds", map[string]string{"route": "/api/v1/registrations", "method": "POST"}, 2},
	} {
		if got, ok := value(families, tc.name, tc.labels); !ok || got != tc.want {
			t.Errorf("%s%v = %v (found: %t), want %v", tc.name, tc.labels, got, ok, tc.want)
		}
	}
	// Three writes at least went through the group commit: two registrations, one check-in.
	if h := families["dagplanner_group_commit_batch_size"]; h == nil || h.GetMetric()[0].GetHistogram().GetSampleSum() < 3 {
		t.Errorf("dagplanner_group_commit_batch_size: got %v, want a histogram summing to at least 3 writes", h)
	}
	for _, pool := range []string{"read", "write"} {
		if open, ok := value(families, "dagplanner_db_connections_open", map[string]string{"pool": pool}); !ok || open < 1 {
			t.Errorf("dagplanner_db_connections_open{pool=%q} = %v (found: %t), want at least 1", pool, open, ok)
		}
		if _, ok := value(families, "dagplanner_db_connection_waits_total", map[string]string{"pool": pool}); !ok {
			t.Errorf("dagplanner_db_connection_waits_total{pool=%q} missing", pool)
		}
	}
	// No series is labelled with a raw path.
	for _, m := range families["dagplanner_http_requests_total"].GetMetric() {
		for _, l := range m.GetLabel() {
			if strings.Contains(l.GetValue(), first) {
				t.Errorf("a request series is labelled %q, holding a personal link", l.GetValue())
			}
		}
	}
}
