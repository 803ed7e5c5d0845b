package energy

import (
	"gorm.io/gorm"

	"fleet/store"
)

// userCounts is the number of enabled users per unit (auth owns the table).
func userCounts(tx *gorm.DB) (map[int64]int, error) {
	var rows []struct {
		UnitID int64
		N      int
	}
	err := tx.Table("users").Select("unit_id, COUNT(*) AS n").Where("disabled = ?", false).Group("unit_id").Scan(&rows).Error
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.UnitID] = r.N
	}
	return out, dbErr(err, "")
}

func energyUnitRows(tx *gorm.DB) (map[int64]energyUnitRow, error) {
	var rows []energyUnitRow
	if err := tx.Find(&rows).Error; err != nil {
		return nil, dbErr(err, "")
	}
	out := make(map[int64]energyUnitRow, len(rows))
	for _, r := range rows {
		out[r.UnitID] = r
	}
	return out, nil
}

func energyUnitRowOf(tx *gorm.DB, unit int64) (energyUnitRow, error) {
	var r energyUnitRow
	err := tx.Clauses(lockingClause(tx)...).Take(&r, "unit_id = ?", unit).Error
	if store.IsNotFound(err) {
		return energyUnitRow{UnitID: unit}, nil
	}
	return r, dbErr(err, "")
}

// ledgerAreas derives each unit's share of the buildings' floor area from the office ledger:
// a building's area (建筑面积, else its usable area) is split among the units by the usable area
// of the rooms they hold now, so shared corridors, halls and vacant rooms are shared out in the
// same proportion. Returns dm² per unit.
func ledgerAreas(tx *gorm.DB) (map[int64]int64, error) {
	var held []struct {
		UnitID     int64
		RoomID     int64
		BuildingID int64
		AreaDm2    int64
	}
	err := tx.Table("office_assignments AS a").Distinct("a.unit_id, a.room_id, r.building_id, r.area_dm2").
		Joins("JOIN office_rooms AS r ON r.id = a.room_id").Where("a.end_at IS NULL").Scan(&held).Error
	if err != nil {
		return nil, dbErr(err, "")
	}
	buildings, err := allBuildings(tx)
	if err != nil {
		return nil, err
	}
	area := make(map[int64]int64, len(buildings))
	for _, b := range buildings {
		area[b.ID] = b.area()
	}
	perBuilding := map[int64]int64{}
	for _, h := range held {
		perBuilding[h.BuildingID] += h.AreaDm2
	}
	out := map[int64]float64{}
	for _, h := range held {
		if total := perBuilding[h.BuildingID]; total > 0 {
			out[h.UnitID] += float64(area[h.BuildingID]) * float64(h.AreaDm2) / float64(total)
		}
	}
	res := make(map[int64]int64, len(out))
	for u, v := range out {
		res[u] = int64(v + 0.5)
	}
	return res, nil
}

func allUnits(tx *gorm.DB) ([]unitRow, error) {
	var rows []unitRow
	err := tx.Select("id, name, code").Order("id").Find(&rows).Error
	return rows, dbErr(err, "")
}
