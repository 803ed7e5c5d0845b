package dispatch_test

import (
	"context"
	"errors"
	"testing"

	"fleet"
	"fleet/auth"
	"fleet/dispatch"
	"fleet/store"
	"fleet/store/storetest"
)

func newService(t *testing.T, db *store.DB) (*dispatch.Service, int64) {
	t.Helper()
	a := auth.NewService(db, auth.Options{BcryptCost: 4})
	u, err := a.CreateUnit(context.Background(), auth.System, auth.UnitInput{Name: "县公安局"})
	if err != nil {
		t.Fatal(err)
	}
	return dispatch.NewService(db, a), u.ID
}

func boolp(b bool) *bool { return &b }

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"13912345678", "13912345678", true},
		{"013912345678", "13912345678", true},         // 2013: BCD[6], 12 digits
		{"00000000013912345678", "13912345678", true}, // 2019: BCD[10], 20 digits
		{"000000000000", "", false},
		{"1391234567a", "", false},
		{"123456789012345678901", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := dispatch.NormalizePhone(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestVehicleRecords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, unit := newService(t, db)
		v, err := s.CreateVehicle(ctx, auth.System, dispatch.VehicleInput{Plate: " 赣k·a1234 ", Class: "law_enforcement", Seats: 5,
			Energy: "gasoline", TerminalPhone: "013912345678", Pooled: boolp(false), UnitID: &unit})
		if err != nil {
			t.Fatalf("create: %v", err)
		}
		if v.Plate != "赣KA1234" || v.TerminalPhone != "13912345678" || v.Status != "available" || v.Pooled {
			t.Fatalf("vehicle = %+v", v)
		}
		// The 2019 padding of the same number finds the vehicle.
		got, err := s.VehicleByTerminal(ctx, "00000000013912345678")
		if err != nil || got.ID != v.ID {
			t.Fatalf("by terminal = %+v, %v", got, err)
		}
		bad := []struct {
			name  string
			in    dispatch.VehicleInput
			code  string
			field string
		}{
			{"same plate", dispatch.VehicleInput{Plate: "赣KA1234", Class: "general", Seats: 5, Energy: "gasoline"}, fleet.EConflict, "plate"},
			{"same terminal padded", dispatch.VehicleInput{Plate: "赣KA1235", Class: "general", Seats: 5, Energy: "gasoline", TerminalPhone: "00000000013912345678"}, fleet.EConflict, "plate"},
			{"not a plate", dispatch.VehicleInput{Plate: "ABC'; DROP TABLE vehicles;--", Class: "general", Seats: 5, Energy: "gasoline"}, fleet.EInvalid, "plate"},
			{"unknown class", dispatch.VehicleInput{Plate: "赣KA1236", Class: "limousine", Seats: 5, Energy: "gasoline"}, fleet.EInvalid, "class"},
			{"no seats", dispatch.VehicleInput{Plate: "赣KA1236", Class: "general", Energy: "gasoline"}, fleet.EInvalid, "seats"},
			{"kept without unit", dispatch.VehicleInput{Plate: "赣KA1236", Class: "general", Seats: 5, Energy: "gasoline", Pooled: boolp(false)}, fleet.EInvalid, "unit_id"},
			{"unknown unit", dispatch.VehicleInput{Plate: "赣KA1236", Class: "general", Seats: 5, Energy: "gasoline", UnitID: ptr(int64(9999))}, fleet.EInvalid, "unit_id"},
			{"bad terminal", dispatch.VehicleInput{Plate: "赣KA1236", Class: "general", Seats: 5, Energy: "gasoline", TerminalPhone: "12ab"}, fleet.EInvalid, "terminal_phone"},
		}
		for _, tt := range bad {
			t.Run(tt.name, func(t *testing.T) {
				_, err := s.CreateVehicle(ctx, auth.System, tt.in)
				var fe *fleet.Error
				if !errors.As(err, &fe) || fe.Code != tt.code || fe.Fields[tt.field] == "" {
					t.Fatalf("err = %v, want %s naming %s", err, tt.code, tt.field)
				}
			})
		}
		list, total, err := s.ListVehicles(ctx, auth.System, dispatch.VehicleFilter{})
		if err != nil || total != 1 || len(list) != 1 {
			t.Fatalf("list = %d/%d, %v; want 1 (bad input stored nothing)", len(list), total, err)
		}
		// Update keeps the id; the audit log has the change.
		v2, err := s.UpdateVehicle(ctx, auth.System, v.ID, dispatch.VehicleInput{Plate: "赣KA1234", Class: "law_enforcement", Seats: 5,
			Energy: "gasoline", Pooled: boolp(false), UnitID: &unit, Status: "repair"})
		if err != nil || v2.Status != "repair" || v2.TerminalPhone != "" {
			t.Fatalf("update = %+v, %v", v2, err)
		}
		_, err = s.UpdateVehicle(ctx, auth.System, 9999, dispatch.VehicleInput{Plate: "赣KA1239", Class: "general", Seats: 5, Energy: "gasoline"})
		if fleet.ErrorCode(err) != fleet.ENotFound {
			t.Fatalf("update missing = %v, want not_found", err)
		}
		if err := s.DeleteVehicle(ctx, auth.System, v.ID); err != nil {
			t.Fatalf("delete: %v", err)
		}
		if _, err := s.GetVehicle(ctx, auth.System, v.ID); fleet.ErrorCode(err) != fleet.ENotFound {
			t.Fatalf("get deleted = %v, want not_found", err)
		}
	})
}

func ptr[T any](v T) *T { return &v }

func TestImportIsAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, unit := newService(t, db)
		rows := []dispatch.Row[dispatch.VehicleInput]{
			{Line: 2, Input: dispatch.VehicleInput{Plate: "赣K10001", Class: "general", Seats: 5, Energy: "electric", TerminalPhone: "13900000001"}},
			{Line: 3, Input: dispatch.VehicleInput{Plate: "赣K10002", Class: "general", Seats: 7, Energy: "gasoline", UnitID: &unit}},
			{Line: 4, Input: dispatch.VehicleInput{Plate: "赣K10001", Class: "general", Seats: 5, Energy: "gasoline"}},
			{Line: 5, Input: dispatch.VehicleInput{Plate: "赣K10003", Class: "bus", Seats: 5, Energy: "gasoline", TerminalPhone: "013900000001"}},
		}
		res, err := s.ImportVehicles(ctx, auth.System, rows, dispatch.ImportOptions{})
		if !errors.Is(err, dispatch.ErrImportRejected) {
			t.Fatalf("err = %v, want rejected", err)
		}
		want := map[int]string{4: "plate", 5: "class"}
		for _, e := range res.Errors {
			if want[e.Line] == e.Field {
				delete(want, e.Line)
			}
		}
		if len(want) != 0 {
			t.Fatalf("errors %+v lack %v", res.Errors, want)
		}
		if _, total, _ := s.ListVehicles(ctx, auth.System, dispatch.VehicleFilter{}); total != 0 {
			t.Fatalf("a rejected import stored %d vehicles", total)
		}
		var calls int
		res, err = s.ImportVehicles(ctx, auth.System, rows, dispatch.ImportOptions{SkipBad: true, Progress: func(done, total int) { calls++ }})
		if err != nil || res.Imported != 2 || res.Skipped != 2 || calls == 0 {
			t.Fatalf("skip-bad import = %+v, %v, progress calls %d", res, err, calls)
		}
		if _, total, _ := s.ListVehicles(ctx, auth.System, dispatch.VehicleFilter{}); total != 2 {
			t.Fatalf("vehicles after import = %d, want 2", total)
		}
	})
}

func TestDriverRecords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, unit := newService(t, db)
		d, err := s.CreateDriver(ctx, auth.System, dispatch.DriverInput{Name: "张建国", Phone: "13807950001", LicenseClass: "C1", LicenseExpiry: "2028-03-01", UnitID: &unit})
		if err != nil {
			t.Fatalf("create: %v", err)
		}
		if d.LicenseExpiry == nil || d.LicenseExpiry.Format("2006-01-02") != "2028-03-01" || d.Status != "on_duty" {
			t.Fatalf("driver = %+v", d)
		}
		got, err := s.GetDriver(ctx, auth.System, d.ID)
		if err != nil || got.LicenseExpiry.Format("2006-01-02") != "2028-03-01" {
			t.Fatalf("stored driver = %+v, %v", got, err)
		}
		_, err = s.CreateDriver(ctx, auth.System, dispatch.DriverInput{Name: "李四", Phone: "13807950001", LicenseClass: "C1"})
		if fleet.ErrorCode(err) != fleet.EConflict {
			t.Fatalf("duplicate phone = %v, want conflict", err)
		}
		_, err = s.CreateDriver(ctx, auth.System, dispatch.DriverInput{Name: "李四", Phone: "12345", LicenseClass: "Z9", LicenseExpiry: "next year"})
		var fe *fleet.Error
		if !errors.As(err, &fe) || fe.Fields["phone"] == "" || fe.Fields["license_class"] == "" || fe.Fields["license_expiry"] == "" {
			t.Fatalf("bad driver = %v, want phone, license_class and license_expiry named", err)
		}
	})
}
