package approval

import (
	"gorm.io/gorm"

	"fleet/store"
)

// Users: read only, through the caller's transaction (auth owns the table).

const userInfoColumns = "users.id, users.name, users.username, users.role, users.unit_id, users.disabled"

func usersByID(tx *gorm.DB, ids []int64) (map[int64]userInfo, error) {
	out := map[int64]userInfo{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []userInfo
	if err := tx.Table("users").Select(userInfoColumns).Where("id IN ?", ids).Scan(&rows).Error; err != nil {
		return nil, dbErr(err, "")
	}
	for _, u := range rows {
		out[u.ID] = u
	}
	return out, nil
}

// enabledUsers returns the enabled users of a role, of a unit when unitID is not 0.
func enabledUsers(tx *gorm.DB, role string, unitID int64) ([]userInfo, error) {
	q := tx.Table("users").Select(userInfoColumns).Where("role = ? AND disabled = ?", role, false)
	if unitID != 0 {
		q = q.Where("unit_id = ?", unitID)
	}
	var rows []userInfo
	return rows, dbErr(q.Order("id").Scan(&rows).Error, "")
}

// enabledGroupMembers returns the enabled members of the group with key.
func enabledGroupMembers(tx *gorm.DB, key string) ([]userInfo, error) {
	var rows []userInfo
	err := tx.Table("approval_group_members m").Select(userInfoColumns).
		Joins("JOIN approval_groups g ON g.id = m.group_id").Joins("JOIN users ON users.id = m.user_id").
		Where("g.`key` = ? AND users.disabled = ?", key, false).Order("users.id").Scan(&rows).Error
	return rows, dbErr(err, "")
}

// userIDByUsername returns the id of the user, or 0 when there is none.
func userIDByUsername(tx *gorm.DB, username string) (int64, error) {
	var ids []int64
	err := tx.Table("users").Where("username = ? AND disabled = ?", username, false).Limit(1).Pluck("id", &ids).Error
	if err != nil || len(ids) == 0 {
		return 0, dbErr(err, "")
	}
	return ids[0], nil
}

// candidateUsers returns enabled users of the roles, less skip, matching query when not empty.
func candidateUsers(tx *gorm.DB, roles []string, skip []int64, query string, limit int) ([]Member, error) {
	q := tx.Table("users").Select("id, name, username, unit_id, disabled").
		Where("disabled = ? AND role IN ? AND id NOT IN ?", false, roles, skip)
	if query != "" {
		like := store.Like(query)
		q = q.Where("name LIKE ? ESCAPE '!' OR username LIKE ? ESCAPE '!'", like, like)
	}
	out := []Member{}
	return out, dbErr(q.Order("name, id").Limit(limit).Scan(&out).Error, "")
}
