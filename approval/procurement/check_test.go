package procurement

import (
	"strings"
	"testing"
	"time"

	"fleet/dispatch"
)

func ptr[T any](v T) *T { return &v }

func date(s string) *time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return &d
}

// car is a vehicle that passes every seeded rule unless a test changes it: a domestic general
// electric sedan within the new-energy sedan limit.
func car(change func(v *Vehicle)) *Vehicle {
	v := &Vehicle{Class: dispatch.ClassGeneral, Price: 160_000, Energy: dispatch.EnergyElectric, Body: BodySedan, MakeDomestic: true}
	if change != nil {
		change(v)
	}
	return v
}

func fuel(class string, price, litres float64) func(v *Vehicle) {
	return func(v *Vehicle) {
		v.Class, v.Price, v.Energy, v.DisplacementL = class, price, dispatch.EnergyGasoline, &litres
	}
}

var today = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// facts of an addition in a year with 10 approved vehicles, 5 of them new energy (the share holds).
func addition(v *Vehicle) Facts {
	return Facts{Kind: KindVehicleAddition, Vehicle: v, Year: 2026, Approved: 10, ApprovedNE: 5, Today: today}
}

func renewal(v *Vehicle, r *ReplacedVehicle) Facts {
	f := addition(v)
	f.Kind, f.Replaced = KindVehicleRenewal, r
	return f
}

// oldCar is a replaced vehicle that passes both renewal minimums (8 years, 250,000 km).
func oldCar(change func(r *ReplacedVehicle)) *ReplacedVehicle {
	r := &ReplacedVehicle{ID: 7, Plate: "赣K12345", RegisteredOn: date("2016-05-01"), OdometerKm: ptr(260_000.0)}
	if change != nil {
		change(r)
	}
	return r
}

func find(checks []Check, rule string) *Check {
	for i := range checks {
		if checks[i].Rule == rule {
			return &checks[i]
		}
	}
	return nil
}

// TestSeededRules runs every seeded rule both ways: each case names the rule it is about, whether
// it must pass, and figures its message must show.
func TestSeededRules(t *testing.T) {
	tests := []struct {
		name  string
		facts Facts
		rule  string
		ok    bool
		shows []string
	}{
		{"机要通信用车 118,000 within 120,000", addition(car(fuel(dispatch.ClassConfidentialComm, 118_000, 1.5))), RulePriceMax, true, []string{"118,000", "120,000"}},
		{"机要通信用车 120,000 exactly", addition(car(fuel(dispatch.ClassConfidentialComm, 120_000, 1.5))), RulePriceMax, true, []string{"120,000"}},
		{"机要通信用车 135,000 over 120,000", addition(car(fuel(dispatch.ClassConfidentialComm, 135_000, 1.5))), RulePriceMax, false, []string{"135,000", "120,000", "超过"}},
		{"机要通信用车 1.6 L exactly", addition(car(fuel(dispatch.ClassConfidentialComm, 100_000, 1.6))), RuleDisplacementMax, true, []string{"1.6"}},
		{"机要通信用车 2.0 L over 1.6 L", addition(car(fuel(dispatch.ClassConfidentialComm, 100_000, 2.0))), RuleDisplacementMax, false, []string{"2.0", "1.6"}},
		{"其他公务用车 180,000 within", addition(car(fuel(dispatch.ClassGeneral, 180_000, 1.8))), RulePriceMax, true, []string{"180,000"}},
		{"其他公务用车 200,000 over 180,000", addition(car(fuel(dispatch.ClassGeneral, 200_000, 1.5))), RulePriceMax, false, []string{"200,000", "180,000"}},
		{"其他公务用车 2.0 L over 1.8 L", addition(car(fuel(dispatch.ClassGeneral, 150_000, 2.0))), RuleDisplacementMax, false, []string{"2.0", "1.8"}},
		{"应急保障用车 250,000 over 180,000", addition(car(fuel(dispatch.ClassEmergency, 250_000, 2.5))), RulePriceMax, false, []string{"250,000", "180,000"}},
		{"应急保障客车 420,000 within 450,000", addition(car(func(v *Vehicle) {
			fuel(dispatch.ClassEmergency, 420_000, 6.7)(v)
			v.Body = BodyBus
		})), RulePriceMax, true, []string{"420,000", "450,000"}},
		{"其他公务客车 480,000 over 450,000", addition(car(func(v *Vehicle) {
			fuel(dispatch.ClassGeneral, 480_000, 6.7)(v)
			v.Body = BodyBus
		})), RulePriceMax, false, []string{"480,000", "450,000"}},
		{"new-energy sedan 175,000 within 180,000", addition(car(func(v *Vehicle) { v.Price = 175_000 })), RuleNEPriceMax, true, []string{"175,000", "180,000"}},
		{"new-energy sedan 190,000 over 180,000", addition(car(func(v *Vehicle) { v.Price = 190_000 })), RuleNEPriceMax, false, []string{"190,000", "180,000"}},
		{"plug-in hybrid sedan is new energy", addition(car(func(v *Vehicle) {
			v.Energy, v.Price, v.DisplacementL = dispatch.EnergyPluginHybrid, 185_000, ptr(1.5)
		})), RuleNEPriceMax, false, []string{"185,000"}},
		{"new-energy 机要通信 sedan takes the new-energy limit", addition(car(func(v *Vehicle) {
			v.Class, v.Price = dispatch.ClassConfidentialComm, 150_000
		})), RuleNEPriceMax, true, []string{"150,000", "180,000"}},
		{"new-energy 机要通信 SUV within the fuel SUV's 120,000", addition(car(func(v *Vehicle) {
			v.Class, v.Body, v.Price = dispatch.ClassConfidentialComm, BodySUV, 115_000
		})), RuleNESameType, true, []string{"115,000", "120,000"}},
		{"new-energy 机要通信 SUV over the fuel SUV's 120,000", addition(car(func(v *Vehicle) {
			v.Class, v.Body, v.Price = dispatch.ClassConfidentialComm, BodySUV, 130_000
		})), RuleNESameType, false, []string{"130,000", "120,000"}},
		{"new-energy bus over the fuel bus's 450,000", addition(car(func(v *Vehicle) {
			v.Body, v.Price = BodyBus, 460_000
		})), RuleNESameType, false, []string{"460,000", "450,000"}},
		{"off-road as a leader's fixed car", addition(car(func(v *Vehicle) { v.Body, v.ForLeaderFixed = BodyOffroad, true })), RuleOffroadLeader, false, []string{"越野车"}},
		{"off-road for the pool", addition(car(func(v *Vehicle) { v.Body = BodyOffroad })), RuleOffroadLeader, true, []string{"越野车"}},
		{"sedan as a leader's fixed car", addition(car(func(v *Vehicle) { v.ForLeaderFixed = true })), RuleOffroadLeader, true, []string{"轿车"}},
		{"domestic make", addition(car(nil)), RuleDomestic, true, []string{"国产"}},
		{"foreign make", addition(car(func(v *Vehicle) { v.MakeDomestic = false })), RuleDomestic, false, []string{"国产"}},
		{"renewal after 9 years 10 months", renewal(car(nil), oldCar(nil)), RuleRenewalYears, true, []string{"2016-05-01", "9 年 10 个月", "8 年"}},
		{"renewal at exactly 8 years", renewal(car(nil), oldCar(func(r *ReplacedVehicle) { r.RegisteredOn = date("2018-03-01") })), RuleRenewalYears, true, []string{"8 年 0 个月"}},
		{"renewal a day short of 8 years", renewal(car(nil), oldCar(func(r *ReplacedVehicle) { r.RegisteredOn = date("2018-03-02") })), RuleRenewalYears, false, []string{"7 年 11 个月", "未达到"}},
		{"renewal without a registration date", renewal(car(nil), oldCar(func(r *ReplacedVehicle) { r.RegisteredOn = nil })), RuleRenewalYears, false, []string{"未登记注册日期"}},
		{"renewal at 260,000 km on the odometer", renewal(car(nil), oldCar(nil)), RuleRenewalKm, true, []string{"260,000", "250,000"}},
		{"renewal by tracked mileage above the odometer", renewal(car(nil), oldCar(func(r *ReplacedVehicle) {
			r.OdometerKm, r.TrackedKm = ptr(100_000.0), 255_000
		})), RuleRenewalKm, true, []string{"255,000", "100,000"}},
		{"renewal short of 250,000 km", renewal(car(nil), oldCar(func(r *ReplacedVehicle) {
			r.OdometerKm, r.TrackedKm = ptr(180_000.0), 50_000
		})), RuleRenewalKm, false, []string{"180,000", "未达到"}},
		{"renewal without any mileage", renewal(car(nil), oldCar(func(r *ReplacedVehicle) { r.OdometerKm = nil })), RuleRenewalKm, false, []string{"无法核对"}},
	}
	set := DefaultStandards()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checks := Evaluate(set, "", tt.facts)
			c := find(checks, tt.rule)
			if c == nil {
				t.Fatalf("no %s check in %+v", tt.rule, checks)
			}
			if c.OK != tt.ok {
				t.Errorf("%s ok = %v, want %v (%s)", tt.rule, c.OK, tt.ok, c.Message)
			}
			for _, s := range tt.shows {
				if !strings.Contains(c.Message, s) {
					t.Errorf("message %q does not show %q", c.Message, s)
				}
			}
			if c.Source == "" || c.Name == "" {
				t.Errorf("check %+v has no source or name", c)
			}
			// Only a check that could not be made for want of data is unverified; it is shown
			// but not counted as a breach that needs a justification.
			if want := strings.Contains(tt.name, "without"); c.Unverified != want {
				t.Errorf("unverified = %v, want %v", c.Unverified, want)
			}
			if c.Unverified && failed([]Check{*c}) != 0 {
				t.Errorf("an unverified check counts as a breach")
			}
		})
	}
}

// TestNewEnergyShare is the 30% rule across the year's approved vehicle requests plus this one.
func TestNewEnergyShare(t *testing.T) {
	tests := []struct {
		name               string
		approved, approvNE int
		thisNE             bool
		ok                 bool
		shows              string
	}{
		{"first of the year, electric", 0, 0, true, true, "100%"},
		{"first of the year, petrol", 0, 0, false, false, "0%"},
		{"2 of 10 approved, petrol", 10, 2, false, false, "18.2%"},
		{"2 of 10 approved, electric", 10, 2, true, false, "27.3%"},
		{"2 of 9 approved, electric: exactly 30%", 9, 2, true, true, "30%"},
		{"3 of 9 approved, petrol: 30% still", 9, 3, false, true, "30%"},
		{"3 of 9 approved, electric", 9, 3, true, true, "40%"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := car(nil)
			if !tt.thisNE {
				fuel(dispatch.ClassGeneral, 150_000, 1.5)(v)
			}
			f := addition(v)
			f.Approved, f.ApprovedNE = tt.approved, tt.approvNE
			c := find(Evaluate(DefaultStandards(), "", f), RuleNEShareMin)
			if c == nil {
				t.Fatal("no share check")
			}
			if c.OK != tt.ok || !strings.Contains(c.Message, tt.shows) {
				t.Errorf("share check = %v %q, want %v showing %s", c.OK, c.Message, tt.ok, tt.shows)
			}
		})
	}
}

// TestRulesApplied: one entry per rule that applies, in a fixed order; none for goods.
func TestRulesApplied(t *testing.T) {
	rules := func(checks []Check) string {
		var out []string
		for _, c := range checks {
			out = append(out, c.Rule)
		}
		return strings.Join(out, " ")
	}
	tests := []struct {
		name  string
		facts Facts
		want  string
	}{
		{"goods", Facts{Kind: KindGoods}, ""},
		{"electric addition", addition(car(nil)), "ne_price_max offroad_leader_fixed domestic_make ne_share_min"},
		{"petrol renewal", renewal(car(fuel(dispatch.ClassConfidentialComm, 100_000, 1.5)), oldCar(nil)),
			"price_max displacement_max offroad_leader_fixed domestic_make ne_share_min renewal_min_years renewal_min_km"},
		{"petrol bus: no displacement limit", addition(car(func(v *Vehicle) {
			fuel(dispatch.ClassGeneral, 400_000, 6.7)(v)
			v.Body = BodyBus
		})), "price_max offroad_leader_fixed domestic_make ne_share_min"},
		{"law enforcement: no seeded price rule", addition(car(fuel(dispatch.ClassLawEnforcement, 150_000, 1.5))),
			"offroad_leader_fixed domestic_make ne_share_min"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rules(Evaluate(DefaultStandards(), "", tt.facts)); got != tt.want {
				t.Errorf("rules = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestProvinceRows: a province's row beats the national one for that province only; a disabled
// row switches the rule off.
func TestProvinceRows(t *testing.T) {
	set := append(DefaultStandards(),
		Standard{Province: "江西", Rule: RuleRenewalYears, Value: 10, Enabled: true, Source: "赣 test"},
		Standard{Province: "江西", Rule: RuleDomestic, Enabled: false, Source: "赣 test"},
		Standard{Province: "广东", Rule: RuleRenewalYears, Value: 6, Enabled: true, Source: "粤 test"},
	)
	f := renewal(car(nil), oldCar(nil)) // 9 years 10 months in service
	if c := find(Evaluate(set, "江西", f), RuleRenewalYears); c == nil || c.OK || c.Source != "赣 test" {
		t.Errorf("江西 renewal years = %+v, want the province's 10 years failing", c)
	}
	if c := find(Evaluate(set, "江西", f), RuleDomestic); c != nil {
		t.Errorf("江西 switched the domestic rule off, got %+v", c)
	}
	if c := find(Evaluate(set, "", f), RuleRenewalYears); c == nil || !c.OK || c.Source == "赣 test" {
		t.Errorf("national renewal years = %+v, want the default 8 years passing", c)
	}
}

func TestStandardsInputValidate(t *testing.T) {
	good := StandardInput{Rule: RulePriceMax, Class: dispatch.ClassGeneral, Value: 180_000, Source: "2017"}
	tests := []struct {
		name  string
		in    []StandardInput
		field string
	}{
		{"empty", nil, "standards"},
		{"unknown rule", []StandardInput{{Rule: "nope", Source: "x"}}, "standards[0].rule"},
		{"class on a rule for every vehicle", []StandardInput{{Rule: RuleDomestic, Class: dispatch.ClassGeneral, Source: "x"}}, "standards[0].class"},
		{"unknown body", []StandardInput{{Rule: RulePriceMax, Body: "tank", Value: 1, Source: "x"}}, "standards[0].body"},
		{"share above 1", []StandardInput{{Rule: RuleNEShareMin, Value: 30, Source: "x"}}, "standards[0].value"},
		{"no source", []StandardInput{{Rule: RulePriceMax, Value: 1}}, "standards[0].source"},
		{"duplicate key", []StandardInput{good, good}, "standards[1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := StandardsInput{Standards: tt.in}
			_, err := in.validate()
			if err == nil || !strings.Contains(err.Error(), tt.field) {
				t.Errorf("validate = %v, want a problem with %s", err, tt.field)
			}
		})
	}
	in := StandardsInput{Standards: []StandardInput{good}}
	if set, err := in.validate(); err != nil || len(set) != 1 || !set[0].Enabled {
		t.Errorf("validate good = %+v, %v", set, err)
	}
}

// TestDefaultStandardsAreValid: the seed passes the same validation as an admin's edit, and every
// row names its source.
func TestDefaultStandardsAreValid(t *testing.T) {
	var in StandardsInput
	for _, s := range DefaultStandards() {
		in.Standards = append(in.Standards, StandardInput{Province: s.Province, Rule: s.Rule, Class: s.Class, Body: s.Body,
			Value: s.Value, Enabled: ptr(s.Enabled), Source: s.Source})
	}
	if _, err := in.validate(); err != nil {
		t.Fatal(err)
	}
	for _, s := range DefaultStandards() {
		if s.Rule == RuleRenewalYears || s.Rule == RuleRenewalKm {
			if !strings.Contains(s.Source, "平台默认值") {
				t.Errorf("%s source %q must say it is the platform's default pending the province", s.Rule, s.Source)
			}
		}
	}
}
