package bus

import (
	"context"
	"sync"
	"testing"
)

// BenchmarkInProcessPublish publishes to 10 subscriptions on one topic, which read as fast as
// they can ("draining") or never read, so every delivery is a counted drop ("full").
func BenchmarkInProcessPublish(b *testing.B) {
	for _, drain := range []bool{true, false} {
		name := "10 subscribers full"
		if drain {
			name = "10 subscribers draining"
		}
		b.Run(name, func(b *testing.B) {
			benchPublish(b, NewInProcess(Options{}), drain)
		})
	}
}

// BenchmarkRedisPublish is the round trip of one PUBLISH, with 10 local subscriptions draining.
func BenchmarkRedisPublish(b *testing.B) {
	bus, err := NewRedis(context.Background(), testRedisURL(b), Options{Prefix: testPrefix()})
	if err != nil {
		b.Fatal(err)
	}
	benchPublish(b, bus, true)
}

func benchPublish(b *testing.B, bus Bus, drain bool) {
	ctx := context.Background()
	var readers sync.WaitGroup
	for range 10 {
		s, err := bus.Subscribe(ctx, "vehicle.position")
		if err != nil {
			b.Fatal(err)
		}
		if drain {
			readers.Go(func() {
				for range s.C() {
				}
			})
		}
	}
	data := []byte(`{"vehicle_id":42,"lat":27.8,"lng":114.4,"speed_kmh":48.5}`)
	b.ReportAllocs()
	for b.Loop() {
		if err := bus.Publish(ctx, "vehicle.position", data); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	_ = bus.Close()
	readers.Wait()
}
