package energy

import (
	"context"
	"fmt"
	"sort"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// UnitBasis is what a unit's indicators divide by: its headcount (用能人数) and floor area
// (建筑面积), each set by the energy manager or else counted (the unit's enabled users) and
// derived (its share of the buildings in the office ledger).
type UnitBasis struct {
	UnitID       int64    `json:"unit_id"`
	UnitName     string   `json:"unit_name"`
	Headcount    int      `json:"headcount"`     // in use
	HeadcountSet *int     `json:"headcount_set"` // set by the energy manager; null: the users counted
	Users        int      `json:"users"`         // the unit's enabled users
	AreaM2       float64  `json:"area_m2"`       // in use; 0: unknown
	AreaSetM2    *float64 `json:"area_set_m2"`   // set by the energy manager; null: from the ledger
	LedgerAreaM2 float64  `json:"ledger_area_m2"`
	Note         string   `json:"note"`
}

// BasisInput sets a unit's headcount and area; null clears a value back to the counted one.
type BasisInput struct {
	Headcount *int     `json:"headcount"`
	AreaM2    *float64 `json:"area_m2"`
	Note      string   `json:"note"`
}

func (in *BasisInput) validate() error {
	p := fleet.Problems{}
	in.Note = p.Text("note", in.Note, false, 500)
	if in.Headcount != nil && (*in.Headcount <= 0 || *in.Headcount > 100000) {
		p.Add("headcount", "must be from 1 to 100000, or null to count the unit's users")
	}
	if in.AreaM2 != nil && (!(*in.AreaM2 > 0) || *in.AreaM2 > 10_000_000) {
		p.Add("area_m2", "must be more than 0 m², or null to take it from the office ledger")
	}
	return p.Err()
}

// Bases lists every unit's headcount and area (leaders: their own unit's).
func (s *Service) Bases(ctx context.Context, a *auth.Actor) ([]UnitBasis, error) {
	if err := a.Require(auth.PermEnergyRead); err != nil {
		return nil, err
	}
	unit, err := scopeUnit(a, 0)
	if err != nil {
		return nil, err
	}
	all, err := loadBases(s.read(ctx))
	if err != nil {
		return nil, err
	}
	out := make([]UnitBasis, 0, len(all))
	for _, id := range sortedIDs(all) {
		if unit == 0 || id == unit {
			out = append(out, *all[id])
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].UnitName < out[j].UnitName })
	return out, nil
}

// SetBasis sets a unit's headcount and area for the indicators.
func (s *Service) SetBasis(ctx context.Context, a *auth.Actor, unit int64, in BasisInput) (*UnitBasis, error) {
	if err := a.Require(auth.PermEnergyWrite); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := checkUnitExists(tx, "unit_id", unit); err != nil {
			if fleet.ErrorCode(err) == fleet.EInvalid {
				return fleet.Errorf(fleet.ENotFound, "unit not found")
			}
			return err
		}
		row, err := energyUnitRowOf(tx, unit)
		if err != nil {
			return err
		}
		row.Headcount, row.AreaDm2, row.Note, row.UpdatedBy, row.UpdatedAt = in.Headcount, nil, in.Note, &a.UserID, s.now()
		if in.AreaM2 != nil {
			row.AreaDm2 = ptr(toDm2(*in.AreaM2))
		}
		return save(tx, &row)
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "energy_unit_basis", fmt.Sprintf("unit:%d", unit), in.Note)
	all, err := loadBases(s.read(ctx))
	if err != nil {
		return nil, err
	}
	return all[unit], nil
}

// loadBases reads every unit's headcount and area.
func loadBases(tx *gorm.DB) (map[int64]*UnitBasis, error) {
	units, err := allUnits(tx)
	if err != nil {
		return nil, err
	}
	users, err := userCounts(tx)
	if err != nil {
		return nil, err
	}
	set, err := energyUnitRows(tx)
	if err != nil {
		return nil, err
	}
	ledger, err := ledgerAreas(tx)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*UnitBasis, len(units))
	for _, u := range units {
		b := &UnitBasis{UnitID: u.ID, UnitName: u.Name, Users: users[u.ID], Headcount: users[u.ID],
			LedgerAreaM2: toM2(ledger[u.ID]), AreaM2: toM2(ledger[u.ID])}
		if r, ok := set[u.ID]; ok {
			b.Note, b.HeadcountSet = r.Note, r.Headcount
			if r.Headcount != nil {
				b.Headcount = *r.Headcount
			}
			if r.AreaDm2 != nil {
				b.AreaSetM2, b.AreaM2 = ptr(toM2(*r.AreaDm2)), toM2(*r.AreaDm2)
			}
		}
		out[u.ID] = b
	}
	return out, nil
}

// Building is an office building as the energy pages name it: for meters and projects.
type Building struct {
	ID     int64   `json:"id"`
	Name   string  `json:"name"`
	AreaM2 float64 `json:"area_m2"` // its total area (建筑面积), else its usable area
}

// Buildings lists the office buildings (the office ledger keeps them).
func (s *Service) Buildings(ctx context.Context, a *auth.Actor) ([]Building, error) {
	if err := a.Require(auth.PermEnergyRead); err != nil {
		return nil, err
	}
	rows, err := allBuildings(s.read(ctx))
	if err != nil {
		return nil, err
	}
	out := make([]Building, len(rows))
	for i, b := range rows {
		out[i] = Building{ID: b.ID, Name: b.Name, AreaM2: toM2(b.area())}
	}
	return out, nil
}
