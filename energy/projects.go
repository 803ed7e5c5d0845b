package energy

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"fleet/auth"
	"fleet/store"
)

type projectRow struct {
	ID            int64
	Name          string
	Kind          string
	UnitID        int64
	BuildingID    *int64
	MeterID       *int64
	EnergyKind    string
	InvestmentFen int64
	Status        string
	StartedOn     string
	CompletedOn   string
	CapacityKW    *float64 `gorm:"column:capacity_kw"`
	BeforeAmount  *float64
	AfterAmount   *float64
	Note          string
	CreatedBy     *int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (projectRow) TableName() string { return "energy_projects" }

// Projects lists the projects, newest first (leaders: their own unit's).
func (s *Service) Projects(ctx context.Context, a *auth.Actor) ([]Project, error) {
	if err := a.Require(auth.PermEnergyRead); err != nil {
		return nil, err
	}
	unit, err := scopeUnit(a, 0)
	if err != nil {
		return nil, err
	}
	db := s.read(ctx)
	q := db.Order("id DESC")
	if unit != 0 {
		q = q.Where("unit_id = ?", unit)
	}
	var rows []projectRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, dbErr(err, "")
	}
	return s.projects(db, rows)
}

// GetProject returns a project with its savings.
func (s *Service) GetProject(ctx context.Context, a *auth.Actor, id int64) (*Project, error) {
	if err := a.Require(auth.PermEnergyRead); err != nil {
		return nil, err
	}
	db := s.read(ctx)
	var row projectRow
	if err := take(db, &row, id, false, "project"); err != nil {
		return nil, err
	}
	if err := checkUnit(a, row.UnitID); err != nil {
		return nil, err
	}
	out, err := s.projects(db, []projectRow{row})
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

// CreateProject adds a project.
func (s *Service) CreateProject(ctx context.Context, a *auth.Actor, in ProjectInput) (*Project, error) {
	return s.saveProject(ctx, a, 0, in)
}

// UpdateProject changes a project.
func (s *Service) UpdateProject(ctx context.Context, a *auth.Actor, id int64, in ProjectInput) (*Project, error) {
	return s.saveProject(ctx, a, id, in)
}

func (s *Service) saveProject(ctx context.Context, a *auth.Actor, id int64, in ProjectInput) (*Project, error) {
	if err := a.Require(auth.PermEnergyWrite); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	now := s.now()
	row := &projectRow{ID: id, Name: in.Name, Kind: in.Kind, UnitID: in.UnitID, BuildingID: in.BuildingID, MeterID: in.MeterID,
		EnergyKind: in.EnergyKind, InvestmentFen: toFen(in.InvestmentYuan), Status: in.Status, StartedOn: in.StartedOn,
		CompletedOn: in.CompletedOn, CapacityKW: in.CapacityKW, BeforeAmount: in.BeforeAmount, AfterAmount: in.AfterAmount,
		Note: in.Note, CreatedBy: &a.UserID, CreatedAt: now, UpdatedAt: now}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if id != 0 {
			var old projectRow
			if err := take(tx, &old, id, true, "project"); err != nil {
				return err
			}
			row.CreatedBy, row.CreatedAt = old.CreatedBy, old.CreatedAt
		}
		if err := checkUnitExists(tx, "unit_id", in.UnitID); err != nil {
			return err
		}
		if err := checkBuildingExists(tx, "building_id", in.BuildingID); err != nil {
			return err
		}
		if err := checkProjectMeter(tx, in); err != nil {
			return err
		}
		return save(tx, row)
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "energy_project_save", fmt.Sprintf("energy_project:%d", row.ID), row.Name)
	return s.GetProject(ctx, a, row.ID)
}

// projects turns rows into Projects with names, savings and what their meters measured.
func (s *Service) projects(db *gorm.DB, rows []projectRow) ([]Project, error) {
	units, err := unitNames(db)
	if err != nil {
		return nil, err
	}
	buildings, err := buildingNames(db)
	if err != nil {
		return nil, err
	}
	set, err := loadSettings(db)
	if err != nil {
		return nil, err
	}
	coef, err := coefficients(db)
	if err != nil {
		return nil, err
	}
	co2, err := co2Factors(db, set.region())
	if err != nil {
		return nil, err
	}
	out := make([]Project, len(rows))
	for i := range rows {
		r := &rows[i]
		p := Project{ID: r.ID, Name: r.Name, Kind: r.Kind, UnitID: r.UnitID, UnitName: units[r.UnitID], BuildingID: r.BuildingID,
			MeterID: r.MeterID, EnergyKind: r.EnergyKind, InvestmentYuan: toYuan(r.InvestmentFen), Status: r.Status,
			StartedOn: r.StartedOn, CompletedOn: r.CompletedOn, CapacityKW: r.CapacityKW, BeforeAmount: r.BeforeAmount,
			AfterAmount: r.AfterAmount, Note: r.Note, Saving: saving(r, coef, co2), CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
		if r.BuildingID != nil {
			p.BuildingName = buildings[*r.BuildingID]
		}
		if r.MeterID != nil {
			m, err := s.measure(db, r, set)
			if err != nil {
				return nil, err
			}
			p.MeterName, p.Measured = m.name, m.measured
		}
		out[i] = p
	}
	return out, nil
}

type measurement struct {
	name     string
	measured *Measured
}

// measure reads the project's meter: the full months after it was completed (up to twelve, as
// far as the meter has been read) against the same calendar months a year before, so that the
// seasons cancel out; the months before are cut so that they end before the project started.
// Both as monthly averages; a window the readings do not cover is left out. For a PV project
// the months after are its generation.
func (s *Service) measure(db *gorm.DB, r *projectRow, set Settings) (measurement, error) {
	var m meterRow
	if err := db.Take(&m, *r.MeterID).Error; err != nil {
		if store.IsNotFound(err) {
			return measurement{}, nil
		}
		return measurement{}, dbErr(err, "")
	}
	out := measurement{name: m.Name, measured: &Measured{UOM: BaseUOM[m.Kind]}}
	factor, ok := toBase(m.Kind, m.UOM, set.Densities)
	done, okDone := dayIn(r.CompletedOn, s.opt.Location)
	if !ok || !okDone {
		return out, nil
	}
	last, err := latestOK(db, []int64{m.ID})
	if err != nil || len(last) == 0 {
		return out, err
	}
	loc := s.opt.Location
	after := monthStart(done).AddDate(0, 1, 0)
	n := min(12, monthsBetween(after, earliestOf(monthStart(last[m.ID].At.In(loc)), monthStart(s.opt.Now().In(loc)))))
	if began, ok := dayIn(r.StartedOn, loc); ok {
		n = min(n, monthsBetween(after.AddDate(-1, 0, 0), monthStart(began)))
	}
	if n <= 0 {
		return out, nil
	}
	afterAvg, err := monthly(db, &m, after, after.AddDate(0, n, 0), factor)
	if err != nil || afterAvg == nil {
		return out, err
	}
	out.measured.AfterMonths, out.measured.AfterMonthly = n, afterAvg
	before, err := monthly(db, &m, after.AddDate(-1, 0, 0), after.AddDate(-1, n, 0), factor)
	if err != nil || before == nil {
		return out, err
	}
	out.measured.BeforeMonths, out.measured.BeforeMonthly = n, before
	if *before > 0 {
		out.measured.SavingPct = ptr(round((*before-*out.measured.AfterMonthly) / *before * 100, 2))
	}
	return out, nil
}

// monthly is a meter's average use a month over [from, to) in base units; nil when the window
// holds no whole month or the readings do not reach both its ends.
func monthly(db *gorm.DB, m *meterRow, from, to time.Time, factor float64) (*float64, error) {
	months := monthsBetween(from, to)
	if months <= 0 {
		return nil, nil
	}
	br, err := brackets(db, []meterRow{*m}, []time.Time{from, to})
	if err != nil {
		return nil, err
	}
	b := br[m.ID]
	_, okFrom := b[0].valueAt(from)
	_, okTo := b[1].valueAt(to)
	if !okFrom || !okTo {
		return nil, nil
	}
	return ptr(round(rise(b[0], b[1], from, to)*m.Multiplier*factor/float64(months), 3)), nil
}

func earliestOf(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func checkProjectMeter(tx *gorm.DB, in ProjectInput) error {
	if in.MeterID == nil {
		return nil
	}
	m, err := metersByID(tx, []int64{*in.MeterID})
	if err != nil {
		return err
	}
	if m[*in.MeterID] == nil {
		return invalid("meter_id", "no such meter")
	}
	return nil
}

func monthStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, t.Location())
}

func monthsBetween(a, b time.Time) int {
	if !a.Before(b) {
		return 0
	}
	return (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
}

// dayIn reads a YYYY-MM-DD day as its midnight in loc.
func dayIn(s string, loc *time.Location) (time.Time, bool) {
	t, err := time.ParseInLocation(time.DateOnly, s, loc)
	return t, err == nil
}
