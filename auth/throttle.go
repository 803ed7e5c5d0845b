package auth

import "time"

// ThrottleConfig limits failed logins per username and per address.
type ThrottleConfig struct {
	UserLimit int           // failures of one username before it is locked; default 5
	IPLimit   int           // failures from one address before it is locked; default 20
	Window    time.Duration // failures older than this are forgotten; default 15 min
	Lockout   time.Duration // how long a locked key stays locked; default 15 min
	SlowAfter int           // failures after which each answer is delayed; default 2
	SlowStep  time.Duration // delay per failure past SlowAfter, at most 4 steps; default 500 ms
}

func (c ThrottleConfig) withDefaults() ThrottleConfig {
	if c.UserLimit == 0 {
		c.UserLimit = 5
	}
	if c.IPLimit == 0 {
		c.IPLimit = 20
	}
	if c.Window == 0 {
		c.Window = 15 * time.Minute
	}
	if c.Lockout == 0 {
		c.Lockout = 15 * time.Minute
	}
	if c.SlowAfter == 0 {
		c.SlowAfter = 2
	}
	if c.SlowStep == 0 {
		c.SlowStep = 500 * time.Millisecond
	}
	return c
}

// failure is the failed-login record of one key.
type failure struct {
	Key         string
	Failures    int
	FirstAt     time.Time
	LastAt      time.Time
	LockedUntil *time.Time
}

// lockedFor returns how long the key stays locked at now, or 0.
func (f *failure) lockedFor(now time.Time) time.Duration {
	if f == nil || f.LockedUntil == nil || !f.LockedUntil.After(now) {
		return 0
	}
	return f.LockedUntil.Sub(now)
}

// add records one more failure at now, restarting the count when the window has passed, and
// locks the key when it reaches limit.
func (f *failure) add(now time.Time, limit int, c ThrottleConfig) {
	if f.Failures == 0 || now.Sub(f.FirstAt) > c.Window || (f.LockedUntil != nil && !f.LockedUntil.After(now)) {
		f.Failures, f.FirstAt, f.LockedUntil = 0, now, nil
	}
	f.Failures++
	f.LastAt = now
	if f.Failures >= limit {
		until := now.Add(c.Lockout)
		f.LockedUntil = &until
	}
}

// delay is how long to hold the answer to a failed login, to slow guessing before the lock-out.
func (c ThrottleConfig) delay(failures int) time.Duration {
	n := failures - c.SlowAfter
	if n <= 0 {
		return 0
	}
	if n > 4 {
		n = 4
	}
	return time.Duration(n) * c.SlowStep
}
