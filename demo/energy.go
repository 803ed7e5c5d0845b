package demo

import (
	"context"
	"fmt"
	"time"

	"fleet/auth"
	"fleet/energy"
)

// The demo county's energy: the administration center's meters (electricity, water, the
// canteen's gas, the rooftop PV) and a few units' own, read on the first of every month for the
// last two years with summer and winter peaks and a saving of 5% a year; headcounts and areas; three agencies in the
// saving-type drive; and three projects. Seeded once: nothing is added when any meter exists.

type demoMeter struct {
	name, kind, unit string
	base             float64 // a month's use in spring or autumn, base units
}

var demoMeters = []demoMeter{
	{"行政中心总电表", energy.KindElectricity, unitCenter, 78000},
	{"行政中心总水表", energy.KindWater, unitCenter, 2400},
	{"机关食堂燃气表", energy.KindNaturalGas, unitCenter, 2600},
	{"行政中心屋顶光伏", energy.KindPV, unitCenter, 42000},
	{"财政局办公楼电表", energy.KindElectricity, unitFinance, 9500},
	{"财政局水表", energy.KindWater, unitFinance, 420},
	{"公安局办公楼电表", energy.KindElectricity, unitPolice, 16500},
	{"公安局水表", energy.KindWater, unitPolice, 760},
	{"卫健委办公楼电表", energy.KindElectricity, unitHealth, 7400},
}

// demoMonths is how many months of readings the demo meters have.
const demoMonths = 25

// retrofit is the month (counted from the first read) the center's corridor lighting was
// replaced: its electricity drops by a tenth from the month after.
const retrofit = 18

// seasons scales a month's use (January first): air conditioning in summer, heating in winter;
// PV follows the sun instead.
var seasons = [12]float64{1.25, 1.1, 0.95, 0.9, 1.0, 1.3, 1.55, 1.6, 1.25, 0.95, 0.95, 1.15}
var sunshine = [12]float64{0.55, 0.6, 0.75, 0.9, 1.05, 1.1, 1.35, 1.3, 1.15, 0.95, 0.75, 0.6}

// SeedEnergy seeds the demo energy figures up to the month of now (county time); a nil service
// seeds nothing.
func SeedEnergy(ctx context.Context, svc *energy.Service, units map[string]int64, now time.Time) error {
	if svc == nil {
		return nil
	}
	a := auth.System
	have, _, err := svc.ListMeters(ctx, a, energy.MeterQuery{})
	if err != nil || len(have) > 0 {
		return err
	}
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location()).AddDate(0, -demoMonths, 0)
	meters := map[string]int64{}
	for i, spec := range demoMeters {
		m, err := svc.CreateMeter(ctx, a, energy.MeterInput{Name: spec.name, Kind: spec.kind, UnitID: units[spec.unit], Code: fmt.Sprintf("AH-%03d", i+1)})
		if err != nil {
			return fmt.Errorf("meter %s: %w", spec.name, err)
		}
		meters[spec.name] = m.ID
		if _, err := svc.AddReadings(ctx, a, demoReadings(m.ID, spec, first)); err != nil {
			return fmt.Errorf("readings of %s: %w", spec.name, err)
		}
	}
	if err := seedBases(ctx, svc, units); err != nil {
		return err
	}
	if err := seedAgencies(ctx, svc, units, now); err != nil {
		return err
	}
	return seedProjects(ctx, svc, units, meters, first)
}

// demoReadings are a meter's registers on the first of each month from first to this month.
func demoReadings(meter int64, spec demoMeter, first time.Time) energy.ReadingBatch {
	var b energy.ReadingBatch
	v := 10000.0 + float64(meter)*1000
	for m := 0; m <= demoMonths; m++ {
		at := first.AddDate(0, m, 0)
		b.Readings = append(b.Readings, energy.ReadingInput{MeterID: []byte(fmt.Sprint(meter)),
			At: []byte(`"` + at.Format(time.RFC3339) + `"`), Value: []byte(fmt.Sprintf("%.1f", v))})
		// The county saves: each month uses a little less than the same month a year before
		// (5% over the year); the sun does not change.
		scale := seasons[at.Month()-1] * (1 - 0.05*float64(m)/12)
		switch {
		case spec.kind == energy.KindPV:
			scale = sunshine[at.Month()-1]
		case spec.name == "行政中心总电表" && m > retrofit:
			scale *= 0.9
		}
		v += spec.base * scale
	}
	return b
}

func seedBases(ctx context.Context, svc *energy.Service, units map[string]int64) error {
	for _, b := range []struct {
		unit   string
		people int
		area   float64
	}{{unitCenter, 460, 28000}, {unitFinance, 46, 2600}, {unitPolice, 85, 4300}, {unitHealth, 38, 2100}} {
		people, area := b.people, b.area
		if _, err := svc.SetBasis(ctx, auth.System, units[b.unit], energy.BasisInput{Headcount: &people, AreaM2: &area}); err != nil {
			return fmt.Errorf("basis of %s: %w", b.unit, err)
		}
	}
	return nil
}

func seedAgencies(ctx context.Context, svc *energy.Service, units map[string]int64, now time.Time) error {
	crit, err := svc.Criteria(ctx, auth.System)
	if err != nil {
		return err
	}
	for i, u := range []string{unitCenter, unitFinance, unitPolice} {
		ag, err := svc.EnrolAgency(ctx, auth.System, energy.AgencyInput{UnitID: units[u], EnrolledOn: now.AddDate(0, -10+i, 0).Format(time.DateOnly)})
		if err != nil {
			return fmt.Errorf("agency %s: %w", u, err)
		}
		if i == 2 {
			continue // 县公安局 is still preparing
		}
		var in energy.ScoresInput
		for j, c := range crit {
			s := c.MaxScore
			if j == 3 && i == 1 {
				s -= 12 // 县财政局's energy figures are not there yet
			}
			in.Scores = append(in.Scores, energy.ScoreInput{Code: c.Code, Score: max(s, 0)})
		}
		if _, err := svc.ScoreAgency(ctx, auth.System, ag.ID, in); err != nil {
			return err
		}
		if i == 0 {
			if _, err := svc.DecideAgency(ctx, auth.System, ag.ID, energy.DecisionInput{Status: energy.AgencyCertified, Note: "县节约型机关创建评价组现场评价"}); err != nil {
				return err
			}
		}
	}
	return nil
}

// seedProjects adds the lighting retrofit (done in the retrofit month), the rooftop PV (done the
// month before the first reading) and the monitoring platform's second phase (begun this month).
func seedProjects(ctx context.Context, svc *energy.Service, units map[string]int64, meters map[string]int64, first time.Time) error {
	pv, elec := meters["行政中心屋顶光伏"], meters["行政中心总电表"]
	day := func(months, d int) string { return first.AddDate(0, months, d-1).Format(time.DateOnly) }
	for _, p := range []energy.ProjectInput{
		{Name: "行政中心走廊及地下车库LED照明改造", Kind: "lighting", UnitID: units[unitCenter], MeterID: &elec, EnergyKind: energy.KindElectricity,
			InvestmentYuan: 186000, Status: energy.ProjectCompleted, StartedOn: day(retrofit, 3), CompletedOn: day(retrofit, 25),
			BeforeAmount: ptrTo(128000.0), AfterAmount: ptrTo(61000.0), Note: "更换LED灯具1260套，加装人体感应开关"},
		{Name: "行政中心屋顶分布式光伏", Kind: "pv", UnitID: units[unitCenter], MeterID: &pv, EnergyKind: energy.KindPV,
			InvestmentYuan: 1650000, Status: energy.ProjectCompleted, StartedOn: day(-4, 10), CompletedOn: day(-1, 20), CapacityKW: ptrTo(480.0),
			Note: "自发自用、余电上网"},
		{Name: "公共机构能耗监测平台二期（分项计量）", Kind: "monitoring", UnitID: units[unitCenter], InvestmentYuan: 420000,
			Status: energy.ProjectInProgress, StartedOn: day(demoMonths, 1)},
	} {
		if _, err := svc.CreateProject(ctx, auth.System, p); err != nil {
			return fmt.Errorf("project %s: %w", p.Name, err)
		}
	}
	return nil
}

func ptrTo[T any](v T) *T { return &v }
