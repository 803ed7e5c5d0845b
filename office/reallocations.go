package office

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/approval"
	"fleet/auth"
)

// RequestReallocation files a reallocation and submits its approval instance, in one
// transaction. Every room given must be vacant (409 naming it otherwise) and in no other
// pending request; a move's from-rooms must be the unit's.
func (s *Service) RequestReallocation(ctx context.Context, a *auth.Actor, in ReallocationInput) (*Reallocation, error) {
	if err := a.Require(auth.PermOfficeRequest); err != nil {
		return nil, err
	}
	if in.UnitID == 0 {
		in.UnitID = a.UnitID
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	if !a.Can(auth.PermOfficeWrite) {
		if in.UnitID != a.UnitID {
			return nil, fleet.Errorf(fleet.EForbidden, "you may ask for space for your own unit only")
		}
		if in.Kind != ReallocRequest {
			return nil, fleet.Errorf(fleet.EForbidden, "only the center moves a unit; ask for space with kind request")
		}
	}
	now := s.now()
	var id int64
	err := s.tx(ctx, func(tx *gorm.DB) error {
		unit, err := unitName(tx, in.UnitID)
		if err != nil {
			return err
		}
		items, area, err := s.checkReallocation(tx, &in)
		if err != nil {
			return err
		}
		row := &reallocationRow{Kind: in.Kind, UnitID: in.UnitID, ApplicantID: a.UserID, Reason: in.Reason, AreaDm2: area,
			Status: StatusPending, CreatedAt: now, UpdatedAt: now}
		if err := insertReallocation(tx, row, items); err != nil {
			return err
		}
		id = row.ID
		verb := "申请调剂"
		if in.Kind == ReallocMove {
			verb = "搬迁调整"
		}
		inst, err := s.approvals.SubmitTx(ctx, tx, a, approval.SubmitInput{
			Definition: Definition, Subject: fmt.Sprintf("办公用房%s：%s %d 间 %.2f m²", verb, unit, len(items), toM2(area)),
			RefType: RefType, RefID: row.ID,
			Fields: map[string]any{"kind": in.Kind, "unit_id": in.UnitID, "area_m2": toM2(area), "rooms": len(items)},
		})
		if err != nil {
			return err
		}
		return setReallocationApproval(tx, row.ID, inst.ID)
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "office_reallocation_create", fmt.Sprintf("office_reallocation:%d", id), in.Kind)
	return s.getReallocation(s.read(ctx), id)
}

// checkReallocation locks and checks the rooms of a reallocation and returns its items and area.
func (s *Service) checkReallocation(tx *gorm.DB, in *ReallocationInput) ([]reallocationItemRow, int64, error) {
	var ids []int64
	for _, it := range in.Items {
		ids = append(ids, it.RoomID)
		if it.FromRoomID != 0 {
			ids = append(ids, it.FromRoomID)
		}
	}
	rooms, err := lockRooms(tx, ids)
	if err != nil {
		return nil, 0, err
	}
	active, err := activeAssignments(tx, ids, true)
	if err != nil {
		return nil, 0, err
	}
	held := map[int64][]assignmentRow{}
	for _, as := range active {
		held[as.RoomID] = append(held[as.RoomID], as)
	}
	pending, err := pendingRooms(tx)
	if err != nil {
		return nil, 0, err
	}
	units, err := unitNames(tx)
	if err != nil {
		return nil, 0, err
	}
	p := fleet.Problems{}
	conflict := fleet.Problems{}
	var items []reallocationItemRow
	var area int64
	for i, it := range in.Items {
		at := fmt.Sprintf("items[%d].", i)
		room := rooms[it.RoomID]
		if room == nil {
			p.Add(at+"room_id", "no such room")
			continue
		}
		if h := held[it.RoomID]; len(h) > 0 {
			conflict.Add(at+"room_id", fmt.Sprintf("room %s is not vacant: %s holds it", room.Number, units[h[0].UnitID]))
			continue
		}
		if other, ok := pending[it.RoomID]; ok {
			conflict.Add(at+"room_id", fmt.Sprintf("room %s is in pending reallocation #%d", room.Number, other))
			continue
		}
		item := reallocationItemRow{Line: i + 1, RoomID: it.RoomID, Post: it.Post}
		switch in.Kind {
		case ReallocMove:
			from := rooms[it.FromRoomID]
			if from == nil {
				p.Add(at+"from_room_id", "no such room")
				continue
			}
			h := held[it.FromRoomID]
			if len(h) == 0 {
				p.Add(at+"from_room_id", fmt.Sprintf("room %s is vacant: nothing to move", from.Number))
				continue
			}
			for _, as := range h {
				if as.UnitID != in.UnitID {
					p.Add(at+"from_room_id", fmt.Sprintf("room %s is used by %s, not by %s", from.Number, units[as.UnitID], units[in.UnitID]))
					break
				}
			}
			if countPersons(h) > 0 && room.Use != UseOffice {
				p.Add(at+"room_id", fmt.Sprintf("room %s is %s: people move into office rooms only", room.Number, useNames[room.Use]))
			}
			item.FromRoomID = ptr(it.FromRoomID)
		case ReallocRequest:
			if it.UserID != 0 {
				person, err := findPerson(tx, it.UserID)
				if err != nil {
					if fleet.ErrorCode(err) == fleet.EInvalid {
						p.Add(at+"user_id", "no such user")
						continue
					}
					return nil, 0, err
				}
				if person.UnitID != in.UnitID {
					p.Add(at+"user_id", fmt.Sprintf("%s is not of %s", person.Name, units[in.UnitID]))
				}
				if office, err := officeOf(tx, person.ID); err != nil {
					return nil, 0, err
				} else if office {
					p.Add(at+"user_id", person.Name+" already has an office; end it first")
				}
				if room.Use != UseOffice {
					p.Add(at+"room_id", fmt.Sprintf("room %s is %s: people sit in office rooms only", room.Number, useNames[room.Use]))
				}
				item.UserID = ptr(it.UserID)
			}
		}
		area += room.AreaDm2
		items = append(items, item)
	}
	if err := p.Err(); err != nil {
		return nil, 0, err
	}
	if len(conflict) > 0 {
		msg := make([]string, 0, len(conflict))
		for _, m := range conflict {
			msg = append(msg, m)
		}
		sort.Strings(msg)
		return nil, 0, &fleet.Error{Code: fleet.EConflict, Message: "only vacant rooms can be reallocated: " + strings.Join(msg, "; "), Fields: conflict}
	}
	return items, area, nil
}

// officeOf reports whether a person has an office (a second one, for a concurrent post, is not
// asked for in a request: it is assigned directly).
func officeOf(tx *gorm.DB, userID int64) (bool, error) {
	mine, err := activeOfUser(tx, userID)
	for _, as := range mine {
		if !as.Concurrent {
			return true, err
		}
	}
	return false, err
}

// onReallocation runs inside an approval action's transaction: the reallocation takes its
// instance's status, and an approved one is applied at once. Should a room have been taken
// meanwhile, the error undoes the approval: nothing changes.
func (s *Service) onReallocation(ctx context.Context, tx *gorm.DB, in *approval.Instance) error {
	var row reallocationRow
	if err := take(tx, &row, in.RefID, true, "reallocation"); err != nil {
		return err
	}
	now := s.now()
	row.Status, row.UpdatedAt = in.Status, now
	if in.Status == approval.StatusApproved {
		if err := s.applyReallocation(tx, deciderOf(in), now, &row); err != nil {
			return err
		}
		row.AppliedAt = &now
	}
	return saveReallocation(tx, &row)
}

// applyReallocation moves the assignments of an approved reallocation, keeping history.
func (s *Service) applyReallocation(tx *gorm.DB, a *auth.Actor, now time.Time, row *reallocationRow) error {
	items, err := reallocationItems(tx, row.ID)
	if err != nil {
		return err
	}
	var ids []int64
	for _, it := range items {
		ids = append(ids, it.RoomID)
		if it.FromRoomID != nil {
			ids = append(ids, *it.FromRoomID)
		}
	}
	rooms, err := lockRooms(tx, ids)
	if err != nil {
		return err
	}
	units, err := unitNames(tx)
	if err != nil {
		return err
	}
	why := fmt.Sprintf("统筹调剂 #%d：%s", row.ID, row.Reason)
	for _, it := range items {
		held, err := activeAssignments(tx, []int64{it.RoomID}, true)
		if err != nil {
			return err
		}
		if len(held) > 0 {
			return fleet.Errorf(fleet.EConflict, "room %s is no longer vacant (%s holds it); reject the request or free the room first",
				rooms[it.RoomID].Number, units[held[0].UnitID])
		}
		if it.FromRoomID == nil {
			in := AssignmentInput{RoomID: it.RoomID, UnitID: row.UnitID, Reason: why}
			if it.UserID != nil {
				in.UserID, in.Post = *it.UserID, it.Post
			}
			if _, err := s.assignTx(tx, a, now, in, "reallocate"); err != nil {
				return err
			}
			continue
		}
		moving, err := activeAssignments(tx, []int64{*it.FromRoomID}, true)
		if err != nil {
			return err
		}
		if err := s.endTx(tx, a, now, moving, why, "reallocate"); err != nil {
			return err
		}
		for _, m := range moving {
			in := AssignmentInput{RoomID: it.RoomID, UnitID: m.UnitID, Post: m.Post, Concurrent: m.Concurrent, Reason: why}
			if m.UserID != nil {
				in.UserID = *m.UserID
			}
			if _, err := s.assignTx(tx, a, now, in, "reallocate"); err != nil {
				return err
			}
		}
	}
	return s.change(tx, a, now, changeRow{Subject: "reallocation", SubjectID: row.ID, Action: "apply", UnitID: ptr(row.UnitID),
		FromValue: "审批中", ToValue: "已批准并调整", Reason: why})
}

// deciderOf is the actor of an instance's last action (the approver), for the history.
func deciderOf(in *approval.Instance) *auth.Actor {
	for i := len(in.History) - 1; i >= 0; i-- {
		h := in.History[i]
		if h.UserID != nil {
			return &auth.Actor{UserID: *h.UserID, Name: h.User}
		}
	}
	return nil
}

// ReallocationQuery narrows ListReallocations.
type ReallocationQuery struct {
	fleet.Page
	UnitID int64
	Status string
}

// ListReallocations returns reallocations, newest first; leaders see their own unit's.
func (s *Service) ListReallocations(ctx context.Context, a *auth.Actor, q ReallocationQuery) ([]Reallocation, int64, error) {
	if err := a.Require(auth.PermOfficeRead); err != nil {
		return nil, 0, err
	}
	unit, err := scopeUnit(a, q.UnitID)
	if err != nil {
		return nil, 0, err
	}
	q.UnitID, q.Page = unit, q.Page.Normalize()
	db := s.read(ctx)
	rows, total, err := listReallocations(db, q)
	if err != nil {
		return nil, 0, err
	}
	out, err := reallocationViews(db, rows)
	return out, total, err
}

// GetReallocation returns one reallocation with its rooms; leaders see their own unit's.
func (s *Service) GetReallocation(ctx context.Context, a *auth.Actor, id int64) (*Reallocation, error) {
	if err := a.Require(auth.PermOfficeRead); err != nil {
		return nil, err
	}
	out, err := s.getReallocation(s.read(ctx), id)
	if err != nil {
		return nil, err
	}
	if err := checkUnit(a, out.UnitID); err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Service) getReallocation(db *gorm.DB, id int64) (*Reallocation, error) {
	var row reallocationRow
	if err := take(db, &row, id, false, "reallocation"); err != nil {
		return nil, err
	}
	out, err := reallocationViews(db, []reallocationRow{row})
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}
