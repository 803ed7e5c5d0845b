package web

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"fleet/auth"
)

// routes is the one table of endpoints: pattern, guard, handler.
func (s *server) routes() {
	a, f, t := s.deps.Auth, s.deps.Fleet, s.deps.Tracking

	s.public("GET /healthz", handleHealth())
	s.public("GET /readyz", handleReady(s.deps))
	s.public("GET /metrics", promhttp.HandlerFor(s.deps.Registry, promhttp.HandlerOpts{}))

	s.public("POST /api/login", handleLogin(a, s.deps.TrustXFF))
	s.route("POST /api/logout", auth.PermAny, handleLogout(a))
	s.route("GET /api/me", auth.PermAny, handleMe(a))
	s.route("PUT /api/me/password", auth.PermAny, handleOwnPassword(a))
	s.route("GET /api/meta", auth.PermAny, handleMeta(s.deps.Tiles))

	s.route("GET /api/units", auth.PermUnitsRead, handleUnitList(a))
	s.route("POST /api/units", auth.PermUnitsWrite, handleUnitCreate(a))
	s.route("GET /api/units/{id}", auth.PermUnitsRead, handleUnitGet(a))
	s.route("PUT /api/units/{id}", auth.PermUnitsWrite, handleUnitUpdate(a))
	s.route("DELETE /api/units/{id}", auth.PermUnitsWrite, handleUnitDelete(a))

	s.route("GET /api/users", auth.PermUsersRead, handleUserList(a))
	s.route("POST /api/users", auth.PermUsersWrite, handleUserCreate(a))
	s.route("GET /api/users/{id}", auth.PermAny, handleUserGet(a)) // own record for everyone; the service checks
	s.route("PUT /api/users/{id}", auth.PermUsersWrite, handleUserUpdate(a))
	s.route("POST /api/users/{id}/disable", auth.PermUsersWrite, handleUserDisable(a, true))
	s.route("POST /api/users/{id}/enable", auth.PermUsersWrite, handleUserDisable(a, false))
	s.route("PUT /api/users/{id}/password", auth.PermUsersWrite, handleUserPassword(a))

	s.route("GET /api/vehicles", auth.PermVehiclesRead, handleVehicleList(f))
	s.route("POST /api/vehicles", auth.PermVehiclesWrite, handleVehicleCreate(f))
	s.route("GET /api/vehicles/{id}", auth.PermVehiclesRead, handleVehicleGet(f))
	s.route("PUT /api/vehicles/{id}", auth.PermVehiclesWrite, handleVehicleUpdate(f))
	s.route("DELETE /api/vehicles/{id}", auth.PermVehiclesWrite, handleVehicleDelete(f))

	s.route("GET /api/drivers", auth.PermDriversRead, handleDriverList(f))
	s.route("POST /api/drivers", auth.PermDriversWrite, handleDriverCreate(f))
	s.route("GET /api/drivers/{id}", auth.PermDriversRead, handleDriverGet(f))
	s.route("PUT /api/drivers/{id}", auth.PermDriversWrite, handleDriverUpdate(f))
	s.route("DELETE /api/drivers/{id}", auth.PermDriversWrite, handleDriverDelete(f))

	s.route("GET /api/vehicles/{id}/records", auth.PermRecordsRead, handleRecordList(f))
	s.route("POST /api/vehicles/{id}/records", auth.PermRecordsWrite, handleRecordCreate(f))
	s.route("DELETE /api/vehicles/{id}/records/{record}", auth.PermVehiclesWrite, handleRecordDelete(f))
	s.route("GET /api/drivers/{id}/trainings", auth.PermRecordsRead, handleTrainingList(f))
	s.route("POST /api/drivers/{id}/trainings", auth.PermRecordsWrite, handleTrainingCreate(f))
	s.route("GET /api/fleet/reminders", auth.PermRecordsRead, handleReminders(f))
	s.route("GET /api/rosters", auth.PermRostersRead, handleShiftList(f))
	s.route("POST /api/rosters", auth.PermRostersWrite, handleShiftCreate(f))
	s.route("POST /api/rosters/rotation", auth.PermRostersWrite, handleRotation(f))
	s.route("GET /api/rosters/mine", auth.PermRostersOwn, handleShiftMine(f))
	s.route("DELETE /api/rosters/{id}", auth.PermRostersWrite, handleShiftDelete(f))

	ds := s.deps.Dispatch // the desk shows each their own requests, a leader their unit's, a driver their own tasks
	s.route("GET /api/requests", auth.PermAny, handleRequestList(ds))
	s.route("POST /api/requests", auth.PermRequestsWrite, handleCreate(ds.CreateRequest))
	s.route("GET /api/requests/{id}", auth.PermAny, handleGet(ds.GetRequest))
	s.route("PUT /api/requests/{id}", auth.PermRequestsWrite, handleUpdate(ds.UpdateRequest))
	s.route("POST /api/requests/{id}/submit", auth.PermRequestsWrite, handleRequestSubmit(ds))
	s.route("POST /api/requests/{id}/cancel", auth.PermRequestsWrite, handleRequestCancel(ds))
	s.route("POST /api/requests/{id}/rate", auth.PermRequestsWrite, handleUpdate(ds.RateRequest))
	s.route("GET /api/dispatch/queue", auth.PermDispatchRead, handleQueue(ds))
	s.route("GET /api/dispatch/requests/{id}/candidates", auth.PermDispatchRead, handleCandidates(ds))
	s.route("POST /api/dispatch/requests/{id}/assign", auth.PermDispatch, handleAssign(ds))
	s.route("POST /api/dispatch/requests/{id}/reassign", auth.PermDispatch, handleReassign(ds))
	s.route("GET /api/dispatch/tasks/{id}", auth.PermDispatchRead, handleDispatchTask(ds))
	s.route("POST /api/dispatch/tasks/{id}/cancel", auth.PermDispatch, handleTaskCancel(ds))
	s.route("POST /api/dispatch/auto-assign", auth.PermDispatch, handleAutoAssign(ds))
	s.route("GET /api/dispatch/merges", auth.PermDispatchRead, handleMergeList(ds))
	s.route("POST /api/dispatch/merges", auth.PermDispatch, handleMergeCreate(ds))
	s.route("DELETE /api/dispatch/merges/{id}", auth.PermDispatch, handleMergeDelete(ds))
	s.route("GET /api/dispatch/settings", auth.PermAny, handleSettingsGet(ds))
	s.route("PUT /api/dispatch/settings", auth.PermDispatch, handleSettingsPut(ds))
	s.route("GET /api/driver/tasks", auth.PermDriverTasks, handleDriverTasks(ds))
	s.route("GET /api/driver/tasks/{id}", auth.PermDriverTasks, handleDriverAction(ds.DriverTask))
	s.route("POST /api/driver/tasks/{id}/accept", auth.PermDriverTasks, handleDriverAction(ds.AcceptTask))
	s.route("POST /api/driver/tasks/{id}/decline", auth.PermDriverTasks, handleUpdate(ds.DeclineTask))
	s.route("POST /api/driver/tasks/{id}/check", auth.PermDriverTasks, handleUpdate(ds.CheckTask))
	s.route("POST /api/driver/tasks/{id}/depart", auth.PermDriverTasks, handleDriverAction(ds.DepartTask))
	s.route("POST /api/driver/tasks/{id}/return", auth.PermDriverTasks, handleUpdate(ds.ReturnTask))
	s.route("POST /api/driver/tasks/{id}/positions", auth.PermDriverTasks, handleUpdate(phonePositions(ds, t)))

	s.route("GET /api/audit", auth.PermAuditRead, handleAuditList(a))

	s.route("GET /api/live", auth.PermLiveRead, handleLive(t))
	s.route("GET /api/live/density", auth.PermLiveRead, handleDensity(t))
	s.route("GET /api/vehicles/{id}/today", auth.PermLiveRead, handleToday(t))
	s.route("GET /api/vehicles/{id}/track", auth.PermLiveRead, handleTrack(t))
	s.route("GET /api/vehicles/{id}/trips", auth.PermLiveRead, handleTrips(t))
	s.route("GET /api/vehicles/{id}/days", auth.PermLiveRead, handleVehicleDays(t))
	s.route("GET /api/fleet/days", auth.PermLiveRead, handleFleetDays(t))
	s.route("POST /api/vehicles/{id}/device-token", auth.PermDevicesWrite, handleDeviceToken(t))
	s.route("GET /api/vehicles/{id}/commands", auth.PermLiveRead, handleGet(t.Commands))
	s.route("POST /api/vehicles/{id}/commands", auth.PermCommandsWrite, handleCommand(t))
	s.route("GET /api/events", auth.PermEventsRead, handleEvents(t))
	s.route("POST /api/events/{id}/ack", auth.PermEventsWrite, handleEventAck(t))
	s.route("GET /api/geofences", auth.PermEventsRead, handleGeofenceList(t))
	s.route("POST /api/geofences", auth.PermFencesWrite, handleGeofenceCreate(t))
	s.route("GET /api/geofences/{id}", auth.PermEventsRead, handleGeofenceGet(t))
	s.route("PUT /api/geofences/{id}", auth.PermFencesWrite, handleGeofenceUpdate(t))
	s.route("DELETE /api/geofences/{id}", auth.PermFencesWrite, handleGeofenceDelete(t))

	ap := s.deps.Approval // the service decides per instance who sees and who acts
	s.route("GET /api/approvals", auth.PermApprovalsRead, handleApprovalList(ap))
	s.route("GET /api/approvals/counts", auth.PermApprovalsRead, handleApprovalCounts(ap))
	s.route("GET /api/approvals/{id}", auth.PermApprovalsRead, handleApprovalGet(ap))
	s.route("POST /api/approvals/{id}/actions", auth.PermApprovalsAct, handleApprovalAct(ap))
	s.route("GET /api/approvals/{id}/candidates", auth.PermApprovalsAct, handleApprovalCandidates(ap))
	s.route("GET /api/approval-definitions", auth.PermApprovalDefsRead, handleDefinitionList(ap))
	s.route("POST /api/approval-definitions", auth.PermApprovalDefsWrite, handleDefinitionCreate(ap))
	s.route("GET /api/approval-definitions/{key}", auth.PermApprovalDefsRead, handleDefinitionGet(ap))
	s.route("PUT /api/approval-definitions/{key}", auth.PermApprovalDefsWrite, handleDefinitionUpdate(ap))
	s.route("GET /api/approval-groups", auth.PermApprovalDefsRead, handleGroupList(ap))
	s.route("POST /api/approval-groups", auth.PermApprovalDefsWrite, handleGroupCreate(ap))
	s.route("GET /api/approval-groups/{id}", auth.PermApprovalDefsRead, handleGroupGet(ap))
	s.route("PUT /api/approval-groups/{id}", auth.PermApprovalDefsWrite, handleGroupUpdate(ap))
	s.route("DELETE /api/approval-groups/{id}", auth.PermApprovalDefsWrite, handleGroupDelete(ap))

	pr := s.deps.Procurement // the service lets only the applicant change a request, and shows it to its approvers
	s.route("GET /api/procurements", auth.PermAny, handleProcurementList(pr))
	s.route("POST /api/procurements", auth.PermProcurementsWrite, handleProcurementCreate(pr))
	s.route("POST /api/procurements/check", auth.PermProcurementsWrite, handleProcurementCheck(pr))
	s.route("GET /api/procurements/summary", auth.PermProcurementsAll, handleProcurementSummary(pr))
	s.route("GET /api/procurements/{id}", auth.PermAny, handleProcurementGet(pr))
	s.route("PUT /api/procurements/{id}", auth.PermProcurementsWrite, handleProcurementRevise(pr))
	s.route("POST /api/procurements/{id}/attachments", auth.PermProcurementsWrite, bodyLimit(uploadBodyLimit, handleAttachmentUpload(pr)))
	s.route("GET /api/attachments/{id}", auth.PermAny, handleAttachmentDownload(pr))
	s.route("GET /api/vehicle-standards", auth.PermAny, handleStandardsGet(pr))
	s.route("PUT /api/vehicle-standards", auth.PermStandardsWrite, handleStandardsPut(pr))

	of := s.deps.Office // leaders read their own unit's part; the service checks the unit
	s.route("GET /api/office/standards", auth.PermOfficeRead, handleOfficeStandards(of))
	s.route("PUT /api/office/standards", auth.PermOfficeWrite, handleOfficeStandardsPut(of))
	s.route("GET /api/office/buildings", auth.PermOfficeRead, handleOfficeBuildingList(of))
	s.route("POST /api/office/buildings", auth.PermOfficeWrite, handleOfficeBuildingCreate(of))
	s.route("GET /api/office/buildings/{id}", auth.PermOfficeRead, handleOfficeBuildingGet(of))
	s.route("PUT /api/office/buildings/{id}", auth.PermOfficeWrite, handleOfficeBuildingUpdate(of))
	s.route("GET /api/office/buildings/{id}/floors", auth.PermOfficeRead, handleOfficeFloors(of))
	s.route("GET /api/office/rooms", auth.PermOfficeRead, handleOfficeRoomList(of))
	s.route("POST /api/office/rooms", auth.PermOfficeWrite, handleOfficeRoomCreate(of))
	s.route("GET /api/office/rooms/{id}", auth.PermOfficeRead, handleOfficeRoomGet(of))
	s.route("PUT /api/office/rooms/{id}", auth.PermOfficeWrite, handleOfficeRoomUpdate(of))
	s.route("GET /api/office/assignments", auth.PermOfficeRead, handleOfficeAssignmentList(of))
	s.route("POST /api/office/assignments", auth.PermOfficeWrite, handleOfficeAssign(of))
	s.route("GET /api/office/assignments/{id}", auth.PermOfficeRead, handleOfficeAssignmentGet(of))
	s.route("POST /api/office/assignments/{id}/end", auth.PermOfficeWrite, handleOfficeAssignmentEnd(of))
	s.route("GET /api/office/history", auth.PermOfficeRead, handleOfficeHistory(of))
	s.route("GET /api/office/overstandard", auth.PermOfficeRead, handleOfficeOverStandard(of))
	s.route("GET /api/office/persons", auth.PermOfficeRead, handleOfficePersons(of))
	s.route("GET /api/office/people", auth.PermOfficeRead, handleOfficePeople(of)) // the person picker: active users with rank
	s.route("GET /api/office/units", auth.PermOfficeRead, handleOfficeUnits(of))
	s.route("GET /api/office/units/{id}", auth.PermOfficeRead, handleOfficeUnit(of))
	s.route("GET /api/office/departures", auth.PermOfficeRead, handleOfficeDepartures(of))
	s.route("POST /api/office/departures", auth.PermOfficeWrite, handleOfficeDepartureCreate(of))
	s.route("GET /api/office/reallocations", auth.PermOfficeRead, handleOfficeReallocationList(of))
	s.route("POST /api/office/reallocations", auth.PermOfficeRequest, handleOfficeReallocationCreate(of))
	s.route("GET /api/office/reallocations/{id}", auth.PermOfficeRead, handleOfficeReallocationGet(of))
	s.route("GET /api/office/clearances", auth.PermOfficeRead, handleOfficeClearanceList(of))
	s.route("POST /api/office/clearances", auth.PermOfficeWrite, handleOfficeClearanceCreate(of))
	s.route("GET /api/office/clearances/{id}", auth.PermOfficeRead, handleOfficeClearanceGet(of))
	s.route("POST /api/office/clearances/{id}/complete", auth.PermOfficeWrite, handleOfficeClearanceComplete(of))
	s.route("POST /api/office/clearances/{id}/cancel", auth.PermOfficeWrite, handleOfficeClearanceCancel(of))
	s.route("GET /api/office/inspections", auth.PermOfficeRead, handleOfficeInspectionList(of))
	s.route("POST /api/office/inspections", auth.PermOfficeWrite, handleOfficeInspectionCreate(of))
	s.route("GET /api/office/inspections/suggestions", auth.PermOfficeWrite, handleOfficeSuggestions(of))
	s.route("GET /api/office/inspections/{id}", auth.PermOfficeRead, handleOfficeInspectionGet(of))
	s.route("POST /api/office/inspections/{id}/findings", auth.PermOfficeWrite, handleOfficeFindingAdd(of))
	s.route("GET /api/office/findings", auth.PermOfficeRead, handleOfficeFindingList(of))
	s.route("POST /api/office/findings/{id}/rectify", auth.PermOfficeRequest, handleOfficeRectify(of))
	s.route("GET /api/office/repairs", auth.PermOfficeRead, handleOfficeRepairList(of))
	s.route("POST /api/office/repairs", auth.PermOfficeRequest, handleOfficeRepairCreate(of))
	s.route("GET /api/office/repairs/{id}", auth.PermOfficeRead, handleOfficeRepairGet(of))
	s.route("PUT /api/office/repairs/{id}", auth.PermOfficeWrite, handleOfficeRepairUpdate(of))
	s.route("GET /api/office/patrols", auth.PermOfficeRead, handleOfficePatrolList(of))
	s.route("POST /api/office/patrols", auth.PermOfficeWrite, handleOfficePatrolCreate(of))
	s.route("GET /api/office/patrols/{id}", auth.PermOfficeRead, handleOfficePatrolGet(of))
	s.route("POST /api/office/patrols/{id}/result", auth.PermOfficeWrite, handleOfficePatrolResult(of))
	s.route("POST /api/office/patrol-items/{id}/follow-up", auth.PermOfficeWrite, handleOfficeFollowUp(of))
	s.route("GET /api/office/ledger.xlsx", auth.PermOfficeRead, handleOfficeLedgerXLSX(of))
	s.route("POST /api/office/ledger/import", auth.PermOfficeWrite, bodyLimit(officeUploadLimit, handleOfficeImport(of)))
	s.route("POST /api/office/ledger/reconcile", auth.PermOfficeRead, bodyLimit(officeUploadLimit, handleOfficeReconcile(of)))

	s.device("POST /api/ingest/positions", handleIngest(t))
	s.device("GET /api/osmand", handleOsmAnd(t))
	s.device("POST /api/osmand", handleOsmAnd(t))

	if s.deps.Hub != nil || s.collect {
		s.route("GET /ws", auth.PermAny, handleWS(s.deps.Hub, s.deps.Origins))
	}

	s.public("/api/", http.HandlerFunc(handleAPINotFound))
	s.public("/", s.deps.Console)
}

// Route lists every guarded route with its permission; the authorisation tests walk it.
type Route struct {
	Pattern string
	Perm    auth.Permission // "" for public routes
}

// Routes returns the route table, for tests that check every route's guard.
func Routes() []Route {
	s := &server{mux: http.NewServeMux(), deps: Deps{}}
	s.collect = true
	s.routes()
	return s.table
}
