package tracking

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	received  *prometheus.CounterVec
	rejected  *prometheus.CounterVec
	stored    prometheus.Counter
	batchRows prometheus.Histogram
	commit    prometheus.Histogram
	failures  prometheus.Counter
	bySource  [5]prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		received: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "fleet_points_received_total", Help: "Positions received, by source."}, []string{"source"}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "fleet_points_rejected_total", Help: "Positions rejected by validation, by reason."}, []string{"reason"}),
		stored:   prometheus.NewCounter(prometheus.CounterOpts{Name: "fleet_points_committed_total", Help: "Positions committed (re-sent duplicates included, stored once)."}),
		batchRows: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "fleet_position_batch_rows", Help: "Rows per position commit.",
			Buckets: prometheus.ExponentialBuckets(1, 4, 8)}),
		commit: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "fleet_position_commit_seconds", Help: "Time to write and commit one batch of positions.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2.5, 10)}),
		failures: prometheus.NewCounter(prometheus.CounterOpts{Name: "fleet_position_commit_failures_total", Help: "Position batches that failed to commit (not acknowledged)."}),
	}
	for i := range m.bySource {
		m.bySource[i] = m.received.WithLabelValues(Source(i).String())
	}
	if reg != nil {
		reg.MustRegister(m.received, m.rejected, m.stored, m.batchRows, m.commit, m.failures)
	}
	return m
}

// receivedBy returns the received counter of a source, resolved once per source.
func (m *metrics) receivedBy(src Source) prometheus.Counter {
	if int(src) < len(m.bySource) {
		return m.bySource[src]
	}
	return m.received.WithLabelValues(src.String())
}

func (m *metrics) observeWrite(rows int, d time.Duration, err error) {
	if err != nil {
		m.failures.Inc()
		return
	}
	m.batchRows.Observe(float64(rows))
	m.commit.Observe(d.Seconds())
}
