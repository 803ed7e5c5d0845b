package office

import (
	"strings"
	"time"

	"fleet"
)

// Dates of the county's calendar (deadlines, patrol days) travel and are stored as YYYY-MM-DD,
// which sorts as it reads.

// checkDate trims a YYYY-MM-DD date in place, records its problem in p and returns it (the zero
// time when empty or bad).
func checkDate(p fleet.Problems, field string, s *string, required bool) time.Time {
	*s = strings.TrimSpace(*s)
	v := *s
	if v == "" {
		if required {
			p.Add(field, "required: a date as YYYY-MM-DD")
		}
		return time.Time{}
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil || t.Year() < 1950 || t.Year() > 2200 {
		p.Add(field, "must be a date as YYYY-MM-DD")
		return time.Time{}
	}
	return t
}
