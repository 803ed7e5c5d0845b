package auth_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"fleet"
	"fleet/auth"
	"fleet/store"
	"fleet/store/storetest"
)

// fixture is a service with one unit and a clock the test moves.
type fixture struct {
	svc  *auth.Service
	now  time.Time
	unit *auth.Unit
}

func newFixture(t *testing.T, db *store.DB) *fixture { return newFixtureWith(t, db, nil) }

func newFixtureWith(t *testing.T, db *store.DB, rdb *redis.Client) *fixture {
	t.Helper()
	f := &fixture{now: time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)}
	f.svc = auth.NewService(db, auth.Options{
		BcryptCost: 4, Now: func() time.Time { return f.now },
		Throttle: auth.ThrottleConfig{SlowStep: time.Millisecond},
		Redis:    rdb, RedisPrefix: fmt.Sprintf("fleettest%d:", time.Now().UnixNano()),
	})
	u, err := f.svc.CreateUnit(context.Background(), auth.System, auth.UnitInput{Name: "县机关事务管理中心"})
	if err != nil {
		t.Fatalf("create unit: %v", err)
	}
	f.unit = u
	return f
}

func (f *fixture) user(t *testing.T, username, role string) *auth.User {
	t.Helper()
	u, err := f.svc.CreateUser(context.Background(), auth.System, auth.UserInput{
		Username: username, Password: "correct-horse", Name: "测试" + username, Role: role, UnitID: f.unit.ID})
	if err != nil {
		t.Fatalf("create user %s: %v", username, err)
	}
	return u
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := fleet.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

// eachSessionStore runs fn with sessions in the database (SQLite and MariaDB) and in Redis.
func eachSessionStore(t *testing.T, fn func(t *testing.T, f *fixture)) {
	storetest.Each(t, func(t *testing.T, db *store.DB) { fn(t, newFixture(t, db)) })
	t.Run("redis", func(t *testing.T) {
		url := os.Getenv("FLEET_TEST_REDIS")
		if url == "" {
			if os.Getenv("CI") == "true" {
				t.Fatal("FLEET_TEST_REDIS is not set: under CI=true the Redis session tests must run")
			}
			t.Skip("FLEET_TEST_REDIS not set")
		}
		opt, err := redis.ParseURL(url)
		if err != nil {
			t.Fatal(err)
		}
		rdb := redis.NewClient(opt)
		t.Cleanup(func() { rdb.Close() })
		fn(t, newFixtureWith(t, storetest.SQLite(t), rdb))
	})
}

func TestLoginAndAuthenticate(t *testing.T) {
	eachSessionStore(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		f.user(t, "dispatcher1", auth.RoleDispatcher)

		login, err := f.svc.Login(ctx, auth.LoginInput{Username: "Dispatcher1", Password: "correct-horse", IP: "10.0.0.1"})
		if err != nil {
			t.Fatalf("login: %v", err)
		}
		if login.Token == "" || login.CSRFToken == "" || login.User.Role != auth.RoleDispatcher || login.User.UnitName != "县机关事务管理中心" {
			t.Fatalf("login = %+v, user %+v", login, login.User)
		}
		a, err := f.svc.Authenticate(ctx, login.Token)
		if err != nil {
			t.Fatalf("authenticate: %v", err)
		}
		if a.Username != "dispatcher1" || a.CSRFToken != login.CSRFToken {
			t.Fatalf("actor = %+v", a)
		}
		_, err = f.svc.Authenticate(ctx, login.Token+"x")
		wantCode(t, err, fleet.EUnauthorized)

		// Sessions expire.
		f.now = f.now.Add(13 * time.Hour)
		_, err = f.svc.Authenticate(ctx, login.Token)
		wantCode(t, err, fleet.EUnauthorized)
	})
}

func TestLogoutRevokesToken(t *testing.T) {
	eachSessionStore(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		f.user(t, "staff1", auth.RoleStaff)
		login, _ := f.svc.Login(ctx, auth.LoginInput{Username: "staff1", Password: "correct-horse"})
		a, err := f.svc.Authenticate(ctx, login.Token)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Logout(ctx, a); err != nil {
			t.Fatalf("logout: %v", err)
		}
		_, err = f.svc.Authenticate(ctx, login.Token)
		wantCode(t, err, fleet.EUnauthorized)
	})
}

func TestDisablingEndsSessionsAtOnce(t *testing.T) {
	eachSessionStore(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		admin := f.user(t, "admin", auth.RoleAdmin)
		driver := f.user(t, "driver1", auth.RoleDriver)
		la, _ := f.svc.Login(ctx, auth.LoginInput{Username: "admin", Password: "correct-horse"})
		ld, _ := f.svc.Login(ctx, auth.LoginInput{Username: "driver1", Password: "correct-horse"})
		adminActor, _ := f.svc.Authenticate(ctx, la.Token)

		if _, err := f.svc.SetDisabled(ctx, adminActor, driver.ID, true); err != nil {
			t.Fatalf("disable: %v", err)
		}
		_, err := f.svc.Authenticate(ctx, ld.Token)
		wantCode(t, err, fleet.EUnauthorized)
		_, err = f.svc.Login(ctx, auth.LoginInput{Username: "driver1", Password: "correct-horse"})
		wantCode(t, err, fleet.EUnauthorized)
		// An admin cannot lock themself out.
		_, err = f.svc.SetDisabled(ctx, adminActor, admin.ID, true)
		wantCode(t, err, fleet.EConflict)
		// Enabled again, the user signs in.
		if _, err := f.svc.SetDisabled(ctx, adminActor, driver.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Login(ctx, auth.LoginInput{Username: "driver1", Password: "correct-horse"}); err != nil {
			t.Fatalf("login after enable: %v", err)
		}
	})
}

func TestFailedLoginsLockOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		f.user(t, "leader1", auth.RoleLeader)
		for i := 1; i <= 5; i++ {
			_, err := f.svc.Login(ctx, auth.LoginInput{Username: "leader1", Password: "wrong-password", IP: "10.0.0.9"})
			wantCode(t, err, fleet.EUnauthorized)
		}
		// Locked: even the right password is refused, with a retry time.
		_, err := f.svc.Login(ctx, auth.LoginInput{Username: "leader1", Password: "correct-horse", IP: "10.0.0.2"})
		wantCode(t, err, fleet.ERateLimited)
		if e := err.(*fleet.Error); e.RetryAfter < 60 {
			t.Fatalf("retry after %d s, want about 15 min", e.RetryAfter)
		}
		f.now = f.now.Add(16 * time.Minute)
		if _, err := f.svc.Login(ctx, auth.LoginInput{Username: "leader1", Password: "correct-horse", IP: "10.0.0.2"}); err != nil {
			t.Fatalf("login after lock-out: %v", err)
		}
		// Failures went to the audit log.
		entries, _, err := f.svc.ListAudit(ctx, auth.System, fleet.Page{Query: "login_failed"})
		if err != nil || len(entries) != 5 {
			t.Fatalf("login_failed entries = %d (%v), want 5", len(entries), err)
		}
	})
}

func TestUnknownUserAndIPThrottle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		f.user(t, "staff2", auth.RoleStaff)
		// One address guessing many usernames is locked after 20 failures.
		for i := 0; i < 20; i++ {
			_, err := f.svc.Login(ctx, auth.LoginInput{Username: "nobody" + string(rune('a'+i)), Password: "whatever1", IP: "10.9.9.9"})
			wantCode(t, err, fleet.EUnauthorized)
		}
		_, err := f.svc.Login(ctx, auth.LoginInput{Username: "staff2", Password: "correct-horse", IP: "10.9.9.9"})
		wantCode(t, err, fleet.ERateLimited)
		// Another address is not affected.
		if _, err := f.svc.Login(ctx, auth.LoginInput{Username: "staff2", Password: "correct-horse", IP: "10.1.1.1"}); err != nil {
			t.Fatalf("login from another address: %v", err)
		}
	})
}

func TestUserValidationAndConflicts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		f.user(t, "taken", auth.RoleStaff)
		tests := []struct {
			name  string
			in    auth.UserInput
			code  string
			field string
		}{
			{"duplicate username", auth.UserInput{Username: "taken", Password: "long-enough", Name: "x", Role: "staff", UnitID: f.unit.ID}, fleet.EConflict, "username"},
			{"duplicate username other case", auth.UserInput{Username: "TAKEN", Password: "long-enough", Name: "x", Role: "staff", UnitID: f.unit.ID}, fleet.EConflict, "username"},
			{"short password", auth.UserInput{Username: "u1", Password: "short", Name: "x", Role: "staff", UnitID: f.unit.ID}, fleet.EInvalid, "password"},
			{"unknown role", auth.UserInput{Username: "u2", Password: "long-enough", Name: "x", Role: "superuser", UnitID: f.unit.ID}, fleet.EInvalid, "role"},
			{"no unit", auth.UserInput{Username: "u3", Password: "long-enough", Name: "x", Role: "staff", UnitID: 9999}, fleet.EInvalid, "unit_id"},
			{"empty name", auth.UserInput{Username: "u4", Password: "long-enough", Name: "  ", Role: "staff", UnitID: f.unit.ID}, fleet.EInvalid, "name"},
			{"SQL in username", auth.UserInput{Username: "x'; DROP TABLE users;--", Password: "long-enough", Name: "x", Role: "staff", UnitID: f.unit.ID}, fleet.EInvalid, "username"},
			{"overlong name", auth.UserInput{Username: "u5", Password: "long-enough", Name: string(make([]rune, 101)), Role: "staff", UnitID: f.unit.ID}, fleet.EInvalid, "name"},
			{"invalid utf-8", auth.UserInput{Username: "u6", Password: "long-enough", Name: "\xff\xfe", Role: "staff", UnitID: f.unit.ID}, fleet.EInvalid, "name"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := f.svc.CreateUser(ctx, auth.System, tt.in)
				wantCode(t, err, tt.code)
				if fe := err.(*fleet.Error); fe.Fields[tt.field] == "" {
					t.Fatalf("fields = %v, want a problem with %s", fe.Fields, tt.field)
				}
			})
		}
		// A name with SQL metacharacters is stored as typed.
		u, err := f.svc.CreateUser(ctx, auth.System, auth.UserInput{Username: "quote", Password: "long-enough", Name: `O'Brien"; DROP TABLE users;--`, Role: "staff", UnitID: f.unit.ID})
		if err != nil || u.Name != `O'Brien"; DROP TABLE users;--` {
			t.Fatalf("user = %+v, %v", u, err)
		}
		users, total, err := f.svc.ListUsers(ctx, auth.System, auth.UserFilter{})
		if err != nil || total != 2 || len(users) != 2 {
			t.Fatalf("users = %d/%d (%v), want 2", len(users), total, err)
		}
		// Wildcards in a search are literal.
		_, total, _ = f.svc.ListUsers(ctx, auth.System, auth.UserFilter{Page: fleet.Page{Query: "%"}})
		if total != 0 {
			t.Fatalf("search %% matched %d users, want 0", total)
		}
	})
}

func TestRolesArePolicedInService(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		f.user(t, "aud", auth.RoleAuditor)
		l, _ := f.svc.Login(ctx, auth.LoginInput{Username: "aud", Password: "correct-horse"})
		auditor, _ := f.svc.Authenticate(ctx, l.Token)
		if _, _, err := f.svc.ListUsers(ctx, auditor, auth.UserFilter{}); err != nil {
			t.Fatalf("auditor list users: %v", err)
		}
		_, err := f.svc.CreateUser(ctx, auditor, auth.UserInput{Username: "x1", Password: "long-enough", Name: "x", Role: "admin", UnitID: f.unit.ID})
		wantCode(t, err, fleet.EForbidden)
		_, err = f.svc.CreateUnit(ctx, auditor, auth.UnitInput{Name: "新单位"})
		wantCode(t, err, fleet.EForbidden)
	})
}

func TestUnitTree(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		child, err := f.svc.CreateUnit(ctx, auth.System, auth.UnitInput{Name: "车管股", ParentID: &f.unit.ID})
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.UpdateUnit(ctx, auth.System, f.unit.ID, auth.UnitInput{Name: f.unit.Name, ParentID: &child.ID})
		wantCode(t, err, fleet.EInvalid)
		_, err = f.svc.CreateUnit(ctx, auth.System, auth.UnitInput{Name: "车管股"})
		wantCode(t, err, fleet.EConflict)
		// A unit with sub-units is not deleted.
		wantCode(t, f.svc.DeleteUnit(ctx, auth.System, f.unit.ID), fleet.EConflict)
		if err := f.svc.DeleteUnit(ctx, auth.System, child.ID); err != nil {
			t.Fatalf("delete leaf unit: %v", err)
		}
		f.user(t, "someone", auth.RoleStaff)
		wantCode(t, f.svc.DeleteUnit(ctx, auth.System, f.unit.ID), fleet.EConflict)
	})
}

func TestPolicyAuditorReadsOnly(t *testing.T) {
	for _, p := range []auth.Permission{auth.PermUsersRead, auth.PermVehiclesRead, auth.PermAuditRead, auth.PermUnitsRead} {
		if !auth.Can(auth.RoleAuditor, p) {
			t.Errorf("auditor cannot %s", p)
		}
	}
	for _, p := range []auth.Permission{auth.PermUsersWrite, auth.PermVehiclesWrite, auth.PermUnitsWrite, auth.PermDriversWrite} {
		if auth.Can(auth.RoleAuditor, p) {
			t.Errorf("auditor can %s", p)
		}
	}
}

func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	eachSessionStore(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		u := f.user(t, "leader2", auth.RoleLeader)
		phone, _ := f.svc.Login(ctx, auth.LoginInput{Username: "leader2", Password: "correct-horse"})
		desk, _ := f.svc.Login(ctx, auth.LoginInput{Username: "leader2", Password: "correct-horse"})
		me, err := f.svc.Authenticate(ctx, desk.Token)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.ChangeOwnPassword(ctx, me, "wrong-current", "new-password-1"); fleet.ErrorCode(err) != fleet.EInvalid {
			t.Fatalf("wrong current password = %v, want invalid", err)
		}
		if err := f.svc.ChangeOwnPassword(ctx, me, "correct-horse", "new-password-1"); err != nil {
			t.Fatalf("change password: %v", err)
		}
		// The session that changed it goes on; the other one has ended.
		if _, err := f.svc.Authenticate(ctx, desk.Token); err != nil {
			t.Fatalf("own session after change: %v", err)
		}
		_, err = f.svc.Authenticate(ctx, phone.Token)
		wantCode(t, err, fleet.EUnauthorized)
		// An admin's reset ends them all.
		if err := f.svc.SetPassword(ctx, auth.System, u.ID, "reset-password-2"); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.Authenticate(ctx, desk.Token)
		wantCode(t, err, fleet.EUnauthorized)
		if _, err := f.svc.Login(ctx, auth.LoginInput{Username: "leader2", Password: "reset-password-2"}); err != nil {
			t.Fatalf("login with the reset password: %v", err)
		}
	})
}
