package demo

import (
	"context"
	"time"

	"fleet/tracking"
)

// The misuses of the month (公车私用): drives with no task, which the pipeline's detectors catch
// as they would live — one at lunchtime on a working day, one on a Saturday evening (off hours
// too), one out of the county to a resort (out of area too). The vehicles are kept by units
// that file no requests here, so they are never on a task.

// misuse is one drive with no task.
type misuse struct {
	plate   string
	share   float64 // how far into the history, roughly (it moves to the weekday wanted)
	weekday time.Weekday
	hour    int
	minute  int
	to      town
	stay    time.Duration
	ackNote string // the dispatcher's note when they acknowledge it the next day ("": left open)
}

var misuses = []misuse{
	{plate: "赣KJ2105", share: 0.3, weekday: time.Wednesday, hour: 12, minute: 10, to: towns[4], stay: 40 * time.Minute,
		ackNote: "已核实：驾驶员午休时间私自用车回家，已约谈并通报"},
	{plate: "赣KJ3302", share: 0.45, weekday: time.Saturday, hour: 19, minute: 40, to: towns[1], stay: 70 * time.Minute},
	{plate: "赣KJ2105", share: 0.6, weekday: time.Friday, hour: 15, minute: 5, stay: 90 * time.Minute,
		to: town{name: "邻县温泉度假村", lat: 28.0310, lng: 114.4230, sites: []string{"停车场"}, outside: true}},
}

// scheduleMisuse queues the month's misuse drives (the ones that fit before end).
func (h *history) scheduleMisuse(start, end time.Time) {
	byPlate := map[string]*fleetCar{}
	for _, c := range h.vehicles {
		byPlate[c.v.Plate] = c
	}
	for _, m := range misuses {
		car, ok := byPlate[m.plate]
		if !ok {
			continue
		}
		leave, ok := misuseDay(start, end, m)
		if !ok {
			continue
		}
		d := h.misuseDrive(car, leave, m)
		m := m
		h.schedule(d.at.Add(time.Minute), nil, func(ctx context.Context, h *history, _ *trip) error {
			return h.caught(ctx, d, m)
		})
	}
}

// misuseDay is when the misuse drive leaves: on the weekday wanted nearest after its share of
// the history (or before it, when that is too late), early enough to be over by end.
func misuseDay(start, end time.Time, m misuse) (time.Time, bool) {
	days := int(end.Sub(start).Hours() / 24)
	target := start.AddDate(0, 0, int(m.share*float64(days)))
	fits := func(d time.Time) bool {
		l := at(d, m.hour, m.minute)
		return !l.Before(start) && l.Add(6*time.Hour).Before(end)
	}
	for i := 0; i < 7; i++ {
		if d := target.AddDate(0, 0, i); d.Weekday() == m.weekday && fits(d) {
			return at(d, m.hour, m.minute), true
		}
		if d := target.AddDate(0, 0, -i); d.Weekday() == m.weekday && fits(d) {
			return at(d, m.hour, m.minute), true
		}
	}
	return time.Time{}, false
}

// misuseDrive draws the drive: from the parking point along the town's road to a site, a stay,
// and back.
func (h *history) misuseDrive(car *fleetCar, leave time.Time, m misuse) *tracker {
	tr := newTracker(h.rng, car.v.ID, leave, car.parking, car.terminalKm, slowZones())
	there := m.to.site(0)
	centre := spot{lat: m.to.lat, lng: m.to.lng}
	out := []leg{{streets(car.parking, hub), cruiseStreet}, {roadTo(m.to), roadCruise(m.to)}, {streets(centre, there), cruiseStreet}}
	back := []leg{{streets(there, centre), cruiseStreet}, {reversed(roadTo(m.to)), roadCruise(m.to)}, {streets(hub, car.parking), cruiseStreet}}
	tr.drive(out)
	tr.park(m.stay)
	tr.drive(back)
	tr.park(8 * time.Minute)
	car.terminalKm = tr.odometer
	return tr
}

// caught stores the drive (the detectors raise the misuse); the dispatcher acknowledges it the
// next morning when the plan says so.
func (h *history) caught(ctx context.Context, d *tracker, m misuse) error {
	if err := h.ingest(ctx, d); err != nil {
		return err
	}
	h.res.Misuses++
	if m.ackNote == "" {
		return nil
	}
	next := at(midnight(d.at.In(h.opt.Location)).AddDate(0, 0, 1), 8, 40)
	h.schedule(next, nil, func(ctx context.Context, h *history, _ *trip) error {
		evs, _, err := h.track.ListEvents(ctx, h.dispatcher, tracking.EventFilter{VehicleID: d.vehicleID,
			Type: tracking.EventMisuseNoTask, From: d.points[0].FixedAt, To: d.at.Add(time.Minute)})
		if err != nil {
			return err
		}
		for _, e := range evs {
			if _, err := h.track.AckEvent(ctx, h.dispatcher, e.ID, tracking.AckInput{Note: m.ackNote}); err != nil {
				return err
			}
		}
		return nil
	})
	return nil
}
