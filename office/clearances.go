package office

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// Statuses of a clearance and of a finding.
const (
	ClearanceOpen      = "open"
	ClearanceDone      = "done"
	ClearanceCancelled = "cancelled"
)

// clearanceWords name the statuses in the history.
var clearanceWords = map[string]string{ClearanceOpen: "待清退", ClearanceDone: "已清退", ClearanceCancelled: "已撤销"}

// Clearance is a room a unit must clear and return (清退) by a deadline; completing it ends the
// unit's assignments of the room, which goes back to the pool. Overdue while open past the
// deadline.
type Clearance struct {
	ID        int64      `json:"id"`
	RoomID    int64      `json:"room_id"`
	Room      string     `json:"room"`
	AreaM2    float64    `json:"area_m2"`
	UnitID    int64      `json:"unit_id"`
	UnitName  string     `json:"unit_name"`
	Reason    string     `json:"reason"`
	Deadline  string     `json:"deadline"` // YYYY-MM-DD
	Status    string     `json:"status"`   // open, done, cancelled
	DoneAt    *time.Time `json:"done_at"`
	Note      string     `json:"note"`
	Overdue   bool       `json:"overdue"`
	CreatedAt time.Time  `json:"created_at"`
}

// ClearanceInput orders a clearance.
type ClearanceInput struct {
	RoomID   int64  `json:"room_id"`
	UnitID   int64  `json:"unit_id"` // default: the unit that holds the room
	Reason   string `json:"reason"`
	Deadline string `json:"deadline"` // YYYY-MM-DD, today or later
}

// NoteInput closes or cancels a tracked action with a note.
type NoteInput struct {
	Note string `json:"note"`
}

// OrderClearance orders a unit to clear and return a room it holds by a deadline; one open
// clearance per room.
func (s *Service) OrderClearance(ctx context.Context, a *auth.Actor, in ClearanceInput) (*Clearance, error) {
	if err := a.Require(auth.PermOfficeWrite); err != nil {
		return nil, err
	}
	now := s.now()
	p := fleet.Problems{}
	if in.RoomID <= 0 {
		p.Add("room_id", "required")
	}
	in.Reason = p.Text("reason", in.Reason, true, 1000)
	if d := checkDate(p, "deadline", &in.Deadline, true); !d.IsZero() && in.Deadline < s.today(now) {
		p.Add("deadline", "must be today or later")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	var id int64
	err := s.tx(ctx, func(tx *gorm.DB) error {
		rooms, err := lockRooms(tx, []int64{in.RoomID})
		if err != nil {
			return err
		}
		room := rooms[in.RoomID]
		if room == nil {
			return fleet.Invalid(map[string]string{"room_id": "no such room"})
		}
		held, err := activeAssignments(tx, []int64{room.ID}, true)
		if err != nil {
			return err
		}
		if len(held) == 0 {
			return fleet.Errorf(fleet.EConflict, "room %s is vacant: nothing to clear", room.Number)
		}
		if in.UnitID == 0 {
			in.UnitID = held[0].UnitID
		}
		units, err := unitNames(tx)
		if err != nil {
			return err
		}
		if !heldByUnit(held, in.UnitID) {
			return fleet.Invalid(map[string]string{"unit_id": fmt.Sprintf("%s holds nothing in room %s", units[in.UnitID], room.Number)})
		}
		if open, err := openClearance(tx, room.ID); err != nil {
			return err
		} else if open != 0 {
			return fleet.Errorf(fleet.EConflict, "room %s has an open clearance (#%d)", room.Number, open)
		}
		row := &clearanceRow{RoomID: room.ID, UnitID: in.UnitID, Reason: in.Reason, DueOn: in.Deadline, Status: ClearanceOpen,
			CreatedBy: ptr(a.UserID), CreatedAt: now, UpdatedAt: now}
		if err := insert(tx, row); err != nil {
			return err
		}
		id = row.ID
		return s.change(tx, a, now, changeRow{Subject: "clearance", SubjectID: row.ID, Action: "order", BuildingID: ptr(room.BuildingID),
			RoomID: ptr(room.ID), UnitID: ptr(in.UnitID), FromValue: units[in.UnitID] + " 使用", ToValue: "限 " + in.Deadline + " 前清退", Reason: in.Reason})
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "office_clearance_order", fmt.Sprintf("office_clearance:%d", id), in.Reason)
	return s.getClearance(s.read(ctx), id)
}

// CompleteClearance records that the room was cleared: the unit's assignments of it end and the
// room goes back to the pool.
func (s *Service) CompleteClearance(ctx context.Context, a *auth.Actor, id int64, in NoteInput) (*Clearance, error) {
	return s.closeClearance(ctx, a, id, in, ClearanceDone)
}

// CancelClearance withdraws an open clearance; nothing else changes.
func (s *Service) CancelClearance(ctx context.Context, a *auth.Actor, id int64, in NoteInput) (*Clearance, error) {
	return s.closeClearance(ctx, a, id, in, ClearanceCancelled)
}

func (s *Service) closeClearance(ctx context.Context, a *auth.Actor, id int64, in NoteInput, status string) (*Clearance, error) {
	if err := a.Require(auth.PermOfficeWrite); err != nil {
		return nil, err
	}
	p := fleet.Problems{}
	in.Note = p.Text("note", in.Note, status == ClearanceCancelled, 1000)
	if err := p.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var row clearanceRow
		if err := take(tx, &row, id, true, "clearance"); err != nil {
			return err
		}
		if row.Status != ClearanceOpen {
			return fleet.Errorf(fleet.EConflict, "the clearance is %s already", row.Status)
		}
		row.Status, row.Note, row.UpdatedAt = status, in.Note, now
		why := fmt.Sprintf("清退 #%d：%s", row.ID, row.Reason)
		if status == ClearanceDone {
			row.DoneAt = &now
			held, err := activeAssignments(tx, []int64{row.RoomID}, true)
			if err != nil {
				return err
			}
			var ending []assignmentRow
			for _, as := range held {
				if as.UnitID == row.UnitID {
					ending = append(ending, as)
				}
			}
			if err := s.endTx(tx, a, now, ending, why, "clear"); err != nil {
				return err
			}
		}
		if err := save(tx, &row); err != nil {
			return err
		}
		late := ""
		if status == ClearanceDone && s.today(now) > row.DueOn {
			late = "（逾期）"
		}
		return s.change(tx, a, now, changeRow{Subject: "clearance", SubjectID: row.ID, Action: status, RoomID: ptr(row.RoomID),
			UnitID: ptr(row.UnitID), FromValue: clearanceWords[ClearanceOpen], ToValue: clearanceWords[status] + late, Reason: in.Note})
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "office_clearance_"+status, fmt.Sprintf("office_clearance:%d", id), in.Note)
	return s.getClearance(s.read(ctx), id)
}

// ClearanceQuery narrows ListClearances.
type ClearanceQuery struct {
	fleet.Page
	UnitID  int64
	Status  string
	Overdue bool
}

// ListClearances returns clearances, newest first; leaders see their own unit's.
func (s *Service) ListClearances(ctx context.Context, a *auth.Actor, q ClearanceQuery) ([]Clearance, int64, error) {
	if err := a.Require(auth.PermOfficeRead); err != nil {
		return nil, 0, err
	}
	unit, err := scopeUnit(a, q.UnitID)
	if err != nil {
		return nil, 0, err
	}
	q.UnitID, q.Page = unit, q.Page.Normalize()
	db := s.read(ctx)
	rows, total, err := listClearances(db, q, s.today(s.now()))
	if err != nil {
		return nil, 0, err
	}
	out, err := s.clearanceViews(db, rows)
	return out, total, err
}

// GetClearance returns one clearance; leaders see their own unit's.
func (s *Service) GetClearance(ctx context.Context, a *auth.Actor, id int64) (*Clearance, error) {
	if err := a.Require(auth.PermOfficeRead); err != nil {
		return nil, err
	}
	c, err := s.getClearance(s.read(ctx), id)
	if err != nil {
		return nil, err
	}
	return c, checkUnit(a, c.UnitID)
}

func (s *Service) getClearance(db *gorm.DB, id int64) (*Clearance, error) {
	var row clearanceRow
	if err := take(db, &row, id, false, "clearance"); err != nil {
		return nil, err
	}
	out, err := s.clearanceViews(db, []clearanceRow{row})
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

func (s *Service) clearanceViews(db *gorm.DB, rows []clearanceRow) ([]Clearance, error) {
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
	today := s.today(s.now())
	out := make([]Clearance, len(rows))
	for i, r := range rows {
		c := Clearance{ID: r.ID, RoomID: r.RoomID, UnitID: r.UnitID, UnitName: units[r.UnitID], Reason: r.Reason, Deadline: r.DueOn,
			Status: r.Status, Note: r.Note, Overdue: r.Status == ClearanceOpen && today > r.DueOn, CreatedAt: r.CreatedAt.UTC()}
		if rm := rooms[r.RoomID]; rm != nil {
			c.Room, c.AreaM2 = label(names[rm.BuildingID], rm.Number), toM2(rm.AreaDm2)
		}
		if r.DoneAt != nil {
			t := r.DoneAt.UTC()
			c.DoneAt = &t
		}
		out[i] = c
	}
	return out, nil
}

func heldByUnit(held []assignmentRow, unit int64) bool {
	for _, as := range held {
		if as.UnitID == unit {
			return true
		}
	}
	return false
}
