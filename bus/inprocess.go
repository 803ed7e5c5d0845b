package bus

import "context"

// InProcess is the bus of a single fleetd: Publish hands each message straight to the
// subscriptions' buffers, with no goroutine and no allocation.
type InProcess struct {
	id     string
	buffer int
	hub    *hub
}

var _ Bus = (*InProcess)(nil)

// NewInProcess returns a bus local to this process.
func NewInProcess(opts Options) *InProcess {
	opts = opts.withDefaults()
	return &InProcess{id: opts.InstanceID, buffer: opts.Buffer, hub: newHub()}
}

// Publish delivers data to the subscriptions on topic before it returns.
func (b *InProcess) Publish(ctx context.Context, topic string, data []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return b.hub.publish(Message{Topic: topic, Data: data, Origin: b.id})
}

// Subscribe returns a subscription on topics.
func (b *InProcess) Subscribe(ctx context.Context, topics ...string) (*Subscription, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s, err := newSubscription(topics, b.buffer)
	if err != nil {
		return nil, err
	}
	s.release = func(s *Subscription) { b.hub.remove(s) }
	if _, err := b.hub.add(s); err != nil {
		return nil, err
	}
	return s, nil
}

// Ping returns nil until the bus is closed.
func (b *InProcess) Ping(ctx context.Context) error {
	if b.hub.isClosed() {
		return ErrClosed
	}
	return ctx.Err()
}

// InstanceID returns this process's id.
func (b *InProcess) InstanceID() string { return b.id }

// Close closes every subscription.
func (b *InProcess) Close() error {
	b.hub.close()
	return nil
}
