package dispatch

import (
	"cmp"
	"slices"
	"time"

	"fleet/dispatch/nearby"
)

// The vehicles' side of the ranking: where each will be, which may serve, at what cost, and the
// pairs they make with the free drivers.

// relocate finds the vehicles that start from the end of an earlier task the same day.
func (r *ranker) relocate() {
	type end struct {
		place
		at time.Time
	}
	ends := map[int64]end{}
	dayLo := dayStart(r.d.from, r.loc)
	r.board.mu.RLock()
	for vid, slots := range r.board.byVehicle {
		for _, s := range slots {
			if s.id == r.d.except || !(taskOpen(s.status) || s.status == TaskCompleted) {
				continue
			}
			at := s.busyUntil(r.now)
			if s.returnedAt != nil {
				at = *s.returnedAt
			}
			if at.After(r.d.from) || at.Before(dayLo) {
				continue
			}
			if e, ok := ends[vid]; !ok || at.After(e.at) {
				ends[vid] = end{place{s.lat, s.lng}, at}
			}
		}
	}
	r.board.mu.RUnlock()
	r.reloc = make(map[int64]place, len(ends))
	for vid, e := range ends {
		r.reloc[vid] = e.place
	}
}

// searchable is the index's filter: the vehicle meets the vehicle constraints and starts from
// where the index has it (not from an earlier task's end).
func (r *ranker) searchable(id int64) bool {
	if _, moved := r.reloc[id]; moved {
		return false
	}
	v, ok := r.snap.vehicles[id]
	return ok && r.vehicleFault(v) == ""
}

// vehicleFault returns why a vehicle cannot serve the demand, or "".
func (r *ranker) vehicleFault(v *Vehicle) string {
	switch {
	case v.Seats < r.d.passengers+r.set.SeatReserve:
		return "vehicle_seats"
	case r.d.class != "" && v.Class != r.d.class:
		return "vehicle_class"
	case !v.Pooled && (v.UnitID == nil || *v.UnitID != r.d.unitID):
		return "vehicle_other_unit"
	}
	if ok, _ := Usable(v, r.d.from, r.d.to); !ok {
		return "vehicle_unusable"
	}
	if v.Energy == EnergyElectric && v.RangeKm != nil && r.d.tripKm > float64(*v.RangeKm) {
		return "vehicle_range"
	}
	if r.booked(r.board.vehicleSlots(v.ID)) {
		return "vehicle_booked"
	}
	return ""
}

// unplacedVehicles returns the vehicles the index has no position for (none reported, no
// parking point) that meet the vehicle constraints, and the vehicles of the applicant's unit
// (with own_unit_first: their bonus may outweigh some distance, so they are always weighed).
func (r *ranker) unplacedVehicles(idx *nearby.Index) (unplaced, own []*Vehicle) {
	for _, v := range r.snap.noParking {
		if _, moved := r.reloc[v.ID]; moved {
			continue
		}
		if _, _, placed := idx.Position(v.ID); !placed && r.vehicleFault(v) == "" {
			unplaced = append(unplaced, v)
		}
	}
	if r.set.OwnUnitFirst {
		for _, v := range r.snap.byUnit[r.d.unitID] {
			if _, moved := r.reloc[v.ID]; moved {
				continue
			}
			if _, _, placed := idx.Position(v.ID); placed && r.vehicleFault(v) == "" {
				own = append(own, v)
			}
		}
	}
	return unplaced, own
}

// vehicleOptions turns the index's hits, the relocated vehicles and the vehicles with no known
// position into priced options, cheapest first.
func (r *ranker) vehicleOptions(hits []nearby.Hit, idx *nearby.Index, want int, radius float64) []vehicleOption {
	opts := make([]vehicleOption, 0, len(hits)+len(r.unplaced)+len(r.own)+8)
	meanT, meanK := r.meanLoad(len(r.snap.vehicles))
	add := func(v *Vehicle, km float64, from string, pos *place) {
		o := vehicleOption{v: v, km: km, from: from, pos: pos}
		o.parts = r.vehicleParts(v, km, meanT, meanK)
		o.partCost = o.parts.sum()
		opts = append(opts, o)
	}
	seen := make(map[int64]bool, len(hits))
	for _, h := range hits {
		v := r.snap.vehicles[h.VehicleID]
		lat, lng, _ := idx.Position(h.VehicleID)
		add(v, h.DistanceKm, r.fromOf(v, idx), &place{lat, lng})
		seen[v.ID] = true
	}
	for _, v := range r.own {
		if !seen[v.ID] {
			lat, lng, _ := idx.Position(v.ID)
			add(v, haversineKm(lat, lng, r.d.lat, r.d.lng), r.fromOf(v, idx), &place{lat, lng})
		}
	}
	// Vehicles ending an earlier task that day are weighed like the index's: those no farther
	// than the farthest hit (all within the radius when the index ran short).
	reach := radius
	if len(hits) == want && want > 0 {
		reach = hits[len(hits)-1].DistanceKm
	}
	for id, p := range r.reloc {
		km := haversineKm(p.lat, p.lng, r.d.lat, r.d.lng)
		if km > reach {
			continue
		}
		if v, ok := r.snap.vehicles[id]; ok && r.vehicleFault(v) == "" {
			add(v, km, FromPrevious, &place{p.lat, p.lng})
		}
	}
	for _, v := range r.unplaced {
		add(v, unknownKm, FromUnknown, nil)
	}
	slices.SortFunc(opts, func(a, b vehicleOption) int {
		return cmp.Or(cmp.Compare(a.partCost, b.partCost), cmp.Compare(a.v.ID, b.v.ID))
	})
	return opts
}

// fromOf says which position the index holds for a vehicle: live holds the reported position
// (the parking point until the vehicle reports), parked the parking point (the reported
// position of a vehicle with none).
func (r *ranker) fromOf(v *Vehicle, idx *nearby.Index) string {
	hasParking := v.ParkingLat != nil && v.ParkingLng != nil
	if idx == r.parked {
		if hasParking {
			return FromParking
		}
		return FromLive
	}
	if r.isReported != nil && r.isReported(v.ID) || !hasParking {
		return FromLive
	}
	return FromParking
}

// vehicleParts prices a vehicle km away from the origin.
func (r *ranker) vehicleParts(v *Vehicle, km, meanT, meanK float64) CostParts {
	w := r.set.Weights
	var p CostParts
	dw := w.DistancePerKm
	if r.d.emergency {
		dw *= w.Emergency
	}
	p.Distance = dw * km
	p.VehicleLoad = w.VehicleLoad * loadOf(r.load.vehicleTasks[v.ID], r.load.vehicleKm[v.ID], meanT, meanK)
	if NewEnergy(v.Energy) && v.RangeKm != nil {
		if r.d.tripKm <= r.set.NewEnergyShare*float64(*v.RangeKm) {
			p.NewEnergy = -w.NewEnergy
		} else {
			p.NewEnergy = w.RangeRisk
		}
	}
	if r.set.OwnUnitFirst && v.UnitID != nil && *v.UnitID == r.d.unitID {
		p.OwnUnit = -w.OwnUnit
	}
	p.SpareSeats = w.SpareSeat * float64(v.Seats-r.d.passengers-r.set.SeatReserve)
	return p
}

// pair gives each vehicle option its cheapest allowed drivers and returns the best limit pairs.
func (r *ranker) pair(opts []vehicleOption, limit int) []Candidate {
	per := r.perVehicle
	if per <= 0 {
		per = driversPerSlot
	}
	type pairing struct {
		opt, drv int
		score    float64
	}
	ps := make([]pairing, 0, len(opts)*per)
	for i := range opts {
		allowed := r.allowed(opts[i].v)
		for k := 0; k < len(allowed) && k < per; k++ {
			ps = append(ps, pairing{i, allowed[k], opts[i].partCost + r.drivers[allowed[k]].cost})
		}
	}
	slices.SortFunc(ps, func(a, b pairing) int {
		return cmp.Or(cmp.Compare(a.score, b.score), cmp.Compare(opts[a.opt].v.ID, opts[b.opt].v.ID),
			cmp.Compare(r.drivers[a.drv].d.ID, r.drivers[b.drv].d.ID))
	})
	if len(ps) > limit {
		ps = ps[:limit]
	}
	out := make([]Candidate, len(ps))
	for i, p := range ps {
		o, dopt := &opts[p.opt], r.drivers[p.drv]
		parts := o.parts
		parts.DriverLoad = dopt.cost
		c := Candidate{VehicleID: o.v.ID, Plate: o.v.Plate, Class: o.v.Class, Seats: o.v.Seats, Energy: o.v.Energy,
			DriverID: dopt.d.ID, Driver: dopt.d.Name, Reasons: roundParts(parts), Score: round2(parts.sum()),
			DistanceKm: round2(o.km), From: o.from}
		if o.pos != nil {
			lat, lng := o.pos.lat, o.pos.lng
			c.Lat, c.Lng = &lat, &lng
		}
		if _, note := LicenceAllows(dopt.d, o.v, r.d.to); note != "" {
			c.Note = note
		}
		out[i] = c
	}
	return out
}
