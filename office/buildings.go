package office

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// CreateBuilding adds a building; the name must be new (409 otherwise).
func (s *Service) CreateBuilding(ctx context.Context, a *auth.Actor, in BuildingInput) (*Building, error) {
	if err := a.Require(auth.PermOfficeWrite); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	now := s.now()
	row := &buildingRow{Name: in.Name, Address: in.Address, Floors: in.Floors, TotalAreaDm2: toDm2(in.TotalAreaM2),
		UsableAreaDm2: toDm2(in.UsableAreaM2), Ownership: in.Ownership, Note: in.Note, CreatedAt: now, UpdatedAt: now}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := insertBuilding(tx, row); err != nil {
			return err
		}
		return s.change(tx, a, now, changeRow{Subject: "building", SubjectID: row.ID, Action: "create", BuildingID: ptr(row.ID),
			ToValue: row.text(), Reason: in.Reason})
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "office_building_create", buildingTarget(row.ID), row.Name)
	return s.GetBuilding(ctx, a, row.ID)
}

// UpdateBuilding changes a building. Its areas may not shrink below its rooms' total, nor its
// floors below its highest room.
func (s *Service) UpdateBuilding(ctx context.Context, a *auth.Actor, id int64, in BuildingInput) (*Building, error) {
	if err := a.Require(auth.PermOfficeWrite); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	now := s.now()
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var b buildingRow
		if err := take(tx, &b, id, true, "building"); err != nil {
			return err
		}
		before := b.text()
		b.Name, b.Address, b.Floors, b.Ownership, b.Note = in.Name, in.Address, in.Floors, in.Ownership, in.Note
		b.TotalAreaDm2, b.UsableAreaDm2, b.UpdatedAt = toDm2(in.TotalAreaM2), toDm2(in.UsableAreaM2), now
		sum, top, err := roomTotals(tx, id, 0)
		if err != nil {
			return err
		}
		p := fleet.Problems{}
		if c := b.capDm2(); c > 0 && sum > c {
			p.Add("usable_area_m2", fmt.Sprintf("smaller than the %.2f m² of the building's rooms", toM2(sum)))
		}
		if b.Floors > 0 && top > b.Floors {
			p.Add("floors", fmt.Sprintf("the building has a room on floor %d", top))
		}
		if err := p.Err(); err != nil {
			return err
		}
		if err := saveBuilding(tx, &b); err != nil {
			return err
		}
		return s.change(tx, a, now, changeRow{Subject: "building", SubjectID: id, Action: "update", BuildingID: ptr(id),
			FromValue: before, ToValue: b.text(), Reason: in.Reason})
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "office_building_update", buildingTarget(id), in.Name)
	return s.GetBuilding(ctx, a, id)
}

// GetBuilding returns a building with its room count and area.
func (s *Service) GetBuilding(ctx context.Context, a *auth.Actor, id int64) (*Building, error) {
	if err := a.Require(auth.PermOfficeRead); err != nil {
		return nil, err
	}
	db := s.read(ctx)
	var b buildingRow
	if err := take(db, &b, id, false, "building"); err != nil {
		return nil, err
	}
	if !a.SeesAllUnits() {
		ids, err := buildingIDsOfUnit(db, a.UnitID)
		if err != nil {
			return nil, err
		}
		if !contains(ids, id) {
			return nil, fleet.Errorf(fleet.EForbidden, "your unit has no room in this building")
		}
	}
	stats, err := buildingStats(db)
	if err != nil {
		return nil, err
	}
	out := b.building(stats[id].rooms, stats[id].dm2)
	return &out, nil
}

// ListBuildings returns every building (leaders: those where their unit holds rooms).
func (s *Service) ListBuildings(ctx context.Context, a *auth.Actor, p fleet.Page) ([]Building, int64, error) {
	if err := a.Require(auth.PermOfficeRead); err != nil {
		return nil, 0, err
	}
	db := s.read(ctx)
	var only []int64
	if !a.SeesAllUnits() {
		ids, err := buildingIDsOfUnit(db, a.UnitID)
		if err != nil {
			return nil, 0, err
		}
		only = append(ids, 0) // never empty: 0 matches nothing
	}
	p = p.Normalize()
	rows, total, err := listBuildings(db, p, only)
	if err != nil {
		return nil, 0, err
	}
	stats, err := buildingStats(db)
	if err != nil {
		return nil, 0, err
	}
	out := make([]Building, len(rows))
	for i := range rows {
		st := stats[rows[i].ID]
		out[i] = rows[i].building(st.rooms, st.dm2)
	}
	return out, total, nil
}

func buildingTarget(id int64) string { return fmt.Sprintf("office_building:%d", id) }

func contains(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
