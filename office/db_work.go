package office

import (
	"time"

	"gorm.io/gorm"
)

// --- departures --------------------------------------------------------------------------------

type departureRow struct {
	ID          int64
	UserID      int64
	UnitID      int64
	Kind        string
	LeftOn      string
	DueOn       string
	RecoveredAt *time.Time
	Note        string
	CreatedBy   *int64
	CreatedAt   time.Time
}

func (departureRow) TableName() string { return "office_departures" }

func openDepartures(tx *gorm.DB, userID int64) ([]departureRow, error) {
	var rows []departureRow
	err := tx.Clauses(lockingClause(tx)...).Where("user_id = ? AND recovered_at IS NULL", userID).Order("id").Find(&rows).Error
	return rows, dbErr(err, "")
}

func openDepartureUsers(db *gorm.DB) (map[int64]bool, error) {
	var ids []int64
	if err := db.Model(&departureRow{}).Where("recovered_at IS NULL").Pluck("user_id", &ids).Error; err != nil {
		return nil, dbErr(err, "")
	}
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

func departuresByID(db *gorm.DB, ids []int64) ([]departureRow, error) {
	var rows []departureRow
	if len(ids) == 0 {
		return rows, nil
	}
	return rows, dbErr(db.Where("id IN ?", ids).Order("id DESC").Find(&rows).Error, "")
}

func listDepartures(db *gorm.DB, q DepartureQuery, today string) ([]departureRow, int64, error) {
	m := db.Model(&departureRow{})
	if q.UnitID != 0 {
		m = m.Where("unit_id = ?", q.UnitID)
	}
	if q.Open || q.Overdue {
		m = m.Where("recovered_at IS NULL")
	}
	if q.Overdue {
		m = m.Where("due_on < ?", today)
	}
	var total int64
	if err := m.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, dbErr(err, "")
	}
	var rows []departureRow
	err := m.Order("id DESC").Limit(q.Limit).Offset(q.Offset).Find(&rows).Error
	return rows, total, dbErr(err, "")
}

// heldRoomLabels returns the rooms each person holds now, as "主楼 301".
func heldRoomLabels(db *gorm.DB, userIDs []int64) (map[int64][]string, error) {
	out := map[int64][]string{}
	if len(userIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		UserID   int64
		Building string
		Number   string
	}
	err := db.Table("office_assignments a").Select("a.user_id, b.name AS building, r.number").
		Joins("JOIN office_rooms r ON r.id = a.room_id").Joins("JOIN office_buildings b ON b.id = r.building_id").
		Where("a.end_at IS NULL AND a.user_id IN ?", uniq(userIDs)).Order("a.id").Scan(&rows).Error
	if err != nil {
		return nil, dbErr(err, "")
	}
	for _, r := range rows {
		out[r.UserID] = append(out[r.UserID], label(r.Building, r.Number))
	}
	return out, nil
}

// --- reallocations -----------------------------------------------------------------------------

type reallocationRow struct {
	ID          int64
	Kind        string
	UnitID      int64
	ApplicantID int64
	Reason      string
	AreaDm2     int64
	Status      string
	ApprovalID  *int64
	AppliedAt   *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (reallocationRow) TableName() string { return "office_reallocations" }

type reallocationItemRow struct {
	ID             int64
	ReallocationID int64
	Line           int
	RoomID         int64
	FromRoomID     *int64
	UserID         *int64
	Post           string
}

func (reallocationItemRow) TableName() string { return "office_reallocation_items" }

func insertReallocation(tx *gorm.DB, r *reallocationRow, items []reallocationItemRow) error {
	if err := insert(tx, r); err != nil {
		return err
	}
	for i := range items {
		items[i].ReallocationID = r.ID
	}
	return insert(tx, &items)
}

// setReallocationApproval records the instance of a reallocation (its status is the hook's).
func setReallocationApproval(tx *gorm.DB, id, approvalID int64) error {
	return dbErr(tx.Model(&reallocationRow{}).Where("id = ?", id).Update("approval_id", approvalID).Error, "")
}

func saveReallocation(tx *gorm.DB, r *reallocationRow) error { return save(tx, r) }

func reallocationItems(db *gorm.DB, id int64) ([]reallocationItemRow, error) {
	var rows []reallocationItemRow
	return rows, dbErr(db.Where("reallocation_id = ?", id).Order("line").Find(&rows).Error, "")
}

// pendingRooms maps each room in a pending reallocation to that reallocation.
func pendingRooms(tx *gorm.DB) (map[int64]int64, error) {
	var rows []reallocationItemRow
	err := tx.Table("office_reallocation_items i").Clauses(lockingClause(tx)...).Select("i.room_id, i.reallocation_id").
		Joins("JOIN office_reallocations r ON r.id = i.reallocation_id").Where("r.status IN ?", []string{StatusPending, StatusReturned}).
		Scan(&rows).Error
	if err != nil {
		return nil, dbErr(err, "")
	}
	out := make(map[int64]int64, len(rows))
	for _, r := range rows {
		out[r.RoomID] = r.ReallocationID
	}
	return out, nil
}

func listReallocations(db *gorm.DB, q ReallocationQuery) ([]reallocationRow, int64, error) {
	m := db.Model(&reallocationRow{})
	if q.UnitID != 0 {
		m = m.Where("unit_id = ?", q.UnitID)
	}
	if q.Status != "" {
		m = m.Where("status = ?", q.Status)
	}
	var total int64
	if err := m.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, dbErr(err, "")
	}
	var rows []reallocationRow
	err := m.Order("id DESC").Limit(q.Limit).Offset(q.Offset).Find(&rows).Error
	return rows, total, dbErr(err, "")
}

// --- clearances --------------------------------------------------------------------------------

type clearanceRow struct {
	ID        int64
	RoomID    int64
	UnitID    int64
	Reason    string
	DueOn     string
	Status    string
	DoneAt    *time.Time
	Note      string
	CreatedBy *int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (clearanceRow) TableName() string { return "office_clearances" }

// openClearance returns the open clearance of a room, or 0.
func openClearance(tx *gorm.DB, roomID int64) (int64, error) {
	var ids []int64
	err := tx.Model(&clearanceRow{}).Clauses(lockingClause(tx)...).Where("room_id = ? AND status = ?", roomID, ClearanceOpen).Pluck("id", &ids).Error
	if err != nil || len(ids) == 0 {
		return 0, dbErr(err, "")
	}
	return ids[0], nil
}

func listClearances(db *gorm.DB, q ClearanceQuery, today string) ([]clearanceRow, int64, error) {
	m := db.Model(&clearanceRow{})
	if q.UnitID != 0 {
		m = m.Where("unit_id = ?", q.UnitID)
	}
	if q.Status != "" {
		m = m.Where("status = ?", q.Status)
	}
	if q.Overdue {
		m = m.Where("status = ? AND due_on < ?", ClearanceOpen, today)
	}
	var total int64
	if err := m.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, dbErr(err, "")
	}
	var rows []clearanceRow
	err := m.Order("id DESC").Limit(q.Limit).Offset(q.Offset).Find(&rows).Error
	return rows, total, dbErr(err, "")
}
