package dispatch

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"fleet"
)

// Shift kinds: a working shift (排班), or a standby (24小时轮值: on call, usually 24 hours).
const (
	ShiftWork    = "shift"
	ShiftStandby = "standby"
)

// ShiftKinds lists the shift kinds.
var ShiftKinds = []string{ShiftWork, ShiftStandby}

// MaxShift is the longest one roster entry may be.
const MaxShift = 7 * 24 * time.Hour

// Shift is one entry of the duty roster: a driver on duty over [Start, End).
type Shift struct {
	ID         int64     `json:"id"`
	DriverID   int64     `json:"driver_id"`
	DriverName string    `json:"driver_name"`
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
	Kind       string    `json:"kind"`
	Note       string    `json:"note"`
	CreatedBy  *int64    `json:"created_by"`
	CreatedAt  time.Time `json:"created_at"`
}

// ShiftInput adds one roster entry; Start and End are RFC 3339, Kind defaults to shift.
type ShiftInput struct {
	DriverID int64  `json:"driver_id"`
	Start    string `json:"start"`
	End      string `json:"end"`
	Kind     string `json:"kind"`
	Note     string `json:"note"`

	start, end time.Time
}

// validate normalizes the input and returns its problems.
func (in *ShiftInput) validate() error {
	p := fleet.Problems{}
	if in.DriverID <= 0 {
		p.Add("driver_id", "required")
	}
	in.start = parseInstant(p, "start", in.Start)
	in.end = parseInstant(p, "end", in.End)
	if in.Kind == "" {
		in.Kind = ShiftWork
	} else if !oneOf(in.Kind, ShiftKinds) {
		p.Add("kind", "must be shift or standby")
	}
	in.Note = p.Text("note", in.Note, false, 255)
	if len(p) == 0 {
		checkSpan(p, in.start, in.end)
	}
	return p.Err()
}

// checkSpan checks a shift's span: it ends after it starts, and lasts at most MaxShift.
func checkSpan(p fleet.Problems, start, end time.Time) {
	switch {
	case !end.After(start):
		p.Add("end", "must be after start")
	case end.Sub(start) > MaxShift:
		p.Add("end", "a roster entry lasts at most 7 days")
	}
}

// parseInstant reads a required RFC 3339 time.
func parseInstant(p fleet.Problems, field, s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		p.Add(field, "required")
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil || t.Year() < 2000 || t.Year() > 2100 {
		p.Add(field, "must be a time as 2026-05-01T08:00:00+08:00")
		return time.Time{}
	}
	return t.UTC()
}

// RotationInput asks for a 24-hour standby rotation (24小时轮值): one standby a day for Days days
// from the date From, each starting at StartHour (county time, default 8), the drivers taking
// turns in the order given.
type RotationInput struct {
	DriverIDs []int64 `json:"driver_ids"`
	From      string  `json:"from"` // date, 2006-01-02
	Days      int     `json:"days"`
	StartHour *int    `json:"start_hour"`
	Note      string  `json:"note"`

	from time.Time
}

// MaxRotationDays bounds one rotation request: two months.
const MaxRotationDays = 62

// validate normalizes the input and returns its problems.
func (in *RotationInput) validate() error {
	p := fleet.Problems{}
	if len(in.DriverIDs) == 0 {
		p.Add("driver_ids", "required")
	} else if len(in.DriverIDs) > 100 {
		p.Add("driver_ids", "at most 100 drivers")
	}
	seen := map[int64]bool{}
	for _, id := range in.DriverIDs {
		switch {
		case id <= 0:
			p.Add("driver_ids", "must be driver ids")
		case seen[id]:
			p.Add("driver_ids", fmt.Sprintf("driver %d is listed twice", id))
		}
		seen[id] = true
	}
	if d := optionalDate(p, "from", in.From); d != nil {
		in.from = *d
	} else if in.From == "" {
		p.Add("from", "required")
	}
	if in.Days < 1 || in.Days > MaxRotationDays {
		p.Add("days", fmt.Sprintf("must be between 1 and %d", MaxRotationDays))
	}
	if in.StartHour == nil {
		h := 8
		in.StartHour = &h
	} else if *in.StartHour < 0 || *in.StartHour > 23 {
		p.Add("start_hour", "must be between 0 and 23")
	}
	in.Note = p.Text("note", in.Note, false, 255)
	return p.Err()
}

// rotation lays out the standbys of in, in the county's zone: day i goes to driver i mod n.
func rotation(in RotationInput, loc *time.Location) []ShiftInput {
	out := make([]ShiftInput, in.Days)
	for i := range out {
		start := time.Date(in.from.Year(), in.from.Month(), in.from.Day()+i, *in.StartHour, 0, 0, 0, loc)
		end := time.Date(in.from.Year(), in.from.Month(), in.from.Day()+i+1, *in.StartHour, 0, 0, 0, loc)
		out[i] = ShiftInput{DriverID: in.DriverIDs[i%len(in.DriverIDs)], Kind: ShiftStandby, Note: in.Note,
			start: start.UTC(), end: end.UTC()}
	}
	return out
}

// ShiftFilter narrows a roster listing to the entries overlapping [From, To), of one driver when
// DriverID is set. From and To are RFC 3339 times or dates (midnight, county time); by default
// the 7 days from the start of today.
type ShiftFilter struct {
	From, To string
	DriverID int64

	from, to time.Time
}

// MaxRosterWindow bounds a roster listing: a quarter.
const MaxRosterWindow = 92 * 24 * time.Hour

// normalize reads the window and checks its bounds.
func (f *ShiftFilter) normalize(now time.Time, loc *time.Location) error {
	p := fleet.Problems{}
	f.from = parseWhen(p, "from", f.From, loc)
	f.to = parseWhen(p, "to", f.To, loc)
	if f.from.IsZero() {
		n := now.In(loc)
		f.from = time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, loc)
	}
	if f.to.IsZero() {
		f.to = f.from.Add(7 * 24 * time.Hour)
	}
	f.from, f.to = f.from.UTC(), f.to.UTC()
	if f.DriverID < 0 {
		p.Add("driver", "must be a driver id")
	}
	if len(p) == 0 {
		switch {
		case !f.to.After(f.from):
			p.Add("to", "must be after from")
		case f.to.Sub(f.from) > MaxRosterWindow:
			p.Add("to", "a roster listing spans at most 92 days")
		}
	}
	return p.Err()
}

// parseWhen reads an optional RFC 3339 time or date (midnight in loc); zero when empty or bad.
func parseWhen(p fleet.Problems, field, s string, loc *time.Location) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t
	}
	if d, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
		return d
	}
	p.Add(field, "must be a date (2026-05-01) or an RFC 3339 time")
	return time.Time{}
}

// covered reports whether shifts, sorted by start, cover [from, to) with no gap: back-to-back
// entries (a day shift, then the night's standby) count as one stretch of duty.
func covered(shifts []Shift, from, to time.Time) bool {
	t := from
	for _, s := range shifts {
		if s.Start.After(t) {
			return false
		}
		if s.End.After(t) {
			t = s.End
		}
		if !t.Before(to) {
			return true
		}
	}
	return false
}

// overlapping returns the first of shifts that overlaps [start, end), or nil.
func overlapping(shifts []Shift, start, end time.Time) *Shift {
	for i := range shifts {
		if shifts[i].Start.Before(end) && shifts[i].End.After(start) {
			return &shifts[i]
		}
	}
	return nil
}

// overlapErr is the conflict of a new entry with one already on the roster.
func overlapErr(s *Shift, loc *time.Location) error {
	return &fleet.Error{Code: fleet.EConflict,
		Message: fmt.Sprintf("driver %s already has a %s from %s to %s", s.DriverName, s.Kind,
			s.Start.In(loc).Format("2006-01-02 15:04"), s.End.In(loc).Format("2006-01-02 15:04")),
		Fields: map[string]string{"start": fmt.Sprintf("overlaps roster entry %d", s.ID)}}
}

// sortShifts orders shifts by driver, then start.
func sortShifts(shifts []Shift) {
	sort.Slice(shifts, func(i, j int) bool {
		if shifts[i].DriverID != shifts[j].DriverID {
			return shifts[i].DriverID < shifts[j].DriverID
		}
		return shifts[i].Start.Before(shifts[j].Start)
	})
}
