package energy

import (
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"fleet/store"
)

// settingsKey is the energy_settings row that holds Settings as JSON.
const settingsKey = "settings"

// loadSettings reads the settings over the defaults (a field never saved keeps its default).
func loadSettings(tx *gorm.DB) (Settings, error) {
	set := DefaultSettings()
	var row settingRow
	err := tx.Take(&row, "`key` = ?", settingsKey).Error
	if store.IsNotFound(err) {
		return set, nil
	}
	if err != nil {
		return set, dbErr(err, "")
	}
	if err := json.Unmarshal([]byte(row.Value), &set); err != nil {
		return DefaultSettings(), fmt.Errorf("energy: stored settings: %w", err)
	}
	return set, nil
}

func saveSettings(tx *gorm.DB, set Settings, by int64, now time.Time) error {
	b, err := json.Marshal(set)
	if err != nil {
		return err
	}
	row := settingRow{Key: settingsKey, Value: string(b), UpdatedBy: &by, UpdatedAt: now}
	return dbErr(tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&row).Error, "")
}

func coefficientRows(tx *gorm.DB) ([]coefficientRow, error) {
	var rows []coefficientRow
	err := tx.Order("id").Find(&rows).Error
	return rows, dbErr(err, "")
}

// coefficients maps kind to kgce per base unit.
func coefficients(tx *gorm.DB) (map[string]float64, error) {
	rows, err := coefficientRows(tx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]float64, len(rows))
	for _, r := range rows {
		out[r.Kind] = r.Value
	}
	return out, nil
}

func upsertCoefficient(tx *gorm.DB, row *coefficientRow) error {
	var old coefficientRow
	err := tx.Clauses(lockingClause(tx)...).Where("kind = ?", row.Kind).Take(&old).Error
	if err == nil {
		row.ID, row.CreatedAt = old.ID, old.CreatedAt
		return save(tx, row)
	}
	if !store.IsNotFound(err) {
		return dbErr(err, "")
	}
	return insert(tx, row)
}

func co2Rows(tx *gorm.DB) ([]co2Row, error) {
	var rows []co2Row
	err := tx.Order("kind, region, id").Find(&rows).Error
	return rows, dbErr(err, "")
}

// co2Factors maps kind to the kg CO2 per base unit the figures use in region.
func co2Factors(tx *gorm.DB, region string) (map[string]float64, error) {
	rows, err := co2Rows(tx)
	if err != nil {
		return nil, err
	}
	use := co2InUse(rows, region)
	out := map[string]float64{}
	for _, r := range rows {
		if use[r.Kind] == r.ID {
			out[r.Kind] = r.Value
		}
	}
	return out, nil
}

func upsertCO2(tx *gorm.DB, row *co2Row) error {
	var old co2Row
	err := tx.Clauses(lockingClause(tx)...).Where("kind = ? AND region = ?", row.Kind, row.Region).Take(&old).Error
	if err == nil {
		row.ID, row.CreatedAt = old.ID, old.CreatedAt
		return save(tx, row)
	}
	if !store.IsNotFound(err) {
		return dbErr(err, "")
	}
	return insert(tx, row)
}
