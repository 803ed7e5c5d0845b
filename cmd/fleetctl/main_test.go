package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"fleet"
	"fleet/auth"
	"fleet/store"
)

func TestUsage(t *testing.T) {
	e := newTestEnv(t)
	for _, args := range [][]string{{}, {"help"}, {"-h"}} {
		out, _, err := e.run("", args...)
		if err != nil {
			t.Errorf("fleetctl %v: %v, want no error", args, err)
		}
		wantContains(t, "usage", out, "migrate", "user add", "unit add", "seed demo", "import vehicles", "import drivers", "backup", "restore")
	}
	for _, args := range [][]string{{"frobnicate"}, {"user", "delete", "x"}, {"import"}} {
		_, errOut, err := e.run("", args...)
		if err == nil {
			t.Errorf("fleetctl %v: no error, want one", args)
		}
		wantContains(t, "stderr", errOut, "Commands:")
	}
}

func TestMigrateTwice(t *testing.T) {
	e := newTestEnv(t)
	v := store.LatestVersion()
	first := e.ok("migrate")
	second := e.ok("-db", e.url, "migrate") // the flag names the same database
	for _, c := range []struct{ got, want string }{
		{first, fmt.Sprintf("applied %d migrations, schema version %d\n", v, v)},
		{second, fmt.Sprintf("applied 0 migrations, schema version %d\n", v)},
	} {
		if c.got != c.want {
			t.Errorf("migrate printed %q, want %q", c.got, c.want)
		}
	}
}

func TestBadConfig(t *testing.T) {
	e := newTestEnv(t)
	getenv := func(k string) string { return map[string]string{"FLEET_DB": e.url, "FLEET_BCRYPT_COST": "two"}[k] }
	err := run(context.Background(), []string{"fleetctl", "migrate"}, getenv, nil, &strings.Builder{}, &strings.Builder{})
	if err == nil || !strings.Contains(err.Error(), "FLEET_BCRYPT_COST") {
		t.Fatalf("bad FLEET_BCRYPT_COST: err = %v, want one naming it", err)
	}
	if _, _, err := e.run("", "-db", "postgres://x", "migrate"); err == nil {
		t.Fatal("migrate with a postgres URL: no error")
	}
}

func TestUnitAndUserCommands(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.ok("unit", "add", "-name", "县政府", "-code", "AH02")
	e.ok("unit", "add", "-name", "县机关事务管理中心", "-parent", "县政府")
	out := e.ok("unit", "add", "-name", "公务用车管理股", "-parent", "县机关事务管理中心", "-code", "AH021801")
	wantContains(t, "unit add", out, "created unit 公务用车管理股")
	if _, _, err := e.run("", "unit", "add", "-name", "县水利局", "-parent", "县水务局"); err == nil {
		t.Error("unit add under an unknown parent: no error")
	}
	out = e.ok("unit", "list")
	wantContains(t, "unit list", out, "县政府", "  县机关事务管理中心", "    公务用车管理股", "AH021801")

	// The password comes from stdin when -password is not given.
	out, _, err := e.run("s3cret-from-stdin\n", "user", "add", "-username", "diaodu", "-name", "陈静",
		"-role", "dispatcher", "-unit", "公务用车管理股", "-phone", "13900000001")
	if err != nil {
		t.Fatalf("user add: %v", err)
	}
	wantContains(t, "user add", out, "created user diaodu", "dispatcher", "公务用车管理股")
	if strings.Contains(out, "s3cret") {
		t.Errorf("user add printed the password it was given: %s", out)
	}
	a, _ := e.services()
	if _, err := a.Login(ctx, auth.LoginInput{Username: "diaodu", Password: "s3cret-from-stdin"}); err != nil {
		t.Fatalf("login with the stdin password: %v", err)
	}

	// With stdin empty, a password is generated and printed once.
	out = e.ok("user", "add", "-username", "admin2", "-name", "周敏", "-role", "admin", "-unit", "县机关事务管理中心")
	_, generated, found := strings.Cut(out, "password (shown once): ")
	generated = strings.TrimSpace(generated)
	if !found || len(generated) < 16 {
		t.Fatalf("user add without a password printed %q, want a generated one", out)
	}
	if _, err := a.Login(ctx, auth.LoginInput{Username: "admin2", Password: generated}); err != nil {
		t.Fatalf("login with the generated password: %v", err)
	}

	// Unknown units and roles are refused with the reason.
	_, _, err = e.run("", "user", "add", "-username", "x1", "-name", "X", "-role", "staff", "-unit", "县不存在局", "-password", "long-enough-1")
	if err == nil || !strings.Contains(err.Error(), "县不存在局") {
		t.Errorf("user add in an unknown unit: err = %v", err)
	}
	_, _, err = e.run("", "user", "add", "-username", "x2", "-name", "X", "-role", "boss", "-unit", "县政府", "-password", "long-enough-1")
	if err == nil || !strings.Contains(err.Error(), "role") {
		t.Errorf("user add with an unknown role: err = %v", err)
	}

	// passwd: the flag may follow the username.
	e.ok("user", "passwd", "diaodu", "-password", "new-password-2")
	if _, err := a.Login(ctx, auth.LoginInput{Username: "diaodu", Password: "s3cret-from-stdin"}); fleet.ErrorCode(err) != fleet.EUnauthorized {
		t.Fatalf("login with the old password: %v, want unauthorized", err)
	}
	if _, err := a.Login(ctx, auth.LoginInput{Username: "diaodu", Password: "new-password-2"}); err != nil {
		t.Fatalf("login with the new password: %v", err)
	}
	if _, _, err := e.run("", "user", "passwd", "nobody", "-password", "new-password-2"); err == nil {
		t.Error("passwd of an unknown user: no error")
	}

	// disable refuses the login; enable lets it in again.
	out = e.ok("user", "disable", "diaodu")
	wantContains(t, "user disable", out, "diaodu disabled")
	_, err = a.Login(ctx, auth.LoginInput{Username: "diaodu", Password: "new-password-2"})
	if fleet.ErrorCode(err) != fleet.EUnauthorized || !strings.Contains(fleet.ErrorMessage(err), "disabled") {
		t.Fatalf("login of a disabled user: %v, want unauthorized (disabled)", err)
	}
	out = e.ok("user", "list", "-role", "dispatcher")
	wantContains(t, "user list", out, "diaodu", "陈静", "disabled")
	if strings.Contains(out, "admin2") {
		t.Errorf("user list -role dispatcher shows the admin:\n%s", out)
	}
	e.ok("user", "enable", "diaodu")
	if _, err := a.Login(ctx, auth.LoginInput{Username: "diaodu", Password: "new-password-2"}); err != nil {
		t.Fatalf("login after enable: %v", err)
	}
}

func TestSeedDemo(t *testing.T) {
	e := newTestEnv(t)
	out := e.ok("seed", "demo")
	wantContains(t, "first seed", out, "demo county seeded", "45 drivers", "demo_dispatcher", "fleet-demo-2026", "公务用车管理股", "demo_auditor")
	out = e.ok("seed", "demo")
	wantContains(t, "second seed", out, "nothing created", "demo_dispatcher", "fleet-demo-2026")
	if n := e.count("vehicles"); n != 40 {
		t.Fatalf("vehicles after seeding twice = %d, want 40", n)
	}
	a, _ := e.services()
	if _, err := a.Login(context.Background(), auth.LoginInput{Username: "demo_driver", Password: "fleet-demo-2026"}); err != nil {
		t.Fatalf("demo login: %v", err)
	}
}
