package energy_test

import (
	"testing"

	"fleet"
	"fleet/auth"
	"fleet/dispatch"
	"fleet/energy"
)

func unitOf(t *testing.T, r *energy.MonthReport, id int64) energy.UnitFigure {
	t.Helper()
	for _, u := range r.Units {
		if u.UnitID == id {
			return u
		}
	}
	t.Fatalf("unit %d is not in the report %+v", id, r.Units)
	return energy.UnitFigure{}
}

// marchCounty stores the March 2026 scenario the arithmetic tests compute by hand:
//
//	县财政局 (A): electricity 1,000 kWh on 20 Feb, 1,570 on 11 Mar, 2,770 on 10 Apr (county
//	  midnights): 30 kWh a day, then 40, so 1 March reads 1,270 and 1 April 2,410: 1,140 kWh.
//	  Water 100 → 160 m³ and PV 0 → 300 kWh over the month. Its gasoline car returned on
//	  31 March 20:00 with 40 L (29 kg at 0.725 kg/L); a return at 1 April 07:00 (still 31 March
//	  in UTC) with 50 L is April's. Headcount 10, area 1,000 m².
//	县教育局 (B): natural gas 5,000 → 5,200 m³ (200 m³), and 100 m³ in March 2025; its diesel
//	  van refuelled 100 L (83.5 kg at 0.835 kg/L) on 10 March; a new meter read once on
//	  15 March (so the month is incomplete).
//	县水利局 (C): heat 0 → 50,000 MJ (50 GJ).
//	A pooled electric car of no unit charged 60 kWh on 5 March: the center's.
func marchCounty(f *fx) map[string]*energy.Meter {
	ms := map[string]*energy.Meter{
		"e1": f.meter("财政局总表", energy.KindElectricity, unitA),
		"w1": f.meter("财政局水表", energy.KindWater, unitA),
		"pv": f.meter("屋顶光伏", energy.KindPV, unitA),
		"g1": f.meter("教育局燃气表", energy.KindNaturalGas, unitB),
		"e2": f.meter("教育局新装电表", energy.KindElectricity, unitB),
		"h1": f.meter("水利局热表", energy.KindHeat, unitC, func(in *energy.MeterInput) { in.UOM = "MJ" }),
	}
	f.read(
		reading(ms["e1"].ID, local(2026, 2, 20, 0), 1000), reading(ms["e1"].ID, local(2026, 3, 11, 0), 1570), reading(ms["e1"].ID, local(2026, 4, 10, 0), 2770),
		reading(ms["w1"].ID, local(2026, 3, 1, 0), 100), reading(ms["w1"].ID, local(2026, 4, 1, 0), 160),
		reading(ms["pv"].ID, local(2026, 3, 1, 0), 0), reading(ms["pv"].ID, local(2026, 4, 1, 0), 300),
		reading(ms["g1"].ID, local(2025, 3, 1, 0), 4000), reading(ms["g1"].ID, local(2025, 4, 1, 0), 4100),
		reading(ms["g1"].ID, local(2026, 3, 1, 0), 5000), reading(ms["g1"].ID, local(2026, 4, 1, 0), 5200),
		reading(ms["e2"].ID, local(2026, 3, 15, 0), 42),
		reading(ms["h1"].ID, local(2026, 3, 1, 0), 0), reading(ms["h1"].ID, local(2026, 4, 1, 0), 50000),
	)
	car := f.vehicle("赣K10001", dispatch.EnergyGasoline, unitA)
	f.trip(car.ID, local(2026, 3, 31, 20), 40, 0)
	f.trip(car.ID, local(2026, 4, 1, 7), 50, 0)
	van := f.vehicle("赣K10002", dispatch.EnergyDiesel, unitB)
	f.trip(van.ID, local(2026, 3, 10, 17), 100, 0)
	ev := f.vehicle("赣KD12345", dispatch.EnergyElectric, "")
	f.trip(ev.ID, local(2026, 3, 5, 12), 0, 60)
	if _, err := f.svc.SetBasis(f.ctx, f.manager(), f.units[unitA], energy.BasisInput{Headcount: ptr(10), AreaM2: ptr(1000.0)}); err != nil {
		f.t.Fatal(err)
	}
	return ms
}

func TestMonthReportArithmetic(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		marchCounty(f)
		r, err := f.svc.MonthReport(f.ctx, f.manager(), energy.ReportQuery{Month: "2026-03"})
		if err != nil {
			t.Fatal(err)
		}
		a := unitOf(t, r, f.units[unitA])
		near(t, "A electricity kWh", a.ByKind[energy.KindElectricity].Amount, 1140, 1e-9)
		near(t, "A electricity tce (1140 × 0.1229)", a.ByKind[energy.KindElectricity].TCE, 0.140106, 1e-9)
		near(t, "A gasoline kg (40 L × 0.725)", a.ByKind[energy.KindGasoline].Amount, 29, 1e-9)
		near(t, "A gasoline tce (29 × 1.4714)", a.ByKind[energy.KindGasoline].TCE, 0.0426706, 1e-9)
		near(t, "A water m3", a.ByKind[energy.KindWater].Amount, 60, 1e-9)
		near(t, "A water tce", a.ByKind[energy.KindWater].TCE, 0, 0)
		near(t, "A PV kWh", a.ByKind[energy.KindPV].Amount, 300, 1e-9)
		near(t, "A tce", a.TCE, 0.1827766, 1e-9)
		near(t, "A vehicle tce", a.VehicleTCE, 0.0426706, 1e-9)
		near(t, "A CO2 kg (1140 × 0.5366 + 29 × 2.9251)", a.CO2Kg, 696.5519, 1e-6)
		near(t, "A kgce per person (182.7766 / 10)", *a.PerCapitaKgce, 18.28, 1e-9)
		near(t, "A kgce per m² without the car (140.106 / 1000)", *a.PerM2Kgce, 0.14, 1e-9)
		near(t, "A PV share (300 / 1440)", *a.PVShare, 0.2083, 1e-9)
		if !a.Complete {
			t.Error("unit A is marked incomplete")
		}
		// A's meters were not read in March 2025: no change against a month that was not read.
		if a.LastYearTCE != nil || a.YoYPct != nil || r.County.YoYPct != nil {
			t.Errorf("A last year %v, change %v, county change %v; want none", a.LastYearTCE, a.YoYPct, r.County.YoYPct)
		}

		b := unitOf(t, r, f.units[unitB])
		near(t, "B gas tce (200 × 1.2143)", b.ByKind[energy.KindNaturalGas].TCE, 0.24286, 1e-9)
		near(t, "B diesel kg (100 L × 0.835)", b.ByKind[energy.KindDiesel].Amount, 83.5, 1e-9)
		near(t, "B tce (242.86 + 83.5 × 1.4571)", b.TCE, 0.36452785, 1e-9)
		near(t, "B CO2 kg (200 × 2.1622 + 83.5 × 3.0959)", b.CO2Kg, 690.94765, 1e-6)
		near(t, "B last year's March tce (100 × 1.2143)", *b.LastYearTCE, 0.12143, 1e-9)
		near(t, "B change % ((0.36452785 - 0.12143) / 0.12143)", *b.YoYPct, 200.19, 0.011)
		if b.Complete {
			t.Error("unit B has a meter read once in March and is marked complete")
		}
		center := unitOf(t, r, f.units[auth.CenterUnit])
		near(t, "the pooled car's charge on the center (60 × 0.1229)", center.TCE, 0.007374, 1e-9)
		c := unitOf(t, r, f.units[unitC])
		near(t, "C heat GJ (50,000 MJ)", c.ByKind[energy.KindHeat].Amount, 50, 1e-9)
		near(t, "C heat tce (50 × 34.12)", c.TCE, 1.706, 1e-9)

		near(t, "total tce", r.TotalTCE, 2.26067845, 1e-9)
		if len(r.Units) != 4 {
			t.Errorf("report has %d units, want A, B, C and the center", len(r.Units))
		}
		if r.Completeness.Complete || r.Completeness.Meters != 6 || len(r.Completeness.Missing) != 1 ||
			r.Completeness.Missing[0].MeterName != "教育局新装电表" || r.Completeness.Missing[0].Side != energy.MissingBoth {
			t.Errorf("completeness = %+v, want 6 meters in service and 教育局新装电表 missing both readings", r.Completeness)
		}
		if len(r.Vehicles) != 3 || r.Vehicles[0].Plate != "赣K10001" || r.Vehicles[0].Trips != 1 || r.Vehicles[0].FuelL != 40 {
			t.Errorf("vehicles = %+v, want 赣K10001 with one March trip of 40 L first", r.Vehicles)
		}

		// April takes the 50 L returned on 1 April 07:00 county time.
		apr, err := f.svc.MonthReport(f.ctx, f.manager(), energy.ReportQuery{Month: "2026-04"})
		if err != nil {
			t.Fatal(err)
		}
		near(t, "A's April gasoline (50 L)", unitOf(t, apr, f.units[unitA]).ByKind[energy.KindGasoline].Amount, 36.25, 1e-9)
	})
}

func TestReportExcludesFlaggedReadingsAndScopesLeaders(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		ms := marchCounty(f)
		// A backwards reading inside March is held for review and changes nothing.
		res := f.read(reading(ms["e1"].ID, local(2026, 3, 20, 0), 500))
		if res.Flagged != 1 {
			t.Fatalf("backwards reading = %+v, want flagged", res)
		}
		r, err := f.svc.MonthReport(f.ctx, f.manager(), energy.ReportQuery{Month: "2026-03"})
		if err != nil {
			t.Fatal(err)
		}
		near(t, "A electricity with a flagged reading", unitOf(t, r, f.units[unitA]).ByKind[energy.KindElectricity].Amount, 1140, 1e-9)
		if r.Completeness.Flagged != 1 {
			t.Errorf("flagged in March = %d, want 1", r.Completeness.Flagged)
		}
		// The leader of A sees A only; asking for B is 403; staff are refused.
		lr, err := f.svc.MonthReport(f.ctx, f.as["leader_a"], energy.ReportQuery{Month: "2026-03"})
		if err != nil {
			t.Fatal(err)
		}
		if len(lr.Units) != 1 || lr.Units[0].UnitID != f.units[unitA] {
			t.Errorf("leader's report = %+v, want unit A only", lr.Units)
		}
		near(t, "leader's total", lr.TotalTCE, 0.1827766, 1e-9)
		if len(lr.Buildings) != 0 {
			t.Errorf("leader sees buildings %+v shared with other units", lr.Buildings)
		}
		_, err = f.svc.MonthReport(f.ctx, f.as["leader_a"], energy.ReportQuery{Month: "2026-03", UnitID: f.units[unitB]})
		wantCode(t, err, fleet.EForbidden)
		_, err = f.svc.MonthReport(f.ctx, f.as["staff_a"], energy.ReportQuery{Month: "2026-03"})
		wantCode(t, err, fleet.EForbidden)
		if _, err := f.svc.MonthReport(f.ctx, f.as["auditor"], energy.ReportQuery{Month: "2026-03"}); err != nil {
			t.Errorf("auditor: %v", err)
		}
		_, err = f.svc.AddReadings(f.ctx, f.as["auditor"], batch(t, reading(ms["e1"].ID, local(2026, 4, 11, 0), 3000)))
		wantCode(t, err, fleet.EForbidden)
		_, err = f.svc.AddReadings(f.ctx, f.as["leader_a"], batch(t, reading(ms["e1"].ID, local(2026, 4, 11, 0), 3000)))
		wantCode(t, err, fleet.EForbidden)
		for _, m := range []string{"2026-13", "March", "", "1999-01"} {
			_, err = f.svc.MonthReport(f.ctx, f.manager(), energy.ReportQuery{Month: m})
			wantCode(t, err, fleet.EInvalid)
		}
	})
}

func TestCoefficientsAreConfigurableAndMustBePositive(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		marchCounty(f)
		cs, err := f.svc.Coefficients(f.ctx, f.manager())
		if err != nil {
			t.Fatal(err)
		}
		seeded := map[string]float64{"electricity": 0.1229, "gasoline": 1.4714, "diesel": 1.4571, "natural_gas": 1.2143}
		for _, c := range cs {
			if want, ok := seeded[c.Kind]; ok && (c.Value != want || c.Source == "") {
				t.Errorf("%s = %g (%q), want %g with its source", c.Kind, c.Value, c.Source, want)
			}
		}
		before := f.counts()
		for _, v := range []float64{0, -0.1229} {
			_, err := f.svc.UpdateCoefficients(f.ctx, f.manager(), energy.FactorsInput{Items: []energy.FactorInput{
				{Kind: "gasoline", Value: 1.5, Source: "测试"}, {Kind: "electricity", Value: v, Source: "测试"}}})
			wantCode(t, err, fleet.EInvalid)
			if fieldOf(err, "items[1].value") == "" {
				t.Errorf("coefficient %g: %v, want items[1].value named", v, err)
			}
		}
		_, err = f.svc.UpdateCoefficients(f.ctx, f.manager(), energy.FactorsInput{Items: []energy.FactorInput{{Kind: "water", Value: 1, Source: "x"}}})
		wantCode(t, err, fleet.EInvalid)
		_, err = f.svc.UpdateCO2Factors(f.ctx, f.manager(), energy.FactorsInput{Items: []energy.FactorInput{{Kind: "electricity", Region: "江西", Value: 0, Source: "x"}}})
		wantCode(t, err, fleet.EInvalid)
		_, err = f.svc.UpdateCoefficients(f.ctx, f.as["leader_a"], energy.FactorsInput{Items: []energy.FactorInput{{Kind: "electricity", Value: 0.3, Source: "x"}}})
		wantCode(t, err, fleet.EForbidden)
		f.unchanged(before)
		r0, _ := f.svc.MonthReport(f.ctx, f.manager(), energy.ReportQuery{Month: "2026-03"})
		near(t, "electricity tce at 0.1229", unitOf(t, r0, f.units[unitA]).ByKind["electricity"].TCE, 0.140106, 1e-9)

		// The equivalent value (当量) is changed to the equal-value (等价) 0.3 kgce/kWh: the report follows.
		if _, err := f.svc.UpdateCoefficients(f.ctx, f.manager(), energy.FactorsInput{Items: []energy.FactorInput{{Kind: "electricity", Value: 0.3, Source: "等价值"}}}); err != nil {
			t.Fatal(err)
		}
		// Jiangxi's own grid factor, chosen by the province setting.
		if _, err := f.svc.UpdateCO2Factors(f.ctx, f.manager(), energy.FactorsInput{Items: []energy.FactorInput{{Kind: "electricity", Region: "江西", Value: 0.6, Source: "省级因子"}}}); err != nil {
			t.Fatal(err)
		}
		set, _ := f.svc.Settings(f.ctx, f.manager())
		set.Province = "江西"
		if _, err := f.svc.UpdateSettings(f.ctx, f.manager(), *set); err != nil {
			t.Fatal(err)
		}
		r, _ := f.svc.MonthReport(f.ctx, f.manager(), energy.ReportQuery{Month: "2026-03"})
		a := unitOf(t, r, f.units[unitA])
		near(t, "electricity tce at 0.3", a.ByKind["electricity"].TCE, 0.342, 1e-9)
		near(t, "electricity CO2 at Jiangxi's 0.6", a.ByKind["electricity"].CO2Kg, 684, 1e-9)
		factors, _ := f.svc.CO2Factors(f.ctx, f.manager())
		for _, fc := range factors {
			if fc.Kind == "electricity" && fc.InUse != (fc.Region == "江西") {
				t.Errorf("factor %+v: in use %v, want only Jiangxi's", fc, fc.InUse)
			}
			if fc.Kind == "electricity" && fc.Region == "" {
				if err := f.svc.DeleteCO2Factor(f.ctx, f.manager(), fc.ID); fleet.ErrorCode(err) != fleet.EConflict {
					t.Errorf("deleting the national factor = %v, want 409", err)
				}
			}
		}
		// Densities and bad settings.
		set.Densities.Gasoline = 0
		_, err = f.svc.UpdateSettings(f.ctx, f.manager(), *set)
		wantCode(t, err, fleet.EInvalid)
		if fieldOf(err, "densities.gasoline") == "" {
			t.Errorf("density 0: %v", err)
		}
		set.Densities.Gasoline = 0.74
		if _, err := f.svc.UpdateSettings(f.ctx, f.manager(), *set); err != nil {
			t.Fatal(err)
		}
		r, _ = f.svc.MonthReport(f.ctx, f.manager(), energy.ReportQuery{Month: "2026-03"})
		near(t, "gasoline at 0.74 kg/L", unitOf(t, r, f.units[unitA]).ByKind["gasoline"].Amount, 29.6, 1e-9)
	})
}

func TestYearReportAgainstTargets(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		// Unit A: 12,000 kWh a month through 2025 on 1,000 m² and 10 people: 1,474.8 kgce a
		// month, 17,697.6 a year: 17.6976 kgce/m² (target 17.556: not met) and 1,769.76 kgce per
		// person (target 309.79: not met). Unit C: 1,000 kWh a month on 2,000 m², 50 people:
		// 0.7374 kgce/m² and 29.49 kgce per person, both met.
		ea := f.meter("A", energy.KindElectricity, unitA)
		ec := f.meter("C", energy.KindElectricity, unitC)
		var items []raw
		for m := 0; m <= 12; m++ {
			at := local(2025, 1, 1, 0).AddDate(0, m, 0)
			items = append(items, reading(ea.ID, at, float64(m*12000)), reading(ec.ID, at, float64(m*1000)))
		}
		f.read(items...)
		f.svc.SetBasis(f.ctx, f.manager(), f.units[unitA], energy.BasisInput{Headcount: ptr(10), AreaM2: ptr(1000.0)})
		f.svc.SetBasis(f.ctx, f.manager(), f.units[unitC], energy.BasisInput{Headcount: ptr(50), AreaM2: ptr(2000.0)})
		y, err := f.svc.YearReport(f.ctx, f.manager(), 2025, 0)
		if err != nil {
			t.Fatal(err)
		}
		if y.MonthsEnded != 12 || len(y.Months) != 12 {
			t.Fatalf("2025 seen from April 2026: %d months ended, want 12", y.MonthsEnded)
		}
		var a, c *energy.UnitYear
		for i := range y.Units {
			switch y.Units[i].UnitID {
			case f.units[unitA]:
				a = &y.Units[i]
			case f.units[unitC]:
				c = &y.Units[i]
			}
		}
		if a == nil || c == nil {
			t.Fatalf("units = %+v", y.Units)
		}
		near(t, "A tce 2025", a.TCE, 17.6976, 1e-9)
		near(t, "A March tce", *a.MonthlyTCE[2], 1.4748, 1e-9)
		near(t, "A kgce/m²", *a.AnnualPerM2Kgce, 17.698, 1e-9)
		if a.PerM2Met == nil || *a.PerM2Met || a.PerCapitaMet == nil || *a.PerCapitaMet {
			t.Errorf("A met per m² %v, per person %v; want neither", a.PerM2Met, a.PerCapitaMet)
		}
		if c.PerM2Met == nil || !*c.PerM2Met || !*c.PerCapitaMet {
			t.Errorf("C met per m² %v, per person %v; want both", c.PerM2Met, c.PerCapitaMet)
		}
		near(t, "per m² target", y.Targets.PerM2TargetKgce, 17.556, 1e-9)
		near(t, "county tce", y.County.TCE, 17.6976+1.4748, 1e-9)
		// 2026 so far: January to March have ended on 15 April; nothing was read in 2026.
		y26, err := f.svc.YearReport(f.ctx, f.manager(), 2026, 0)
		if err != nil || y26.MonthsEnded != 3 {
			t.Fatalf("2026: %+v, %v; want 3 months ended", y26, err)
		}
		tr, err := f.svc.Trend(f.ctx, f.manager(), energy.TrendQuery{From: "2025-01", To: "2025-12"})
		if err != nil || len(tr) != 12 {
			t.Fatalf("trend = %d points, %v", len(tr), err)
		}
		near(t, "trend June tce", tr[5].TCE, 1.4748+0.1229, 1e-9)
		_, err = f.svc.Trend(f.ctx, f.manager(), energy.TrendQuery{From: "2020-01", To: "2025-12"})
		wantCode(t, err, fleet.EInvalid)
	})
}
