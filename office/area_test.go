package office

import "testing"

// The figures' rules, without a database.
func TestComputeFigures(t *testing.T) {
	std := &standardSet{person: map[string]int64{RankSectionChief: 1800, RankClerk: 900, RankCountyDeputy: 2400},
		names: map[string]string{}, serviceM2: 600, equipment: 0.09}
	person := func(id int64, rank string) *personRow {
		r := rank
		return &personRow{ID: id, Name: "p", UnitID: 1, Rank: &r}
	}
	user := func(id int64) *int64 { return &id }
	tests := []struct {
		name       string
		rooms      []roomRow
		active     []assignmentRow
		people     map[int64]*personRow
		wantPerson map[int64][3]float64 // standard, actual, excess
		wantOver   map[int64]bool
	}{
		{"a section chief alone in 24 m²",
			[]roomRow{{ID: 1, AreaDm2: 2400, Use: UseOffice}},
			[]assignmentRow{{RoomID: 1, UnitID: 1, UserID: user(10)}},
			map[int64]*personRow{10: person(10, RankSectionChief)},
			map[int64][3]float64{10: {18, 24, 6}}, map[int64]bool{10: true}},
		{"two clerks sharing 20 m²",
			[]roomRow{{ID: 1, AreaDm2: 2000, Use: UseOffice}},
			[]assignmentRow{{RoomID: 1, UnitID: 1, UserID: user(10)}, {RoomID: 1, UnitID: 1, UserID: user(11)}},
			map[int64]*personRow{10: person(10, RankClerk), 11: person(11, RankClerk)},
			map[int64][3]float64{10: {9, 10, 1}, 11: {9, 10, 1}}, map[int64]bool{10: true, 11: true}},
		{"three sharing 25 m²: 8.33 each, none over",
			[]roomRow{{ID: 1, AreaDm2: 2500, Use: UseOffice}},
			[]assignmentRow{{RoomID: 1, UnitID: 1, UserID: user(10)}, {RoomID: 1, UnitID: 1, UserID: user(11)}, {RoomID: 1, UnitID: 1, UserID: user(12)}},
			map[int64]*personRow{10: person(10, RankClerk), 11: person(11, RankClerk), 12: person(12, RankClerk)},
			map[int64][3]float64{10: {9, 8.33, 0}, 11: {9, 8.33, 0}, 12: {9, 8.33, 0}}, map[int64]bool{}},
		{"exactly the standard is not over",
			[]roomRow{{ID: 1, AreaDm2: 1800, Use: UseOffice}},
			[]assignmentRow{{RoomID: 1, UnitID: 1, UserID: user(10)}},
			map[int64]*personRow{10: person(10, RankSectionChief)},
			map[int64][3]float64{10: {18, 18, 0}}, map[int64]bool{}},
		{"a concurrent office is apart: smaller than the standard is fine",
			[]roomRow{{ID: 1, AreaDm2: 1800, Use: UseOffice}, {ID: 2, AreaDm2: 1000, Use: UseOffice}},
			[]assignmentRow{{RoomID: 1, UnitID: 1, UserID: user(10)}, {RoomID: 2, UnitID: 2, UserID: user(10), Concurrent: true}},
			map[int64]*personRow{10: person(10, RankSectionChief)},
			map[int64][3]float64{10: {18, 18, 0}}, map[int64]bool{}},
		{"a concurrent office as large as the standard is over",
			[]roomRow{{ID: 1, AreaDm2: 1800, Use: UseOffice}, {ID: 2, AreaDm2: 1800, Use: UseOffice}},
			[]assignmentRow{{RoomID: 1, UnitID: 1, UserID: user(10)}, {RoomID: 2, UnitID: 2, UserID: user(10), Concurrent: true}},
			map[int64]*personRow{10: person(10, RankSectionChief)},
			map[int64][3]float64{10: {18, 18, 0}}, map[int64]bool{10: true}},
		{"an unknown rank has no standard and is not judged",
			[]roomRow{{ID: 1, AreaDm2: 5000, Use: UseOffice}},
			[]assignmentRow{{RoomID: 1, UnitID: 1, UserID: user(10)}},
			map[int64]*personRow{10: person(10, "chuji")},
			map[int64][3]float64{10: {0, 50, 0}}, map[int64]bool{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &facts{rooms: map[int64]*roomRow{}, buildings: map[int64]string{}, active: tt.active, people: tt.people,
				units: map[int64]string{1: "财政局", 2: "国资办"}, std: std}
			for i := range tt.rooms {
				f.rooms[tt.rooms[i].ID] = &tt.rooms[i]
			}
			fig := compute(f)
			for id, w := range tt.wantPerson {
				p := fig.persons[id]
				if p == nil {
					t.Fatalf("no figures for %d", id)
				}
				if got := [3]float64{p.StandardM2, p.ActualM2, p.ExcessM2}; got != w {
					t.Errorf("person %d: standard/actual/excess = %v, want %v", id, got, w)
				}
				if p.Over != tt.wantOver[id] {
					t.Errorf("person %d: over = %v, want %v", id, p.Over, tt.wantOver[id])
				}
			}
		})
	}
}
