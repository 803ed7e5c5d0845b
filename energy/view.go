package energy

import (
	"sort"
	"time"

	"gorm.io/gorm"
)

// fleetLine names the line of pooled vehicles that belong to no unit when the center's unit is
// missing.
const fleetLine = "公务用车（未归属单位）"

// view turns a period's tallies into the figures one reader sees: names, the units' bases and
// the unit scope (0: every unit).
type view struct {
	scope     int64
	names     map[int64]string
	codes     map[int64]string
	bases     map[int64]*UnitBasis
	buildings map[int64]buildingRow
	coef, co2 map[string]float64
	lastAt    map[int64]readingRow
	flaggedN  map[int64]int
}

func (s *Service) newView(db *gorm.DB, f *facts, scope int64) (*view, error) {
	v := &view{scope: scope, names: map[int64]string{0: fleetLine}, codes: map[int64]string{}, coef: f.coef, co2: f.co2,
		buildings: map[int64]buildingRow{}}
	units, err := allUnits(db)
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		v.names[u.ID] = u.Name
		if u.Code != nil {
			v.codes[u.ID] = *u.Code
		}
	}
	if v.bases, err = loadBases(db); err != nil {
		return nil, err
	}
	bs, err := allBuildings(db)
	if err != nil {
		return nil, err
	}
	for _, b := range bs {
		v.buildings[b.ID] = b
	}
	ids := make([]int64, len(f.meters))
	for i, m := range f.meters {
		ids[i] = m.ID
	}
	if v.lastAt, err = latestOK(db, ids); err != nil {
		return nil, err
	}
	if v.flaggedN, err = flaggedCounts(db, ids); err != nil {
		return nil, err
	}
	return v, nil
}

func (v *view) sees(unit int64) bool { return v.scope == 0 || unit == v.scope }

// figure is one unit's (or the county's) figures from its tally and its headcount and area.
func (v *view) figure(id int64, t *tally, headcount int, areaM2 float64) UnitFigure {
	kg := t.kgce(v.coef, false)
	vkg := t.kgce(v.coef, true)
	u := UnitFigure{UnitID: id, UnitName: v.names[id], TCE: tce(kg), CO2Kg: qty(t.co2(v.co2)),
		ByKind: t.byKind(v.coef, v.co2), VehicleTCE: tce(vkg), BuildingTCE: tce(kg - vkg),
		Headcount: headcount, AreaM2: areaM2, PVShare: t.pvShare(), Complete: true}
	if headcount > 0 {
		u.PerCapitaKgce = ptr(round(kg/float64(headcount), 2))
		if w, ok := t.amount[KindWater]; ok {
			u.WaterPerCapitaM3 = ptr(round(w/float64(headcount), 3))
		}
	}
	if areaM2 > 0 {
		u.PerM2Kgce = ptr(round((kg-vkg)/areaM2, 3))
	}
	return u
}

// units lists the figures of every unit in scope with any meter in service or any trip, with
// last year's tce beside them where that year was read as fully (compare), and the county's
// figures over them.
func (v *view) units(now, lastYear map[int64]*tally, compare func(int64) bool, c *Completeness) ([]UnitFigure, UnitFigure) {
	incomplete := map[int64]bool{}
	for _, m := range c.Missing {
		incomplete[m.UnitID] = true
	}
	var out []UnitFigure
	total, totalLY := newTally(), newTally()
	var people int
	var area float64
	var perM2Kg float64
	all := true
	for _, id := range sortedIDs(now) {
		if !v.sees(id) {
			continue
		}
		t := now[id]
		b := v.bases[id]
		if b == nil {
			b = &UnitBasis{}
		}
		u := v.figure(id, t, b.Headcount, b.AreaM2)
		u.Complete = !incomplete[id]
		if ly := lastYear[id]; ly != nil && compare(id) {
			u.LastYearTCE, u.YoYPct = change(u.TCE, ly.kgce(v.coef, false)/1000)
			totalLY.add(ly)
		} else if !compare(id) {
			all = false
		}
		total.add(t)
		people += b.Headcount
		if b.AreaM2 > 0 {
			area += b.AreaM2
			perM2Kg += t.buildingKgce(v.coef)
		}
		out = append(out, u)
	}
	v.sortUnits(out)
	county := v.figure(v.scope, total, people, 0)
	county.UnitName = "合计"
	if v.scope != 0 {
		county.UnitName = v.names[v.scope]
	}
	county.AreaM2 = round(area, 2)
	if area > 0 {
		county.PerM2Kgce = ptr(round(perM2Kg/area, 3))
	}
	county.Complete = c.Complete
	if all {
		county.LastYearTCE, county.YoYPct = change(county.TCE, totalLY.kgce(v.coef, false)/1000)
	}
	return out, county
}

// change is last year's tce and this year's change against it in %, when there was any.
func change(now, last float64) (*float64, *float64) {
	if last <= 0 {
		return nil, nil
	}
	return ptr(round(last, 9)), ptr(round((now-last)/last*100, 2))
}

// completeness checks period i's meters in scope.
func (v *view) completeness(f *facts, i int) Completeness {
	from, to := f.bounds[i], f.bounds[i+1]
	c := Completeness{Complete: true, Missing: []Missing{}}
	for _, m := range f.meters {
		sp := f.spans[m.ID]
		if !v.sees(m.UnitID) || !sp.live(from, to) {
			continue
		}
		c.Meters++
		side := sp.missing(from, to, f.brackets[m.ID][i], f.brackets[m.ID][i+1])
		if side == "" {
			continue
		}
		c.Complete = false
		miss := Missing{MeterID: m.ID, MeterName: m.Name, Kind: m.Kind, UnitID: m.UnitID, UnitName: v.names[m.UnitID], Side: side,
			Flagged: v.flaggedN[m.ID]}
		if m.BuildingID != nil {
			miss.BuildingName = v.buildings[*m.BuildingID].Name
		}
		if r, ok := v.lastAt[m.ID]; ok {
			miss.LastAt = ptr(r.At.UTC())
		}
		c.Missing = append(c.Missing, miss)
	}
	sort.SliceStable(c.Missing, func(a, b int) bool {
		return v.codes[c.Missing[a].UnitID] < v.codes[c.Missing[b].UnitID]
	})
	return c
}

// flagged counts the readings of [from, to] held for review, of meters in scope.
func (v *view) flagged(db *gorm.DB, from, to time.Time) (int, error) {
	per, err := flaggedBetween(db, from, to)
	if err != nil || v.scope == 0 {
		n := 0
		for _, c := range per {
			n += c
		}
		return n, err
	}
	meters, err := metersByID(db, sortedIDs(per))
	if err != nil {
		return 0, err
	}
	n := 0
	for id, c := range per {
		if m := meters[id]; m != nil && m.UnitID == v.scope {
			n += c
		}
	}
	return n, nil
}

// buildings lists the buildings' figures per m² (building meters only: the fleet has none).
func (v *view) buildingFigures(f *facts, per map[int64]*tally) []BuildingFigure {
	out := []BuildingFigure{}
	for _, id := range sortedIDs(per) {
		t := per[id]
		b := v.buildings[id]
		kg := t.kgce(v.coef, false)
		bf := BuildingFigure{BuildingID: id, Name: b.Name, TCE: tce(kg), AreaM2: toM2(b.area()), PVShare: t.pvShare()}
		if b.area() > 0 {
			bf.PerM2Kgce = ptr(round(kg/toM2(b.area()), 3))
		}
		out = append(out, bf)
	}
	return out
}

// vehicles lists period i's fuel and charge per vehicle in scope.
func (v *view) vehicles(f *facts, i int) []VehicleLine {
	byID := map[int64]*VehicleLine{}
	for _, t := range f.trips {
		if t.ReturnedAt.Before(f.bounds[i]) || !t.ReturnedAt.Before(f.bounds[i+1]) {
			continue
		}
		unit := f.tripUnit(t)
		if !v.sees(unit) {
			continue
		}
		l := byID[t.VehicleID]
		if l == nil {
			l = &VehicleLine{VehicleID: t.VehicleID, Plate: t.Plate, Energy: t.Energy, UnitID: unit, UnitName: v.names[unit]}
			byID[t.VehicleID] = l
		}
		l.Trips++
		l.FuelL += t.FuelL
		l.ChargeKwh += t.ChargeKwh
		use := newTally()
		for k, a := range f.tripUse(t) {
			use.amount[k] = a
			if k != KindElectricity {
				l.FuelKg += a
			}
		}
		l.TCE += use.kgce(v.coef, false) / 1000
	}
	out := make([]VehicleLine, 0, len(byID))
	for _, id := range sortedIDs(byID) {
		l := byID[id]
		l.FuelL, l.FuelKg, l.ChargeKwh, l.TCE = round(l.FuelL, 2), round(l.FuelKg, 3), round(l.ChargeKwh, 2), round(l.TCE, 9)
		out = append(out, *l)
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Plate < out[b].Plate })
	return out
}
