package office

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// What a repair is for: a room, or building equipment.
const (
	EquipRoom            = "room"
	EquipElevator        = "elevator"
	EquipWater           = "water"
	EquipPower           = "power"
	EquipAirConditioning = "air_conditioning"
	EquipFire            = "fire"
)

var equipmentNames = map[string]string{EquipRoom: "房间", EquipElevator: "电梯", EquipWater: "给排水", EquipPower: "供配电",
	EquipAirConditioning: "空调", EquipFire: "消防设施"}

// Statuses of a repair: reported → in_progress → done, or cancelled before done.
const (
	RepairReported   = "reported"
	RepairInProgress = "in_progress"
	RepairDone       = "done"
	RepairCancelled  = "cancelled"
)

// Repair is a repair request (报修) for a room or a building's equipment, with its status and
// cost.
type Repair struct {
	ID           int64      `json:"id"`
	BuildingID   int64      `json:"building_id"`
	BuildingName string     `json:"building_name"`
	RoomID       *int64     `json:"room_id"`
	Room         string     `json:"room"`
	Equipment    string     `json:"equipment"`
	Description  string     `json:"description"`
	Status       string     `json:"status"`
	Cost         float64    `json:"cost"` // yuan
	UnitID       *int64     `json:"unit_id"`
	ReportedBy   int64      `json:"reported_by"`
	Reporter     string     `json:"reporter"`
	ReportedAt   time.Time  `json:"reported_at"`
	StartedAt    *time.Time `json:"started_at"`
	DoneAt       *time.Time `json:"done_at"`
	Note         string     `json:"note"`
}

// RepairInput reports a repair.
type RepairInput struct {
	BuildingID  int64   `json:"building_id"` // default: the room's building
	RoomID      int64   `json:"room_id"`     // required for equipment room
	Equipment   string  `json:"equipment"`   // room, elevator, water, power, air_conditioning, fire
	Description string  `json:"description"`
	Cost        float64 `json:"cost"` // estimate, yuan
}

// RepairUpdate moves a repair on: its status, its cost (yuan) and a note.
type RepairUpdate struct {
	Status string   `json:"status"`
	Cost   *float64 `json:"cost"`
	Note   string   `json:"note"`
}

const maxCostYuan = 100_000_000

// ReportRepair files a repair request. The center reports anything; a leader reports for the
// building's equipment or a room of their unit.
func (s *Service) ReportRepair(ctx context.Context, a *auth.Actor, in RepairInput) (*Repair, error) {
	if err := a.Require(auth.PermOfficeRequest); err != nil {
		return nil, err
	}
	p := fleet.Problems{}
	if _, ok := equipmentNames[in.Equipment]; !ok {
		p.Add("equipment", "must be room, elevator, water, power, air_conditioning or fire")
	}
	if in.Equipment == EquipRoom && in.RoomID <= 0 {
		p.Add("room_id", "required for a room")
	}
	if in.BuildingID <= 0 && in.RoomID <= 0 {
		p.Add("building_id", "required")
	}
	in.Description = p.Text("description", in.Description, true, 2000)
	if in.Cost < 0 || in.Cost > maxCostYuan {
		p.Add("cost", fmt.Sprintf("must be from 0 to %d yuan", maxCostYuan))
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	var id int64
	err := s.tx(ctx, func(tx *gorm.DB) error {
		row := &repairRow{BuildingID: in.BuildingID, Equipment: in.Equipment, Description: in.Description, Status: RepairReported,
			CostFen: yuanToFen(in.Cost), UnitID: ptr(a.UnitID), ReportedBy: a.UserID, ReportedAt: now, UpdatedAt: now}
		if in.RoomID > 0 {
			rooms, err := roomsByID(tx, []int64{in.RoomID})
			if err != nil {
				return err
			}
			room := rooms[in.RoomID]
			if room == nil {
				return fleet.Invalid(map[string]string{"room_id": "no such room"})
			}
			if in.BuildingID != 0 && in.BuildingID != room.BuildingID {
				return fleet.Invalid(map[string]string{"room_id": "the room is in another building"})
			}
			if !a.Can(auth.PermOfficeWrite) {
				views, err := roomViews(tx, []roomRow{*room})
				if err != nil {
					return err
				}
				if !views[0].heldBy(a.UnitID) {
					return fleet.Errorf(fleet.EForbidden, "you report repairs for your own unit's rooms only")
				}
			}
			row.BuildingID, row.RoomID = room.BuildingID, ptr(room.ID)
		} else {
			var b buildingRow
			if err := take(tx, &b, in.BuildingID, false, "building"); err != nil {
				if fleet.ErrorCode(err) == fleet.ENotFound {
					return fleet.Invalid(map[string]string{"building_id": "no such building"})
				}
				return err
			}
			if !a.Can(auth.PermOfficeWrite) {
				ids, err := buildingIDsOfUnit(tx, a.UnitID)
				if err != nil {
					return err
				}
				if !contains(ids, b.ID) {
					return fleet.Errorf(fleet.EForbidden, "you report repairs for the buildings your unit works in only")
				}
			}
		}
		if err := insert(tx, row); err != nil {
			return err
		}
		id = row.ID
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.getRepair(s.read(ctx), id)
}

// UpdateRepair moves a repair on (reported → in_progress → done, or cancelled) and records its
// cost; a finished one keeps its status but may still get its final cost.
func (s *Service) UpdateRepair(ctx context.Context, a *auth.Actor, id int64, in RepairUpdate) (*Repair, error) {
	if err := a.Require(auth.PermOfficeWrite); err != nil {
		return nil, err
	}
	p := fleet.Problems{}
	in.Note = p.Text("note", in.Note, false, 2000)
	if in.Cost != nil && (*in.Cost < 0 || *in.Cost > maxCostYuan) {
		p.Add("cost", fmt.Sprintf("must be from 0 to %d yuan", maxCostYuan))
	}
	switch in.Status {
	case "", RepairReported, RepairInProgress, RepairDone, RepairCancelled:
	default:
		p.Add("status", "must be reported, in_progress, done or cancelled")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var row repairRow
		if err := take(tx, &row, id, true, "repair"); err != nil {
			return err
		}
		if in.Status != "" && in.Status != row.Status {
			if !repairMoves[row.Status][in.Status] {
				return fleet.Errorf(fleet.EConflict, "a repair that is %s cannot become %s", row.Status, in.Status)
			}
			row.Status = in.Status
			switch in.Status {
			case RepairInProgress:
				row.StartedAt = &now
			case RepairDone, RepairCancelled:
				row.DoneAt = &now
			}
		}
		if in.Cost != nil {
			row.CostFen = yuanToFen(*in.Cost)
		}
		if in.Note != "" {
			row.Note = in.Note
		}
		row.UpdatedAt = now
		return save(tx, &row)
	})
	if err != nil {
		return nil, err
	}
	return s.getRepair(s.read(ctx), id)
}

var repairMoves = map[string]map[string]bool{
	RepairReported:   {RepairInProgress: true, RepairDone: true, RepairCancelled: true},
	RepairInProgress: {RepairDone: true, RepairCancelled: true},
}

// RepairQuery narrows ListRepairs.
type RepairQuery struct {
	fleet.Page
	BuildingID int64
	Status     string
	Equipment  string
}

// ListRepairs returns repairs, newest first, with the total cost of those listed; leaders see
// their unit's reports.
func (s *Service) ListRepairs(ctx context.Context, a *auth.Actor, q RepairQuery) ([]Repair, int64, error) {
	if err := a.Require(auth.PermOfficeRead); err != nil {
		return nil, 0, err
	}
	unit, _ := scopeUnit(a, 0)
	q.Page = q.Page.Normalize()
	db := s.read(ctx)
	rows, total, err := listRepairs(db, q, unit)
	if err != nil {
		return nil, 0, err
	}
	out, err := repairViews(db, rows)
	return out, total, err
}

// GetRepair returns one repair; leaders see their unit's reports.
func (s *Service) GetRepair(ctx context.Context, a *auth.Actor, id int64) (*Repair, error) {
	if err := a.Require(auth.PermOfficeRead); err != nil {
		return nil, err
	}
	r, err := s.getRepair(s.read(ctx), id)
	if err != nil {
		return nil, err
	}
	if !a.SeesAllUnits() && (r.UnitID == nil || *r.UnitID != a.UnitID) {
		return nil, fleet.Errorf(fleet.EForbidden, "you see your own unit's repair requests only")
	}
	return r, nil
}

func (s *Service) getRepair(db *gorm.DB, id int64) (*Repair, error) {
	var row repairRow
	if err := take(db, &row, id, false, "repair"); err != nil {
		return nil, err
	}
	out, err := repairViews(db, []repairRow{row})
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

func repairViews(db *gorm.DB, rows []repairRow) ([]Repair, error) {
	var roomIDs, userIDs []int64
	for _, r := range rows {
		if r.RoomID != nil {
			roomIDs = append(roomIDs, *r.RoomID)
		}
		userIDs = append(userIDs, r.ReportedBy)
	}
	rooms, err := roomsByID(db, roomIDs)
	if err != nil {
		return nil, err
	}
	names, err := buildingNames(db)
	if err != nil {
		return nil, err
	}
	people, err := peopleByID(db, userIDs)
	if err != nil {
		return nil, err
	}
	out := make([]Repair, len(rows))
	for i, r := range rows {
		v := Repair{ID: r.ID, BuildingID: r.BuildingID, BuildingName: names[r.BuildingID], RoomID: r.RoomID, Equipment: r.Equipment,
			Description: r.Description, Status: r.Status, Cost: fenToYuan(r.CostFen), UnitID: r.UnitID, ReportedBy: r.ReportedBy,
			ReportedAt: r.ReportedAt.UTC(), StartedAt: utc(r.StartedAt), DoneAt: utc(r.DoneAt), Note: r.Note}
		if r.RoomID != nil && rooms[*r.RoomID] != nil {
			v.Room = label(names[r.BuildingID], rooms[*r.RoomID].Number)
		}
		if p := people[r.ReportedBy]; p != nil {
			v.Reporter = p.Name
		}
		out[i] = v
	}
	return out, nil
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
