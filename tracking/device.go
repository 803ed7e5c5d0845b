package tracking

import (
	"context"
	"math"
	"strconv"
	"strings"
	"time"

	"fleet"
)

// DevicePosition is one point sent by a phone or device over HTTP (JSON ingest).
type DevicePosition struct {
	Lat      *float64  `json:"lat"`
	Lng      *float64  `json:"lng"`
	FixedAt  time.Time `json:"fixed_at"`
	SpeedKmh float64   `json:"speed_kmh"`
	Course   float64   `json:"course"`
	Altitude float64   `json:"altitude"`
	Accuracy float64   `json:"accuracy"` // metres; informational
}

// DeviceBatch is the body of POST /api/ingest/positions.
type DeviceBatch struct {
	Device    string           `json:"device"`
	Token     string           `json:"token"`
	Positions []DevicePosition `json:"positions"`
}

// MaxDeviceBatch bounds one HTTP batch.
const MaxDeviceBatch = 1000

// IngestDevice authenticates the device and takes its batch through the pipeline; it returns
// after commit, with how many points were stored and the rejected ones by index and reason.
func (s *Service) IngestDevice(ctx context.Context, b DeviceBatch, src Source) (*DeviceResult, error) {
	if b.Token == "" {
		return nil, fleet.Errorf(fleet.EUnauthorized, "a device token is required")
	}
	p := fleet.Problems{}
	if strings.TrimSpace(b.Device) == "" {
		p.Add("device", "required")
	}
	checkPositions(p, b.Positions)
	if err := p.Err(); err != nil {
		return nil, err
	}
	vehicleID, err := s.AuthenticateDevice(ctx, b.Device, b.Token)
	if err != nil {
		return nil, err
	}
	return s.ingestPositions(ctx, vehicleID, b.Positions, src)
}

// IngestVehicle takes positions reported for a vehicle by someone the caller has already
// authorised (the driver's phone on a running task) through the same pipeline as IngestDevice.
func (s *Service) IngestVehicle(ctx context.Context, vehicleID int64, positions []DevicePosition, src Source) (*DeviceResult, error) {
	p := fleet.Problems{}
	checkPositions(p, positions)
	if err := p.Err(); err != nil {
		return nil, err
	}
	return s.ingestPositions(ctx, vehicleID, positions, src)
}

// checkPositions checks a batch's shape: the pipeline validates each point's values.
func checkPositions(p fleet.Problems, positions []DevicePosition) {
	if len(positions) == 0 {
		p.Add("positions", "required")
	} else if len(positions) > MaxDeviceBatch {
		p.Add("positions", "at most 1000 positions a request")
	}
	for i, dp := range positions {
		f := "positions[" + strconv.Itoa(i) + "]"
		if dp.Lat == nil || dp.Lng == nil {
			p.Add(f+".lat", "lat and lng are required")
		}
		if dp.FixedAt.IsZero() {
			p.Add(f+".fixed_at", "required (RFC 3339)")
		}
	}
}

func (s *Service) ingestPositions(ctx context.Context, vehicleID int64, positions []DevicePosition, src Source) (*DeviceResult, error) {
	pts := make([]Point, len(positions))
	for i, dp := range positions {
		pts[i] = Point{VehicleID: vehicleID, FixedAt: dp.FixedAt.UTC(), Lat: *dp.Lat, Lng: *dp.Lng, SpeedKmh: dp.SpeedKmh,
			Course: normCourse(dp.Course), Altitude: int(math.Round(dp.Altitude)), Positioned: true, Source: src}
	}
	s.Touch(vehicleID)
	out, err := s.Ingest(ctx, pts)
	if err != nil {
		return nil, fleet.Errorf(fleet.EUnavailable, "positions could not be stored; send them again")
	}
	res := &DeviceResult{Rejected: []RejectedPoint{}}
	for i, o := range out {
		if o.Stored {
			res.Stored++
		} else {
			res.Rejected = append(res.Rejected, RejectedPoint{Index: i, Reason: o.Reason})
		}
	}
	return res, nil
}

// DeviceResult answers an HTTP ingest.
type DeviceResult struct {
	Stored   int             `json:"stored"`
	Rejected []RejectedPoint `json:"rejected"`
}

// RejectedPoint names a point the pipeline refused.
type RejectedPoint struct {
	Index  int    `json:"index"`
	Reason string `json:"reason"`
}

// OsmAnd parses the OsmAnd protocol's parameters (as Traccar Client sends them: id, lat, lon,
// timestamp, speed in knots, bearing, altitude, accuracy, batt) into a one-point batch.
func OsmAnd(get func(string) string) (DeviceBatch, error) {
	p := fleet.Problems{}
	num := func(name string, required bool) float64 {
		v := get(name)
		if v == "" {
			if required {
				p.Add(name, "required")
			}
			return 0
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			p.Add(name, "must be a number")
		}
		return f
	}
	lat, lon := num("lat", true), num("lon", true)
	speedKn, bearing, alt, acc := num("speed", false), num("bearing", false), num("altitude", false), num("accuracy", false)
	var fixed time.Time
	switch ts := get("timestamp"); {
	case ts == "":
		p.Add("timestamp", "required")
	default:
		if n, err := strconv.ParseInt(ts, 10, 64); err == nil {
			if n > 1e12 { // milliseconds
				fixed = time.UnixMilli(n).UTC()
			} else {
				fixed = time.Unix(n, 0).UTC()
			}
		} else if t, err := time.Parse(time.RFC3339, ts); err == nil {
			fixed = t.UTC()
		} else if t, err := time.Parse("2006-01-02 15:04:05", ts); err == nil {
			fixed = t.UTC()
		}
		if fixed.IsZero() { // unparsable, or year 1 (which the batch would read as "no time")
			p.Add("timestamp", "must be Unix seconds or RFC 3339")
		}
	}
	b := DeviceBatch{Device: get("id"), Token: get("token")}
	if b.Device == "" {
		p.Add("id", "required")
	}
	if err := p.Err(); err != nil {
		return b, err
	}
	b.Positions = []DevicePosition{{Lat: &lat, Lng: &lon, FixedAt: fixed, SpeedKmh: speedKn * 1.852, Course: bearing, Altitude: alt, Accuracy: acc}}
	return b, nil
}

func normCourse(c float64) int {
	if math.IsNaN(c) || math.IsInf(c, 0) {
		return 0
	}
	n := int(math.Round(c)) % 360
	if n < 0 {
		n += 360
	}
	return n
}
