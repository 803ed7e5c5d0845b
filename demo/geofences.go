package demo

import (
	"context"
	"fmt"

	"fleet"
	"fleet/auth"
	"fleet/tracking"
)

// countyBoundary is 安和县's border (WGS-84 [lat, lng], clockwise from the north): about 40 km
// east to west and 35 km north to south round the county seat at 27.8° N, 114.4° E, with room
// round the ±0.1° box fleetsim's routes keep to.
var countyBoundary = [][]float64{
	{27.958, 114.372}, {27.951, 114.455}, {27.929, 114.530}, {27.887, 114.598}, {27.826, 114.604},
	{27.771, 114.588}, {27.722, 114.561}, {27.676, 114.512}, {27.646, 114.441}, {27.652, 114.368},
	{27.667, 114.291}, {27.706, 114.228}, {27.763, 114.196}, {27.824, 114.201}, {27.873, 114.236},
	{27.918, 114.290}, {27.945, 114.331},
}

// parkingRadiusM is the radius of a designated parking point.
const parkingRadiusM = 80

// demoFences are the county's fences: the border, the designated parking points (for any pooled
// vehicle), and a school zone with its own speed limit.
var demoFences = []tracking.GeofenceInput{
	{Name: "安和县县界", Kind: tracking.FenceCountyBoundary, Shape: tracking.ShapePolygon, Polygon: countyBoundary},
	parking("县机关事务管理中心车库", 27.8012, 114.4031),
	parking("县委大院停车场", 27.8046, 114.3978),
	parking("县政府大院停车场", 27.7983, 114.4065),
	parking("县公安局停车场", 27.7951, 114.3942),
	parking("县人民医院应急车辆停车点", 27.8089, 114.4112),
	{Name: "县第一中学周边", Kind: tracking.FenceArea, Shape: tracking.ShapeCircle,
		Center: &tracking.LatLng{Lat: 27.8105, Lng: 114.3890}, RadiusM: 300, SpeedLimitKmh: ptr(30.0)},
}

func parking(name string, lat, lng float64) tracking.GeofenceInput {
	return tracking.GeofenceInput{Name: name, Kind: tracking.FenceParking, Shape: tracking.ShapeCircle,
		Center: &tracking.LatLng{Lat: lat, Lng: lng}, RadiusM: parkingRadiusM}
}

func ptr[T any](v T) *T { return &v }

// SeedGeofences creates the demo county's geofences that do not exist yet, matched by name,
// through the tracking service as auth.System (so they are validated); running it again creates
// nothing.
func SeedGeofences(ctx context.Context, t *tracking.Service) error {
	existing, _, err := t.ListGeofences(ctx, auth.System, tracking.GeofenceFilter{Page: fleet.Page{Limit: 500}})
	if err != nil {
		return fmt.Errorf("demo: geofences: %w", err)
	}
	have := map[string]bool{}
	for _, g := range existing {
		have[g.Name] = true
	}
	for _, in := range demoFences {
		if have[in.Name] {
			continue
		}
		if _, err := t.CreateGeofence(ctx, auth.System, in); err != nil {
			return fmt.Errorf("demo: geofence %s: %w", in.Name, err)
		}
	}
	return nil
}
