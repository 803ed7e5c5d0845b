package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"fleet/demo"
)

// The live map's tools for a dispatcher: the list's filters (the legend counts follow), a
// vehicle's detail with its unit, class and the playback link, the H3 density layer, and a
// geofence drawn as a circle and as a polygon, renamed, and deleted.
func TestBrowserLiveMapTools(t *testing.T) {
	ctx := browser(t)
	// Demo mode runs simulated terminals, which need the JT/T 808 gateway.
	f := startFleetd(t, map[string]string{"FLEET_DB": "sqlite:" + filepath.Join(t.TempDir(), "fleet.db"), "FLEET_DEMO": "true", "FLEET_JT808_ADDR": freeAddr(t)})
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	// The page's own complaints, to tell why a step did not happen.
	chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeWarning || e.Type == runtime.ConsoleAPICalledTypeError {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				t.Logf("console %s: %s", e.Type, strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			d := e.ExceptionDetails
			if d.Exception != nil {
				t.Logf("exception: %s %s", d.Text, d.Exception.Description)
			} else {
				t.Logf("exception: %s", d.Text)
			}
		}
	})
	eval := func(js string) string {
		t.Helper()
		v, err := within(ctx, 10*time.Second, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("evaluate %s: %v", js, err)
		}
		return v
	}
	// waitJS polls a JavaScript condition.
	waitJS := func(what, js string) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			ok, err := within(ctx, 5*time.Second, chromedp.Evaluate[bool](js))
			if err == nil && ok {
				return
			}
			if time.Now().After(deadline) {
				screenshot(t, ctx, "map-tools-failed")
				t.Fatalf("%s: %s never held (last error %v)", what, js, err)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			screenshot(t, ctx, "map-tools-failed")
			t.Fatalf("%s: %v", what, err)
		}
	}
	// choose picks a select's value as a user would.
	choose := func(sel, value string) {
		t.Helper()
		eval(fmt.Sprintf(`(() => { const s = document.querySelector(%q); s.value = %q; s.dispatchEvent(new Event('change')); return s.value })()`, sel, value))
	}

	must("map page", steps(ctx,
		chromedp.Navigate(f.base+"/login"),
		chromedp.WaitVisible(css("#login-form")),
		chromedp.SendKeys(css("#username"), "demo_dispatcher"),
		chromedp.SendKeys(css("#password"), demo.DefaultPassword),
		chromedp.Click(css("#login-submit")),
		chromedp.WaitVisible(css("#app-layout")),
		chromedp.Navigate(f.base+"/map"),
		chromedp.WaitVisible(css("#filter-unit")),
		chromedp.WaitVisible(css("#map-legend")),
		chromedp.WaitVisible(css("#fence-new-circle")),
	))
	waitJS("vehicles listed", `document.querySelectorAll('#vehicle-list [data-vehicle-id]').length >= 20`)
	waitJS("units in the filter", `document.querySelectorAll('#filter-unit option').length > 2`)

	// State filter: the list shows only that state and the legend counts stay those of every state.
	legendTotal := `[...document.querySelectorAll('#map-legend .legend-count')].reduce((n, e) => n + Number(e.textContent), 0)`
	// Listed means on screen, not only without the hidden attribute.
	listed := `[...document.querySelectorAll('#vehicle-list [data-vehicle-id]')].filter(li => li.getClientRects().length > 0).length`
	waitJS("legend counts every vehicle", legendTotal+` === document.querySelectorAll('#vehicle-list [data-vehicle-id]').length`)
	state := eval(`document.querySelector('#vehicle-list [data-vehicle-id]').dataset.shownState`)
	choose("#filter-state", state)
	waitJS("state filter", fmt.Sprintf(`%s > 0 && [...document.querySelectorAll('#vehicle-list [data-vehicle-id]')].filter(li => li.getClientRects().length > 0).every(li => li.dataset.shownState === %q)`, listed, state))
	waitJS("legend unchanged by the state filter", legendTotal+` === document.querySelectorAll('#vehicle-list [data-vehicle-id]').length`)
	choose("#filter-state", "")
	choose("#filter-class", "law_enforcement")
	waitJS("class filter", listed+` < document.querySelectorAll('#vehicle-list [data-vehicle-id]').length`)
	choose("#filter-class", "")
	unit, err := within(ctx, 10*time.Second, chromedp.Evaluate[string](`fetch('/api/vehicles?limit=1000').then(r => r.json()).then(l => String(l.items.find(v => v.unit_id).unit_id))`, chromedp.EvalAwaitPromise))
	must("a vehicle's unit", err)
	choose("#filter-unit", unit)
	waitJS("unit filter", listed+` > 0 && `+listed+` < document.querySelectorAll('#vehicle-list [data-vehicle-id]').length`)
	choose("#filter-unit", "")
	must("search", steps(ctx, chromedp.SendKeys(css("#vehicle-search"), "no such plate")))
	waitJS("search", listed+` === 0`)
	eval(`(() => { const s = document.querySelector('#vehicle-search'); s.value = ''; s.dispatchEvent(new Event('input')); return '' })()`)
	waitJS("filters off", listed+` === document.querySelectorAll('#vehicle-list [data-vehicle-id]').length`)

	// Detail: unit, class and today's figures, and the playback link.
	must("select a vehicle", steps(ctx,
		chromedp.Click(css(`#vehicle-list [data-vehicle-id]`)),
		chromedp.WaitVisible(css(`#vehicle-detail [data-field="class"]`)),
		chromedp.WaitVisible(css(`#playback-link`)),
	))
	waitJS("class named", `document.querySelector('#vehicle-detail [data-field="class"]').textContent.endsWith('用车')`)
	waitJS("today's distance", `/公里$/.test(document.querySelector('#vehicle-detail [data-field="today_km"]').textContent)`)
	for _, k := range []string{"driver", "task", "unit"} {
		waitJS("field "+k, fmt.Sprintf(`!!document.querySelector('#vehicle-detail [data-field=%q]')`, k))
	}
	if href := eval(`document.querySelector('#playback-link').getAttribute('href')`); !strings.HasPrefix(href, "/playback?vehicle=") {
		t.Errorf("playback link = %q", href)
	}

	// Density.
	must("density on", steps(ctx, chromedp.Click(css("#toggle-density"))))
	waitJS("density cells", `Number(document.querySelector('#toggle-density').dataset.cells) > 0`)
	screenshot(t, ctx, "map-tools-density")
	must("density off", steps(ctx, chromedp.Click(css("#toggle-density"))))

	// A circle: click the centre, move, click the rim.
	rect := func() (x, y, w, h float64) {
		var r struct{ X, Y, W, H float64 }
		r, err := within(ctx, 5*time.Second, chromedp.Evaluate[struct{ X, Y, W, H float64 }](`(() => { const r = document.querySelector('#live-map').getBoundingClientRect(); return {X: r.x, Y: r.y, W: r.width, H: r.height} })()`))
		must("map rect", err)
		return r.X, r.Y, r.W, r.H
	}
	mx, my, mw, mh := rect()
	cx, cy := mx+mw*0.4, my+mh*0.4
	must("draw a circle", steps(ctx,
		chromedp.WaitVisible(css("#fence-new-circle")),
		chromedp.Click(css("#fence-new-circle")),
		chromedp.MouseEvent(chromedp.MouseMoved, cx, cy),
		chromedp.MouseClickXY(cx, cy),
		chromedp.MouseEvent(chromedp.MouseMoved, cx+30, cy+10),
		chromedp.MouseEvent(chromedp.MouseMoved, cx+60, cy),
		chromedp.MouseClickXY(cx+60, cy),
		chromedp.WaitVisible(css("#fence-form")),
		chromedp.WaitNotVisible(css("#fence-delete")), // nothing to delete yet
		chromedp.SendKeys(css("#fence-name"), "测试圆形围栏"),
	))
	screenshot(t, ctx, "map-tools-circle")
	choose("#fence-kind", "parking")
	must("save the circle", steps(ctx, chromedp.Click(css("#fence-save")), chromedp.WaitNotVisible(css("#fence-form"))))
	waitJS("circle listed", `[...document.querySelectorAll('#fence-list li[data-fence-id]')].some(li => li.textContent.includes('测试圆形围栏'))`)
	circle := eval(`[...document.querySelectorAll('#fence-list li[data-fence-id]')].find(li => li.textContent.includes('测试圆形围栏')).dataset.fenceId`)
	if kind := eval(fmt.Sprintf(`document.querySelector('#fence-list li[data-fence-id="%s"]').dataset.kind`, circle)); kind != "parking" {
		t.Errorf("circle kind = %q, want parking", kind)
	}
	// Picking it offers the centre and rim handles; cancel leaves it as it was.
	must("pick the circle", steps(ctx,
		chromedp.Click(css(fmt.Sprintf(`#fence-list li[data-fence-id="%s"]`, circle))),
		chromedp.WaitVisible(css(`#fence-form[data-mode="edit"]`)),
		chromedp.WaitVisible(css("#fence-delete")),
	))
	waitJS("circle handles", `document.querySelectorAll('.leaflet-marker-icon.marker-icon').length >= 2`)
	must("cancel", steps(ctx, chromedp.Click(css("#fence-cancel")), chromedp.WaitNotVisible(css("#fence-form"))))
	waitJS("handles gone", `document.querySelectorAll('.leaflet-marker-icon.marker-icon').length === 0`)

	// A polygon: three vertices and a click on the first.
	px, py := mx+mw*0.6, my+mh*0.3
	pts := [][2]float64{{px, py}, {px + 80, py}, {px + 80, py + 70}, {px, py}}
	acts := []chromedp.Action[chromedp.Void]{chromedp.Click(css("#fence-new-polygon"))}
	for _, p := range pts {
		acts = append(acts, chromedp.MouseEvent(chromedp.MouseMoved, p[0], p[1]), chromedp.MouseClickXY(p[0], p[1]), chromedp.Sleep(150*time.Millisecond))
	}
	acts = append(acts, chromedp.WaitVisible(css("#fence-form")), chromedp.SendKeys(css("#fence-name"), "测试多边形围栏"), chromedp.SendKeys(css("#fence-speed"), "30"))
	must("draw a polygon", steps(ctx, acts...))
	if info := eval(`document.querySelector('#fence-shape').textContent`); !strings.Contains(info, "3 个顶点") {
		t.Errorf("shape info = %q, want 3 vertices", info)
	}
	must("save the polygon", steps(ctx, chromedp.Click(css("#fence-save")), chromedp.WaitNotVisible(css("#fence-form"))))
	waitJS("polygon listed", `[...document.querySelectorAll('#fence-list li[data-fence-id]')].some(li => li.textContent.includes('测试多边形围栏'))`)
	screenshot(t, ctx, "map-tools-polygon")

	// Rename the polygon: pick it in the list, change the name, save (PUT).
	id := eval(`[...document.querySelectorAll('#fence-list li[data-fence-id]')].find(li => li.textContent.includes('测试多边形围栏')).dataset.fenceId`)
	must("edit the polygon", steps(ctx,
		chromedp.Click(css(fmt.Sprintf(`#fence-list li[data-fence-id="%s"]`, id))),
		chromedp.WaitVisible(css(`#fence-form[data-mode="edit"]`)),
		chromedp.WaitVisible(css(`.leaflet-marker-icon.marker-icon`)), // vertex handles
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#fence-name').value = ''`),
		chromedp.SendKeys(css("#fence-name"), "改名后的围栏"),
	))
	// Drag a vertex handle a little.
	polygonOf := func() string {
		t.Helper()
		v, err := within(ctx, 10*time.Second, chromedp.Evaluate[string](fmt.Sprintf(`fetch('/api/geofences/%s').then(r => r.json()).then(f => JSON.stringify(f.polygon))`, id), chromedp.EvalAwaitPromise))
		must("read the polygon", err)
		return v
	}
	before := polygonOf()
	// The map may still be moving to the fence (an animation that a loaded machine slows down):
	// read the handle until it holds still, drag it, and drag again if it did not follow.
	type point struct{ X, Y float64 }
	handleAt := func() point {
		t.Helper()
		var prev point
		for range 20 {
			p, err := within(ctx, 5*time.Second, chromedp.Evaluate[point](`(() => { const r = document.querySelector('.leaflet-marker-icon.marker-icon').getBoundingClientRect(); return {X: r.x + r.width / 2, Y: r.y + r.height / 2} })()`))
			must("vertex handle", err)
			if p == prev {
				return p
			}
			prev = p
			time.Sleep(250 * time.Millisecond)
		}
		return prev
	}
	for attempt := 0; attempt < 3; attempt++ {
		h := handleAt()
		must("drag a vertex", steps(ctx,
			chromedp.MouseEvent(chromedp.MouseMoved, h.X, h.Y),
			chromedp.MouseEvent(chromedp.MousePressed, h.X, h.Y, chromedp.ButtonLeft),
			chromedp.MouseEvent(chromedp.MouseMoved, h.X-10, h.Y+10, chromedp.ButtonLeft),
			chromedp.MouseEvent(chromedp.MouseMoved, h.X-25, h.Y+20, chromedp.ButtonLeft),
			chromedp.MouseEvent(chromedp.MouseReleased, h.X-25, h.Y+20, chromedp.ButtonLeft),
		))
		if moved := handleAt(); moved != h {
			break
		}
		t.Logf("the vertex handle did not follow drag %d; again", attempt+1)
	}
	screenshot(t, ctx, "map-tools-edit")
	must("save the edit", steps(ctx, chromedp.Click(css("#fence-save")), chromedp.WaitNotVisible(css("#fence-form"))))
	waitJS("renamed", fmt.Sprintf(`document.querySelector('#fence-list li[data-fence-id="%s"]').textContent.includes('改名后的围栏')`, id))
	if after := polygonOf(); after == before {
		t.Errorf("polygon after dragging a vertex = %s, unchanged", after)
	}

	// Delete it.
	must("delete the polygon", steps(ctx,
		chromedp.Click(css(fmt.Sprintf(`#fence-list li[data-fence-id="%s"]`, id))),
		chromedp.WaitVisible(css("#fence-delete")),
		chromedp.Click(css("#fence-delete")),
		chromedp.WaitVisible(css("#confirm-ok")),
		chromedp.Click(css("#confirm-ok")),
	))
	waitJS("deleted", fmt.Sprintf(`!document.querySelector('#fence-list li[data-fence-id="%s"]')`, id))

	// An auditor sees the fences but gets no drawing tools.
	must("auditor", steps(ctx,
		chromedp.Click(css("#logout")),
		chromedp.WaitVisible(css("#login-form")),
		chromedp.SendKeys(css("#username"), "demo_auditor"),
		chromedp.SendKeys(css("#password"), demo.DefaultPassword),
		chromedp.Click(css("#login-submit")),
		chromedp.WaitVisible(css("#app-layout")),
		chromedp.Navigate(f.base+"/map"),
		chromedp.WaitVisible(css("#fence-list li[data-fence-id]")),
		chromedp.Click(css("#fence-list li[data-fence-id]")),
		chromedp.Sleep(time.Second),
	))
	if n := eval(`String(document.querySelectorAll('#fence-new-circle, #fence-form').length)`); n != "0" {
		t.Errorf("an auditor has %s drawing controls, want none", n)
	}
	waitJS("picked fence marked", `!!document.querySelector('#fence-list li.selected')`)
}
