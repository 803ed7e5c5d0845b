package tracking

import (
	"fmt"
	"math"
	"time"

	"fleet"
)

// Geofence kinds.
const (
	FenceCountyBoundary = "county_boundary" // the county's border: outside it without leave is misuse
	FenceParking        = "parking"         // a designated parking point, for one vehicle or for all
	FenceArea           = "area"            // anything else, e.g. a school zone with its own speed limit
)

// FenceKinds lists the geofence kinds.
var FenceKinds = []string{FenceCountyBoundary, FenceParking, FenceArea}

// Geofence shapes.
const (
	ShapeCircle  = "circle"
	ShapePolygon = "polygon"
)

// Limits of a geofence's shape and speed limit.
const (
	MaxFenceRadiusM   = 100_000 // metres
	MaxFencePoints    = 1000    // polygon vertices
	MaxFenceAreaKm2   = 40_000  // a polygon's area, about the largest circle's (31,416 km²)
	MinFenceSpeedKmh  = 5
	MaxFenceSpeedKmh  = 150
	maxFenceNameRunes = 100 // the column's size
)

// Geofence is a circle or a polygon that raises geofence_enter and geofence_exit events, and may
// lower the speed limit inside it. A circle has Center and RadiusM; a polygon has Polygon.
type Geofence struct {
	ID            int64        `json:"id"`
	Name          string       `json:"name"`
	Kind          string       `json:"kind"`
	Shape         string       `json:"shape"`
	Center        *LatLng      `json:"center"`   // circle only
	RadiusM       *float64     `json:"radius_m"` // circle only, metres
	Polygon       [][2]float64 `json:"polygon"`  // polygon only: [[lat,lng],...], not closed
	SpeedLimitKmh *float64     `json:"speed_limit_kmh"`
	VehicleID     *int64       `json:"vehicle_id"` // parking only: the one vehicle it is designated for
	CreatedAt     time.Time    `json:"created_at"`
	UpdatedAt     time.Time    `json:"updated_at"`
}

// GeofenceInput creates or replaces a geofence.
type GeofenceInput struct {
	Name          string      `json:"name"`
	Kind          string      `json:"kind"`
	Shape         string      `json:"shape"`
	Center        *LatLng     `json:"center"`
	RadiusM       float64     `json:"radius_m"`
	Polygon       [][]float64 `json:"polygon"` // [[lat,lng],...]; a closing point equal to the first is dropped
	SpeedLimitKmh *float64    `json:"speed_limit_kmh"`
	VehicleID     *int64      `json:"vehicle_id"`
}

// GeofenceFilter narrows ListGeofences; Page.Query matches names.
type GeofenceFilter struct {
	fleet.Page
	Kind      string
	VehicleID int64
}

// validate normalizes the input (trimmed name, polygon without repeated or closing points) and
// returns its problems, each under the field's JSON name. Whether vehicle_id exists is checked
// by the service against the database.
func (in *GeofenceInput) validate() error {
	p := fleet.Problems{}
	in.Name = p.Text("name", in.Name, true, maxFenceNameRunes)
	switch {
	case in.Kind == "":
		p.Add("kind", "required")
	case !oneOf(in.Kind, FenceKinds):
		p.Add("kind", "unknown kind: must be county_boundary, parking or area")
	}
	switch in.Shape {
	case ShapeCircle:
		in.validateCircle(p)
	case ShapePolygon:
		in.validatePolygon(p)
	case "":
		p.Add("shape", "required")
	default:
		p.Add("shape", "must be circle or polygon")
	}
	if v := in.SpeedLimitKmh; v != nil && (math.IsNaN(*v) || *v < MinFenceSpeedKmh || *v > MaxFenceSpeedKmh) {
		p.Add("speed_limit_kmh", fmt.Sprintf("must be between %d and %d km/h", MinFenceSpeedKmh, MaxFenceSpeedKmh))
	}
	if in.VehicleID != nil {
		switch {
		case in.Kind != FenceParking:
			p.Add("vehicle_id", "only a parking point is designated for a vehicle")
		case *in.VehicleID <= 0:
			p.Add("vehicle_id", "must be a vehicle id")
		}
	}
	return p.Err()
}

func (in *GeofenceInput) validateCircle(p fleet.Problems) {
	if len(in.Polygon) > 0 {
		p.Add("polygon", "only for shape polygon")
	}
	if in.Center == nil {
		p.Add("center", "required for a circle")
	} else {
		checkLatLng(p, "center", in.Center.Lat, in.Center.Lng)
	}
	switch r := in.RadiusM; {
	case math.IsNaN(r) || r <= 0:
		p.Add("radius_m", "must be more than 0")
	case r > MaxFenceRadiusM:
		p.Add("radius_m", fmt.Sprintf("must be at most %d m (100 km)", MaxFenceRadiusM))
	}
}

func (in *GeofenceInput) validatePolygon(p fleet.Problems) {
	// A client sending every field may send a zero centre and radius with a polygon.
	if c := in.Center; c != nil && (c.Lat != 0 || c.Lng != 0) {
		p.Add("center", "only for shape circle")
	}
	if in.RadiusM != 0 {
		p.Add("radius_m", "only for shape circle")
	}
	in.Center = nil
	if len(in.Polygon) > MaxFencePoints+1 {
		p.Add("polygon", fmt.Sprintf("at most %d points", MaxFencePoints))
		return
	}
	pts := make([][]float64, 0, len(in.Polygon))
	for i, pt := range in.Polygon {
		if len(pt) != 2 {
			p.Add("polygon", fmt.Sprintf("point %d must be [lat, lng]", i+1))
			return
		}
		if !checkLatLng(p, "polygon", pt[0], pt[1]) {
			return
		}
		// Repeated points add nothing (and would read as a zero-length edge).
		if n := len(pts); n > 0 && pts[n-1][0] == pt[0] && pts[n-1][1] == pt[1] {
			continue
		}
		pts = append(pts, pt)
	}
	if n := len(pts); n > 1 && pts[0][0] == pts[n-1][0] && pts[0][1] == pts[n-1][1] {
		pts = pts[:n-1] // closed ring: the closing point is implied
	}
	if len(pts) < 3 {
		p.Add("polygon", "needs at least 3 distinct points")
		return
	}
	if len(pts) > MaxFencePoints {
		p.Add("polygon", fmt.Sprintf("at most %d points", MaxFencePoints))
		return
	}
	in.Polygon = pts
	lat, lng := make([]float64, len(pts)), make([]float64, len(pts))
	for i, pt := range pts {
		lat[i], lng[i] = pt[0], pt[1]
	}
	if problem := polygonProblem(lat, lng); problem != "" {
		p.Add("polygon", problem)
	}
}

// checkLatLng records an out-of-range coordinate under field and reports whether both are fine.
func checkLatLng(p fleet.Problems, field string, lat, lng float64) bool {
	switch {
	case math.IsNaN(lat) || lat < -90 || lat > 90:
		p.Add(field, fmt.Sprintf("latitude %v out of range (-90 to 90)", lat))
	case math.IsNaN(lng) || lng < -180 || lng > 180:
		p.Add(field, fmt.Sprintf("longitude %v out of range (-180 to 180)", lng))
	default:
		return true
	}
	return false
}

// geometryKey identifies the input's shape: a fence whose key did not change keeps its cells.
func (in *GeofenceInput) geometryKey() string {
	if in.Shape == ShapeCircle && in.Center != nil {
		return fmt.Sprintf("c %v %v %v", in.Center.Lat, in.Center.Lng, in.RadiusM)
	}
	return fmt.Sprintf("p %v", in.Polygon)
}
