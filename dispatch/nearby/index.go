// Package nearby keeps vehicles' live positions in an H3 index and finds the nearest ones to a
// point, by exact haversine distance, for dispatch's candidate search.
package nearby

import (
	"fmt"
	"math"
	"sync"

	"github.com/uber/h3-go/v4"

	"fleet"
)

// res is the H3 resolution of the index: hexagons of ~0.74 km² (edges ~0.5 km here), so a
// county of 5,000 vehicles has about one or two per occupied cell.
const res = 8

// Index holds the current position of every vehicle, bucketed by H3 cell. It is safe for
// concurrent use: queries share a read lock, position updates take the write lock briefly.
type Index struct {
	mu    sync.RWMutex
	cells map[h3.Cell][]vehicle // the vehicles in each occupied cell; empty cells are deleted
	where map[int64]slot        // where each vehicle is in cells

	scales scaleCache
}

// vehicle is one vehicle's position, stored inline in its cell's bucket so that a scan reads
// memory in order.
type vehicle struct {
	id       int64
	lat, lng float64 // degrees, WGS-84, as given to Set
	p        point
}

// slot is a vehicle's place in cells.
type slot struct {
	cell h3.Cell
	i    int32 // index in the cell's bucket
}

// New returns an empty index.
func New() *Index {
	return &Index{
		cells:  map[h3.Cell][]vehicle{},
		where:  map[int64]slot{},
		scales: scaleCache{m: map[uint64]float64{}},
	}
}

// Set records the vehicle's current position (degrees, WGS-84), adding it or moving it.
func (ix *Index) Set(vehicleID int64, lat, lng float64) error {
	if err := checkLatLng(lat, lng); err != nil {
		return err
	}
	// The cell costs a cgo call: found before the lock is taken.
	c, err := h3.LatLngToCell(h3.LatLng{Lat: lat, Lng: lng}, res)
	if err != nil {
		return fmt.Errorf("nearby: cell of vehicle %d: %w", vehicleID, err)
	}
	v := vehicle{id: vehicleID, lat: lat, lng: lng, p: toPoint(lat, lng)}

	ix.mu.Lock()
	defer ix.mu.Unlock()
	if s, ok := ix.where[vehicleID]; ok {
		if s.cell == c {
			ix.cells[c][s.i] = v
			return nil
		}
		ix.unlink(s)
	}
	b := ix.cells[c]
	ix.where[vehicleID] = slot{cell: c, i: int32(len(b))}
	ix.cells[c] = append(b, v)
	return nil
}

// Remove forgets the vehicle; an unknown vehicle is not an error.
func (ix *Index) Remove(vehicleID int64) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if s, ok := ix.where[vehicleID]; ok {
		ix.unlink(s)
		delete(ix.where, vehicleID)
	}
}

// unlink takes the vehicle at s out of its cell's bucket (the last one fills the gap); the
// caller updates or deletes its own entry in where.
func (ix *Index) unlink(s slot) {
	b := ix.cells[s.cell]
	last := len(b) - 1
	if int(s.i) != last {
		b[s.i] = b[last]
		ix.where[b[s.i].id] = s
	}
	b[last] = vehicle{}
	if last == 0 {
		delete(ix.cells, s.cell)
		return
	}
	ix.cells[s.cell] = b[:last]
}

// Len returns the number of vehicles in the index.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.where)
}

// Position returns the vehicle's position as last set, and whether it is in the index.
func (ix *Index) Position(vehicleID int64) (lat, lng float64, ok bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	s, ok := ix.where[vehicleID]
	if !ok {
		return 0, 0, false
	}
	v := ix.cells[s.cell][s.i]
	return v.lat, v.lng, true
}

// checkLatLng rejects what is not a position on the earth.
func checkLatLng(lat, lng float64) error {
	if lat >= -90 && lat <= 90 && lng >= -180 && lng <= 180 { // false for NaN
		return nil
	}
	p := fleet.Problems{}
	if math.IsNaN(lat) || lat < -90 || lat > 90 {
		p.Add("lat", "must be a number from -90 to 90")
	}
	if math.IsNaN(lng) || lng < -180 || lng > 180 {
		p.Add("lng", "must be a number from -180 to 180")
	}
	return p.Err()
}
