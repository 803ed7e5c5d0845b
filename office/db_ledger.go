package office

import (
	"gorm.io/gorm"

	"fleet"
	"fleet/store"
)

// --- buildings ---------------------------------------------------------------------------------

func insertBuilding(tx *gorm.DB, r *buildingRow) error { return buildingDupErr(tx.Create(r).Error) }

func saveBuilding(tx *gorm.DB, r *buildingRow) error { return buildingDupErr(tx.Save(r).Error) }

func buildingDupErr(err error) error {
	if store.IsDuplicate(err) {
		return &fleet.Error{Code: fleet.EConflict, Message: "a building with this name exists", Fields: map[string]string{"name": "already exists"}}
	}
	return dbErr(err, "")
}

type buildingStat struct {
	rooms int
	dm2   int64
}

// buildingStats counts every building's rooms and their area.
func buildingStats(db *gorm.DB) (map[int64]buildingStat, error) {
	var rows []struct {
		BuildingID int64
		Rooms      int
		Dm2        int64
	}
	err := db.Model(&roomRow{}).Select("building_id, COUNT(*) AS rooms, COALESCE(SUM(area_dm2), 0) AS dm2").Group("building_id").Scan(&rows).Error
	if err != nil {
		return nil, dbErr(err, "")
	}
	out := make(map[int64]buildingStat, len(rows))
	for _, r := range rows {
		out[r.BuildingID] = buildingStat{r.Rooms, r.Dm2}
	}
	return out, nil
}

// roomTotals returns the area of a building's rooms (less the room except) and its highest floor.
func roomTotals(tx *gorm.DB, buildingID, except int64) (int64, int, error) {
	var r struct {
		Dm2 int64
		Top int
	}
	// Summed over rows read with a lock, for the same reason as activeOfUser.
	var rows []roomRow
	err := tx.Clauses(lockingClause(tx)...).Select("id, area_dm2, floor").Where("building_id = ? AND id <> ?", buildingID, except).Find(&rows).Error
	for _, x := range rows {
		r.Dm2 += x.AreaDm2
		r.Top = max(r.Top, x.Floor)
	}
	return r.Dm2, r.Top, dbErr(err, "")
}

func listBuildings(db *gorm.DB, p fleet.Page, only []int64) ([]buildingRow, int64, error) {
	q := db.Model(&buildingRow{})
	if only != nil {
		q = q.Where("id IN ?", only)
	}
	if p.Query != "" {
		like := store.Like(p.Query)
		q = q.Where("name LIKE ? ESCAPE '!' OR address LIKE ? ESCAPE '!'", like, like)
	}
	var total int64
	if err := q.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, dbErr(err, "")
	}
	var rows []buildingRow
	err := q.Order("name").Limit(p.Limit).Offset(p.Offset).Find(&rows).Error
	return rows, total, dbErr(err, "")
}

func allBuildings(db *gorm.DB) ([]buildingRow, error) {
	var rows []buildingRow
	return rows, dbErr(db.Order("name").Find(&rows).Error, "")
}

func buildingByName(tx *gorm.DB, name string) (*buildingRow, error) {
	var b buildingRow
	err := tx.Clauses(lockingClause(tx)...).Where("name = ?", name).Take(&b).Error
	if store.IsNotFound(err) {
		return nil, nil
	}
	return &b, dbErr(err, "")
}

// buildingIDsOfUnit returns the buildings where a unit holds a room or has a person.
func buildingIDsOfUnit(db *gorm.DB, unit int64) ([]int64, error) {
	var ids []int64
	err := db.Model(&roomRow{}).Distinct("office_rooms.building_id").
		Joins("JOIN office_assignments a ON a.room_id = office_rooms.id AND a.end_at IS NULL").
		Where("a.unit_id = ?", unit).Pluck("office_rooms.building_id", &ids).Error
	return ids, dbErr(err, "")
}

func buildingNames(db *gorm.DB) (map[int64]string, error) {
	var rows []buildingRow
	if err := db.Select("id, name").Find(&rows).Error; err != nil {
		return nil, dbErr(err, "")
	}
	out := make(map[int64]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}

// --- rooms -------------------------------------------------------------------------------------

func insertRoom(tx *gorm.DB, r *roomRow) error { return roomDupErr(tx.Create(r).Error) }

func saveRoom(tx *gorm.DB, r *roomRow) error { return roomDupErr(tx.Save(r).Error) }

func roomDupErr(err error) error {
	if store.IsDuplicate(err) {
		return &fleet.Error{Code: fleet.EConflict, Message: "the building has a room with this number", Fields: map[string]string{"number": "already exists in the building"}}
	}
	return dbErr(err, "")
}

func roomByNumber(tx *gorm.DB, buildingID int64, number string) (*roomRow, error) {
	var r roomRow
	err := tx.Clauses(lockingClause(tx)...).Where("building_id = ? AND number = ?", buildingID, number).Take(&r).Error
	if store.IsNotFound(err) {
		return nil, nil
	}
	return &r, dbErr(err, "")
}

// lockRooms reads rooms by id, locked for the transaction, in id order (so that two
// transactions lock them in the same order).
func lockRooms(tx *gorm.DB, ids []int64) (map[int64]*roomRow, error) {
	var rows []roomRow
	if err := tx.Clauses(lockingClause(tx)...).Where("id IN ?", uniq(ids)).Order("id").Find(&rows).Error; err != nil {
		return nil, dbErr(err, "")
	}
	out := make(map[int64]*roomRow, len(rows))
	for i := range rows {
		out[rows[i].ID] = &rows[i]
	}
	return out, nil
}

func allRooms(db *gorm.DB) ([]roomRow, error) {
	var rows []roomRow
	return rows, dbErr(db.Order("building_id, floor, number").Find(&rows).Error, "")
}

const activeExists = "EXISTS (SELECT 1 FROM office_assignments a WHERE a.room_id = office_rooms.id AND a.end_at IS NULL"

func listRooms(db *gorm.DB, q RoomQuery) ([]roomRow, int64, error) {
	m := db.Model(&roomRow{})
	if q.BuildingID != 0 {
		m = m.Where("building_id = ?", q.BuildingID)
	}
	if q.Floor != 0 {
		m = m.Where("floor = ?", q.Floor)
	}
	if q.Use != "" {
		m = m.Where("`use` = ?", q.Use) // USE is a reserved word of MySQL
	}
	if q.UnitID != 0 {
		m = m.Where(activeExists+" AND a.unit_id = ?)", q.UnitID)
	}
	if q.Vacant != nil {
		if *q.Vacant {
			m = m.Where("NOT " + activeExists + ")")
		} else {
			m = m.Where(activeExists + ")")
		}
	}
	if q.Query != "" {
		m = m.Where("number LIKE ? ESCAPE '!'", store.Like(q.Query))
	}
	var total int64
	if err := m.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, dbErr(err, "")
	}
	var rows []roomRow
	err := m.Order("building_id, floor, number").Limit(q.Limit).Offset(q.Offset).Find(&rows).Error
	return rows, total, dbErr(err, "")
}

// --- assignments -------------------------------------------------------------------------------

// activeAssignments returns the active assignments of the rooms (nil: of every room), locked
// when lock is set.
func activeAssignments(tx *gorm.DB, roomIDs []int64, lock bool) ([]assignmentRow, error) {
	q := tx.Where("end_at IS NULL")
	if roomIDs != nil {
		if len(roomIDs) == 0 {
			return nil, nil
		}
		q = q.Where("room_id IN ?", uniq(roomIDs))
	}
	if lock {
		q = q.Clauses(lockingClause(tx)...)
	}
	var rows []assignmentRow
	return rows, dbErr(q.Order("id").Find(&rows).Error, "")
}

// activeOfUser returns a person's active assignments. The read locks (on MySQL), so that it sees
// what a transaction that held the person's lock before this one committed, not this
// transaction's older snapshot.
func activeOfUser(tx *gorm.DB, userID int64) ([]assignmentRow, error) {
	var rows []assignmentRow
	err := tx.Clauses(lockingClause(tx)...).Where("end_at IS NULL AND user_id = ?", userID).Order("id").Find(&rows).Error
	return rows, dbErr(err, "")
}

func endAssignmentRow(tx *gorm.DB, r *assignmentRow) error {
	return dbErr(tx.Model(&assignmentRow{}).Where("id = ?", r.ID).Updates(map[string]any{"end_at": r.EndAt, "end_reason": r.EndReason}).Error, "")
}

func listAssignments(db *gorm.DB, q AssignmentQuery) ([]assignmentRow, int64, error) {
	m := db.Model(&assignmentRow{})
	if q.RoomID != 0 {
		m = m.Where("room_id = ?", q.RoomID)
	}
	if q.UnitID != 0 {
		m = m.Where("unit_id = ?", q.UnitID)
	}
	if q.UserID != 0 {
		m = m.Where("user_id = ?", q.UserID)
	}
	if q.Active != nil {
		if *q.Active {
			m = m.Where("end_at IS NULL")
		} else {
			m = m.Where("end_at IS NOT NULL")
		}
	}
	var total int64
	if err := m.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, dbErr(err, "")
	}
	var rows []assignmentRow
	err := m.Order("id DESC").Limit(q.Limit).Offset(q.Offset).Find(&rows).Error
	return rows, total, dbErr(err, "")
}

func roomsByID(tx *gorm.DB, ids []int64) (map[int64]*roomRow, error) {
	out := map[int64]*roomRow{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []roomRow
	if err := tx.Where("id IN ?", uniq(ids)).Find(&rows).Error; err != nil {
		return nil, dbErr(err, "")
	}
	for i := range rows {
		out[rows[i].ID] = &rows[i]
	}
	return out, nil
}

// --- history -----------------------------------------------------------------------------------

func listChanges(db *gorm.DB, q HistoryQuery) ([]changeRow, int64, error) {
	m := db.Model(&changeRow{})
	if q.BuildingID != 0 {
		m = m.Where("building_id = ?", q.BuildingID)
	}
	if q.RoomID != 0 {
		m = m.Where("room_id = ?", q.RoomID)
	}
	if q.UnitID != 0 {
		m = m.Where("unit_id = ?", q.UnitID)
	}
	if q.UserID != 0 {
		m = m.Where("user_id = ?", q.UserID)
	}
	if q.Subject != "" {
		m = m.Where("subject = ?", q.Subject)
	}
	var total int64
	if err := m.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, dbErr(err, "")
	}
	var rows []changeRow
	err := m.Order("id DESC").Limit(q.Limit).Offset(q.Offset).Find(&rows).Error
	return rows, total, dbErr(err, "")
}

// pageAll reads every row (gorm leaves out LIMIT for -1): reports and floor plans.
var pageAll = fleet.Page{Limit: -1}
