package energy

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// Coefficient converts a kind's base unit to standard coal (kgce per base unit).
type Coefficient struct {
	Kind      string    `json:"kind"`
	Value     float64   `json:"value"`
	UOM       string    `json:"uom"` // kgce/kWh, kgce/m3, kgce/kg, kgce/GJ
	Source    string    `json:"source"`
	UpdatedAt time.Time `json:"updated_at"`
}

// CO2Factor is kg CO2 per base unit of a kind, nationwide (region "") or for a province.
type CO2Factor struct {
	ID        int64     `json:"id"`
	Kind      string    `json:"kind"`
	Region    string    `json:"region"`
	Value     float64   `json:"value"`
	UOM       string    `json:"uom"` // kgCO2/kWh …
	Source    string    `json:"source"`
	InUse     bool      `json:"in_use"` // the factor the figures use (the province's when set)
	UpdatedAt time.Time `json:"updated_at"`
}

// FactorInput sets a coefficient (Region unused) or a CO2 factor.
type FactorInput struct {
	Kind   string  `json:"kind"`
	Region string  `json:"region"`
	Value  float64 `json:"value"`
	Source string  `json:"source"`
}

// FactorsInput is the body of a coefficients or CO2 factors update: the rows to set.
type FactorsInput struct {
	Items []FactorInput `json:"items"`
}

// maxCoefficient bounds a coefficient: heat is 34.12 kgce/GJ, nothing a county buys is near 1000.
const maxCoefficient = 1000

// validate checks every item; region says whether the items may name a province.
func (in *FactorsInput) validate(region bool) error {
	p := fleet.Problems{}
	if len(in.Items) == 0 {
		p.Add("items", "required: the rows to set")
	}
	if len(in.Items) > 100 {
		p.Add("items", "at most 100 rows")
	}
	seen := map[string]int{}
	for i := range in.Items {
		it := &in.Items[i]
		f := fmt.Sprintf("items[%d]", i)
		if !inTotal(it.Kind) {
			p.Add(f+".kind", "must be one of electricity, natural_gas, heat, gasoline, diesel (water and PV are not in the comprehensive energy use)")
		}
		it.Region = p.Text(f+".region", it.Region, false, 32)
		if !region && it.Region != "" {
			p.Add(f+".region", "coefficients are nationwide: leave region empty")
		}
		it.Source = p.Text(f+".source", it.Source, true, 1000)
		if !(it.Value > 0) {
			p.Add(f+".value", "must be more than 0")
		} else if it.Value > maxCoefficient {
			p.Add(f+".value", fmt.Sprintf("must be at most %d", maxCoefficient))
		}
		key := it.Kind + "/" + it.Region
		if j, ok := seen[key]; ok {
			p.Add(f+".kind", fmt.Sprintf("the same row as items[%d]", j))
		}
		seen[key] = i
	}
	return p.Err()
}

// Coefficients lists the conversion coefficients to standard coal, with their sources.
func (s *Service) Coefficients(ctx context.Context, a *auth.Actor) ([]Coefficient, error) {
	if err := a.Require(auth.PermEnergyRead); err != nil {
		return nil, err
	}
	rows, err := coefficientRows(s.read(ctx))
	if err != nil {
		return nil, err
	}
	out := make([]Coefficient, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.coefficient())
	}
	return out, nil
}

// UpdateCoefficients sets the coefficients named (kind, value > 0, source); the others stay.
// A value of 0 or less is refused with nothing changed.
func (s *Service) UpdateCoefficients(ctx context.Context, a *auth.Actor, in FactorsInput) ([]Coefficient, error) {
	if err := a.Require(auth.PermEnergyWrite); err != nil {
		return nil, err
	}
	if err := in.validate(false); err != nil {
		return nil, err
	}
	now := s.now()
	err := s.tx(ctx, func(tx *gorm.DB) error {
		for _, it := range in.Items {
			row := coefficientRow{Kind: it.Kind, Value: it.Value, Source: it.Source, UpdatedBy: &a.UserID, CreatedAt: now, UpdatedAt: now}
			if err := upsertCoefficient(tx, &row); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "energy_coefficients_update", "energy_coefficients", fmt.Sprintf("%d rows", len(in.Items)))
	return s.Coefficients(ctx, a)
}

// CO2Factors lists the CO2 factors, nationwide and per province, marking those in use.
func (s *Service) CO2Factors(ctx context.Context, a *auth.Actor) ([]CO2Factor, error) {
	if err := a.Require(auth.PermEnergyRead); err != nil {
		return nil, err
	}
	db := s.read(ctx)
	set, err := loadSettings(db)
	if err != nil {
		return nil, err
	}
	rows, err := co2Rows(db)
	if err != nil {
		return nil, err
	}
	use := co2InUse(rows, set.region())
	out := make([]CO2Factor, 0, len(rows))
	for _, r := range rows {
		f := r.factor()
		f.InUse = use[r.Kind] == r.ID
		out = append(out, f)
	}
	return out, nil
}

// UpdateCO2Factors sets the factors named: a region "" row is the nationwide one, another region
// overrides it in that province. Values of 0 or less are refused with nothing changed.
func (s *Service) UpdateCO2Factors(ctx context.Context, a *auth.Actor, in FactorsInput) ([]CO2Factor, error) {
	if err := a.Require(auth.PermEnergyWrite); err != nil {
		return nil, err
	}
	if err := in.validate(true); err != nil {
		return nil, err
	}
	now := s.now()
	err := s.tx(ctx, func(tx *gorm.DB) error {
		for _, it := range in.Items {
			row := co2Row{Kind: it.Kind, Region: it.Region, Value: it.Value, Source: it.Source, UpdatedBy: &a.UserID, CreatedAt: now, UpdatedAt: now}
			if err := upsertCO2(tx, &row); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "energy_co2_factors_update", "energy_co2_factors", fmt.Sprintf("%d rows", len(in.Items)))
	return s.CO2Factors(ctx, a)
}

// DeleteCO2Factor removes a province's factor (the nationwide one applies again); the nationwide
// rows stay (409).
func (s *Service) DeleteCO2Factor(ctx context.Context, a *auth.Actor, id int64) error {
	if err := a.Require(auth.PermEnergyWrite); err != nil {
		return err
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var r co2Row
		if err := take(tx, &r, id, true, "CO2 factor"); err != nil {
			return err
		}
		if r.Region == "" {
			return fleet.Errorf(fleet.EConflict, "the nationwide factor of %s stays: change its value instead", r.Kind)
		}
		return dbErr(tx.Delete(&co2Row{}, id).Error, "")
	})
	if err == nil {
		s.record(ctx, a, "energy_co2_factor_delete", fmt.Sprintf("energy_co2_factor:%d", id), "")
	}
	return err
}

// Settings returns the module's settings.
func (s *Service) Settings(ctx context.Context, a *auth.Actor) (*Settings, error) {
	if err := a.Require(auth.PermEnergyRead); err != nil {
		return nil, err
	}
	set, err := loadSettings(s.read(ctx))
	return &set, err
}

// UpdateSettings replaces the module's settings, all checked first.
func (s *Service) UpdateSettings(ctx context.Context, a *auth.Actor, in Settings) (*Settings, error) {
	if err := a.Require(auth.PermEnergyWrite); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	if err := s.tx(ctx, func(tx *gorm.DB) error { return saveSettings(tx, in, a.UserID, s.now()) }); err != nil {
		return nil, err
	}
	s.record(ctx, a, "energy_settings_update", "energy_settings", "")
	return s.Settings(ctx, a)
}

// co2InUse picks, per kind, the id of the factor the figures use: the province's, else the
// nationwide one.
func co2InUse(rows []co2Row, region string) map[string]int64 {
	out := map[string]int64{}
	for _, r := range rows {
		if r.Region == "" {
			if _, ok := out[r.Kind]; !ok {
				out[r.Kind] = r.ID
			}
		}
	}
	for _, r := range rows {
		if region != "" && r.Region == region {
			out[r.Kind] = r.ID
		}
	}
	return out
}

func (r *coefficientRow) coefficient() Coefficient {
	return Coefficient{Kind: r.Kind, Value: r.Value, UOM: "kgce/" + BaseUOM[r.Kind], Source: r.Source, UpdatedAt: r.UpdatedAt.UTC()}
}

func (r *co2Row) factor() CO2Factor {
	return CO2Factor{ID: r.ID, Kind: r.Kind, Region: r.Region, Value: r.Value, UOM: "kgCO2/" + BaseUOM[r.Kind], Source: r.Source,
		UpdatedAt: r.UpdatedAt.UTC()}
}
