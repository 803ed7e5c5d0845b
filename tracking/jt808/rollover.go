package jt808

import "time"

// GPSWeekRollover is 1024 weeks (about 19.6 years), the period of the GPS week counter. A
// receiver whose firmware misses a rollover reports times that much in the past.
const GPSWeekRollover = 1024 * 7 * 24 * time.Hour

// Bounds of FixWeekRollover: a corrected time may be this far after now (device clock ahead) ...
const rolloverSkew = 24 * time.Hour

// ... or this old (blind-zone back-fill).
const rolloverMaxAge = 366 * 24 * time.Hour

// FixWeekRollover returns t moved forward by the smallest multiple (1–3) of GPSWeekRollover that
// lands it in [now−366 days, now+24 h], and true; otherwise t and false. A real fix is never 19
// years old when it arrives, so a time that such a shift makes recent is a rollover. now is the
// receiving clock; the codec has none of its own, so the caller applies this after parsing.
func FixWeekRollover(t, now time.Time) (time.Time, bool) {
	if t.IsZero() {
		return t, false
	}
	for k := time.Duration(1); k <= 3; k++ {
		c := t.Add(k * GPSWeekRollover)
		if c.After(now.Add(rolloverSkew)) {
			break
		}
		if now.Sub(c) <= rolloverMaxAge {
			return c, true
		}
	}
	return t, false
}

// FixWeekRollover applies FixWeekRollover to l.Time and reports whether it changed it.
func (l *Location) FixWeekRollover(now time.Time) bool {
	t, ok := FixWeekRollover(l.Time, now)
	l.Time = t
	return ok
}
