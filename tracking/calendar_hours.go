package tracking

import (
	"context"
	"time"
)

// WorkWindow is the working hours of one working day.
type WorkWindow struct {
	Start, End time.Time
}

// WorkingWindows returns the working hours within [from, to), oldest first: one window per
// working day of the county's calendar (weekdays and make-up working days, not holidays; the
// calendar the misuse detector uses), from Options.WorkStart to Options.WorkEnd, clipped to
// [from, to). Trip accounting measures utilisation against them.
func (s *Service) WorkingWindows(ctx context.Context, from, to time.Time) []WorkWindow {
	loc := s.opt.Location
	var out []WorkWindow
	f := from.In(loc)
	for day := time.Date(f.Year(), f.Month(), f.Day(), 0, 0, 0, 0, loc); day.Before(to); day = day.AddDate(0, 0, 1) {
		working, special := s.calendar.lookup(ctx, s, day.Format(time.DateOnly))
		if !special {
			wd := day.Weekday()
			working = wd != time.Saturday && wd != time.Sunday
		}
		if !working {
			continue
		}
		start := time.Date(day.Year(), day.Month(), day.Day(), s.opt.WorkStart/60, s.opt.WorkStart%60, 0, 0, loc)
		end := time.Date(day.Year(), day.Month(), day.Day(), s.opt.WorkEnd/60, s.opt.WorkEnd%60, 0, 0, loc)
		if start.Before(from) {
			start = from
		}
		if end.After(to) {
			end = to
		}
		if end.After(start) {
			out = append(out, WorkWindow{Start: start.UTC(), End: end.UTC()})
		}
	}
	return out
}
