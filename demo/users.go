package demo

import (
	"context"
	"fmt"

	"fleet"
	"fleet/auth"
)

// userSpec is one demo login.
type userSpec struct {
	username, name, phone, role, unit string
}

// driverUserPhone is the phone of the demo driver, shared by the login and the driver record that
// is linked to it.
const driverUserPhone = "13879501001"

// users has one login per role, in the order of auth.Roles.
var users = []userSpec{
	{"demo_admin", "周敏", "", auth.RoleAdmin, unitCenter},
	{"demo_dispatcher", "陈静", "", auth.RoleDispatcher, unitFleet},
	{"demo_driver", "刘建国", driverUserPhone, auth.RoleDriver, unitFleet},
	{"demo_leader", "王建军", "", auth.RoleLeader, unitFinance},
	{"demo_staff", "李娜", "", auth.RoleStaff, unitFinance},
	{"demo_office_manager", "赵丽", "", auth.RoleOfficeManager, unitCenter},
	{"demo_canteen_manager", "孙强", "", auth.RoleCanteen, unitCenter},
	{"demo_energy_manager", "吴涛", "", auth.RoleEnergy, unitCenter},
	{"demo_auditor", "郑洁", "", auth.RoleAuditor, unitAudit},
}

// seedUsers creates the demo logins missing by username, adds every one of them to res.Logins, and
// returns their ids by username. A login that exists keeps its password, unit and role.
func seedUsers(ctx context.Context, svc *auth.Service, unitIDs map[string]int64, password string, res *Result) (map[string]int64, error) {
	ids := make(map[string]int64, len(users))
	for _, spec := range users {
		login := Login{Username: spec.username, Password: password, Role: spec.role, Unit: spec.unit}
		id, err := svc.FindUserID(ctx, spec.username)
		switch {
		case err == nil:
			u, err := svc.GetUser(ctx, auth.System, id)
			if err != nil {
				return nil, err
			}
			login.Role, login.Unit, login.Existed = u.Role, u.UnitName, true
		case fleet.ErrorCode(err) == fleet.ENotFound:
			u, err := svc.CreateUser(ctx, auth.System, auth.UserInput{
				Username: spec.username, Password: password, Name: spec.name, Phone: spec.phone,
				Role: spec.role, UnitID: unitIDs[spec.unit],
			})
			if err != nil {
				return nil, fmt.Errorf("user %s: %w", spec.username, err)
			}
			id = u.ID
			res.New.Users++
		default:
			return nil, err
		}
		ids[spec.username] = id
		res.Logins = append(res.Logins, login)
	}
	return ids, nil
}
