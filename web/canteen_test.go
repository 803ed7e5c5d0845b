package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"fleet/auth"
	"fleet/canteen"
	"fleet/dispatch"
	"fleet/store"
	"fleet/store/storetest"
	"fleet/web"
)

// newCanteenEnv is newEnv with the canteen: one user per role in 县财政局, and u_other, a staff
// member of 县教育局.
func newCanteenEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	ctx := context.Background()
	a := auth.NewService(db, auth.Options{BcryptCost: 4, Throttle: auth.ThrottleConfig{SlowStep: time.Millisecond}})
	unit, err := a.CreateUnit(ctx, auth.System, auth.UnitInput{Name: "县财政局"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := a.CreateUnit(ctx, auth.System, auth.UnitInput{Name: "县教育局"})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, auth: a, unitID: unit.ID, users: map[string]*auth.User{}}
	for _, role := range auth.Roles {
		u, err := a.CreateUser(ctx, auth.System, auth.UserInput{Username: "u_" + role, Password: pw, Name: role, Role: role, UnitID: unit.ID})
		if err != nil {
			t.Fatal(err)
		}
		e.users[role] = u
	}
	if e.users["other"], err = a.CreateUser(ctx, auth.System, auth.UserInput{Username: "u_other", Password: pw, Name: "other", Role: auth.RoleStaff, UnitID: other.ID}); err != nil {
		t.Fatal(err)
	}
	cn, err := canteen.NewService(db, a, canteen.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(web.NewServer(web.Deps{Auth: a, Fleet: dispatch.NewService(db, a), Canteen: cn, DB: db, MaxBody: 1 << 20}))
	t.Cleanup(e.srv.Close)
	return e
}

// countyNow is the time in the canteen's county.
func countyNow() time.Time {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	return time.Now().In(loc)
}

func mealBody(day time.Time, kind string, cutoff time.Time) map[string]any {
	return map[string]any{"date": day.Format(time.DateOnly), "kind": kind, "cutoff_at": cutoff.Format(time.RFC3339)}
}

func countsOf(t *testing.T, c *client, meal int64) (int, int) {
	t.Helper()
	var got map[string]int
	json.Unmarshal(c.expect("GET", fmt.Sprintf("/api/canteen/meals/%d/counts", meal), nil, 200), &got)
	if _, ok := got["dine_in"]; !ok {
		t.Fatalf("counts %v lack dine_in", got)
	}
	return got["dine_in"], got["takeaway"]
}

func TestCanteenContract(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newCanteenEnv(t, db)
		manager, staff, other, auditor, leader := e.login("canteen_manager"), e.login("staff"), e.login("other"), e.login("auditor"), e.login("leader")
		tomorrow := countyNow().AddDate(0, 0, 1)

		// Only the canteen manager (and admins) plan meals.
		body := mealBody(tomorrow, "lunch", time.Now().Add(time.Hour))
		staff.expect("POST", "/api/canteen/meals", body, 403)
		leader.expect("POST", "/api/canteen/meals", body, 403)
		auditor.expect("POST", "/api/canteen/meals", body, 403)
		e.anon().expect("POST", "/api/canteen/meals", body, 401)
		meal := officeID(t, manager.expect("POST", "/api/canteen/meals", body, 201))
		manager.expect("POST", "/api/canteen/meals", body, 409) // one lunch a day

		// A staff member books; a second booking of the meal is 409.
		booking := officeID(t, staff.expect("POST", "/api/canteen/reservations", map[string]any{"meal_id": meal, "point": "dine_in"}, 201))
		out := staff.expect("POST", "/api/canteen/reservations", map[string]any{"meal_id": meal, "point": "takeaway"}, 409)
		if errorOf(t, out).Error.Code != "conflict" {
			t.Errorf("second booking = %s", out)
		}
		if in, away := countsOf(t, manager, meal); in != 1 || away != 0 {
			t.Fatalf("counts = %d dine-in, %d take-away; want 1 and 0", in, away)
		}
		otherBooking := officeID(t, other.expect("POST", "/api/canteen/reservations", map[string]any{"meal_id": meal, "point": "takeaway"}, 201))

		// A diner cannot cancel another's booking; the auditor reads counts and books nothing.
		out = other.expect("DELETE", fmt.Sprintf("/api/canteen/reservations/%d", booking), nil, 403)
		errorOf(t, out)
		auditor.expect("POST", "/api/canteen/reservations", map[string]any{"meal_id": meal, "point": "dine_in"}, 403)
		if in, away := countsOf(t, auditor, meal); in != 1 || away != 1 {
			t.Fatalf("counts = %d, %d; want 1 and 1", in, away)
		}

		// Each cancels their own before the cut-off: by id, or by the meal.
		staff.expect("DELETE", fmt.Sprintf("/api/canteen/reservations/%d", booking), nil, 204)
		other.expect("DELETE", fmt.Sprintf("/api/canteen/meals/%d/reservation", meal), nil, 204)
		other.expect("DELETE", fmt.Sprintf("/api/canteen/reservations/%d", otherBooking), nil, 404)
		if in, away := countsOf(t, staff, meal); in != 0 || away != 0 {
			t.Fatalf("counts after cancelling = %d, %d", in, away)
		}

		// After the cut-off: no booking, no cancellation, counts unchanged.
		now := countyNow()
		late := officeID(t, manager.expect("POST", "/api/canteen/meals", mealBody(now.AddDate(0, 0, 2), "dinner", time.Now().Add(2*time.Second)), 201))
		kept := officeID(t, staff.expect("POST", "/api/canteen/reservations", map[string]any{"meal_id": late, "point": "dine_in"}, 201))
		time.Sleep(2100 * time.Millisecond)
		res, out := other.do("POST", "/api/canteen/reservations", map[string]any{"meal_id": late, "point": "dine_in"})
		if res.StatusCode != 409 && res.StatusCode != 400 {
			t.Fatalf("booking after the cut-off = %d %s, want 400 or 409", res.StatusCode, out)
		}
		staff.expect("DELETE", fmt.Sprintf("/api/canteen/reservations/%d", kept), nil, 409)
		if in, _ := countsOf(t, staff, late); in != 1 {
			t.Fatalf("counts after the cut-off = %d, want the 1 booking kept", in)
		}
	})
}

func TestCanteenBadInputNamesTheField(t *testing.T) {
	e := newCanteenEnv(t, storetest.SQLite(t))
	manager, staff := e.login("canteen_manager"), e.login("staff")
	day := countyNow().AddDate(0, 0, 14)
	meal := officeID(t, manager.expect("POST", "/api/canteen/meals", mealBody(day, "breakfast", time.Now().Add(time.Hour)), 201))
	for _, tt := range []struct {
		who          *client
		method, path string
		body         any
		status       int
		field        string
	}{
		{staff, "POST", "/api/canteen/reservations", map[string]any{"meal_id": meal, "point": "delivery"}, 400, "point"},
		{staff, "POST", "/api/canteen/reservations", map[string]any{"meal_id": meal, "point": "dine_in", "seats": 2}, 400, "seats"},
		{staff, "POST", "/api/canteen/reservations", map[string]any{"meal_id": "one", "point": "dine_in"}, 400, "meal_id"},
		{staff, "POST", "/api/canteen/reservations", map[string]any{"meal_id": 999999, "point": "dine_in"}, 400, "meal_id"},
		{manager, "POST", "/api/canteen/meals", map[string]any{"date": "2026-13-01", "kind": "lunch"}, 400, "date"},
		{manager, "POST", "/api/canteen/meals", map[string]any{"date": day.Format(time.DateOnly), "kind": "lunch", "cutoff_at": "9:30"}, 400, "cutoff_at"},
		{manager, "POST", "/api/canteen/menu/publish", map[string]any{"week": day.AddDate(0, 0, 7).Format(time.DateOnly)}, 400, "week"},
		{staff, "POST", fmt.Sprintf("/api/canteen/meals/%d/ratings", meal), map[string]any{"ratings": []any{map[string]any{"dish_id": 1, "score": 6}}}, 400, "ratings[0].score"},
		{manager, "PUT", fmt.Sprintf("/api/canteen/meals/%d/waste", meal), map[string]any{"plate_kg": -1, "kitchen_kg": 0}, 400, "plate_kg"},
		{manager, "POST", "/api/canteen/dishes", map[string]any{"name": "鱼", "category": "meat", "price": -3}, 400, "price"},
		{manager, "POST", "/api/canteen/samples", map[string]any{"dish": "鱼", "weight_g": -125, "refrigerated": true, "taken_by": "张"}, 400, "weight_g"},
	} {
		res, out := tt.who.do(tt.method, tt.path, tt.body)
		if res.StatusCode != tt.status {
			t.Errorf("%s %s %v = %d %s, want %d", tt.method, tt.path, tt.body, res.StatusCode, out, tt.status)
			continue
		}
		if f := errorOf(t, out).Error.Fields[tt.field]; f == "" {
			t.Errorf("%s %s: error %s does not name %s", tt.method, tt.path, out, tt.field)
		}
	}
	if in, away := countsOf(t, staff, meal); in+away != 0 {
		t.Errorf("bad input booked something: %d, %d", in, away)
	}
	var week map[string]any
	json.Unmarshal(staff.expect("GET", "/api/canteen/menu?week="+day.Format(time.DateOnly), nil, 200), &week)
	if week["status"] != "draft" || len(week["meals"].([]any)) != 1 {
		t.Errorf("week after the bad input = %v", week)
	}
}

// Twenty bookings of one meal by one diner at once over HTTP: exactly one 201.
func TestCanteenConcurrentBookings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newCanteenEnv(t, db)
		meal := officeID(t, e.login("canteen_manager").expect("POST", "/api/canteen/meals", mealBody(countyNow().AddDate(0, 0, 1), "dinner", time.Now().Add(time.Hour)), 201))
		token := e.bearerClient("staff").bearer
		const n = 20
		statuses := make([]int, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				body := fmt.Sprintf(`{"meal_id":%d,"point":"dine_in"}`, meal)
				req, _ := http.NewRequest("POST", e.srv.URL+"/api/canteen/reservations", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+token)
				<-start
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					return
				}
				res.Body.Close()
				statuses[i] = res.StatusCode
			}(i)
		}
		close(start)
		wg.Wait()
		created, conflicts := 0, 0
		for _, s := range statuses {
			switch s {
			case 201:
				created++
			case 409:
				conflicts++
			}
		}
		if created != 1 || conflicts != n-1 {
			t.Fatalf("statuses %v: %d created, %d conflicts; want 1 and %d", statuses, created, conflicts, n-1)
		}
		if in, _ := countsOf(t, e.login("staff"), meal); in != 1 {
			t.Fatalf("counts = %d, want 1", in)
		}
	})
}

func TestCanteenPhotoAndWorkbook(t *testing.T) {
	e := newCanteenEnv(t, storetest.SQLite(t))
	manager, staff := e.login("canteen_manager"), e.login("staff")
	dish := officeID(t, manager.expect("POST", "/api/canteen/dishes", map[string]any{"name": "红烧肉", "category": "meat", "price": 8, "allergens": []string{"soy"}}, 201))
	path := fmt.Sprintf("/api/canteen/dishes/%d/photo", dish)

	res, out := manager.upload(path, "dish.jpg", []byte("<html><script>alert(1)</script>"))
	if res.StatusCode != 400 || errorOf(t, out).Error.Fields["file"] == "" {
		t.Fatalf("a page named .jpg = %d %s, want 400 naming file", res.StatusCode, out)
	}
	var img bytes.Buffer
	png.Encode(&img, image.NewGray(image.Rect(0, 0, 4, 4)))
	if res, out := staff.upload(path, "dish.png", img.Bytes()); res.StatusCode != 403 {
		t.Fatalf("staff upload = %d %s, want 403", res.StatusCode, out)
	}
	res, out = manager.upload(path, "dish.png", img.Bytes())
	if res.StatusCode != 200 {
		t.Fatalf("upload = %d %s", res.StatusCode, out)
	}
	var d struct{ Photo string }
	json.Unmarshal(out, &d)
	res, out = staff.do("GET", d.Photo, nil)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" || res.Header.Get("X-Content-Type-Options") != "nosniff" || !bytes.Equal(out, img.Bytes()) {
		t.Fatalf("photo = %d %v", res.StatusCode, res.Header)
	}

	month := countyNow().Format("2006-01")
	res, out = manager.do("GET", "/api/canteen/report.xlsx?month="+month, nil)
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") || !bytes.HasPrefix(out, []byte("PK")) {
		t.Fatalf("workbook = %d %v", res.StatusCode, res.Header)
	}
	staff.expect("GET", "/api/canteen/report.xlsx?month="+month, nil, 403)
	out = manager.expect("GET", "/api/canteen/report.xlsx?month=March", nil, 400)
	if errorOf(t, out).Error.Fields["month"] == "" {
		t.Errorf("bad month = %s", out)
	}
}
