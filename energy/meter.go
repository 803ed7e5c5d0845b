package energy

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"fleet"
)

// Statuses of a meter. A replaced meter's series goes on in the meter that replaced it.
const (
	MeterActive   = "active"
	MeterReplaced = "replaced"
	MeterRetired  = "retired"
)

// Meter is a meter (计量表) of a unit, in a building or not, counting one kind of energy or
// water cumulatively in its unit of measure; amounts are register differences × Multiplier.
type Meter struct {
	ID           int64      `json:"id"`
	Name         string     `json:"name"`
	Code         string     `json:"code"` // 表号, or the monitoring system's own id
	Kind         string     `json:"kind"`
	UnitID       int64      `json:"unit_id"`
	UnitName     string     `json:"unit_name"`
	BuildingID   *int64     `json:"building_id"`
	BuildingName string     `json:"building_name"`
	UOM          string     `json:"uom"`
	Multiplier   float64    `json:"multiplier"`
	Status       string     `json:"status"`
	InstalledAt  *time.Time `json:"installed_at"` // the series starts here; null: at its first reading
	RemovedAt    *time.Time `json:"removed_at"`   // replaced or retired at
	ReplacesID   *int64     `json:"replaces_id"`  // the meter it took over from
	ReplacedBy   *int64     `json:"replaced_by"`  // the meter that took over from it
	Note         string     `json:"note"`
	Last         *Reading   `json:"last_reading"` // the latest accepted reading
	Flagged      int        `json:"flagged"`      // readings held for review
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

// MeterInput creates a meter or changes one. Kind, unit, unit of measure and multiplier are
// fixed once the meter has readings: a new register or ratio is a replacement.
type MeterInput struct {
	Name       string   `json:"name"`
	Code       string   `json:"code"`
	Kind       string   `json:"kind"`
	UnitID     int64    `json:"unit_id"`
	BuildingID *int64   `json:"building_id"`
	UOM        string   `json:"uom"`        // default the kind's base unit
	Multiplier *float64 `json:"multiplier"` // default 1
	Note       string   `json:"note"`
	// InstalledAt (RFC 3339) and InitialValue, both or neither: the register when the meter was
	// put in, where its series starts (create only).
	InstalledAt  string   `json:"installed_at"`
	InitialValue *float64 `json:"initial_value"`

	installed *time.Time
}

// maxMultiplier bounds a multiplier (a CT ratio of 2000/5 is 400).
const maxMultiplier = 100000

// maxRegister bounds a register value.
const maxRegister = 1e12

func (in *MeterInput) validate(create bool, now time.Time) error {
	p := fleet.Problems{}
	in.Name = p.Text("name", in.Name, true, 100)
	in.Code = p.Text("code", in.Code, false, 64)
	in.Note = p.Text("note", in.Note, false, 2000)
	if in.Kind == "" {
		p.Add("kind", "required: "+strings.Join(Kinds, ", "))
	} else if !validKind(in.Kind) {
		p.Add("kind", "must be one of "+strings.Join(Kinds, ", "))
	}
	if in.UnitID <= 0 {
		p.Add("unit_id", "required: the unit the meter's use counts for")
	}
	if in.BuildingID != nil && *in.BuildingID <= 0 {
		in.BuildingID = nil
	}
	in.UOM = strings.TrimSpace(in.UOM)
	if in.UOM == "" && validKind(in.Kind) {
		in.UOM = BaseUOM[in.Kind]
	}
	if _, ok := uomFactors[in.Kind][in.UOM]; validKind(in.Kind) && !ok {
		p.Add("uom", "must be one of "+strings.Join(uomsOf(in.Kind), ", ")+" for "+in.Kind)
	}
	if in.Multiplier == nil {
		in.Multiplier = ptr(1.0)
	}
	if m := *in.Multiplier; !(m > 0) || m > maxMultiplier {
		p.Add("multiplier", fmt.Sprintf("must be more than 0 and at most %d", maxMultiplier))
	}
	in.validateInstall(p, create, now)
	return p.Err()
}

func (in *MeterInput) validateInstall(p fleet.Problems, create bool, now time.Time) {
	in.InstalledAt = strings.TrimSpace(in.InstalledAt)
	if !create {
		if in.InstalledAt != "" || in.InitialValue != nil {
			p.Add("installed_at", "set when the meter is created; record a replacement instead")
		}
		return
	}
	if in.InstalledAt == "" && in.InitialValue == nil {
		return
	}
	if in.InstalledAt == "" {
		p.Add("installed_at", "required with initial_value: when the meter was put in")
		return
	}
	t, problem := parseAt(in.InstalledAt, now)
	if problem != "" {
		p.Add("installed_at", problem)
		return
	}
	in.installed = &t
	if in.InitialValue == nil {
		p.Add("initial_value", "required with installed_at: the register when the meter was put in")
	} else if problem := checkValue(*in.InitialValue); problem != "" {
		p.Add("initial_value", problem)
	}
}

func uomsOf(kind string) []string {
	var out []string
	for u := range uomFactors[kind] {
		out = append(out, u)
	}
	sort.Strings(out)
	return out
}

// ReplaceInput records a meter's replacement (换表): the old register's final value and the new
// one's initial value at the same instant, so the series goes on without a gap or a jump.
type ReplaceInput struct {
	At           string   `json:"at"` // RFC 3339
	FinalValue   *float64 `json:"final_value"`
	InitialValue *float64 `json:"initial_value"`
	Name         string   `json:"name"`       // default the old meter's
	Code         string   `json:"code"`       // the new meter's 表号
	UOM          string   `json:"uom"`        // default the old meter's
	Multiplier   *float64 `json:"multiplier"` // default the old meter's
	Note         string   `json:"note"`

	at time.Time
}

func (in *ReplaceInput) validate(now time.Time) error {
	p := fleet.Problems{}
	in.at = checkAt(p, "at", in.At, now)
	in.Name = p.Text("name", in.Name, false, 100)
	in.Code = p.Text("code", in.Code, false, 64)
	in.Note = p.Text("note", in.Note, false, 2000)
	in.UOM = strings.TrimSpace(in.UOM)
	for _, v := range []struct {
		field string
		v     *float64
	}{{"final_value", in.FinalValue}, {"initial_value", in.InitialValue}} {
		if v.v == nil {
			p.Add(v.field, "required")
		} else if problem := checkValue(*v.v); problem != "" {
			p.Add(v.field, problem)
		}
	}
	if in.Multiplier != nil && (!(*in.Multiplier > 0) || *in.Multiplier > maxMultiplier) {
		p.Add("multiplier", fmt.Sprintf("must be more than 0 and at most %d", maxMultiplier))
	}
	return p.Err()
}

// RetireInput takes a meter out of service with its final register value.
type RetireInput struct {
	At         string   `json:"at"`
	FinalValue *float64 `json:"final_value"`
	Note       string   `json:"note"`

	at time.Time
}

func (in *RetireInput) validate(now time.Time) error {
	p := fleet.Problems{}
	in.at = checkAt(p, "at", in.At, now)
	in.Note = p.Text("note", in.Note, false, 2000)
	if in.FinalValue == nil {
		p.Add("final_value", "required")
	} else if problem := checkValue(*in.FinalValue); problem != "" {
		p.Add("final_value", problem)
	}
	return p.Err()
}

// MeterQuery filters the meter list.
type MeterQuery struct {
	fleet.Page
	UnitID     int64
	BuildingID int64
	Kind       string
	Status     string // "" every status
}

// checkAt reads a required instant into p's problems.
func checkAt(p fleet.Problems, field, s string, now time.Time) time.Time {
	t, problem := parseAt(strings.TrimSpace(s), now)
	if problem != "" {
		p.Add(field, problem)
	}
	return t
}

// earliest bounds an instant: nothing before 2000 is a reading of this platform.
var earliest = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// futureSlack is how far ahead of the server's clock a reading may be (clocks differ a little).
const futureSlack = 10 * time.Minute

// parseAt reads an RFC 3339 instant, kept to the second in UTC; the problem when it is bad.
func parseAt(s string, now time.Time) (time.Time, string) {
	if s == "" {
		return time.Time{}, "required: a time as RFC 3339, such as 2026-03-01T08:00:00+08:00"
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, "must be a time as RFC 3339, such as 2026-03-01T08:00:00+08:00"
	}
	t = t.UTC().Truncate(time.Second)
	if t.Before(earliest) {
		return time.Time{}, "must be in 2000 or later"
	}
	if t.After(now.Add(futureSlack)) {
		return time.Time{}, "must not be in the future"
	}
	return t, ""
}

// checkValue is the problem of a register value, or "".
func checkValue(v float64) string {
	switch {
	case v < 0:
		return "must not be negative"
	case v > maxRegister:
		return fmt.Sprintf("must be at most %g", maxRegister)
	}
	return ""
}
