package tracking

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// With its Redis unreachable, the live state answers from what this instance knows instead of
// failing: the map and new websocket clients still get the instance's own vehicles.
func TestSnapshotWithRedisDownAnswersFromLocalState(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there any more
	rdb := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DialTimeout: time.Second})
	defer rdb.Close()
	l := NewLive(5*time.Minute, rdb, "fleet-test:", nil)
	now := time.Date(2026, 11, 28, 2, 0, 0, 0, time.UTC)
	l.update(&Point{VehicleID: 7, Lat: 27.8, Lng: 114.4, FixedAt: now.Add(-10 * time.Second)}, now)
	got, err := l.Snapshot(context.Background(), now)
	if err != nil || len(got) != 1 || got[0].VehicleID != 7 || got[0].Lat != 27.8 || !got[0].Online {
		t.Fatalf("snapshot with Redis down = %+v, %v; want vehicle 7 online at 27.8", got, err)
	}
}
