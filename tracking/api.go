package tracking

import (
	"context"
	"time"

	"fleet"
	"fleet/auth"
)

// LiveVehicles returns the latest position of every vehicle that has one, with its plate.
func (s *Service) LiveVehicles(ctx context.Context, a *auth.Actor) ([]LiveVehicle, error) {
	if err := a.Require(auth.PermLiveRead); err != nil {
		return nil, err
	}
	vs, err := s.live.Snapshot(ctx, s.opt.Now())
	if err != nil {
		return nil, fleet.Errorf(fleet.EUnavailable, "live state unavailable")
	}
	plates, err := s.plates.getWith(ctx, func(yield func(int64) bool) {
		for i := range vs {
			if !yield(vs[i].VehicleID) {
				return
			}
		}
	})
	if err != nil {
		return nil, err
	}
	out := vs[:0]
	now := s.opt.Now()
	for _, v := range vs {
		if p, ok := plates[v.VehicleID]; ok { // a deleted vehicle leaves the map
			v.Plate = p
			s.withTask(ctx, &v, now)
			out = append(out, v)
		}
	}
	return out, nil
}

// maxTrackSpan is the longest window one track request may cover.
const maxTrackSpan = 31 * 24 * time.Hour

// Track returns the stored points of a vehicle between from and to, oldest first.
func (s *Service) Track(ctx context.Context, a *auth.Actor, vehicleID int64, from, to time.Time) ([]TrackPoint, error) {
	if err := a.Require(auth.PermLiveRead); err != nil {
		return nil, err
	}
	p := fleet.Problems{}
	if !to.After(from) {
		p.Add("to", "must be after from")
	} else if to.Sub(from) > maxTrackSpan {
		p.Add("to", "a track covers at most 31 days")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	ok, err := s.vehicleExists(ctx, vehicleID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fleet.Errorf(fleet.ENotFound, "vehicle not found")
	}
	return s.track(ctx, vehicleID, from, to)
}

// DeviceCredentials are what a phone needs to report a vehicle's position over HTTP.
type DeviceCredentials struct {
	VehicleID int64  `json:"vehicle_id"`
	Device    string `json:"device"` // the vehicle's terminal phone: OsmAnd "id"
	Token     string `json:"token"`
}

// IssueDeviceToken returns the credentials of the vehicle's terminal phone for HTTP reporting
// (the same auth code a JT/T 808 terminal on that number gets).
func (s *Service) IssueDeviceToken(ctx context.Context, a *auth.Actor, vehicleID int64) (*DeviceCredentials, error) {
	if err := a.Require(auth.PermDevicesWrite); err != nil {
		return nil, err
	}
	phone, err := s.vehiclePhone(ctx, vehicleID)
	if err != nil {
		return nil, err
	}
	if phone == "" {
		return nil, fleet.Invalid(map[string]string{"terminal_phone": "give the vehicle a terminal phone first"})
	}
	code, err := s.DeviceToken(ctx, phone)
	if err != nil {
		return nil, err
	}
	return &DeviceCredentials{VehicleID: vehicleID, Device: phone, Token: code}, nil
}

// Plates returns the plate of every vehicle by id (cached for 30 s), for the live push.
func (s *Service) Plates(ctx context.Context) (map[int64]string, error) { return s.plates.get(ctx) }

// PlatesOf is Plates, reloaded when a point names a vehicle the cache does not know yet (added
// since, maybe through another instance).
func (s *Service) PlatesOf(ctx context.Context, pts []LivePoint) (map[int64]string, error) {
	return s.plates.getWith(ctx, func(yield func(int64) bool) {
		for i := range pts {
			if !pts[i].Late && !yield(pts[i].VehicleID) {
				return
			}
		}
	})
}

// View turns a published point into what a map shows of the vehicle: the /api/live item.
func (s *Service) View(ctx context.Context, p LivePoint, plate string) LiveVehicle {
	now := s.opt.Now()
	v := s.live.view(p.VehicleID, Point{Lat: p.Lat, Lng: p.Lng, SpeedKmh: p.SpeedKmh, Course: p.Course, ACC: p.ACC, Alarm: p.Alarm, FixedAt: p.FixedAt}, now, now)
	v.Plate = plate
	s.withTask(ctx, &v, now)
	return v
}

// withTask marks an online vehicle with a dispatch task under way as on_task (a raised alarm
// still shows first), and names the task.
func (s *Service) withTask(ctx context.Context, v *LiveVehicle, now time.Time) {
	task, ok := s.tasks.ActiveTask(ctx, v.VehicleID, now)
	if !ok {
		return
	}
	v.TaskID = task.ID
	if v.State == VehicleMoving || v.State == VehicleIdle {
		v.State = VehicleOnTask
	}
}
