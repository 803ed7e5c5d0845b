package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fleet/demo"
	"fleet/tracking/jt808"
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

// screenshot saves the page as a test artifact, NAME.png under $FLEET_TEST_ARTIFACTS (default
// fleet-artifacts in the temporary directory), and logs where.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	shot, err := within(ctx, 10*time.Second, chromedp.CaptureScreenshot())
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	dir := os.Getenv("FLEET_TEST_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "fleet-artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	t.Logf("screenshot: %s", path)
}

func steps(ctx context.Context, steps ...chromedp.Action[chromedp.Void]) error {
	// Generous: on a loaded CI machine a sequence of clicks and round trips took over 20 s.
	ctx, cancel := context.WithTimeout(ctx, 45*time.Second)
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

// On the live map the demo vehicles appear, and a location sent by a terminal over TCP moves
// its vehicle within 2 s.
func TestBrowserLiveMap(t *testing.T) {
	ctx := browser(t)
	gw := freeAddr(t)
	// Demo mode runs simulated terminals for the first 30 vehicles; vehicle 40's terminal is ours.
	f := startFleetd(t, map[string]string{"FLEET_DB": "sqlite:" + filepath.Join(t.TempDir(), "fleet.db"), "FLEET_DEMO": "true", "FLEET_JT808_ADDR": gw})
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	err := steps(ctx,
		chromedp.Navigate(f.base+"/login"),
		chromedp.WaitVisible(css("#login-form")),
		chromedp.SendKeys(css("#username"), "demo_dispatcher"),
		chromedp.SendKeys(css("#password"), demo.DefaultPassword),
		chromedp.Click(css("#login-submit")),
		chromedp.WaitVisible(css("#app-layout")),
		chromedp.Navigate(f.base+"/map"),
		chromedp.WaitVisible(css("#live-map")),
		chromedp.WaitVisible(css(`#vehicle-list [data-vehicle-id]`)),
		chromedp.WaitVisible(css(`#ws-status[data-state="open"]`)),
	)
	if err != nil {
		t.Fatalf("map page: %v", err)
	}
	// The demo terminals connect over 10 s; their vehicles join the list as they report.
	n := 0
	for deadline := time.Now().Add(25 * time.Second); n < 20 && time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		n, _ = within(ctx, 5*time.Second, chromedp.Evaluate[int](`document.querySelectorAll('#vehicle-list [data-vehicle-id]').length`))
	}
	if n < 20 {
		t.Fatalf("the map lists %d vehicles, want the demo fleet", n)
	}
	// Our terminal: the 40th demo vehicle's phone.
	term := dialTerminal(t, gw, "013907950040")
	var vid int64
	token, _ := login(t, f.base, "demo_dispatcher", demo.DefaultPassword)
	var vs struct {
		Items []struct {
			ID            int64  `json:"id"`
			Plate         string `json:"plate"`
			TerminalPhone string `json:"terminal_phone"`
		} `json:"items"`
	}
	getJSON(t, f.base+"/api/vehicles?limit=100", token, &vs)
	for _, v := range vs.Items {
		if v.TerminalPhone == "13907950040" {
			vid = v.ID
		}
	}
	if vid == 0 {
		t.Fatal("no demo vehicle with terminal 13907950040")
	}
	p, _ := jt808.ParsePhone("013907950040")
	loc := jt808.Location{Status: jt808.StatusACC | jt808.StatusPositioned, Lat: 27.83456, Lng: 114.41234, SpeedKmh: 36, Time: time.Now().Add(-2 * time.Second).Truncate(time.Second)}
	frame, _ := jt808.AppendFrame(nil, jt808.Header{MsgID: jt808.MsgLocation, Phone: p, Serial: 3}, jt808.AppendLocation(nil, &loc))
	sent := time.Now()
	term.conn.Write(frame)
	sel := fmt.Sprintf(`#vehicle-list [data-vehicle-id="%d"][data-lat^="27.834"]`, vid)
	if err := steps(ctx, chromedp.WaitVisible(css(sel))); err != nil {
		t.Fatalf("the vehicle did not move on the map: %v", err)
	}
	if d := time.Since(sent); d > 2*time.Second {
		t.Errorf("the marker moved %v after the location was sent, want within 2 s", d)
	}
	screenshot(t, ctx, "live-map")

	// The terminal's emergency button: the alarm reaches the alerts panel, and the dispatcher
	// acknowledges it there.
	var plate string
	for _, v := range vs.Items {
		if v.ID == vid {
			plate = v.Plate
		}
	}
	loc.Alarm = jt808.AlarmSOS
	loc.Time = time.Now().Add(-time.Second).Truncate(time.Second)
	frame, _ = jt808.AppendFrame(nil, jt808.Header{MsgID: jt808.MsgLocation, Phone: p, Serial: 4}, jt808.AppendLocation(nil, &loc))
	term.conn.Write(frame)
	ours := fmt.Sprintf(`[...document.querySelectorAll('#alerts li[data-type="alarm"]')].find((li) => li.querySelector('.alert-plate')?.textContent === %q)`, plate)
	var found bool
	for deadline := time.Now().Add(5 * time.Second); !found && time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		found, _ = within(ctx, 2*time.Second, chromedp.Evaluate[bool](`!!`+ours))
	}
	if !found {
		t.Fatalf("no alarm for %s in the alerts panel", plate)
	}
	screenshot(t, ctx, "live-map-alarm")
	if _, err := within(ctx, 5*time.Second, chromedp.Evaluate[bool](ours+`.querySelector('[data-action=ack]').click() ?? true`)); err != nil {
		t.Fatalf("ack click: %v", err)
	}
	acked := false
	for deadline := time.Now().Add(5 * time.Second); !acked && time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		acked, _ = within(ctx, 2*time.Second, chromedp.Evaluate[bool](ours+`.classList.contains('acked')`))
	}
	if !acked {
		t.Fatal("the alarm was not shown acknowledged after the click")
	}

	// Track playback (轨迹回放) of our vehicle over the last hour: its points drawn, the SOS
	// alarm marked on the track, and the slider moves when played.
	base := time.Now().Truncate(time.Second).Add(time.Second) // after the alarm's fix
	for i := 0; i < 3; i++ {                                  // a short drive east, so the track has a line to draw
		loc.Alarm = 0
		loc.Lng += 0.002
		loc.Time = base.Add(time.Duration(i) * time.Second)
		frame, _ = jt808.AppendFrame(nil, jt808.Header{MsgID: jt808.MsgLocation, Phone: p, Serial: uint16(5 + i)}, jt808.AppendLocation(nil, &loc))
		term.conn.Write(frame)
	}
	time.Sleep(time.Second) // acknowledged after the commit; the page reads the store
	from := url.QueryEscape(time.Now().Add(-time.Hour).UTC().Format(time.RFC3339))
	to := url.QueryEscape(time.Now().Add(time.Hour).UTC().Format(time.RFC3339))
	err = steps(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/playback?vehicle=%d&from=%s&to=%s", f.base, vid, from, to)),
		chromedp.WaitVisible(css(`#playback-map[data-points]`)),
	)
	if err != nil {
		t.Fatalf("playback page: %v", err)
	}
	points, _ := within(ctx, 5*time.Second, chromedp.Evaluate[int](`+document.querySelector('#playback-map').dataset.points`))
	events, _ := within(ctx, 5*time.Second, chromedp.Evaluate[int](`+document.querySelector('#playback-map').dataset.events`))
	if points < 4 || events < 1 {
		t.Fatalf("playback drew %d points and %d events, want the 5 points sent and the SOS alarm", points, events)
	}
	before, _ := within(ctx, 5*time.Second, chromedp.Evaluate[float64](`+document.querySelector('#playback-slider').value`))
	if err := steps(ctx, chromedp.Click(css("#playback-play")), chromedp.Sleep(1500*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	after, _ := within(ctx, 5*time.Second, chromedp.Evaluate[float64](`+document.querySelector('#playback-slider').value`))
	if after <= before {
		t.Errorf("playing did not move the slider (%v → %v)", before, after)
	}
	screenshot(t, ctx, "playback")
}
