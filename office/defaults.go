package office

import (
	"context"
	"fmt"

	"fleet"
	"fleet/approval"
	"fleet/auth"
)

// reallocationDefinition is the seeded definition office_reallocation: the center's
// office managers check every request (the rooms, the standards); a large one (more than
// 100 m²) also goes to the county leaders. The admin edits them like any definition.
func reallocationDefinition(fallback int64) approval.Definition {
	return approval.Definition{Key: Definition, Name: "办公用房调剂审批", Steps: []approval.StepDef{
		{Name: "机关事务服务中心审核", Approvers: approval.ApproverSpec{Type: approval.ApproverRole, Role: auth.RoleOfficeManager},
			Mode: approval.ModeAny, DeadlineHours: 72, FallbackUserID: fallback},
		{Name: "县政府领导审批", Approvers: approval.ApproverSpec{Type: approval.ApproverGroup, Group: approval.GroupCountyLeaders},
			Mode: approval.ModeAny, Condition: "area_m2 > 100", DeadlineHours: 72, FallbackUserID: fallback},
	}}
}

// EnsureDefaults seeds the approval definition office_reallocation through the engine's
// definition API when it does not exist (an admin's edits are left alone), with the user admin
// (when users names one) as every step's fallback approver. Call it after the engine's own
// EnsureDefaults, which creates the group county_leaders. Safe at every start, also from several
// instances at once.
func EnsureDefaults(ctx context.Context, approvals *approval.Service, users *auth.Service) error {
	_, err := approvals.GetDefinition(ctx, auth.System, Definition, 0)
	if err == nil {
		return nil
	}
	if fleet.ErrorCode(err) != fleet.ENotFound {
		return fmt.Errorf("office: read definition %s: %w", Definition, err)
	}
	var admin int64
	if users != nil {
		if id, err := users.FindUserID(ctx, "admin"); err == nil {
			admin = id
		}
	}
	def := reallocationDefinition(admin)
	_, err = approvals.CreateDefinition(ctx, auth.System, def)
	if fleet.ErrorCode(err) == fleet.EInvalid {
		// The group county_leaders is gone (an admin removed it): seed the center's step alone
		// rather than refuse to start; the admin adds the leaders' step back by editing it.
		def.Steps = def.Steps[:1]
		_, err = approvals.CreateDefinition(ctx, auth.System, def)
	}
	if err != nil && fleet.ErrorCode(err) != fleet.EConflict {
		return fmt.Errorf("office: seed definition %s: %w", Definition, err)
	}
	return nil
}

// EnsureDefaults seeds the service's approval definition (see the function EnsureDefaults).
// The standards need no seeding: migration 9 seeded them.
func (s *Service) EnsureDefaults(ctx context.Context) error {
	return EnsureDefaults(ctx, s.approvals, s.audit)
}
