package tracking

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/uber/h3-go/v4"

	"fleet"
	"fleet/auth"
)

// Today is a vehicle's figures so far in the county's day and its task under way: what the
// map's detail shows beside the live position.
type Today struct {
	VehicleID  int64   `json:"vehicle_id"`
	Day        string  `json:"day"` // YYYY-MM-DD, the county's day
	DistanceKm float64 `json:"distance_km"`
	DrivingS   int     `json:"driving_s"`
	Trips      int     `json:"trips"`
	Task       *Task   `json:"task"` // null when none is under way
}

// Today sums the vehicle's trips that started today, the one in progress included, and names
// its dispatch task under way.
func (s *Service) Today(ctx context.Context, a *auth.Actor, vehicleID int64) (*Today, error) {
	now := s.opt.Now()
	day := s.day(now)
	start := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, s.opt.Location)
	l, err := s.Trips(ctx, a, vehicleID, start, start.AddDate(0, 0, 1))
	if err != nil {
		return nil, err
	}
	out := &Today{VehicleID: vehicleID, Day: day.Format(time.DateOnly)}
	for _, t := range l.Trips {
		if t.StartAt.Before(start) {
			continue // counted on the day it started, as vehicle_days does
		}
		out.DistanceKm += t.DistanceKm
		out.DrivingS += t.DrivingS
		out.Trips++
	}
	if task, ok := s.tasks.ActiveTask(ctx, vehicleID, now); ok {
		out.Task = &task
	}
	return out, nil
}

// DensityCell is one H3 cell of the live map's density layer.
type DensityCell struct {
	Cell     string       `json:"cell"`
	Count    int          `json:"count"`    // vehicles whose latest fix is in the cell
	Online   int          `json:"online"`   // of which online
	Boundary [][2]float64 `json:"boundary"` // [lat, lng] corners, WGS-84
}

// Density resolutions: 5 (≈8.5 km edge) for a province, 9 (≈0.2 km) for a street.
const (
	MinDensityRes = 5
	MaxDensityRes = 9
)

// Density counts the vehicles of the live map per H3 cell at resolution res, busiest first.
func (s *Service) Density(ctx context.Context, a *auth.Actor, res int) ([]DensityCell, error) {
	if res < MinDensityRes || res > MaxDensityRes {
		return nil, fleet.Invalid(map[string]string{"res": fmt.Sprintf("must be from %d to %d", MinDensityRes, MaxDensityRes)})
	}
	vs, err := s.LiveVehicles(ctx, a)
	if err != nil {
		return nil, err
	}
	type tally struct{ count, online int }
	cells := map[h3.Cell]*tally{}
	for i := range vs {
		c, err := h3.LatLngToCell(h3.LatLng{Lat: vs[i].Lat, Lng: vs[i].Lng}, res)
		if err != nil {
			continue // validated on ingest; a point h3 refuses is left off the layer
		}
		t := cells[c]
		if t == nil {
			t = &tally{}
			cells[c] = t
		}
		t.count++
		if vs[i].Online {
			t.online++
		}
	}
	out := make([]DensityCell, 0, len(cells))
	for c, t := range cells {
		b, err := h3.CellToBoundary(c)
		if err != nil {
			return nil, fmt.Errorf("tracking: density: %w", err)
		}
		corners := make([][2]float64, len(b))
		for i, ll := range b {
			corners[i] = [2]float64{ll.Lat, ll.Lng}
		}
		out = append(out, DensityCell{Cell: c.String(), Count: t.count, Online: t.online, Boundary: corners})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Cell < out[j].Cell
	})
	return out, nil
}
