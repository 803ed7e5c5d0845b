package office

import (
	"context"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// Kinds of finding of an inspection (督查).
const (
	FindingOverStandard = "over_standard" // 超标准配置、使用办公用房
	FindingIdle         = "idle"          // 闲置
	FindingChangeOfUse  = "change_of_use" // 擅自改变使用功能
	FindingOther        = "other"
)

var findingKinds = map[string]string{FindingOverStandard: "超标使用", FindingIdle: "闲置", FindingChangeOfUse: "擅自改变用途", FindingOther: "其他"}

// Statuses of a finding.
const (
	FindingOpen      = "open"
	FindingRectified = "rectified"
)

// Inspection is a check of units' office space with what it found.
type Inspection struct {
	ID          int64     `json:"id"`
	Title       string    `json:"title"`
	InspectedOn string    `json:"inspected_on"`
	Inspector   string    `json:"inspector"`
	Note        string    `json:"note"`
	Findings    []Finding `json:"findings"`
	Open        int       `json:"open"`
	Overdue     int       `json:"overdue"`
	CreatedAt   time.Time `json:"created_at"`
}

// Finding is one problem an inspection found in a unit, with its owner, deadline and
// rectification (整改). Overdue while open past the deadline.
type Finding struct {
	ID            int64      `json:"id"`
	InspectionID  int64      `json:"inspection_id"`
	UnitID        int64      `json:"unit_id"`
	UnitName      string     `json:"unit_name"`
	RoomID        *int64     `json:"room_id"`
	Room          string     `json:"room"`
	Kind          string     `json:"kind"`
	Description   string     `json:"description"`
	OwnerUserID   *int64     `json:"owner_user_id"`
	Owner         string     `json:"owner"`
	Deadline      string     `json:"deadline"`
	Status        string     `json:"status"` // open, rectified
	Rectification string     `json:"rectification"`
	RectifiedAt   *time.Time `json:"rectified_at"`
	Overdue       bool       `json:"overdue"`
}

// InspectionInput records an inspection with its findings.
type InspectionInput struct {
	Title       string         `json:"title"`
	InspectedOn string         `json:"inspected_on"` // YYYY-MM-DD; default today
	Inspector   string         `json:"inspector"`
	Note        string         `json:"note"`
	Findings    []FindingInput `json:"findings"`
}

// FindingInput is one finding: the unit, optionally the room, what, who answers for it
// (a user, or a name) and by when.
type FindingInput struct {
	UnitID      int64  `json:"unit_id"`
	RoomID      int64  `json:"room_id"`
	Kind        string `json:"kind"`
	Description string `json:"description"`
	OwnerUserID int64  `json:"owner_user_id"`
	Owner       string `json:"owner"`
	Deadline    string `json:"deadline"`
}

// RectifyInput records what was done about a finding.
type RectifyInput struct {
	Rectification string `json:"rectification"`
}

func (in *FindingInput) validate(p fleet.Problems, at string) {
	if in.UnitID <= 0 {
		p.Add(at+"unit_id", "required")
	}
	if in.RoomID < 0 {
		p.Add(at+"room_id", "must be a room id")
	}
	if _, ok := findingKinds[in.Kind]; !ok {
		p.Add(at+"kind", "must be over_standard, idle, change_of_use or other")
	}
	in.Description = p.Text(at+"description", in.Description, true, 2000)
	in.Owner = p.Text(at+"owner", in.Owner, false, 100)
	if in.OwnerUserID < 0 {
		p.Add(at+"owner_user_id", "must be a user id")
	}
	if in.OwnerUserID == 0 && in.Owner == "" {
		p.Add(at+"owner", "required: who answers for the rectification (owner or owner_user_id)")
	}
	checkDate(p, at+"deadline", &in.Deadline, true)
}

// RecordInspection stores an inspection and its findings in one transaction.
func (s *Service) RecordInspection(ctx context.Context, a *auth.Actor, in InspectionInput) (*Inspection, error) {
	if err := a.Require(auth.PermOfficeWrite); err != nil {
		return nil, err
	}
	now := s.now()
	p := fleet.Problems{}
	in.Title = p.Text("title", in.Title, true, 200)
	in.Inspector = p.Text("inspector", in.Inspector, false, 100)
	in.Note = p.Text("note", in.Note, false, 2000)
	if in.InspectedOn == "" {
		in.InspectedOn = s.today(now)
	}
	checkDate(p, "inspected_on", &in.InspectedOn, true)
	if len(in.Findings) > 500 {
		p.Add("findings", "at most 500")
	}
	for i := range in.Findings {
		in.Findings[i].validate(p, fmt.Sprintf("findings[%d].", i))
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	var id int64
	err := s.tx(ctx, func(tx *gorm.DB) error {
		row := &inspectionRow{Title: in.Title, InspectedOn: in.InspectedOn, Inspector: in.Inspector, Note: in.Note, CreatedBy: ptr(a.UserID), CreatedAt: now}
		if err := insert(tx, row); err != nil {
			return err
		}
		id = row.ID
		for i, f := range in.Findings {
			if err := s.addFindingTx(tx, a, now, row.ID, f, fmt.Sprintf("findings[%d].", i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "office_inspection", fmt.Sprintf("office_inspection:%d", id), fmt.Sprintf("%d findings", len(in.Findings)))
	return s.getInspection(s.read(ctx), a, id)
}

// AddFinding adds a finding to an inspection.
func (s *Service) AddFinding(ctx context.Context, a *auth.Actor, inspectionID int64, in FindingInput) (*Finding, error) {
	if err := a.Require(auth.PermOfficeWrite); err != nil {
		return nil, err
	}
	p := fleet.Problems{}
	in.validate(p, "")
	if err := p.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	var id int64
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var ins inspectionRow
		if err := take(tx, &ins, inspectionID, true, "inspection"); err != nil {
			return err
		}
		if err := s.addFindingTx(tx, a, now, inspectionID, in, ""); err != nil {
			return err
		}
		var err error
		id, err = lastFindingID(tx, inspectionID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.getFinding(s.read(ctx), id)
}

func (s *Service) addFindingTx(tx *gorm.DB, a *auth.Actor, now time.Time, inspectionID int64, f FindingInput, at string) error {
	units, err := unitNames(tx)
	if err != nil {
		return err
	}
	if units[f.UnitID] == "" {
		return fleet.Invalid(map[string]string{at + "unit_id": "no such unit"})
	}
	row := &findingRow{InspectionID: inspectionID, UnitID: f.UnitID, Kind: f.Kind, Description: f.Description, Owner: f.Owner,
		DueOn: f.Deadline, Status: FindingOpen, CreatedAt: now, UpdatedAt: now}
	if f.RoomID != 0 {
		rooms, err := roomsByID(tx, []int64{f.RoomID})
		if err != nil {
			return err
		}
		if rooms[f.RoomID] == nil {
			return fleet.Invalid(map[string]string{at + "room_id": "no such room"})
		}
		row.RoomID = ptr(f.RoomID)
	}
	if f.OwnerUserID != 0 {
		person, err := findPerson(tx, f.OwnerUserID)
		if err != nil {
			return fleet.Invalid(map[string]string{at + "owner_user_id": "no such user"})
		}
		row.OwnerUserID = ptr(person.ID)
		if row.Owner == "" {
			row.Owner = person.Name
		}
	}
	if err := insert(tx, row); err != nil {
		return err
	}
	return s.change(tx, a, now, changeRow{Subject: "finding", SubjectID: row.ID, Action: "find", RoomID: row.RoomID, UnitID: ptr(f.UnitID),
		ToValue: fmt.Sprintf("%s：%s（责任人 %s，限 %s 前整改）", findingKinds[f.Kind], f.Description, row.Owner, f.Deadline)})
}

// Rectify records a finding's rectification and closes it. The center records it, or a leader
// of the finding's unit.
func (s *Service) Rectify(ctx context.Context, a *auth.Actor, id int64, in RectifyInput) (*Finding, error) {
	if err := a.Require(auth.PermOfficeRequest); err != nil {
		return nil, err
	}
	p := fleet.Problems{}
	in.Rectification = p.Text("rectification", in.Rectification, true, 2000)
	if err := p.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var row findingRow
		if err := take(tx, &row, id, true, "finding"); err != nil {
			return err
		}
		if !a.Can(auth.PermOfficeWrite) {
			if err := checkUnit(a, row.UnitID); err != nil {
				return err
			}
		}
		if row.Status != FindingOpen {
			return fleet.Errorf(fleet.EConflict, "the finding is rectified already")
		}
		row.Status, row.Rectification, row.RectifiedAt, row.RectifiedBy, row.UpdatedAt = FindingRectified, in.Rectification, &now, ptr(a.UserID), now
		if err := save(tx, &row); err != nil {
			return err
		}
		late := ""
		if s.today(now) > row.DueOn {
			late = "（逾期）"
		}
		return s.change(tx, a, now, changeRow{Subject: "finding", SubjectID: row.ID, Action: "rectify", RoomID: row.RoomID, UnitID: ptr(row.UnitID),
			FromValue: "待整改", ToValue: "已整改" + late, Reason: in.Rectification})
	})
	if err != nil {
		return nil, err
	}
	return s.getFinding(s.read(ctx), id)
}

// FindingQuery narrows ListFindings.
type FindingQuery struct {
	fleet.Page
	UnitID       int64
	InspectionID int64
	Status       string
	Overdue      bool
}

// ListFindings returns findings, the overdue flagged; leaders see their own unit's.
func (s *Service) ListFindings(ctx context.Context, a *auth.Actor, q FindingQuery) ([]Finding, int64, error) {
	if err := a.Require(auth.PermOfficeRead); err != nil {
		return nil, 0, err
	}
	unit, err := scopeUnit(a, q.UnitID)
	if err != nil {
		return nil, 0, err
	}
	q.UnitID, q.Page = unit, q.Page.Normalize()
	db := s.read(ctx)
	rows, total, err := listFindings(db, q, s.today(s.now()))
	if err != nil {
		return nil, 0, err
	}
	out, err := s.findingViews(db, rows)
	return out, total, err
}

// ListInspections returns inspections, newest first, with their findings (leaders: those with
// findings of their unit, and only those findings).
func (s *Service) ListInspections(ctx context.Context, a *auth.Actor, p fleet.Page) ([]Inspection, int64, error) {
	if err := a.Require(auth.PermOfficeRead); err != nil {
		return nil, 0, err
	}
	unit, _ := scopeUnit(a, 0)
	p = p.Normalize()
	db := s.read(ctx)
	rows, total, err := listInspections(db, p, unit)
	if err != nil {
		return nil, 0, err
	}
	out := make([]Inspection, 0, len(rows))
	for _, r := range rows {
		ins, err := s.inspectionView(db, r, unit)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, *ins)
	}
	return out, total, nil
}

// GetInspection returns an inspection with its findings (leaders: their unit's findings).
func (s *Service) GetInspection(ctx context.Context, a *auth.Actor, id int64) (*Inspection, error) {
	if err := a.Require(auth.PermOfficeRead); err != nil {
		return nil, err
	}
	return s.getInspection(s.read(ctx), a, id)
}

func (s *Service) getInspection(db *gorm.DB, a *auth.Actor, id int64) (*Inspection, error) {
	var r inspectionRow
	if err := take(db, &r, id, false, "inspection"); err != nil {
		return nil, err
	}
	unit, _ := scopeUnit(a, 0)
	ins, err := s.inspectionView(db, r, unit)
	if err != nil {
		return nil, err
	}
	if unit != 0 && len(ins.Findings) == 0 {
		return nil, fleet.Errorf(fleet.EForbidden, "the inspection found nothing in your unit")
	}
	return ins, nil
}

// SuggestFindings proposes findings from the ledger for an inspection of a unit (0: every
// unit): each person over standard, and each office room a unit holds with nobody in it.
// Nothing is stored; the inspector picks, sets owners and deadlines and records them.
func (s *Service) SuggestFindings(ctx context.Context, a *auth.Actor, unitID int64) ([]FindingInput, error) {
	if err := a.Require(auth.PermOfficeWrite); err != nil {
		return nil, err
	}
	f, err := s.facts(s.read(ctx))
	if err != nil {
		return nil, err
	}
	fig := compute(f)
	out := []FindingInput{}
	for _, p := range fig.persons {
		if !p.Over || (unitID != 0 && p.UnitID != unitID) {
			continue
		}
		for _, r := range p.Rooms {
			out = append(out, FindingInput{UnitID: p.UnitID, RoomID: r.RoomID, Kind: FindingOverStandard,
				Description: fmt.Sprintf("%s（%s）使用 %s，人均 %.2f m²，标准 %.2f m²，超标 %.2f m²", p.Name, p.RankName, r.Room, p.ActualM2, p.StandardM2, p.ExcessM2)})
			break
		}
	}
	byRoom := map[int64]int{}
	for _, as := range f.active {
		if as.UserID != nil {
			byRoom[as.RoomID]++
		}
	}
	for _, as := range f.active {
		room := f.rooms[as.RoomID]
		if as.UserID != nil || room == nil || room.Use != UseOffice || byRoom[as.RoomID] > 0 || (unitID != 0 && as.UnitID != unitID) {
			continue
		}
		out = append(out, FindingInput{UnitID: as.UnitID, RoomID: room.ID, Kind: FindingIdle,
			Description: fmt.Sprintf("%s 办公室 %s（%.2f m²）无人使用", f.units[as.UnitID], label(f.buildings[room.BuildingID], room.Number), toM2(room.AreaDm2))})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].UnitID < out[j].UnitID })
	return out, nil
}
