package energy

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// Agencies lists the enrolled agencies with their scores, and the county's certified share
// against the plan's target for this year (leaders: their own unit's agency; the share is the
// county's).
func (s *Service) Agencies(ctx context.Context, a *auth.Actor) ([]Agency, *AgencySummary, error) {
	if err := a.Require(auth.PermEnergyRead); err != nil {
		return nil, nil, err
	}
	unit, err := scopeUnit(a, 0)
	if err != nil {
		return nil, nil, err
	}
	db := s.read(ctx)
	rows, err := agencyRows(db)
	if err != nil {
		return nil, nil, err
	}
	all, err := s.agencies(db, rows)
	if err != nil {
		return nil, nil, err
	}
	sum, err := s.summary(db, all)
	if err != nil {
		return nil, nil, err
	}
	out := make([]Agency, 0, len(all))
	for _, ag := range all {
		if unit == 0 || ag.UnitID == unit {
			out = append(out, ag)
		}
	}
	return out, sum, nil
}

// GetAgency returns an agency with its checklist scores.
func (s *Service) GetAgency(ctx context.Context, a *auth.Actor, id int64) (*Agency, error) {
	if err := a.Require(auth.PermEnergyRead); err != nil {
		return nil, err
	}
	db := s.read(ctx)
	var row agencyRow
	if err := take(db, &row, id, false, "agency"); err != nil {
		return nil, err
	}
	if err := checkUnit(a, row.UnitID); err != nil {
		return nil, err
	}
	out, err := s.agencies(db, []agencyRow{row})
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

// EnrolAgency enrols a unit in the drive (409 when it is enrolled already).
func (s *Service) EnrolAgency(ctx context.Context, a *auth.Actor, in AgencyInput) (*Agency, error) {
	if err := a.Require(auth.PermEnergyWrite); err != nil {
		return nil, err
	}
	now := s.now()
	if err := in.validate(s.today(now)); err != nil {
		return nil, err
	}
	row := &agencyRow{UnitID: in.UnitID, EnrolledOn: in.EnrolledOn, Status: AgencyEnrolled, Note: in.Note, CreatedBy: &a.UserID,
		CreatedAt: now, UpdatedAt: now}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := checkUnitExists(tx, "unit_id", in.UnitID); err != nil {
			return err
		}
		err := insert(tx, row)
		if fleet.ErrorCode(err) == fleet.EConflict {
			return fleet.Errorf(fleet.EConflict, "the unit is enrolled already")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "energy_agency_enrol", agencyTarget(row.ID), fmt.Sprintf("unit %d", in.UnitID))
	return s.GetAgency(ctx, a, row.ID)
}

// ScoreAgency records checklist scores (0 to each item's full score). An agency with every item
// scored is evaluated; a certified one is reopened first (409).
func (s *Service) ScoreAgency(ctx context.Context, a *auth.Actor, id int64, in ScoresInput) (*Agency, error) {
	if err := a.Require(auth.PermEnergyWrite); err != nil {
		return nil, err
	}
	now := s.now()
	err := s.tx(ctx, func(tx *gorm.DB) error {
		crit, err := criteriaByCode(tx)
		if err != nil {
			return err
		}
		if err := in.validate(s.today(now), crit); err != nil {
			return err
		}
		var row agencyRow
		if err := take(tx, &row, id, true, "agency"); err != nil {
			return err
		}
		if row.Status == AgencyCertified {
			return fleet.Errorf(fleet.EConflict, "the agency is certified: reopen it (status enrolled) for a new evaluation")
		}
		for _, sc := range in.Scores {
			if err := upsertScore(tx, &scoreRow{AgencyID: id, Code: sc.Code, Score: sc.Score, Note: sc.Note, UpdatedBy: &a.UserID, UpdatedAt: now}); err != nil {
				return err
			}
		}
		total, scored, err := scoreTotal(tx, id, crit)
		if err != nil {
			return err
		}
		row.Score, row.EvaluatedOn, row.UpdatedAt = &total, in.EvaluatedOn, now
		if scored == len(crit) {
			row.Status = AgencyEvaluated
		}
		return save(tx, &row)
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "energy_agency_score", agencyTarget(id), fmt.Sprintf("%d items", len(in.Scores)))
	return s.GetAgency(ctx, a, id)
}

// DecideAgency certifies an evaluated agency whose total reaches the pass score (409 otherwise),
// records that it did not pass, or reopens it.
func (s *Service) DecideAgency(ctx context.Context, a *auth.Actor, id int64, in DecisionInput) (*Agency, error) {
	if err := a.Require(auth.PermEnergyWrite); err != nil {
		return nil, err
	}
	now := s.now()
	if err := in.validate(s.today(now)); err != nil {
		return nil, err
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		set, err := loadSettings(tx)
		if err != nil {
			return err
		}
		var row agencyRow
		if err := take(tx, &row, id, true, "agency"); err != nil {
			return err
		}
		if err := decide(&row, in, set.AgencyPassScore); err != nil {
			return err
		}
		row.DecidedOn, row.UpdatedAt = in.DecidedOn, now
		if in.Note != "" {
			row.Note = in.Note
		}
		return save(tx, &row)
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "energy_agency_"+in.Status, agencyTarget(id), in.Note)
	return s.GetAgency(ctx, a, id)
}

// decide applies a decision to an agency by the rules.
func decide(row *agencyRow, in DecisionInput, pass float64) error {
	switch in.Status {
	case AgencyEnrolled:
		if row.Status != AgencyCertified && row.Status != AgencyNotPassed {
			return fleet.Errorf(fleet.EConflict, "only a decided agency is reopened")
		}
		row.Status = AgencyEnrolled
		return nil
	case AgencyCertified, AgencyNotPassed:
		if row.Status != AgencyEvaluated {
			return fleet.Errorf(fleet.EConflict, "score every checklist item first (the agency is %s)", row.Status)
		}
	}
	if in.Status == AgencyCertified && (row.Score == nil || *row.Score < pass) {
		return fleet.Errorf(fleet.EConflict, "the total %g is below the pass score %g", deref(row.Score), pass)
	}
	row.Status = in.Status
	return nil
}

func deref(f *float64) float64 {
	if f == nil {
		return 0
	}
	return *f
}

// summary is the county's certified share against the target of this year.
func (s *Service) summary(db *gorm.DB, all []Agency) (*AgencySummary, error) {
	set, err := loadSettings(db)
	if err != nil {
		return nil, err
	}
	sum := &AgencySummary{Agencies: set.AgenciesTotal, Enrolled: len(all), PassScore: set.AgencyPassScore}
	if sum.Agencies == 0 {
		units, err := allUnits(db)
		if err != nil {
			return nil, err
		}
		sum.Agencies = len(units)
	}
	for _, ag := range all {
		switch ag.Status {
		case AgencyCertified:
			sum.Certified++
			sum.Evaluated++
		case AgencyEvaluated, AgencyNotPassed:
			sum.Evaluated++
		}
	}
	if sum.Agencies > 0 {
		sum.Share = round(float64(sum.Certified)/float64(sum.Agencies), 4)
	}
	sum.Year = s.opt.Now().In(s.opt.Location).Year()
	sum.Target = set.AgencyTargetFor(sum.Year)
	sum.Met = sum.Target.Share > 0 && sum.Share >= sum.Target.Share
	return sum, nil
}

// Criteria lists the evaluation checklist.
func (s *Service) Criteria(ctx context.Context, a *auth.Actor) ([]Criterion, error) {
	if err := a.Require(auth.PermEnergyRead); err != nil {
		return nil, err
	}
	rows, err := criterionRows(s.read(ctx))
	if err != nil {
		return nil, err
	}
	out := make([]Criterion, len(rows))
	for i, r := range rows {
		out[i] = r.criterion()
	}
	return out, nil
}

func agencyTarget(id int64) string { return fmt.Sprintf("energy_agency:%d", id) }
