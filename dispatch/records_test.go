package dispatch_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"fleet"
	"fleet/auth"
	"fleet/dispatch"
	"fleet/store"
	"fleet/store/storetest"
)

func recDay(t *time.Time) string {
	if t == nil {
		return "null"
	}
	return t.Format(time.DateOnly)
}

func recVehicle(t *testing.T, s *dispatch.Service, in dispatch.VehicleInput) *dispatch.Vehicle {
	t.Helper()
	if in.Class == "" {
		in.Class, in.Energy = dispatch.ClassGeneral, dispatch.EnergyGasoline
	}
	if in.Seats == 0 {
		in.Seats = 5
	}
	v, err := s.CreateVehicle(context.Background(), auth.System, in)
	if err != nil {
		t.Fatalf("create vehicle %s: %v", in.Plate, err)
	}
	return v
}

func wantRecErr(t *testing.T, err error, code, field string) {
	t.Helper()
	var fe *fleet.Error
	if !errors.As(err, &fe) || fe.Code != code || (field != "" && fe.Fields[field] == "") {
		t.Fatalf("err = %v, want %s naming %q", err, code, field)
	}
}

func TestVehicleDocumentsAndParking(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newService(t, db)
		lat, lng, rng := 27.8012, 114.4031, 410
		v := recVehicle(t, s, dispatch.VehicleInput{Plate: "赣KD05001", Class: "general", Seats: 5, Energy: "electric",
			RangeKm: &rng, InsuranceExpiry: "2026-12-31", InspectionDue: "2027-03-31",
			ParkingName: "县机关事务管理中心车库", ParkingLat: &lat, ParkingLng: &lng, OdometerKm: ptr(12000.0)})
		got, err := s.GetVehicle(ctx, auth.System, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if *got.RangeKm != 410 || recDay(got.InsuranceExpiry) != "2026-12-31" || recDay(got.InspectionDue) != "2027-03-31" ||
			got.MaintenanceDue != nil || got.ParkingName != "县机关事务管理中心车库" || *got.ParkingLat != lat || *got.ParkingLng != lng {
			t.Fatalf("stored vehicle = %+v", got)
		}
		// An update that leaves the dates and the odometer out keeps them; one that lowers the
		// odometer is refused.
		up := dispatch.VehicleInput{Plate: "赣KD05001", Class: "general", Seats: 5, Energy: "electric", Status: "maintenance"}
		got, err = s.UpdateVehicle(ctx, auth.System, v.ID, up)
		if err != nil || recDay(got.InsuranceExpiry) != "2026-12-31" || *got.OdometerKm != 12000 || got.ParkingName != "" || got.RangeKm != nil {
			t.Fatalf("update = %+v, %v; want dates and odometer kept, parking and range replaced", got, err)
		}
		up.OdometerKm = ptr(11000.0)
		_, err = s.UpdateVehicle(ctx, auth.System, v.ID, up)
		wantRecErr(t, err, fleet.EInvalid, "odometer_km")

		for _, tt := range []struct {
			name  string
			in    dispatch.VehicleInput
			field string
		}{
			{"bad insurance date", dispatch.VehicleInput{InsuranceExpiry: "31/12/2026"}, "insurance_expiry"},
			{"bad inspection date", dispatch.VehicleInput{InspectionDue: "2026-02-30"}, "inspection_due"},
			{"range too long", dispatch.VehicleInput{RangeKm: ptr(5000)}, "range_km"},
			{"lat without lng", dispatch.VehicleInput{ParkingName: "车库", ParkingLat: ptr(27.8)}, "parking_lng"},
			{"lat out of range", dispatch.VehicleInput{ParkingName: "车库", ParkingLat: ptr(97.8), ParkingLng: ptr(114.4)}, "parking_lat"},
			{"point without a name", dispatch.VehicleInput{ParkingLat: ptr(27.8), ParkingLng: ptr(114.4)}, "parking_name"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				in := tt.in
				in.Plate, in.Class, in.Seats, in.Energy = "赣KJ9999", "general", 5, "gasoline"
				_, err := s.CreateVehicle(ctx, auth.System, in)
				wantRecErr(t, err, fleet.EInvalid, tt.field)
			})
		}
	})
}

func TestVehicleRecordsKeepTheVehicleCurrent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newService(t, db)
		v := recVehicle(t, s, dispatch.VehicleInput{Plate: "赣KJ5001", OdometerKm: ptr(30000.0), InsuranceExpiry: "2026-05-31"})
		clerk := &auth.Actor{UserID: 0, Role: auth.RoleDispatcher, Name: "调度员"}

		ins, err := s.AddVehicleRecord(ctx, clerk, v.ID, dispatch.RecordInput{Kind: "insurance", Date: "2026-05-20",
			DueDate: "2027-05-31", Cost: 4830.5, Note: "交强险+商业险"})
		if err != nil {
			t.Fatalf("insurance: %v", err)
		}
		if ins.Cost != 4830.5 || recDay(ins.DueDate) != "2027-05-31" {
			t.Fatalf("record = %+v", ins)
		}
		if _, err := s.AddVehicleRecord(ctx, clerk, v.ID, dispatch.RecordInput{Kind: "inspection", Date: "2026-05-21", DueDate: "2027-05-31"}); err != nil {
			t.Fatalf("inspection: %v", err)
		}
		if _, err := s.AddVehicleRecord(ctx, clerk, v.ID, dispatch.RecordInput{Kind: "maintenance", Date: "2026-05-22",
			DueDate: "2026-11-22", OdometerKm: ptr(31250.0), Cost: 680}); err != nil {
			t.Fatalf("maintenance: %v", err)
		}
		dis, err := s.AddVehicleRecord(ctx, clerk, v.ID, dispatch.RecordInput{Kind: "disinfection", At: "2026-05-23T07:40:00+08:00"})
		if err != nil || dis.At == nil || dis.Date.Format(time.DateOnly) != "2026-05-23" {
			t.Fatalf("disinfection = %+v, %v; want dated by its time", dis, err)
		}
		got, _ := s.GetVehicle(ctx, auth.System, v.ID)
		if recDay(got.InsuranceExpiry) != "2027-05-31" || recDay(got.InspectionDue) != "2027-05-31" ||
			recDay(got.MaintenanceDue) != "2026-11-22" || *got.OdometerKm != 31250 {
			t.Fatalf("vehicle after records = insurance %s inspection %s service %s odometer %v",
				recDay(got.InsuranceExpiry), recDay(got.InspectionDue), recDay(got.MaintenanceDue), *got.OdometerKm)
		}

		bad := []struct {
			name  string
			in    dispatch.RecordInput
			code  string
			field string
		}{
			{"odometer backwards", dispatch.RecordInput{Kind: "repair", Date: "2026-05-24", OdometerKm: ptr(31000.0)}, fleet.EInvalid, "odometer_km"},
			{"unknown kind", dispatch.RecordInput{Kind: "wash", Date: "2026-05-24"}, fleet.EInvalid, "kind"},
			{"no date", dispatch.RecordInput{Kind: "repair"}, fleet.EInvalid, "date"},
			{"insurance without due date", dispatch.RecordInput{Kind: "insurance", Date: "2026-05-24"}, fleet.EInvalid, "due_date"},
			{"due before date", dispatch.RecordInput{Kind: "inspection", Date: "2026-05-24", DueDate: "2026-05-01"}, fleet.EInvalid, "due_date"},
			{"due date on a repair", dispatch.RecordInput{Kind: "repair", Date: "2026-05-24", DueDate: "2026-06-01"}, fleet.EInvalid, "due_date"},
			{"negative cost", dispatch.RecordInput{Kind: "repair", Date: "2026-05-24", Cost: -1}, fleet.EInvalid, "cost"},
			{"date not the day of at", dispatch.RecordInput{Kind: "disinfection", Date: "2026-05-24", At: "2026-05-23T07:40:00+08:00"}, fleet.EInvalid, "date"},
		}
		for _, tt := range bad {
			t.Run(tt.name, func(t *testing.T) {
				_, err := s.AddVehicleRecord(ctx, clerk, v.ID, tt.in)
				wantRecErr(t, err, tt.code, tt.field)
			})
		}
		_, err = s.AddVehicleRecord(ctx, clerk, 99999, dispatch.RecordInput{Kind: "repair", Date: "2026-05-24"})
		wantRecErr(t, err, fleet.ENotFound, "")
		_, err = s.AddVehicleRecord(ctx, &auth.Actor{Role: auth.RoleAuditor}, v.ID, dispatch.RecordInput{Kind: "repair", Date: "2026-05-24"})
		wantRecErr(t, err, fleet.EForbidden, "")

		// The refused records changed nothing.
		list, total, err := s.ListVehicleRecords(ctx, clerk, v.ID, dispatch.RecordFilter{})
		if err != nil || total != 4 || len(list) != 4 || list[0].Kind != "disinfection" || list[3].Kind != "insurance" {
			t.Fatalf("records = %d/%d %v, want 4, newest first", len(list), total, err)
		}
		list, total, _ = s.ListVehicleRecords(ctx, &auth.Actor{Role: auth.RoleAuditor}, v.ID, dispatch.RecordFilter{Kind: "maintenance"})
		if total != 1 || list[0].Cost != 680 {
			t.Fatalf("maintenance records = %+v", list)
		}
		got, _ = s.GetVehicle(ctx, auth.System, v.ID)
		if *got.OdometerKm != 31250 {
			t.Fatalf("odometer = %v after refused records, want 31250", *got.OdometerKm)
		}

		// A later record wins; deleting it brings back the one before; deleting the last clears
		// the date it had set.
		ins2, err := s.AddVehicleRecord(ctx, clerk, v.ID, dispatch.RecordInput{Kind: "insurance", Date: "2027-05-25", DueDate: "2028-05-31"})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ = s.GetVehicle(ctx, auth.System, v.ID); recDay(got.InsuranceExpiry) != "2028-05-31" {
			t.Fatalf("insurance after renewal = %s", recDay(got.InsuranceExpiry))
		}
		if err := s.DeleteVehicleRecord(ctx, clerk, v.ID, ins2.ID); fleet.ErrorCode(err) != fleet.EForbidden {
			t.Fatalf("dispatcher delete = %v, want forbidden (an admin's)", err)
		}
		if err := s.DeleteVehicleRecord(ctx, auth.System, v.ID, ins2.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ = s.GetVehicle(ctx, auth.System, v.ID); recDay(got.InsuranceExpiry) != "2027-05-31" {
			t.Fatalf("insurance after deleting the renewal = %s, want 2027-05-31", recDay(got.InsuranceExpiry))
		}
		if err := s.DeleteVehicleRecord(ctx, auth.System, v.ID, ins.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ = s.GetVehicle(ctx, auth.System, v.ID); got.InsuranceExpiry != nil {
			t.Fatalf("insurance after deleting every record = %s, want null", recDay(got.InsuranceExpiry))
		}
		if err := s.DeleteVehicleRecord(ctx, auth.System, v.ID, ins.ID); fleet.ErrorCode(err) != fleet.ENotFound {
			t.Fatalf("delete twice = %v, want not_found", err)
		}
		// A vehicle with records is not deleted: it is retired.
		if err := s.DeleteVehicle(ctx, auth.System, v.ID); fleet.ErrorCode(err) != fleet.EConflict {
			t.Fatalf("delete vehicle with records = %v, want conflict", err)
		}
	})
}

func TestAdvanceOdometer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newService(t, db)
		v := recVehicle(t, s, dispatch.VehicleInput{Plate: "赣KJ5002", OdometerKm: ptr(100.0)})
		if err := s.AdvanceOdometer(ctx, db.DB, v.ID, 180); err != nil {
			t.Fatal(err)
		}
		wantRecErr(t, s.AdvanceOdometer(ctx, db.DB, v.ID, 150), fleet.EInvalid, "odometer_km")
		if got, _ := s.GetVehicle(ctx, auth.System, v.ID); *got.OdometerKm != 180 {
			t.Fatalf("odometer = %v, want 180", *got.OdometerKm)
		}
	})
}

func TestTrainings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newService(t, db)
		d, err := s.CreateDriver(ctx, auth.System, dispatch.DriverInput{Name: "刘建国", Phone: "13879501001", LicenseClass: "C1"})
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range []dispatch.TrainingInput{
			{Date: "2026-03-10", Topic: "冬季行车安全", Hours: 2},
			{Date: "2026-04-15", Topic: "应急救护", Hours: 3.5, Note: "县红十字会"},
		} {
			if _, err := s.AddTraining(ctx, auth.System, d.ID, in); err != nil {
				t.Fatal(err)
			}
		}
		list, total, err := s.ListTrainings(ctx, &auth.Actor{Role: auth.RoleAuditor}, d.ID, fleet.Page{})
		if err != nil || total != 2 || list[0].Topic != "应急救护" || list[0].Hours != 3.5 {
			t.Fatalf("trainings = %+v %d %v", list, total, err)
		}
		_, err = s.AddTraining(ctx, auth.System, d.ID, dispatch.TrainingInput{Date: "2026-04-15", Hours: 0})
		wantRecErr(t, err, fleet.EInvalid, "topic")
		_, err = s.AddTraining(ctx, auth.System, d.ID, dispatch.TrainingInput{Date: "2026-04-15", Topic: "x", Hours: 25})
		wantRecErr(t, err, fleet.EInvalid, "hours")
		_, err = s.AddTraining(ctx, auth.System, 9999, dispatch.TrainingInput{Date: "2026-04-15", Topic: "x", Hours: 1})
		wantRecErr(t, err, fleet.ENotFound, "")
		_, err = s.AddTraining(ctx, &auth.Actor{Role: auth.RoleDriver}, d.ID, dispatch.TrainingInput{Date: "2026-04-15", Topic: "x", Hours: 1})
		wantRecErr(t, err, fleet.EForbidden, "")
	})
}

func TestReminders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newService(t, db)
		cn := time.FixedZone("CST", 8*3600)
		n := time.Now().In(cn)
		today := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
		in := func(days int) string { return today.AddDate(0, 0, days).Format(time.DateOnly) }
		a := recVehicle(t, s, dispatch.VehicleInput{Plate: "赣KJ5003", InsuranceExpiry: in(10), InspectionDue: in(200), MaintenanceDue: in(-3)})
		recVehicle(t, s, dispatch.VehicleInput{Plate: "赣KJ5004", InsuranceExpiry: in(40), InspectionDue: in(25)})
		recVehicle(t, s, dispatch.VehicleInput{Plate: "赣KJ5005", InsuranceExpiry: in(-30), Status: "retired"}) // retired: no reminder
		recVehicle(t, s, dispatch.VehicleInput{Plate: "赣KJ5006"})                                              // dates unknown
		d, err := s.CreateDriver(ctx, auth.System, dispatch.DriverInput{Name: "张伟", Phone: "13879501003", LicenseClass: "C1", LicenseExpiry: in(0)})
		if err != nil {
			t.Fatal(err)
		}
		items, total, err := s.Reminders(ctx, &auth.Actor{Role: auth.RoleAuditor}, 30)
		if err != nil {
			t.Fatal(err)
		}
		type item struct {
			name, kind string
			days       int
			overdue    bool
		}
		want := []item{{"赣KJ5003", "maintenance", -3, true}, {"张伟", "license", 0, false}, {"赣KJ5003", "insurance", 10, false}, {"赣KJ5004", "inspection", 25, false}}
		if total != int64(len(want)) || len(items) != len(want) {
			t.Fatalf("reminders = %+v, want %v", items, want)
		}
		for i, w := range want {
			g := items[i]
			if g.Name != w.name || g.Kind != w.kind || g.DaysLeft != w.days || g.Overdue != w.overdue {
				t.Errorf("reminder %d = %+v, want %+v", i, g, w)
			}
		}
		if items[0].VehicleID == nil || *items[0].VehicleID != a.ID || items[1].DriverID == nil || *items[1].DriverID != d.ID {
			t.Errorf("reminders do not name their vehicle and driver: %+v %+v", items[0], items[1])
		}
		if items, _, _ := s.Reminders(ctx, auth.System, 60); len(items) != 5 {
			t.Errorf("reminders for 60 days = %d, want 5", len(items))
		}
		_, _, err = s.Reminders(ctx, auth.System, -1)
		wantRecErr(t, err, fleet.EInvalid, "days")
		_, _, err = s.Reminders(ctx, &auth.Actor{Role: auth.RoleStaff}, 30)
		wantRecErr(t, err, fleet.EForbidden, "")
	})
}
