package office

import (
	"fmt"
	"time"

	"fleet"
)

// Assignment is a room held by a unit (UserID null) or an office room used by a person of a
// unit, from StartAt until EndAt (null while active).
//
// What "assigned twice at the same time" means here:
//   - the same person twice in the same room: refused;
//   - a room held by two units: refused, whether by unit assignments or by a person of another
//     unit moving into a room a unit holds. Persons of different units may share a room that no
//     unit holds (合署办公); each has their share of it;
//   - a person with two offices: refused, unless the second is for a concurrent post
//     (concurrent, with the post), and then only smaller than the person's standard (2017
//     rules: 兼职的在主要工作部门安排一处办公用房, 另行安排的须小于标准).
type Assignment struct {
	ID         int64      `json:"id"`
	RoomID     int64      `json:"room_id"`
	Room       string     `json:"room"` // "主楼 301"
	BuildingID int64      `json:"building_id"`
	UnitID     int64      `json:"unit_id"`
	UnitName   string     `json:"unit_name"`
	UserID     *int64     `json:"user_id"` // null: the unit holds the room
	Name       string     `json:"name"`    // the person's
	Rank       string     `json:"rank"`
	Post       string     `json:"post"`
	Concurrent bool       `json:"concurrent"`
	StartAt    time.Time  `json:"start_at"`
	EndAt      *time.Time `json:"end_at"`
	EndReason  string     `json:"end_reason"`
	Active     bool       `json:"active"`
}

// AssignmentInput assigns a room: to a person (UserID, an office room; the person's unit is
// taken) or to a unit (UnitID, any room).
type AssignmentInput struct {
	RoomID     int64  `json:"room_id"`
	UserID     int64  `json:"user_id"`
	UnitID     int64  `json:"unit_id"`
	Post       string `json:"post"`       // 职务, shown in the ledger; required for a concurrent office
	Concurrent bool   `json:"concurrent"` // a second office for a concurrent post
	Reason     string `json:"reason"`
}

func (in *AssignmentInput) validate() error {
	p := fleet.Problems{}
	if in.RoomID <= 0 {
		p.Add("room_id", "required")
	}
	if in.UserID < 0 {
		p.Add("user_id", "must be a user id")
	}
	if in.UnitID < 0 {
		p.Add("unit_id", "must be a unit id")
	}
	if in.UserID == 0 && in.UnitID == 0 {
		p.Add("user_id", "required: the person (user_id) or the unit (unit_id) the room goes to")
	}
	in.Post = p.Text("post", in.Post, in.Concurrent, 100)
	in.Reason = p.Text("reason", in.Reason, false, 500)
	if in.Concurrent && in.UserID == 0 {
		p.Add("concurrent", "only for a person")
	}
	return p.Err()
}

// EndInput ends an assignment: the room is vacated or recovered.
type EndInput struct {
	Reason string `json:"reason"` // why: 调离, 退休, 调剂, 清退 …
}

// newAssignment is an assignment being made, with what the rules need to know.
type newAssignment struct {
	room       *roomRow
	unitID     int64
	person     *personRow // nil for a unit assignment
	concurrent bool
	// of the person (when a person): their other active assignments, and their standard
	stdDm2   int64
	stdKnown bool
}

// check applies the rules of assigning against the room's active assignments and the person's
// other offices (mine); units names units for messages.
func (n *newAssignment) check(active, mine []assignmentRow, units map[int64]string, roomLabel func(int64) string) error {
	persons := 0
	for _, as := range active {
		if as.UserID != nil {
			persons++
		}
	}
	if n.person == nil {
		for _, as := range active {
			switch {
			case as.UserID == nil && as.UnitID == n.unitID:
				return fleet.Errorf(fleet.EConflict, "the room is already assigned to %s", units[n.unitID])
			case as.UnitID != n.unitID:
				return fleet.Errorf(fleet.EConflict, "the room is used by %s; a room is assigned to one unit at a time", units[as.UnitID])
			}
		}
		return nil
	}
	if n.room.Use != UseOffice {
		return fleet.Invalid(map[string]string{"room_id": fmt.Sprintf("the room is %s: only office rooms are assigned to persons; assign it to the unit", useNames[n.room.Use])})
	}
	if n.person.Disabled {
		return fleet.Invalid(map[string]string{"user_id": "the user is disabled"})
	}
	for _, as := range active {
		if as.UserID != nil && *as.UserID == n.person.ID {
			return fleet.Errorf(fleet.EConflict, "%s is already assigned to this room", n.person.Name)
		}
		if as.UserID == nil && as.UnitID != n.unitID {
			return fleet.Errorf(fleet.EConflict, "the room is assigned to %s; a room is assigned to one unit at a time", units[as.UnitID])
		}
	}
	if !n.concurrent {
		for _, as := range mine {
			if !as.Concurrent {
				return &fleet.Error{Code: fleet.EConflict,
					Message: fmt.Sprintf("%s already has an office (%s); end it first, or give concurrent with the post for a second office of a concurrent post", n.person.Name, roomLabel(as.RoomID)),
					Fields:  map[string]string{"user_id": "already has an office"}}
			}
		}
		return nil
	}
	if !n.stdKnown {
		return fleet.Invalid(map[string]string{"concurrent": "the person has no rank the standards table knows; a second office is checked against the standard"})
	}
	if share := float64(n.room.AreaDm2) / float64(persons+1); share >= float64(n.stdDm2) {
		return fleet.Invalid(map[string]string{"concurrent": fmt.Sprintf("a second office for a concurrent post must be smaller than the standard (%.2f m²); this one would be %.2f m² per person",
			toM2(n.stdDm2), round2(share/100))})
	}
	return nil
}

// text says who holds the room, for the history: the unit, and the person with their rank's
// name (ranks: code → name; the code when the table has no name for it).
func (r *assignmentRow) text(room string, units map[int64]string, people map[int64]*personRow, ranks map[string]string) string {
	who := units[r.UnitID]
	if r.UserID != nil {
		if p := people[*r.UserID]; p != nil {
			who += " " + p.Name
			if rk := p.rank(); rk != "" {
				if ranks[rk] != "" {
					rk = ranks[rk]
				}
				who += "（" + rk + "）"
			}
		}
		if r.Post != "" {
			who += " " + r.Post
		}
		if r.Concurrent {
			who += " 兼职"
		}
	}
	return room + "：" + who
}

func (r *assignmentRow) assignment(room *roomRow, building string, units map[int64]string, people map[int64]*personRow) Assignment {
	out := Assignment{ID: r.ID, RoomID: r.RoomID, UnitID: r.UnitID, UnitName: units[r.UnitID], UserID: r.UserID, Post: r.Post,
		Concurrent: r.Concurrent, StartAt: r.StartAt.UTC(), EndReason: r.EndReason, Active: r.EndAt == nil}
	if room != nil {
		out.Room, out.BuildingID = label(building, room.Number), room.BuildingID
	}
	if r.EndAt != nil {
		t := r.EndAt.UTC()
		out.EndAt = &t
	}
	if r.UserID != nil {
		if p := people[*r.UserID]; p != nil {
			out.Name, out.Rank = p.Name, p.rank()
		}
	}
	return out
}
