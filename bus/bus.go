// Package bus carries messages between the parts of fleet, in one process or across instances
// through Redis pub/sub.
package bus

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"os"
	"time"
)

// Message is one published payload.
//
// Data is shared by every subscriber that receives the message and must be treated as read-only.
type Message struct {
	Topic  string
	Data   []byte
	Origin string // instance id of the publisher
}

// Bus publishes messages on topics and delivers them to subscriptions.
//
// Delivery is at most once per subscription: a message is lost for a subscription whose buffer is
// full (counted by Subscription.Dropped) and, on Redis, for the subscriptions of the other instances
// while Redis is away (an instance's own subscriptions still get its messages).
// Messages from one publisher on one topic arrive in the order they were published.
type Bus interface {
	// Publish sends data to every subscription on topic, on every instance. It never waits for
	// subscribers. The bus keeps data: the caller must not modify it afterwards.
	Publish(ctx context.Context, topic string, data []byte) error
	// Subscribe returns a subscription receiving every message published on the topics after it
	// returns. ctx bounds the call only, not the life of the subscription.
	Subscribe(ctx context.Context, topics ...string) (*Subscription, error)
	// Ping reports whether the bus can carry messages: nil in process, a Redis PING otherwise.
	Ping(ctx context.Context) error
	// InstanceID names this process among the instances sharing the bus.
	InstanceID() string
	// Close stops the bus and closes every subscription's channel. It is safe to call twice.
	Close() error
}

// ErrClosed is returned by a closed bus.
var ErrClosed = errors.New("bus: closed")

// Defaults used when Options leaves a field zero.
const (
	DefaultBuffer  = 1024
	DefaultPrefix  = "fleet:"
	DefaultTimeout = 5 * time.Second
)

// Options tunes a bus; the zero value is ready to use.
type Options struct {
	// InstanceID overrides the random per-process id (hostname plus a random suffix).
	InstanceID string
	// Buffer is the number of messages each subscription holds before it drops; default 1024.
	Buffer int
	// Prefix is put before every topic to form the Redis channel name, so deployments can share a
	// Redis; default "fleet:". Ignored in process.
	Prefix string
	// Timeout bounds a Redis operation whose ctx has no deadline; default 5 s.
	Timeout time.Duration
	// Logger receives connection losses and recoveries; default discards.
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.InstanceID == "" {
		o.InstanceID = newInstanceID()
	}
	if o.Buffer <= 0 {
		o.Buffer = DefaultBuffer
	}
	if o.Prefix == "" {
		o.Prefix = DefaultPrefix
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Open returns the in-process bus when redisURL is empty (FLEET_REDIS unset) and a Redis bus
// otherwise.
func Open(ctx context.Context, redisURL string, logger *slog.Logger) (Bus, error) {
	opts := Options{Logger: logger}
	if redisURL == "" {
		return NewInProcess(opts), nil
	}
	return NewRedis(ctx, redisURL, opts)
}

// newInstanceID returns "hostname-xxxxxxxx": readable in logs, unique across restarts.
func newInstanceID() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "fleetd"
	}
	var b [4]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return host + "-" + hex.EncodeToString(b[:])
}

// withTimeout bounds ctx by d unless it already has a deadline.
func withTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, d)
}
