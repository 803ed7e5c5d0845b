package auth

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"fleet"
)

// redisSessions keeps sessions in Redis, shared by every instance: a hash per session that
// expires with it, and a set per user listing the user's sessions so they can all be ended.
type redisSessions struct {
	rdb    *redis.Client
	prefix string // "fleet:" by default
}

func (r redisSessions) key(id string) string { return r.prefix + "session:" + id }
func (r redisSessions) userKey(userID int64) string {
	return r.prefix + "user_sessions:" + strconv.FormatInt(userID, 10)
}

func (r redisSessions) create(ctx context.Context, s *sessionRow) error {
	k, uk := r.key(s.ID), r.userKey(s.UserID)
	_, err := r.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HSet(ctx, k, map[string]any{
			"user_id": s.UserID, "csrf": s.CSRFToken, "ip": s.IP, "ua": s.UserAgent,
			"created": s.CreatedAt.UnixNano(), "seen": s.LastSeenAt.UnixNano(), "expires": s.ExpiresAt.UnixNano(),
		})
		// A TTL rather than EXPIREAT, so a clock difference between this host and Redis does not
		// shorten or lengthen sessions.
		ttl := s.ExpiresAt.Sub(s.CreatedAt)
		p.Expire(ctx, k, ttl)
		p.SAdd(ctx, uk, s.ID)
		// The index lives as long as the user's newest session.
		p.Expire(ctx, uk, ttl)
		return nil
	})
	if err != nil {
		return fmt.Errorf("auth: store session in redis: %w", err)
	}
	return nil
}

func (r redisSessions) get(ctx context.Context, id string) (*sessionRow, error) {
	m, err := r.rdb.HGetAll(ctx, r.key(id)).Result()
	if err != nil {
		return nil, fmt.Errorf("auth: read session from redis: %w", err)
	}
	if len(m) == 0 {
		return nil, fleet.Errorf(fleet.ENotFound, "session not found")
	}
	num := func(k string) int64 { n, _ := strconv.ParseInt(m[k], 10, 64); return n }
	s := &sessionRow{
		ID: id, UserID: num("user_id"), CSRFToken: m["csrf"], IP: m["ip"], UserAgent: m["ua"],
		CreatedAt: time.Unix(0, num("created")).UTC(), LastSeenAt: time.Unix(0, num("seen")).UTC(),
		ExpiresAt: time.Unix(0, num("expires")).UTC(),
	}
	if s.UserID == 0 || s.CSRFToken == "" {
		return nil, fleet.Errorf(fleet.ENotFound, "session not found")
	}
	return s, nil
}

func (r redisSessions) touch(ctx context.Context, id string, now time.Time) {
	// HSET only if the session still exists, so a touch never revives a deleted one.
	r.rdb.Eval(ctx, `if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('HSET', KEYS[1], 'seen', ARGV[1]) end return 0`,
		[]string{r.key(id)}, now.UnixNano())
}

func (r redisSessions) delete(ctx context.Context, id string) error {
	s, err := r.get(ctx, id)
	if fleet.ErrorCode(err) == fleet.ENotFound {
		return nil
	} else if err != nil {
		return err
	}
	_, err = r.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Del(ctx, r.key(id))
		p.SRem(ctx, r.userKey(s.UserID), id)
		return nil
	})
	if err != nil {
		return fmt.Errorf("auth: delete session in redis: %w", err)
	}
	return nil
}

func (r redisSessions) deleteUser(ctx context.Context, userID int64, keep string) error {
	uk := r.userKey(userID)
	ids, err := r.rdb.SMembers(ctx, uk).Result()
	if err != nil {
		return fmt.Errorf("auth: list sessions in redis: %w", err)
	}
	_, err = r.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		for _, id := range ids {
			if id != keep {
				p.Del(ctx, r.key(id))
				p.SRem(ctx, uk, id)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("auth: delete sessions in redis: %w", err)
	}
	return nil
}

// purge has nothing to do: Redis expires sessions by itself.
func (r redisSessions) purge(context.Context, time.Time) (int64, error) { return 0, nil }
