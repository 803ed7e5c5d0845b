package auth

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"fleet"
)

// CreateUnit adds a unit under an optional parent.
func (s *Service) CreateUnit(ctx context.Context, a *Actor, in UnitInput) (*Unit, error) {
	if err := a.Require(PermUnitsWrite); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	now := s.now()
	row := unitRow{Name: in.Name, Code: optional(in.Code), ParentID: in.ParentID, CreatedAt: now, UpdatedAt: now}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if in.ParentID != nil {
			if err := unitExistsField(tx, *in.ParentID, "parent_id"); err != nil {
				return err
			}
		}
		if err := insertUnit(tx, &row); err != nil {
			return err
		}
		return insertAudit(tx, s.entry(a, now, "unit_create", unitTarget(row.ID), row.Name))
	})
	if err != nil {
		return nil, err
	}
	return row.unit(), nil
}

// UpdateUnit renames or moves a unit; a unit cannot be moved under itself or its descendants.
func (s *Service) UpdateUnit(ctx context.Context, a *Actor, id int64, in UnitInput) (*Unit, error) {
	if err := a.Require(PermUnitsWrite); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	now := s.now()
	var out *Unit
	err := s.tx(ctx, func(tx *gorm.DB) error {
		row, err := findUnit(tx, id)
		if err != nil {
			return err
		}
		if in.ParentID != nil {
			parents, err := unitParents(tx)
			if err != nil {
				return err
			}
			if _, ok := parents[*in.ParentID]; !ok {
				return fleet.Invalid(map[string]string{"parent_id": "no such unit"})
			}
			if createsCycle(parents, id, *in.ParentID) {
				return fleet.Invalid(map[string]string{"parent_id": "a unit cannot sit under itself or its own sub-unit"})
			}
		}
		row.Name, row.Code, row.ParentID, row.UpdatedAt = in.Name, optional(in.Code), in.ParentID, now
		if err := saveUnit(tx, row); err != nil {
			return err
		}
		out = row.unit()
		return insertAudit(tx, s.entry(a, now, "unit_update", unitTarget(id), row.Name))
	})
	return out, err
}

// DeleteUnit removes a unit that has no sub-units, users, vehicles or drivers (409 otherwise).
func (s *Service) DeleteUnit(ctx context.Context, a *Actor, id int64) error {
	if err := a.Require(PermUnitsWrite); err != nil {
		return err
	}
	now := s.now()
	return s.tx(ctx, func(tx *gorm.DB) error {
		row, err := findUnit(tx, id)
		if err != nil {
			return err
		}
		if err := deleteUnit(tx, id); err != nil {
			return err
		}
		return insertAudit(tx, s.entry(a, now, "unit_delete", unitTarget(id), row.Name))
	})
}

// ListUnits returns every unit, ordered by id (a county has tens, not thousands).
func (s *Service) ListUnits(ctx context.Context, a *Actor) ([]Unit, error) {
	if err := a.Require(PermUnitsRead); err != nil {
		return nil, err
	}
	return s.listUnits(ctx)
}

// GetUnit returns one unit.
func (s *Service) GetUnit(ctx context.Context, a *Actor, id int64) (*Unit, error) {
	if err := a.Require(PermUnitsRead); err != nil {
		return nil, err
	}
	row, err := findUnit(s.db.WithContext(ctx), id)
	if err != nil {
		return nil, err
	}
	return row.unit(), nil
}

// createsCycle reports whether putting unit id under parent would make a loop.
func createsCycle(parents map[int64]*int64, id, parent int64) bool {
	for cur, steps := &parent, 0; cur != nil && steps <= len(parents); steps++ {
		if *cur == id {
			return true
		}
		cur = parents[*cur]
	}
	return false
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func unitTarget(id int64) string { return fmt.Sprintf("unit:%d", id) }
