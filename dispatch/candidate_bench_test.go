package dispatch

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"

	"fleet/dispatch/nearby"
)

// benchFleet is a synthetic county of 5,000 vehicles and 2,000 drivers, in memory, with a day of
// tasks on the board: what the ranking reads on every call.
type benchFleet struct {
	snap   *fleetSnapshot
	duty   map[int64]bool
	load   *monthStats
	board  *TaskBoard
	live   *nearby.Index
	parked *nearby.Index
	loc    *time.Location
	day    time.Time
}

const (
	benchVehicles = 5000
	benchDrivers  = 2000
	benchOpen     = 1500 // open tasks on the board
	benchDone     = 1000 // completed tasks of the last day
)

func newBenchFleet(seed uint64) *benchFleet {
	rng := rand.New(rand.NewPCG(seed, 1))
	loc := time.FixedZone("CST", 8*3600)
	day := time.Date(2026, 5, 6, 0, 0, 0, 0, loc)
	f := &benchFleet{snap: &fleetSnapshot{vehicles: map[int64]*Vehicle{}}, duty: map[int64]bool{}, board: NewTaskBoard(nil, nil),
		live: nearby.New(), parked: nearby.New(), loc: loc, day: day,
		load: &monthStats{driverTasks: map[int64]float64{}, vehicleTasks: map[int64]float64{}, driverKm: map[int64]float64{}, vehicleKm: map[int64]float64{}}}
	county := func() (float64, float64) { return 27.8 + (rng.Float64()-0.5)*0.8, 114.4 + (rng.Float64()-0.5)*0.8 }
	for i := 1; i <= benchVehicles; i++ {
		v := &Vehicle{ID: int64(i), Plate: fmt.Sprintf("赣K%05d", i), Class: ClassGeneral, Seats: 5, Energy: EnergyGasoline,
			Pooled: true, Status: StatusAvailable}
		switch x := rng.IntN(100); {
		case x < 20:
			v.Seats = 7
		case x < 27:
			v.Seats = 9
		case x < 30:
			v.Seats = 19
		}
		if rng.IntN(100) < 30 {
			v.Energy, v.RangeKm = EnergyElectric, ptrTo(300+rng.IntN(200))
		}
		if rng.IntN(100) < 15 {
			v.Class = Classes[rng.IntN(len(Classes))]
		}
		if rng.IntN(100) < 10 {
			v.Pooled, v.UnitID = false, ptrTo(int64(1+rng.IntN(20)))
		}
		if rng.IntN(100) < 5 {
			v.Status = StatusMaintenance
		}
		plat, plng := county()
		v.ParkingLat, v.ParkingLng = &plat, &plng
		f.snap.vehicles[v.ID] = v
		f.parked.Set(v.ID, plat, plng)
		if rng.IntN(100) < 80 {
			lat, lng := county()
			f.live.Set(v.ID, lat, lng)
		} else {
			f.live.Set(v.ID, plat, plng)
		}
		f.load.vehicleTasks[v.ID] = float64(rng.IntN(20))
		f.load.vehicleKm[v.ID] = float64(rng.IntN(2000))
	}
	for i := 1; i <= benchDrivers; i++ {
		d := &Driver{ID: int64(i), Name: fmt.Sprintf("司机%d", i), LicenseClass: "C1", Status: DriverOnDuty}
		switch x := rng.IntN(100); {
		case x < 5:
			d.LicenseClass = "A1"
		case x < 20:
			d.LicenseClass = "B1"
		}
		if rng.IntN(100) < 5 {
			d.Status = DriverLeave
		}
		f.snap.drivers = append(f.snap.drivers, d)
		f.duty[d.ID] = rng.IntN(100) < 70
		f.load.driverTasks[d.ID] = float64(rng.IntN(20))
		f.load.driverKm[d.ID] = float64(rng.IntN(2000))
	}
	f.snap.index()
	for _, v := range f.load.driverTasks {
		f.load.totalTasks += v
	}
	for _, v := range f.load.driverKm {
		f.load.totalKm += v
	}
	for i := 1; i <= benchOpen+benchDone; i++ {
		start := day.Add(time.Duration(6*60+rng.IntN(12*60)) * time.Minute)
		lat, lng := county()
		s := &slot{id: int64(i), requestID: int64(i), vehicleID: int64(1 + rng.IntN(benchVehicles)), driverID: int64(1 + rng.IntN(benchDrivers)),
			status: TaskAssigned, depart: start.UTC(), ret: start.Add(time.Duration(60+rng.IntN(300)) * time.Minute).UTC(),
			lat: lat, lng: lng, plannedKm: float64(10 + rng.IntN(150)), title: "task"}
		if i > benchOpen {
			s.status = TaskCompleted
			s.blocks = plannedBlocks(s.depart, s.ret, s.plannedKm, 40)
		}
		f.board.put(s)
	}
	return f
}

func ptrTo[T any](v T) *T { return &v }

// demand draws a request: a county origin, 1–8 passengers, a window during the day.
func (f *benchFleet) demand(rng *rand.Rand) demand {
	lat, lng := 27.8+(rng.Float64()-0.5)*0.8, 114.4+(rng.Float64()-0.5)*0.8
	from := f.day.Add(time.Duration(7*60+rng.IntN(10*60)) * time.Minute).UTC()
	d := demand{unitID: int64(1 + rng.IntN(20)), passengers: 1 + rng.IntN(8), lat: lat, lng: lng, from: from,
		to: from.Add(time.Duration(60+rng.IntN(240)) * time.Minute), tripKm: float64(10 + rng.IntN(120))}
	if rng.IntN(100) < 20 {
		d.class = ClassGeneral
	}
	return d
}

func (f *benchFleet) ranker(d demand) *ranker {
	return &ranker{d: d, set: DefaultSettings(), now: f.day.Add(6 * time.Hour), loc: f.loc, snap: f.snap, duty: f.duty,
		load: f.load, board: f.board, live: f.live, parked: f.parked}
}

// BenchmarkCandidates ranks the 10 best pairs for random requests over 5,000 vehicles and 2,000
// drivers; it reports the percentiles of one call's wall time and of its thread's CPU time.
func BenchmarkCandidates(b *testing.B) {
	f := newBenchFleet(7)
	rng := rand.New(rand.NewPCG(11, 2))
	demands := make([]demand, 1024)
	for i := range demands {
		demands[i] = f.demand(rng)
	}
	wall := make([]time.Duration, 0, b.N)
	cpu := make([]time.Duration, 0, b.N)
	empty := 0
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c0, w0 := threadCPU(), time.Now()
		list := f.ranker(demands[i%len(demands)]).rank(defaultCandidates)
		wall = append(wall, time.Since(w0))
		cpu = append(cpu, threadCPU()-c0)
		if len(list.Items) == 0 {
			empty++
		}
	}
	b.StopTimer()
	report := func(lat []time.Duration, unit string) {
		slices.Sort(lat)
		pct := func(p float64) float64 {
			return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
		}
		b.ReportMetric(pct(0.50), "p50-"+unit)
		b.ReportMetric(pct(0.99), "p99-"+unit)
	}
	report(wall, "ms")
	report(cpu, "cpu-ms")
	b.ReportMetric(float64(empty)/float64(b.N), "empty-share")
}

// The synthetic county yields full lists, feasible in every respect.
func TestBenchFleetCandidatesAreFeasible(t *testing.T) {
	f := newBenchFleet(7)
	rng := rand.New(rand.NewPCG(11, 2))
	for range 50 {
		d := f.demand(rng)
		rk := f.ranker(d)
		list := rk.rank(defaultCandidates)
		if len(list.Items) != defaultCandidates {
			t.Fatalf("%d candidates, want %d (excluded %v)", len(list.Items), defaultCandidates, list.Excluded)
		}
		for i, c := range list.Items {
			v := f.snap.vehicles[c.VehicleID]
			if fault := rk.vehicleFault(v); fault != "" {
				t.Fatalf("candidate %d: vehicle %s", i, fault)
			}
			if i > 0 && c.Score < list.Items[i-1].Score {
				t.Fatalf("not best first: %v after %v", c.Score, list.Items[i-1].Score)
			}
			if !f.duty[c.DriverID] || rk.booked(f.board.driverSlots(c.DriverID)) {
				t.Fatalf("candidate %d: driver %d not free", i, c.DriverID)
			}
		}
	}
}
