package energy

import (
	"fleet"
	"fleet/auth"
)

// Unit scope: the route guards let leaders read the energy figures; the service limits them to
// their own unit here, so that no read forgets it.

// scopeUnit returns the unit a read is limited to: the asked one (0: every unit) for roles that
// see all units; the actor's own unit for the others, who get 403 when they ask for another.
func scopeUnit(a *auth.Actor, asked int64) (int64, error) {
	if a.SeesAllUnits() {
		return asked, nil
	}
	if asked != 0 && asked != a.UnitID {
		return 0, fleet.Errorf(fleet.EForbidden, "you see only your own unit's energy figures")
	}
	return a.UnitID, nil
}

// checkUnit returns 403 unless the actor may see records of unit.
func checkUnit(a *auth.Actor, unit int64) error {
	if a.SeesAllUnits() || unit == a.UnitID {
		return nil
	}
	return fleet.Errorf(fleet.EForbidden, "you see only your own unit's energy figures")
}
