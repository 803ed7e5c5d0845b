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
