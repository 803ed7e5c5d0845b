package dispatch

import (
	"context"
	"fmt"
	"strings"

	"fleet"
	"fleet/auth"
)

// AddVehicleRecord adds a maintenance, repair, insurance, inspection or disinfection record to a
// vehicle, in one transaction with what it changes on the vehicle: an insurance or inspection
// record sets the insurance expiry or inspection due date, a maintenance record the next service,
// and an odometer reading the vehicle's odometer (400 naming odometer_km when it goes backwards).
func (s *Service) AddVehicleRecord(ctx context.Context, a *auth.Actor, vehicleID int64, in RecordInput) (*VehicleRecord, error) {
	if err := a.Require(auth.PermRecordsWrite); err != nil {
		return nil, err
	}
	now := s.now()
	if err := in.validate(now, s.loc); err != nil {
		return nil, err
	}
	name := ""
	if a != nil && a.UserID != 0 {
		name = a.Name
	}
	r, err := s.insertRecord(ctx, vehicleID, in, actorID(a), name, now)
	if err != nil {
		return nil, err
	}
	s.changed(ctx)
	s.record(ctx, a, "vehicle_record_add", vehicleTarget(vehicleID), recordDetail(r))
	return r, nil
}

// ListVehicleRecords returns a vehicle's records, newest first, and their count.
func (s *Service) ListVehicleRecords(ctx context.Context, a *auth.Actor, vehicleID int64, f RecordFilter) ([]VehicleRecord, int64, error) {
	if err := a.Require(auth.PermRecordsRead); err != nil {
		return nil, 0, err
	}
	if f.Kind != "" && !oneOf(f.Kind, RecordKinds) {
		return nil, 0, fleet.Invalid(map[string]string{"kind": "must be one of " + strings.Join(RecordKinds, ", ")})
	}
	if _, err := s.getVehicle(ctx, vehicleID); err != nil {
		return nil, 0, err
	}
	f.Page = f.Page.Normalize()
	return s.listRecords(ctx, vehicleID, f)
}

// DeleteVehicleRecord removes a record entered by mistake (an admin's); the vehicle's date that
// the record kept goes back to the latest remaining record's.
func (s *Service) DeleteVehicleRecord(ctx context.Context, a *auth.Actor, vehicleID, id int64) error {
	if err := a.Require(auth.PermVehiclesWrite); err != nil {
		return err
	}
	r, err := s.deleteRecord(ctx, vehicleID, id, s.now())
	if err != nil {
		return err
	}
	s.changed(ctx)
	s.record(ctx, a, "vehicle_record_delete", vehicleTarget(vehicleID), recordDetail(r))
	return nil
}

func recordDetail(r *VehicleRecord) string {
	d := fmt.Sprintf("record=%d %s %s cost=%.2f", r.ID, r.Kind, r.Date.Format("2006-01-02"), r.Cost)
	if r.DueDate != nil {
		d += " due=" + r.DueDate.Format("2006-01-02")
	}
	if r.OdometerKm != nil {
		d += fmt.Sprintf(" odometer=%.0f", *r.OdometerKm)
	}
	return d
}
