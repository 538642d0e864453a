package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ambtenaar20/dagplanner/models"
)

// scrapeTimeout bounds the database query a scrape makes.
const scrapeTimeout = 3 * time.Second

var (
	outboxPendingDesc = prometheus.NewDesc(namespace+"_outbox_pending",
		"E-mails in the outbox waiting to be sent (all processes).", nil, nil)
	outboxAgeDesc = prometheus.NewDesc(namespace+"_outbox_oldest_pending_age_seconds",
		"Age of the oldest e-mail waiting in the outbox; 0 when none waits.", nil, nil)
)

// outboxCollector reads the outbox's depth and oldest message at scrape time: the outbox is
// shared by every process, so no one process could count it.
type outboxCollector struct{ store *models.Store }

func (c outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- outboxPendingDesc
	ch <- outboxAgeDesc
}

func (c outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	pending, oldest, err := c.store.OutboxBacklog(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(outboxPendingDesc, err)
		return
	}
	age := 0.0
	if pending > 0 {
		age = max(0, c.store.Now().Sub(oldest).Seconds())
	}
	ch <- prometheus.MustNewConstMetric(outboxPendingDesc, prometheus.GaugeValue, float64(pending))
	ch <- prometheus.MustNewConstMetric(outboxAgeDesc, prometheus.GaugeValue, age)
}

var (
	poolLabels     = []string{"pool"}
	poolOpenDesc   = prometheus.NewDesc(namespace+"_db_connections_open", "Open database connections, in use or idle.", poolLabels, nil)
	poolInUseDesc  = prometheus.NewDesc(namespace+"_db_connections_in_use", "Database connections in use.", poolLabels, nil)
	poolIdleDesc   = prometheus.NewDesc(namespace+"_db_connections_idle", "Idle database connections.", poolLabels, nil)
	poolMaxDesc    = prometheus.NewDesc(namespace+"_db_connections_max_open", "The pool's bound on open connections; 0 is unbounded.", poolLabels, nil)
	poolWaitsDesc  = prometheus.NewDesc(namespace+"_db_connection_waits_total", "Times a request waited for a free connection.", poolLabels, nil)
	poolWaitedDesc = prometheus.NewDesc(namespace+"_db_connection_wait_seconds_total", "Time spent waiting for a free connection.", poolLabels, nil)
)

// poolCollector reports the store's connection pools (database/sql's statistics).
type poolCollector struct{ store *models.Store }

func (c poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolOpenDesc, poolInUseDesc, poolIdleDesc, poolMaxDesc, poolWaitsDesc, poolWaitedDesc} {
		ch <- d
	}
}

func (c poolCollector) Collect(ch chan<- prometheus.Metric) {
	for name, st := range c.store.PoolStats() {
		ch <- prometheus.MustNewConstMetric(poolOpenDesc, prometheus.GaugeValue, float64(st.OpenConnections), name)
		ch <- prometheus.MustNewConstMetric(poolInUseDesc, prometheus.GaugeValue, float64(st.InUse), name)
		ch <- prometheus.MustNewConstMetric(poolIdleDesc, prometheus.GaugeValue, float64(st.Idle), name)
		ch <- prometheus.MustNewConstMetric(poolMaxDesc, prometheus.GaugeValue, float64(st.MaxOpenConnections), name)
		ch <- prometheus.MustNewConstMetric(poolWaitsDesc, prometheus.CounterValue, float64(st.WaitCount), name)
		ch <- prometheus.MustNewConstMetric(poolWaitedDesc, prometheus.CounterValue, st.WaitDuration.Seconds(), name)
	}
}
