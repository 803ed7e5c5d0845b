package procurement

import (
	"fmt"
	"strings"
	"time"

	"fleet"
	"fleet/dispatch"
)

// Rules a vehicle request is checked against. Each stored standard names one rule, for a vehicle
// class and body ("" for any) and a province ("" for the national rule or the platform's default).
const (
	// RulePriceMax: a fuel vehicle's price (yuan) is at most Value.
	RulePriceMax = "price_max"
	// RuleDisplacementMax: a vehicle with an engine has at most Value litres.
	RuleDisplacementMax = "displacement_max"
	// RuleNEPriceMax: a new-energy vehicle's price is at most Value (the 18万 of a new-energy sedan).
	RuleNEPriceMax = "ne_price_max"
	// RuleNESameType: a new-energy vehicle without its own RuleNEPriceMax is no dearer than the
	// RulePriceMax of the same class and body.
	RuleNESameType = "ne_same_type"
	// RuleOffroadLeader: an off-road vehicle is never a leader's fixed car.
	RuleOffroadLeader = "offroad_leader_fixed"
	// RuleDomestic: the make is domestic (国产汽车).
	RuleDomestic = "domestic_make"
	// RuleNEShareMin: new-energy vehicles are at least Value (a ratio) of the year's approved
	// additions and renewals, this request included.
	RuleNEShareMin = "ne_share_min"
	// RuleRenewalYears: the vehicle a renewal replaces has served at least Value years.
	RuleRenewalYears = "renewal_min_years"
	// RuleRenewalKm: the vehicle a renewal replaces has run at least Value km.
	RuleRenewalKm = "renewal_min_km"
)

// ruleNames are the rules' Chinese names, shown with each check.
var ruleNames = map[string]string{
	RulePriceMax:        "配备价格标准",
	RuleDisplacementMax: "排气量标准",
	RuleNEPriceMax:      "新能源汽车价格标准",
	RuleNESameType:      "新能源汽车价格不超过同类型燃油车标准",
	RuleOffroadLeader:   "越野车不得作为领导干部固定用车",
	RuleDomestic:        "配备使用国产汽车",
	RuleNEShareMin:      "新能源汽车配备比例",
	RuleRenewalYears:    "更新年限",
	RuleRenewalKm:       "更新里程",
}

// Rules lists the rule codes, in the order checks are reported.
var Rules = []string{RulePriceMax, RuleNEPriceMax, RuleNESameType, RuleDisplacementMax, RuleOffroadLeader,
	RuleDomestic, RuleNEShareMin, RuleRenewalYears, RuleRenewalKm}

// valueRange bounds a rule's value; flag rules carry none.
var valueRange = map[string][2]float64{
	RulePriceMax:        {1, MaxVehicleCost},
	RuleNEPriceMax:      {1, MaxVehicleCost},
	RuleDisplacementMax: {0.1, MaxDisplaceL},
	RuleNEShareMin:      {0, 1},
	RuleRenewalYears:    {0, 50},
	RuleRenewalKm:       {0, 5_000_000},
}

// classBound says which rules may be set per class and body; the others are one rule for every
// vehicle (a class or body there is refused).
var classBound = map[string]bool{RulePriceMax: true, RuleNEPriceMax: true, RuleDisplacementMax: true}

// Standard is one configurable rule of the vehicle standards.
type Standard struct {
	ID        int64     `json:"id"`
	Province  string    `json:"province"` // "" national, or the platform's default where there is no national figure
	Rule      string    `json:"rule"`
	Name      string    `json:"name"`  // the rule's Chinese name
	Class     string    `json:"class"` // "" any class
	Body      string    `json:"body"`  // "" any body
	Value     float64   `json:"value"` // yuan, litres, ratio (0.3), years or km by rule
	Enabled   bool      `json:"enabled"`
	Source    string    `json:"source"` // the document and article, or where the figure comes from
	UpdatedAt time.Time `json:"updated_at"`
}

// StandardsInput replaces the whole set of standards (the console edits the list and sends it
// back). A rule is switched off with enabled=false rather than left out.
type StandardsInput struct {
	Standards []StandardInput `json:"standards"`
}

// StandardInput is one standard as sent.
type StandardInput struct {
	Province string  `json:"province"`
	Rule     string  `json:"rule"`
	Class    string  `json:"class"`
	Body     string  `json:"body"`
	Value    float64 `json:"value"`
	Enabled  *bool   `json:"enabled"` // default true
	Source   string  `json:"source"`
}

// maxStandards bounds the table: 9 rules × 5 classes × 6 bodies × a few provinces is far less.
const maxStandards = 500

// validate checks every row and that no two rows share a key.
func (in *StandardsInput) validate() ([]Standard, error) {
	p := fleet.Problems{}
	if len(in.Standards) == 0 {
		p.Add("standards", "at least one standard; switch a rule off with enabled=false")
	}
	if len(in.Standards) > maxStandards {
		p.Add("standards", fmt.Sprintf("at most %d standards", maxStandards))
		return nil, p.Err()
	}
	seen := map[string]int{}
	out := make([]Standard, 0, len(in.Standards))
	for i, s := range in.Standards {
		f := fmt.Sprintf("standards[%d]", i)
		st := Standard{
			Province: p.Text(f+".province", s.Province, false, 32),
			Rule:     strings.TrimSpace(s.Rule),
			Class:    strings.TrimSpace(s.Class),
			Body:     strings.TrimSpace(s.Body),
			Value:    s.Value,
			Enabled:  s.Enabled == nil || *s.Enabled,
			Source:   p.Text(f+".source", s.Source, true, 500),
		}
		if _, known := ruleNames[st.Rule]; !known {
			p.Add(f+".rule", "unknown rule; one of "+strings.Join(Rules, ", "))
		}
		if st.Class != "" && !oneOf(st.Class, dispatch.Classes) {
			p.Add(f+".class", "unknown class")
		}
		if st.Body != "" && !oneOf(st.Body, Bodies) {
			p.Add(f+".body", "unknown body")
		}
		if !classBound[st.Rule] && (st.Class != "" || st.Body != "") && st.Rule != "" {
			p.Add(f+".class", "this rule applies to every vehicle; leave class and body empty")
		}
		if r, ok := valueRange[st.Rule]; ok {
			if !finite(st.Value) || st.Value < r[0] || st.Value > r[1] {
				p.Add(f+".value", fmt.Sprintf("must be between %s and %s", formatNumber(r[0]), formatNumber(r[1])))
			}
		} else {
			st.Value = 0
		}
		key := st.Province + "\x00" + st.Rule + "\x00" + st.Class + "\x00" + st.Body
		if j, dup := seen[key]; dup {
			p.Add(f, fmt.Sprintf("same province, rule, class and body as standards[%d]", j))
		}
		seen[key] = i
		st.Name = ruleNames[st.Rule]
		out = append(out, st)
	}
	return out, p.Err()
}

// pick returns the standard of rule that applies to a vehicle of class and body in province: of
// the rows whose province, class and body are either empty or equal, the most specific (class
// before body before province). A disabled row still wins: it switches the rule off there. nil
// when no row applies.
func pick(set []Standard, province, rule, class, body string) *Standard {
	var best *Standard
	bestScore := -1
	for i := range set {
		s := &set[i]
		if s.Rule != rule ||
			(s.Province != "" && s.Province != province) ||
			(s.Class != "" && s.Class != class) ||
			(s.Body != "" && s.Body != body) {
			continue
		}
		score := 0
		if s.Class != "" {
			score += 4
		}
		if s.Body != "" {
			score += 2
		}
		if s.Province != "" {
			score++
		}
		if score > bestScore {
			best, bestScore = s, score
		}
	}
	if best == nil || !best.Enabled {
		return nil
	}
	return best
}
