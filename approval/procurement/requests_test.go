package procurement_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fleet"
	"fleet/approval"
	"fleet/approval/procurement"
	"fleet/auth"
	"fleet/dispatch"
	"fleet/store"
	"fleet/store/storetest"
)

func TestCreateSubmitsAndMirrorsTheInstance(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		p := f.create("staffA", electric())
		if p.ID == 0 || p.ApprovalID == 0 || p.Status != procurement.StatusPending {
			t.Fatalf("created %+v, want an id, an approval and pending", p)
		}
		if p.Amount != 165_000 || len(p.Items) != 1 || p.Items[0].Amount != 165_000 || p.Unit != "县财政局" || p.Applicant != "staffA" {
			t.Errorf("created %+v", p)
		}
		if len(p.Checks) != 4 || len(failing(p.Checks)) != 0 {
			t.Errorf("checks = %+v, want 4 passing", p.Checks)
		}
		inst, err := f.ap.Get(ctx, f.as("leaderA"), p.ApprovalID)
		if err != nil {
			t.Fatal(err)
		}
		if inst.RefType != procurement.RefType || inst.RefID != p.ID || inst.Definition != procurement.Definition || !inst.CanAct {
			t.Errorf("instance %+v, want procurement %d for the unit head to act on", inst, p.ID)
		}
		if inst.Fields["kind"] != procurement.KindVehicleAddition || fmt.Sprint(inst.Fields["amount"]) != "165000" {
			t.Errorf("instance fields = %v", inst.Fields)
		}

		// Who sees it: the applicant, the approvers, the auditor; not another unit's staff.
		for _, who := range []string{"staffA", "leaderA", "auditor", "admin"} {
			f.get(who, p.ID)
		}
		if _, err := f.svc.Get(ctx, f.as("staffB"), p.ID); code(err) != fleet.EForbidden {
			t.Errorf("staffB get = %v, want forbidden", err)
		}
		if items, total, err := f.svc.List(ctx, f.as("staffB"), procurement.ListQuery{}); err != nil || total != 0 || len(items) != 0 {
			t.Errorf("staffB list = %d %v, want nothing", total, err)
		}
		if _, total, err := f.svc.List(ctx, f.as("auditor"), procurement.ListQuery{Kind: "vehicle"}); err != nil || total != 1 {
			t.Errorf("auditor list = %d %v, want 1", total, err)
		}

		f.clock.Set(f.clock.Now().Add(time.Hour))
		f.decideAll(p, approval.ActApprove)
		got := f.get("staffA", p.ID)
		if got.Status != procurement.StatusApproved || got.DecidedAt == nil {
			t.Errorf("after the last approval: status %s decided %v, want approved with a time", got.Status, got.DecidedAt)
		}
	})
}

func TestRejectIsMirrored(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		p := f.create("staffA", goods("打印机", 2, 1999))
		f.decideAll(p, approval.ActReject)
		if got := f.get("staffA", p.ID); got.Status != procurement.StatusRejected || got.DecidedAt == nil {
			t.Errorf("status %s decided %v, want rejected", got.Status, got.DecidedAt)
		}
	})
}

func TestFailingCheckNeedsJustification(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		in := petrol(dispatch.ClassConfidentialComm, 150_000, 2.0)
		in.Justification = ""
		_, err := f.svc.Create(ctx, f.as("staffA"), in)
		if code(err) != fleet.EInvalid || field(err, "justification") == "" {
			t.Fatalf("create without justification = %v, want 400 naming justification", err)
		}
		if !strings.Contains(fleet.ErrorMessage(err), "120,000") {
			t.Errorf("message %q should name the failing figures", fleet.ErrorMessage(err))
		}
		if n := f.count("procurements"); n != 0 {
			t.Fatalf("%d requests stored after a refusal, want 0", n)
		}
		if n := f.count("approval_instances"); n != 0 {
			t.Fatalf("%d instances stored after a refusal, want 0", n)
		}

		in.Justification = "机要文件量大，需较大空间"
		p := f.create("staffA", in)
		if want := []string{procurement.RulePriceMax, procurement.RuleDisplacementMax, procurement.RuleNEShareMin}; !slices.Equal(failing(p.Checks), want) {
			t.Errorf("failing checks = %v, want %v", failing(p.Checks), want)
		}
		if p.ChecksFailed != 3 || p.Justification != in.Justification {
			t.Errorf("stored %d failed, justification %q", p.ChecksFailed, p.Justification)
		}
		// The approver sees the same checks.
		if got := f.get("leaderA", p.ID); !slices.Equal(failing(got.Checks), failing(p.Checks)) || got.Checks[0].Source == "" {
			t.Errorf("approver sees checks %+v", got.Checks)
		}
	})
}

func TestCreateRollsBackWithTheInstance(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		if err := db.Exec("DELETE FROM approval_definitions").Error; err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Create(context.Background(), f.as("staffA"), goods("纸", 10, 25)); err == nil {
			t.Fatal("create without a definition succeeded")
		}
		if n := f.count("procurements") + f.count("procurement_items"); n != 0 {
			t.Fatalf("%d rows left after the submit failed, want 0", n)
		}
	})
}

func TestCreateRefusesBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		renewalOf := func(id int64) procurement.Input {
			in := electric()
			in.Kind, in.Vehicle.ReplacesVehicleID = procurement.KindVehicleRenewal, &id
			return in
		}
		tests := []struct {
			name  string
			in    procurement.Input
			code  string
			field string
		}{
			{"no items", procurement.Input{Kind: procurement.KindGoods, Title: "t", Reason: "r"}, fleet.EInvalid, "items"},
			{"negative price", goods("纸", 1, -3), fleet.EInvalid, "items[0].unit_price"},
			{"absurd amount", goods("纸", 1e6, 1e6), fleet.EInvalid, "items[0].amount"},
			{"no such replaced vehicle", renewalOf(999), fleet.EInvalid, "vehicle.replaces_vehicle_id"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := f.svc.Create(ctx, f.as("staffA"), tt.in)
				if code(err) != tt.code || field(err, tt.field) == "" {
					t.Errorf("create = %v, want %s naming %s", err, tt.code, tt.field)
				}
			})
		}
		if _, err := f.svc.Create(ctx, f.as("auditor"), goods("纸", 1, 3)); code(err) != fleet.EForbidden {
			t.Errorf("auditor create = %v, want forbidden", err)
		}
		if n := f.count("procurements"); n != 0 {
			t.Errorf("%d requests stored, want 0", n)
		}
	})
}

func TestReviseReturnedRequest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		p := f.create("staffA", goods("打印机", 2, 1999))
		if _, err := f.svc.Revise(ctx, f.as("staffA"), p.ID, goods("打印机", 1, 1999)); code(err) != fleet.EConflict {
			t.Errorf("revise while pending = %v, want conflict", err)
		}
		if _, err := f.ap.Act(ctx, f.as("leaderA"), p.ApprovalID, approval.ActionInput{Action: approval.ActReturn, Comment: "报价单不全"}); err != nil {
			t.Fatal(err)
		}
		if got := f.get("staffA", p.ID); got.Status != procurement.StatusReturned {
			t.Fatalf("status after return = %s, want returned", got.Status)
		}
		if _, err := f.svc.Revise(ctx, f.as("staffB"), p.ID, goods("打印机", 1, 1999)); code(err) != fleet.EForbidden {
			t.Errorf("revise by another = %v, want forbidden", err)
		}
		in := goods("彩色打印机", 1, 2999)
		in.Items = append(in.Items, procurement.ItemInput{Name: "硒鼓", Quantity: 4, UnitPrice: 350})
		got, err := f.svc.Revise(ctx, f.as("staffA"), p.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != procurement.StatusPending || got.Title != "彩色打印机" || len(got.Items) != 2 || got.Amount != 4399 || got.ApprovalID != p.ApprovalID {
			t.Errorf("revised %+v", got)
		}
		inst, err := f.ap.Get(ctx, f.as("staffA"), p.ApprovalID)
		if err != nil {
			t.Fatal(err)
		}
		if inst.Status != approval.StatusPending || fmt.Sprint(inst.Fields["amount"]) != "4399" {
			t.Errorf("instance after revision: %s %v", inst.Status, inst.Fields)
		}
		f.decideAll(got, approval.ActApprove)
		if got := f.get("staffA", p.ID); got.Status != procurement.StatusApproved {
			t.Errorf("status = %s, want approved", got.Status)
		}
	})
}

// TestNewEnergyShareAcrossTheYear: the share counts the year's approved vehicle requests (not
// last year's, not pending ones) plus the one being checked.
func TestNewEnergyShareAcrossTheYear(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.clock.Set(time.Date(2025, 12, 20, 10, 0, 0, 0, shanghai))
		f.decideAll(f.create("staffA", electric()), approval.ActApprove) // last year: does not count
		f.clock.Set(time.Date(2026, 1, 5, 10, 0, 0, 0, shanghai))
		for _, in := range []procurement.Input{petrol(dispatch.ClassGeneral, 150_000, 1.5), petrol(dispatch.ClassGeneral, 160_000, 1.5), electric()} {
			f.decideAll(f.create("staffA", in), approval.ActApprove)
		}
		f.create("staffB", electric()) // pending: does not count

		share := func(in procurement.Input) procurement.Check {
			checks, err := f.svc.Preview(ctx, f.as("staffA"), in)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range checks {
				if c.Rule == procurement.RuleNEShareMin {
					return c
				}
			}
			t.Fatal("no share check")
			return procurement.Check{}
		}
		if c := share(petrol(dispatch.ClassGeneral, 150_000, 1.5)); c.OK || !strings.Contains(c.Message, "2026年已批准配备更新 3 辆，其中新能源汽车 1 辆") || !strings.Contains(c.Message, "25%") {
			t.Errorf("a fourth petrol car: %v %s, want failing at 25%%", c.OK, c.Message)
		}
		if c := share(electric()); !c.OK || !strings.Contains(c.Message, "50%") {
			t.Errorf("a second electric car: %v %s, want passing at 50%%", c.OK, c.Message)
		}
	})
}

func TestRenewalEligibility(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		v, err := f.fleet.CreateVehicle(ctx, auth.System, dispatch.VehicleInput{Plate: "赣K12345", Class: dispatch.ClassGeneral, Seats: 5,
			Energy: dispatch.EnergyGasoline, RegisteredOn: "2017-01-10", OdometerKm: ptr(120_000.0)})
		if err != nil {
			t.Fatal(err)
		}
		if v.RegisteredOn == nil || v.RegisteredOn.Format(time.DateOnly) != "2017-01-10" || v.OdometerKm == nil || *v.OdometerKm != 120_000 {
			t.Fatalf("vehicle %+v, want its registration date and odometer", v)
		}
		// The platform tracked more than the odometer reading says.
		for i, km := range []float64{130_000, 131_500.5} {
			day := time.Date(2025, 1, 1+i, 0, 0, 0, 0, time.UTC)
			if err := db.Exec("INSERT INTO vehicle_days (vehicle_id, day, distance_km, driving_s, trips, overspeeds, misuses, updated_at) VALUES (?, ?, ?, 0, 0, 0, 0, ?)",
				v.ID, day, km, time.Now().UTC()).Error; err != nil {
				t.Fatal(err)
			}
		}
		in := electric()
		in.Kind, in.Vehicle.ReplacesVehicleID = procurement.KindVehicleRenewal, &v.ID
		p := f.create("staffA", in)
		if len(failing(p.Checks)) != 0 {
			t.Fatalf("failing checks %v, want none", failing(p.Checks))
		}
		for _, c := range p.Checks {
			switch c.Rule {
			case procurement.RuleRenewalKm:
				if !strings.Contains(c.Message, "261,500.5") || !strings.Contains(c.Message, "120,000") {
					t.Errorf("km message %q, want the tracked 261,500.5 and the odometer 120,000", c.Message)
				}
			case procurement.RuleRenewalYears:
				if !strings.Contains(c.Message, "9 年 2 个月") {
					t.Errorf("years message %q, want 9 年 2 个月", c.Message)
				}
			}
		}
		if p.Vehicle == nil || p.Vehicle.ReplacesPlate != "赣K12345" {
			t.Errorf("vehicle %+v, want the replaced plate", p.Vehicle)
		}
		// One renewal at a time per vehicle.
		if _, err := f.svc.Create(ctx, f.as("staffB"), in); code(err) != fleet.EConflict {
			t.Errorf("second renewal = %v, want conflict", err)
		}
	})
}

func TestStandardsEditing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		set, err := f.svc.Standards(ctx, f.as("staffA"))
		if err != nil || len(set.Standards) != len(procurement.DefaultStandards()) || len(set.Rules) != len(procurement.Rules) {
			t.Fatalf("standards = %+v, %v", set, err)
		}
		var in procurement.StandardsInput
		for _, s := range set.Standards {
			si := procurement.StandardInput{Province: s.Province, Rule: s.Rule, Class: s.Class, Body: s.Body, Value: s.Value, Enabled: ptr(s.Enabled), Source: s.Source}
			if s.Rule == procurement.RulePriceMax && s.Class == dispatch.ClassConfidentialComm {
				si.Value = 130_000
			}
			in.Standards = append(in.Standards, si)
		}
		if _, err := f.svc.UpdateStandards(ctx, f.as("staffA"), in); code(err) != fleet.EForbidden {
			t.Errorf("staff update = %v, want forbidden", err)
		}
		if _, err := f.svc.UpdateStandards(ctx, f.as("admin"), procurement.StandardsInput{}); code(err) != fleet.EInvalid {
			t.Errorf("empty update = %v, want invalid", err)
		}
		if _, err := f.svc.UpdateStandards(ctx, f.as("admin"), in); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.EnsureDefaults(ctx); err != nil {
			t.Fatal(err)
		}
		checks, err := f.svc.Preview(ctx, f.as("staffA"), petrol(dispatch.ClassConfidentialComm, 125_000, 1.5))
		if err != nil {
			t.Fatal(err)
		}
		if checks[0].Rule != procurement.RulePriceMax || !checks[0].OK || !strings.Contains(checks[0].Message, "130,000") {
			t.Errorf("price check after the edit = %+v, want passing against 130,000 (and EnsureDefaults not to undo the edit)", checks[0])
		}
	})
}
