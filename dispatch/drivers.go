package dispatch

import (
	"context"
	"fmt"

	"fleet"
	"fleet/auth"
)

// DriverFilter narrows ListDrivers.
type DriverFilter struct {
	fleet.Page
	Status string
	UnitID int64
}

// CreateDriver adds a driver; the phone must be new (409 otherwise).
func (s *Service) CreateDriver(ctx context.Context, a *auth.Actor, in DriverInput) (*Driver, error) {
	if err := a.Require(auth.PermDriversWrite); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	d, err := s.insertDriver(ctx, in, s.now())
	if err != nil {
		return nil, err
	}
	s.changed(ctx)
	s.record(ctx, a, "driver_create", driverTarget(d.ID), d.Name)
	return d, nil
}

// UpdateDriver replaces a driver's record.
func (s *Service) UpdateDriver(ctx context.Context, a *auth.Actor, id int64, in DriverInput) (*Driver, error) {
	if err := a.Require(auth.PermDriversWrite); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	d, err := s.updateDriver(ctx, id, in, s.now())
	if err != nil {
		return nil, err
	}
	s.changed(ctx)
	s.record(ctx, a, "driver_update", driverTarget(id), d.Name+" "+d.Status)
	return d, nil
}

// DeleteDriver removes a driver record.
func (s *Service) DeleteDriver(ctx context.Context, a *auth.Actor, id int64) error {
	if err := a.Require(auth.PermDriversWrite); err != nil {
		return err
	}
	d, err := s.getDriver(ctx, id)
	if err != nil {
		return err
	}
	if err := s.deleteDriver(ctx, id); err != nil {
		return err
	}
	s.changed(ctx)
	s.record(ctx, a, "driver_delete", driverTarget(id), d.Name)
	return nil
}

// GetDriver returns one driver.
func (s *Service) GetDriver(ctx context.Context, a *auth.Actor, id int64) (*Driver, error) {
	if err := a.Require(auth.PermDriversRead); err != nil {
		return nil, err
	}
	return s.getDriver(ctx, id)
}

// ListDrivers returns drivers matching f and the total count.
func (s *Service) ListDrivers(ctx context.Context, a *auth.Actor, f DriverFilter) ([]Driver, int64, error) {
	if err := a.Require(auth.PermDriversRead); err != nil {
		return nil, 0, err
	}
	f.Page = f.Page.Normalize()
	return s.listDrivers(ctx, f)
}

func driverTarget(id int64) string { return fmt.Sprintf("driver:%d", id) }
