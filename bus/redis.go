package bus

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is the bus shared by the fleetd instances on one Redis. Each process holds one pubsub
// connection, subscribed to every topic some local subscription wants, and fans the messages out
// locally. A publisher hands its own messages to its local subscriptions directly and drops them
// when Redis echoes them back (they carry its instance id), so every subscription on every
// instance gets each message once, and an instance keeps serving its own clients while Redis is
// away.
type Redis struct {
	id      string
	prefix  string // before every topic in a channel name
	buffer  int
	timeout time.Duration
	log     *slog.Logger

	client *redis.Client
	ps     *redis.PubSub
	hub    *hub

	// subMu orders the SUBSCRIBE and UNSUBSCRIBE written to ps with the hub's topic set changes
	// that call for them.
	subMu sync.Mutex

	barrierMu  sync.Mutex
	barriers   map[string]chan struct{} // PING payload → closed when Redis echoes it
	barrierSeq atomic.Uint64

	closed    atomic.Bool
	stop      chan struct{}
	wg        sync.WaitGroup
	closeOnce sync.Once
	closeErr  error
}

var _ Bus = (*Redis)(nil)

// Liveness of the pubsub connection: a PING is sent every heartbeat, and a connection that
// brings nothing back for deadAfter is dropped and redialled (a half-open TCP connection never
// errors by itself).
const (
	heartbeat = 2 * time.Second
	deadAfter = 3*heartbeat - time.Second
)

// NewRedis connects to url (redis://[user:pass@]host:port/db) and checks it with a PING.
func NewRedis(ctx context.Context, url string, opts Options) (*Redis, error) {
	opts = opts.withDefaults()
	ro, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("bus: redis url: %w", err)
	}
	// Honour the deadlines of ctx, so a Redis that went away costs a caller at most its ctx.
	ro.ContextTimeoutEnabled = true
	if ro.ClientName == "" {
		// Names the connections in CLIENT LIST; no spaces allowed there.
		ro.ClientName = "fleet-bus:" + strings.ReplaceAll(opts.InstanceID, " ", "_")
	}
	client := redis.NewClient(ro)
	pctx, cancel := withTimeout(ctx, opts.Timeout)
	defer cancel()
	if err := client.Ping(pctx).Err(); err != nil {
		_ = client.Close()
		return nil, fmt.Errorf("bus: redis %s: %w", ro.Addr, err)
	}
	b := &Redis{
		id:       opts.InstanceID,
		prefix:   opts.Prefix,
		buffer:   opts.Buffer,
		timeout:  opts.Timeout,
		log:      opts.Logger,
		client:   client,
		ps:       client.Subscribe(ctx),
		hub:      newHub(),
		barriers: make(map[string]chan struct{}),
		stop:     make(chan struct{}),
	}
	b.wg.Add(2)
	go b.receive()
	go b.heartbeat()
	return b, nil
}

// Publish hands data to this instance's subscriptions on topic, then sends it through Redis to
// the other instances. It fails, within ctx or the bus timeout, when Redis cannot be reached: the
// local subscriptions got the message all the same.
func (b *Redis) Publish(ctx context.Context, topic string, data []byte) error {
	if b.closed.Load() {
		return ErrClosed
	}
	if err := b.hub.publish(Message{Topic: topic, Data: data, Origin: b.id}); err != nil {
		return err
	}
	ctx, cancel := withTimeout(ctx, b.timeout)
	defer cancel()
	err := b.client.Publish(ctx, b.prefix+topic, encodeEnvelope(b.id, data)).Err()
	if err != nil {
		if b.closed.Load() {
			return ErrClosed
		}
		return fmt.Errorf("bus: publish %s: %w", topic, err)
	}
	return nil
}

// Ping sends a Redis PING.
func (b *Redis) Ping(ctx context.Context) error {
	if b.closed.Load() {
		return ErrClosed
	}
	ctx, cancel := withTimeout(ctx, b.timeout)
	defer cancel()
	if err := b.client.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("bus: redis ping: %w", err)
	}
	return nil
}

// InstanceID returns this process's id, carried as Origin by the messages it publishes.
func (b *Redis) InstanceID() string { return b.id }

// Close stops receiving, closes the Redis connections and every subscription.
func (b *Redis) Close() error {
	b.closeOnce.Do(func() {
		b.closed.Store(true)
		close(b.stop)
		_ = b.ps.Close() // ends the Receive of the receive loop
		b.wg.Wait()
		b.closeErr = b.client.Close()
		b.hub.close()
	})
	return b.closeErr
}

// channels returns the Redis channel names of topics.
func (b *Redis) channels(topics []string) []string {
	cs := make([]string, len(topics))
	for i, t := range topics {
		cs[i] = b.prefix + t
	}
	return cs
}
