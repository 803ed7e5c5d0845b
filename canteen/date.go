package canteen

import (
	"fmt"
	"strings"
	"time"

	"fleet"
)

// Days of the county's calendar (meal days, weeks, check days) travel and are stored as
// YYYY-MM-DD, which sorts as it reads; instants (cut-offs, sample times) as RFC 3339 in UTC.

// checkDate trims a YYYY-MM-DD date in place, records its problem in p and returns it (the zero
// time when empty or bad).
func checkDate(p fleet.Problems, field string, s *string, required bool) time.Time {
	*s = strings.TrimSpace(*s)
	if *s == "" {
		if required {
			p.Add(field, "required: a date as YYYY-MM-DD")
		}
		return time.Time{}
	}
	t, err := time.Parse(time.DateOnly, *s)
	if err != nil || t.Year() < 2000 || t.Year() > 2200 {
		p.Add(field, "must be a date as YYYY-MM-DD")
		return time.Time{}
	}
	return t
}

// checkInstant reads an RFC 3339 time, recording its problem in p; the zero time when empty or bad.
func checkInstant(p fleet.Problems, field, s string, required bool) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			p.Add(field, "required: a time as RFC 3339, e.g. 2026-03-02T09:30:00+08:00")
		}
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil || t.Year() < 2000 || t.Year() > 2200 {
		p.Add(field, "must be a time as RFC 3339, e.g. 2026-03-02T09:30:00+08:00")
		return time.Time{}
	}
	return t.UTC().Truncate(time.Millisecond)
}

// weekStart is the Monday of the week holding day (a YYYY-MM-DD date), as YYYY-MM-DD.
func weekStart(day time.Time) string {
	off := (int(day.Weekday()) + 6) % 7 // Monday 0 … Sunday 6
	return day.AddDate(0, 0, -off).Format(time.DateOnly)
}

// addDays moves a YYYY-MM-DD day by n days.
func addDays(day string, n int) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.AddDate(0, 0, n).Format(time.DateOnly)
}

// at is the instant of minutes after 00:00 of day in loc (negative: the day before).
func at(loc *time.Location, day string, minutes int) time.Time {
	d, err := time.ParseInLocation(time.DateOnly, day, loc)
	if err != nil {
		return time.Time{}
	}
	return d.Add(time.Duration(minutes) * time.Minute).UTC()
}

// checkMonth reads a month as YYYY-MM and returns its first and last day.
func checkMonth(p fleet.Problems, field, s string) (from, to string) {
	t, err := time.Parse("2006-01", strings.TrimSpace(s))
	if err != nil || t.Year() < 2000 || t.Year() > 2200 {
		p.Add(field, "must be a month as YYYY-MM")
		return "", ""
	}
	return t.Format(time.DateOnly), t.AddDate(0, 1, -1).Format(time.DateOnly)
}

// quarterDays returns the first and last day of a quarter.
func quarterDays(year, quarter int) (from, to string) {
	first := time.Date(year, time.Month(3*(quarter-1)+1), 1, 0, 0, 0, 0, time.UTC)
	return first.Format(time.DateOnly), first.AddDate(0, 3, -1).Format(time.DateOnly)
}

// quarterOf returns the year and quarter of a YYYY-MM-DD day.
func quarterOf(day string) (int, int) {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return 0, 0
	}
	return t.Year(), (int(t.Month())-1)/3 + 1
}

// checkRange checks an optional from–to range of days (to before from, or more than 400 days,
// is refused).
func checkRange(from, to *string) error {
	p := fleet.Problems{}
	f := checkDate(p, "from", from, false)
	t := checkDate(p, "to", to, false)
	if !f.IsZero() && !t.IsZero() && t.Before(f) {
		p.Add("to", "must not be before from")
	}
	if !f.IsZero() && !t.IsZero() && t.Sub(f) > 400*24*time.Hour {
		p.Add("to", "at most 400 days after from")
	}
	return p.Err()
}

// period checks a from–to range and fills what is missing: to defaults to today, from to the
// days before to.
func period(from, to *string, days int, today string) error {
	if err := checkRange(from, to); err != nil {
		return err
	}
	if *to == "" {
		*to = today
	}
	if *from == "" {
		*from = addDays(*to, 1-days)
	}
	return nil
}

// clock formats minutes after midnight as HH:MM, with "前一天" for the day before.
func clock(minutes int) string {
	prefix := ""
	for minutes < 0 {
		minutes += 24 * 60
		prefix = "前一天 "
	}
	return fmt.Sprintf("%s%02d:%02d", prefix, minutes/60, minutes%60)
}
