package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"
)

// barrierRetry is how long a barrier waits for its echo before it sends the PING again, in case
// the connection it went out on was lost.
const barrierRetry = 500 * time.Millisecond

// Subscribe returns a subscription on topics once Redis has subscribed this instance to all of
// them, so a message published anywhere after it returns reaches it. It fails when Redis cannot
// confirm that within ctx or the bus timeout.
func (b *Redis) Subscribe(ctx context.Context, topics ...string) (*Subscription, error) {
	if b.closed.Load() {
		return nil, ErrClosed
	}
	s, err := newSubscription(topics, b.buffer)
	if err != nil {
		return nil, err
	}
	s.release = b.release
	ctx, cancel := withTimeout(ctx, b.timeout)
	defer cancel()

	b.subMu.Lock()
	added, err := b.hub.add(s)
	if err != nil {
		b.subMu.Unlock()
		return nil, err
	}
	if len(added) > 0 {
		// go-redis keeps the channels even when the write fails and subscribes them again on
		// its next connection; the barrier tells whether either happened in time.
		_ = b.ps.Subscribe(ctx, b.channels(added)...)
	}
	b.subMu.Unlock()

	if err := b.barrier(ctx); err != nil {
		s.Close()
		if b.closed.Load() {
			return nil, ErrClosed
		}
		return nil, fmt.Errorf("bus: subscribe %s: %w", s.topics, err)
	}
	return s, nil
}

// release detaches s and unsubscribes from Redis the topics nobody here listens to any more.
func (b *Redis) release(s *Subscription) {
	b.subMu.Lock()
	defer b.subMu.Unlock()
	emptied := b.hub.remove(s)
	if len(emptied) == 0 || b.closed.Load() {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), b.timeout)
	defer cancel()
	// go-redis forgets the channels even when the write fails, so a reconnection does not
	// subscribe them again: nothing to retry.
	if err := b.ps.Unsubscribe(ctx, b.channels(emptied)...); err != nil {
		b.log.Debug("bus: redis unsubscribe", slog.Any("topics", emptied), slog.Any("error", err))
	}
}

// barrier returns once Redis has carried out every SUBSCRIBE and UNSUBSCRIBE written to the
// pubsub connection before it. It PINGs with a unique payload on that connection and waits for
// the echo, which Redis sends after their replies; an echo on a new connection comes after go-redis
// resubscribed all the channels there.
func (b *Redis) barrier(ctx context.Context) error {
	token := "fleet-bus-barrier-" + strconv.FormatUint(b.barrierSeq.Add(1), 10)
	echoed := make(chan struct{})
	b.barrierMu.Lock()
	b.barriers[token] = echoed
	b.barrierMu.Unlock()
	defer func() {
		b.barrierMu.Lock()
		delete(b.barriers, token)
		b.barrierMu.Unlock()
	}()

	retry := time.NewTicker(barrierRetry)
	defer retry.Stop()
	var pingErr error
	for {
		pingErr = b.ps.Ping(ctx, token)
		select {
		case <-echoed:
			return nil
		case <-b.stop:
			return ErrClosed
		case <-ctx.Done():
			return errors.Join(ctx.Err(), pingErr)
		case <-retry.C:
		}
	}
}

// echo releases the barrier waiting for token, if any.
func (b *Redis) echo(token string) {
	b.barrierMu.Lock()
	defer b.barrierMu.Unlock()
	if echoed, ok := b.barriers[token]; ok {
		close(echoed)
		delete(b.barriers, token)
	}
}
