package approval

import (
	"context"
	"encoding/json"
	"fmt"

	"gorm.io/gorm"

	"fleet"
)

// Keys of the seeded definitions and groups.
const (
	DefVehicleUse  = "vehicle_use" // a car request: the applicant's unit head
	DefProcurement = "procurement" // a purchase request (采购申请)

	GroupFleetSection  = "fleet_section"          // 公务用车管理股
	GroupVehicleBoard  = "vehicle_purchase_group" // 公务用车更新购置审批领导小组
	GroupCountyLeaders = "county_leaders"         // 县政府领导
)

// defaultGroups are seeded without members; the admin (or demo data) fills them.
var defaultGroups = []GroupInput{
	{Key: GroupFleetSection, Name: "公务用车管理股"},
	{Key: GroupVehicleBoard, Name: "公务用车更新购置审批领导小组"},
	{Key: GroupCountyLeaders, Name: "县政府领导"},
}

// defaultDefinitions are seeded as version 1. The thresholds live in the conditions, so the admin
// changes them by editing the definition. Every step falls back to the user admin (who may
// transfer the step to the right person) when no one else is eligible or the deadline passes.
var defaultDefinitions = []string{`{
  "key": "vehicle_use", "name": "公务用车使用审批",
  "steps": [
    {"name": "单位负责人审批", "approvers": {"type": "unit_head"}, "mode": "any", "deadline_hours": 24}
  ]
}`, `{
  "key": "procurement", "name": "采购申请审批",
  "steps": [
    {"name": "单位负责人审批", "approvers": {"type": "unit_head"}, "mode": "any", "deadline_hours": 72},
    {"name": "公务用车管理股审核", "approvers": {"type": "group", "group": "fleet_section"}, "mode": "any",
     "condition": "kind in ['vehicle_renewal', 'vehicle_addition']", "deadline_hours": 72},
    {"name": "公务用车更新购置审批领导小组审批", "approvers": {"type": "group", "group": "vehicle_purchase_group"}, "mode": "majority",
     "condition": "kind in ['vehicle_renewal', 'vehicle_addition']", "deadline_hours": 120},
    {"name": "县政府领导审批", "approvers": {"type": "group", "group": "county_leaders"}, "mode": "any",
     "condition": "amount > 500000", "deadline_hours": 72}
  ]
}`}

// EnsureDefaults seeds the groups and the definitions vehicle_use and procurement when they do not
// exist; what exists (an admin's edits) is left alone, so calling it at every start is safe, also
// from several instances at once.
func (s *Service) EnsureDefaults(ctx context.Context) error {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		// Another instance seeding at the same moment may win a lock: try again, finding its rows.
		if err = s.ensureDefaults(ctx); err == nil || ctx.Err() != nil {
			break
		}
	}
	return err
}

func (s *Service) ensureDefaults(ctx context.Context) error {
	now := s.now()
	return s.tx(ctx, func(tx *gorm.DB) error {
		for _, g := range defaultGroups {
			if _, err := groupRowByKey(tx, g.Key); err == nil {
				continue
			} else if fleet.ErrorCode(err) != fleet.ENotFound {
				return err
			}
			err := insertGroup(tx, &groupRow{Key: g.Key, Name: g.Name, CreatedAt: now, UpdatedAt: now})
			if err != nil && fleet.ErrorCode(err) != fleet.EConflict {
				return err
			}
		}
		admin, err := userIDByUsername(tx, "admin")
		if err != nil {
			return err
		}
		for _, text := range defaultDefinitions {
			var d Definition
			if err := json.Unmarshal([]byte(text), &d); err != nil {
				return fmt.Errorf("approval: default definition: %w", err)
			}
			if _, err := latestDefinitionRow(tx, d.Key); err == nil {
				continue
			} else if fleet.ErrorCode(err) != fleet.ENotFound {
				return err
			}
			for i := range d.Steps {
				d.Steps[i].FallbackUserID = admin
			}
			if _, err := s.storeDefinition(tx, nil, d, 1); err != nil && fleet.ErrorCode(err) != fleet.EConflict {
				return fmt.Errorf("approval: seed definition %s: %w", d.Key, err)
			}
		}
		return nil
	})
}
