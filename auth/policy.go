package auth

import (
	"context"

	"fleet"
)

// Permission names something a route or a service call needs.
type Permission string

// Permissions. Reads and writes are separate so that auditors can read everything and write nothing.
const (
	PermAny           Permission = "any" // any signed-in user
	PermUnitsRead     Permission = "units.read"
	PermUnitsWrite    Permission = "units.write"
	PermUsersRead     Permission = "users.read"
	PermUsersWrite    Permission = "users.write"
	PermVehiclesRead  Permission = "vehicles.read"
	PermVehiclesWrite Permission = "vehicles.write"
	PermDriversRead   Permission = "drivers.read"
	PermDriversWrite  Permission = "drivers.write"
	PermAuditRead     Permission = "audit.read"
	PermLiveRead      Permission = "live.read"      // live positions and stored tracks
	PermCommandsWrite Permission = "commands.write" // text and location query to terminals
	PermDevicesWrite  Permission = "devices.write"  // issue a phone's device token
	PermEventsRead    Permission = "events.read"    // alarms, overspeed, geofence, misuse events
	PermEventsWrite   Permission = "events.write"   // acknowledge and annotate events
	PermFencesWrite   Permission = "geofences.write"
	// Procurement: filing, revising and attaching are for everyone who works (the service lets
	// only the applicant touch a request); reading every request and the summary for the center.
	PermProcurementsWrite Permission = "procurements.write"
	PermProcurementsAll   Permission = "procurements.read_all"
	PermStandardsWrite    Permission = "vehicle_standards.write"
	// Approvals: the routes let everyone in; the approval service decides per instance (the
	// applicant, the step's approvers, admins and auditors see it; only its approvers decide).
	PermApprovalsRead     Permission = "approvals.read"
	PermApprovalsAct      Permission = "approvals.act"
	PermApprovalDefsRead  Permission = "approval_definitions.read" // definitions and approver groups
	PermApprovalDefsWrite Permission = "approval_definitions.write"
	// Fleet records: vehicles' maintenance, repair, insurance, inspection and disinfection
	// records, drivers' safety trainings and the due-date reminders; deleting a record is an
	// admin's (PermVehiclesWrite).
	PermRecordsRead  Permission = "fleet_records.read"
	PermRecordsWrite Permission = "fleet_records.write"
	// The duty roster (排班, 24小时轮值); a driver reads their own shifts.
	PermRostersRead  Permission = "rosters.read"
	PermRostersWrite Permission = "rosters.write"
	PermRostersOwn   Permission = "rosters.own"
	// Dispatch: every working role files vehicle-use requests (the service shows each their own,
	// leaders their unit's); dispatchers run the queue (auditors read it); drivers act on their
	// own tasks only.
	PermRequestsWrite Permission = "requests.write"
	PermDispatch      Permission = "dispatch"
	PermDispatchRead  Permission = "dispatch.read"
	PermDriverTasks   Permission = "driver_tasks"
	// Trip accounting (出车批次, 公里, 小时; discrepancies; the half-year figures): the fleet
	// section, auditors, and leaders for their own unit's trips (the desk scopes the unit).
	PermTripStats Permission = "dispatch.stats"
	// Office space (办公用房): the office manager and admins keep the ledger; leaders read their
	// own unit's part only (the office service checks the unit), auditors read all. Leaders and
	// the center file reallocation requests and repair requests (PermOfficeRequest).
	PermOfficeRead    Permission = "office.read"
	PermOfficeWrite   Permission = "office.write"
	PermOfficeRequest Permission = "office.request"
	// Canteen (机关食堂): everyone signed in reads the menu and the kitchen counts; every working
	// role books, votes and rates (the service lets a diner touch only their own booking); the
	// canteen manager and admins run it and read its records (diners' names, feedback, waste,
	// food safety, exports); auditors read those too.
	PermCanteenRead    Permission = "canteen.read"
	PermCanteenDine    Permission = "canteen.dine"
	PermCanteenManage  Permission = "canteen.manage"
	PermCanteenRecords Permission = "canteen.records"
	// Energy (公共机构节能): the energy manager and admins keep meters, readings (also the
	// monitoring system's ingest, through an energy_manager account's token), coefficients,
	// agencies and projects; leaders read their own unit's figures (the energy service checks
	// the unit), auditors read all.
	PermEnergyRead  Permission = "energy.read"
	PermEnergyWrite Permission = "energy.write"
)

// policy is the one table of who may do what. The auditor role is added to every read below.
var policy = map[Permission][]string{
	PermUnitsRead:     Roles, // every form that names a unit needs the list
	PermUnitsWrite:    {RoleAdmin},
	PermUsersRead:     {RoleAdmin},
	PermUsersWrite:    {RoleAdmin},
	PermVehiclesRead:  {RoleAdmin, RoleDispatcher},
	PermVehiclesWrite: {RoleAdmin},
	PermDriversRead:   {RoleAdmin, RoleDispatcher},
	PermDriversWrite:  {RoleAdmin},
	PermAuditRead:     {RoleAdmin},
	PermLiveRead:      {RoleAdmin, RoleDispatcher},
	PermCommandsWrite: {RoleAdmin, RoleDispatcher},
	PermDevicesWrite:  {RoleAdmin},
	PermEventsRead:    {RoleAdmin, RoleDispatcher},
	PermEventsWrite:   {RoleAdmin, RoleDispatcher},
	PermFencesWrite:   {RoleAdmin, RoleDispatcher},
	PermProcurementsWrite: {RoleAdmin, RoleDispatcher, RoleDriver, RoleLeader, RoleStaff,
		RoleOfficeManager, RoleCanteen, RoleEnergy},
	PermProcurementsAll: {RoleAdmin},
	PermStandardsWrite:  {RoleAdmin},
	PermApprovalsRead:   Roles,
	PermApprovalsAct: {RoleAdmin, RoleDispatcher, RoleDriver, RoleLeader, RoleStaff,
		RoleOfficeManager, RoleCanteen, RoleEnergy}, // everyone but the auditor, who changes nothing
	PermApprovalDefsRead:  {RoleAdmin},
	PermApprovalDefsWrite: {RoleAdmin},
	PermRecordsRead:       {RoleAdmin, RoleDispatcher},
	PermRecordsWrite:      {RoleAdmin, RoleDispatcher},
	PermRostersRead:       {RoleAdmin, RoleDispatcher},
	PermRostersWrite:      {RoleAdmin, RoleDispatcher},
	PermRostersOwn:        {RoleDriver},
	PermRequestsWrite: {RoleAdmin, RoleDispatcher, RoleDriver, RoleLeader, RoleStaff,
		RoleOfficeManager, RoleCanteen, RoleEnergy},
	PermDispatch:      {RoleAdmin, RoleDispatcher},
	PermDispatchRead:  {RoleAdmin, RoleDispatcher},
	PermDriverTasks:   {RoleDriver},
	PermTripStats:     {RoleAdmin, RoleDispatcher, RoleLeader},
	PermOfficeRead:    {RoleAdmin, RoleOfficeManager, RoleLeader},
	PermOfficeWrite:   {RoleAdmin, RoleOfficeManager},
	PermOfficeRequest: {RoleAdmin, RoleOfficeManager, RoleLeader},
	PermCanteenRead:   Roles,
	PermCanteenDine: {RoleAdmin, RoleDispatcher, RoleDriver, RoleLeader, RoleStaff,
		RoleOfficeManager, RoleCanteen, RoleEnergy},
	PermCanteenManage:  {RoleAdmin, RoleCanteen},
	PermCanteenRecords: {RoleAdmin, RoleCanteen},
	PermEnergyRead:     {RoleAdmin, RoleEnergy, RoleLeader},
	PermEnergyWrite:    {RoleAdmin, RoleEnergy},
}

// readPerms are the permissions an auditor holds.
var readPerms = map[Permission]bool{
	PermUnitsRead: true, PermUsersRead: true, PermVehiclesRead: true, PermDriversRead: true, PermAuditRead: true,
	PermLiveRead: true, PermEventsRead: true, PermProcurementsAll: true,
	PermApprovalsRead: true, PermApprovalDefsRead: true, PermRecordsRead: true, PermRostersRead: true,
	PermDispatchRead: true, PermOfficeRead: true, PermTripStats: true,
	PermCanteenRead: true, PermCanteenRecords: true, PermEnergyRead: true,
}

// Can reports whether role holds perm.
func Can(role string, perm Permission) bool {
	if perm == PermAny {
		return ValidRole(role)
	}
	if role == RoleAuditor && readPerms[perm] {
		return true
	}
	for _, r := range policy[perm] {
		if r == role {
			return true
		}
	}
	return false
}

// Actor is the signed-in user acting in a request.
type Actor struct {
	UserID    int64
	Username  string
	Name      string
	Role      string
	UnitID    int64
	SessionID string // SHA-256 of the token, hex
	CSRFToken string
	IP        string
}

// Can reports whether the actor holds perm.
func (a *Actor) Can(perm Permission) bool { return a != nil && Can(a.Role, perm) }

// Require returns a forbidden error unless the actor holds perm.
func (a *Actor) Require(perm Permission) error {
	if a == nil {
		return fleet.Errorf(fleet.EUnauthorized, "sign in first")
	}
	if !a.Can(perm) {
		return fleet.Errorf(fleet.EForbidden, "your role may not do this")
	}
	return nil
}

// SeesAllUnits reports whether the actor's reads span every unit (center-wide roles), rather than
// only their own unit.
func (a *Actor) SeesAllUnits() bool {
	switch a.Role {
	case RoleStaff, RoleLeader, RoleDriver:
		return false
	}
	return true
}

type actorKey struct{}

// WithActor returns ctx carrying the actor.
func WithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor of ctx, or nil.
func ActorFrom(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}
