package wsload

import (
	"fmt"
	"io"
	"time"

	"fleet/cmd/fleetsim/latency"
)

// mark is every client's counters at one moment; the difference of two is a window.
type mark struct {
	at      time.Time
	clients []clientMark
	first   latency.Snapshot
}

type clientMark struct {
	lat                                                     latency.Snapshot
	items, frames, bytes, skipped, dups, unmatched, unknown int64
}

func (l *Load) mark() *mark {
	m := &mark{at: time.Now(), clients: make([]clientMark, len(l.clients))}
	for i, c := range l.clients {
		cm := &m.clients[i]
		c.lat.Snapshot(&cm.lat)
		cm.items, cm.frames, cm.bytes = c.items.Load(), c.frames.Load(), c.bytes.Load()
		cm.skipped, cm.dups, cm.unmatched, cm.unknown = c.skipped.Load(), c.dups.Load(), c.unmatched.Load(), c.unknown.Load()
	}
	l.first.Snapshot(&m.first)
	return m
}

// window is what happened between two marks, over all clients.
type window struct {
	secs                                                    float64
	lat, first                                              latency.Snapshot
	items, frames, bytes, skipped, dups, unmatched, unknown int64
	clientLat                                               []latency.Snapshot // per client
	clientBytes                                             []int64
}

func between(a, b *mark) window {
	w := window{secs: b.at.Sub(a.at).Seconds(), first: b.first.Sub(&a.first),
		clientLat: make([]latency.Snapshot, len(b.clients)), clientBytes: make([]int64, len(b.clients))}
	for i := range b.clients {
		x, y := &a.clients[i], &b.clients[i]
		w.clientLat[i] = y.lat.Sub(&x.lat)
		w.lat.Add(&w.clientLat[i])
		w.clientBytes[i] = y.bytes - x.bytes
		w.items += y.items - x.items
		w.frames += y.frames - x.frames
		w.bytes += y.bytes - x.bytes
		w.skipped += y.skipped - x.skipped
		w.dups += y.dups - x.dups
		w.unmatched += y.unmatched - x.unmatched
		w.unknown += y.unknown - x.unknown
	}
	return w
}

// Summary is the outcome of a run. Counts and rates are of the measured window; a delivery is
// one vehicle item received by one client, its latency from the terminal's write of the report
// to the client's read of the whole frame (coalescing included).
type Summary struct {
	Clients       int      `json:"clients"`        // asked for
	Subscribed    int      `json:"subscribed"`     // connected and got their snapshot
	ConnectErrors int      `json:"connect_errors"` // could not connect or subscribe
	Dropped       int      `json:"dropped"`        // connections that ended before Stop
	Behind        int      `json:"behind"`         // dropped, or own p99 over the window above the bound
	BehindAfterMs float64  `json:"behind_after_ms"`
	Problems      []string `json:"problems,omitempty"` // the first few reasons clients failed

	// The measured window, in Unix seconds, to match samples of other processes to it.
	WindowFrom            float64 `json:"window_from"`
	WindowTo              float64 `json:"window_to"`
	WindowS               float64 `json:"window_s"`
	Delivered             int64   `json:"delivered"`
	DeliveredPerS         float64 `json:"delivered_per_s"`
	PerClientPerS         float64 `json:"per_client_per_s"`
	FramesPerClientPerS   float64 `json:"frames_per_client_per_s"`
	BytesPerClientPerS    float64 `json:"bytes_per_client_per_s"`
	MaxBytesPerClientPerS float64 `json:"max_bytes_per_client_per_s"`

	Measured         uint64  `json:"measured"` // deliveries with a known send time: the latency samples
	P50ms            float64 `json:"p50_ms"`
	P99ms            float64 `json:"p99_ms"`
	Maxms            float64 `json:"max_ms"`
	FirstP50ms       float64 `json:"first_p50_ms"` // each report's first delivery, to any client
	FirstP99ms       float64 `json:"first_p99_ms"`
	WorstClientP99ms float64 `json:"worst_client_p99_ms"`
	// P99 over each half of the window: a client falling behind shows as a rising p99.
	FirstHalfP99ms  float64 `json:"first_half_p99_ms"`
	SecondHalfP99ms float64 `json:"second_half_p99_ms"`

	Skipped    int64 `json:"skipped"`    // reports a client never received (it got an older, then a newer one)
	Duplicates int64 `json:"duplicates"` // items no newer than the client's last of that vehicle
	Unmatched  int64 `json:"unmatched"`  // items whose send time was not known
	Unknown    int64 `json:"unknown"`    // items of vehicles bound to no terminal of the run

	Bases []BaseSummary `json:"bases"`
}

// BaseSummary is the window's figures of the clients of one fleetd instance.
type BaseSummary struct {
	URL       string  `json:"url"`
	Clients   int     `json:"clients"`
	Delivered int64   `json:"delivered"`
	P50ms     float64 `json:"p50_ms"`
	P99ms     float64 `json:"p99_ms"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func unix(t time.Time) float64 { return float64(t.UnixMicro()) / 1e6 }

// summary builds the summary; l.mu is held.
func (l *Load) summary() Summary {
	s := Summary{Clients: l.cfg.Clients, Subscribed: len(l.clients), ConnectErrors: l.connectErrors,
		BehindAfterMs: ms(l.cfg.BehindAfter), Problems: append([]string(nil), l.connectProblems...)}
	s.Bases = make([]BaseSummary, len(l.cfg.Bases))
	for i, b := range l.cfg.Bases {
		s.Bases[i].URL = b
	}
	var w window
	if l.from != nil && l.to != nil && l.to.at.After(l.from.at) {
		w = between(l.from, l.to)
	}
	for i, c := range l.clients {
		behind := c.dropped.Load()
		if behind {
			s.Dropped++
			if len(s.Problems) < 10 {
				s.Problems = append(s.Problems, fmt.Sprintf("client %d dropped: %s", i, c.reason()))
			}
		}
		if w.clientLat != nil {
			p99 := w.clientLat[i].Quantile(0.99)
			s.WorstClientP99ms = max(s.WorstClientP99ms, ms(p99))
			behind = behind || p99 > l.cfg.BehindAfter
		}
		if behind {
			s.Behind++
		}
		s.Bases[c.base].Clients++
	}
	if w.secs <= 0 {
		return s
	}
	n := float64(len(l.clients))
	s.WindowS = w.secs
	s.WindowFrom, s.WindowTo = unix(l.from.at), unix(l.to.at)
	s.Delivered = w.items
	s.DeliveredPerS = float64(w.items) / w.secs
	s.PerClientPerS = s.DeliveredPerS / n
	s.FramesPerClientPerS = float64(w.frames) / w.secs / n
	s.BytesPerClientPerS = float64(w.bytes) / w.secs / n
	for _, b := range w.clientBytes {
		s.MaxBytesPerClientPerS = max(s.MaxBytesPerClientPerS, float64(b)/w.secs)
	}
	s.Measured = w.lat.Total()
	s.P50ms, s.P99ms, s.Maxms = ms(w.lat.Quantile(0.5)), ms(w.lat.Quantile(0.99)), ms(w.lat.Max())
	s.FirstP50ms, s.FirstP99ms = ms(w.first.Quantile(0.5)), ms(w.first.Quantile(0.99))
	s.Skipped, s.Duplicates, s.Unmatched, s.Unknown = w.skipped, w.dups, w.unmatched, w.unknown
	if l.mid != nil && l.mid.at.After(l.from.at) && l.to.at.After(l.mid.at) {
		a, b := between(l.from, l.mid), between(l.mid, l.to)
		s.FirstHalfP99ms, s.SecondHalfP99ms = ms(a.lat.Quantile(0.99)), ms(b.lat.Quantile(0.99))
	}
	base := make([]latency.Snapshot, len(l.cfg.Bases))
	for i, c := range l.clients {
		base[c.base].Add(&w.clientLat[i])
		s.Bases[c.base].Delivered += l.to.clients[i].items - l.from.clients[i].items
	}
	for i := range base {
		s.Bases[i].P50ms, s.Bases[i].P99ms = ms(base[i].Quantile(0.5)), ms(base[i].Quantile(0.99))
	}
	return s
}

// WriteText prints the summary for a person.
func (s Summary) WriteText(w io.Writer) {
	fmt.Fprintf(w, "ws clients  %d subscribed of %d (%d could not connect), %d dropped by the server, %d behind (dropped or p99 above %.0fms)\n",
		s.Subscribed, s.Clients, s.ConnectErrors, s.Dropped, s.Behind, s.BehindAfterMs)
	for _, p := range s.Problems {
		fmt.Fprintf(w, "            %s\n", p)
	}
	if s.WindowS == 0 {
		fmt.Fprintf(w, "ws window   none: the run ended before the warm-up did\n")
		return
	}
	fmt.Fprintf(w, "ws delivery %.0f items/s over %.1fs (%.1f/s, %.2f frames/s and %.0f bytes/s a client; at most %.0f bytes/s)\n",
		s.DeliveredPerS, s.WindowS, s.PerClientPerS, s.FramesPerClientPerS, s.BytesPerClientPerS, s.MaxBytesPerClientPerS)
	fmt.Fprintf(w, "ws latency  p50 %.1fms p99 %.1fms max %.1fms over %d deliveries; first delivery p50 %.1fms p99 %.1fms; worst client p99 %.1fms; p99 by half %.1fms, %.1fms\n",
		s.P50ms, s.P99ms, s.Maxms, s.Measured, s.FirstP50ms, s.FirstP99ms, s.WorstClientP99ms, s.FirstHalfP99ms, s.SecondHalfP99ms)
	for _, b := range s.Bases {
		fmt.Fprintf(w, "ws by base  %s: %d clients, %d deliveries, p50 %.1fms p99 %.1fms\n", b.URL, b.Clients, b.Delivered, b.P50ms, b.P99ms)
	}
	fmt.Fprintf(w, "ws missing  %d reports skipped, %d duplicates, %d without a known send time, %d of unknown vehicles\n",
		s.Skipped, s.Duplicates, s.Unmatched, s.Unknown)
}

// progress prints a line every period until Stop.
func (l *Load) progress() {
	defer close(l.progressDone)
	t := time.NewTicker(l.cfg.Progress)
	defer t.Stop()
	prev := l.mark()
	for {
		select {
		case <-l.stopProgress:
			return
		case <-t.C:
			cur := l.mark()
			w := between(prev, cur)
			prev = cur
			if l.log == nil || w.secs <= 0 {
				continue
			}
			n := float64(len(l.clients))
			fmt.Fprintf(l.log, "wsload %4.0fs: clients %d/%d, %.0f items/s (%.0f and %.0f KB/s a client), latency p50 %.1fms p99 %.1fms max %.1fms, first p99 %.1fms, skipped %d\n",
				cur.at.Sub(l.start).Seconds(), l.Clients(), l.cfg.Clients, float64(w.items)/w.secs, float64(w.items)/w.secs/n,
				float64(w.bytes)/w.secs/n/1024, ms(w.lat.Quantile(0.5)), ms(w.lat.Quantile(0.99)), ms(w.lat.Max()),
				ms(w.first.Quantile(0.99)), w.skipped)
		}
	}
}
