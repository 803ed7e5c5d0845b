package tracking

import (
	"context"
	"sync"
	"time"
)

// calendar answers whether a moment is within working hours: weekdays between Options.WorkStart
// and Options.WorkEnd in the county's time zone, except the holidays of the calendar_days table,
// plus its make-up working days (调休上班).
type calendar struct {
	mu   sync.Mutex
	days map[string]bool // "2026-10-01" → working
	at   time.Time
}

// CalendarDay is a holiday or a make-up working day.
type CalendarDay struct {
	Day     time.Time `json:"day" gorm:"primaryKey;type:date"`
	Working bool      `json:"working"`
	Name    string    `json:"name"`
}

func (CalendarDay) TableName() string { return "calendar_days" }

func (c *calendar) working(ctx context.Context, s *Service, t time.Time) bool {
	local := t.In(s.opt.Location)
	day := local.Format(time.DateOnly)
	working, special := c.lookup(ctx, s, day)
	if !special {
		wd := local.Weekday()
		working = wd != time.Saturday && wd != time.Sunday
	}
	if !working {
		return false
	}
	minute := local.Hour()*60 + local.Minute()
	return minute >= s.opt.WorkStart && minute < s.opt.WorkEnd
}

// lookup reads the special days, refreshed at most every minute.
func (c *calendar) lookup(ctx context.Context, s *Service, day string) (working, special bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.days == nil || time.Since(c.at) > time.Minute {
		var rows []CalendarDay
		if err := s.db.WithContext(ctx).Find(&rows).Error; err == nil {
			c.days = make(map[string]bool, len(rows))
			for _, r := range rows {
				c.days[r.Day.Format(time.DateOnly)] = r.Working
			}
			c.at = time.Now()
		}
	}
	working, special = c.days[day]
	return working, special
}
