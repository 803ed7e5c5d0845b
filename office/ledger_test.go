package office_test

import (
	"reflect"
	"strings"
	"testing"

	"fleet"
	"fleet/office"
)

func TestBadInputChangesNothing(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		b := f.building("县行政中心", 100, 3)
		unlimited, err := f.svc.CreateBuilding(f.ctx, f.manager(), office.BuildingInput{Name: "老办公楼", Address: "城关镇"})
		if err != nil {
			t.Fatal(err)
		}
		r301 := f.room(b.ID, 3, "301", 24, office.UseOffice)
		r302 := f.room(b.ID, 3, "302", 20, office.UseOffice)
		meeting := f.room(b.ID, 2, "201", 30, office.UseService)
		small := f.room(b.ID, 1, "101", 8, office.UseOffice)
		f.seat(r301.ID, "chief")
		f.give(r302.ID, finance)

		tests := []struct {
			name  string
			do    func() error
			code  string
			field string
		}{
			{"room area 0", func() error { return f.create(b.ID, "303", 0) }, fleet.EInvalid, "area_m2"},
			{"room area negative", func() error { return f.create(b.ID, "303", -5) }, fleet.EInvalid, "area_m2"},
			{"room larger than the building", func() error { return f.create(b.ID, "303", 150) }, fleet.EInvalid, "area_m2"},
			{"rooms together larger than the building", func() error { return f.create(b.ID, "303", 19) }, fleet.EInvalid, "area_m2"},
			{"room above the top floor", func() error {
				_, err := f.svc.CreateRoom(f.ctx, f.manager(), office.RoomInput{BuildingID: b.ID, Floor: 4, Number: "401", AreaM2: 5, Use: office.UseOffice})
				return err
			}, fleet.EInvalid, "floor"},
			{"room number taken", func() error { return f.create(b.ID, "301", 5) }, fleet.EConflict, "number"},
			{"vacant is no use", func() error {
				_, err := f.svc.CreateRoom(f.ctx, f.manager(), office.RoomInput{BuildingID: unlimited.ID, Floor: 1, Number: "1", AreaM2: 5, Use: "vacant"})
				return err
			}, fleet.EInvalid, "use"},
			{"building area negative", func() error {
				_, err := f.svc.CreateBuilding(f.ctx, f.manager(), office.BuildingInput{Name: "新楼", UsableAreaM2: -1})
				return err
			}, fleet.EInvalid, "usable_area_m2"},
			{"building usable area over its total", func() error {
				_, err := f.svc.CreateBuilding(f.ctx, f.manager(), office.BuildingInput{Name: "新楼", TotalAreaM2: 100, UsableAreaM2: 120})
				return err
			}, fleet.EInvalid, "usable_area_m2"},
			{"building shrunk below its rooms", func() error {
				_, err := f.svc.UpdateBuilding(f.ctx, f.manager(), b.ID, office.BuildingInput{Name: b.Name, UsableAreaM2: 50, TotalAreaM2: 80})
				return err
			}, fleet.EInvalid, "usable_area_m2"},
			{"room grown beyond the building", func() error {
				_, err := f.svc.UpdateRoom(f.ctx, f.manager(), r302.ID, office.RoomInput{Floor: 3, Number: "302", AreaM2: 40, Use: office.UseOffice})
				return err
			}, fleet.EInvalid, "area_m2"},
			{"the same person twice in a room", func() error { return f.assign(r301.ID, "chief", 0) }, fleet.EConflict, ""},
			{"a second office without a concurrent post", func() error { return f.assign(small.ID, "chief", 0) }, fleet.EConflict, "user_id"},
			{"a concurrent office not smaller than the standard", func() error {
				_, err := f.svc.Assign(f.ctx, f.manager(), office.AssignmentInput{RoomID: r302.ID, UserID: f.id("chief"), Concurrent: true, Post: "兼任"})
				return err
			}, fleet.EInvalid, "concurrent"},
			{"a concurrent office without the post", func() error {
				_, err := f.svc.Assign(f.ctx, f.manager(), office.AssignmentInput{RoomID: small.ID, UserID: f.id("chief"), Concurrent: true})
				return err
			}, fleet.EInvalid, "post"},
			{"a room to a second unit", func() error { return f.assign(r302.ID, "", f.units[education]) }, fleet.EConflict, ""},
			{"a room to the same unit twice", func() error { return f.assign(r302.ID, "", f.units[finance]) }, fleet.EConflict, ""},
			{"another unit's person into a unit's room", func() error { return f.assign(r302.ID, "edu_clerk", 0) }, fleet.EConflict, ""},
			{"another unit's room for a person's main office", func() error { return f.assign(small.ID, "edu_clerk", f.units[finance]) }, fleet.EInvalid, "unit_id"},
			{"a service room to a person", func() error { return f.assign(meeting.ID, "clerk1", 0) }, fleet.EInvalid, "room_id"},
			{"no such user", func() error { return f.assign(small.ID, "", 0, 999999) }, fleet.EInvalid, "user_id"},
			{"neither person nor unit", func() error { return f.assign(small.ID, "", 0) }, fleet.EInvalid, "user_id"},
			{"an office with people becomes a meeting room", func() error {
				_, err := f.svc.UpdateRoom(f.ctx, f.manager(), r301.ID, office.RoomInput{Floor: 3, Number: "301", AreaM2: 24, Use: office.UseService})
				return err
			}, fleet.EConflict, "use"},
			{"reallocating a room that is not vacant", func() error {
				_, err := f.svc.RequestReallocation(f.ctx, f.as["edu_leader"], office.ReallocationInput{Reason: "新增编制",
					Items: []office.ReallocationItemInput{{RoomID: r301.ID}}})
				return err
			}, fleet.EConflict, "items[0].room_id"},
			{"clearing a vacant room", func() error {
				_, err := f.svc.OrderClearance(f.ctx, f.manager(), office.ClearanceInput{RoomID: small.ID, Reason: "超标", Deadline: "2026-04-01"})
				return err
			}, fleet.EConflict, ""},
			{"ending an assignment without a reason", func() error {
				list, _, _ := f.svc.ListAssignments(f.ctx, f.manager(), office.AssignmentQuery{RoomID: r301.ID})
				_, err := f.svc.EndAssignment(f.ctx, f.manager(), list[0].ID, office.EndInput{})
				return err
			}, fleet.EInvalid, "reason"},
			{"a leader writing the ledger", func() error {
				_, err := f.svc.CreateRoom(f.ctx, f.as["fin_leader"], office.RoomInput{BuildingID: b.ID, Floor: 1, Number: "102", AreaM2: 5, Use: office.UseOffice})
				return err
			}, fleet.EForbidden, ""},
			{"an auditor writing the ledger", func() error { return f.assignAs("auditor", small.ID, "clerk1") }, fleet.EForbidden, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := f.counts()
				err := tt.do()
				wantCode(t, err, tt.code)
				if tt.field != "" && fieldOf(err, tt.field) == "" {
					t.Errorf("error %v does not name %s", err, tt.field)
				}
				if fleet.ErrorMessage(err) == "" || fleet.ErrorMessage(err) == "internal error" {
					t.Errorf("error %v has no clear message", err)
				}
				if after := f.counts(); !reflect.DeepEqual(before, after) {
					t.Errorf("rows before %v, after %v: something changed", before, after)
				}
			})
		}

		// What is allowed: a smaller second office for a concurrent post, persons of two units
		// sharing a room no unit holds (合署办公), and people sharing one room.
		if _, err := f.svc.Assign(f.ctx, f.manager(), office.AssignmentInput{RoomID: small.ID, UserID: f.id("chief"), Concurrent: true, Post: "县国资办主任"}); err != nil {
			t.Errorf("concurrent office of 8 m² for an 18 m² rank: %v", err)
		}
		shared := f.room(unlimited.ID, 1, "1", 30, office.UseOffice)
		f.seat(shared.ID, "clerk1")
		f.seat(shared.ID, "edu_clerk")
		room, err := f.svc.GetRoom(f.ctx, f.manager(), shared.ID)
		if err != nil || len(room.Occupants) != 2 || room.ShareM2 != 15 || room.UnitID != nil || !strings.Contains(room.UnitName, "、") {
			t.Errorf("shared room = %+v, %v", room, err)
		}
	})
}

func (f *fx) create(building int64, number string, area float64) error {
	_, err := f.svc.CreateRoom(f.ctx, f.manager(), office.RoomInput{BuildingID: building, Floor: 3, Number: number, AreaM2: area, Use: office.UseOffice})
	return err
}

// assign assigns a room to username (or, when empty, to unit; a user id may be given instead).
func (f *fx) assign(room int64, username string, unit int64, userID ...int64) error {
	in := office.AssignmentInput{RoomID: room, UnitID: unit}
	if username != "" {
		in.UserID = f.id(username)
	}
	if len(userID) > 0 {
		in.UserID = userID[0]
	}
	_, err := f.svc.Assign(f.ctx, f.manager(), in)
	return err
}

func (f *fx) assignAs(actor string, room int64, username string) error {
	_, err := f.svc.Assign(f.ctx, f.as[actor], office.AssignmentInput{RoomID: room, UserID: f.id(username)})
	return err
}

func TestHistoryKeepsEveryChange(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		b := f.building("县行政中心", 500, 5)
		r := f.room(b.ID, 3, "301", 24, office.UseOffice)
		as := f.seat(r.ID, "chief")
		f.seat(r.ID, "clerk1")
		if _, err := f.svc.UpdateRoom(f.ctx, f.manager(), r.ID, office.RoomInput{Floor: 3, Number: "301", AreaM2: 22.5, Use: office.UseOffice, Reason: "重新测绘"}); err != nil {
			t.Fatal(err)
		}
		f.clock.Add(48 * 3600e9)
		if _, err := f.svc.EndAssignment(f.ctx, f.as["manager2"], as.ID, office.EndInput{Reason: "调离"}); err != nil {
			t.Fatal(err)
		}
		hist, total, err := f.svc.History(f.ctx, f.manager(), office.HistoryQuery{RoomID: r.ID})
		if err != nil {
			t.Fatal(err)
		}
		if total != 5 || len(hist) != 5 {
			t.Fatalf("history = %d lines %+v, want 5 (create, two assigns, update, end)", total, hist)
		}
		end, upd, first := hist[0], hist[1], hist[4]
		if end.Action != "end" || end.Actor != "郑副主任" || end.Reason != "调离" || end.UserID == nil || *end.UserID != f.id("chief") ||
			!strings.Contains(end.From, "张科长") || !strings.Contains(end.From, "李一") || strings.Contains(end.To, "张科长") ||
			!end.At.Equal(f.clock.Now()) {
			t.Errorf("end line = %+v", end)
		}
		if upd.Action != "update" || !strings.Contains(upd.From, "24.00") || !strings.Contains(upd.To, "22.50") || upd.Reason != "重新测绘" {
			t.Errorf("update line = %+v", upd)
		}
		if first.Action != "create" || first.Actor != "吴主任" {
			t.Errorf("first line = %+v", first)
		}
		// The ended assignment stays, with its end; the room's holders are the rest.
		got, err := f.svc.GetAssignment(f.ctx, f.manager(), as.ID)
		if err != nil || got.Active || got.EndAt == nil || got.EndReason != "调离" {
			t.Errorf("ended assignment = %+v, %v", got, err)
		}
		_, err = f.svc.EndAssignment(f.ctx, f.manager(), as.ID, office.EndInput{Reason: "again"})
		wantCode(t, err, fleet.EConflict)
		// A person's history, and a leader's view of their own unit's lines only.
		mine, _, _ := f.svc.History(f.ctx, f.manager(), office.HistoryQuery{UserID: f.id("chief")})
		if len(mine) != 2 {
			t.Errorf("chief's history = %+v, want assign and end", mine)
		}
		lead, _, err := f.svc.History(f.ctx, f.as["edu_leader"], office.HistoryQuery{})
		if err != nil || len(lead) != 0 {
			t.Errorf("education leader's history = %+v, %v; want none", lead, err)
		}
	})
}

// Two office managers assigning at the same moment cannot both pass the rules: one room, one
// person, twenty tries at once, one assignment.
func TestConcurrentAssignmentsPassOnce(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		b := f.building("县行政中心", 500, 5)
		r := f.room(b.ID, 1, "101", 20, office.UseOffice)
		other := f.room(b.ID, 1, "102", 20, office.UseOffice)
		const n = 20
		errs := make(chan error, n)
		for i := 0; i < n; i++ {
			room := r.ID
			if i%2 == 1 {
				room = other.ID // the same person into another room: a second office
			}
			go func() {
				_, err := f.svc.Assign(f.ctx, f.manager(), office.AssignmentInput{RoomID: room, UserID: f.id("clerk1")})
				errs <- err
			}()
		}
		ok := 0
		for i := 0; i < n; i++ {
			err := <-errs
			switch fleet.ErrorCode(err) {
			case "":
				ok++
			case fleet.EConflict:
			default:
				t.Errorf("err = %v, want success or conflict", err)
			}
		}
		active, _, _ := f.svc.ListAssignments(f.ctx, f.manager(), office.AssignmentQuery{UserID: f.id("clerk1"), Active: ptrBool(true)})
		if ok != 1 || len(active) != 1 {
			t.Errorf("%d succeeded, %d active; want exactly one", ok, len(active))
		}
	})
}
