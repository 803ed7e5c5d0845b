package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fleet/demo"
	"fleet/web/console"
)

// browser returns a chromedp context on headless Chromium (Debian's /usr/bin/chromium, or
// FLEET_CHROMIUM). Under CI=true a missing browser or an unbuilt console fails the test.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := os.Getenv("FLEET_CHROMIUM")
	if path == "" {
		path = "/usr/bin/chromium"
	}
	missing := ""
	if _, err := os.Stat(path); err != nil {
		missing = "Chromium not found at " + path + " (apt-get install chromium, or set FLEET_CHROMIUM)"
	} else if !console.Built() {
		missing = "the console is not built (make console)"
	}
	if missing != "" {
		if os.Getenv("CI") == "true" {
			t.Fatal(missing)
		}
		t.Skip(missing)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // CI runs as root
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.UserDataDir(filepath.Join(t.TempDir(), "chromium")),
		chromedp.WindowSize(1280, 800),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelC(); cancelA() })
	// The first action starts the browser; it must run on a context without a deadline.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// within runs actions with a deadline, so a missing element fails the test instead of hanging.
func within[T any](ctx context.Context, d time.Duration, a chromedp.Action[T]) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	return chromedp.Run(ctx, a)
}

func steps(ctx context.Context, steps ...chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	return chromedp.Do(ctx, steps...)
}

// A dispatcher signs in and sees the console's layout with the navigation of their role; a wrong
// password shows the error message; English is one click away.
func TestBrowserLoginAsDispatcher(t *testing.T) {
	ctx := browser(t)
	f := startFleetd(t, map[string]string{"FLEET_DB": "sqlite:" + filepath.Join(t.TempDir(), "fleet.db"), "FLEET_DEMO": "true"})
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	text := func(sel string) string {
		t.Helper()
		v, err := within(ctx, 10*time.Second, chromedp.Text(css(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return v
	}

	err := steps(ctx,
		chromedp.Navigate(f.base+"/"),
		chromedp.WaitVisible(css("#login-form")),
		chromedp.SendKeys(css("#username"), "demo_dispatcher"),
		chromedp.SendKeys(css("#password"), "not-the-password"),
		chromedp.Click(css("#login-submit")),
		chromedp.WaitVisible(css("#login-error")),
	)
	if err != nil {
		t.Fatalf("wrong-password flow: %v", err)
	}
	if got := text("#login-error"); !strings.Contains(got, "用户名或密码错误") {
		t.Fatalf("error message = %q, want 用户名或密码错误", got)
	}

	err = steps(ctx,
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#password").value = ""`),
		chromedp.SendKeys(css("#password"), demo.DefaultPassword),
		chromedp.Click(css("#login-submit")),
		chromedp.WaitVisible(css("#app-layout")),
	)
	if err != nil {
		t.Fatalf("login flow: %v", err)
	}
	if role := text("#current-role"); !strings.Contains(role, "调度员") {
		t.Errorf("role shown = %q, want 调度员", role)
	}
	if user, title := text("#current-user"), text("#page-title"); strings.TrimSpace(user) == "" || strings.TrimSpace(title) == "" {
		t.Errorf("user %q, title %q: want both shown", user, title)
	}
	navKeys, err := within(ctx, 10*time.Second, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#nav a[data-nav]')].map(a => a.dataset.nav)`))
	if err != nil {
		t.Fatal(err)
	}
	nav := strings.Join(navKeys, ",")
	if !strings.Contains(nav, "vehicles") || !strings.Contains(nav, "drivers") {
		t.Errorf("dispatcher navigation = %s, want vehicles and drivers", nav)
	}
	if strings.Contains(nav, "users") || strings.Contains(nav, "audit") {
		t.Errorf("dispatcher navigation = %s, must not offer users or audit", nav)
	}

	// The vehicle list shows the demo fleet.
	err = steps(ctx,
		chromedp.Click(css(`#nav a[data-nav="vehicles"]`)),
		chromedp.WaitVisible(css(`tr[data-id]`)),
	)
	if err != nil {
		t.Fatalf("vehicles page: %v", err)
	}
	if rows, _ := within(ctx, 5*time.Second, chromedp.Evaluate[int](`document.querySelectorAll('tr[data-id]').length`)); rows == 0 {
		t.Fatal("vehicles page shows no rows")
	}

	// Switch to English, then sign out.
	if err := steps(ctx, chromedp.Click(css("#lang-switch")), chromedp.Sleep(300*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if role := text("#current-role"); !strings.Contains(strings.ToLower(role), "dispatcher") {
		t.Errorf("role in English = %q, want Dispatcher", role)
	}
	if err := steps(ctx, chromedp.Click(css("#logout")), chromedp.WaitVisible(css("#login-form"))); err != nil {
		t.Fatalf("logout: %v", err)
	}
}
