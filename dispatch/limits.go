package dispatch

import (
	"fmt"
	"slices"
	"time"
)

// Driving-time limits. The Road Traffic Safety Law's implementing regulation (道路交通安全法实施
// 条例 §62 item 7) forbids driving more than 4 hours on end without a rest of at least 20
// minutes; the county adds a cap on a driver's planned driving per day. Both are settings.
//
// A driver's day is a list of driving blocks. A task in the future drives half its planned
// driving time (planned km ÷ the average speed setting, at most its window) right after its
// departure and half right before its return: the car takes the passengers out, waits, and brings
// them back. A task that has ended contributes the driving the tracker recorded instead.

// driveBlock is a span of driving, [From, To).
type driveBlock struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

func (b driveBlock) dur() time.Duration { return b.To.Sub(b.From) }

// plannedBlocks returns the driving blocks of a task over [depart, ret) with plannedKm of route
// at speedKmh.
func plannedBlocks(depart, ret time.Time, plannedKm, speedKmh float64) []driveBlock {
	window := ret.Sub(depart)
	if window <= 0 || plannedKm <= 0 || speedKmh <= 0 {
		return nil
	}
	drive := min(time.Duration(plannedKm/speedKmh*float64(time.Hour)), window)
	half := drive / 2
	if half <= 0 {
		return nil
	}
	if 2*half >= window {
		return []driveBlock{{depart, ret}}
	}
	return []driveBlock{{depart, depart.Add(half)}, {ret.Add(-half), ret}}
}

// drivingLimits are the settings the check needs.
type drivingLimits struct {
	continuous time.Duration // at most this much driving without a rest
	rest       time.Duration // a pause at least this long is a rest
	daily      time.Duration // at most this much driving per county day
	loc        *time.Location
}

// checkDriving reports whether a driver's blocks (any order, the new task's included) keep the
// limits: no stretch of driving between rests over the continuous limit, no county day over the
// daily cap. The reason names the first breach. It sorts blocks in place and allocates nothing
// unless it fails.
func checkDriving(blocks []driveBlock, lim drivingLimits) (ok bool, reason string) {
	if len(blocks) == 0 {
		return true, ""
	}
	// No more driving in all than either limit allows: nothing to sort.
	var total time.Duration
	for _, b := range blocks {
		total += b.dur()
	}
	if total <= lim.continuous && (lim.daily <= 0 || total <= lim.daily) {
		return true, ""
	}
	slices.SortFunc(blocks, func(a, b driveBlock) int { return a.From.Compare(b.From) })
	// Stretches: blocks joined by pauses shorter than a rest; overlapping blocks count once.
	var stretch time.Duration
	end := blocks[0].From
	for i, b := range blocks {
		if i > 0 && b.From.Sub(end) >= lim.rest {
			stretch = 0
		}
		from := b.From
		if from.Before(end) {
			from = end // the part already counted
		}
		if b.To.After(from) {
			stretch += b.To.Sub(from)
		}
		if b.To.After(end) {
			end = b.To
		}
		if lim.continuous > 0 && stretch > lim.continuous {
			return false, fmt.Sprintf("would drive %s without a %s rest (limit %s)", hm(stretch), hm(lim.rest), hm(lim.continuous))
		}
	}
	if lim.daily <= 0 {
		return true, ""
	}
	// Driving per county day; a driver's blocks touch a handful of days.
	type dayTotal struct {
		day time.Time
		d   time.Duration
	}
	var buf [8]dayTotal
	days := buf[:0]
	for _, b := range blocks {
		for from := b.From; from.Before(b.To); {
			d := dayStart(from, lim.loc)
			to := b.To
			if next := d.AddDate(0, 0, 1); to.After(next) {
				to = next
			}
			k := 0
			for k < len(days) && !days[k].day.Equal(d) {
				k++
			}
			if k == len(days) {
				days = append(days, dayTotal{day: d})
			}
			days[k].d += to.Sub(from)
			from = to
		}
	}
	slices.SortFunc(days, func(a, b dayTotal) int { return a.day.Compare(b.day) })
	for _, t := range days {
		if t.d > lim.daily {
			return false, fmt.Sprintf("planned driving on %s would be %s, over the daily cap of %s",
				t.day.Format(time.DateOnly), hm(t.d), hm(lim.daily))
		}
	}
	return true, ""
}

// dayStart returns the start of t's calendar day in loc.
func dayStart(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
}

// hm formats a duration as 4h20m.
func hm(d time.Duration) string {
	d = d.Round(time.Minute)
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case h == 0:
		return fmt.Sprintf("%dm", m)
	case m == 0:
		return fmt.Sprintf("%dh", h)
	}
	return fmt.Sprintf("%dh%02dm", h, m)
}
