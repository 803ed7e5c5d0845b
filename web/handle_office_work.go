package web

import (
	"context"
	"net/http"

	"fleet"
	"fleet/auth"
	"fleet/office"
)

// Office space: reallocation (统筹调剂), clearances (清退), inspections (督查整改) and facilities
// (设施维护).

func handleOfficeReallocationList(o *office.Service) http.Handler {
	return handleList(func(r *http.Request) (office.ReallocationQuery, error) {
		page, err := queryPage(r)
		if err != nil {
			return office.ReallocationQuery{}, err
		}
		p := fleet.Problems{}
		q := office.ReallocationQuery{Page: page, UnitID: optionalID(p, r, "unit_id"), Status: r.URL.Query().Get("status")}
		return q, p.Err()
	}, o.ListReallocations)
}
func handleOfficeReallocationCreate(o *office.Service) http.Handler {
	return handleCreate(o.RequestReallocation)
}
func handleOfficeReallocationGet(o *office.Service) http.Handler { return handleGet(o.GetReallocation) }

func handleOfficeClearanceList(o *office.Service) http.Handler {
	return handleList(func(r *http.Request) (office.ClearanceQuery, error) {
		page, err := queryPage(r)
		if err != nil {
			return office.ClearanceQuery{}, err
		}
		p := fleet.Problems{}
		q := office.ClearanceQuery{Page: page, UnitID: optionalID(p, r, "unit_id"), Status: r.URL.Query().Get("status"),
			Overdue: officeTrue(optionalBool(p, r, "overdue"))}
		return q, p.Err()
	}, o.ListClearances)
}
func handleOfficeClearanceCreate(o *office.Service) http.Handler {
	return handleCreate(o.OrderClearance)
}
func handleOfficeClearanceGet(o *office.Service) http.Handler { return handleGet(o.GetClearance) }
func handleOfficeClearanceComplete(o *office.Service) http.Handler {
	return handleUpdate(o.CompleteClearance)
}
func handleOfficeClearanceCancel(o *office.Service) http.Handler {
	return handleUpdate(o.CancelClearance)
}

func handleOfficeInspectionList(o *office.Service) http.Handler {
	return handleList(queryPage, o.ListInspections)
}
func handleOfficeInspectionCreate(o *office.Service) http.Handler {
	return handleCreate(o.RecordInspection)
}
func handleOfficeInspectionGet(o *office.Service) http.Handler { return handleGet(o.GetInspection) }
func handleOfficeFindingAdd(o *office.Service) http.Handler {
	return handleAdd(http.StatusCreated, o.AddFinding)
}
func handleOfficeRectify(o *office.Service) http.Handler { return handleUpdate(o.Rectify) }

// handleOfficeSuggestions answers {"items":[finding inputs]} the ledger suggests for ?unit_id=.
func handleOfficeSuggestions(o *office.Service) http.Handler {
	return handleParsed(figureQuery, func(ctx context.Context, a *auth.Actor, q office.FigureQuery) (any, error) {
		items, err := o.SuggestFindings(ctx, a, q.UnitID)
		return map[string]any{"items": items}, err
	})
}

func handleOfficeFindingList(o *office.Service) http.Handler {
	return handleList(func(r *http.Request) (office.FindingQuery, error) {
		page, err := queryPage(r)
		if err != nil {
			return office.FindingQuery{}, err
		}
		p := fleet.Problems{}
		q := office.FindingQuery{Page: page, UnitID: optionalID(p, r, "unit_id"), InspectionID: optionalID(p, r, "inspection_id"),
			Status: r.URL.Query().Get("status"), Overdue: officeTrue(optionalBool(p, r, "overdue"))}
		return q, p.Err()
	}, o.ListFindings)
}

func handleOfficeRepairList(o *office.Service) http.Handler {
	return handleList(func(r *http.Request) (office.RepairQuery, error) {
		page, err := queryPage(r)
		if err != nil {
			return office.RepairQuery{}, err
		}
		p := fleet.Problems{}
		q := office.RepairQuery{Page: page, BuildingID: optionalID(p, r, "building_id"), Status: r.URL.Query().Get("status"),
			Equipment: r.URL.Query().Get("equipment")}
		return q, p.Err()
	}, o.ListRepairs)
}
func handleOfficeRepairCreate(o *office.Service) http.Handler { return handleCreate(o.ReportRepair) }
func handleOfficeRepairGet(o *office.Service) http.Handler    { return handleGet(o.GetRepair) }
func handleOfficeRepairUpdate(o *office.Service) http.Handler { return handleUpdate(o.UpdateRepair) }

func handleOfficePatrolList(o *office.Service) http.Handler {
	return handleList(func(r *http.Request) (office.PatrolQuery, error) {
		page, err := queryPage(r)
		if err != nil {
			return office.PatrolQuery{}, err
		}
		p := fleet.Problems{}
		q := office.PatrolQuery{Page: page, BuildingID: optionalID(p, r, "building_id"), Status: r.URL.Query().Get("status"),
			Overdue: officeTrue(optionalBool(p, r, "overdue"))}
		return q, p.Err()
	}, o.ListPatrols)
}
func handleOfficePatrolCreate(o *office.Service) http.Handler { return handleCreate(o.SchedulePatrol) }
func handleOfficePatrolGet(o *office.Service) http.Handler    { return handleGet(o.GetPatrol) }
func handleOfficePatrolResult(o *office.Service) http.Handler { return handleUpdate(o.RecordPatrol) }
func handleOfficeFollowUp(o *office.Service) http.Handler     { return handleUpdate(o.CloseFollowUp) }
