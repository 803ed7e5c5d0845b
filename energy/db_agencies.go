package energy

import (
	"time"

	"gorm.io/gorm"

	"fleet/store"
)

type agencyRow struct {
	ID          int64
	UnitID      int64
	EnrolledOn  string
	Status      string
	Score       *float64
	EvaluatedOn string
	DecidedOn   string
	Note        string
	CreatedBy   *int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (agencyRow) TableName() string { return "energy_agencies" }

type criterionRow struct {
	ID        int64
	Code      string
	Name      string
	MaxScore  float64
	Position  int
	Source    string
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (criterionRow) TableName() string { return "energy_agency_criteria" }

func (r *criterionRow) criterion() Criterion {
	return Criterion{Code: r.Code, Name: r.Name, MaxScore: r.MaxScore, Position: r.Position, Source: r.Source}
}

type scoreRow struct {
	ID        int64
	AgencyID  int64
	Code      string
	Score     float64
	Note      string
	UpdatedBy *int64
	UpdatedAt time.Time
}

func (scoreRow) TableName() string { return "energy_agency_scores" }

func agencyRows(tx *gorm.DB) ([]agencyRow, error) {
	var rows []agencyRow
	err := tx.Order("enrolled_on, id").Find(&rows).Error
	return rows, dbErr(err, "")
}

func criterionRows(tx *gorm.DB) ([]criterionRow, error) {
	var rows []criterionRow
	err := tx.Order("position, id").Find(&rows).Error
	return rows, dbErr(err, "")
}

func criteriaByCode(tx *gorm.DB) (map[string]Criterion, error) {
	rows, err := criterionRows(tx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]Criterion, len(rows))
	for _, r := range rows {
		out[r.Code] = r.criterion()
	}
	return out, nil
}

func upsertScore(tx *gorm.DB, row *scoreRow) error {
	var old scoreRow
	err := tx.Where("agency_id = ? AND code = ?", row.AgencyID, row.Code).Take(&old).Error
	if err == nil {
		row.ID = old.ID
		return save(tx, row)
	}
	if !store.IsNotFound(err) {
		return dbErr(err, "")
	}
	return insert(tx, row)
}

// scoreTotal sums an agency's scores on the checklist's items and counts the items scored.
func scoreTotal(tx *gorm.DB, agency int64, crit map[string]Criterion) (float64, int, error) {
	rows, err := scoresOf(tx, []int64{agency})
	if err != nil {
		return 0, 0, err
	}
	total, n := 0.0, 0
	for _, r := range rows[agency] {
		if _, ok := crit[r.Code]; ok {
			total += r.Score
			n++
		}
	}
	return round(total, 2), n, nil
}

func scoresOf(tx *gorm.DB, agencies []int64) (map[int64][]scoreRow, error) {
	out := map[int64][]scoreRow{}
	if len(agencies) == 0 {
		return out, nil
	}
	var rows []scoreRow
	if err := tx.Where("agency_id IN ?", agencies).Find(&rows).Error; err != nil {
		return nil, dbErr(err, "")
	}
	for _, r := range rows {
		out[r.AgencyID] = append(out[r.AgencyID], r)
	}
	return out, nil
}

// agencies turns rows into Agencies with unit names and the checklist's scores.
func (s *Service) agencies(db *gorm.DB, rows []agencyRow) ([]Agency, error) {
	names, err := unitNames(db)
	if err != nil {
		return nil, err
	}
	crit, err := criterionRows(db)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	scores, err := scoresOf(db, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Agency, len(rows))
	for i, r := range rows {
		by := map[string]scoreRow{}
		for _, sc := range scores[r.ID] {
			by[sc.Code] = sc
		}
		ag := Agency{ID: r.ID, UnitID: r.UnitID, UnitName: names[r.UnitID], EnrolledOn: r.EnrolledOn, Status: r.Status, Score: r.Score,
			EvaluatedOn: r.EvaluatedOn, DecidedOn: r.DecidedOn, Note: r.Note, Scores: []Score{},
			CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
		for _, c := range crit {
			sc := Score{Code: c.Code, Name: c.Name, MaxScore: c.MaxScore}
			if got, ok := by[c.Code]; ok {
				sc.Score, sc.Note = ptr(got.Score), got.Note
			}
			ag.Scores = append(ag.Scores, sc)
		}
		out[i] = ag
	}
	return out, nil
}
