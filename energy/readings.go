package energy

import (
	"context"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// AddReadings stores a batch of cumulative readings, from the console or the monitoring system.
// The whole batch is checked first and nothing is stored when any reading is wrong: a bad
// field or an unknown meter is 400, a reading whose meter already has another value at the same
// time (in the store or in the batch) is 409, each naming the reading by its index. A reading
// sent again with the same value changes nothing (idempotent per meter and time). A reading
// that goes backwards or jumps far outside the meter's history is stored flagged, held for
// review (see judge).
func (s *Service) AddReadings(ctx context.Context, a *auth.Actor, b ReadingBatch) (*BatchResult, error) {
	if err := a.Require(auth.PermEnergyWrite); err != nil {
		return nil, err
	}
	now := s.now()
	items, err := parseBatch(&b, now)
	if err != nil {
		return nil, err
	}
	res := &BatchResult{Items: make([]BatchItem, len(items))}
	ids := make([]int64, len(items))
	for i, it := range items {
		res.Items[i] = BatchItem{Index: i, MeterID: it.meterID, At: it.at}
		it.out, ids[i] = &res.Items[i], it.meterID
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		set, err := loadSettings(tx)
		if err != nil {
			return err
		}
		meters, err := lockMeters(tx, ids)
		if err != nil {
			return err
		}
		if err := checkLife(items, meters); err != nil {
			return err
		}
		groups, err := groupBatch(items)
		if err != nil {
			return err
		}
		states := make([]*meterState, 0, len(groups))
		p := fleet.Problems{}
		for _, g := range groups {
			st, err := loadState(tx, meters[g[0].meterID], g)
			if err != nil {
				return err
			}
			st.conflicts(p)
			states = append(states, st)
		}
		if err := batchErr(fleet.EConflict, p); err != nil {
			return err
		}
		for _, st := range states {
			if err := st.store(tx, a, b.Source, set.JumpFactor, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	res.tally(items)
	if res.Stored+res.Flagged > 0 {
		s.record(ctx, a, "energy_readings_add", "energy_readings", fmt.Sprintf("%d stored, %d flagged, %d duplicates (%s)",
			res.Stored, res.Flagged, res.Duplicates, b.Source))
	}
	return res, nil
}

func (res *BatchResult) tally(items []*item) {
	for _, it := range items {
		if it.dupOf != nil {
			it.out.ID, it.out.Flag, it.out.FlagNote = it.dupOf.out.ID, it.dupOf.out.Flag, it.dupOf.out.FlagNote
		}
		switch it.out.Result {
		case "stored":
			res.Stored++
		case "flagged":
			res.Flagged++
		case "duplicate":
			res.Duplicates++
		}
	}
}

// checkLife refuses readings of unknown meters and readings outside a meter's life (before it
// was put in, after it was replaced or retired).
func checkLife(items []*item, meters map[int64]*meterRow) error {
	p := fleet.Problems{}
	for _, it := range items {
		f := func(name string) string { return fmt.Sprintf("readings[%d].%s", it.index, name) }
		m, ok := meters[it.meterID]
		switch {
		case !ok:
			p.Add(f("meter_id"), fmt.Sprintf("no such meter: %d", it.meterID))
		case m.InstalledAt != nil && it.at.Before(*m.InstalledAt):
			p.Add(f("at"), fmt.Sprintf("before meter %d was put in at %s", m.ID, m.InstalledAt.UTC().Format(time.RFC3339)))
		case m.RemovedAt != nil && it.at.After(*m.RemovedAt):
			p.Add(f("at"), fmt.Sprintf("after meter %d was %s at %s: its readings go to the meter that took over", m.ID, m.Status,
				m.RemovedAt.UTC().Format(time.RFC3339)))
		}
	}
	return batchErr(fleet.EInvalid, p)
}

// groupBatch groups a batch by meter, each group by time. The same meter and time twice with
// the same value is one reading (the later is a duplicate); with two values, 409.
func groupBatch(items []*item) ([][]*item, error) {
	byMeter := map[int64][]*item{}
	var order []int64
	for _, it := range items {
		if _, ok := byMeter[it.meterID]; !ok {
			order = append(order, it.meterID)
		}
		byMeter[it.meterID] = append(byMeter[it.meterID], it)
	}
	p := fleet.Problems{}
	groups := make([][]*item, 0, len(order))
	for _, id := range order {
		g := byMeter[id]
		sort.SliceStable(g, func(i, j int) bool { return g[i].at.Before(g[j].at) })
		kept := g[:0:0]
		for _, it := range g {
			if n := len(kept); n > 0 && kept[n-1].at.Equal(it.at) {
				first := kept[n-1]
				if !same(first.value, it.value) {
					p.Add(fmt.Sprintf("readings[%d].value", it.index), fmt.Sprintf("readings[%d] has %g for meter %d at the same time", first.index, first.value, id))
				}
				it.out.Result, it.dupOf = "duplicate", first
				continue
			}
			kept = append(kept, it)
		}
		groups = append(groups, kept)
	}
	return groups, batchErr(fleet.EConflict, p)
}

// meterState is what a batch's readings of one meter are checked against.
type meterState struct {
	meter    *meterRow
	items    []*item               // by time, one per instant
	existing map[int64]*readingRow // stored readings at the batch's instants, by Unix second
	timeline []point               // accepted readings around the batch, by time
	mean     float64               // register units per hour over the 90 days before the batch
	hasMean  bool
}

func loadState(tx *gorm.DB, m *meterRow, items []*item) (*meterState, error) {
	first, last := items[0].at, items[len(items)-1].at
	rows, err := readingsBetween(tx, m.ID, first, last)
	if err != nil {
		return nil, err
	}
	st := &meterState{meter: m, items: items, existing: map[int64]*readingRow{}}
	for i := range rows {
		st.existing[rows[i].At.Unix()] = &rows[i]
		if rows[i].Status == ReadingOK {
			st.timeline = append(st.timeline, *rows[i].point())
		}
	}
	prev, err := okBefore(tx, m.ID, first)
	if err != nil {
		return nil, err
	}
	next, err := okAfter(tx, m.ID, last)
	if err != nil {
		return nil, err
	}
	if prev != nil {
		st.timeline = append([]point{*prev.point()}, st.timeline...)
		old, err := firstOK(tx, m.ID, prev.At.Add(-meanWindow))
		if err != nil {
			return nil, err
		}
		if old != nil {
			st.mean, st.hasMean = meanRate(old.point(), prev.point())
		}
	}
	if next != nil {
		st.timeline = append(st.timeline, *next.point())
	}
	return st, nil
}

// conflicts marks the readings stored already with the same value as duplicates and records a
// problem for each one stored with another value (a rejected reading may be replaced).
func (st *meterState) conflicts(p fleet.Problems) {
	for _, it := range st.items {
		row, ok := st.existing[it.at.Unix()]
		if !ok {
			continue
		}
		switch {
		case same(row.Value, it.value):
			it.out.Result, it.out.ID, it.out.Flag, it.out.FlagNote = "duplicate", row.ID, row.Flag, row.FlagNote
		case row.Status != ReadingRejected:
			p.Add(fmt.Sprintf("readings[%d].value", it.index), fmt.Sprintf("meter %d already has %g (%s) at %s", st.meter.ID, row.Value,
				row.Status, row.At.UTC().Format(time.RFC3339)))
		}
	}
}

// store judges and writes the batch's new readings of the meter, oldest first, so that each
// is checked against the accepted ones before it, including the batch's own.
func (st *meterState) store(tx *gorm.DB, a *auth.Actor, source string, factor float64, now time.Time) error {
	for _, it := range st.items {
		if it.out.Result == "duplicate" {
			continue
		}
		prev, next := st.neighbours(it.at)
		flag, note := judge(it.at, it.value, prev, next, st.mean, st.hasMean, factor)
		row := &readingRow{MeterID: st.meter.ID, At: it.at, Value: it.value, Status: ReadingOK, Flag: flag, FlagNote: note,
			Source: source, EnteredBy: &a.UserID, CreatedAt: now}
		if flag != "" {
			row.Status = ReadingFlagged
		}
		if old, ok := st.existing[it.at.Unix()]; ok { // a rejected reading, replaced
			row.ID = old.ID
		}
		if err := save(tx, row); err != nil {
			return err
		}
		it.out.ID, it.out.Flag, it.out.FlagNote = row.ID, flag, note
		it.out.Result = "stored"
		if flag != "" {
			it.out.Result = "flagged"
			continue
		}
		st.insert(point{at: it.at, v: it.value})
	}
	return nil
}

// neighbours are the accepted readings just before and just after t.
func (st *meterState) neighbours(t time.Time) (prev, next *point) {
	i := sort.Search(len(st.timeline), func(i int) bool { return !st.timeline[i].at.Before(t) })
	if i > 0 {
		prev = &st.timeline[i-1]
	}
	j := i
	if j < len(st.timeline) && st.timeline[j].at.Equal(t) {
		j++
	}
	if j < len(st.timeline) {
		next = &st.timeline[j]
	}
	return prev, next
}

func (st *meterState) insert(pt point) {
	i := sort.Search(len(st.timeline), func(i int) bool { return !st.timeline[i].at.Before(pt.at) })
	st.timeline = append(st.timeline, point{})
	copy(st.timeline[i+1:], st.timeline[i:])
	st.timeline[i] = pt
}
