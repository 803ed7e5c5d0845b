package apiload

import (
	"fmt"
	"io"
	"time"

	"fleet/cmd/fleetsim/latency"
)

// Summary is the run's account: every request timed from when it was due.
type Summary struct {
	Seconds    float64       `json:"seconds"`
	Requests   uint64        `json:"requests"`
	PerSecond  float64       `json:"per_s"`
	Errors     uint64        `json:"errors"`
	LastError  string        `json:"last_error,omitempty"`
	Late       uint64        `json:"late"` // due requests that waited for a free worker
	P50Ms      float64       `json:"p50_ms"`
	P99Ms      float64       `json:"p99_ms"`
	P999Ms     float64       `json:"p999_ms"`
	MaxMs      float64       `json:"max_ms"`
	Paths      []PathSummary `json:"paths"`
	Minutes    []Minute      `json:"minutes"`
	WorstMinMs float64       `json:"worst_minute_p99_ms"`
}

// PathSummary is one path's share.
type PathSummary struct {
	Path     string  `json:"path"`
	Requests uint64  `json:"requests"`
	Errors   uint64  `json:"errors"`
	P50Ms    float64 `json:"p50_ms"`
	P99Ms    float64 `json:"p99_ms"`
	MaxMs    float64 `json:"max_ms"`
}

// Stop ends the traffic, waits for the requests in flight and returns the summary.
func (l *Load) Stop() Summary {
	l.stop()
	<-l.done
	var s latency.Snapshot
	l.all.Snapshot(&s)
	sum := Summary{Seconds: time.Since(l.start).Seconds(), Requests: s.Total(), Errors: l.errors.Load(), Late: l.late.Load(),
		P50Ms: ms(s.Quantile(0.5)), P99Ms: ms(s.Quantile(0.99)), P999Ms: ms(s.Quantile(0.999)), MaxMs: ms(s.Max())}
	sum.PerSecond = float64(sum.Requests) / sum.Seconds
	if e, ok := l.lastErr.Load().(string); ok {
		sum.LastError = e
	}
	for i := range l.paths {
		var p latency.Snapshot
		l.paths[i].hist.Snapshot(&p)
		sum.Paths = append(sum.Paths, PathSummary{Path: l.paths[i].path, Requests: p.Total(), Errors: l.paths[i].errors.Load(),
			P50Ms: ms(p.Quantile(0.5)), P99Ms: ms(p.Quantile(0.99)), MaxMs: ms(p.Max())})
	}
	l.mu.Lock()
	sum.Minutes = append([]Minute(nil), l.minutes...)
	l.mu.Unlock()
	for _, m := range sum.Minutes {
		sum.WorstMinMs = max(sum.WorstMinMs, m.P99Ms)
	}
	return sum
}

// WriteText prints the summary for people.
func (s Summary) WriteText(w io.Writer) {
	fmt.Fprintf(w, "api: %d requests in %.0f s (%.1f/s), %d errors, %d late; p50 %.1f ms p99 %.1f ms p99.9 %.1f ms max %.1f ms; worst minute p99 %.1f ms\n",
		s.Requests, s.Seconds, s.PerSecond, s.Errors, s.Late, s.P50Ms, s.P99Ms, s.P999Ms, s.MaxMs, s.WorstMinMs)
	for _, p := range s.Paths {
		fmt.Fprintf(w, "api:   %-45s %7d req %4d err  p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms\n", p.Path, p.Requests, p.Errors, p.P50Ms, p.P99Ms, p.MaxMs)
	}
	if s.LastError != "" {
		fmt.Fprintf(w, "api: last error: %s\n", s.LastError)
	}
}
