package energy

import "time"

// How a period's amount comes out of cumulative readings.
//
// A meter's register only rises, and readings come at any time: monthly by hand, hourly from
// the monitoring system. A period's amount is the register's value at the period's end minus its
// value at its start. Months are calendar months in the county's time zone (FLEET_TZ, default
// Asia/Shanghai): March runs from 1 March 00:00 to 1 April 00:00 there (28 February 16:00 to
// 31 March 16:00 UTC). Where no reading falls exactly on a boundary, the value there is
// interpolated linearly in time between the accepted readings just before and just after it,
// that is, the use between two readings is spread evenly over the time between them (按时间比例
// 分摊). Example: 1,000 kWh read on 20 March 00:00 and 1,620 kWh on 11 April 00:00 (county time)
// put 1,000 + 620 × 12/22 = 1,338.18 kWh on the register at 1 April 00:00, so March gets
// 338.18 kWh of that interval and April 281.82; the two always add up to the 620 read.
//
// Readings held for review do not count. A replaced meter's series ends at its removal reading
// and the new meter's starts at its installation reading at the same instant, so the month of a
// replacement sums the old meter up to it and the new one after it, with neither gap nor jump.
// At a boundary outside a meter's readings (nothing read after the month's end yet, or nothing
// before its start) the value is the nearest reading: the month counts only what has been read,
// and the completeness check lists the meter.

// bracket is a meter's accepted readings around a boundary: the latest at or before it and the
// earliest at or after it (nil: none).
type bracket struct {
	prev, next *point
}

// valueAt is the register's value at t, interpolated between the bracket's readings, and whether
// t lies within the meter's readings (false: the nearest reading stands in, or there is none).
func (b bracket) valueAt(t time.Time) (float64, bool) {
	switch {
	case b.prev != nil && b.next != nil:
		span := b.next.at.Sub(b.prev.at)
		if span <= 0 || b.prev.at.Equal(t) {
			return b.prev.v, true
		}
		f := float64(t.Sub(b.prev.at)) / float64(span)
		return b.prev.v + (b.next.v-b.prev.v)*f, true
	case b.prev != nil:
		return b.prev.v, false
	case b.next != nil:
		return b.next.v, false
	}
	return 0, false
}

// rise is the register's rise between two boundaries (never below 0: accepted readings of a
// meter never go down).
func rise(from, to bracket, tFrom, tTo time.Time) float64 {
	a, _ := from.valueAt(tFrom)
	b, _ := to.valueAt(tTo)
	if from.prev == nil && from.next == nil {
		return 0
	}
	return max(b-a, 0)
}

// Sides of a month a meter lacks a reading on.
const (
	MissingStart = "start" // no reading at or before the month's start
	MissingEnd   = "end"   // no reading at or after the month's end
	MissingBoth  = "both"
)

// span is a meter's life for the completeness check: from its installation (else its first
// accepted reading, or when it was registered if earlier) to its removal (nil: still in service).
type span struct {
	start     time.Time
	installed bool // start is a recorded installation, whose reading opens the series
	end       *time.Time
}

// live reports whether the meter was in service during [from, to).
func (sp span) live(from, to time.Time) bool {
	return sp.start.Before(to) && (sp.end == nil || sp.end.After(from))
}

// missing says which side of [from, to) a live meter lacks a reading for, "" when its readings
// bracket the month: a reading at or before the start (or its installation inside the month)
// and one at or after the end (or its removal inside the month).
func (sp span) missing(from, to time.Time, bf, bt bracket) string {
	startOK := bf.prev != nil || (sp.installed && !sp.start.Before(from))
	endOK := bt.next != nil || (sp.end != nil && !sp.end.After(to))
	switch {
	case startOK && endOK:
		return ""
	case endOK:
		return MissingStart
	case startOK:
		return MissingEnd
	}
	return MissingBoth
}
