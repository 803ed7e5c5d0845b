package energy

import (
	"strings"
	"time"

	"fleet"
)

// Kinds of energy-saving project.
var projectKinds = map[string]string{
	"lighting":    "照明节能改造",
	"pv":          "屋顶光伏",
	"monitoring":  "能耗监测系统",
	"hvac":        "空调系统改造",
	"envelope":    "建筑围护结构改造",
	"ev_charging": "充电设施",
	"water":       "节水改造",
	"other":       "其他",
}

// Statuses of a project.
const (
	ProjectPlanned    = "planned"
	ProjectInProgress = "in_progress"
	ProjectCompleted  = "completed"
	ProjectCancelled  = "cancelled"
)

// Project is an energy-saving retrofit or new-energy project: its investment, status and the
// savings measured before and after (a year's use entered, and, with a meter, the monthly
// averages its readings give).
type Project struct {
	ID             int64     `json:"id"`
	Name           string    `json:"name"`
	Kind           string    `json:"kind"`
	UnitID         int64     `json:"unit_id"`
	UnitName       string    `json:"unit_name"`
	BuildingID     *int64    `json:"building_id"`
	BuildingName   string    `json:"building_name"`
	MeterID        *int64    `json:"meter_id"`
	MeterName      string    `json:"meter_name"`
	EnergyKind     string    `json:"energy_kind"` // the energy it saves or (pv) generates
	InvestmentYuan float64   `json:"investment_yuan"`
	Status         string    `json:"status"`
	StartedOn      string    `json:"started_on"`
	CompletedOn    string    `json:"completed_on"`
	CapacityKW     *float64  `json:"capacity_kw"`
	BeforeAmount   *float64  `json:"before_amount"` // a year's use before, in the kind's base unit
	AfterAmount    *float64  `json:"after_amount"`  // a year's use after
	Note           string    `json:"note"`
	Saving         *Saving   `json:"saving"`   // from the amounts entered
	Measured       *Measured `json:"measured"` // from the meter's readings
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// Saving is a year's saving from the amounts entered before and after.
type Saving struct {
	Amount   float64  `json:"amount"` // base units a year
	UOM      string   `json:"uom"`
	Pct      *float64 `json:"pct"`
	TCE      float64  `json:"tce"`                 // standard coal a year
	CO2Kg    float64  `json:"co2_kg"`              // a year
	YuanPerT *float64 `json:"yuan_per_tce_a_year"` // investment per tce saved a year
}

// Measured is what the project's meter read in the twelve months before the project started and
// the (up to twelve) full months after it was completed: monthly averages in the kind's base
// unit. For a PV project the "after" is its generation.
type Measured struct {
	UOM           string   `json:"uom"`
	BeforeMonths  int      `json:"before_months"`
	BeforeMonthly *float64 `json:"before_monthly"`
	AfterMonths   int      `json:"after_months"`
	AfterMonthly  *float64 `json:"after_monthly"`
	SavingPct     *float64 `json:"saving_pct"`
}

// ProjectInput creates or changes a project.
type ProjectInput struct {
	Name           string   `json:"name"`
	Kind           string   `json:"kind"`
	UnitID         int64    `json:"unit_id"`
	BuildingID     *int64   `json:"building_id"`
	MeterID        *int64   `json:"meter_id"`
	EnergyKind     string   `json:"energy_kind"`
	InvestmentYuan float64  `json:"investment_yuan"`
	Status         string   `json:"status"` // default planned
	StartedOn      string   `json:"started_on"`
	CompletedOn    string   `json:"completed_on"`
	CapacityKW     *float64 `json:"capacity_kw"`
	BeforeAmount   *float64 `json:"before_amount"`
	AfterAmount    *float64 `json:"after_amount"`
	Note           string   `json:"note"`
}

func (in *ProjectInput) validate() error {
	p := fleet.Problems{}
	in.Name = p.Text("name", in.Name, true, 200)
	in.Note = p.Text("note", in.Note, false, 2000)
	if _, ok := projectKinds[in.Kind]; !ok {
		p.Add("kind", "must be one of lighting, pv, monitoring, hvac, envelope, ev_charging, water, other")
	}
	if in.UnitID <= 0 {
		p.Add("unit_id", "required")
	}
	if in.EnergyKind != "" && !validKind(in.EnergyKind) {
		p.Add("energy_kind", "must be one of "+strings.Join(Kinds, ", "))
	}
	if in.Status == "" {
		in.Status = ProjectPlanned
	}
	switch in.Status {
	case ProjectPlanned, ProjectInProgress, ProjectCompleted, ProjectCancelled:
	default:
		p.Add("status", "must be planned, in_progress, completed or cancelled")
	}
	if in.InvestmentYuan < 0 || in.InvestmentYuan > 1e10 {
		p.Add("investment_yuan", "must be from 0 to 10,000,000,000 yuan")
	}
	checkDate(p, "started_on", &in.StartedOn, in.Status != ProjectPlanned && in.Status != ProjectCancelled)
	checkDate(p, "completed_on", &in.CompletedOn, in.Status == ProjectCompleted)
	if in.StartedOn != "" && in.CompletedOn != "" && in.CompletedOn < in.StartedOn {
		p.Add("completed_on", "must not be before started_on")
	}
	for _, f := range []struct {
		name string
		v    *float64
	}{{"capacity_kw", in.CapacityKW}, {"before_amount", in.BeforeAmount}, {"after_amount", in.AfterAmount}} {
		if f.v != nil && (*f.v < 0 || *f.v > maxRegister) {
			p.Add(f.name, "must not be negative")
		}
	}
	if (in.BeforeAmount != nil || in.AfterAmount != nil) && in.EnergyKind == "" {
		p.Add("energy_kind", "required with the amounts: the energy they count")
	}
	return p.Err()
}

// saving is the year's saving from the amounts entered, nil without both.
func saving(r *projectRow, coef, co2 map[string]float64) *Saving {
	if r.BeforeAmount == nil || r.AfterAmount == nil || r.EnergyKind == "" {
		return nil
	}
	amount := *r.BeforeAmount - *r.AfterAmount
	sv := &Saving{Amount: round(amount, 3), UOM: BaseUOM[r.EnergyKind], CO2Kg: round(amount*co2[r.EnergyKind], 3)}
	if *r.BeforeAmount > 0 {
		sv.Pct = ptr(round(amount / *r.BeforeAmount * 100, 2))
	}
	if inTotal(r.EnergyKind) {
		sv.TCE = round(amount*coef[r.EnergyKind]/1000, 6)
	}
	if sv.TCE > 0 && r.InvestmentFen > 0 {
		sv.YuanPerT = ptr(round(toYuan(r.InvestmentFen)/sv.TCE, 2))
	}
	return sv
}
