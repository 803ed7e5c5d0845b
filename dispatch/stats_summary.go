package dispatch

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// Summary is the figures of the half-year report's sentence ("共出车N批次，安全行驶N公里、N小时")
// and the sentence itself, in Chinese and in English. Km and hours are the GPS track's (whole
// km, hours to a tenth); trips without a track are counted as trips and said apart.
type Summary struct {
	Trips     int     `json:"trips"`
	Km        float64 `json:"km"`
	Hours     float64 `json:"hours"`
	Untracked int     `json:"untracked"`
	Zh        string  `json:"zh"`
	En        string  `json:"en"`
}

// summarize writes the report's sentence for the total of [from, to).
func summarize(total *Tally, from, to time.Time, loc *time.Location) Summary {
	s := Summary{Trips: total.Trips, Km: math.Round(total.GPSKm), Hours: math.Round(total.DriveH*10) / 10,
		Untracked: total.Untracked}
	first, last := from.In(loc), lastDay(to, loc)
	km, h := strconv.FormatFloat(s.Km, 'f', -1, 64), strconv.FormatFloat(s.Hours, 'f', -1, 64)
	zhPeriod, enPeriod := zhDate(first)+"至"+zhDate(last), first.Format("2 Jan 2006")+" to "+last.Format("2 Jan 2006")
	if first.Format(time.DateOnly) == last.Format(time.DateOnly) {
		zhPeriod, enPeriod = zhDate(first), "On "+first.Format("2 Jan 2006")
	}
	s.Zh = fmt.Sprintf("%s，共出车%d批次，安全行驶%s公里、%s小时。", zhPeriod, s.Trips, km, h)
	s.En = fmt.Sprintf("%s: %d %s, %s km and %s hours of safe driving.", enPeriod, s.Trips, plural(s.Trips, "trip", "trips"),
		thousands(s.Km), h)
	if s.Untracked > 0 {
		s.Zh += fmt.Sprintf("其中%d批次无GPS轨迹，未计入公里和小时。", s.Untracked)
		s.En += fmt.Sprintf(" %d %s had no GPS track and %s not counted in the km and hours.", s.Untracked,
			plural(s.Untracked, "trip", "trips"), plural(s.Untracked, "is", "are"))
	}
	return s
}

func zhDate(t time.Time) string { return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day()) }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// thousands prints a whole number with thousands separators: 12,345.
func thousands(x float64) string {
	s := strconv.FormatFloat(math.Abs(x), 'f', 0, 64)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if x < 0 {
		s = "-" + s
	}
	return s
}
