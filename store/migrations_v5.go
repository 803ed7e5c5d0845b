package store

import "time"

// Version 5: the approval engine: definitions (one row per version), approver groups and their
// members, instances (with an optimistic-lock version), the approvers of each step entry (tasks)
// and the append-only trail of actions.

type v5ApprovalDefinition struct {
	ID        int64   `gorm:"primaryKey"`
	Key       string  `gorm:"size:64;not null;uniqueIndex:idx_approval_definitions_key_version,priority:1"`
	Version   int     `gorm:"not null;uniqueIndex:idx_approval_definitions_key_version,priority:2"`
	Name      string  `gorm:"size:100;not null"`
	Spec      string  `gorm:"type:text;not null"` // JSON: the steps
	CreatedBy *int64  `gorm:""`
	Creator   *v1User `gorm:"foreignKey:CreatedBy;constraint:OnDelete:SET NULL"`
	CreatedAt time.Time
}

func (v5ApprovalDefinition) TableName() string { return "approval_definitions" }

type v5ApprovalGroup struct {
	ID        int64  `gorm:"primaryKey"`
	Key       string `gorm:"size:64;not null;uniqueIndex"`
	Name      string `gorm:"size:100;not null"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (v5ApprovalGroup) TableName() string { return "approval_groups" }

type v5ApprovalGroupMember struct {
	GroupID int64            `gorm:"primaryKey;autoIncrement:false"`
	Group   *v5ApprovalGroup `gorm:"foreignKey:GroupID;constraint:OnDelete:CASCADE"`
	UserID  int64            `gorm:"primaryKey;autoIncrement:false;index"`
	User    *v1User          `gorm:"foreignKey:UserID;constraint:OnDelete:CASCADE"`
}

func (v5ApprovalGroupMember) TableName() string { return "approval_group_members" }

type v5ApprovalInstance struct {
	ID                int64      `gorm:"primaryKey"`
	DefinitionKey     string     `gorm:"size:64;not null;index"`
	DefinitionVersion int        `gorm:"not null"`
	Subject           string     `gorm:"size:200;not null"`
	RefType           string     `gorm:"size:32;not null;index:idx_approval_instances_ref,priority:1"`
	RefID             int64      `gorm:"not null;index:idx_approval_instances_ref,priority:2"`
	ApplicantID       int64      `gorm:"not null;index"`
	Applicant         *v1User    `gorm:"foreignKey:ApplicantID;constraint:OnDelete:RESTRICT"`
	UnitID            int64      `gorm:"not null;index"`
	Status            string     `gorm:"size:16;not null;index:idx_approval_instances_status_deadline,priority:1"`
	StepIndex         int        `gorm:"not null;default:-1"` // -1 unless pending
	Round             int        `gorm:"not null;default:0"`  // +1 at every step entry; tasks carry it
	StepStartedAt     *time.Time `gorm:""`
	DeadlineAt        *time.Time `gorm:"index:idx_approval_instances_status_deadline,priority:2"`
	Escalated         bool       `gorm:"not null;default:false"` // the current step's deadline was handled
	RemindedAt        *time.Time `gorm:""`                       // the applicant's last reminder in this step
	Decided           bool       `gorm:"not null;default:false"` // a decision since the last (re)submit
	Fields            string     `gorm:"type:text"`              // JSON
	Version           int        `gorm:"not null;default:1"`
	CreatedAt         time.Time
	UpdatedAt         time.Time
	FinishedAt        *time.Time `gorm:""`
}

func (v5ApprovalInstance) TableName() string { return "approval_instances" }

type v5ApprovalTask struct {
	ID         int64               `gorm:"primaryKey"`
	InstanceID int64               `gorm:"not null;index:idx_approval_tasks_instance_round,priority:1"`
	Instance   *v5ApprovalInstance `gorm:"foreignKey:InstanceID;constraint:OnDelete:RESTRICT"`
	Round      int                 `gorm:"not null;index:idx_approval_tasks_instance_round,priority:2"`
	StepIndex  int                 `gorm:"not null"`
	UserID     int64               `gorm:"not null;index:idx_approval_tasks_user_decision,priority:1"`
	User       *v1User             `gorm:"foreignKey:UserID;constraint:OnDelete:RESTRICT"`
	Decision   string              `gorm:"size:16;not null;default:'';index:idx_approval_tasks_user_decision,priority:2"`
	Source     string              `gorm:"size:16;not null"` // rule, fallback, transfer, escalate
	DecidedAt  *time.Time          `gorm:""`
	CreatedAt  time.Time
}

func (v5ApprovalTask) TableName() string { return "approval_tasks" }

type v5ApprovalAction struct {
	ID         int64               `gorm:"primaryKey"`
	InstanceID int64               `gorm:"not null;index"`
	Instance   *v5ApprovalInstance `gorm:"foreignKey:InstanceID;constraint:OnDelete:RESTRICT"`
	At         time.Time           `gorm:"not null"`
	UserID     *int64              `gorm:"index"` // null: the system
	User       *v1User             `gorm:"foreignKey:UserID;constraint:OnDelete:RESTRICT"`
	Action     string              `gorm:"size:16;not null"`
	Comment    string              `gorm:"type:text"`
	StepIndex  *int                `gorm:""`
	StepName   string              `gorm:"size:100;not null;default:''"`
	ToUserID   *int64              `gorm:""`
	To         string              `gorm:"size:16;not null;default:''"` // return: applicant or previous
}

func (v5ApprovalAction) TableName() string { return "approval_actions" }
