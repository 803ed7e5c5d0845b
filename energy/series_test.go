package energy

import (
	"math"
	"testing"
	"time"
)

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, shanghai) }

// brk is the bracket of t among readings (as the store's query finds it).
func brk(pts []point, t time.Time) bracket {
	var b bracket
	for i := range pts {
		p := &pts[i]
		if !p.at.After(t) && (b.prev == nil || p.at.After(b.prev.at)) {
			b.prev = p
		}
		if !p.at.Before(t) && (b.next == nil || p.at.Before(b.next.at)) {
			b.next = p
		}
	}
	return b
}

func amount(pts []point, from, to time.Time) float64 {
	return rise(brk(pts, from), brk(pts, to), from, to)
}

// The comment's example: 1,000 kWh on 20 March and 1,620 on 11 April put 338.18 kWh in March and
// 281.82 in April, 620 in all.
func TestMonthSplitsTheIntervalByTime(t *testing.T) {
	pts := []point{{day(2026, 3, 20), 1000}, {day(2026, 4, 11), 1620}}
	march := amount(pts, day(2026, 3, 1), day(2026, 4, 1))
	april := amount(pts, day(2026, 4, 1), day(2026, 5, 1))
	if math.Abs(march-620*12.0/22) > 1e-9 || math.Abs(march-338.1818) > 1e-4 {
		t.Errorf("March = %.4f kWh, want 338.1818 (620 × 12/22)", march)
	}
	if math.Abs(april-620*10.0/22) > 1e-9 {
		t.Errorf("April = %.4f kWh, want 281.8182 (620 × 10/22)", april)
	}
	if math.Abs(march+april-620) > 1e-9 {
		t.Errorf("March + April = %.6f, want the 620 read", march+april)
	}
}

// Month boundaries are midnight in the county, not in UTC: with rates that differ either side
// of the boundary the two give different amounts.
func TestMonthBoundariesAreCountyMidnight(t *testing.T) {
	// 30 kWh a day until 11 March, 40 a day after.
	pts := []point{{day(2026, 2, 20), 1000}, {day(2026, 3, 11), 1570}, {day(2026, 4, 10), 2770}}
	got := amount(pts, day(2026, 3, 1), day(2026, 4, 1))
	if math.Abs(got-1140) > 1e-9 {
		t.Errorf("March (county time) = %.4f kWh, want 1140 (1270 at 1 March, 2410 at 1 April)", got)
	}
	utc := amount(pts, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC))
	if math.Abs(utc-1140) < 1 {
		t.Errorf("UTC months give %.4f, the same as county months: the test does not tell them apart", utc)
	}
}

func TestReadingOnTheBoundaryIsTakenAsIs(t *testing.T) {
	pts := []point{{day(2026, 3, 1), 100}, {day(2026, 4, 1), 160}, {day(2026, 4, 20), 999}}
	if got := amount(pts, day(2026, 3, 1), day(2026, 4, 1)); got != 60 {
		t.Errorf("March = %g, want 60", got)
	}
}

// A replacement ends the old series at its removal reading and starts the new one at its
// installation reading: the month sums both, no gap, no jump.
func TestReplacementKeepsTheSeriesContinuous(t *testing.T) {
	swap := day(2026, 3, 16)
	old := []point{{day(2026, 3, 1), 0}, {swap, 150}}
	next := []point{{swap, 10}, {day(2026, 4, 1), 170}}
	from, to := day(2026, 3, 1), day(2026, 4, 1)
	if got := amount(old, from, to) + amount(next, from, to); got != 310 {
		t.Errorf("March over a replacement = %g, want 150 + 160 = 310", got)
	}
	if got := amount(old, day(2026, 4, 1), day(2026, 5, 1)); got != 0 {
		t.Errorf("the old meter in April = %g, want 0", got)
	}
	if got := amount(next, day(2026, 2, 1), day(2026, 3, 1)); got != 0 {
		t.Errorf("the new meter in February = %g, want 0", got)
	}
	sp := span{start: swap, installed: true}
	if side := sp.missing(from, to, brk(next, from), brk(next, to)); side != "" {
		t.Errorf("the new meter's March lacks %q, want nothing (it was put in during the month)", side)
	}
	end := swap
	sp = span{start: day(2026, 1, 1), end: &end}
	if side := sp.missing(from, to, brk(old, from), brk(old, to)); side != "" {
		t.Errorf("the old meter's March lacks %q, want nothing (it was removed during the month)", side)
	}
}

func TestMissingReadings(t *testing.T) {
	from, to := day(2026, 3, 1), day(2026, 4, 1)
	sp := span{start: day(2025, 1, 1)}
	for _, c := range []struct {
		name string
		pts  []point
		want string
	}{
		{"bracketed", []point{{day(2026, 2, 27), 1}, {day(2026, 4, 2), 2}}, ""},
		{"nothing after the month", []point{{day(2026, 2, 27), 1}, {day(2026, 3, 20), 2}}, MissingEnd},
		{"nothing before the month", []point{{day(2026, 3, 2), 1}, {day(2026, 4, 1), 2}}, MissingStart},
		{"one reading inside", []point{{day(2026, 3, 15), 1}}, MissingBoth},
		{"none", nil, MissingBoth},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := sp.missing(from, to, brk(c.pts, from), brk(c.pts, to)); got != c.want {
				t.Errorf("missing = %q, want %q", got, c.want)
			}
		})
	}
	if (span{start: day(2026, 5, 1)}).live(from, to) {
		t.Error("a meter first read in May counts in March")
	}
	end := day(2026, 2, 1)
	if (span{start: day(2025, 1, 1), end: &end}).live(from, to) {
		t.Error("a meter removed in February counts in March")
	}
}

// Where the readings stop, the month counts only what has been read.
func TestMonthClipsToTheReadings(t *testing.T) {
	pts := []point{{day(2026, 2, 27), 100}, {day(2026, 3, 21), 300}}
	// 1 March: 100 + 200 × 2/22; nothing after 21 March, so its value stands at the end.
	want := 300 - (100 + 200*2.0/22)
	if got := amount(pts, day(2026, 3, 1), day(2026, 4, 1)); math.Abs(got-want) > 1e-9 {
		t.Errorf("March = %.4f, want %.4f", got, want)
	}
}

func TestJudge(t *testing.T) {
	t0 := day(2026, 3, 1)
	prev := &point{t0, 1000}
	next := &point{t0.Add(48 * time.Hour), 1100}
	mean := 2.0 // units per hour
	for _, c := range []struct {
		name     string
		at       time.Time
		v        float64
		prev     *point
		next     *point
		mean     float64
		hasMean  bool
		wantFlag string
	}{
		{"a normal rise", t0.Add(24 * time.Hour), 1048, prev, nil, mean, true, ""},
		{"the same value again later", t0.Add(24 * time.Hour), 1000, prev, nil, mean, true, ""},
		{"below the previous", t0.Add(24 * time.Hour), 999.5, prev, nil, mean, true, FlagBackwards},
		{"above the later reading", t0.Add(24 * time.Hour), 1150, prev, next, mean, true, FlagBackwards},
		{"ten times the mean and more", t0.Add(24 * time.Hour), 1000 + 24*2*10.5, prev, nil, mean, true, FlagJump},
		{"just under ten times", t0.Add(24 * time.Hour), 1000 + 24*2*9.5, prev, nil, mean, true, ""},
		{"a register digit in a minute", t0.Add(time.Minute), 1001, prev, nil, mean, true, ""},
		{"no history to judge by", t0.Add(24 * time.Hour), 90000, prev, nil, 0, false, ""},
		{"the first reading", t0, 5, nil, nil, 0, false, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			flag, note := judge(c.at, c.v, c.prev, c.next, c.mean, c.hasMean, 10)
			if flag != c.wantFlag {
				t.Errorf("flag = %q (%s), want %q", flag, note, c.wantFlag)
			}
			if flag != "" && note == "" {
				t.Error("a flag without a note: the manager cannot see why")
			}
		})
	}
}

func TestMeanRateNeedsAWeek(t *testing.T) {
	a := &point{day(2026, 3, 1), 0}
	if _, ok := meanRate(a, &point{day(2026, 3, 5), 96}); ok {
		t.Error("four days of history give a mean")
	}
	got, ok := meanRate(a, &point{day(2026, 3, 11), 480})
	if !ok || got != 2 {
		t.Errorf("mean = %g (%v), want 2 per hour", got, ok)
	}
}

func TestTargets(t *testing.T) {
	tg := DefaultSettings().Targets
	if got := tg.PerM2(); math.Abs(got-17.556) > 1e-9 {
		t.Errorf("per m² target = %g, want 18.48 × 0.95 = 17.556", got)
	}
	if got := tg.PerPerson(); math.Abs(got-309.7864) > 1e-9 {
		t.Errorf("per person target = %g, want 329.56 × 0.94 = 309.7864", got)
	}
	set := DefaultSettings()
	for _, c := range []struct {
		year int
		want float64
	}{{2021, 0.7}, {2022, 0.7}, {2023, 0.8}, {2025, 0.8}, {2027, 0.8}} {
		if got := set.AgencyTargetFor(c.year).Share; got != c.want {
			t.Errorf("agency target for %d = %g, want %g", c.year, got, c.want)
		}
	}
}
