package bus

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// receive reads the pubsub connection until Close and hands each message to the local
// subscriptions. go-redis redials and resubscribes after an error; this loop only paces the
// retries while Redis is away and logs the loss and the recovery once each.
func (b *Redis) receive() {
	defer b.wg.Done()
	var lost bool
	var pause time.Duration
	for {
		// A deadline on each read: when it passes go-redis drops the connection and redials.
		// The heartbeat's PONGs keep a live connection from reaching it.
		ctx, cancel := context.WithTimeout(context.Background(), deadAfter)
		msg, err := b.ps.Receive(ctx)
		cancel()
		if b.closed.Load() {
			return
		}
		if err != nil {
			if !lost {
				lost = true
				b.log.Warn("bus: redis pubsub connection lost", slog.Any("error", err))
			}
			pause = min(max(2*pause, 50*time.Millisecond), time.Second)
			select {
			case <-b.stop:
				return
			case <-time.After(pause):
			}
			continue
		}
		if lost {
			lost, pause = false, 0
			b.log.Info("bus: redis pubsub connection restored")
		}
		switch m := msg.(type) {
		case *redis.Message:
			b.dispatch(m)
		case *redis.Pong:
			b.echo(m.Payload)
		}
	}
}

// dispatch unwraps m and delivers it to the local subscriptions on its topic, unless this
// instance published it: Publish delivered it here already.
func (b *Redis) dispatch(m *redis.Message) {
	topic, ok := strings.CutPrefix(m.Channel, b.prefix)
	if !ok {
		return
	}
	origin, data, err := decodeEnvelope(m.Payload)
	if err != nil {
		b.log.Warn("bus: dropped a message", slog.String("topic", topic), slog.Any("error", err))
		return
	}
	if origin == b.id {
		return
	}
	_ = b.hub.publish(Message{Topic: topic, Data: data, Origin: origin})
}

// heartbeat PINGs on the pubsub connection so that the receive loop hears from a live Redis at
// least every heartbeat.
func (b *Redis) heartbeat() {
	defer b.wg.Done()
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-b.stop:
			return
		case <-tick.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), heartbeat)
		_ = b.ps.Ping(ctx) // a failure shows up in the receive loop
		cancel()
	}
}
