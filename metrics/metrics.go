// Package metrics exposes Dagplanner's figures in the Prometheus text format: requests by
// route, registrations, promotions and check-ins, the outbox, mail, the database pools and
// the group commit. It is served on an address of its own, never on the public site.
package metrics

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/ambtenaar20/dagplanner/models"
)

// namespace prefixes every metric of ours.
const namespace = "dagplanner"

// MailCounts is what the mail worker has done since it started.
type MailCounts interface {
	Sent() int64
	Failed() int64
}

// Metrics holds a registry with Dagplanner's metrics.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// New registers the metrics that store and mail report. It hooks the group commit's batch
// sizes into the store, so make one Metrics per store.
func New(store *models.Store, mail MailCounts) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "http_requests_total",
		Help: "HTTP requests answered, by route pattern, method and status.",
	}, []string{"route", "method", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: namespace, Name: "http_request_duration_seconds",
		Help:    "Time to answer an HTTP request, by route pattern and method.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"route", "method"})
	batches := prometheus.NewHistogram(prometheus.HistogramOpts{
		Namespace: namespace, Name: "group_commit_batch_size",
		Help:    "Writes committed together in one group commit.",
		Buckets: prometheus.ExponentialBuckets(1, 2, 8), // 1 … 128, the largest batch
	})
	store.OnBatch(func(n int) { batches.Observe(float64(n)) })
	counter := func(name, help string, value func(models.Counts) int64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Namespace: namespace, Name: name, Help: help},
			func() float64 { return float64(value(store.Counts())) })
	}
	m.reg.MustRegister(
		m.requests, m.latency, batches,
		counter("registrations_total", "Registrations stored by this process.", func(c models.Counts) int64 { return c.Registrations }),
		counter("waitlist_promotions_total", "Bookings promoted from a waiting list to a seat by this process.", func(c models.Counts) int64 { return c.Promotions }),
		counter("checkins_total", "Check-ins admitted at the door by this process.", func(c models.Counts) int64 { return c.CheckIns }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Namespace: namespace, Name: "mail_sent_total",
			Help: "E-mails the SMTP server accepted from this process."}, func() float64 { return float64(mail.Sent()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Namespace: namespace, Name: "mail_failed_total",
			Help: "E-mails this process could not compose or send (each is retried later)."}, func() float64 { return float64(mail.Failed()) }),
		outboxCollector{store: store},
		poolCollector{store: store},
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

// Handler serves the metrics in the Prometheus text format. A metric that cannot be read
// (the database is down) is left out and the others are still served.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}
