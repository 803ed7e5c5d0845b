package office

import (
	"fmt"
	"regexp"

	"fleet"
)

// Administrative levels of the standards table (《党政机关办公用房建设标准》 sets figures per level).
const (
	LevelCentral  = "central"
	LevelProvince = "province"
	LevelCity     = "city"
	LevelCounty   = "county"
)

var levels = map[string]bool{LevelCentral: true, LevelProvince: true, LevelCity: true, LevelCounty: true}

// levelNames name the levels in the history.
var levelNames = map[string]string{LevelCentral: "中央", LevelProvince: "省级", LevelCity: "市级", LevelCounty: "县级"}

// Kinds of standard.
const (
	KindPerson    = "person"    // office area per person of a rank, m² usable
	KindService   = "service"   // unit-level service-room allowance, m² usable per person of the unit
	KindEquipment = "equipment" // unit-level equipment-room allowance, a share of office + service standard
)

// Ranks as seeded (the county level of the 2014 standard); the table may add more.
const (
	RankCountyChief   = "county_chief"   // 县级正职: 30 m²
	RankCountyDeputy  = "county_deputy"  // 县级副职: 24 m²
	RankSectionChief  = "section_chief"  // 正科: 18 m²
	RankSectionDeputy = "section_deputy" // 副科: 12 m²
	RankClerk         = "clerk"          // 科级以下: 9 m²
)

// Standard is one row of the standards table.
type Standard struct {
	Level string `json:"level"`
	Kind  string `json:"kind"` // person, service, equipment
	Code  string `json:"code"` // the rank for kind person; "service", "equipment" otherwise
	Name  string `json:"name"` // 县级正职, 服务用房（人均）…
	// AreaM2 is the usable area per person (kinds person and service); Ratio the share of the
	// office and service standard (kind equipment).
	AreaM2 *float64 `json:"area_m2,omitempty"`
	Ratio  *float64 `json:"ratio,omitempty"`
	Source string   `json:"source"`
}

// StandardsInput replaces the standards of one level (the service's by default).
type StandardsInput struct {
	Level     string     `json:"level"`
	Standards []Standard `json:"standards"`
}

var codeRE = regexp.MustCompile(`^[a-z][a-z0-9_]{1,31}$`)

// validate trims the input and names its problems by JSON path.
func (in *StandardsInput) validate(defaultLevel string) error {
	p := fleet.Problems{}
	if in.Level == "" {
		in.Level = defaultLevel
	}
	if !levels[in.Level] {
		p.Add("level", "must be central, province, city or county")
	}
	if len(in.Standards) == 0 {
		p.Add("standards", "at least one rank")
	}
	if len(in.Standards) > 50 {
		p.Add("standards", "at most 50 rows")
	}
	seen := map[string]bool{}
	persons := 0
	for i := range in.Standards {
		st := &in.Standards[i]
		at := fmt.Sprintf("standards[%d].", i)
		st.Level = in.Level
		st.Name = p.Text(at+"name", st.Name, true, 100)
		st.Source = p.Text(at+"source", st.Source, false, 2000)
		switch st.Kind {
		case KindPerson:
			persons++
			if !codeRE.MatchString(st.Code) {
				p.Add(at+"code", "2 to 32 lower-case letters, digits or _, starting with a letter")
			}
			checkArea(p, at+"area_m2", st.AreaM2, 1, 200)
		case KindService:
			st.Code = KindService
			checkArea(p, at+"area_m2", st.AreaM2, 0, 100)
		case KindEquipment:
			st.Code = KindEquipment
			if st.Ratio == nil || *st.Ratio < 0 || *st.Ratio > 1 {
				p.Add(at+"ratio", "required: a share from 0 to 1")
			}
		default:
			p.Add(at+"kind", "must be person, service or equipment")
		}
		if st.Kind != KindEquipment && st.Ratio != nil {
			p.Add(at+"ratio", "only with kind equipment")
		}
		if st.Kind == KindEquipment && st.AreaM2 != nil {
			p.Add(at+"area_m2", "not with kind equipment (give ratio)")
		}
		key := st.Kind + "/" + st.Code
		if seen[key] {
			p.Add(at+"code", "listed twice")
		}
		seen[key] = true
	}
	if len(in.Standards) > 0 && persons == 0 {
		p.Add("standards", "at least one rank (kind person)")
	}
	return p.Err()
}

func checkArea(p fleet.Problems, field string, v *float64, lo, hi float64) {
	if v == nil {
		p.Add(field, "required")
		return
	}
	if *v < lo || *v > hi {
		p.Add(field, fmt.Sprintf("must be from %g to %g m²", lo, hi))
		return
	}
	r := round2(*v)
	*v = r
}

// standardSet is the standards of the service's level as the figures read them.
type standardSet struct {
	person    map[string]int64 // rank → dm² per person
	names     map[string]string
	serviceM2 int64   // dm² per person of a unit
	equipment float64 // share of office + service standard
}

// personDm2 returns the standard of a rank and whether the table knows it.
func (s *standardSet) personDm2(rank string) (int64, bool) {
	v, ok := s.person[rank]
	return v, ok
}
