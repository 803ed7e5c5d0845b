package dispatch

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
	"fleet/dispatch/lap"
)

// Auto-assignment: every approved, unassigned trip (a request, or a merged trip) departing in a
// window is a row; every (vehicle, driver) pair among the trips' candidates is a column; a cell is
// the pair's candidate score for the trip, or infeasible when the pair is not among its
// candidates. lap.Solve finds the least total cost with the most trips served. Two trips whose
// windows (with the turnaround buffer) overlap may not share a vehicle or a driver, which one
// matrix cannot say: when the solution has such a clash, the costlier of the two cells becomes
// infeasible and the matrix is solved again, until no clash is left (after fineRounds, the
// costlier trip gives up the shared vehicle or driver altogether, so that it ends soon). Greedy nearest-first runs the same
// way on the same matrix, for comparison; since the clash rounds are a heuristic, greedy's plan is
// proposed instead when it serves more trips or costs less (method says which), so the proposal
// is never worse than greedy's.

// Each trip offers the matrix its autoCandidates best pairs, up to autoDrivers drivers with each
// vehicle: drivers are the scarcer resource when every trip overlaps every other.
const (
	autoCandidates = 60
	autoDrivers    = 8
)

// maxAutoSpan bounds the window of one auto-assignment.
const maxAutoSpan = 7 * 24 * time.Hour

// AutoAssignInput is what POST /api/dispatch/auto-assign takes: the window of departures (RFC
// 3339; default the next 24 hours) and whether to book the proposals.
type AutoAssignInput struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Apply bool   `json:"apply"`
}

// Proposal is one trip's proposed pair, and with apply what became of it.
type Proposal struct {
	RequestID  int64     `json:"request_id"` // the trip's lead request
	RequestIDs []int64   `json:"request_ids"`
	DepartAt   time.Time `json:"depart_at"`
	VehicleID  int64     `json:"vehicle_id"`
	Plate      string    `json:"plate"`
	DriverID   int64     `json:"driver_id"`
	Driver     string    `json:"driver"`
	Score      float64   `json:"score"`
	Reasons    CostParts `json:"reasons"`
	Status     string    `json:"status"` // proposed; with apply: assigned or skipped
	TaskID     int64     `json:"task_id,omitempty"`
	Reason     string    `json:"reason,omitempty"` // why skipped
}

// Unserved is a trip no pair could be proposed for.
type Unserved struct {
	RequestID int64  `json:"request_id"`
	Reason    string `json:"reason"`
}

// AutoAssignResult is the answer of an auto-assignment.
type AutoAssignResult struct {
	From           time.Time  `json:"from"`
	To             time.Time  `json:"to"`
	Trips          int        `json:"trips"`
	Proposals      []Proposal `json:"proposals"`
	Unserved       []Unserved `json:"unserved"`
	TotalCost      float64    `json:"total_cost"`      // of the proposals
	GreedyCost     float64    `json:"greedy_cost"`     // of greedy nearest-first on the same candidates
	GreedyAssigned int        `json:"greedy_assigned"` // trips greedy serves
	Method         string     `json:"method"`          // whose plan is proposed: lap, or greedy when it did better
	Applied        bool       `json:"applied"`
	Assigned       int        `json:"assigned"` // with apply: booked
	Skipped        int        `json:"skipped"`  // with apply: refused by the locked check (booked meanwhile…)
}

// AutoAssign proposes a vehicle and a driver for every approved, unassigned trip departing in
// the window at the least total cost; with apply it books them, each through the same locked
// transaction as Assign, skipping (and saying so) those that conflict by then.
func (d *Desk) AutoAssign(ctx context.Context, a *auth.Actor, in AutoAssignInput) (*AutoAssignResult, error) {
	if err := a.Require(auth.PermDispatch); err != nil {
		return nil, err
	}
	now := d.now()
	from, to, err := autoWindow(in, now)
	if err != nil {
		return nil, err
	}
	tx := d.db.WithContext(ctx)
	rows, err := requestRowsWhere(tx, "status = ? AND task_id IS NULL AND depart_at >= ? AND depart_at < ?", ReqApproved, from, to)
	if err != nil {
		return nil, err
	}
	trips, err := groupTrips(tx, rows)
	if err != nil {
		return nil, err
	}
	set := d.currentSettings()
	res := &AutoAssignResult{From: from, To: to, Trips: len(trips), Proposals: []Proposal{}, Unserved: []Unserved{}}
	plan := autoPlan{buffer: set.buffer()}
	for _, trip := range trips {
		dm := demandOf(trip, set, 0)
		rk, err := d.ranker(ctx, dm, set)
		if err != nil {
			return nil, err
		}
		rk.perVehicle = autoDrivers
		plan.add(trip, dm, rk.rank(autoCandidates).Items)
	}
	props, total, err := plan.solve(false)
	if err != nil {
		return nil, err
	}
	served := plan.served
	gProps, gTotal, _ := plan.solve(true)
	res.GreedyCost, res.GreedyAssigned = round2(gTotal), plan.served
	res.Method = "lap"
	// Clashes are resolved heuristically, so greedy can end better: the better plan is proposed.
	if plan.served > served || (plan.served == served && gTotal < total) {
		props, total, res.Method = gProps, gTotal, "greedy"
	}
	res.TotalCost = round2(total)
	for i, p := range props {
		if p == nil {
			res.Unserved = append(res.Unserved, Unserved{RequestID: plan.trips[i].lead, Reason: plan.trips[i].why()})
			continue
		}
		res.Proposals = append(res.Proposals, *p)
	}
	if !in.Apply {
		return res, nil
	}
	res.Applied = true
	for i := range res.Proposals {
		p := &res.Proposals[i]
		score := p.Score
		t, err := d.assign(ctx, a, p.RequestID, AssignInput{VehicleID: p.VehicleID, DriverID: p.DriverID}, false, &score)
		if err != nil {
			if fleet.ErrorCode(err) == fleet.EInternal {
				return nil, err
			}
			p.Status, p.Reason = "skipped", fleet.ErrorMessage(err)
			res.Skipped++
			continue
		}
		p.Status, p.TaskID = "assigned", t.ID
		res.Assigned++
	}
	return res, nil
}

// autoWindow parses the window; empty is the next 24 hours.
func autoWindow(in AutoAssignInput, now time.Time) (time.Time, time.Time, error) {
	p := fleet.Problems{}
	from, to := now, now.Add(24*time.Hour)
	if in.From != "" {
		from = requestTime(p, "from", in.From)
	}
	if in.To != "" {
		to = requestTime(p, "to", in.To)
	}
	if err := p.Err(); err != nil {
		return from, to, err
	}
	switch {
	case !to.After(from):
		p.Add("to", "must be after from")
	case to.Sub(from) > maxAutoSpan:
		p.Add("to", "a window covers at most 7 days")
	}
	return from, to, p.Err()
}

// groupTrips turns waiting requests into trips: a merged trip's requests together (all of them,
// also those departing outside the window), each trip in id order.
func groupTrips(tx *gorm.DB, rows []requestRow) ([][]requestRow, error) {
	seen := map[int64]bool{}
	var trips [][]requestRow
	for _, r := range rows {
		lead := r.lead()
		if seen[lead] {
			continue
		}
		seen[lead] = true
		if r.MergeID == nil {
			trips = append(trips, []requestRow{r})
			continue
		}
		group, err := requestRowsWhere(tx, "id = ? OR merge_id = ?", lead, lead)
		if err != nil {
			return nil, err
		}
		slices.SortFunc(group, func(a, b requestRow) int { return cmp.Compare(a.ID, b.ID) })
		ok := true
		for _, g := range group {
			ok = ok && g.Status == ReqApproved && g.TaskID == nil
		}
		if ok {
			trips = append(trips, group)
		}
	}
	return trips, nil
}

// autoTrip is one row of the matrix.
type autoTrip struct {
	lead     int64
	ids      []int64
	from, to time.Time
	depart   time.Time
	cands    map[int]Candidate // column → the pair as a candidate of this trip
}

func (t *autoTrip) why() string {
	if len(t.cands) == 0 {
		return "no feasible vehicle and driver"
	}
	return "its candidates went to other trips"
}

type pairKey struct{ vehicle, driver int64 }

// autoPlan is the matrix being built and solved.
type autoPlan struct {
	buffer time.Duration
	trips  []autoTrip
	cols   []pairKey
	colOf  map[pairKey]int
	served int // of the last solve
}

func (p *autoPlan) add(rows []requestRow, dm demand, cands []Candidate) {
	if p.colOf == nil {
		p.colOf = map[pairKey]int{}
	}
	t := autoTrip{lead: rows[0].lead(), from: dm.from.Add(-p.buffer), to: dm.to.Add(p.buffer), depart: dm.from, cands: map[int]Candidate{}}
	for _, r := range rows {
		t.ids = append(t.ids, r.ID)
	}
	for _, c := range cands {
		k := pairKey{c.VehicleID, c.DriverID}
		j, ok := p.colOf[k]
		if !ok {
			j = len(p.cols)
			p.cols = append(p.cols, k)
			p.colOf[k] = j
		}
		t.cands[j] = c
	}
	p.trips = append(p.trips, t)
}

// solve assigns the trips (Solve, or greedy), resolving clashes, and returns each trip's
// proposal (nil: none) with the total cost.
func (p *autoPlan) solve(greedy bool) ([]*Proposal, float64, error) {
	n, m := len(p.trips), len(p.cols)
	cost := make([][]float64, n)
	for i := range p.trips {
		cost[i] = make([]float64, m)
		for j := range cost[i] {
			cost[i][j] = lap.Inf
		}
		for j, c := range p.trips[i].cands {
			cost[i][j] = c.Score
		}
	}
	var (
		rowToCol []int
		total    float64
		err      error
	)
	for round := 0; ; round++ {
		if n == 0 || m == 0 {
			rowToCol = make([]int, n)
			for i := range rowToCol {
				rowToCol[i] = -1
			}
			break
		}
		if greedy {
			rowToCol, total = lap.Greedy(cost)
		} else if rowToCol, total, err = lap.Solve(cost); err != nil {
			return nil, 0, fmt.Errorf("dispatch: auto-assign: %w", err)
		}
		// Each round makes a feasible cell infeasible, so the rounds end; past fineRounds a
		// clash costs the loser the whole vehicle or driver, so they end sooner.
		if !p.unclash(cost, rowToCol, round >= fineRounds) {
			break
		}
	}
	out := make([]*Proposal, n)
	total, p.served = 0, 0
	for i, j := range rowToCol {
		if j < 0 || math.IsInf(cost[i][j], 1) {
			continue
		}
		t, c := &p.trips[i], p.trips[i].cands[j]
		out[i] = &Proposal{RequestID: t.lead, RequestIDs: t.ids, DepartAt: t.depart, VehicleID: c.VehicleID, Plate: c.Plate,
			DriverID: c.DriverID, Driver: c.Driver, Score: c.Score, Reasons: c.Reasons, Status: "proposed"}
		total += c.Score
		p.served++
	}
	return out, total, nil
}

// fineRounds is how many rounds of solving take only the clashing cells away.
const fineRounds = 100

// unclash finds the assigned trips with overlapping windows that share a vehicle or a driver;
// of each two, the costlier loses its cell (coarse: every cell of its row using the shared
// vehicle or driver). It reports whether it found a clash.
func (p *autoPlan) unclash(cost [][]float64, rowToCol []int, coarse bool) bool {
	found := false
	for i, ci := range rowToCol {
		for k := i + 1; k < len(rowToCol); k++ {
			ck := rowToCol[k]
			if ci < 0 || ck < 0 || math.IsInf(cost[i][ci], 1) || math.IsInf(cost[k][ck], 1) {
				continue
			}
			a, b := p.cols[ci], p.cols[ck]
			sameVehicle, sameDriver := a.vehicle == b.vehicle, a.driver == b.driver
			if !sameVehicle && !sameDriver {
				continue
			}
			ti, tk := &p.trips[i], &p.trips[k]
			if !ti.from.Before(tk.to) || !tk.from.Before(ti.to) {
				continue
			}
			loser, lost := k, ck
			if cost[i][ci] > cost[k][ck] {
				loser, lost = i, ci
			}
			found = true
			if !coarse {
				cost[loser][lost] = lap.Inf
				continue
			}
			for j, c := range p.cols {
				if (sameVehicle && c.vehicle == a.vehicle) || (sameDriver && c.driver == a.driver) {
					cost[loser][j] = lap.Inf
				}
			}
		}
	}
	return found
}
