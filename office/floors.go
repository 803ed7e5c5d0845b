package office

import (
	"context"
	"sort"

	"fleet/auth"
)

// FloorPlan is a building floor by floor: each floor's rooms (by number) with their holders,
// and the utilisation of the floor and of the building (the share of room area held by a unit
// or a person; the rest is vacant, in the pool).
type FloorPlan struct {
	Building    Building `json:"building"`
	Floors      []Floor  `json:"floors"` // lowest first
	AreaM2      float64  `json:"area_m2"`
	UsedM2      float64  `json:"used_m2"`
	VacantM2    float64  `json:"vacant_m2"`
	Utilisation float64  `json:"utilisation"` // 0..1
}

// Floor is one floor of a FloorPlan.
type Floor struct {
	Floor       int     `json:"floor"`
	Rooms       []Room  `json:"rooms"`
	AreaM2      float64 `json:"area_m2"`
	UsedM2      float64 `json:"used_m2"`
	VacantM2    float64 `json:"vacant_m2"`
	Utilisation float64 `json:"utilisation"`
}

// BuildingFloors returns a building's floor plan; leaders see their own unit's rooms in it.
func (s *Service) BuildingFloors(ctx context.Context, a *auth.Actor, id int64) (*FloorPlan, error) {
	b, err := s.GetBuilding(ctx, a, id)
	if err != nil {
		return nil, err
	}
	db := s.read(ctx)
	rows, _, err := listRooms(db, RoomQuery{BuildingID: id, Page: pageAll})
	if err != nil {
		return nil, err
	}
	rooms, err := roomViews(db, rows)
	if err != nil {
		return nil, err
	}
	if !a.SeesAllUnits() {
		kept := rooms[:0]
		for _, r := range rooms {
			if r.heldBy(a.UnitID) {
				kept = append(kept, r)
			}
		}
		rooms = kept
	}
	return floorPlan(*b, rooms), nil
}

// floorPlan groups rooms by floor and sums their areas.
func floorPlan(b Building, rooms []Room) *FloorPlan {
	byFloor := map[int]*Floor{}
	plan := &FloorPlan{Building: b, Floors: []Floor{}}
	var area, used int64
	for _, r := range rooms {
		f := byFloor[r.Floor]
		if f == nil {
			f = &Floor{Floor: r.Floor, Rooms: []Room{}}
			byFloor[r.Floor] = f
		}
		f.Rooms = append(f.Rooms, r)
		d := toDm2(r.AreaM2)
		area += d
		f.AreaM2 += r.AreaM2
		if !r.Vacant {
			used += d
			f.UsedM2 += r.AreaM2
		}
	}
	for _, f := range byFloor {
		f.AreaM2, f.UsedM2 = round2(f.AreaM2), round2(f.UsedM2)
		f.VacantM2 = round2(f.AreaM2 - f.UsedM2)
		if f.AreaM2 > 0 {
			f.Utilisation = ratio(f.UsedM2, f.AreaM2)
		}
		sort.SliceStable(f.Rooms, func(i, j int) bool { return f.Rooms[i].Number < f.Rooms[j].Number })
		plan.Floors = append(plan.Floors, *f)
	}
	sort.Slice(plan.Floors, func(i, j int) bool { return plan.Floors[i].Floor < plan.Floors[j].Floor })
	plan.AreaM2, plan.UsedM2, plan.VacantM2 = toM2(area), toM2(used), toM2(area-used)
	if area > 0 {
		plan.Utilisation = ratio(toM2(used), toM2(area))
	}
	return plan
}

// ratio is a share to 4 places (utilisation 0.8333).
func ratio(part, whole float64) float64 { return float64(int64(part/whole*10000+0.5)) / 10000 }
