package office

import (
	"context"
	"sort"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// OverStandard is the over-standard list (超标清单) and the people it could not judge.
type OverStandard struct {
	Items    []PersonFigure `json:"items"`    // over standard, largest excess first
	Unranked []PersonFigure `json:"unranked"` // people with an office and no rank the table knows
}

// FigureQuery narrows the figures to a unit (0: every unit the actor sees).
type FigureQuery struct {
	UnitID int64
}

// OverStandardList lists every person over standard with their figures; leaders see their
// own unit's.
func (s *Service) OverStandardList(ctx context.Context, a *auth.Actor, q FigureQuery) (*OverStandard, error) {
	persons, err := s.Persons(ctx, a, q)
	if err != nil {
		return nil, err
	}
	out := &OverStandard{Items: []PersonFigure{}, Unranked: []PersonFigure{}}
	for _, p := range persons {
		switch {
		case p.Over:
			out.Items = append(out.Items, p)
		case !p.Ranked:
			out.Unranked = append(out.Unranked, p)
		}
	}
	sort.SliceStable(out.Items, func(i, j int) bool { return out.Items[i].ExcessM2 > out.Items[j].ExcessM2 })
	return out, nil
}

// Persons returns every person with an office and their standard, actual and excess area, by
// unit and name; leaders see their own unit's.
func (s *Service) Persons(ctx context.Context, a *auth.Actor, q FigureQuery) ([]PersonFigure, error) {
	if err := a.Require(auth.PermOfficeRead); err != nil {
		return nil, err
	}
	unit, err := scopeUnit(a, q.UnitID)
	if err != nil {
		return nil, err
	}
	f, err := s.facts(s.read(ctx))
	if err != nil {
		return nil, err
	}
	fig := compute(f)
	out := []PersonFigure{}
	for _, p := range fig.persons {
		if unit == 0 || p.UnitID == unit {
			out = append(out, *p)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].UnitName != out[j].UnitName {
			return out[i].UnitName < out[j].UnitName
		}
		return out[i].UserID < out[j].UserID
	})
	return out, nil
}

// Units returns every unit's occupancy against its standard (units that hold nothing are
// left out); leaders see their own unit's.
func (s *Service) Units(ctx context.Context, a *auth.Actor) ([]UnitOccupancy, error) {
	if err := a.Require(auth.PermOfficeRead); err != nil {
		return nil, err
	}
	unit, err := scopeUnit(a, 0)
	if err != nil {
		return nil, err
	}
	f, err := s.facts(s.read(ctx))
	if err != nil {
		return nil, err
	}
	fig := compute(f)
	out := []UnitOccupancy{}
	for id, u := range fig.units {
		if unit == 0 || id == unit {
			out = append(out, *u)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].UnitName < out[j].UnitName })
	return out, nil
}

// Unit returns one unit's occupancy (zero figures when it holds nothing); 403 for a leader of
// another unit.
func (s *Service) Unit(ctx context.Context, a *auth.Actor, id int64) (*UnitOccupancy, error) {
	if err := a.Require(auth.PermOfficeRead); err != nil {
		return nil, err
	}
	if err := checkUnit(a, id); err != nil {
		return nil, err
	}
	db := s.read(ctx)
	name, err := unitName(db, id)
	if err != nil {
		return nil, notFoundUnit(err)
	}
	f, err := s.facts(db)
	if err != nil {
		return nil, err
	}
	if u := compute(f).units[id]; u != nil {
		return u, nil
	}
	return &UnitOccupancy{UnitID: id, UnitName: name}, nil
}

// facts reads what the figures need: every room, the active assignments, their people, the
// units and the standards.
func (s *Service) facts(db *gorm.DB) (*facts, error) {
	rooms, err := allRooms(db)
	if err != nil {
		return nil, err
	}
	f := &facts{rooms: make(map[int64]*roomRow, len(rooms))}
	for i := range rooms {
		f.rooms[rooms[i].ID] = &rooms[i]
	}
	if f.buildings, err = buildingNames(db); err != nil {
		return nil, err
	}
	if f.active, err = activeAssignments(db, nil, false); err != nil {
		return nil, err
	}
	if f.people, err = peopleOf(db, f.active); err != nil {
		return nil, err
	}
	if f.units, err = unitNames(db); err != nil {
		return nil, err
	}
	if f.std, err = loadStandards(db, s.opt.Level); err != nil {
		return nil, err
	}
	return f, nil
}

// notFoundUnit turns "no such unit" (a field problem when a body names it) into 404 for a path.
func notFoundUnit(err error) error {
	if fleet.ErrorCode(err) == fleet.EInvalid {
		return fleet.Errorf(fleet.ENotFound, "unit not found")
	}
	return err
}
