package web

import (
	"context"
	"net/http"
	"strconv"

	"fleet"
	"fleet/auth"
	"fleet/office"
)

// Office space (办公用房): the ledger, standards, figures and departures here; reallocation,
// clearances, inspections and facilities in handle_office_work.go; the XLSX ledger in
// handle_office_xlsx.go. The service checks the unit scope.

func handleOfficeStandards(o *office.Service) http.Handler {
	return handleOfficeQuery(func(r *http.Request) (string, error) { return r.URL.Query().Get("level"), nil }, o.Standards)
}
func handleOfficeStandardsPut(o *office.Service) http.Handler {
	return handleOfficeReplace(o.UpdateStandards)
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
		rq.BuildingID = officeQueryID(p, r, "building_id")
		rq.UnitID = officeQueryID(p, r, "unit_id")
		rq.Vacant = officeQueryBool(p, r, "vacant")
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
		q := office.AssignmentQuery{Page: page, RoomID: officeQueryID(p, r, "room_id"), UnitID: officeQueryID(p, r, "unit_id"),
			UserID: officeQueryID(p, r, "user_id"), Active: officeQueryBool(p, r, "active")}
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
		q := office.HistoryQuery{Page: page, BuildingID: officeQueryID(p, r, "building_id"), RoomID: officeQueryID(p, r, "room_id"),
			UnitID: officeQueryID(p, r, "unit_id"), UserID: officeQueryID(p, r, "user_id"), Subject: r.URL.Query().Get("subject")}
		return q, p.Err()
	}, o.History)
}

func figureQuery(r *http.Request) (office.FigureQuery, error) {
	p := fleet.Problems{}
	q := office.FigureQuery{UnitID: officeQueryID(p, r, "unit_id")}
	return q, p.Err()
}

// handleOfficeOverStandard answers {"items":[{user_id, rank, standard_m2, actual_m2, excess_m2, …}], "unranked":[…]}.
func handleOfficeOverStandard(o *office.Service) http.Handler {
	return handleOfficeQuery(figureQuery, o.OverStandardList)
}

func handleOfficePersons(o *office.Service) http.Handler {
	return handleOfficeQuery(figureQuery, func(ctx context.Context, a *auth.Actor, q office.FigureQuery) (any, error) {
		items, err := o.Persons(ctx, a, q)
		return map[string]any{"items": items}, err
	})
}

func handleOfficeUnits(o *office.Service) http.Handler {
	return handleOfficeQuery(func(*http.Request) (struct{}, error) { return struct{}{}, nil },
		func(ctx context.Context, a *auth.Actor, _ struct{}) (any, error) {
			items, err := o.Units(ctx, a)
			return map[string]any{"items": items}, err
		})
}
func handleOfficeUnit(o *office.Service) http.Handler { return handleGet(o.Unit) }

// handleOfficeDepartures reads ?unit_id=&open=&overdue= and answers {"items","total","unrecorded"}.
func handleOfficeDepartures(o *office.Service) http.Handler {
	return handleOfficeQuery(func(r *http.Request) (office.DepartureQuery, error) {
		page, err := queryPage(r)
		if err != nil {
			return office.DepartureQuery{}, err
		}
		p := fleet.Problems{}
		q := office.DepartureQuery{Page: page, UnitID: officeQueryID(p, r, "unit_id"), Open: officeTrue(officeQueryBool(p, r, "open")),
			Overdue: officeTrue(officeQueryBool(p, r, "overdue"))}
		return q, p.Err()
	}, o.ListDepartures)
}

// handleOfficeQuery parses a query, calls the service and answers its result with 200.
func handleOfficeQuery[Q, Out any](parse func(*http.Request) (Q, error), call func(context.Context, *auth.Actor, Q) (Out, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, err := parse(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		out, err := call(r.Context(), actor(r), q)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	})
}

// handleOfficeReplace is handleCreate answering 200: a replacement rather than a new record.
func handleOfficeReplace[In, Out any](call func(context.Context, *auth.Actor, In) (Out, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in In
		if err := decode(r, &in); err != nil {
			writeError(w, r, err)
			return
		}
		out, err := call(r.Context(), actor(r), in)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	})
}

// handleOfficeAdd is handleUpdate answering status (201 for a record added under {id}).
func handleOfficeAdd[In, Out any](status int, call func(context.Context, *auth.Actor, int64, In) (Out, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		var in In
		if err := decode(r, &in); err != nil {
			writeError(w, r, err)
			return
		}
		out, err := call(r.Context(), actor(r), id, in)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, status, out)
	})
}

// officeQueryID reads an optional id parameter, recording its problem in p.
func officeQueryID(p fleet.Problems, r *http.Request, name string) int64 {
	id, err := queryID(r, name)
	if err != nil {
		p.Add(name, "must be an id")
	}
	return id
}

// officeQueryBool reads an optional 1/0/true/false parameter; nil when absent.
func officeQueryBool(p fleet.Problems, r *http.Request, name string) *bool {
	s := r.URL.Query().Get(name)
	if s == "" {
		return nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		p.Add(name, "must be 1 or 0")
		return nil
	}
	return &b
}

func officeTrue(b *bool) bool { return b != nil && *b }
