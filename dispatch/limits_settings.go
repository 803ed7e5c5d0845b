package dispatch

import (
	"fmt"
	"strings"
	"time"

	"fleet"
)

// Settings are the county's dispatch rules, kept in the dispatch_settings table and changed by a
// dispatcher or the admin (GET/PUT /api/dispatch/settings). Durations are whole minutes.
type Settings struct {
	// TurnaroundMin is the buffer kept free between two tasks of one vehicle or one driver.
	TurnaroundMin int `json:"turnaround_min"`
	// ContinuousMaxMin and RestMin: no more than this much driving without a rest of at least
	// RestMin (§62: 4 h and 20 min).
	ContinuousMaxMin int `json:"continuous_max_min"`
	RestMin          int `json:"rest_min"`
	// DailyCapMin caps a driver's planned driving per county day.
	DailyCapMin int `json:"daily_cap_min"`
	// AvgSpeedKmh turns planned km into planned driving time.
	AvgSpeedKmh float64 `json:"avg_speed_kmh"`
	// DetourFactor turns straight lines into road km (roads are longer than the crow flies).
	DetourFactor float64 `json:"detour_factor"`
	// SeatReserve is added to the passengers when matching seats: the vehicle needs
	// seats ≥ passengers + SeatReserve. The default 1 reads a vehicle's seats as the registered
	// seats, the driver's included (核定载客, "5座"), as the vehicle records hold them; set 0 when
	// the records count passenger seats only.
	SeatReserve int `json:"seat_reserve"`
	// OwnUnitFirst gives the vehicles kept by the applicant's unit the own_unit bonus.
	OwnUnitFirst bool `json:"own_unit_first"`
	// NewEnergyShare: a new-energy vehicle is preferred when the trip needs at most this share
	// of its range.
	NewEnergyShare float64 `json:"new_energy_share"`
	Weights        Weights `json:"weights"`
	// Checklist is the pre-trip safety check (出车前安全检查) the driver answers before departing.
	Checklist []string `json:"checklist"`
	// Trip accounting (discrepancy.go): a trip whose odometer km differ from its GPS km by more
	// than DiscrepancyShare of the GPS km, and by at least DiscrepancyMinKm, is flagged.
	DiscrepancyShare float64 `json:"discrepancy_share"`
	DiscrepancyMinKm float64 `json:"discrepancy_min_km"`
}

// Weights turn a candidate's facts into score points (see CostParts); a point is worth about one
// km of driving to the origin.
type Weights struct {
	DistancePerKm float64 `json:"distance_per_km"` // per km from where the vehicle will be to the origin
	Emergency     float64 `json:"emergency"`       // the distance weight's multiplier for an emergency
	DriverLoad    float64 `json:"driver_load"`     // times the driver's load this month (1 = the fleet's mean)
	VehicleLoad   float64 `json:"vehicle_load"`    // times the vehicle's load this month
	NewEnergy     float64 `json:"new_energy"`      // bonus (subtracted) for new energy within its share of range
	RangeRisk     float64 `json:"range_risk"`      // added for new energy needing more than its share of range
	OwnUnit       float64 `json:"own_unit"`        // bonus (subtracted) for the applicant's unit's own vehicle
	SpareSeat     float64 `json:"spare_seat"`      // per seat beyond what the passengers need
}

// DefaultSettings are the settings of a county that has not changed them.
func DefaultSettings() Settings {
	return Settings{
		TurnaroundMin: 30, ContinuousMaxMin: 240, RestMin: 20, DailyCapMin: 480,
		AvgSpeedKmh: 40, DetourFactor: 1.3, SeatReserve: 1, OwnUnitFirst: true, NewEnergyShare: 0.7,
		Weights: Weights{DistancePerKm: 1, Emergency: 3, DriverLoad: 5, VehicleLoad: 5, NewEnergy: 5, RangeRisk: 10,
			OwnUnit: 10, SpareSeat: 0.5},
		Checklist:        []string{"轮胎", "灯光", "制动", "油量/电量", "证件", "消毒", "车内整洁", "安全带"},
		DiscrepancyShare: 0.15, DiscrepancyMinKm: 3,
	}
}

// buffer is the turnaround buffer.
func (s *Settings) buffer() time.Duration { return time.Duration(s.TurnaroundMin) * time.Minute }

func (s *Settings) limits(loc *time.Location) drivingLimits {
	return drivingLimits{continuous: time.Duration(s.ContinuousMaxMin) * time.Minute,
		rest: time.Duration(s.RestMin) * time.Minute, daily: time.Duration(s.DailyCapMin) * time.Minute, loc: loc}
}

// validate checks the settings as a whole (PUT replaces them).
func (s *Settings) validate() error {
	p := fleet.Problems{}
	intIn := func(field string, v, lo, hi int) {
		if v < lo || v > hi {
			p.Add(field, fmt.Sprintf("must be between %d and %d", lo, hi))
		}
	}
	floatIn := func(field string, v, lo, hi float64) {
		if !(v >= lo && v <= hi) { // NaN fails
			p.Add(field, fmt.Sprintf("must be between %g and %g", lo, hi))
		}
	}
	intIn("turnaround_min", s.TurnaroundMin, 0, 24*60)
	intIn("continuous_max_min", s.ContinuousMaxMin, 30, 24*60)
	intIn("rest_min", s.RestMin, 1, 24*60)
	intIn("daily_cap_min", s.DailyCapMin, 30, 24*60)
	floatIn("avg_speed_kmh", s.AvgSpeedKmh, 5, 150)
	floatIn("detour_factor", s.DetourFactor, 1, 3)
	intIn("seat_reserve", s.SeatReserve, 0, 1)
	floatIn("new_energy_share", s.NewEnergyShare, 0.1, 1)
	floatIn("discrepancy_share", s.DiscrepancyShare, 0.01, 1)
	floatIn("discrepancy_min_km", s.DiscrepancyMinKm, 0, 100)
	w := s.Weights
	for field, v := range map[string]float64{"distance_per_km": w.DistancePerKm, "emergency": w.Emergency,
		"driver_load": w.DriverLoad, "vehicle_load": w.VehicleLoad, "new_energy": w.NewEnergy, "range_risk": w.RangeRisk,
		"own_unit": w.OwnUnit, "spare_seat": w.SpareSeat} {
		floatIn("weights."+field, v, 0, 1000)
	}
	if len(s.Checklist) == 0 || len(s.Checklist) > 30 {
		p.Add("checklist", "between 1 and 30 items")
	}
	seen := map[string]bool{}
	for i, item := range s.Checklist {
		item = p.Text(fmt.Sprintf("checklist.%d", i), item, true, 50)
		if seen[item] {
			p.Add(fmt.Sprintf("checklist.%d", i), "listed twice")
		}
		seen[item] = true
		s.Checklist[i] = strings.TrimSpace(item)
	}
	return p.Err()
}
