package office

import (
	"math"
	"sort"
)

// The figures: per person and per unit, the standard area, the actual area and the excess.
// Everything here is computed from facts in memory, so the rules read (and are tested) without
// a database.
//
//   - A person's actual area is the usable area of their office room divided evenly among the
//     room's occupants (persons with an active assignment to it).
//   - A person's standard is their rank's per-person area at the service's level; a person whose
//     rank the table does not know has none, and is listed apart (unranked), never guessed.
//   - Excess is actual less standard when positive; over standard (超标) is excess above 0.
//   - A second office for a concurrent post is not added to the actual area: it is allowed when
//     smaller than the standard, and over standard when not (concurrent_over).
//   - A unit's office area is its people's shares plus the office rooms it holds with nobody in
//     them (idle, 闲置); its office standard the sum of its people's standards. Its service-room
//     allowance is the per-person service figure times its people; the equipment allowance a
//     share of office standard plus service allowance.

// facts are what the figures are computed from.
type facts struct {
	rooms     map[int64]*roomRow
	buildings map[int64]string
	active    []assignmentRow
	people    map[int64]*personRow
	units     map[int64]string
	std       *standardSet
}

// PersonFigure is one person's office area against their standard.
type PersonFigure struct {
	UserID         int64        `json:"user_id"`
	Name           string       `json:"name"`
	Username       string       `json:"username"`
	UnitID         int64        `json:"unit_id"` // the unit of the person's office
	UnitName       string       `json:"unit_name"`
	Rank           string       `json:"rank"`
	RankName       string       `json:"rank_name"`
	StandardM2     float64      `json:"standard_m2"`
	ActualM2       float64      `json:"actual_m2"`
	ExcessM2       float64      `json:"excess_m2"`
	ConcurrentM2   float64      `json:"concurrent_m2"`   // second offices of concurrent posts
	ConcurrentOver bool         `json:"concurrent_over"` // one of them is not smaller than the standard
	Over           bool         `json:"over"`            // 超标
	Ranked         bool         `json:"ranked"`          // the standards table knows the rank
	Rooms          []PersonRoom `json:"rooms"`
}

// PersonRoom is one room of a person with their share of it.
type PersonRoom struct {
	RoomID     int64   `json:"room_id"`
	Room       string  `json:"room"`
	AreaM2     float64 `json:"area_m2"`
	Occupants  int     `json:"occupants"`
	ShareM2    float64 `json:"share_m2"`
	Concurrent bool    `json:"concurrent"`
	Post       string  `json:"post"`
}

// UnitOccupancy is a unit's office space against its standard.
type UnitOccupancy struct {
	UnitID               int64   `json:"unit_id"`
	UnitName             string  `json:"unit_name"`
	People               int     `json:"people"`      // persons with an office of the unit
	StandardM2           float64 `json:"standard_m2"` // office rooms: the people's standards
	ActualM2             float64 `json:"actual_m2"`   // office rooms: the people's shares and idle rooms
	ExcessM2             float64 `json:"excess_m2"`
	IdleM2               float64 `json:"idle_m2"` // office rooms held with nobody in them
	IdleRooms            int     `json:"idle_rooms"`
	ConcurrentM2         float64 `json:"concurrent_m2"`
	ServiceAllowanceM2   float64 `json:"service_allowance_m2"`
	ServiceM2            float64 `json:"service_m2"`
	ServiceExcessM2      float64 `json:"service_excess_m2"`
	EquipmentAllowanceM2 float64 `json:"equipment_allowance_m2"`
	EquipmentM2          float64 `json:"equipment_m2"`
	AncillaryM2          float64 `json:"ancillary_m2"`
	TotalM2              float64 `json:"total_m2"`
	Rooms                int     `json:"rooms"`
	OverPeople           int     `json:"over_people"` // people over standard
	Unranked             int     `json:"unranked"`    // people whose rank the table does not know
}

// figures are the computed figures, in dm² until shown.
type figures struct {
	persons map[int64]*PersonFigure
	units   map[int64]*UnitOccupancy
}

// compute works out every person's and unit's figures.
func compute(f *facts) *figures {
	byRoom := map[int64][]assignmentRow{}
	for _, as := range f.active {
		byRoom[as.RoomID] = append(byRoom[as.RoomID], as)
	}
	type acc struct {
		std, actual, concurrent, service, equipment, ancillary, idle float64 // dm²
		people                                                       map[int64]bool
		rooms                                                        map[int64]bool
		idleRooms, over, unranked                                    int
	}
	accs := map[int64]*acc{}
	unit := func(id int64) *acc {
		if accs[id] == nil {
			accs[id] = &acc{people: map[int64]bool{}, rooms: map[int64]bool{}}
		}
		return accs[id]
	}
	persons := map[int64]*PersonFigure{}
	type pacc struct{ actual, concurrent, std float64 }
	pa := map[int64]*pacc{}
	roomIDs := make([]int64, 0, len(byRoom))
	for id := range byRoom {
		roomIDs = append(roomIDs, id)
	}
	sort.Slice(roomIDs, func(i, j int) bool { return roomIDs[i] < roomIDs[j] })
	for _, rid := range roomIDs {
		room := f.rooms[rid]
		if room == nil {
			continue
		}
		list := byRoom[rid]
		occupants := 0
		for _, as := range list {
			if as.UserID != nil {
				occupants++
			}
		}
		area := float64(room.AreaDm2)
		for _, as := range list {
			u := unit(as.UnitID)
			u.rooms[rid] = true
		}
		if occupants == 0 {
			// Held by a unit (one unit holds a room), nobody in it.
			u := unit(list[0].UnitID)
			switch room.Use {
			case UseOffice:
				u.idle += area
				u.idleRooms++
			case UseService:
				u.service += area
			case UseEquipment:
				u.equipment += area
			case UseAncillary:
				u.ancillary += area
			}
			continue
		}
		share := area / float64(occupants)
		for _, as := range list {
			if as.UserID == nil {
				continue
			}
			uid := *as.UserID
			p := f.people[uid]
			pf := persons[uid]
			if pf == nil {
				pf = &PersonFigure{UserID: uid, Rooms: []PersonRoom{}}
				if p != nil {
					pf.Name, pf.Username, pf.Rank = p.Name, p.Username, p.rank()
				}
				pf.RankName = f.std.names[pf.Rank]
				std, ok := f.std.personDm2(pf.Rank)
				pf.Ranked = ok
				pa[uid] = &pacc{std: float64(std)}
				persons[uid] = pf
			}
			pf.Rooms = append(pf.Rooms, PersonRoom{RoomID: rid, Room: label(f.buildings[room.BuildingID], room.Number), AreaM2: toM2(room.AreaDm2),
				Occupants: occupants, ShareM2: round2(share / 100), Concurrent: as.Concurrent, Post: as.Post})
			u := unit(as.UnitID)
			if as.Concurrent {
				pa[uid].concurrent += share
				u.concurrent += share
				if pf.Ranked && share >= pa[uid].std {
					pf.ConcurrentOver = true
				}
				continue
			}
			pa[uid].actual += share
			u.actual += share
			if pf.UnitID == 0 {
				pf.UnitID, pf.UnitName = as.UnitID, f.units[as.UnitID]
			}
			if !u.people[uid] {
				u.people[uid] = true
				if pf.Ranked {
					u.std += pa[uid].std
				}
			}
		}
	}
	for uid, pf := range persons {
		a := pa[uid]
		if pf.UnitID == 0 && len(pf.Rooms) > 0 {
			// only concurrent offices: shown under the person's own unit
			if p := f.people[uid]; p != nil {
				pf.UnitID, pf.UnitName = p.UnitID, f.units[p.UnitID]
			}
		}
		pf.ActualM2, pf.ConcurrentM2 = round2(a.actual/100), round2(a.concurrent/100)
		if pf.Ranked {
			pf.StandardM2 = round2(a.std / 100)
			pf.ExcessM2 = round2(math.Max(0, a.actual-a.std) / 100)
		}
		pf.Over = pf.ExcessM2 > 0 || pf.ConcurrentOver
		if u := accs[pf.UnitID]; u != nil && u.people[uid] {
			if pf.Over {
				u.over++
			}
			if !pf.Ranked {
				u.unranked++
			}
		}
	}
	units := map[int64]*UnitOccupancy{}
	for id, u := range accs {
		n := len(u.people)
		service := float64(f.std.serviceM2) * float64(n)
		office := u.actual + u.idle
		equipment := f.std.equipment * (u.std + service)
		units[id] = &UnitOccupancy{UnitID: id, UnitName: f.units[id], People: n,
			StandardM2: round2(u.std / 100), ActualM2: round2(office / 100), ExcessM2: round2(math.Max(0, office-u.std) / 100),
			IdleM2: round2(u.idle / 100), IdleRooms: u.idleRooms, ConcurrentM2: round2(u.concurrent / 100),
			ServiceAllowanceM2: round2(service / 100), ServiceM2: round2(u.service / 100), ServiceExcessM2: round2(math.Max(0, u.service-service) / 100),
			EquipmentAllowanceM2: round2(equipment / 100), EquipmentM2: round2(u.equipment / 100), AncillaryM2: round2(u.ancillary / 100),
			TotalM2: round2((office + u.concurrent + u.service + u.equipment + u.ancillary) / 100), Rooms: len(u.rooms),
			OverPeople: u.over, Unranked: u.unranked}
	}
	return &figures{persons: persons, units: units}
}
