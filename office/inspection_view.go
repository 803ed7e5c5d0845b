package office

import (
	"gorm.io/gorm"
)

// How inspections and findings are shown: with their unit, room and overdue flag.

func (s *Service) inspectionView(db *gorm.DB, r inspectionRow, unit int64) (*Inspection, error) {
	rows, _, err := listFindings(db, FindingQuery{InspectionID: r.ID, UnitID: unit, Page: pageAll}, "")
	if err != nil {
		return nil, err
	}
	findings, err := s.findingViews(db, rows)
	if err != nil {
		return nil, err
	}
	ins := &Inspection{ID: r.ID, Title: r.Title, InspectedOn: r.InspectedOn, Inspector: r.Inspector, Note: r.Note, Findings: findings, CreatedAt: r.CreatedAt.UTC()}
	for _, f := range findings {
		if f.Status == FindingOpen {
			ins.Open++
		}
		if f.Overdue {
			ins.Overdue++
		}
	}
	return ins, nil
}

func (s *Service) getFinding(db *gorm.DB, id int64) (*Finding, error) {
	var r findingRow
	if err := take(db, &r, id, false, "finding"); err != nil {
		return nil, err
	}
	out, err := s.findingViews(db, []findingRow{r})
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

func (s *Service) findingViews(db *gorm.DB, rows []findingRow) ([]Finding, error) {
	var roomIDs []int64
	for _, r := range rows {
		if r.RoomID != nil {
			roomIDs = append(roomIDs, *r.RoomID)
		}
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
	out := make([]Finding, len(rows))
	for i, r := range rows {
		f := Finding{ID: r.ID, InspectionID: r.InspectionID, UnitID: r.UnitID, UnitName: units[r.UnitID], RoomID: r.RoomID, Kind: r.Kind,
			Description: r.Description, OwnerUserID: r.OwnerUserID, Owner: r.Owner, Deadline: r.DueOn, Status: r.Status,
			Rectification: r.Rectification, Overdue: r.Status == FindingOpen && today > r.DueOn}
		if r.RoomID != nil && rooms[*r.RoomID] != nil {
			rm := rooms[*r.RoomID]
			f.Room = label(names[rm.BuildingID], rm.Number)
		}
		if r.RectifiedAt != nil {
			t := r.RectifiedAt.UTC()
			f.RectifiedAt = &t
		}
		out[i] = f
	}
	return out, nil
}
