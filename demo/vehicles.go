package demo

import (
	"context"
	"fmt"

	"fleet"
	"fleet/auth"
	"fleet/dispatch"
)

// vehicleSpec is one demo vehicle. An empty unit means pooled on the platform (平台车辆) under the
// center; a unit means kept by that unit (保留车辆).
type vehicleSpec struct {
	plate  string
	class  string
	seats  int
	energy string
	unit   string
	status string
}

const (
	gas  = "gasoline"
	dsl  = "diesel"
	ev   = "electric"
	hev  = "hybrid"
	phev = "plugin_hybrid"

	avail  = dispatch.StatusAvailable
	maint  = dispatch.StatusMaintenance
	repair = dispatch.StatusRepair
)

// vehicles are the county's 40 official vehicles: 8 kept by units, 32 pooled. Plates of
// new-energy vehicles have 6 characters after 赣K, starting with D (battery) or F (plug-in hybrid);
// police cars end in 警.
var vehicles = []vehicleSpec{
	// Kept by units.
	{"赣KJ0001", dispatch.ClassConfidentialComm, 5, gas, unitCPCOff, avail},
	{"赣KD06801", dispatch.ClassConfidentialComm, 5, ev, unitCPCOff, avail},
	{"赣KJ1203", dispatch.ClassEmergency, 9, dsl, unitHealth, avail},
	{"赣KJ1207", dispatch.ClassEmergency, 7, gas, unitEmerg, avail},
	{"赣K0301警", dispatch.ClassLawEnforcement, 5, gas, unitPolice, avail},
	{"赣K0302警", dispatch.ClassLawEnforcement, 7, hev, unitPolice, avail},
	{"赣KJ2105", dispatch.ClassLawEnforcement, 5, gas, unitMarket, avail},
	{"赣KJ3302", dispatch.ClassSpecialTechnical, 7, dsl, unitEcology, avail},
	// Pooled on the platform.
	{"赣KJ1210", dispatch.ClassEmergency, 7, gas, "", avail},
	{"赣KF03308", dispatch.ClassSpecialTechnical, 7, phev, "", avail},
	{"赣KJ5001", dispatch.ClassGeneral, 5, gas, "", avail},
	{"赣KJ5002", dispatch.ClassGeneral, 5, gas, "", avail},
	{"赣KJ5003", dispatch.ClassGeneral, 5, gas, "", avail},
	{"赣KJ5004", dispatch.ClassGeneral, 5, gas, "", maint},
	{"赣KJ5005", dispatch.ClassGeneral, 5, gas, "", avail},
	{"赣KJ5006", dispatch.ClassGeneral, 5, gas, "", avail},
	{"赣KJ5007", dispatch.ClassGeneral, 7, gas, "", avail},
	{"赣KJ5008", dispatch.ClassGeneral, 7, gas, "", avail},
	{"赣KJ5009", dispatch.ClassGeneral, 5, gas, "", repair},
	{"赣KJ5010", dispatch.ClassGeneral, 5, gas, "", avail},
	{"赣KJ5011", dispatch.ClassGeneral, 9, gas, "", avail},
	{"赣KD05001", dispatch.ClassGeneral, 5, ev, "", avail},
	{"赣KD05002", dispatch.ClassGeneral, 5, ev, "", avail},
	{"赣KD05003", dispatch.ClassGeneral, 5, ev, "", avail},
	{"赣KD05004", dispatch.ClassGeneral, 5, ev, "", avail},
	{"赣KD05005", dispatch.ClassGeneral, 5, ev, "", avail},
	{"赣KD05006", dispatch.ClassGeneral, 5, ev, "", maint},
	{"赣KD05007", dispatch.ClassGeneral, 5, ev, "", avail},
	{"赣KD05008", dispatch.ClassGeneral, 7, ev, "", avail},
	{"赣KJ6001", dispatch.ClassGeneral, 5, hev, "", avail},
	{"赣KJ6002", dispatch.ClassGeneral, 5, hev, "", avail},
	{"赣KJ6003", dispatch.ClassGeneral, 5, hev, "", avail},
	{"赣KJ6004", dispatch.ClassGeneral, 5, hev, "", avail},
	{"赣KF06001", dispatch.ClassGeneral, 5, phev, "", avail},
	{"赣KF06002", dispatch.ClassGeneral, 5, phev, "", avail},
	{"赣KF06003", dispatch.ClassGeneral, 5, phev, "", avail},
	{"赣KF06004", dispatch.ClassGeneral, 7, phev, "", avail},
	{"赣KJ7001", dispatch.ClassGeneral, 14, dsl, "", avail},
	{"赣KJ7002", dispatch.ClassGeneral, 14, dsl, "", avail},
	{"赣KJ7003", dispatch.ClassGeneral, 9, dsl, "", avail},
}

// terminalPhone is the JT/T 808 phone of the i-th demo vehicle's terminal (13907950001, ...); the
// simulated terminals of demo mode use the same numbers.
func terminalPhone(i int) string { return fmt.Sprintf("139079500%02d", i+1) }

// TerminalPhones returns the terminal phones of the demo vehicles, by plate, for the simulator.
func TerminalPhones() map[string]string {
	m := make(map[string]string, len(vehicles))
	for i, v := range vehicles {
		m[v.plate] = terminalPhone(i)
	}
	return m
}

// seedVehicles imports the vehicles missing by plate, in one transaction. A demo vehicle that
// clashes with one stored before (its terminal phone taken) is skipped and named in skipped.
func seedVehicles(ctx context.Context, svc *dispatch.Service, unitIDs map[string]int64, n *Counts, skipped *[]string) error {
	have, err := existingPlates(ctx, svc)
	if err != nil {
		return err
	}
	var rows []dispatch.Row[dispatch.VehicleInput]
	for i, spec := range vehicles {
		if have[spec.plate] {
			continue
		}
		pooled := spec.unit == ""
		unit := unitIDs[unitCenter]
		if !pooled {
			unit = unitIDs[spec.unit]
		}
		rows = append(rows, dispatch.Row[dispatch.VehicleInput]{Line: i + 1, Input: dispatch.VehicleInput{
			Plate: spec.plate, Class: spec.class, Seats: spec.seats, Energy: spec.energy,
			TerminalPhone: terminalPhone(i), Pooled: &pooled, UnitID: &unit, Status: spec.status,
		}})
	}
	if len(rows) == 0 {
		return nil
	}
	res, err := svc.ImportVehicles(ctx, auth.System, rows, dispatch.ImportOptions{SkipBad: true})
	if err != nil {
		return err
	}
	n.Vehicles += res.Imported
	*skipped = append(*skipped, skips(res, func(line int) string { return "vehicle " + vehicles[line-1].plate })...)
	return nil
}

// existingPlates returns the plates already stored.
func existingPlates(ctx context.Context, svc *dispatch.Service) (map[string]bool, error) {
	have := map[string]bool{}
	page := fleet.Page{Limit: 500}
	for {
		vs, total, err := svc.ListVehicles(ctx, auth.System, dispatch.VehicleFilter{Page: page})
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			have[v.Plate] = true
		}
		page.Offset += len(vs)
		if len(vs) == 0 || int64(page.Offset) >= total {
			return have, nil
		}
	}
}

// skips describes the rows an import skipped; name names a row by its line.
func skips(res *dispatch.ImportResult, name func(line int) string) []string {
	var out []string
	for _, e := range res.Errors {
		out = append(out, fmt.Sprintf("%s: %s %s", name(e.Line), e.Field, e.Reason))
	}
	return out
}
