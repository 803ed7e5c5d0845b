package web

import (
	"context"
	"net/http"

	"fleet"
	"fleet/auth"
	"fleet/office"
)

// Office space (办公用房): the ledger, standards, figures and departures here; reallocation,
// clearances, inspections and facilities in handle_office_work.go; the XLSX ledger in
// handle_office_xlsx.go. The service checks the unit scope.

func handleOfficeStandards(o *office.Service) http.Handler {
	return handleParsed(func(r *http.Request) (string, error) { return r.URL.Query().Get("level"), nil }, o.Standards)
}
func handleOfficeStandardsPut(o *office.Service) http.Handler {
	return handleReplace(o.UpdateStandards)
}

func handleOfficeBuildingList(o *office.Service) http.Handler {
	return handleList(queryPage, o.ListBuildings)
}
func handleOfficeBuildingCreate(o *office.Service) http.Handler {
	return handleCreate(o.CreateBuilding)
}
func handleOfficeBuildingGet(o *office.Service) http.Handler { return handleGet(o.GetBuilding) }
func handleOfficeBuildingUpdate(o *office.Service) http.Handler {
	return handleUpdate(o.UpdateBuilding)
}
func handleOfficeFloors(o *office.Service) http.Handler { return handleGet(o.BuildingFloors) }

// handleOfficeRoomList reads ?building_id=&unit_id=&use=&floor=&vacant=&q=&limit=&offset= (use=vacant: the pool).
func handleOfficeRoomList(o *office.Service) http.Handler {
	return handleList(func(r *http.Request) (office.RoomQuery, error) {
		page, err := queryPage(r)
		if err != nil {
			return office.RoomQuery{}, err
		}
		q := r.URL.Query()
		p := fleet.Problems{}
		rq := office.RoomQuery{Page: page, Use: q.Get("use"), Floor: queryInt(p, q.Get("floor"), "floor", -10, 200)}
		rq.BuildingID = optionalID(p, r, "building_id")
		rq.UnitID = optionalID(p, r, "unit_id")
		rq.Vacant = optionalBool(p, r, "vacant")
		return rq, p.Err()
	}, o.ListRooms)
}
func handleOfficeRoomCreate(o *office.Service) http.Handler { return handleCreate(o.CreateRoom) }
func handleOfficeRoomGet(o *office.Service) http.Handler    { return handleGet(o.GetRoom) }
func handleOfficeRoomUpdate(o *office.Service) http.Handler { return handleUpdate(o.UpdateRoom) }

// handleOfficeAssignmentList reads ?room_id=&unit_id=&user_id=&active=.
func handleOfficeAssignmentList(o *office.Service) http.Handler {
	return handleList(func(r *http.Request) (office.AssignmentQuery, error) {
		page, err := queryPage(r)
		if err != nil {
			return office.AssignmentQuery{}, err
		}
		p := fleet.Problems{}
		q := office.AssignmentQuery{Page: page, RoomID: optionalID(p, r, "room_id"), UnitID: optionalID(p, r, "unit_id"),
			UserID: optionalID(p, r, "user_id"), Active: optionalBool(p, r, "active")}
		return q, p.Err()
	}, o.ListAssignments)
}
func handleOfficeAssign(o *office.Service) http.Handler        { return handleCreate(o.Assign) }
func handleOfficeAssignmentGet(o *office.Service) http.Handler { return handleGet(o.GetAssignment) }
func handleOfficeAssignmentEnd(o *office.Service) http.Handler { return handleUpdate(o.EndAssignment) }
func handleOfficeDepartureCreate(o *office.Service) http.Handler {
	return handleCreate(o.RecordDeparture)
}

// handleOfficeHistory reads ?building_id=&room_id=&unit_id=&user_id=&subject=&limit=&offset=.
func handleOfficeHistory(o *office.Service) http.Handler {
	return handleList(func(r *http.Request) (office.HistoryQuery, error) {
		page, err := queryPage(r)
		if err != nil {
			return office.HistoryQuery{}, err
		}
		p := fleet.Problems{}
		q := office.HistoryQuery{Page: page, BuildingID: optionalID(p, r, "building_id"), RoomID: optionalID(p, r, "room_id"),
			UnitID: optionalID(p, r, "unit_id"), UserID: optionalID(p, r, "user_id"), Subject: r.URL.Query().Get("subject")}
		return q, p.Err()
	}, o.History)
}

func figureQuery(r *http.Request) (office.FigureQuery, error) {
	p := fleet.Problems{}
	q := office.FigureQuery{UnitID: optionalID(p, r, "unit_id")}
	return q, p.Err()
}

// handleOfficeOverStandard answers {"items":[{user_id, rank, standard_m2, actual_m2, excess_m2, …}], "unranked":[…]}.
func handleOfficeOverStandard(o *office.Service) http.Handler {
	return handleParsed(figureQuery, o.OverStandardList)
}

func handleOfficePersons(o *office.Service) http.Handler {
	return handleParsed(figureQuery, func(ctx context.Context, a *auth.Actor, q office.FigureQuery) (any, error) {
		items, err := o.Persons(ctx, a, q)
		return map[string]any{"items": items}, err
	})
}

func handleOfficeUnits(o *office.Service) http.Handler {
	return handleParsed(func(*http.Request) (struct{}, error) { return struct{}{}, nil },
		func(ctx context.Context, a *auth.Actor, _ struct{}) (any, error) {
			items, err := o.Units(ctx, a)
			return map[string]any{"items": items}, err
		})
}
func handleOfficeUnit(o *office.Service) http.Handler { return handleGet(o.Unit) }

// handleOfficeDepartures reads ?unit_id=&open=&overdue= and answers {"items","total","unrecorded"}.
func handleOfficeDepartures(o *office.Service) http.Handler {
	return handleParsed(func(r *http.Request) (office.DepartureQuery, error) {
		page, err := queryPage(r)
		if err != nil {
			return office.DepartureQuery{}, err
		}
		p := fleet.Problems{}
		q := office.DepartureQuery{Page: page, UnitID: optionalID(p, r, "unit_id"), Open: officeTrue(optionalBool(p, r, "open")),
			Overdue: officeTrue(optionalBool(p, r, "overdue"))}
		return q, p.Err()
	}, o.ListDepartures)
}

func officeTrue(b *bool) bool { return b != nil && *b }
