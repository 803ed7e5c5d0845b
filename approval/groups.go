package approval

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// ListGroups returns every approver group with its members.
func (s *Service) ListGroups(ctx context.Context, a *auth.Actor) ([]Group, error) {
	if err := a.Require(auth.PermApprovalDefsRead); err != nil {
		return nil, err
	}
	tx := s.db.WithContext(ctx)
	rows, err := groupRows(tx)
	if err != nil {
		return nil, err
	}
	return withMembers(tx, rows)
}

// GetGroup returns one group with its members.
func (s *Service) GetGroup(ctx context.Context, a *auth.Actor, id int64) (*Group, error) {
	if err := a.Require(auth.PermApprovalDefsRead); err != nil {
		return nil, err
	}
	return getGroup(s.db.WithContext(ctx), id)
}

// CreateGroup adds a group (409 when the key exists).
func (s *Service) CreateGroup(ctx context.Context, a *auth.Actor, in GroupInput) (*Group, error) {
	if err := a.Require(auth.PermApprovalDefsWrite); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	now := s.now()
	var out *Group
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := checkMembers(tx, in.MemberIDs); err != nil {
			return err
		}
		row := &groupRow{Key: in.Key, Name: in.Name, CreatedAt: now, UpdatedAt: now}
		if err := insertGroup(tx, row); err != nil {
			return err
		}
		if err := setMembers(tx, row.ID, in.MemberIDs); err != nil {
			return err
		}
		var err error
		out, err = getGroup(tx, row.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "approval_group_create", groupTarget(out.ID), groupDetail(out))
	return out, nil
}

// UpdateGroup renames a group and replaces its members. A key that definitions name cannot change.
func (s *Service) UpdateGroup(ctx context.Context, a *auth.Actor, id int64, in GroupInput) (*Group, error) {
	if err := a.Require(auth.PermApprovalDefsWrite); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	now := s.now()
	var out *Group
	err := s.tx(ctx, func(tx *gorm.DB) error {
		row, err := groupRowByID(tx, id)
		if err != nil {
			return err
		}
		if row.Key != in.Key {
			if err := notNamed(tx, row.Key, "its key cannot change"); err != nil {
				return err
			}
		}
		if err := checkMembers(tx, in.MemberIDs); err != nil {
			return err
		}
		row.Key, row.Name, row.UpdatedAt = in.Key, in.Name, now
		if err := saveGroup(tx, row); err != nil {
			return err
		}
		if err := setMembers(tx, id, in.MemberIDs); err != nil {
			return err
		}
		out, err = getGroup(tx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "approval_group_update", groupTarget(id), groupDetail(out))
	return out, nil
}

// DeleteGroup removes a group that no definition names (409 otherwise).
func (s *Service) DeleteGroup(ctx context.Context, a *auth.Actor, id int64) error {
	if err := a.Require(auth.PermApprovalDefsWrite); err != nil {
		return err
	}
	var key string
	err := s.tx(ctx, func(tx *gorm.DB) error {
		row, err := groupRowByID(tx, id)
		if err != nil {
			return err
		}
		key = row.Key
		if err := notNamed(tx, row.Key, "it cannot be deleted"); err != nil {
			return err
		}
		return deleteGroup(tx, id)
	})
	if err != nil {
		return err
	}
	s.record(ctx, a, "approval_group_delete", groupTarget(id), "key="+key)
	return nil
}

// AddGroupMembers adds users to the group with key, keeping its members; adding a member twice
// is no change. Demo seeding uses it.
func (s *Service) AddGroupMembers(ctx context.Context, a *auth.Actor, key string, userIDs ...int64) error {
	if err := a.Require(auth.PermApprovalDefsWrite); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		row, err := groupRowByKey(tx, key)
		if err != nil {
			return err
		}
		if err := checkMembers(tx, userIDs); err != nil {
			return err
		}
		return addMembers(tx, row.ID, userIDs)
	})
}

// notNamed refuses when a definition names the group.
func notNamed(tx *gorm.DB, key, what string) error {
	keys, err := definitionsNaming(tx, key)
	if err != nil {
		return err
	}
	if len(keys) > 0 {
		sort.Strings(keys)
		return fleet.Errorf(fleet.EConflict, "definitions %s name group %s, so %s", strings.Join(keys, ", "), key, what)
	}
	return nil
}

// checkMembers names member ids that are no users.
func checkMembers(tx *gorm.DB, ids []int64) error {
	users, err := usersByID(tx, ids)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, ok := users[id]; !ok {
			return fleet.Invalid(map[string]string{"member_ids": fmt.Sprintf("no user %d", id)})
		}
	}
	return nil
}

func getGroup(tx *gorm.DB, id int64) (*Group, error) {
	row, err := groupRowByID(tx, id)
	if err != nil {
		return nil, err
	}
	gs, err := withMembers(tx, []groupRow{*row})
	if err != nil {
		return nil, err
	}
	return &gs[0], nil
}

func withMembers(tx *gorm.DB, rows []groupRow) ([]Group, error) {
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	members, err := groupMembers(tx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Group, len(rows))
	for i, r := range rows {
		ms := members[r.ID]
		if ms == nil {
			ms = []Member{}
		}
		out[i] = Group{ID: r.ID, Key: r.Key, Name: r.Name, Members: ms, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	}
	return out, nil
}

func groupTarget(id int64) string { return fmt.Sprintf("approval_group:%d", id) }

func groupDetail(g *Group) string {
	ids := make([]string, len(g.Members))
	for i, m := range g.Members {
		ids[i] = fmt.Sprint(m.ID)
	}
	return fmt.Sprintf("key=%s members=%s", g.Key, strings.Join(ids, ","))
}
