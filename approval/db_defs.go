package approval

import (
	"encoding/json"
	"fmt"

	"gorm.io/gorm"

	"fleet"
	"fleet/store"
)

// Definitions and approver groups.

func latestDefinitionRow(tx *gorm.DB, key string) (*definitionRow, error) {
	var r definitionRow
	err := tx.Where("`key` = ?", key).Order("version DESC").Take(&r).Error
	if err != nil {
		return nil, dbErr(err, "approval definition "+key)
	}
	return &r, nil
}

func definitionRowVersion(tx *gorm.DB, key string, version int) (*definitionRow, error) {
	var r definitionRow
	err := tx.Where("`key` = ? AND version = ?", key, version).Take(&r).Error
	if err != nil {
		return nil, dbErr(err, fmt.Sprintf("approval definition %s version %d", key, version))
	}
	return &r, nil
}

// latestDefinitionRows returns the newest version of every definition, by key.
func latestDefinitionRows(tx *gorm.DB) ([]definitionRow, error) {
	var rows []definitionRow
	err := tx.Where("version = (SELECT MAX(d2.version) FROM approval_definitions d2 WHERE d2.`key` = approval_definitions.`key`)").
		Order("`key`").Find(&rows).Error
	return rows, dbErr(err, "")
}

func insertDefinition(tx *gorm.DB, r *definitionRow) error {
	err := tx.Create(r).Error
	if store.IsDuplicate(err) {
		return fleet.Errorf(fleet.EConflict, "someone saved definition %s at the same time; reload it and try again", r.Key)
	}
	return dbErr(err, "")
}

// definitionsNaming returns the keys of definitions, in any version, whose spec mentions the group.
func definitionsNaming(tx *gorm.DB, group string) ([]string, error) {
	var rows []definitionRow
	if err := tx.Select("`key`, version, spec").Find(&rows).Error; err != nil {
		return nil, dbErr(err, "")
	}
	seen := map[string]bool{}
	var keys []string
	for _, r := range rows {
		var sp spec
		if json.Unmarshal([]byte(r.Spec), &sp) != nil {
			continue
		}
		for _, st := range sp.Steps {
			if st.Approvers.Type == ApproverGroup && st.Approvers.Group == group && !seen[r.Key] {
				seen[r.Key] = true
				keys = append(keys, r.Key)
			}
		}
	}
	return keys, nil
}

// Groups.

func groupRowByKey(tx *gorm.DB, key string) (*groupRow, error) {
	var r groupRow
	if err := tx.Where("`key` = ?", key).Take(&r).Error; err != nil {
		return nil, dbErr(err, "approval group "+key)
	}
	return &r, nil
}

func groupRowByID(tx *gorm.DB, id int64) (*groupRow, error) {
	var r groupRow
	if err := tx.Take(&r, id).Error; err != nil {
		return nil, dbErr(err, "approval group")
	}
	return &r, nil
}

func groupRows(tx *gorm.DB) ([]groupRow, error) {
	var rows []groupRow
	return rows, dbErr(tx.Order("id").Find(&rows).Error, "")
}

func groupKeysExist(tx *gorm.DB, keys []string) (map[string]bool, error) {
	have := map[string]bool{}
	if len(keys) == 0 {
		return have, nil
	}
	var got []string
	if err := tx.Model(&groupRow{}).Where("`key` IN ?", keys).Pluck("key", &got).Error; err != nil {
		return nil, dbErr(err, "")
	}
	for _, k := range got {
		have[k] = true
	}
	return have, nil
}

func insertGroup(tx *gorm.DB, r *groupRow) error {
	err := tx.Create(r).Error
	if store.IsDuplicate(err) {
		return &fleet.Error{Code: fleet.EConflict, Message: "a group with this key already exists", Fields: map[string]string{"key": "already exists"}}
	}
	return dbErr(err, "")
}

func saveGroup(tx *gorm.DB, r *groupRow) error {
	err := tx.Save(r).Error
	if store.IsDuplicate(err) {
		return &fleet.Error{Code: fleet.EConflict, Message: "a group with this key already exists", Fields: map[string]string{"key": "already exists"}}
	}
	return dbErr(err, "")
}

func deleteGroup(tx *gorm.DB, id int64) error {
	if err := tx.Where("group_id = ?", id).Delete(&memberRow{}).Error; err != nil {
		return dbErr(err, "")
	}
	return dbErr(tx.Delete(&groupRow{}, id).Error, "")
}

// setMembers replaces the group's members.
func setMembers(tx *gorm.DB, groupID int64, userIDs []int64) error {
	if err := tx.Where("group_id = ?", groupID).Delete(&memberRow{}).Error; err != nil {
		return dbErr(err, "")
	}
	return addMembers(tx, groupID, userIDs)
}

// addMembers adds the users that are not members yet.
func addMembers(tx *gorm.DB, groupID int64, userIDs []int64) error {
	if len(userIDs) == 0 {
		return nil
	}
	var have []int64
	if err := tx.Model(&memberRow{}).Where("group_id = ?", groupID).Pluck("user_id", &have).Error; err != nil {
		return dbErr(err, "")
	}
	in := map[int64]bool{}
	for _, id := range have {
		in[id] = true
	}
	var rows []memberRow
	for _, id := range userIDs {
		if !in[id] {
			in[id] = true
			rows = append(rows, memberRow{GroupID: groupID, UserID: id})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	return dbErr(tx.Create(&rows).Error, "group member")
}

// groupMembers returns the members of the groups, by group id.
func groupMembers(tx *gorm.DB, groupIDs []int64) (map[int64][]Member, error) {
	out := map[int64][]Member{}
	if len(groupIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		GroupID int64
		Member
	}
	err := tx.Table("approval_group_members m").
		Select("m.group_id, users.id, users.name, users.username, users.unit_id, users.disabled").
		Joins("JOIN users ON users.id = m.user_id").Where("m.group_id IN ?", groupIDs).
		Order("m.group_id, users.id").Scan(&rows).Error
	if err != nil {
		return nil, dbErr(err, "")
	}
	for _, r := range rows {
		out[r.GroupID] = append(out[r.GroupID], r.Member)
	}
	return out, nil
}
