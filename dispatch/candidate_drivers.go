package dispatch

import (
	"cmp"
	"slices"
	"time"
)

// The drivers' side of the ranking: who is free, within the driving-time limits, at what load,
// and licensed for which vehicles.

// pickDrivers lists the drivers free for the demand, cheapest load first.
func (r *ranker) pickDrivers() {
	newBlocks := plannedBlocks(r.d.from, r.d.to, r.d.tripKm, r.set.AvgSpeedKmh)
	lim := r.set.limits(r.loc)
	aloneOK, _ := checkDriving(slices.Clone(newBlocks), lim) // a driver with no other driving those days
	meanT, meanK := r.meanLoad(len(r.snap.drivers))
	lo, hi := blockSpan(r.d.from, r.d.to, r.loc)
	var scratch []driveBlock
	r.drivers = make([]driverOption, 0, len(r.snap.drivers))
	for _, d := range r.snap.drivers {
		switch {
		case d.Status != DriverOnDuty:
			r.excluded["driver_"+d.Status]++
			continue
		case !r.duty[d.ID]:
			r.excluded["driver_not_rostered"]++
			continue
		}
		slots := r.board.driverSlots(d.ID)
		if r.booked(slots) {
			r.excluded["driver_booked"]++
			continue
		}
		ok := aloneOK
		if len(slots) > 0 {
			scratch = appendTaskBlocks(append(scratch[:0], newBlocks...), slots, lo, hi, r.d.except, r.set.AvgSpeedKmh)
			if len(scratch) > len(newBlocks) {
				ok, _ = checkDriving(scratch, lim)
			}
		}
		if !ok {
			r.excluded["driver_driving_time"]++
			continue
		}
		cost := r.set.Weights.DriverLoad * loadOf(r.load.driverTasks[d.ID], r.load.driverKm[d.ID], meanT, meanK)
		r.drivers = append(r.drivers, driverOption{d: d, cost: cost, lic: r.licenceOf(d)})
	}
	slices.SortFunc(r.drivers, func(a, b driverOption) int {
		return cmp.Or(cmp.Compare(a.cost, b.cost), cmp.Compare(a.d.ID, b.d.ID))
	})
}

// meanLoad returns the mean tasks and km per driver (n drivers) this month.
func (r *ranker) meanLoad(n int) (float64, float64) {
	if n == 0 {
		return 0, 0
	}
	return r.load.totalTasks / float64(n), r.load.totalKm / float64(n)
}

// loadOf is a load relative to the mean: 1 for an average driver or vehicle.
func loadOf(tasks, km, meanTasks, meanKm float64) float64 {
	l := 0.0
	if meanTasks > 0 {
		l += 0.5 * tasks / meanTasks
	}
	if meanKm > 0 {
		l += 0.5 * km / meanKm
	}
	return l
}

// booked reports whether one of the slots books the widened window.
func (r *ranker) booked(slots []*slot) bool {
	for _, s := range slots {
		if s.id != r.d.except && s.overlaps(r.d.from, r.d.to, r.buffer, r.now) {
			return true
		}
	}
	return false
}

// blockSpan is the span whose driving counts for a task over [from, to): its county days and
// the day either side (a stretch may cross midnight).
func blockSpan(from, to time.Time, loc *time.Location) (lo, hi time.Time) {
	return dayStart(from, loc).AddDate(0, 0, -1), dayStart(to, loc).AddDate(0, 0, 2)
}

// appendTaskBlocks appends the driving of the slots whose windows touch [lo, hi) to dst.
func appendTaskBlocks(dst []driveBlock, slots []*slot, lo, hi time.Time, except int64, speed float64) []driveBlock {
	for _, s := range slots {
		if s.id == except || !(taskOpen(s.status) || s.status == TaskCompleted) {
			continue
		}
		if !s.depart.Before(hi) || !s.ret.After(lo) {
			continue
		}
		if len(s.blocks) > 0 {
			dst = append(dst, s.blocks...)
			continue
		}
		start := s.depart
		if s.departedAt != nil {
			start = *s.departedAt
		}
		dst = append(dst, plannedBlocks(start, s.ret, s.plannedKm, speed)...)
	}
	return dst
}

// licenceOf returns the index of the driver's kind of licence in r.licences, adding it.
func (r *ranker) licenceOf(d *Driver) int {
	l := licence{class: d.LicenseClass, valid: d.LicenseExpiry == nil || ValidThrough(*d.LicenseExpiry, r.d.to)}
	for i, x := range r.licences {
		if x.class == l.class && x.valid == l.valid {
			return i
		}
	}
	l.rep = d
	r.licences = append(r.licences, l)
	return len(r.licences) - 1
}

// allowed returns the free drivers (indexes into r.drivers, cheapest first) whose licence allows
// the vehicle. LicenceAllows reads the vehicle's seats and the driver's licence class and
// whether it is valid through the task's end, so it is asked once per kind of vehicle and kind
// of licence.
func (r *ranker) allowed(v *Vehicle) []int {
	k := licKey{v.Seats, v.Class, v.Energy}
	if list, ok := r.byLic[k]; ok {
		return list
	}
	verdict := make([]bool, len(r.licences))
	for i, l := range r.licences {
		verdict[i], _ = LicenceAllows(l.rep, v, r.d.to)
	}
	list := make([]int, 0, len(r.drivers))
	for i, o := range r.drivers {
		if verdict[o.lic] {
			list = append(list, i)
		}
	}
	r.byLic[k] = list
	return list
}
