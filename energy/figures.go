package energy

import (
	"sort"
	"time"

	"fleet/dispatch"
)

// KindFigure is one kind's use in a period: the amount in the kind's base unit and its
// standard coal and CO2. Water and PV generation carry no tce: they are not in 综合能耗.
type KindFigure struct {
	Amount        float64 `json:"amount"`
	UOM           string  `json:"uom"`
	TCE           float64 `json:"tce"`
	CO2Kg         float64 `json:"co2_kg"`
	VehicleAmount float64 `json:"vehicle_amount"` // the part the fleet's trips refuelled or charged
}

// facts are what a period's figures are computed from.
type facts struct {
	meters   []meterRow
	spans    map[int64]span
	bounds   []time.Time         // the periods' boundaries, oldest first
	brackets map[int64][]bracket // per meter, one per boundary
	trips    []dispatch.FuelTrip
	coef     map[string]float64 // kgce per base unit
	co2      map[string]float64 // kg CO2 per base unit
	set      Settings
	center   int64 // the unit pooled vehicles without a unit count for; 0: the fleet's own line
}

// tally is one unit's (or building's) use in one period.
type tally struct {
	amount  map[string]float64 // kind → base units, meters and trips
	vehicle map[string]float64 // kind → base units from the trips
}

func newTally() *tally { return &tally{amount: map[string]float64{}, vehicle: map[string]float64{}} }

func (t *tally) add(o *tally) {
	for k, v := range o.amount {
		t.amount[k] += v
	}
	for k, v := range o.vehicle {
		t.vehicle[k] += v
	}
}

// kgce is the tally's comprehensive energy use in kg of standard coal; vehicles only when set.
func (t *tally) kgce(coef map[string]float64, vehicles bool) float64 {
	src := t.amount
	if vehicles {
		src = t.vehicle
	}
	sum := 0.0
	for k, v := range src {
		if inTotal(k) {
			sum += v * coef[k]
		}
	}
	return sum
}

func (t *tally) co2(f map[string]float64) float64 {
	sum := 0.0
	for k, v := range t.amount {
		sum += v * f[k]
	}
	return sum
}

// Figures are rounded only to drop floating-point noise: tce to 1 mg of standard coal, amounts
// and CO2 to 6 decimals, so hand-computed values match to the last digit shown.

func tce(kgce float64) float64 { return round(kgce/1000, 9) }
func qty(v float64) float64    { return round(v, 6) }

// byKind is the tally per kind.
func (t *tally) byKind(coef, co2 map[string]float64) map[string]*KindFigure {
	out := map[string]*KindFigure{}
	for k, v := range t.amount {
		kf := &KindFigure{Amount: qty(v), UOM: BaseUOM[k], CO2Kg: qty(v * co2[k]), VehicleAmount: qty(t.vehicle[k])}
		if inTotal(k) {
			kf.TCE = tce(v * coef[k])
		}
		out[k] = kf
	}
	return out
}

// buildingUse is the part of the comprehensive use measured by a building's meters (no fleet).
func (t *tally) buildingKgce(coef map[string]float64) float64 {
	return t.kgce(coef, false) - t.kgce(coef, true)
}

// pvShare is PV generation over the buildings' electricity use (grid plus PV), nil without PV.
func (t *tally) pvShare() *float64 {
	pv := t.amount[KindPV]
	if pv <= 0 {
		return nil
	}
	grid := t.amount[KindElectricity] - t.vehicle[KindElectricity]
	return ptr(round(pv/(grid+pv), 4))
}

// period tallies period i (bounds[i] to bounds[i+1]) per unit and per building.
func (f *facts) period(i int) (units map[int64]*tally, buildings map[int64]*tally) {
	units, buildings = map[int64]*tally{}, map[int64]*tally{}
	get := func(m map[int64]*tally, id int64) *tally {
		if m[id] == nil {
			m[id] = newTally()
		}
		return m[id]
	}
	for _, m := range f.meters {
		br := f.brackets[m.ID]
		if len(br) <= i+1 {
			continue
		}
		factor, ok := toBase(m.Kind, m.UOM, f.set.Densities)
		if !ok {
			continue
		}
		amount := rise(br[i], br[i+1], f.bounds[i], f.bounds[i+1]) * m.Multiplier * factor
		if amount == 0 && !f.spans[m.ID].live(f.bounds[i], f.bounds[i+1]) {
			continue
		}
		get(units, m.UnitID).amount[m.Kind] += amount
		if m.BuildingID != nil {
			get(buildings, *m.BuildingID).amount[m.Kind] += amount
		}
	}
	for _, t := range f.trips {
		if t.ReturnedAt.Before(f.bounds[i]) || !t.ReturnedAt.Before(f.bounds[i+1]) {
			continue
		}
		u := get(units, f.tripUnit(t))
		for kind, amount := range f.tripUse(t) {
			u.amount[kind] += amount
			u.vehicle[kind] += amount
		}
	}
	return units, buildings
}

// covered tells, for every unit with a meter in service during period i, whether all its meters
// had readings bracketing the period: a period is compared against only where it was read.
func (f *facts) covered(i int) map[int64]bool {
	out := map[int64]bool{}
	for _, m := range f.meters {
		sp := f.spans[m.ID]
		if !sp.live(f.bounds[i], f.bounds[i+1]) {
			continue
		}
		ok := sp.missing(f.bounds[i], f.bounds[i+1], f.brackets[m.ID][i], f.brackets[m.ID][i+1]) == ""
		if prev, seen := out[m.UnitID]; !seen || prev {
			out[m.UnitID] = ok
		}
	}
	return out
}

// comparable says whose figures of a period may be compared with the periods covered now: a
// unit whose meters were all read through every one of them (a unit without meters, whose use
// is only its vehicles', always).
func comparable(now map[int64]bool, then ...map[int64]bool) func(unit int64) bool {
	return func(unit int64) bool {
		if _, metered := now[unit]; !metered {
			for _, m := range then {
				if _, before := m[unit]; before {
					return false
				}
			}
			return true
		}
		for _, m := range then {
			if !m[unit] {
				return false
			}
		}
		return true
	}
}

// tripUnit is the unit a trip's fuel counts for: the vehicle's unit, else the center's (pooled
// vehicles), else 0, the fleet's own line.
func (f *facts) tripUnit(t dispatch.FuelTrip) int64 {
	if t.UnitID != nil {
		return *t.UnitID
	}
	return f.center
}

// tripUse converts a trip's litres to kg of diesel (diesel vehicles) or gasoline (every other
// vehicle that burns fuel) by the density settings, and its charge to kWh of electricity.
func (f *facts) tripUse(t dispatch.FuelTrip) map[string]float64 {
	out := map[string]float64{}
	if t.FuelL > 0 {
		if t.Energy == dispatch.EnergyDiesel {
			out[KindDiesel] = t.FuelL * f.set.Densities.Diesel
		} else {
			out[KindGasoline] = t.FuelL * f.set.Densities.Gasoline
		}
	}
	if t.ChargeKwh > 0 {
		out[KindElectricity] = t.ChargeKwh
	}
	return out
}

// sortedIDs lists a map's keys in order.
func sortedIDs[T any](m map[int64]T) []int64 {
	ids := make([]int64, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}
