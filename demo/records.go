package demo

import (
	"context"
	"fmt"
	"time"

	"fleet"
	"fleet/auth"
	"fleet/dispatch"
	"fleet/tracking"
)

// The demo fleet's records: each vehicle's parking point (one of the county's parking fences),
// range, insurance and annual inspection (a few falling due within 30 days of the seeding day,
// one overdue), some services, and a week's duty roster.

// parkingOf names the parking point of a vehicle by who keeps it: pooled vehicles park at the
// center's garage.
var parkingOf = map[string]string{
	"":          "县机关事务管理中心车库",
	unitCPCOff:  "县委大院停车场",
	unitPolice:  "县公安局停车场",
	unitHealth:  "县人民医院应急车辆停车点",
	unitEmerg:   "县人民医院应急车辆停车点",
	unitMarket:  "县政府大院停车场",
	unitEcology: "县政府大院停车场",
}

// Days from the seeding day to the insurance expiry and the inspection due date of the demo
// vehicles listed (by index in vehicles); the others get dates months away.
var (
	insuranceIn  = map[int]int{13: -6, 2: 9, 10: 17, 25: 26} // 赣KJ5004 (in maintenance) is overdue
	inspectionIn = map[int]int{5: 21, 30: 28}
	serviceIn    = map[int]int{20: 12} // the next service of vehicles 0, 4, 8, ...
)

// parkingPoints returns the demo parking fences by name.
func parkingPoints() map[string]tracking.LatLng {
	m := map[string]tracking.LatLng{}
	for _, f := range demoFences {
		if f.Kind == tracking.FenceParking && f.Center != nil {
			m[f.Name] = *f.Center
		}
	}
	return m
}

// seedVehicleRecords gives the demo vehicles that have none yet their parking point and range,
// and an insurance, inspection and (every fourth) maintenance record, which set the vehicle's
// dates. Vehicles are matched by plate; what a vehicle already has is left alone.
func seedVehicleRecords(ctx context.Context, svc *dispatch.Service, today time.Time, n *Counts) error {
	stored, err := vehiclesByPlate(ctx, svc)
	if err != nil {
		return err
	}
	points := parkingPoints()
	for i, spec := range vehicles {
		v, ok := stored[spec.plate]
		if !ok {
			continue
		}
		if v.ParkingName == "" {
			if err := setParking(ctx, svc, v, parkingOf[spec.unit], points, i); err != nil {
				return fmt.Errorf("%s: %w", v.Plate, err)
			}
		}
		day := func(d int) time.Time { return today.AddDate(0, 0, d) }
		var recs []dispatch.RecordInput
		if v.InsuranceExpiry == nil {
			due := day(offset(insuranceIn, i, 45+(i*37)%320))
			recs = append(recs, dispatch.RecordInput{Kind: dispatch.RecordInsurance, Date: ymd(due.AddDate(-1, 0, 1)),
				DueDate: ymd(due), Cost: float64(3200 + (i*173)%2800), Note: "交强险及商业险"})
		}
		if v.InspectionDue == nil {
			due := day(offset(inspectionIn, i, 60+(i*53)%300))
			recs = append(recs, dispatch.RecordInput{Kind: dispatch.RecordInspection, Date: ymd(due.AddDate(-1, 0, 1)),
				DueDate: ymd(due), Cost: 260, Note: "年检合格"})
		}
		if i%4 == 0 && v.MaintenanceDue == nil {
			due := day(offset(serviceIn, i, 90+(i*29)%90))
			recs = append(recs, dispatch.RecordInput{Kind: dispatch.RecordMaintenance, Date: ymd(due.AddDate(0, -6, 0)),
				DueDate: ymd(due), Cost: float64(450 + (i*61)%500), Note: "常规保养：机油、机滤"})
		}
		for _, in := range recs {
			if _, err := svc.AddVehicleRecord(ctx, auth.System, v.ID, in); err != nil {
				return fmt.Errorf("%s %s record: %w", v.Plate, in.Kind, err)
			}
			n.Records++
		}
	}
	return nil
}

func offset(m map[int]int, i, def int) int {
	if d, ok := m[i]; ok {
		return d
	}
	return def
}

func ymd(t time.Time) string { return t.Format(time.DateOnly) }

// setParking writes the vehicle's parking point, and the range of a new-energy vehicle, keeping
// the rest of its record.
func setParking(ctx context.Context, svc *dispatch.Service, v dispatch.Vehicle, name string, points map[string]tracking.LatLng, i int) error {
	p, ok := points[name]
	if !ok {
		return fmt.Errorf("no demo parking point %s", name)
	}
	in := dispatch.VehicleInput{Plate: v.Plate, Class: v.Class, Seats: v.Seats, Energy: v.Energy, TerminalPhone: v.TerminalPhone,
		Pooled: &v.Pooled, UnitID: v.UnitID, Status: v.Status, OdometerKm: v.OdometerKm, RangeKm: v.RangeKm,
		ParkingName: name, ParkingLat: &p.Lat, ParkingLng: &p.Lng}
	if v.RegisteredOn != nil {
		in.RegisteredOn = ymd(*v.RegisteredOn)
	}
	if in.RangeKm == nil {
		switch v.Energy {
		case dispatch.EnergyElectric:
			r := 380 + (i%3)*60 // km on a charge
			in.RangeKm = &r
		case dispatch.EnergyPluginHybrid:
			r := 80 // electric range
			in.RangeKm = &r
		}
	}
	_, err := svc.UpdateVehicle(ctx, auth.System, v.ID, in)
	return err
}

// vehiclesByPlate returns the stored vehicles by plate.
func vehiclesByPlate(ctx context.Context, svc *dispatch.Service) (map[string]dispatch.Vehicle, error) {
	out := map[string]dispatch.Vehicle{}
	page := fleet.Page{Limit: 500}
	for {
		vs, total, err := svc.ListVehicles(ctx, auth.System, dispatch.VehicleFilter{Page: page})
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			out[v.Plate] = v
		}
		page.Offset += len(vs)
		if len(vs) == 0 || int64(page.Offset) >= total {
			return out, nil
		}
	}
}

// standbyPool are the demo drivers (by index in drivers) who take turns at the 24-hour standby
// (24小时轮值); the other fleet-section drivers on duty work day shifts.
var standbyPool = []int{13, 14, 15, 16}

// Day shifts run 08:00–17:30, county time; standbys hand over at 08:00.
const (
	shiftStartHour, shiftEndHour, shiftEndMin = 8, 17, 30
	standbyHour                               = 8
)

// seedRoster fills the week from the seeding day: the fleet section's drivers on duty work day
// shifts five days in seven (their rest days staggered), and the standby pool rotates one
// 24-hour standby a day. The rotation counts days from 1970, so a run on a later day continues
// it; an entry whose driver already has one overlapping it is left out, so running again adds
// only the days that are new.
func seedRoster(ctx context.Context, svc *dispatch.Service, today time.Time, loc *time.Location, n *Counts) error {
	ids, err := driversByPhone(ctx, svc)
	if err != nil {
		return err
	}
	start := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, loc)
	have, _, err := svc.ListShifts(ctx, auth.System, dispatch.ShiftFilter{
		From: start.Add(-24 * time.Hour).Format(time.RFC3339), To: start.AddDate(0, 0, 8).Format(time.RFC3339)})
	if err != nil {
		return err
	}
	busy := func(driver int64, from, to time.Time) bool {
		for _, s := range have {
			if s.DriverID == driver && s.Start.Before(to) && s.End.After(from) {
				return true
			}
		}
		return false
	}
	inPool := map[int]bool{}
	for _, i := range standbyPool {
		inPool[i] = true
	}
	var plan []dispatch.ShiftInput
	add := func(driver int64, from, to time.Time, kind, note string) {
		if !busy(driver, from, to) {
			plan = append(plan, dispatch.ShiftInput{DriverID: driver, Start: from.Format(time.RFC3339), End: to.Format(time.RFC3339),
				Kind: kind, Note: note})
		}
	}
	for d := 0; d < 7; d++ {
		day := time.Date(start.Year(), start.Month(), start.Day()+d, 0, 0, 0, 0, loc)
		epochDay := int(time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC).Unix() / 86400)
		if d, ok := ids[driverPhone(standbyPool[epochDay%len(standbyPool)])]; ok && d.Status == dispatch.DriverOnDuty {
			from := day.Add(standbyHour * time.Hour)
			add(d.ID, from, from.Add(24*time.Hour), dispatch.ShiftStandby, "24小时轮值")
		}
		for i, spec := range drivers {
			d, ok := ids[driverPhone(i)]
			if !ok || inPool[i] || spec.unit != unitFleet || d.Status != dispatch.DriverOnDuty || (epochDay+i)%7 < 2 {
				continue
			}
			add(d.ID, day.Add(shiftStartHour*time.Hour), day.Add(shiftEndHour*time.Hour+shiftEndMin*time.Minute), dispatch.ShiftWork, "")
		}
	}
	out, err := svc.CreateShifts(ctx, auth.System, plan)
	if err != nil {
		return err
	}
	n.Shifts += len(out)
	return nil
}

// driversByPhone returns the stored drivers by phone.
func driversByPhone(ctx context.Context, svc *dispatch.Service) (map[string]dispatch.Driver, error) {
	out := map[string]dispatch.Driver{}
	page := fleet.Page{Limit: 500}
	for {
		ds, total, err := svc.ListDrivers(ctx, auth.System, dispatch.DriverFilter{Page: page})
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			out[d.Phone] = d
		}
		page.Offset += len(ds)
		if len(ds) == 0 || int64(page.Offset) >= total {
			return out, nil
		}
	}
}
