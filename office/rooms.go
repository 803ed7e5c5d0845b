package office

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// CreateRoom adds a room to a building: its area must be more than 0 and fit the building (the
// building's rooms together may not cover more than its usable area, when recorded), its number
// new in the building (409 otherwise). A new room is vacant.
func (s *Service) CreateRoom(ctx context.Context, a *auth.Actor, in RoomInput) (*Room, error) {
	if err := a.Require(auth.PermOfficeWrite); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	now := s.now()
	row := &roomRow{BuildingID: in.BuildingID, Floor: in.Floor, Number: in.Number, AreaDm2: toDm2(in.AreaM2), Use: in.Use,
		Note: in.Note, CreatedAt: now, UpdatedAt: now}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		return s.createRoomTx(tx, a, row, in.Reason, "create")
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "office_room_create", roomTarget(row.ID), row.text())
	return s.GetRoom(ctx, a, row.ID)
}

// createRoomTx checks the room against its building (locked, so two rooms added at once cannot
// both squeeze into the last free area) and stores it with its history line.
func (s *Service) createRoomTx(tx *gorm.DB, a *auth.Actor, row *roomRow, reason, action string) error {
	var b buildingRow
	if err := take(tx, &b, row.BuildingID, true, "building"); err != nil {
		if fleet.ErrorCode(err) == fleet.ENotFound {
			return fleet.Invalid(map[string]string{"building_id": "no such building"})
		}
		return err
	}
	others, _, err := roomTotals(tx, b.ID, 0)
	if err != nil {
		return err
	}
	if err := checkBuilding(&b, row.Floor, row.AreaDm2, others); err != nil {
		return err
	}
	if err := insertRoom(tx, row); err != nil {
		return err
	}
	return s.change(tx, a, row.CreatedAt, changeRow{Subject: "room", SubjectID: row.ID, Action: action, BuildingID: ptr(b.ID),
		RoomID: ptr(row.ID), ToValue: label(b.Name, row.text()), Reason: reason})
}

// UpdateRoom changes a room's floor, number, area, use or note (it stays in its building). A room
// with people in it stays an office.
func (s *Service) UpdateRoom(ctx context.Context, a *auth.Actor, id int64, in RoomInput) (*Room, error) {
	if err := a.Require(auth.PermOfficeWrite); err != nil {
		return nil, err
	}
	var r roomRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := take(tx, &r, id, true, "room"); err != nil {
			return err
		}
		if in.BuildingID == 0 {
			in.BuildingID = r.BuildingID
		}
		if err := in.validate(); err != nil {
			return err
		}
		if in.BuildingID != r.BuildingID {
			return fleet.Invalid(map[string]string{"building_id": "a room stays in its building; add a room to the other building instead"})
		}
		var b buildingRow
		if err := take(tx, &b, r.BuildingID, true, "building"); err != nil {
			return err
		}
		others, _, err := roomTotals(tx, b.ID, id)
		if err != nil {
			return err
		}
		if err := checkBuilding(&b, in.Floor, toDm2(in.AreaM2), others); err != nil {
			return err
		}
		if in.Use != UseOffice && r.Use == UseOffice {
			active, err := activeAssignments(tx, []int64{id}, false)
			if err != nil {
				return err
			}
			if n := countPersons(active); n > 0 {
				return &fleet.Error{Code: fleet.EConflict, Message: fmt.Sprintf("%d people have their office in this room; move them out first", n),
					Fields: map[string]string{"use": "the room has people in it"}}
			}
		}
		before := r.text()
		now := s.now()
		r.Floor, r.Number, r.AreaDm2, r.Use, r.Note, r.UpdatedAt = in.Floor, in.Number, toDm2(in.AreaM2), in.Use, in.Note, now
		if err := saveRoom(tx, &r); err != nil {
			return err
		}
		return s.change(tx, a, now, changeRow{Subject: "room", SubjectID: id, Action: "update", BuildingID: ptr(b.ID), RoomID: ptr(id),
			UnitID: nil, FromValue: before, ToValue: r.text(), Reason: in.Reason})
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "office_room_update", roomTarget(id), r.text())
	return s.GetRoom(ctx, a, id)
}

// GetRoom returns a room with its holder and occupants; leaders see their own unit's rooms.
func (s *Service) GetRoom(ctx context.Context, a *auth.Actor, id int64) (*Room, error) {
	if err := a.Require(auth.PermOfficeRead); err != nil {
		return nil, err
	}
	db := s.read(ctx)
	var r roomRow
	if err := take(db, &r, id, false, "room"); err != nil {
		return nil, err
	}
	views, err := roomViews(db, []roomRow{r})
	if err != nil {
		return nil, err
	}
	v := &views[0]
	if !a.SeesAllUnits() && !v.Vacant && !v.heldBy(a.UnitID) {
		return nil, fleet.Errorf(fleet.EForbidden, "this room is not your unit's")
	}
	return v, nil
}

// RoomQuery narrows ListRooms; zero values match everything.
type RoomQuery struct {
	fleet.Page
	BuildingID int64
	UnitID     int64
	Use        string
	Floor      int
	Vacant     *bool // true: the pool of vacant rooms; false: rooms someone holds
}

// ListRooms returns rooms by building, floor and number with their holders; leaders see their
// own unit's rooms. Vacant=true (or use=vacant) lists the pool of vacant rooms (统筹调剂的公用房源),
// which leaders see too: it is what their unit may ask for.
func (s *Service) ListRooms(ctx context.Context, a *auth.Actor, q RoomQuery) ([]Room, int64, error) {
	if err := a.Require(auth.PermOfficeRead); err != nil {
		return nil, 0, err
	}
	if err := q.normalizeUse(); err != nil {
		return nil, 0, err
	}
	pool := q.Vacant != nil && *q.Vacant
	unit, err := scopeUnit(a, q.UnitID)
	if err != nil {
		return nil, 0, err
	}
	if pool && q.UnitID != 0 {
		return []Room{}, 0, nil // a vacant room is no unit's
	}
	if !pool {
		q.UnitID = unit
	}
	q.Page = q.Page.Normalize()
	db := s.read(ctx)
	rows, total, err := listRooms(db, q)
	if err != nil {
		return nil, 0, err
	}
	out, err := roomViews(db, rows)
	return out, total, err
}

// normalizeUse reads use=vacant as the vacancy filter (vacancy is a state, not a use) and
// refuses a use the ledger does not know.
func (q *RoomQuery) normalizeUse() error {
	switch q.Use {
	case "", UseOffice, UseService, UseEquipment, UseAncillary:
		return nil
	case "vacant":
		if q.Vacant != nil && !*q.Vacant {
			return fleet.Invalid(map[string]string{"use": "use=vacant with vacant=0 matches nothing"})
		}
		yes := true
		q.Use, q.Vacant = "", &yes
		return nil
	}
	return fleet.Invalid(map[string]string{"use": "must be office, service, equipment, ancillary or vacant"})
}

// heldBy reports whether unit holds the room or has a person in it.
func (r *Room) heldBy(unit int64) bool {
	if r.UnitID != nil && *r.UnitID == unit {
		return true
	}
	for _, o := range r.Occupants {
		if o.UnitID == unit {
			return true
		}
	}
	return false
}

// roomViews builds the rooms with their holders from their active assignments.
func roomViews(tx *gorm.DB, rows []roomRow) ([]Room, error) {
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	active, err := activeAssignments(tx, ids, false)
	if err != nil {
		return nil, err
	}
	var userIDs []int64
	for _, as := range active {
		if as.UserID != nil {
			userIDs = append(userIDs, *as.UserID)
		}
	}
	people, err := peopleByID(tx, userIDs)
	if err != nil {
		return nil, err
	}
	units, err := unitNames(tx)
	if err != nil {
		return nil, err
	}
	buildings, err := buildingNames(tx)
	if err != nil {
		return nil, err
	}
	byRoom := map[int64][]assignmentRow{}
	for _, as := range active {
		byRoom[as.RoomID] = append(byRoom[as.RoomID], as)
	}
	out := make([]Room, len(rows))
	for i, r := range rows {
		out[i] = roomView(&r, buildings[r.BuildingID], byRoom[r.ID], people, units)
	}
	return out, nil
}

func roomView(r *roomRow, building string, active []assignmentRow, people map[int64]*personRow, units map[int64]string) Room {
	v := Room{ID: r.ID, BuildingID: r.BuildingID, Building: building, Floor: r.Floor, Number: r.Number, AreaM2: toM2(r.AreaDm2),
		Use: r.Use, Note: r.Note, Vacant: len(active) == 0, Occupants: []Occupant{}, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	holders := map[int64]bool{}
	for _, as := range active {
		holders[as.UnitID] = true
		if as.UserID == nil {
			id, u := as.ID, as.UnitID
			v.UnitAssignmentID, v.UnitID = &id, &u
			continue
		}
		o := Occupant{AssignmentID: as.ID, UserID: *as.UserID, Post: as.Post, Concurrent: as.Concurrent, UnitID: as.UnitID,
			UnitName: units[as.UnitID], Since: as.StartAt.UTC()}
		if p := people[*as.UserID]; p != nil {
			o.Name, o.Username, o.Rank = p.Name, p.Username, p.rank()
		}
		v.Occupants = append(v.Occupants, o)
	}
	sort.Slice(v.Occupants, func(i, j int) bool { return v.Occupants[i].AssignmentID < v.Occupants[j].AssignmentID })
	if n := len(v.Occupants); n > 0 {
		v.ShareM2 = round2(toM2(r.AreaDm2) / float64(n))
	}
	switch {
	case v.UnitID != nil:
	case len(holders) == 1:
		for u := range holders {
			u := u
			v.UnitID = &u
		}
	}
	if v.UnitID != nil {
		v.UnitName = units[*v.UnitID]
	} else if len(holders) > 1 {
		var names []string
		for u := range holders {
			names = append(names, units[u])
		}
		sort.Strings(names)
		v.UnitName = strings.Join(names, "、")
	}
	return v
}

func countPersons(active []assignmentRow) int {
	n := 0
	for _, as := range active {
		if as.UserID != nil {
			n++
		}
	}
	return n
}

func roomTarget(id int64) string { return fmt.Sprintf("office_room:%d", id) }
