package tracking_test

import (
	"math"
	"testing"

	"fleet/tracking"
)

func TestWGS84ToGCJ02(t *testing.T) {
	tests := []struct {
		name             string
		lat, lng         float64
		wantLat, wantLng float64
	}{
		// The published reference point (Tiananmen): WGS-84 (116.404, 39.915).
		{"Beijing reference", 39.915, 116.404, 39.91640428150164, 116.41024449916938},
		{"outside China: London", 51.5074, -0.1278, 51.5074, -0.1278},
		{"outside China: Tokyo", 35.6762, 139.6503, 35.6762, 139.6503},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lat, lng := tracking.WGS84ToGCJ02(tt.lat, tt.lng)
			if math.Abs(lat-tt.wantLat) > 1e-9 || math.Abs(lng-tt.wantLng) > 1e-9 {
				t.Fatalf("got (%.14f, %.14f), want (%.14f, %.14f)", lat, lng, tt.wantLat, tt.wantLng)
			}
		})
	}
}
