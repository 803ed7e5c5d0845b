package procurement

import (
	"fmt"
	"math"
	"time"

	"fleet/dispatch"
)

// Check is the outcome of one rule on one request: shown to every approver, stored with it.
type Check struct {
	Rule    string `json:"rule"`
	Name    string `json:"name"`    // the rule's Chinese name
	OK      bool   `json:"ok"`      //
	Message string `json:"message"` // Chinese first, with the figures; an English gloss in brackets
	Source  string `json:"source"`  // the document and clause, or where the figure comes from
	// Unverified: the rule could not be checked for want of data (e.g. the replaced vehicle's
	// registration date). Not OK, shown to every approver, but not a breach that needs a
	// justification: the fix is to complete the vehicle's record.
	Unverified bool `json:"unverified,omitempty"`
}

// Facts are what the checks of one request read; the service gathers them in the submit's
// transaction.
type Facts struct {
	Kind     string
	Vehicle  *Vehicle
	Replaced *ReplacedVehicle // the vehicle a renewal replaces
	// The year's vehicle additions and renewals approved so far, and how many were new energy.
	Year, Approved, ApprovedNE int
	Today                      time.Time // the submit's date in the county
}

// ReplacedVehicle is the record of the vehicle a renewal replaces.
type ReplacedVehicle struct {
	ID           int64
	Plate        string
	RegisteredOn *time.Time // date of first registration; nil when not entered
	OdometerKm   *float64   // last reading entered by hand
	TrackedKm    float64    // the platform's tracked mileage (sum of its daily distances)
}

// Evaluate applies the standards of province to a request: one check per rule that applies,
// none for goods and services.
func Evaluate(set []Standard, province string, f Facts) []Check {
	checks := []Check{}
	v := f.Vehicle
	if !VehicleKind(f.Kind) || v == nil {
		return checks
	}
	add := func(s *Standard, rule string, ok bool, msg string) {
		checks = append(checks, Check{Rule: rule, Name: ruleNames[rule], OK: ok, Message: msg, Source: s.Source})
	}
	ne := dispatch.NewEnergy(v.Energy)
	kind := classNames[v.Class] + bodyNames[v.Body]

	// Price: a new-energy vehicle's own limit, else (new energy) its fuel twin's, else its own.
	if ne {
		if s := pick(set, province, RuleNEPriceMax, v.Class, v.Body); s != nil {
			add(s, RuleNEPriceMax, v.Price <= s.Value, priceMessage(v.Price, s.Value, "新能源"+bodyNames[v.Body]+"价格标准"))
		} else if same := pick(set, province, RuleNESameType, v.Class, v.Body); same != nil {
			if fuel := pick(set, province, RulePriceMax, v.Class, v.Body); fuel != nil {
				s := *same
				s.Source = same.Source + "；同类型燃油车标准：" + fuel.Source
				add(&s, RuleNESameType, v.Price <= fuel.Value, priceMessage(v.Price, fuel.Value, "同类型燃油车（"+kind+"）配备价格标准"))
			}
		}
	} else if s := pick(set, province, RulePriceMax, v.Class, v.Body); s != nil {
		add(s, RulePriceMax, v.Price <= s.Value, priceMessage(v.Price, s.Value, kind+"配备价格标准"))
	}

	if d := v.DisplacementL; d != nil {
		if s := pick(set, province, RuleDisplacementMax, v.Class, v.Body); s != nil {
			ok := *d <= s.Value+1e-9
			word, op := "未超过", "≤"
			if !ok {
				word, op = "超过", ">"
			}
			add(s, RuleDisplacementMax, ok, fmt.Sprintf("排气量 %.1f 升，%s%s排气量标准 %.1f 升（displacement %.1f %s %.1f L）",
				*d, word, kind, s.Value, *d, op, s.Value))
		}
	}

	if s := pick(set, province, RuleOffroadLeader, "", ""); s != nil {
		bad := v.Body == BodyOffroad && v.ForLeaderFixed
		var msg string
		switch {
		case bad:
			msg = "越野车申请作为领导干部固定用车，不符合规定（an off-road vehicle may not be a leader's fixed car）"
		case v.Body == BodyOffroad:
			msg = "越野车，不作为领导干部固定用车（off-road, not a leader's fixed car）"
		case v.ForLeaderFixed:
			msg = "领导干部固定用车，车型为" + bodyNames[v.Body] + "，不是越野车（a leader's fixed car, not off-road）"
		default:
			msg = "不是越野车（not off-road）"
		}
		add(s, RuleOffroadLeader, !bad, msg)
	}

	if s := pick(set, province, RuleDomestic, "", ""); s != nil {
		msg := "国产汽车（申请人声明）（domestic make, as stated by the applicant）"
		if !v.MakeDomestic {
			msg = "非国产汽车，应当配备使用国产汽车（not a domestic make）"
		}
		add(s, RuleDomestic, v.MakeDomestic, msg)
	}

	if s := pick(set, province, RuleNEShareMin, "", ""); s != nil {
		total, nev := f.Approved+1, f.ApprovedNE
		this := "燃油车"
		if ne {
			nev++
			this = "新能源汽车"
		}
		share := float64(nev) / float64(total)
		ok := share+1e-9 >= s.Value
		word, op := "不低于", "≥"
		if !ok {
			word, op = "低于", "<"
		}
		add(s, RuleNEShareMin, ok, fmt.Sprintf("%d年已批准配备更新 %d 辆，其中新能源汽车 %d 辆；连同本申请（%s），新能源汽车占比 %s，%s %s（new-energy share %s %s %s of %d）",
			f.Year, f.Approved, f.ApprovedNE, this, percent(share), word, percent(s.Value), percent(share), op, percent(s.Value), total))
	}

	if f.Kind == KindVehicleRenewal {
		r := f.Replaced
		if r == nil {
			r = &ReplacedVehicle{}
		}
		if s := pick(set, province, RuleRenewalYears, "", ""); s != nil {
			ok, msg := renewalYears(r, s.Value, f.Today)
			add(s, RuleRenewalYears, ok, msg)
			checks[len(checks)-1].Unverified = r.RegisteredOn == nil
		}
		if s := pick(set, province, RuleRenewalKm, "", ""); s != nil {
			ok, msg := renewalKm(r, s.Value)
			add(s, RuleRenewalKm, ok, msg)
			checks[len(checks)-1].Unverified = r.OdometerKm == nil && r.TrackedKm <= 0
		}
	}
	return checks
}

func priceMessage(price, limit float64, what string) string {
	if price <= limit {
		return fmt.Sprintf("车辆价格 %s 元，未超过%s %s 元（price %s ≤ %s yuan）", formatYuan(price), what, formatYuan(limit), formatYuan(price), formatYuan(limit))
	}
	return fmt.Sprintf("车辆价格 %s 元，超过%s %s 元（price %s > %s yuan）", formatYuan(price), what, formatYuan(limit), formatYuan(price), formatYuan(limit))
}

// renewalYears compares the replaced vehicle's whole months in service with the minimum.
func renewalYears(r *ReplacedVehicle, minYears float64, today time.Time) (bool, string) {
	if r.RegisteredOn == nil {
		return false, fmt.Sprintf("被更新车辆 %s 未登记注册日期，无法核对使用年限（registration date unknown: enter it on the vehicle）", r.Plate)
	}
	reg := *r.RegisteredOn
	months := (today.Year()-reg.Year())*12 + int(today.Month()) - int(reg.Month())
	if today.Day() < reg.Day() {
		months--
	}
	if months < 0 {
		months = 0
	}
	need := int(math.Round(minYears * 12))
	ok := months >= need
	word, op := "达到", "≥"
	if !ok {
		word, op = "未达到", "<"
	}
	return ok, fmt.Sprintf("被更新车辆 %s 于 %s 注册登记，已使用 %d 年 %d 个月，%s更新年限 %s 年（in service %dy%dm %s %s years）",
		r.Plate, reg.Format(time.DateOnly), months/12, months%12, word, formatNumber(minYears), months/12, months%12, op, formatNumber(minYears))
}

// renewalKm compares the larger of the odometer reading and the tracked mileage with the minimum.
func renewalKm(r *ReplacedVehicle, minKm float64) (bool, string) {
	if r.OdometerKm == nil && r.TrackedKm <= 0 {
		return false, fmt.Sprintf("被更新车辆 %s 没有里程表读数，也没有平台轨迹里程，无法核对行驶里程（no odometer reading or tracked mileage）", r.Plate)
	}
	km, odo := r.TrackedKm, "未登记"
	if r.OdometerKm != nil {
		km = math.Max(km, *r.OdometerKm)
		odo = formatNumber(*r.OdometerKm)
	}
	ok := km+1e-9 >= minKm
	word, op := "达到", "≥"
	if !ok {
		word, op = "未达到", "<"
	}
	return ok, fmt.Sprintf("被更新车辆 %s 行驶里程 %s 公里（里程表 %s，平台轨迹 %s），%s更新里程 %s 公里（%s %s %s km）",
		r.Plate, formatNumber(km), odo, formatNumber(r.TrackedKm), word, formatNumber(minKm), formatNumber(km), op, formatNumber(minKm))
}

func percent(r float64) string {
	p := math.Round(r*1000) / 10
	if p == math.Trunc(p) {
		return fmt.Sprintf("%.0f%%", p)
	}
	return fmt.Sprintf("%.1f%%", p)
}

// failed counts the failing checks.
func failed(checks []Check) int {
	n := 0
	for _, c := range checks {
		if !c.OK && !c.Unverified {
			n++
		}
	}
	return n
}

// Chinese names of the codes, for messages and the summary.
var (
	classNames = map[string]string{
		dispatch.ClassConfidentialComm: "机要通信用车",
		dispatch.ClassEmergency:        "应急保障用车",
		dispatch.ClassLawEnforcement:   "执法执勤用车",
		dispatch.ClassSpecialTechnical: "特种专业技术用车",
		dispatch.ClassGeneral:          "其他公务用车",
	}
	bodyNames = map[string]string{
		BodySedan: "轿车", BodySUV: "SUV", BodyOffroad: "越野车", BodyMPV: "多用途乘用车", BodyBus: "客车", BodyOther: "其他车型",
	}
	energyNames = map[string]string{
		dispatch.EnergyGasoline: "汽油", dispatch.EnergyDiesel: "柴油", dispatch.EnergyElectric: "纯电动",
		dispatch.EnergyHybrid: "油电混合", dispatch.EnergyPluginHybrid: "插电式混合动力",
	}
	kindNames = map[string]string{
		KindVehicleRenewal: "车辆更新", KindVehicleAddition: "车辆新增", KindGoods: "货物", KindServices: "服务",
	}
	statusNames = map[string]string{
		StatusPending: "审批中", StatusApproved: "已批准", StatusRejected: "未批准", StatusReturned: "退回修改", StatusWithdrawn: "已撤回",
	}
)
