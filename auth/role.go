// Package auth holds units, users, roles, sessions, passwords, the access policy and the audit log.
package auth

// Roles of the platform (see DESIGN.md, "Users and what they do").
const (
	RoleAdmin         = "admin"
	RoleDispatcher    = "dispatcher"
	RoleDriver        = "driver"
	RoleLeader        = "leader"
	RoleStaff         = "staff"
	RoleOfficeManager = "office_manager"
	RoleCanteen       = "canteen_manager"
	RoleEnergy        = "energy_manager"
	RoleAuditor       = "auditor" // 纪检监察, 财政, 审计: read everything, change nothing
)

// Roles lists every role, in the order the console shows them.
var Roles = []string{
	RoleAdmin, RoleDispatcher, RoleDriver, RoleLeader, RoleStaff,
	RoleOfficeManager, RoleCanteen, RoleEnergy, RoleAuditor,
}

// ValidRole reports whether r is one of Roles.
func ValidRole(r string) bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}
