package energy

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// CreateMeter adds a meter of a unit (and a building, optionally); with installed_at and
// initial_value its series starts at that register value.
func (s *Service) CreateMeter(ctx context.Context, a *auth.Actor, in MeterInput) (*Meter, error) {
	if err := a.Require(auth.PermEnergyWrite); err != nil {
		return nil, err
	}
	now := s.now()
	if err := in.validate(true, now); err != nil {
		return nil, err
	}
	row := &meterRow{Name: in.Name, Code: in.Code, Kind: in.Kind, UnitID: in.UnitID, BuildingID: in.BuildingID, UOM: in.UOM,
		Multiplier: *in.Multiplier, Status: MeterActive, InstalledAt: in.installed, Note: in.Note, CreatedBy: &a.UserID,
		CreatedAt: now, UpdatedAt: now}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := checkMeterRefs(tx, in); err != nil {
			return err
		}
		if err := insert(tx, row); err != nil {
			return err
		}
		if in.installed == nil {
			return nil
		}
		return insert(tx, &readingRow{MeterID: row.ID, At: *in.installed, Value: *in.InitialValue, Status: ReadingOK,
			Source: SourceInstall, EnteredBy: &a.UserID, CreatedAt: now})
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "energy_meter_create", meterTarget(row.ID), fmt.Sprintf("%s %s", row.Kind, row.Name))
	return s.GetMeter(ctx, a, row.ID)
}

// UpdateMeter changes a meter's name, code, building and note; its kind, unit, unit of measure
// and multiplier only while it has no readings (409 otherwise: record a replacement).
func (s *Service) UpdateMeter(ctx context.Context, a *auth.Actor, id int64, in MeterInput) (*Meter, error) {
	if err := a.Require(auth.PermEnergyWrite); err != nil {
		return nil, err
	}
	if err := in.validate(false, s.now()); err != nil {
		return nil, err
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var row meterRow
		if err := take(tx, &row, id, true, "meter"); err != nil {
			return err
		}
		if err := checkMeterRefs(tx, in); err != nil {
			return err
		}
		if row.Kind != in.Kind || row.UnitID != in.UnitID || row.UOM != in.UOM || row.Multiplier != *in.Multiplier {
			n, err := readingCount(tx, id)
			if err != nil {
				return err
			}
			if n > 0 {
				return fleet.Errorf(fleet.EConflict, "meter %d has readings: its kind, unit, unit of measure and multiplier stay; record a replacement for a new register or ratio", id)
			}
		}
		row.Name, row.Code, row.Kind, row.UnitID, row.BuildingID, row.UOM, row.Multiplier, row.Note, row.UpdatedAt =
			in.Name, in.Code, in.Kind, in.UnitID, in.BuildingID, in.UOM, *in.Multiplier, in.Note, s.now()
		return save(tx, &row)
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "energy_meter_update", meterTarget(id), in.Name)
	return s.GetMeter(ctx, a, id)
}

func checkMeterRefs(tx *gorm.DB, in MeterInput) error {
	if err := checkUnitExists(tx, "unit_id", in.UnitID); err != nil {
		return err
	}
	return checkBuildingExists(tx, "building_id", in.BuildingID)
}

// GetMeter returns a meter with its latest accepted reading; leaders see their own unit's.
func (s *Service) GetMeter(ctx context.Context, a *auth.Actor, id int64) (*Meter, error) {
	if err := a.Require(auth.PermEnergyRead); err != nil {
		return nil, err
	}
	db := s.read(ctx)
	var row meterRow
	if err := take(db, &row, id, false, "meter"); err != nil {
		return nil, err
	}
	if err := checkUnit(a, row.UnitID); err != nil {
		return nil, err
	}
	out, err := s.meters(db, []meterRow{row})
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

// ListMeters lists meters by unit, building, kind and status (leaders: their own unit's).
func (s *Service) ListMeters(ctx context.Context, a *auth.Actor, q MeterQuery) ([]Meter, int64, error) {
	if err := a.Require(auth.PermEnergyRead); err != nil {
		return nil, 0, err
	}
	unit, err := scopeUnit(a, q.UnitID)
	if err != nil {
		return nil, 0, err
	}
	q.UnitID = unit
	db := s.read(ctx)
	rows, total, err := meterRows(db, q)
	if err != nil {
		return nil, 0, err
	}
	out, err := s.meters(db, rows)
	return out, total, err
}

// ReplaceMeter records a meter's replacement at in.At: the old meter's final reading, the new
// meter (same name, kind, unit and building unless given) with its initial reading at the same
// instant. The new meter is returned; the figures sum both, so the series stays continuous.
func (s *Service) ReplaceMeter(ctx context.Context, a *auth.Actor, id int64, in ReplaceInput) (*Meter, error) {
	if err := a.Require(auth.PermEnergyWrite); err != nil {
		return nil, err
	}
	now := s.now()
	if err := in.validate(now); err != nil {
		return nil, err
	}
	var created int64
	err := s.tx(ctx, func(tx *gorm.DB) error {
		old, err := s.endMeter(tx, a, id, in.at, *in.FinalValue, MeterReplaced, now)
		if err != nil {
			return err
		}
		next := s.successor(old, in, a, now)
		if _, ok := uomFactors[next.Kind][next.UOM]; !ok {
			return fleet.Invalid(map[string]string{"uom": "must be one of the units of " + next.Kind})
		}
		if err := insert(tx, next); err != nil {
			return err
		}
		created = next.ID
		return insert(tx, &readingRow{MeterID: next.ID, At: in.at, Value: *in.InitialValue, Status: ReadingOK,
			Source: SourceInstall, EnteredBy: &a.UserID, CreatedAt: now})
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "energy_meter_replace", meterTarget(id), fmt.Sprintf("replaced by meter %d at %s", created, in.at.Format(time.RFC3339)))
	return s.GetMeter(ctx, a, created)
}

func (s *Service) successor(old *meterRow, in ReplaceInput, a *auth.Actor, now time.Time) *meterRow {
	next := &meterRow{Name: old.Name, Code: in.Code, Kind: old.Kind, UnitID: old.UnitID, BuildingID: old.BuildingID, UOM: old.UOM,
		Multiplier: old.Multiplier, Status: MeterActive, InstalledAt: &in.at, ReplacesID: &old.ID, Note: in.Note,
		CreatedBy: &a.UserID, CreatedAt: now, UpdatedAt: now}
	if in.Name != "" {
		next.Name = in.Name
	}
	if in.UOM != "" {
		next.UOM = in.UOM
	}
	if in.Multiplier != nil {
		next.Multiplier = *in.Multiplier
	}
	return next
}

// RetireMeter takes a meter out of service with its final reading.
func (s *Service) RetireMeter(ctx context.Context, a *auth.Actor, id int64, in RetireInput) (*Meter, error) {
	if err := a.Require(auth.PermEnergyWrite); err != nil {
		return nil, err
	}
	now := s.now()
	if err := in.validate(now); err != nil {
		return nil, err
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		row, err := s.endMeter(tx, a, id, in.at, *in.FinalValue, MeterRetired, now)
		if err != nil || in.Note == "" {
			return err
		}
		row.Note = in.Note
		return save(tx, row)
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "energy_meter_retire", meterTarget(id), in.at.Format(time.RFC3339))
	return s.GetMeter(ctx, a, id)
}

// endMeter closes an active meter's series at at with its final register value: nothing may
// be read after at, and the final value may not be below the last accepted reading.
func (s *Service) endMeter(tx *gorm.DB, a *auth.Actor, id int64, at time.Time, final float64, status string, now time.Time) (*meterRow, error) {
	var row meterRow
	if err := take(tx, &row, id, true, "meter"); err != nil {
		return nil, err
	}
	if row.Status != MeterActive {
		return nil, fleet.Errorf(fleet.EConflict, "meter %d is %s already", id, row.Status)
	}
	if row.InstalledAt != nil && !at.After(*row.InstalledAt) {
		return nil, fleet.Invalid(map[string]string{"at": "must be after the meter was put in"})
	}
	later, err := readingsAfter(tx, id, at)
	if err != nil {
		return nil, err
	}
	if later > 0 {
		return nil, fleet.Errorf(fleet.EConflict, "meter %d has %d readings at or after %s: reject them first", id, later, at.Format(time.RFC3339))
	}
	last, err := lastOK(tx, id, at)
	if err != nil {
		return nil, err
	}
	if last != nil && final < last.Value {
		return nil, fleet.Invalid(map[string]string{"final_value": fmt.Sprintf("below the last reading %g of %s", last.Value, last.At.UTC().Format(time.RFC3339))})
	}
	if err := insert(tx, &readingRow{MeterID: id, At: at, Value: final, Status: ReadingOK, Source: SourceRemoval,
		EnteredBy: &a.UserID, CreatedAt: now}); err != nil {
		return nil, err
	}
	row.Status, row.RemovedAt, row.UpdatedAt = status, &at, now
	return &row, save(tx, &row)
}

// meters turns rows into Meters with names, latest readings and flagged counts.
func (s *Service) meters(db *gorm.DB, rows []meterRow) ([]Meter, error) {
	units, err := unitNames(db)
	if err != nil {
		return nil, err
	}
	buildings, err := buildingNames(db)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	last, err := latestOK(db, ids)
	if err != nil {
		return nil, err
	}
	flagged, err := flaggedCounts(db, ids)
	if err != nil {
		return nil, err
	}
	next, err := successors(db, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Meter, len(rows))
	for i, r := range rows {
		m := r.meter()
		m.UnitName = units[r.UnitID]
		if r.BuildingID != nil {
			m.BuildingName = buildings[*r.BuildingID]
		}
		if l, ok := last[r.ID]; ok {
			m.Last = ptr(l.reading())
		}
		m.Flagged = flagged[r.ID]
		if n, ok := next[r.ID]; ok {
			m.ReplacedBy = &n
		}
		out[i] = m
	}
	return out, nil
}

func (r *meterRow) meter() Meter {
	return Meter{ID: r.ID, Name: r.Name, Code: r.Code, Kind: r.Kind, UnitID: r.UnitID, BuildingID: r.BuildingID, UOM: r.UOM,
		Multiplier: r.Multiplier, Status: r.Status, InstalledAt: utcPtr(r.InstalledAt), RemovedAt: utcPtr(r.RemovedAt),
		ReplacesID: r.ReplacesID, Note: r.Note, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	return ptr(t.UTC())
}

func meterTarget(id int64) string { return fmt.Sprintf("energy_meter:%d", id) }
