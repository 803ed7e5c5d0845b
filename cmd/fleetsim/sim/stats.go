package sim

import (
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"fleet/cmd/fleetsim/latency"
)

// stats are the run's counters, shared by every terminal.
type stats struct {
	connected     atomic.Int64 // authenticated connections now
	maxConnected  atomic.Int64
	registered    atomic.Int64 // terminals that registered at least once
	authenticated atomic.Int64 // terminals that authenticated at least once
	refused       atomic.Int64 // terminals whose registration was refused; they stopped
	v2019         atomic.Int64 // terminals with 2019 headers

	generated    atomic.Int64 // points made
	sent         atomic.Int64 // points sent at least once
	acked        atomic.Int64 // points acknowledged
	resent       atomic.Int64 // re-sends of points after an ack timeout
	blind        atomic.Int64 // points sent in 0x0704 blind-zone batches after a reconnect
	dropped      atomic.Int64 // points given up: the pending buffer overflowed or the platform rejected them
	outstanding  atomic.Int64 // points made, neither acknowledged nor dropped
	heartbeats   atomic.Int64
	resentLogins atomic.Int64 // registrations and authentications re-sent after a timeout
	reconnects   atomic.Int64
	downlinks    atomic.Int64 // platform commands (0x8300, 0x8201 ...) answered

	dialErrors atomic.Int64 // connections that could not be made
	ioErrors   atomic.Int64 // connections lost, writes failed, logins timed out
	badFrames  atomic.Int64 // undecodable frames from the platform
	nacks      atomic.Int64 // general responses with a failure result
	timeouts   atomic.Int64 // links dropped after MaxRetries unanswered re-sends

	lat latency.Hist // write to matching ack
}

func (s *stats) connect() {
	n := s.connected.Add(1)
	for {
		m := s.maxConnected.Load()
		if n <= m || s.maxConnected.CompareAndSwap(m, n) {
			return
		}
	}
}

func (s *stats) errors() int64 {
	// A link dropped for ack timeouts is counted again as a lost connection: timeouts are not added.
	return s.dialErrors.Load() + s.ioErrors.Load() + s.badFrames.Load() + s.nacks.Load()
}

// Summary is the outcome of a run. Counts are of points (location reports) unless named
// otherwise; latencies are from the write of a frame to the platform's matching 0x8001.
type Summary struct {
	Terminals     int   `json:"terminals"`
	V2019         int64 `json:"v2019"`
	Registered    int64 `json:"registered"`
	Authenticated int64 `json:"authenticated"`
	Refused       int64 `json:"refused"`
	// RefusedPhones names up to 10 refused terminals.
	RefusedPhones []string `json:"refused_phones,omitempty"`
	Connected     int64    `json:"connected"`     // when the run ended, before disconnecting
	MaxConnected  int64    `json:"max_connected"` // at any one time

	Generated  int64 `json:"generated"`
	Sent       int64 `json:"sent"`
	Acked      int64 `json:"acked"`
	Resent     int64 `json:"resent"`
	Blind      int64 `json:"blind"`
	Dropped    int64 `json:"dropped"`
	Pending    int64 `json:"pending"` // made but neither acknowledged nor dropped at the end
	Heartbeats int64 `json:"heartbeats"`
	// ResentLogins counts 0x0100 and 0x0102 re-sent after a timeout.
	ResentLogins int64 `json:"resent_logins"`
	Reconnects   int64 `json:"reconnects"`
	Downlinks    int64 `json:"downlinks"`

	Errors     int64 `json:"errors"`
	DialErrors int64 `json:"dial_errors"`
	IOErrors   int64 `json:"io_errors"`
	BadFrames  int64 `json:"bad_frames"`
	Nacks      int64 `json:"nacks"`
	Timeouts   int64 `json:"timeouts"`

	AckSamples uint64  `json:"ack_samples"`
	AckP50ms   float64 `json:"ack_p50_ms"`
	AckP99ms   float64 `json:"ack_p99_ms"`
	AckMaxms   float64 `json:"ack_max_ms"`

	ElapsedS float64 `json:"elapsed_s"` // from start to the end of the drain
	// AckedPerS is acknowledged points per second of the reporting period (start to the end of
	// the drain); PeakAckedPerS the best progress window's rate.
	AckedPerS     float64 `json:"acked_per_s"`
	PeakAckedPerS float64 `json:"peak_acked_per_s"`

	// The steady state: from one interval after the last terminal logged in and the platform
	// caught up with the ramp's backlog (no more points outstanding than terminals) to the end
	// of reporting; latencies to the end of the drain. Zero when it never began.
	SteadyS         float64 `json:"steady_s"`
	SteadyAckedPerS float64 `json:"steady_acked_per_s"`
	SteadyAckP50ms  float64 `json:"steady_ack_p50_ms"`
	SteadyAckP99ms  float64 `json:"steady_ack_p99_ms"`
}

// mark is the counters at one moment, to measure a window between two.
type mark struct {
	at    time.Time
	acked int64
	lat   latency.Snapshot
}

func (s *stats) mark() *mark {
	m := &mark{at: time.Now(), acked: s.acked.Load()}
	s.lat.Snapshot(&m.lat)
	return m
}

// steady fills the steady-state figures: reporting from start to genEnd, acks until last.
func (sum *Summary) steady(start, genEnd, last *mark) {
	secs := genEnd.at.Sub(start.at).Seconds()
	if secs <= 0 {
		return
	}
	lat := last.lat.Sub(&start.lat)
	sum.SteadyS = secs
	sum.SteadyAckedPerS = float64(genEnd.acked-start.acked) / secs
	sum.SteadyAckP50ms, sum.SteadyAckP99ms = ms(lat.Quantile(0.5)), ms(lat.Quantile(0.99))
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func (s *stats) summary(n int, elapsed time.Duration, peak float64) Summary {
	var snap latency.Snapshot
	s.lat.Snapshot(&snap)
	sum := Summary{
		Terminals: n, V2019: s.v2019.Load(), Registered: s.registered.Load(), Authenticated: s.authenticated.Load(),
		Refused: s.refused.Load(), Connected: s.connected.Load(), MaxConnected: s.maxConnected.Load(),
		Generated: s.generated.Load(), Sent: s.sent.Load(), Acked: s.acked.Load(), Resent: s.resent.Load(),
		Blind: s.blind.Load(), Dropped: s.dropped.Load(), Pending: s.outstanding.Load(),
		Heartbeats: s.heartbeats.Load(), ResentLogins: s.resentLogins.Load(), Reconnects: s.reconnects.Load(), Downlinks: s.downlinks.Load(),
		Errors: s.errors(), DialErrors: s.dialErrors.Load(), IOErrors: s.ioErrors.Load(), BadFrames: s.badFrames.Load(),
		Nacks: s.nacks.Load(), Timeouts: s.timeouts.Load(),
		AckSamples: snap.Total(), AckP50ms: ms(snap.Quantile(0.5)), AckP99ms: ms(snap.Quantile(0.99)), AckMaxms: ms(snap.Max()),
		ElapsedS: elapsed.Seconds(), PeakAckedPerS: peak,
	}
	if elapsed > 0 {
		sum.AckedPerS = float64(sum.Acked) / elapsed.Seconds()
	}
	return sum
}

// WriteText prints the summary for a person.
func (s Summary) WriteText(w io.Writer) {
	fmt.Fprintf(w, "terminals   %d (%d with 2019 headers): %d registered, %d authenticated, %d refused",
		s.Terminals, s.V2019, s.Registered, s.Authenticated, s.Refused)
	if len(s.RefusedPhones) > 0 {
		fmt.Fprintf(w, " %v", s.RefusedPhones)
	}
	fmt.Fprintf(w, "\nconnected   %d at the end, %d at most; %d reconnects, %d registrations or authentications re-sent\n",
		s.Connected, s.MaxConnected, s.Reconnects, s.ResentLogins)
	if s.Generated == 0 { // idle: heartbeats only
		fmt.Fprintf(w, "other       %d heartbeats, %d platform commands answered\n", s.Heartbeats, s.Downlinks)
		fmt.Fprintf(w, "errors      %d (dial %d, connection %d, bad frames %d, failure results %d)\n",
			s.Errors, s.DialErrors, s.IOErrors, s.BadFrames, s.Nacks)
		return
	}
	fmt.Fprintf(w, "points      %d made, %d sent, %d acknowledged, %d re-sent, %d in blind-zone batches, %d dropped, %d pending\n",
		s.Generated, s.Sent, s.Acked, s.Resent, s.Blind, s.Dropped, s.Pending)
	fmt.Fprintf(w, "rate        %.1f acknowledged/s over %.1fs (best 5 s window %.1f/s)\n", s.AckedPerS, s.ElapsedS, s.PeakAckedPerS)
	fmt.Fprintf(w, "ack latency p50 %.1fms p99 %.1fms max %.1fms (%d acks)\n", s.AckP50ms, s.AckP99ms, s.AckMaxms, s.AckSamples)
	if s.SteadyS == 0 {
		fmt.Fprintf(w, "steady      never reached: not every terminal logged in, or the platform never caught up\n")
	} else {
		fmt.Fprintf(w, "steady      %.1f acknowledged/s over %.1fs once all had logged in and the backlog was cleared, ack p50 %.1fms p99 %.1fms\n",
			s.SteadyAckedPerS, s.SteadyS, s.SteadyAckP50ms, s.SteadyAckP99ms)
	}
	fmt.Fprintf(w, "other       %d heartbeats, %d platform commands answered\n", s.Heartbeats, s.Downlinks)
	fmt.Fprintf(w, "errors      %d (dial %d, connection %d of which %d dropped for ack timeouts, bad frames %d, failure results %d)\n",
		s.Errors, s.DialErrors, s.IOErrors, s.Timeouts, s.BadFrames, s.Nacks)
}

// progress prints a line every period until stop closes, and returns the best window's rate of
// acknowledged points per second.
func (s *stats) progress(w io.Writer, n int, start time.Time, every time.Duration, stop <-chan struct{}) float64 {
	t := time.NewTicker(every)
	defer t.Stop()
	var prev, cur latency.Snapshot
	prevAcked, prevSent, prevAt := int64(0), int64(0), start
	peak := 0.0
	for {
		select {
		case <-stop:
			return peak
		case now := <-t.C:
			s.lat.Snapshot(&cur)
			win := cur.Sub(&prev)
			prev = cur
			acked, sent := s.acked.Load(), s.sent.Load()
			secs := now.Sub(prevAt).Seconds()
			rate := float64(acked-prevAcked) / secs
			peak = max(peak, rate)
			if w != nil {
				fmt.Fprintf(w, "fleetsim %4.0fs: connected %d/%d, sent %d (%.0f/s), acked %d (%.0f/s), re-sent %d, pending %d, errors %d, ack p50 %.1fms p99 %.1fms\n",
					now.Sub(start).Seconds(), s.connected.Load(), n, sent, float64(sent-prevSent)/secs, acked, rate,
					s.resent.Load(), s.outstanding.Load(), s.errors(), ms(win.Quantile(0.5)), ms(win.Quantile(0.99)))
			}
			prevAcked, prevSent, prevAt = acked, sent, now
		}
	}
}
