package office_test

import (
	"testing"

	"fleet"
	"fleet/office"
)

func TestOverStandardFigures(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		b := f.building("县行政中心", 2000, 6)
		r301 := f.room(b.ID, 3, "301", 24, office.UseOffice)
		r302 := f.room(b.ID, 3, "302", 20, office.UseOffice)
		r303 := f.room(b.ID, 3, "303", 15, office.UseOffice)
		r304 := f.room(b.ID, 3, "304", 40, office.UseService)
		r305 := f.room(b.ID, 3, "305", 25, office.UseOffice)
		r306 := f.room(b.ID, 3, "306", 18, office.UseOffice)

		f.seat(r301.ID, "chief")  // a section chief alone in 24 m²
		f.seat(r302.ID, "clerk1") // two clerks sharing 20 m²
		f.seat(r302.ID, "clerk2")
		f.give(r303.ID, finance)  // an office room the unit holds with nobody in it
		f.give(r304.ID, finance)  // a meeting room
		f.seat(r305.ID, "deputy") // a county deputy in 25 m²: 1 m² over 24
		f.seat(r306.ID, "norank") // no rank: not judged

		got, err := f.svc.OverStandardList(f.ctx, f.manager(), office.FigureQuery{})
		if err != nil {
			t.Fatal(err)
		}
		want := map[int64][3]float64{ // standard, actual, excess
			f.id("chief"):  {18, 24, 6},
			f.id("clerk1"): {9, 10, 1},
			f.id("clerk2"): {9, 10, 1},
			f.id("deputy"): {24, 25, 1},
		}
		if len(got.Items) != len(want) {
			t.Fatalf("over standard = %+v, want %d people", got.Items, len(want))
		}
		for _, it := range got.Items {
			w, ok := want[it.UserID]
			if !ok {
				t.Errorf("user %d (%s) listed over standard", it.UserID, it.Name)
				continue
			}
			if it.StandardM2 != w[0] || it.ActualM2 != w[1] || it.ExcessM2 != w[2] {
				t.Errorf("%s: standard/actual/excess = %v/%v/%v, want %v/%v/%v", it.Name, it.StandardM2, it.ActualM2, it.ExcessM2, w[0], w[1], w[2])
			}
		}
		if got.Items[0].UserID != f.id("chief") || got.Items[0].Rank != office.RankSectionChief {
			t.Errorf("first = %+v, want the largest excess (the section chief) first", got.Items[0])
		}
		if len(got.Unranked) != 1 || got.Unranked[0].UserID != f.id("norank") || got.Unranked[0].ActualM2 != 18 {
			t.Errorf("unranked = %+v, want 钱某 with 18 m²", got.Unranked)
		}

		// Three sharing 25 m² get 8.33 each: under the clerks' 9 m².
		r2 := f.room(b.ID, 4, "401", 25, office.UseOffice)
		f.seat(r2.ID, "edu_clerk")
		persons, err := f.svc.Persons(f.ctx, f.manager(), office.FigureQuery{UnitID: f.units[education]})
		if err != nil || len(persons) != 1 || persons[0].ActualM2 != 25 || persons[0].ExcessM2 != 16 {
			t.Fatalf("education persons = %+v, %v", persons, err)
		}

		// The unit's figures: office standard 18+9+9+24 (the unranked person has none), actual the
		// shares plus the idle room; the service allowance per person.
		u, err := f.svc.Unit(f.ctx, f.manager(), f.units[finance])
		if err != nil {
			t.Fatal(err)
		}
		want2 := office.UnitOccupancy{UnitID: f.units[finance], UnitName: finance, People: 5, StandardM2: 60, ActualM2: 24 + 20 + 15 + 25 + 18,
			ExcessM2: 42, IdleM2: 15, IdleRooms: 1, ServiceAllowanceM2: 30, ServiceM2: 40, ServiceExcessM2: 10,
			EquipmentAllowanceM2: 8.1, TotalM2: 142, Rooms: 6, OverPeople: 4, Unranked: 1}
		if *u != want2 {
			t.Errorf("unit figures\n got %+v\nwant %+v", *u, want2)
		}
		units, err := f.svc.Units(f.ctx, f.manager())
		if err != nil || len(units) != 2 {
			t.Fatalf("units = %+v, %v", units, err)
		}

		// Leaders see their own unit only.
		lead, err := f.svc.OverStandardList(f.ctx, f.as["edu_leader"], office.FigureQuery{})
		if err != nil || len(lead.Items) != 1 || lead.Items[0].UserID != f.id("edu_clerk") {
			t.Fatalf("leader's list = %+v, %v", lead, err)
		}
		_, err = f.svc.OverStandardList(f.ctx, f.as["edu_leader"], office.FigureQuery{UnitID: f.units[finance]})
		wantCode(t, err, fleet.EForbidden)
		_, err = f.svc.Unit(f.ctx, f.as["edu_leader"], f.units[finance])
		wantCode(t, err, fleet.EForbidden)
		_, err = f.svc.GetRoom(f.ctx, f.as["edu_leader"], r301.ID)
		wantCode(t, err, fleet.EForbidden)
		if _, err := f.svc.GetRoom(f.ctx, f.as["fin_leader"], r301.ID); err != nil {
			t.Errorf("own unit's room: %v", err)
		}
		if _, err := f.svc.OverStandardList(f.ctx, f.as["auditor"], office.FigureQuery{UnitID: f.units[finance]}); err != nil {
			t.Errorf("auditor: %v", err)
		}
		_, err = f.svc.OverStandardList(f.ctx, f.as["clerk1"], office.FigureQuery{})
		wantCode(t, err, fleet.EForbidden)

		// The floor plan: 7 rooms on two floors, all held.
		plan, err := f.svc.BuildingFloors(f.ctx, f.manager(), b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.Floors) != 2 || plan.Floors[0].Floor != 3 || len(plan.Floors[0].Rooms) != 6 || plan.Utilisation != 1 {
			t.Errorf("floor plan = %+v", plan)
		}
		f.room(b.ID, 5, "501", 33, office.UseOffice)
		plan, _ = f.svc.BuildingFloors(f.ctx, f.manager(), b.ID)
		if plan.VacantM2 != 33 || plan.AreaM2 != 200 || plan.Utilisation != 0.835 {
			t.Errorf("with a vacant room: area %v vacant %v utilisation %v, want 200, 33, 0.835", plan.AreaM2, plan.VacantM2, plan.Utilisation)
		}
		lp, err := f.svc.BuildingFloors(f.ctx, f.as["edu_leader"], b.ID)
		if err != nil || len(lp.Floors) != 1 || len(lp.Floors[0].Rooms) != 1 {
			t.Errorf("leader's floor plan = %+v, %v; want their one room", lp, err)
		}
	})
}

func TestStandardsAreConfigurable(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		set, err := f.svc.Standards(f.ctx, f.manager(), "")
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]float64{"county_chief": 30, "county_deputy": 24, "section_chief": 18, "section_deputy": 12, "clerk": 9, "service": 6}
		for _, st := range set.Standards {
			if w, ok := want[st.Code]; ok && (st.AreaM2 == nil || *st.AreaM2 != w) {
				t.Errorf("%s = %v, want %v m² (the 2014 standard, not 1999's)", st.Code, st.AreaM2, w)
			}
		}
		if len(set.Standards) != 7 {
			t.Errorf("standards = %d rows, want 5 ranks, service and equipment", len(set.Standards))
		}
		b := f.building("县行政中心", 500, 5)
		r := f.room(b.ID, 1, "101", 20, office.UseOffice)
		f.seat(r.ID, "chief")

		// The clerk's standard changes; a new rank appears; the figures follow at once.
		in := office.StandardsInput{}
		for _, st := range set.Standards {
			if st.Code == office.RankSectionChief {
				v := 21.0
				st.AreaM2 = &v
			}
			in.Standards = append(in.Standards, st)
		}
		v := 15.0
		in.Standards = append(in.Standards, office.Standard{Kind: office.KindPerson, Code: "township_chief", Name: "乡科级正职", AreaM2: &v})
		if _, err := f.svc.UpdateStandards(f.ctx, f.manager(), in); err != nil {
			t.Fatal(err)
		}
		over, _ := f.svc.OverStandardList(f.ctx, f.manager(), office.FigureQuery{})
		if len(over.Items) != 0 {
			t.Errorf("over = %+v, want none with 21 m² for a section chief", over.Items)
		}
		rank := "township_chief"
		if _, err := f.auth.UpdateUser(f.ctx, f.as["admin"], f.id("clerk1"), authInput(f, "clerk1", &rank)); err != nil {
			t.Errorf("the new rank is known to users at once: %v", err)
		}

		// Bad standards: refused, naming the row.
		bad := office.StandardsInput{Standards: []office.Standard{{Kind: office.KindPerson, Code: "x", Name: "无"}}}
		_, err = f.svc.UpdateStandards(f.ctx, f.manager(), bad)
		wantCode(t, err, fleet.EInvalid)
		if fieldOf(err, "standards[0].area_m2") == "" || fieldOf(err, "standards[0].code") == "" {
			t.Errorf("err = %v, want problems with code and area_m2", err)
		}
		// A rank in use cannot go.
		keep := office.StandardsInput{Standards: []office.Standard{{Kind: office.KindPerson, Code: office.RankClerk, Name: "科级以下", AreaM2: &v}}}
		_, err = f.svc.UpdateStandards(f.ctx, f.manager(), keep)
		wantCode(t, err, fleet.EConflict)
		_, err = f.svc.UpdateStandards(f.ctx, f.as["fin_leader"], in)
		wantCode(t, err, fleet.EForbidden)
	})
}
