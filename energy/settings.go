package energy

import (
	"fmt"
	"strings"

	"fleet"
)

// Densities convert litres of fuel to kilograms (the coefficients are per kg).
type Densities struct {
	Gasoline float64 `json:"gasoline"` // kg/L
	Diesel   float64 `json:"diesel"`   // kg/L
}

// Targets are the indicators' baseline and the cuts the five-year plan asks for by the target
// year. Per m² counts building energy only (no vehicle fuel); per person counts everything.
type Targets struct {
	BaselineYear      int     `json:"baseline_year"`
	BaselinePerM2     float64 `json:"baseline_per_m2_kgce"`     // kgce/m² a year
	BaselinePerPerson float64 `json:"baseline_per_person_kgce"` // kgce/person a year
	TargetYear        int     `json:"target_year"`
	CutPerM2Pct       float64 `json:"cut_per_m2_pct"`
	CutPerPersonPct   float64 `json:"cut_per_person_pct"`
	Source            string  `json:"source"`
}

// PerM2 is the target per m² (kgce/m² a year).
func (t Targets) PerM2() float64 { return round(t.BaselinePerM2*(1-t.CutPerM2Pct/100), 4) }

// PerPerson is the target per person (kgce/person a year).
func (t Targets) PerPerson() float64 { return round(t.BaselinePerPerson*(1-t.CutPerPersonPct/100), 4) }

// AgencyTarget is the share of agencies to be certified as saving-type agencies by a year's end.
type AgencyTarget struct {
	Year  int     `json:"year"`
	Share float64 `json:"share"` // 0..1
}

// Settings are the energy module's settings.
type Settings struct {
	// Province names the region whose CO2 factors win over the national ones ("" national).
	Province      string    `json:"province"`
	Densities     Densities `json:"densities"`
	DensitySource string    `json:"density_source"`
	// JumpFactor: a reading whose consumption rate since the previous reading is more than this
	// many times the meter's mean rate over the 90 days before is flagged as a jump.
	JumpFactor    float64        `json:"jump_factor"`
	Targets       Targets        `json:"targets"`
	AgencyTargets []AgencyTarget `json:"agency_targets"`
	// AgenciesTotal is how many agencies at county level and above the county has, the
	// denominator of the certified share; 0: every unit on the platform.
	AgenciesTotal   int     `json:"agencies_total"`
	AgencyPassScore float64 `json:"agency_pass_score"` // the checklist total a certification needs
}

// DefaultSettings are the settings before the energy manager changes them.
func DefaultSettings() Settings {
	return Settings{
		Densities:     Densities{Gasoline: 0.725, Diesel: 0.835},
		DensitySource: "平台默认值：车用汽油 0.725 kg/L、车用柴油 0.835 kg/L（常用统计折算密度），可按当地油品实际密度修改",
		JumpFactor:    10,
		Targets: Targets{BaselineYear: 2020, BaselinePerM2: 18.48, BaselinePerPerson: 329.56, TargetYear: 2025,
			CutPerM2Pct: 5, CutPerPersonPct: 6,
			Source: "《“十四五”公共机构节约能源资源工作规划》：以2020年全国公共机构单位建筑面积能耗 18.48 kgce/m²、人均综合能耗 329.56 kgce/人为基数，到2025年分别下降5%和6%"},
		AgencyTargets:   []AgencyTarget{{Year: 2022, Share: 0.7}, {Year: 2025, Share: 0.8}},
		AgencyPassScore: 90,
	}
}

func (in *Settings) validate() error {
	p := fleet.Problems{}
	in.Province = p.Text("province", in.Province, false, 32)
	in.DensitySource = p.Text("density_source", in.DensitySource, false, 500)
	in.Targets.Source = p.Text("targets.source", in.Targets.Source, false, 1000)
	positive(p, "densities.gasoline", in.Densities.Gasoline, 0.5, 1)
	positive(p, "densities.diesel", in.Densities.Diesel, 0.5, 1.2)
	positive(p, "jump_factor", in.JumpFactor, 1.5, 1000)
	positive(p, "targets.baseline_per_m2_kgce", in.Targets.BaselinePerM2, 0, 10000)
	positive(p, "targets.baseline_per_person_kgce", in.Targets.BaselinePerPerson, 0, 100000)
	if in.Targets.BaselineYear < 2000 || in.Targets.BaselineYear > 2100 {
		p.Add("targets.baseline_year", "must be a year from 2000 to 2100")
	}
	if in.Targets.TargetYear <= in.Targets.BaselineYear || in.Targets.TargetYear > 2100 {
		p.Add("targets.target_year", "must be a year after the baseline year")
	}
	for _, c := range []struct {
		field string
		v     float64
	}{{"targets.cut_per_m2_pct", in.Targets.CutPerM2Pct}, {"targets.cut_per_person_pct", in.Targets.CutPerPersonPct}} {
		if c.v < 0 || c.v >= 100 {
			p.Add(c.field, "must be a percentage from 0 to less than 100")
		}
	}
	in.validateAgencies(p)
	return p.Err()
}

func (in *Settings) validateAgencies(p fleet.Problems) {
	if in.AgenciesTotal < 0 || in.AgenciesTotal > 100000 {
		p.Add("agencies_total", "must be 0 (every unit on the platform) or the number of agencies")
	}
	if in.AgencyPassScore <= 0 || in.AgencyPassScore > 1000 {
		p.Add("agency_pass_score", "must be more than 0")
	}
	if len(in.AgencyTargets) > 20 {
		p.Add("agency_targets", "at most 20 targets")
	}
	last := 0
	for i, t := range in.AgencyTargets {
		f := fmt.Sprintf("agency_targets[%d]", i)
		if t.Year < 2000 || t.Year > 2100 || t.Year <= last {
			p.Add(f+".year", "must be a year from 2000 to 2100, later than the target before")
		}
		if !(t.Share > 0 && t.Share <= 1) {
			p.Add(f+".share", "must be a share more than 0 and at most 1 (0.8 is 80%)")
		}
		last = t.Year
	}
}

// positive records a problem unless lo < v <= hi (a coefficient, density or factor of 0 or less
// means nothing).
func positive(p fleet.Problems, field string, v, lo, hi float64) {
	if !(v > 0) || v <= lo || v > hi {
		if lo <= 0 {
			p.Add(field, fmt.Sprintf("must be more than 0 and at most %g", hi))
			return
		}
		p.Add(field, fmt.Sprintf("must be more than %g and at most %g", lo, hi))
	}
}

// AgencyTargetFor is the share of certified agencies the plan asks for by the end of year: the
// first target due in or after that year, else the last one; 0 when there is none.
func (s Settings) AgencyTargetFor(year int) AgencyTarget {
	for _, t := range s.AgencyTargets {
		if t.Year >= year {
			return t
		}
	}
	if n := len(s.AgencyTargets); n > 0 {
		return s.AgencyTargets[n-1]
	}
	return AgencyTarget{}
}

// region is the province whose factors apply, normalised for comparison.
func (s Settings) region() string { return strings.TrimSpace(s.Province) }
