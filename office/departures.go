package office

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// Kinds of departure.
const (
	DepartTransfer = "transfer" // 调离
	DepartRetire   = "retire"   // 退休
	DepartLeave    = "leave"    // 离职 and other
)

// Departure is a person who transferred or retired: under the 2017 rules their office is
// recovered within one month (Deadline); Overdue once the deadline has passed with a room still
// held. It closes by itself (RecoveredAt) when the person's last room is given back.
type Departure struct {
	ID          int64      `json:"id"`
	UserID      int64      `json:"user_id"`
	Name        string     `json:"name"`
	UnitID      int64      `json:"unit_id"`
	UnitName    string     `json:"unit_name"`
	Kind        string     `json:"kind"`
	LeftOn      string     `json:"left_on"`  // YYYY-MM-DD
	Deadline    string     `json:"deadline"` // left_on + 1 month
	RecoveredAt *time.Time `json:"recovered_at"`
	Rooms       []string   `json:"rooms"` // still held
	Overdue     bool       `json:"overdue"`
	Note        string     `json:"note"`
	CreatedAt   time.Time  `json:"created_at"`
}

// DepartureInput records a departure.
type DepartureInput struct {
	UserID int64  `json:"user_id"`
	Kind   string `json:"kind"`    // transfer, retire, leave
	LeftOn string `json:"left_on"` // YYYY-MM-DD; default today
	Note   string `json:"note"`
}

// Unrecorded is a person who still holds a room although the user records say they left: the
// user is disabled, or belongs to another unit now than the one the room was given to.
type Unrecorded struct {
	UserID   int64    `json:"user_id"`
	Name     string   `json:"name"`
	UnitID   int64    `json:"unit_id"` // of the room
	UnitName string   `json:"unit_name"`
	Why      string   `json:"why"` // disabled, moved_unit
	Rooms    []string `json:"rooms"`
}

// Departures is the recovery list: recorded departures and the unrecorded ones the records show.
type Departures struct {
	Items      []Departure  `json:"items"`
	Total      int64        `json:"total"`
	Unrecorded []Unrecorded `json:"unrecorded"`
}

// RecordDeparture records that a person transferred, retired or left; the rooms are due back a
// month after. A person without a room is recovered at once.
func (s *Service) RecordDeparture(ctx context.Context, a *auth.Actor, in DepartureInput) (*Departure, error) {
	if err := a.Require(auth.PermOfficeWrite); err != nil {
		return nil, err
	}
	now := s.now()
	p := fleet.Problems{}
	if in.UserID <= 0 {
		p.Add("user_id", "required")
	}
	switch in.Kind {
	case DepartTransfer, DepartRetire, DepartLeave:
	default:
		p.Add("kind", "must be transfer, retire or leave")
	}
	if in.LeftOn == "" {
		in.LeftOn = s.today(now)
	}
	left := checkDate(p, "left_on", &in.LeftOn, true)
	in.Note = p.Text("note", in.Note, false, 1000)
	if err := p.Err(); err != nil {
		return nil, err
	}
	var id int64
	err := s.tx(ctx, func(tx *gorm.DB) error {
		person, err := lockPerson(tx, in.UserID)
		if err != nil {
			return err
		}
		if n, err := openDepartures(tx, in.UserID); err != nil {
			return err
		} else if len(n) > 0 {
			return fleet.Errorf(fleet.EConflict, "%s's departure is recorded already (#%d)", person.Name, n[0].ID)
		}
		held, err := activeOfUser(tx, in.UserID)
		if err != nil {
			return err
		}
		row := &departureRow{UserID: in.UserID, UnitID: person.UnitID, Kind: in.Kind, LeftOn: in.LeftOn,
			DueOn: left.AddDate(0, 1, 0).Format(time.DateOnly), Note: in.Note, CreatedBy: ptr(a.UserID), CreatedAt: now}
		if len(held) > 0 {
			row.UnitID = held[0].UnitID
		} else {
			row.RecoveredAt = &now
		}
		if err := insert(tx, row); err != nil {
			return err
		}
		id = row.ID
		return s.change(tx, a, now, changeRow{Subject: "departure", SubjectID: row.ID, Action: in.Kind, UnitID: ptr(row.UnitID),
			UserID: ptr(in.UserID), ToValue: fmt.Sprintf("%s %s，办公用房应于 %s 前收回", person.Name, in.LeftOn, row.DueOn), Reason: in.Note})
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "office_departure", fmt.Sprintf("user:%d", in.UserID), in.Kind)
	list, err := s.departureViews(s.read(ctx), []departureRow{{ID: id}}, true)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return &list[0], nil
}

// DepartureQuery narrows ListDepartures.
type DepartureQuery struct {
	fleet.Page
	UnitID  int64
	Open    bool // only those not recovered yet
	Overdue bool // only those past their deadline
}

// ListDepartures returns the recovery list, newest first, and the unrecorded departures the
// user records show; leaders see their own unit's.
func (s *Service) ListDepartures(ctx context.Context, a *auth.Actor, q DepartureQuery) (*Departures, error) {
	if err := a.Require(auth.PermOfficeRead); err != nil {
		return nil, err
	}
	unit, err := scopeUnit(a, q.UnitID)
	if err != nil {
		return nil, err
	}
	q.UnitID, q.Page = unit, q.Page.Normalize()
	db := s.read(ctx)
	rows, total, err := listDepartures(db, q, s.today(s.now()))
	if err != nil {
		return nil, err
	}
	items, err := s.departureViews(db, rows, false)
	if err != nil {
		return nil, err
	}
	un, err := s.unrecorded(db, unit)
	if err != nil {
		return nil, err
	}
	return &Departures{Items: items, Total: total, Unrecorded: un}, nil
}

// closeDepartures marks a person's open departures recovered once they hold no room.
func (s *Service) closeDepartures(tx *gorm.DB, a *auth.Actor, userID int64, now time.Time) error {
	open, err := openDepartures(tx, userID)
	if err != nil || len(open) == 0 {
		return err
	}
	held, err := activeOfUser(tx, userID)
	if err != nil || len(held) > 0 {
		return err
	}
	for i := range open {
		d := &open[i]
		d.RecoveredAt = &now
		if err := save(tx, d); err != nil {
			return err
		}
		late := ""
		if s.today(now) > d.DueOn {
			late = "（逾期）"
		}
		err := s.change(tx, a, now, changeRow{Subject: "departure", SubjectID: d.ID, Action: "recovered", UnitID: ptr(d.UnitID),
			UserID: ptr(userID), FromValue: "应于 " + d.DueOn + " 前收回", ToValue: "已于 " + s.today(now) + " 收回" + late})
		if err != nil {
			return err
		}
	}
	return nil
}

// departureViews builds departures; reload reads the rows by id first.
func (s *Service) departureViews(db *gorm.DB, rows []departureRow, reload bool) ([]Departure, error) {
	if reload {
		var ids []int64
		for _, r := range rows {
			ids = append(ids, r.ID)
		}
		var err error
		if rows, err = departuresByID(db, ids); err != nil {
			return nil, err
		}
	}
	var userIDs []int64
	for _, r := range rows {
		userIDs = append(userIDs, r.UserID)
	}
	people, err := peopleByID(db, userIDs)
	if err != nil {
		return nil, err
	}
	units, err := unitNames(db)
	if err != nil {
		return nil, err
	}
	held, err := heldRoomLabels(db, userIDs)
	if err != nil {
		return nil, err
	}
	today := s.today(s.now())
	out := make([]Departure, len(rows))
	for i, r := range rows {
		d := Departure{ID: r.ID, UserID: r.UserID, UnitID: r.UnitID, UnitName: units[r.UnitID], Kind: r.Kind, LeftOn: r.LeftOn,
			Deadline: r.DueOn, Note: r.Note, Rooms: held[r.UserID], CreatedAt: r.CreatedAt.UTC()}
		if d.Rooms == nil {
			d.Rooms = []string{}
		}
		if p := people[r.UserID]; p != nil {
			d.Name = p.Name
		}
		if r.RecoveredAt != nil {
			t := r.RecoveredAt.UTC()
			d.RecoveredAt = &t
		} else {
			d.Overdue = today > r.DueOn
		}
		out[i] = d
	}
	return out, nil
}

// unrecorded finds people holding rooms whose user is disabled or now in another unit, and who
// have no open departure.
func (s *Service) unrecorded(db *gorm.DB, unit int64) ([]Unrecorded, error) {
	active, err := activeAssignments(db, nil, false)
	if err != nil {
		return nil, err
	}
	people, err := peopleOf(db, active)
	if err != nil {
		return nil, err
	}
	units, err := unitNames(db)
	if err != nil {
		return nil, err
	}
	open, err := openDepartureUsers(db)
	if err != nil {
		return nil, err
	}
	var userIDs []int64
	for _, as := range active {
		if as.UserID != nil {
			userIDs = append(userIDs, *as.UserID)
		}
	}
	held, err := heldRoomLabels(db, userIDs)
	if err != nil {
		return nil, err
	}
	out := []Unrecorded{}
	seen := map[int64]bool{}
	for _, as := range active {
		if as.UserID == nil || seen[*as.UserID] || open[*as.UserID] || (unit != 0 && as.UnitID != unit) {
			continue
		}
		p := people[*as.UserID]
		if p == nil {
			continue
		}
		why := ""
		switch {
		case p.Disabled:
			why = "disabled"
		case p.UnitID != as.UnitID:
			why = "moved_unit"
		default:
			continue
		}
		seen[p.ID] = true
		out = append(out, Unrecorded{UserID: p.ID, Name: p.Name, UnitID: as.UnitID, UnitName: units[as.UnitID], Why: why, Rooms: held[p.ID]})
	}
	return out, nil
}
