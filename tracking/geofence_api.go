package tracking

import (
	"context"
	"fmt"

	"fleet"
	"fleet/auth"
)

// CreateGeofence adds a geofence; vehicles inside it raise geofence_enter from their next point.
func (s *Service) CreateGeofence(ctx context.Context, a *auth.Actor, in GeofenceInput) (*Geofence, error) {
	if err := a.Require(auth.PermFencesWrite); err != nil {
		return nil, err
	}
	f, err := s.prepareFence(ctx, 0, &in)
	if err != nil {
		return nil, err
	}
	r := fenceRowOf(in, s.opt.Now())
	if err := s.insertGeofence(ctx, &r, f.cells); err != nil {
		return nil, err
	}
	f.id = r.ID
	s.fenceChanged(ctx, f, 0)
	return r.geofence(), nil
}

// UpdateGeofence replaces a geofence; its cells are recomputed only when its shape changed.
func (s *Service) UpdateGeofence(ctx context.Context, a *auth.Actor, id int64, in GeofenceInput) (*Geofence, error) {
	if err := a.Require(auth.PermFencesWrite); err != nil {
		return nil, err
	}
	old, err := s.getGeofence(ctx, id)
	if err != nil {
		return nil, err
	}
	f, err := s.prepareFence(ctx, id, &in)
	if err != nil {
		return nil, err
	}
	r := fenceRowOf(in, s.opt.Now())
	r.ID = id
	cells := f.cells
	oldIn := old.input()
	if oldIn.Shape == in.Shape && oldIn.geometryKey() == f.geoKey {
		cells = nil // same shape, same cells: leave them
	}
	if err := s.updateGeofence(ctx, &r, cells); err != nil {
		return nil, err
	}
	s.fenceChanged(ctx, f, 0)
	return r.geofence(), nil
}

// DeleteGeofence removes a geofence. Vehicles inside it raise no exit: it is forgotten.
func (s *Service) DeleteGeofence(ctx context.Context, a *auth.Actor, id int64) error {
	if err := a.Require(auth.PermFencesWrite); err != nil {
		return err
	}
	if _, err := s.loadedFences(ctx); err != nil {
		return err
	}
	if err := s.deleteGeofence(ctx, id); err != nil {
		return err
	}
	s.fenceChanged(ctx, nil, id)
	return nil
}

// GetGeofence returns one geofence.
func (s *Service) GetGeofence(ctx context.Context, a *auth.Actor, id int64) (*Geofence, error) {
	if err := a.Require(auth.PermEventsRead); err != nil {
		return nil, err
	}
	r, err := s.getGeofence(ctx, id)
	if err != nil {
		return nil, err
	}
	return r.geofence(), nil
}

// ListGeofences returns the geofences matching f, by id, and their total count.
func (s *Service) ListGeofences(ctx context.Context, a *auth.Actor, f GeofenceFilter) ([]Geofence, int64, error) {
	if err := a.Require(auth.PermEventsRead); err != nil {
		return nil, 0, err
	}
	if f.Kind != "" && !oneOf(f.Kind, FenceKinds) {
		return nil, 0, fleet.Invalid(map[string]string{"kind": "unknown kind"})
	}
	f.Page = f.Page.Normalize()
	rows, total, err := s.listGeofences(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	out := make([]Geofence, len(rows))
	for i := range rows {
		out[i] = *rows[i].geofence()
	}
	return out, total, nil
}

// prepareFence validates the input, checks its vehicle and computes its cells (reusing those
// of fence id when its shape is unchanged).
func (s *Service) prepareFence(ctx context.Context, id int64, in *GeofenceInput) (*fence, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	if in.VehicleID != nil {
		ok, err := s.vehicleIDExists(ctx, *in.VehicleID)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fleet.Invalid(map[string]string{"vehicle_id": fmt.Sprintf("no vehicle has id %d", *in.VehicleID)})
		}
	}
	ix, err := s.loadedFences(ctx)
	if err != nil {
		return nil, err
	}
	return buildFence(id, *in, ix.byID[id])
}

// buildFence makes the detectors' form of a validated fence, taking the cells of prev when the
// shape is the same.
func buildFence(id int64, in GeofenceInput, prev *fence) (*fence, error) {
	f := &fence{id: id, name: in.Name, kind: in.Kind, geoKey: in.geometryKey()}
	if in.SpeedLimitKmh != nil {
		f.speedLimit = *in.SpeedLimitKmh
	}
	if in.VehicleID != nil {
		f.vehicleID = *in.VehicleID
	}
	switch in.Shape {
	case ShapeCircle:
		if in.Center == nil {
			return nil, fmt.Errorf("tracking: geofence %d: circle without a centre", id)
		}
		f.geo = &circle{lat: in.Center.Lat, lng: in.Center.Lng, radiusM: in.RadiusM}
	case ShapePolygon:
		if len(in.Polygon) < 3 {
			return nil, fmt.Errorf("tracking: geofence %d: polygon of %d points", id, len(in.Polygon))
		}
		lat, lng := make([]float64, len(in.Polygon)), make([]float64, len(in.Polygon))
		for i, p := range in.Polygon {
			if len(p) != 2 {
				return nil, fmt.Errorf("tracking: geofence %d: polygon point %d is not [lat, lng]", id, i+1)
			}
			lat[i], lng[i] = p[0], p[1]
		}
		f.geo = newPolygon(lat, lng)
	default:
		return nil, fmt.Errorf("tracking: geofence %d: unknown shape %q", id, in.Shape)
	}
	if prev != nil && prev.geoKey == f.geoKey {
		f.cells = prev.cells
		return f, nil
	}
	cells, err := coverFence(f.geo)
	if err != nil {
		return nil, err
	}
	f.cells = cells
	return f, nil
}
