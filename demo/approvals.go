package demo

import (
	"context"
	"fmt"

	"fleet"
	"fleet/approval"
	"fleet/auth"
)

// unitGov is the county government's office, where the county leaders of the demo sit.
const unitGov = "县政府办公室"

// approvers are the demo county's sign-off people besides the one login per role.
var approvers = []userSpec{
	{"demo_fleet_head", "林晓东", "", auth.RoleLeader, unitFleet},      // 公务用车管理股股长
	{"demo_center_head", "黄志明", "", auth.RoleLeader, unitCenter},    // 机关事务管理中心主任
	{"demo_deputy_magistrate", "何国平", "", auth.RoleLeader, unitGov}, // 分管副县长
	{"demo_magistrate", "徐永红", "", auth.RoleLeader, unitGov},        // 县长
}

// groupMembers fills the approval groups by username: 公务用车管理股 checks vehicle requests, the
// purchase group (its deputy magistrate, the center's head and the finance bureau's head)
// decides by majority, and the county leaders sign off large amounts.
var groupMembers = map[string][]string{
	approval.GroupFleetSection:  {"demo_fleet_head", "demo_dispatcher"},
	approval.GroupVehicleBoard:  {"demo_deputy_magistrate", "demo_center_head", "demo_leader"},
	approval.GroupCountyLeaders: {"demo_magistrate", "demo_deputy_magistrate"},
}

// seedApprovals makes sure the default definitions and groups exist, creates the sign-off people
// missing by username, and fills each group that has no members yet (a group the admin has
// changed is left as it is).
func seedApprovals(ctx context.Context, authSvc *auth.Service, svc *approval.Service, units map[string]int64, users map[string]int64, password string, res *Result) error {
	if err := svc.EnsureDefaults(ctx); err != nil {
		return err
	}
	ids := make(map[string]int64, len(users)+len(approvers))
	for k, v := range users {
		ids[k] = v
	}
	for _, spec := range approvers {
		login := Login{Username: spec.username, Password: password, Role: spec.role, Unit: spec.unit}
		id, err := authSvc.FindUserID(ctx, spec.username)
		switch {
		case err == nil:
			login.Existed = true
		case fleet.ErrorCode(err) == fleet.ENotFound:
			u, err := authSvc.CreateUser(ctx, auth.System, auth.UserInput{Username: spec.username, Password: password,
				Name: spec.name, Role: spec.role, UnitID: units[spec.unit]})
			if err != nil {
				return fmt.Errorf("user %s: %w", spec.username, err)
			}
			id = u.ID
			res.New.Users++
		default:
			return err
		}
		ids[spec.username] = id
		res.Approvers = append(res.Approvers, login)
	}
	groups, err := svc.ListGroups(ctx, auth.System)
	if err != nil {
		return err
	}
	for _, g := range groups {
		names, ok := groupMembers[g.Key]
		if !ok || len(g.Members) > 0 {
			continue
		}
		var members []int64
		for _, n := range names {
			if id := ids[n]; id != 0 {
				members = append(members, id)
			}
		}
		if err := svc.AddGroupMembers(ctx, auth.System, g.Key, members...); err != nil {
			return fmt.Errorf("group %s: %w", g.Key, err)
		}
	}
	return nil
}
