package dispatch

import (
	"context"
	"fmt"

	"fleet"
	"fleet/auth"
)

// VehicleFilter narrows ListVehicles.
type VehicleFilter struct {
	fleet.Page
	Status string
	Class  string
	UnitID int64
}

// CreateVehicle adds a vehicle; plate and terminal phone must be new (409 otherwise).
func (s *Service) CreateVehicle(ctx context.Context, a *auth.Actor, in VehicleInput) (*Vehicle, error) {
	if err := a.Require(auth.PermVehiclesWrite); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	v, err := s.insertVehicle(ctx, in, s.now())
	if err != nil {
		return nil, err
	}
	s.changed(ctx)
	s.record(ctx, a, "vehicle_create", vehicleTarget(v.ID), fmt.Sprintf("plate=%s terminal=%s", v.Plate, v.TerminalPhone))
	return v, nil
}

// UpdateVehicle replaces a vehicle's record.
func (s *Service) UpdateVehicle(ctx context.Context, a *auth.Actor, id int64, in VehicleInput) (*Vehicle, error) {
	if err := a.Require(auth.PermVehiclesWrite); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	v, err := s.updateVehicle(ctx, id, in, s.now())
	if err != nil {
		return nil, err
	}
	s.changed(ctx)
	s.record(ctx, a, "vehicle_update", vehicleTarget(id), fmt.Sprintf("plate=%s terminal=%s status=%s", v.Plate, v.TerminalPhone, v.Status))
	return v, nil
}

// DeleteVehicle removes a vehicle record (a vehicle leaving service is better set to retired).
func (s *Service) DeleteVehicle(ctx context.Context, a *auth.Actor, id int64) error {
	if err := a.Require(auth.PermVehiclesWrite); err != nil {
		return err
	}
	v, err := s.getVehicle(ctx, id)
	if err != nil {
		return err
	}
	if err := s.deleteVehicle(ctx, id); err != nil {
		return err
	}
	s.changed(ctx)
	s.record(ctx, a, "vehicle_delete", vehicleTarget(id), "plate="+v.Plate)
	return nil
}

// GetVehicle returns one vehicle.
func (s *Service) GetVehicle(ctx context.Context, a *auth.Actor, id int64) (*Vehicle, error) {
	if err := a.Require(auth.PermVehiclesRead); err != nil {
		return nil, err
	}
	return s.getVehicle(ctx, id)
}

// ListVehicles returns vehicles matching f and the total count.
func (s *Service) ListVehicles(ctx context.Context, a *auth.Actor, f VehicleFilter) ([]Vehicle, int64, error) {
	if err := a.Require(auth.PermVehiclesRead); err != nil {
		return nil, 0, err
	}
	f.Page = f.Page.Normalize()
	return s.listVehicles(ctx, f)
}

// VehicleByTerminal returns the vehicle bound to a terminal phone, in any padding; the tracking
// gateway calls it on registration (no actor: the terminal is not a user).
func (s *Service) VehicleByTerminal(ctx context.Context, phone string) (*Vehicle, error) {
	p, ok := NormalizePhone(phone)
	if !ok {
		return nil, fleet.Errorf(fleet.ENotFound, "no vehicle with terminal %q", phone)
	}
	return s.vehicleByTerminal(ctx, p)
}

func vehicleTarget(id int64) string { return fmt.Sprintf("vehicle:%d", id) }
