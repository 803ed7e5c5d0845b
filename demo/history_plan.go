package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

	"fleet/dispatch"
)

// The month's plan: who asks for a car when, where to, and what becomes of the request. Times
// are the county's; working days are Monday to Friday (the roster has weekend shifts, so a few
// weekend trips happen too).

// fate is what becomes of a request.
type fate int

const (
	fateComplete   fate = iota
	fateWithdraw        // the applicant cancels it before it is approved
	fateReject          // the unit head turns it down
	fateCancelLate      // the applicant cancels it after a car was assigned
	fateDecline         // the first driver declines; another one drives
)

// trip is one request of the history, planned, then followed through the desk.
type trip struct {
	unit       *unitPeople
	stops      []stop // the origin, then the destinations
	purpose    string
	passengers int
	emergency  bool
	depart     time.Time // planned, UTC
	ret        time.Time
	filed      time.Time
	decideAt   time.Time // when the unit head decides
	fate       fate
	stars      int    // the rating (0: not rated)
	comment    string // with it
	skewed     bool   // the odometer reading at return is off (a discrepancy to flag)

	// Filled in as the request goes through the desk.
	id, approvalID, taskID int64
	vehicleID, driverID    int64
	declinedBy             int64
	drive                  *tracker
	abandoned              bool // a step was refused: the rest of it does not happen
}

// idOrZero is the trip's request id (0 for a misuse drive, which has no trip).
func (t *trip) idOrZero() int64 {
	if t == nil {
		return 0
	}
	return t.id
}

// planner draws the month's trips.
type planner struct {
	rng *rand.Rand
	loc *time.Location
}

// Shares of the fates, of the ratings and of the odometer discrepancies.
const (
	shareWithdraw   = 0.04
	shareReject     = 0.03
	shareCancelLate = 0.02
	shareDecline    = 0.04
	shareRated      = 0.45
	skewedTrips     = 2
)

// plan returns the trips departing from the day of from up to end, by filing time: perDay on a
// working day (give or take a third), a weekend duty trip now and then, and emergencies — some at
// night or at the weekend.
func (p *planner) plan(from, end time.Time, perDay int) []*trip {
	var out []*trip
	day := midnight(from.In(p.loc))
	for ; day.Before(end); day = day.AddDate(0, 0, 1) {
		n := perDay*2/3 + p.rng.IntN(perDay*2/3+1)
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			n = p.rng.IntN(2)
		}
		for i := 0; i < n; i++ {
			out = append(out, p.workTrip(day, p.applicantUnit(false)))
		}
		if p.rng.Float64() < 0.2 {
			// Any hour from 8:00 to 20:59: the standby drivers' 24 hours run from 8:00.
			out = append(out, p.emergencyTrip(at(day, 8+p.rng.IntN(13), p.rng.IntN(60)), p.applicantUnit(true)))
		}
	}
	var kept []*trip
	for _, t := range out {
		// Only trips over, and decided, by the end: the present belongs to the live demo.
		if !t.ret.Add(30*time.Minute).After(end) && !t.decideAt.After(end) {
			kept = append(kept, t)
		}
	}
	p.fates(kept)
	return kept
}

// workTrip is an ordinary request of the unit: a morning or afternoon trip to one or two sites,
// filed one to three days before (or that morning).
func (p *planner) workTrip(day time.Time, u *unitPeople) *trip {
	t := &trip{unit: u, passengers: 1 + p.rng.IntN(3)}
	if p.rng.Float64() < 0.08 {
		t.passengers = 6 + p.rng.IntN(7) // a group: the minibus
	}
	t.stops = []stop{seatStop(officeOf(u.unit))}
	ti := p.destTown(u)
	to := towns[ti]
	t.stops = append(t.stops, stop{to.site(p.rng.IntN(len(to.sites))), ti})
	if !to.outside && p.rng.Float64() < 0.25 {
		t.stops = append(t.stops, stop{to.site(p.rng.IntN(len(to.sites))), ti})
	}
	t.purpose = fmt.Sprintf(u.purposes[p.rng.IntN(len(u.purposes))], to.name)
	if to.outside {
		t.purpose = "赴市里参加工作会议"
		if u.unit == unitFinance {
			t.purpose = "赴市财政局汇报预算执行情况"
		}
	}
	drive := tripDuration(t.stops)
	morning := p.rng.Float64() < 0.6 || drive > 3*time.Hour
	start := at(day, 8, 30+p.rng.IntN(60))
	latest := at(day, 12, 0)
	if !morning {
		start, latest = at(day, 14, p.rng.IntN(45)), at(day, 17, 20)
	}
	if to.outside {
		latest = at(day, 17, 20)
	}
	stay := time.Duration(40+p.rng.IntN(100)) * time.Minute
	ret := start.Add(drive + stay).Round(15 * time.Minute)
	if ret.After(latest) {
		ret = latest
	}
	if ret.Sub(start) < drive+30*time.Minute {
		ret = start.Add(drive + 30*time.Minute).Round(15 * time.Minute)
	}
	t.depart, t.ret = start.UTC(), ret.UTC()
	t.filed = p.filedBefore(start)
	t.decideAt = p.workingAfter(t.filed.Add(time.Duration(10+p.rng.IntN(150)) * time.Minute))
	if soonest := t.depart.Add(-40 * time.Minute); t.decideAt.After(soonest) {
		// Filed late for an early trip: the head signs it off before it leaves.
		t.decideAt = t.filed.Add(5 * time.Minute)
		if soonest.After(t.decideAt) {
			t.decideAt = soonest
		}
	}
	return t
}

// emergencyTrip is an emergency (应急保障) of the unit leaving at start: filed half an hour
// before, in the queue at once, approved after.
func (p *planner) emergencyTrip(start time.Time, u *unitPeople) *trip {
	ti := p.rng.IntN(len(towns) - 1) // never the city
	to := towns[ti]
	t := &trip{unit: u, passengers: 2 + p.rng.IntN(3), emergency: true}
	t.stops = []stop{seatStop(officeOf(u.unit)), {to.site(p.rng.IntN(len(to.sites))), ti}}
	t.purpose = fmt.Sprintf(u.emergencyPurposes[p.rng.IntN(len(u.emergencyPurposes))], to.name)
	ret := start.Add(tripDuration(t.stops) + time.Duration(60+p.rng.IntN(90))*time.Minute).Round(15 * time.Minute)
	t.depart, t.ret = start.UTC(), ret.UTC()
	t.filed = start.Add(-time.Duration(20+p.rng.IntN(20)) * time.Minute).UTC()
	t.decideAt = ret.Add(time.Duration(30+p.rng.IntN(120)) * time.Minute).UTC()
	return t
}

// fates gives a share of the ordinary requests another end than completion (at least one of
// each, so that even a short history shows every kind), a rating to many of the completed, and
// an odometer discrepancy to two.
func (p *planner) fates(trips []*trip) {
	var plain []*trip
	for _, t := range trips {
		if !t.emergency {
			plain = append(plain, t)
		}
	}
	p.rng.Shuffle(len(plain), func(i, j int) { plain[i], plain[j] = plain[j], plain[i] })
	next := 0
	for _, f := range []struct {
		fate  fate
		share float64
	}{{fateWithdraw, shareWithdraw}, {fateReject, shareReject}, {fateCancelLate, shareCancelLate}, {fateDecline, shareDecline}} {
		n := int(f.share*float64(len(plain)) + 0.5)
		if n == 0 && len(plain) >= 12 {
			n = 1
		}
		for ; n > 0 && next < len(plain); n-- {
			plain[next].fate = f.fate
			next++
		}
	}
	skewed := 0
	for _, t := range plain[next:] {
		if skewed < skewedTrips && len(t.stops) == 2 {
			t.skewed = true
			skewed++
		}
	}
	for _, t := range trips {
		if (t.fate == fateComplete || t.fate == fateDecline) && p.rng.Float64() < shareRated {
			t.stars, t.comment = p.rating()
		}
	}
}

// rating draws stars and, now and then, a comment.
func (p *planner) rating() (int, string) {
	switch r := p.rng.Float64(); {
	case r < 0.6:
		return 5, []string{"", "", "驾驶员准时、热情", "车辆干净，驾驶平稳"}[p.rng.IntN(4)]
	case r < 0.9:
		return 4, []string{"", "整体满意", "到达时间稍晚"}[p.rng.IntN(3)]
	}
	return 3, []string{"车内有异味，请注意通风", "接人时等了近二十分钟"}[p.rng.IntN(2)]
}

// applicantUnit draws a unit that asks for cars (one that has emergencies, when asked).
func (p *planner) applicantUnit(emergency bool) *unitPeople {
	for {
		u := &applicants[p.rng.IntN(len(applicants))]
		if !emergency || len(u.emergencyPurposes) > 0 {
			return u
		}
	}
}

// destTown draws the town of a unit's trip: the city for a share of the trips of units that go
// there, else one of the county's places.
func (p *planner) destTown(u *unitPeople) int {
	if p.rng.Float64() < u.cityShare {
		return len(towns) - 1
	}
	return p.rng.IntN(len(towns) - 1)
}

// filedBefore is when a request departing at start was filed: one to three working days before
// in office hours, or (a third of them) at 8:00–8:20 that day for an afternoon trip.
func (p *planner) filedBefore(start time.Time) time.Time {
	if start.Hour() >= 14 && p.rng.Float64() < 0.33 {
		return at(start, 8, p.rng.IntN(20)).UTC()
	}
	d := start.AddDate(0, 0, -1-p.rng.IntN(3))
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDate(0, 0, -1)
	}
	return at(d, 9+p.rng.IntN(8), p.rng.IntN(60)).UTC()
}

// workingAfter is t, or the next working morning when t falls outside 8:00–18:00 of a working
// day (county time).
func (p *planner) workingAfter(t time.Time) time.Time {
	l := t.In(p.loc)
	for {
		wd := l.Weekday()
		switch {
		case wd == time.Saturday || wd == time.Sunday || l.Hour() >= 18:
			l = at(midnight(l).AddDate(0, 0, 1), 8, 20+p.rng.IntN(40))
		case l.Hour() < 8:
			l = at(l, 8, 20+p.rng.IntN(40))
		default:
			return l.UTC()
		}
	}
}

// tripDuration is how long the drive of a trip takes, from the garage round its stops and back,
// without the stays.
func tripDuration(stops []stop) time.Duration {
	garage := seatStop(hub)
	d := routeTime(route(garage, stops[0]))
	for i := 1; i < len(stops); i++ {
		d += routeTime(route(stops[i-1], stops[i]))
	}
	d += routeTime(route(stops[len(stops)-1], stops[0])) + routeTime(route(stops[0], garage))
	return d + 10*time.Minute // picking up and dropping off
}

// at is the day's hour and minute in its zone.
func at(day time.Time, hour, minute int) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), hour, minute, 0, 0, day.Location())
}

// midnight is the start of t's day in its zone.
func midnight(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

// requestInput is the request a trip files.
func (t *trip) requestInput() dispatch.RequestInput {
	in := dispatch.RequestInput{Passengers: t.passengers, Purpose: t.purpose, Origin: t.stops[0].place(),
		DepartAt: t.depart.Format(time.RFC3339), ReturnAt: t.ret.Format(time.RFC3339), Priority: dispatch.PriorityNormal}
	for _, s := range t.stops[1:] {
		in.Destinations = append(in.Destinations, s.place())
	}
	if t.emergency {
		in.Priority = dispatch.PriorityEmergency
	}
	return in
}
