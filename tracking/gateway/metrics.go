package gateway

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"

	"fleet/tracking/jt808"
)

type metrics struct {
	conns           prometheus.Gauge
	refused         prometheus.Counter
	frames          prometheus.Counter
	sent            prometheus.Counter
	badFrames       *prometheus.CounterVec
	registrations   *prometheus.CounterVec
	auths           *prometheus.CounterVec
	unauthenticated prometheus.Counter
	unacked         prometheus.Counter
	replaced        prometheus.Counter
	idleClosed      prometheus.Counter
	slowClosed      prometheus.Counter
	commands        prometheus.Counter
	ackLatency      prometheus.Histogram
}

func newMetrics(reg prometheus.Registerer) *metrics {
	c := func(name, help string) prometheus.Counter {
		return prometheus.NewCounter(prometheus.CounterOpts{Name: "fleet_jt808_" + name, Help: help})
	}
	m := &metrics{
		conns:           prometheus.NewGauge(prometheus.GaugeOpts{Name: "fleet_jt808_connections", Help: "Terminal connections open."}),
		refused:         c("refused_total", "Connections refused at the connection limit."),
		frames:          c("frames_total", "Frames decoded."),
		sent:            c("sent_total", "Frames queued to terminals."),
		badFrames:       prometheus.NewCounterVec(prometheus.CounterOpts{Name: "fleet_jt808_bad_frames_total", Help: "Frames or bodies dropped, by reason."}, []string{"reason"}),
		registrations:   prometheus.NewCounterVec(prometheus.CounterOpts{Name: "fleet_jt808_registrations_total", Help: "Registrations, by outcome."}, []string{"outcome"}),
		auths:           prometheus.NewCounterVec(prometheus.CounterOpts{Name: "fleet_jt808_authentications_total", Help: "Authentications, by outcome."}, []string{"outcome"}),
		unauthenticated: c("unauthenticated_locations_total", "Locations refused because the terminal had not authenticated."),
		unacked:         c("unacknowledged_total", "Messages left unanswered because their points could not be committed."),
		replaced:        c("sessions_replaced_total", "Sessions closed because their terminal connected again."),
		idleClosed:      c("idle_closed_total", "Connections closed after the idle time-out."),
		slowClosed:      c("slow_closed_total", "Connections closed because the terminal did not read its answers."),
		commands:        c("commands_sent_total", "Downlink commands sent."),
		ackLatency: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "fleet_jt808_ack_seconds",
			Help: "From a location's arrival to its acknowledgement (includes the commit).", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14)}),
	}
	if reg != nil {
		reg.MustRegister(m.conns, m.refused, m.frames, m.sent, m.badFrames, m.registrations, m.auths, m.unauthenticated,
			m.unacked, m.replaced, m.idleClosed, m.slowClosed, m.commands, m.ackLatency)
	}
	return m
}

// badFrame counts a dropped frame or body by its reason.
func (m *metrics) badFrame(err error) {
	reason := "other"
	for _, e := range []struct {
		err  error
		name string
	}{
		{jt808.ErrChecksum, "checksum"}, {jt808.ErrEscape, "escape"}, {jt808.ErrTooShort, "too_short"},
		{jt808.ErrTooLong, "too_long"}, {jt808.ErrLength, "length"}, {jt808.ErrBCD, "bcd"},
		{jt808.ErrTime, "time"}, {jt808.ErrVersion, "version"}, {jt808.ErrSubpacket, "subpacket"},
		{jt808.ErrReassemblyFull, "reassembly_full"},
	} {
		if errors.Is(err, e.err) {
			reason = e.name
			break
		}
	}
	m.badFrames.WithLabelValues(reason).Inc()
}
