package office

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// Assign gives a room to a person or a unit (see Assignment for what is refused). The room is
// locked while the rules are checked, so two assignments at once cannot both pass.
func (s *Service) Assign(ctx context.Context, a *auth.Actor, in AssignmentInput) (*Assignment, error) {
	if err := a.Require(auth.PermOfficeWrite); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	now := s.now()
	var row *assignmentRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		row, err = s.assignTx(tx, a, now, in, "assign")
		return err
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "office_assign", roomTarget(row.RoomID), fmt.Sprintf("assignment=%d unit=%d user=%d", row.ID, row.UnitID, in.UserID))
	return s.getAssignment(s.read(ctx), row.ID)
}

// assignTx checks and stores an assignment with its history line.
func (s *Service) assignTx(tx *gorm.DB, a *auth.Actor, now time.Time, in AssignmentInput, action string) (*assignmentRow, error) {
	rooms, err := lockRooms(tx, []int64{in.RoomID})
	if err != nil {
		return nil, err
	}
	room := rooms[in.RoomID]
	if room == nil {
		return nil, fleet.Invalid(map[string]string{"room_id": "no such room"})
	}
	units, err := unitNames(tx)
	if err != nil {
		return nil, err
	}
	n := &newAssignment{room: room, unitID: in.UnitID, concurrent: in.Concurrent}
	var mine []assignmentRow
	if in.UserID != 0 {
		p, err := lockPerson(tx, in.UserID)
		if err != nil {
			return nil, err
		}
		// A person's office is their unit's; a second office for a concurrent post may be the
		// other unit's, named by unit_id.
		switch {
		case in.UnitID == 0 || in.UnitID == p.UnitID:
			n.unitID = p.UnitID
		case !in.Concurrent:
			return nil, fleet.Invalid(map[string]string{"unit_id": fmt.Sprintf("%s belongs to %s; only a second office for a concurrent post may be another unit's", p.Name, units[p.UnitID])})
		case units[in.UnitID] == "":
			return nil, fleet.Invalid(map[string]string{"unit_id": "no such unit"})
		default:
			n.unitID = in.UnitID
		}
		std, err := loadStandards(tx, s.opt.Level)
		if err != nil {
			return nil, err
		}
		n.person = p
		n.stdDm2, n.stdKnown = std.personDm2(p.rank())
		if mine, err = activeOfUser(tx, p.ID); err != nil {
			return nil, err
		}
	} else if _, ok := units[in.UnitID]; !ok {
		return nil, fleet.Invalid(map[string]string{"unit_id": "no such unit"})
	}
	active, err := activeAssignments(tx, []int64{room.ID}, true)
	if err != nil {
		return nil, err
	}
	names, err := buildingNames(tx)
	if err != nil {
		return nil, err
	}
	roomLabel := func(id int64) string {
		m, err := roomsByID(tx, []int64{id})
		if err != nil || m[id] == nil {
			return fmt.Sprintf("room %d", id)
		}
		return label(names[m[id].BuildingID], m[id].Number)
	}
	if err := n.check(active, mine, units, roomLabel); err != nil {
		return nil, err
	}
	row := &assignmentRow{RoomID: room.ID, UnitID: n.unitID, Post: in.Post, Concurrent: in.Concurrent, StartAt: now, CreatedAt: now}
	if n.person != nil {
		row.UserID = ptr(n.person.ID)
	}
	if a != nil {
		row.CreatedBy = ptr(a.UserID)
	}
	if err := insert(tx, row); err != nil {
		return nil, err
	}
	people, err := peopleOf(tx, append(active, *row))
	if err != nil {
		return nil, err
	}
	ranks, err := rankNames(tx, s.opt.Level)
	if err != nil {
		return nil, err
	}
	where := label(names[room.BuildingID], room.Number)
	err = s.change(tx, a, now, changeRow{Subject: "assignment", SubjectID: row.ID, Action: action, BuildingID: ptr(room.BuildingID),
		RoomID: ptr(room.ID), UnitID: ptr(row.UnitID), UserID: row.UserID,
		FromValue: holdersText(where, active, units, people, ranks), ToValue: holdersText(where, append(active, *row), units, people, ranks), Reason: in.Reason})
	return row, err
}

// EndAssignment ends an active assignment (the person moves out, the unit gives the room back);
// a room nobody holds any more is vacant, in the pool. When a departed person's last room is
// recovered, their departure is closed.
func (s *Service) EndAssignment(ctx context.Context, a *auth.Actor, id int64, in EndInput) (*Assignment, error) {
	if err := a.Require(auth.PermOfficeWrite); err != nil {
		return nil, err
	}
	p := fleet.Problems{}
	in.Reason = p.Text("reason", in.Reason, true, 500)
	if err := p.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var row assignmentRow
		if err := take(tx, &row, id, true, "assignment"); err != nil {
			return err
		}
		if row.EndAt != nil {
			return fleet.Errorf(fleet.EConflict, "the assignment ended on %s", s.today(*row.EndAt))
		}
		return s.endTx(tx, a, now, []assignmentRow{row}, in.Reason, "end")
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "office_assignment_end", fmt.Sprintf("office_assignment:%d", id), in.Reason)
	return s.getAssignment(s.read(ctx), id)
}

// endTx ends assignments (all of one room, or one each) with one history line per assignment,
// and closes the departures of people left without a room.
func (s *Service) endTx(tx *gorm.DB, a *auth.Actor, now time.Time, ending []assignmentRow, reason, action string) error {
	units, err := unitNames(tx)
	if err != nil {
		return err
	}
	names, err := buildingNames(tx)
	if err != nil {
		return err
	}
	ranks, err := rankNames(tx, s.opt.Level)
	if err != nil {
		return err
	}
	var roomIDs []int64
	for _, r := range ending {
		roomIDs = append(roomIDs, r.RoomID)
	}
	rooms, err := lockRooms(tx, roomIDs)
	if err != nil {
		return err
	}
	for i := range ending {
		r := &ending[i]
		room := rooms[r.RoomID]
		before, err := activeAssignments(tx, []int64{r.RoomID}, true)
		if err != nil {
			return err
		}
		r.EndAt, r.EndReason = &now, reason
		if err := endAssignmentRow(tx, r); err != nil {
			return err
		}
		var after []assignmentRow
		for _, b := range before {
			if b.ID != r.ID {
				after = append(after, b)
			}
		}
		people, err := peopleOf(tx, before)
		if err != nil {
			return err
		}
		where := label(names[room.BuildingID], room.Number)
		err = s.change(tx, a, now, changeRow{Subject: "assignment", SubjectID: r.ID, Action: action, BuildingID: ptr(room.BuildingID),
			RoomID: ptr(room.ID), UnitID: ptr(r.UnitID), UserID: r.UserID,
			FromValue: holdersText(where, before, units, people, ranks), ToValue: holdersText(where, after, units, people, ranks), Reason: reason})
		if err != nil {
			return err
		}
		if r.UserID != nil {
			if err := s.closeDepartures(tx, a, *r.UserID, now); err != nil {
				return err
			}
		}
	}
	return nil
}

// AssignmentQuery narrows ListAssignments.
type AssignmentQuery struct {
	fleet.Page
	RoomID int64
	UnitID int64
	UserID int64
	Active *bool // nil: both
}

// ListAssignments returns assignments, newest first; leaders see their own unit's.
func (s *Service) ListAssignments(ctx context.Context, a *auth.Actor, q AssignmentQuery) ([]Assignment, int64, error) {
	if err := a.Require(auth.PermOfficeRead); err != nil {
		return nil, 0, err
	}
	unit, err := scopeUnit(a, q.UnitID)
	if err != nil {
		return nil, 0, err
	}
	q.UnitID, q.Page = unit, q.Page.Normalize()
	db := s.read(ctx)
	rows, total, err := listAssignments(db, q)
	if err != nil {
		return nil, 0, err
	}
	out, err := assignmentViews(db, rows)
	return out, total, err
}

// GetAssignment returns one assignment; leaders see their own unit's.
func (s *Service) GetAssignment(ctx context.Context, a *auth.Actor, id int64) (*Assignment, error) {
	if err := a.Require(auth.PermOfficeRead); err != nil {
		return nil, err
	}
	out, err := s.getAssignment(s.read(ctx), id)
	if err != nil {
		return nil, err
	}
	if err := checkUnit(a, out.UnitID); err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Service) getAssignment(db *gorm.DB, id int64) (*Assignment, error) {
	var row assignmentRow
	if err := take(db, &row, id, false, "assignment"); err != nil {
		return nil, err
	}
	out, err := assignmentViews(db, []assignmentRow{row})
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

func assignmentViews(db *gorm.DB, rows []assignmentRow) ([]Assignment, error) {
	var roomIDs []int64
	for _, r := range rows {
		roomIDs = append(roomIDs, r.RoomID)
	}
	rooms, err := roomsByID(db, roomIDs)
	if err != nil {
		return nil, err
	}
	names, err := buildingNames(db)
	if err != nil {
		return nil, err
	}
	units, err := unitNames(db)
	if err != nil {
		return nil, err
	}
	people, err := peopleOf(db, rows)
	if err != nil {
		return nil, err
	}
	out := make([]Assignment, len(rows))
	for i := range rows {
		room := rooms[rows[i].RoomID]
		b := ""
		if room != nil {
			b = names[room.BuildingID]
		}
		out[i] = rows[i].assignment(room, b, units, people)
	}
	return out, nil
}

// peopleOf reads the persons of assignments.
func peopleOf(tx *gorm.DB, rows []assignmentRow) (map[int64]*personRow, error) {
	var ids []int64
	for _, r := range rows {
		if r.UserID != nil {
			ids = append(ids, *r.UserID)
		}
	}
	return peopleByID(tx, ids)
}

// holdersText says who holds a room, for the history: "主楼 301：财政局 张三（正科）、李四" or
// "主楼 301：空置".
func holdersText(where string, active []assignmentRow, units map[int64]string, people map[int64]*personRow, ranks map[string]string) string {
	if len(active) == 0 {
		return where + "：空置"
	}
	var parts []string
	for i := range active {
		parts = append(parts, strings.TrimPrefix(active[i].text("", units, people, ranks), "："))
	}
	sort.Strings(parts)
	return where + "：" + strings.Join(parts, "、")
}
