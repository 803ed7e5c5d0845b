package energy

import (
	"context"
	"fmt"
	"regexp"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// CriteriaInput replaces the evaluation checklist: the items in order. An item dropped while an
// agency has a score on it is refused (409).
type CriteriaInput struct {
	Items []Criterion `json:"items"`
}

var codeRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

func (in *CriteriaInput) validate() error {
	p := fleet.Problems{}
	if len(in.Items) == 0 || len(in.Items) > 50 {
		p.Add("items", "from 1 to 50 checklist items")
	}
	seen := map[string]bool{}
	for i := range in.Items {
		c := &in.Items[i]
		f := fmt.Sprintf("items[%d]", i)
		if !codeRE.MatchString(c.Code) {
			p.Add(f+".code", "must be lower-case letters, digits and _ (at most 32)")
		} else if seen[c.Code] {
			p.Add(f+".code", "used twice")
		}
		seen[c.Code] = true
		c.Name = p.Text(f+".name", c.Name, true, 200)
		c.Source = p.Text(f+".source", c.Source, false, 1000)
		if !(c.MaxScore > 0) || c.MaxScore > 1000 {
			p.Add(f+".max_score", "must be more than 0 and at most 1000")
		}
		c.Position = i + 1
	}
	return p.Err()
}

// UpdateCriteria replaces the evaluation checklist.
func (s *Service) UpdateCriteria(ctx context.Context, a *auth.Actor, in CriteriaInput) ([]Criterion, error) {
	if err := a.Require(auth.PermEnergyWrite); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	now := s.now()
	err := s.tx(ctx, func(tx *gorm.DB) error {
		old, err := criterionRows(tx)
		if err != nil {
			return err
		}
		keep := map[string]bool{}
		for _, c := range in.Items {
			keep[c.Code] = true
		}
		for _, o := range old {
			if keep[o.Code] {
				continue
			}
			var n int64
			if err := tx.Model(&scoreRow{}).Where("code = ?", o.Code).Count(&n).Error; err != nil {
				return dbErr(err, "")
			}
			if n > 0 {
				return fleet.Errorf(fleet.EConflict, "checklist item %s has scores of %d agencies: keep it", o.Code, n)
			}
			if err := dbErr(tx.Delete(&criterionRow{}, o.ID).Error, ""); err != nil {
				return err
			}
		}
		byCode := map[string]criterionRow{}
		for _, o := range old {
			byCode[o.Code] = o
		}
		for _, c := range in.Items {
			row := criterionRow{Code: c.Code, Name: c.Name, MaxScore: c.MaxScore, Position: c.Position, Source: c.Source, CreatedAt: now, UpdatedAt: now}
			if o, ok := byCode[c.Code]; ok {
				row.ID, row.CreatedAt = o.ID, o.CreatedAt
			}
			if err := save(tx, &row); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "energy_criteria_update", "energy_agency_criteria", fmt.Sprintf("%d items", len(in.Items)))
	return s.Criteria(ctx, a)
}
