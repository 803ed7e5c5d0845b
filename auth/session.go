package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"fleet"
)

// LoginInput is a sign-in attempt.
type LoginInput struct {
	Username  string `json:"username"`
	Password  string `json:"password"`
	IP        string `json:"-"`
	UserAgent string `json:"-"`
}

// Login is a started session: the bearer token is shown once and stored only as its hash.
type Login struct {
	Token     string    `json:"token"`
	CSRFToken string    `json:"csrf_token"`
	ExpiresAt time.Time `json:"expires_at"`
	User      *User     `json:"user"`
}

// errBadLogin is the one answer to a wrong username or password, so neither is revealed.
var errBadLogin = fleet.Errorf(fleet.EUnauthorized, "wrong username or password")

// Login checks the credentials, with failed attempts throttled per username and address, and
// starts a session.
func (s *Service) Login(ctx context.Context, in LoginInput) (*Login, error) {
	p := fleet.Problems{}
	in.Username = p.Text("username", in.Username, true, 64)
	if in.Password == "" {
		p.Add("password", "required")
	} else if len(in.Password) > 1024 {
		p.Add("password", "too long")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	keys := []string{userThrottleKey(in.Username), "ip:" + in.IP}
	wait, failures, err := s.reserveAttempt(ctx, keys, now)
	if err != nil {
		return nil, err
	} else if wait > 0 {
		return nil, rateLimited(wait)
	}

	u, hash, err := s.userForLogin(ctx, in.Username)
	if err != nil && fleet.ErrorCode(err) != fleet.ENotFound {
		return nil, err
	}
	if u == nil {
		passwordMatches(s.dummyHash, in.Password)
		return nil, s.loginFailed(ctx, in, nil, keys, failures, now)
	}
	if !passwordMatches(hash, in.Password) {
		return nil, s.loginFailed(ctx, in, u, keys, failures, now)
	}
	if u.Disabled { // counted against the username, as a wrong password is
		s.record(ctx, auditEntry{At: now, ActorID: &u.ID, ActorName: u.Username, Action: "login_refused", Target: userTarget(u.ID), Detail: "account disabled", IP: in.IP})
		return nil, fleet.Errorf(fleet.EUnauthorized, "this account is disabled")
	}
	if err := s.clearFailures(ctx, keys[0]); err != nil {
		return nil, err
	}
	token, id := newToken()
	sess := sessionRow{
		ID: id, UserID: u.ID, CSRFToken: randomHex(32), IP: truncate(in.IP, 64),
		UserAgent: truncate(in.UserAgent, 255), CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.opt.SessionTTL),
	}
	if err := s.sessions.create(ctx, &sess); err != nil {
		return nil, err
	}
	s.record(ctx, auditEntry{At: now, ActorID: &u.ID, ActorName: u.Username, Action: "login", Target: userTarget(u.ID), IP: in.IP})
	return &Login{Token: token, CSRFToken: sess.CSRFToken, ExpiresAt: sess.ExpiresAt, User: u}, nil
}

// loginFailed counts the failure against the address (the username's, failures, was counted
// before the password was checked), writes it to the audit log, holds the answer a little when
// failures pile up, and returns the error to show.
func (s *Service) loginFailed(ctx context.Context, in LoginInput, u *User, keys []string, failures int, now time.Time) error {
	if err := s.addFailures(ctx, keys[1:], now); err != nil {
		return err
	}
	e := auditEntry{At: now, ActorName: truncate(in.Username, 100), Action: "login_failed", Detail: fmt.Sprintf("failure %d", failures), IP: in.IP}
	if u != nil {
		e.ActorID, e.Target = &u.ID, userTarget(u.ID)
	}
	s.record(ctx, e)
	if d := s.opt.Throttle.delay(failures); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
		}
	}
	return errBadLogin
}

// userThrottleKey is the failure-count key of a username (any case).
func userThrottleKey(username string) string { return "user:" + strings.ToLower(username) }

func rateLimited(wait time.Duration) error {
	mins := int(math.Ceil(wait.Minutes()))
	e := fleet.Errorf(fleet.ERateLimited, "too many failed sign-ins; try again in %d minutes", mins)
	e.RetryAfter = int(math.Ceil(wait.Seconds()))
	return e
}

// Authenticate returns the actor of a bearer token or session cookie value. An expired session,
// a revoked one or one of a disabled user is refused at once.
func (s *Service) Authenticate(ctx context.Context, token string) (*Actor, error) {
	if token == "" || len(token) > 256 {
		return nil, fleet.Errorf(fleet.EUnauthorized, "sign in first")
	}
	id := tokenID(token)
	now := s.now()
	ended := fleet.Errorf(fleet.EUnauthorized, "your session has ended; sign in again")
	sess, err := s.sessions.get(ctx, id)
	if fleet.ErrorCode(err) == fleet.ENotFound {
		return nil, ended
	} else if err != nil {
		return nil, err
	}
	if !sess.ExpiresAt.After(now) {
		return nil, ended
	}
	// The user is read on every request, so disabling or a role change takes effect at once.
	u, err := s.sessionUser(ctx, sess.UserID)
	if fleet.ErrorCode(err) == fleet.ENotFound {
		return nil, ended
	} else if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, ended
	}
	if now.Sub(sess.LastSeenAt) > time.Minute {
		s.sessions.touch(ctx, id, now)
	}
	return &Actor{UserID: u.ID, Username: u.Username, Name: u.Name, Role: u.Role, UnitID: u.UnitID,
		SessionID: id, CSRFToken: sess.CSRFToken}, nil
}

// Logout ends the actor's session.
func (s *Service) Logout(ctx context.Context, a *Actor) error {
	if err := s.sessions.delete(ctx, a.SessionID); err != nil {
		return err
	}
	s.record(ctx, auditEntry{At: s.now(), ActorID: &a.UserID, ActorName: a.Username, Action: "logout", Target: userTarget(a.UserID), IP: a.IP})
	return nil
}

// PurgeExpired deletes expired sessions and stale failure records; fleetd runs it now and then.
func (s *Service) PurgeExpired(ctx context.Context) (int64, error) {
	now := s.now()
	n, err := s.sessions.purge(ctx, now)
	if err != nil {
		return 0, err
	}
	return n, s.purgeFailures(ctx, now.Add(-(s.opt.Throttle.Window + s.opt.Throttle.Lockout)))
}

// newToken returns a random bearer token and its stored id (SHA-256, hex).
func newToken() (token, id string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("auth: crypto/rand failed: " + err.Error())
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, tokenID(token)
}

func tokenID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func randomHex(n int) string {
	b := make([]byte, n/2)
	if _, err := rand.Read(b); err != nil {
		panic("auth: crypto/rand failed: " + err.Error())
	}
	return hex.EncodeToString(b)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	// Drop the tail of a character cut in two.
	for i := 0; i < utf8.UTFMax && len(s) > 0 && !utf8.ValidString(s); i++ {
		s = s[:len(s)-1]
	}
	return s
}

func userTarget(id int64) string { return fmt.Sprintf("user:%d", id) }
