package dispatch

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"fleet"
)

// maxStatsSpan is the longest period the statistics cover: a year (a leap year's 366 days).
const maxStatsSpan = 366 * 24 * time.Hour

// statsPeriod reads a period: county dates (to included) or RFC 3339 times (to excluded); both
// empty: the current half-year of the county's calendar, the period reported upward.
func (d *Desk) statsPeriod(fromText, toText string) (from, to time.Time, err error) {
	loc := d.opt.Location
	p := fleet.Problems{}
	parse := func(field, v string, end bool) time.Time {
		v = strings.TrimSpace(v)
		if v == "" {
			return time.Time{}
		}
		if day, err := time.ParseInLocation(time.DateOnly, v, loc); err == nil {
			if end {
				day = day.AddDate(0, 0, 1)
			}
			return day
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			p.Add(field, "must be a date (2026-07-01) or an RFC 3339 time")
		}
		return t
	}
	from, to = parse("from", fromText, false), parse("to", toText, true)
	if err := p.Err(); err != nil {
		return from, to, err
	}
	switch {
	case from.IsZero() && to.IsZero():
		from, to = halfYear(d.now(), loc)
	case from.IsZero():
		return from, to, fleet.Invalid(map[string]string{"from": "give both from and to, or neither (the current half-year)"})
	case to.IsZero():
		return from, to, fleet.Invalid(map[string]string{"to": "give both from and to, or neither (the current half-year)"})
	case !to.After(from):
		return from, to, fleet.Invalid(map[string]string{"to": "must not be before from"})
	case to.Sub(from) > maxStatsSpan:
		return from, to, fleet.Invalid(map[string]string{"to": "a period covers at most a year"})
	}
	return from.UTC(), to.UTC(), nil
}

// halfYear returns the county half-year (January–June or July–December) holding now.
func halfYear(now time.Time, loc *time.Location) (from, to time.Time) {
	l := now.In(loc)
	month := time.January
	if l.Month() >= time.July {
		month = time.July
	}
	start := time.Date(l.Year(), month, 1, 0, 0, 0, 0, loc)
	return start.UTC(), start.AddDate(0, 6, 0).UTC()
}

// periodText prints [from, to) with its last day included: 2026-07-01 至 2026-12-31.
func periodText(from, to time.Time, loc *time.Location) string {
	return from.In(loc).Format(time.DateOnly) + " 至 " + lastDay(to, loc).Format(time.DateOnly)
}

// lastDay is the county day holding the last instant before to.
func lastDay(to time.Time, loc *time.Location) time.Time {
	return to.In(loc).Add(-time.Nanosecond)
}

// span is a time interval [from, to).
type span struct{ from, to time.Time }

// workWindows returns the working hours within [from, to): the tracker's calendar (holidays and
// make-up days), or weekdays 8:00–18:00 without one.
func (d *Desk) workWindows(ctx context.Context, from, to time.Time) []span {
	var out []span
	if d.track != nil {
		for _, w := range d.track.WorkingWindows(ctx, from, to) {
			out = append(out, span{w.Start, w.End})
		}
		return out
	}
	loc := d.opt.Location
	f := from.In(loc)
	for day := time.Date(f.Year(), f.Month(), f.Day(), 0, 0, 0, 0, loc); day.Before(to); day = day.AddDate(0, 0, 1) {
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		s := span{time.Date(day.Year(), day.Month(), day.Day(), 8, 0, 0, 0, loc), time.Date(day.Year(), day.Month(), day.Day(), 18, 0, 0, 0, loc)}
		s.from, s.to = later(s.from, from), earlier(s.to, to)
		if s.to.After(s.from) {
			out = append(out, s)
		}
	}
	return out
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// union merges overlapping intervals, oldest first: a vehicle on two tasks at once is on task
// once.
func union(spans []span) []span {
	if len(spans) == 0 {
		return nil
	}
	s := append([]span(nil), spans...)
	sort.Slice(s, func(i, j int) bool { return s[i].from.Before(s[j].from) })
	out := []span{s[0]}
	for _, x := range s[1:] {
		last := &out[len(out)-1]
		if !x.from.After(last.to) {
			last.to = later(last.to, x.to)
			continue
		}
		out = append(out, x)
	}
	return out
}

// overlapByWindow returns how much of each window the intervals cover; both lists sorted and
// the intervals disjoint (union).
func overlapByWindow(intervals, windows []span) []time.Duration {
	out := make([]time.Duration, len(windows))
	i := 0
	for w, win := range windows {
		for i < len(intervals) && !intervals[i].to.After(win.from) {
			i++
		}
		for j := i; j < len(intervals) && intervals[j].from.Before(win.to); j++ {
			if o := earlier(intervals[j].to, win.to).Sub(later(intervals[j].from, win.from)); o > 0 {
				out[w] += o
			}
		}
	}
	return out
}

// monthKey and dayKey name the county month and day of an instant.
func monthKey(t time.Time, loc *time.Location) string { return t.In(loc).Format("2006-01") }
func dayKey(t time.Time, loc *time.Location) string   { return t.In(loc).Format(time.DateOnly) }

// periodKeys lists the months or days of [from, to) in the county, oldest first.
func periodKeys(by string, from, to time.Time, loc *time.Location) []string {
	var out []string
	f := from.In(loc)
	step := func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }
	start := time.Date(f.Year(), f.Month(), f.Day(), 0, 0, 0, 0, loc)
	key := dayKey
	if by == ByMonth {
		start = time.Date(f.Year(), f.Month(), 1, 0, 0, 0, 0, loc)
		step = func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }
		key = monthKey
	}
	for t := start; t.Before(to); t = step(t) {
		out = append(out, key(t, loc))
	}
	return out
}

// hours turns a duration into hours.
func hours(d time.Duration) float64 { return d.Hours() }

// percent prints a share as a percentage for the workbook's notes.
func percent(share float64) string { return fmt.Sprintf("%g%%", share*100) }
