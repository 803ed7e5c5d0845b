package demo_test

import (
	"context"
	"testing"
	"time"

	"fleet/auth"
	"fleet/demo"
	"fleet/dispatch"
	"fleet/energy"
	"fleet/store/storetest"
)

// The demo energy figures: meters with thirteen months of readings give a complete monthly report
// with the center's PV share; the center is certified; seeding again creates nothing.
func TestSeedEnergy(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	county, _ := time.LoadLocation("Asia/Shanghai")
	now := time.Date(2026, 3, 4, 10, 0, 0, 0, county)
	a := auth.NewService(db, auth.Options{BcryptCost: 4})
	svc, err := energy.NewService(db, dispatch.NewService(db, a), a, energy.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	units := map[string]int64{}
	for _, name := range []string{"县机关事务管理中心", "县财政局", "县公安局", "县卫生健康委员会"} {
		u, err := a.CreateUnit(ctx, auth.System, auth.UnitInput{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		units[name] = u.ID
	}
	if err := demo.SeedEnergy(ctx, svc, units, now); err != nil {
		t.Fatal(err)
	}
	r, err := svc.MonthReport(ctx, auth.System, energy.ReportQuery{Month: "2026-02"})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Completeness.Complete || r.Completeness.Meters != 9 || len(r.Units) != 4 || r.TotalTCE <= 0 {
		t.Fatalf("February = %d units, %v tce, completeness %+v; want 4 units, complete", len(r.Units), r.TotalTCE, r.Completeness)
	}
	for _, u := range r.Units {
		if u.UnitID == units["县机关事务管理中心"] && (u.PVShare == nil || u.PerCapitaKgce == nil || u.PerM2Kgce == nil) {
			t.Errorf("the center = %+v, want its PV share and indicators", u)
		}
	}
	_, sum, err := svc.Agencies(ctx, auth.System)
	if err != nil || sum.Certified != 1 || sum.Enrolled != 3 {
		t.Errorf("agencies = %+v, %v; want 3 enrolled, 1 certified", sum, err)
	}
	var before int64
	db.Table("energy_readings").Count(&before)
	if err := demo.SeedEnergy(ctx, svc, units, now); err != nil {
		t.Fatal(err)
	}
	var after int64
	db.Table("energy_readings").Count(&after)
	if after != before {
		t.Errorf("a second seeding changed the readings from %d to %d", before, after)
	}
}
