package energy_test

import (
	"testing"

	"fleet"
	"fleet/energy"
)

func TestProjectsWithSavings(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		m := f.meter("走廊照明回路", energy.KindElectricity, unitA)
		// 3,000 kWh a month before the LED retrofit (started 10 March 2025, done 20 March 2025),
		// 1,800 a month from April 2025.
		var items []raw
		v := 0.0
		for i := 0; i <= 25; i++ {
			at := local(2024, 3, 1, 0).AddDate(0, i, 0)
			items = append(items, reading(m.ID, at, v))
			if at.Before(local(2025, 3, 1, 0)) {
				v += 3000
			} else {
				v += 1800
			}
		}
		f.read(items...)
		before := f.counts()
		for _, c := range []struct {
			name  string
			in    energy.ProjectInput
			field string
		}{
			{"no name", energy.ProjectInput{Kind: "lighting", UnitID: f.units[unitA]}, "name"},
			{"unknown kind", energy.ProjectInput{Name: "x", Kind: "magic", UnitID: f.units[unitA]}, "kind"},
			{"negative investment", energy.ProjectInput{Name: "x", Kind: "pv", UnitID: f.units[unitA], InvestmentYuan: -1}, "investment_yuan"},
			{"completed without a date", energy.ProjectInput{Name: "x", Kind: "pv", UnitID: f.units[unitA], Status: "completed", StartedOn: "2025-01-01"}, "completed_on"},
			{"done before started", energy.ProjectInput{Name: "x", Kind: "pv", UnitID: f.units[unitA], Status: "completed", StartedOn: "2025-02-01", CompletedOn: "2025-01-01"}, "completed_on"},
			{"amounts without a kind", energy.ProjectInput{Name: "x", Kind: "pv", UnitID: f.units[unitA], BeforeAmount: ptr(1.0)}, "energy_kind"},
			{"unknown meter", energy.ProjectInput{Name: "x", Kind: "pv", UnitID: f.units[unitA], MeterID: ptr(int64(999999))}, "meter_id"},
			{"bad date", energy.ProjectInput{Name: "x", Kind: "pv", UnitID: f.units[unitA], StartedOn: "2025/01/01", Status: "in_progress"}, "started_on"},
		} {
			t.Run(c.name, func(t *testing.T) {
				_, err := f.svc.CreateProject(f.ctx, f.manager(), c.in)
				wantCode(t, err, fleet.EInvalid)
				if fieldOf(err, c.field) == "" {
					t.Errorf("error %v does not name %s", err, c.field)
				}
				f.unchanged(before)
			})
		}
		p, err := f.svc.CreateProject(f.ctx, f.manager(), energy.ProjectInput{Name: "办公楼走廊LED照明改造", Kind: "lighting", UnitID: f.units[unitA],
			MeterID: &m.ID, EnergyKind: energy.KindElectricity, InvestmentYuan: 86000, Status: energy.ProjectCompleted,
			StartedOn: "2025-03-10", CompletedOn: "2025-03-20", BeforeAmount: ptr(36000.0), AfterAmount: ptr(21600.0)})
		if err != nil {
			t.Fatal(err)
		}
		// Entered: 14,400 kWh a year saved, 40%, 1.76976 tce a year.
		if p.Saving == nil {
			t.Fatal("no saving from the amounts entered")
		}
		near(t, "saving kWh", p.Saving.Amount, 14400, 1e-9)
		near(t, "saving %", *p.Saving.Pct, 40, 1e-9)
		near(t, "saving tce", p.Saving.TCE, 1.76976, 1e-9)
		// Measured: April 2025 – February 2026 (11 full months after, up to a year before the
		// start) at 1,800 a month against April 2024 – February 2025 at 3,000.
		ms := p.Measured
		if ms == nil || ms.BeforeMonths != 11 || ms.AfterMonths != 11 || ms.BeforeMonthly == nil || ms.AfterMonthly == nil {
			t.Fatalf("measured = %+v", ms)
		}
		near(t, "before a month", *ms.BeforeMonthly, 3000, 1e-9)
		near(t, "after a month", *ms.AfterMonthly, 1800, 1e-9)
		near(t, "measured saving %", *ms.SavingPct, 40, 1e-9)
		// A project not completed has nothing measured after; one whose year before was not read
		// has no "before".
		early, err := f.svc.CreateProject(f.ctx, f.manager(), energy.ProjectInput{Name: "空调节能控制", Kind: "hvac", UnitID: f.units[unitA],
			MeterID: &m.ID, Status: energy.ProjectInProgress, StartedOn: "2024-06-05"})
		if err != nil || early.Measured == nil || early.Measured.AfterMonthly != nil || early.Measured.BeforeMonthly != nil {
			t.Fatalf("project in progress = %+v, %v; want nothing measured", early.Measured, err)
		}
		first, err := f.svc.CreateProject(f.ctx, f.manager(), energy.ProjectInput{Name: "窗户贴膜", Kind: "envelope", UnitID: f.units[unitA],
			MeterID: &m.ID, Status: energy.ProjectCompleted, StartedOn: "2024-04-01", CompletedOn: "2024-04-30"})
		// May 2024 – March 2025: ten months at 3,000 and March at 1,800.
		if err != nil || first.Measured.AfterMonths != 11 || first.Measured.BeforeMonthly != nil {
			t.Fatalf("project done in April 2024 = %+v, %v; want 11 months after and no year before", first.Measured, err)
		}
		near(t, "after a month", *first.Measured.AfterMonthly, (10*3000+1800)/11.0, 1e-3)
		list, err := f.svc.Projects(f.ctx, f.as["leader_a"])
		if err != nil || len(list) != 3 {
			t.Errorf("leader A's projects = %+v, %v", list, err)
		}
		_, err = f.svc.UpdateProject(f.ctx, f.as["auditor"], p.ID, energy.ProjectInput{Name: "x", Kind: "pv", UnitID: f.units[unitA]})
		wantCode(t, err, fleet.EForbidden)
	})
}
