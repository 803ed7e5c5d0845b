package dispatch

import (
	"context"

	"fleet"
	"fleet/auth"
)

// PhoneVehicle authorises the signed-in driver's phone to report positions for the vehicle of
// one of their tasks, and returns the vehicle: the trip must be under way (409 otherwise), and the
// vehicle must have no terminal of its own (409: two sources would make one track zigzag).
func (d *Desk) PhoneVehicle(ctx context.Context, a *auth.Actor, taskID int64) (int64, error) {
	if err := a.Require(auth.PermDriverTasks); err != nil {
		return 0, err
	}
	tx := d.db.WithContext(ctx)
	dr, err := driverOfUser(tx, a.UserID)
	if err != nil {
		return 0, err
	}
	t, err := getTaskRow(tx, taskID)
	if err != nil {
		return 0, err
	}
	if t.DriverID != dr.ID {
		return 0, fleet.Errorf(fleet.EForbidden, "this is not your task")
	}
	if t.Status != TaskDeparted {
		return 0, conflictOn("status", "positions are taken only while the trip is under way")
	}
	v, err := getVehicleRow(tx, t.VehicleID)
	if err != nil {
		return 0, err
	}
	if v.TerminalPhone != nil && *v.TerminalPhone != "" {
		return 0, conflictOn("vehicle_id", "this vehicle's terminal reports its position")
	}
	return t.VehicleID, nil
}
