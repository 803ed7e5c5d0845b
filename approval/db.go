package approval

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/store"
)

// Rows as stored; the types in the other files are what leaves the package.

type definitionRow struct {
	ID        int64
	Key       string
	Version   int
	Name      string
	Spec      string
	CreatedBy *int64
	CreatedAt time.Time
}

func (definitionRow) TableName() string { return "approval_definitions" }

// spec is what the Spec column holds.
type spec struct {
	Steps []StepDef `json:"steps"`
}

func (r *definitionRow) definition() (*Definition, error) {
	var sp spec
	if err := json.Unmarshal([]byte(r.Spec), &sp); err != nil {
		return nil, fmt.Errorf("approval: definition %s v%d: %w", r.Key, r.Version, err)
	}
	return &Definition{Key: r.Key, Name: r.Name, Version: r.Version, Steps: sp.Steps, CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy}, nil
}

type groupRow struct {
	ID        int64
	Key       string
	Name      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (groupRow) TableName() string { return "approval_groups" }

type memberRow struct {
	GroupID int64
	UserID  int64
}

func (memberRow) TableName() string { return "approval_group_members" }

type instanceRow struct {
	ID                int64
	DefinitionKey     string
	DefinitionVersion int
	Subject           string
	RefType           string
	RefID             int64
	ApplicantID       int64
	UnitID            int64
	Status            string
	StepIndex         int
	Round             int
	StepStartedAt     *time.Time
	DeadlineAt        *time.Time
	Escalated         bool
	RemindedAt        *time.Time
	Decided           bool
	Fields            string
	Version           int
	CreatedAt         time.Time
	UpdatedAt         time.Time
	FinishedAt        *time.Time
}

func (instanceRow) TableName() string { return "approval_instances" }

type taskRow struct {
	ID         int64
	InstanceID int64
	Round      int
	StepIndex  int
	UserID     int64
	Decision   string
	Source     string
	DecidedAt  *time.Time
	CreatedAt  time.Time
}

func (taskRow) TableName() string { return "approval_tasks" }

type actionRow struct {
	ID         int64
	InstanceID int64
	At         time.Time
	UserID     *int64
	Action     string
	Comment    string
	StepIndex  *int
	StepName   string
	ToUserID   *int64
	To         string
}

func (actionRow) TableName() string { return "approval_actions" }

// userInfo is what the engine reads of a user (auth owns the table; this package only reads it,
// through the caller's transaction, so that one transaction never needs a second connection).
type userInfo struct {
	ID       int64
	Name     string
	Username string
	Role     string
	UnitID   int64
	Disabled bool
}

// dbErr maps gorm's errors to the fleet vocabulary; what names the record for "not found".
func dbErr(err error, what string) error {
	var fe *fleet.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &fe):
		return err
	case store.IsNotFound(err):
		return fleet.Errorf(fleet.ENotFound, "%s not found", what)
	case store.IsDuplicate(err):
		return fleet.Errorf(fleet.EConflict, "%s already exists", what)
	}
	return fmt.Errorf("approval: %w", err)
}

// tx runs fn in a transaction of its own.
func (s *Service) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return dbErr(s.db.WithContext(ctx).Transaction(fn), "record")
}
