package approval

import (
	"context"
	"encoding/json"
	"fmt"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// ListDefinitions returns the newest version of every definition.
func (s *Service) ListDefinitions(ctx context.Context, a *auth.Actor) ([]Definition, error) {
	if err := a.Require(auth.PermApprovalDefsRead); err != nil {
		return nil, err
	}
	rows, err := latestDefinitionRows(s.db.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	out := make([]Definition, 0, len(rows))
	for i := range rows {
		d, err := rows[i].definition()
		if err != nil {
			return nil, err
		}
		out = append(out, *d)
	}
	return out, nil
}

// GetDefinition returns a version of a definition; version 0 is the newest.
func (s *Service) GetDefinition(ctx context.Context, a *auth.Actor, key string, version int) (*Definition, error) {
	if err := a.Require(auth.PermApprovalDefsRead); err != nil {
		return nil, err
	}
	tx := s.db.WithContext(ctx)
	if version == 0 {
		row, err := latestDefinitionRow(tx, key)
		if err != nil {
			return nil, err
		}
		return row.definition()
	}
	return s.definition(tx, key, version)
}

// CreateDefinition stores version 1 of a new definition (409 when the key exists).
func (s *Service) CreateDefinition(ctx context.Context, a *auth.Actor, in Definition) (*Definition, error) {
	if err := a.Require(auth.PermApprovalDefsWrite); err != nil {
		return nil, err
	}
	var out *Definition
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if _, err := latestDefinitionRow(tx, in.Key); err == nil {
			return &fleet.Error{Code: fleet.EConflict, Message: "definition " + in.Key + " exists; change it with PUT",
				Fields: map[string]string{"key": "already exists"}}
		} else if fleet.ErrorCode(err) != fleet.ENotFound {
			return err
		}
		var err error
		out, err = s.storeDefinition(tx, a, in, 1)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "approval_definition_create", "approval_definition:"+out.Key, fmt.Sprintf("version=%d", out.Version))
	return out, nil
}

// UpdateDefinition stores a new version of the definition with key; running instances keep the
// version they started with.
func (s *Service) UpdateDefinition(ctx context.Context, a *auth.Actor, key string, in Definition) (*Definition, error) {
	if err := a.Require(auth.PermApprovalDefsWrite); err != nil {
		return nil, err
	}
	if in.Key == "" {
		in.Key = key
	}
	if in.Key != key {
		return nil, fleet.Invalid(map[string]string{"key": "must be the key of the definition changed (" + key + ")"})
	}
	var out *Definition
	err := s.tx(ctx, func(tx *gorm.DB) error {
		cur, err := latestDefinitionRow(tx, key)
		if err != nil {
			return err
		}
		out, err = s.storeDefinition(tx, a, in, cur.Version+1)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "approval_definition_update", "approval_definition:"+out.Key, fmt.Sprintf("version=%d", out.Version))
	return out, nil
}

// storeDefinition validates in, checks the users and groups it names, and stores it as version.
func (s *Service) storeDefinition(tx *gorm.DB, a *auth.Actor, in Definition, version int) (*Definition, error) {
	users, groups, err := in.validate()
	if err != nil {
		return nil, err
	}
	if err := checkRefs(tx, &in, users, groups); err != nil {
		return nil, err
	}
	b, err := json.Marshal(spec{Steps: in.Steps})
	if err != nil {
		return nil, fmt.Errorf("approval: encode definition: %w", err)
	}
	row := &definitionRow{Key: in.Key, Version: version, Name: in.Name, Spec: string(b), CreatedAt: s.now()}
	if a != nil && a.UserID != 0 {
		id := a.UserID
		row.CreatedBy = &id
	}
	if err := insertDefinition(tx, row); err != nil {
		return nil, err
	}
	return row.definition()
}

// checkRefs names the steps whose users or groups do not exist.
func checkRefs(tx *gorm.DB, d *Definition, userIDs []int64, groupKeys []string) error {
	users, err := usersByID(tx, userIDs)
	if err != nil {
		return err
	}
	groups, err := groupKeysExist(tx, groupKeys)
	if err != nil {
		return err
	}
	p := fleet.Problems{}
	for i, st := range d.Steps {
		at := fmt.Sprintf("steps[%d].", i)
		if id := st.Approvers.UserID; st.Approvers.Type == ApproverUser {
			if u, ok := users[id]; !ok {
				p.Add(at+"approvers.user_id", "no such user")
			} else if u.Disabled {
				p.Add(at+"approvers.user_id", "the user is disabled")
			}
		}
		if g := st.Approvers.Group; st.Approvers.Type == ApproverGroup && !groups[g] {
			p.Add(at+"approvers.group", "no such group")
		}
		if id := st.FallbackUserID; id > 0 {
			if u, ok := users[id]; !ok {
				p.Add(at+"fallback_user_id", "no such user")
			} else if u.Disabled {
				p.Add(at+"fallback_user_id", "the user is disabled")
			}
		}
	}
	return p.Err()
}
