package auth

import (
	"context"
	"sync"
	"time"

	"fleet"
)

// sessionGrace is how long after Redis last confirmed a session this instance still accepts it
// from memory while Redis cannot be reached.
const sessionGrace = 10 * time.Minute

// fallbackSessions keeps in memory the sessions that Redis confirmed, so that an instance goes on
// serving its signed-in users through a Redis outage instead of answering 500 to every request.
// Only a read that fails (Redis unreachable) falls back, and only to a session confirmed within
// sessionGrace and not expired: a session Redis says is gone is forgotten at once. The price: a
// session ended through another instance shortly before the outage may still be accepted here
// until Redis is back or the grace runs out (the user is still read from the database on every
// request, so a disabled user is refused all the same).
type fallbackSessions struct {
	redisSessions
	now func() time.Time

	mu        sync.Mutex
	confirmed map[string]confirmedSession
}

type confirmedSession struct {
	row sessionRow
	at  time.Time // when Redis last confirmed it
}

func newFallbackSessions(r redisSessions, now func() time.Time) *fallbackSessions {
	return &fallbackSessions{redisSessions: r, now: now, confirmed: map[string]confirmedSession{}}
}

func (f *fallbackSessions) create(ctx context.Context, s *sessionRow) error {
	if err := f.redisSessions.create(ctx, s); err != nil {
		return err
	}
	f.remember(s)
	return nil
}

func (f *fallbackSessions) get(ctx context.Context, id string) (*sessionRow, error) {
	s, err := f.redisSessions.get(ctx, id)
	switch {
	case err == nil:
		f.remember(s)
		return s, nil
	case fleet.ErrorCode(err) == fleet.ENotFound:
		f.forget(func(k string, _ sessionRow) bool { return k == id })
		return nil, err
	}
	now := f.now()
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.confirmed[id]
	if !ok || now.Sub(c.at) > sessionGrace || !c.row.ExpiresAt.After(now) {
		return nil, err
	}
	row := c.row
	return &row, nil
}

func (f *fallbackSessions) delete(ctx context.Context, id string) error {
	f.forget(func(k string, _ sessionRow) bool { return k == id })
	return f.redisSessions.delete(ctx, id)
}

func (f *fallbackSessions) deleteUser(ctx context.Context, userID int64, keep string) error {
	f.forget(func(k string, r sessionRow) bool { return r.UserID == userID && k != keep })
	return f.redisSessions.deleteUser(ctx, userID, keep)
}

// purge forgets the sessions past their grace; Redis expires its own.
func (f *fallbackSessions) purge(ctx context.Context, now time.Time) (int64, error) {
	f.forget(func(_ string, r sessionRow) bool { return !r.ExpiresAt.After(now) })
	f.mu.Lock()
	for k, c := range f.confirmed {
		if now.Sub(c.at) > sessionGrace {
			delete(f.confirmed, k)
		}
	}
	f.mu.Unlock()
	return f.redisSessions.purge(ctx, now)
}

func (f *fallbackSessions) remember(s *sessionRow) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.confirmed[s.ID] = confirmedSession{row: *s, at: f.now()}
}

func (f *fallbackSessions) forget(match func(id string, r sessionRow) bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for k, c := range f.confirmed {
		if match(k, c.row) {
			delete(f.confirmed, k)
		}
	}
}
