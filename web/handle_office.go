package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"fleet"
	"fleet/auth"
	"fleet/office"
)

// Office space (办公用房): the ledger, standards, figures, reallocation, clearances, departures,
// inspections, reports, XLSX exchange and facilities. The service checks the unit scope.

// officeUploadLimit is the body limit of a ledger workbook upload.
const officeUploadLimit = 16 << 20

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

// handleOfficeRoomList reads ?building_id=&unit_id=&use=&floor=&vacant=&q=&limit=&offset=.
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

func handleOfficeReallocationList(o *office.Service) http.Handler {
	return handleList(func(r *http.Request) (office.ReallocationQuery, error) {
		page, err := queryPage(r)
		if err != nil {
			return office.ReallocationQuery{}, err
		}
		p := fleet.Problems{}
		q := office.ReallocationQuery{Page: page, UnitID: officeQueryID(p, r, "unit_id"), Status: r.URL.Query().Get("status")}
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
		q := office.ClearanceQuery{Page: page, UnitID: officeQueryID(p, r, "unit_id"), Status: r.URL.Query().Get("status"),
			Overdue: officeTrue(officeQueryBool(p, r, "overdue"))}
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
	return handleOfficeAdd(http.StatusCreated, o.AddFinding)
}
func handleOfficeRectify(o *office.Service) http.Handler { return handleUpdate(o.Rectify) }

// handleOfficeSuggestions answers {"items":[finding inputs]} the ledger suggests for ?unit_id=.
func handleOfficeSuggestions(o *office.Service) http.Handler {
	return handleOfficeQuery(figureQuery, func(ctx context.Context, a *auth.Actor, q office.FigureQuery) (any, error) {
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
		q := office.FindingQuery{Page: page, UnitID: officeQueryID(p, r, "unit_id"), InspectionID: officeQueryID(p, r, "inspection_id"),
			Status: r.URL.Query().Get("status"), Overdue: officeTrue(officeQueryBool(p, r, "overdue"))}
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
		q := office.RepairQuery{Page: page, BuildingID: officeQueryID(p, r, "building_id"), Status: r.URL.Query().Get("status"),
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
		q := office.PatrolQuery{Page: page, BuildingID: officeQueryID(p, r, "building_id"), Status: r.URL.Query().Get("status"),
			Overdue: officeTrue(officeQueryBool(p, r, "overdue"))}
		return q, p.Err()
	}, o.ListPatrols)
}
func handleOfficePatrolCreate(o *office.Service) http.Handler { return handleCreate(o.SchedulePatrol) }
func handleOfficePatrolGet(o *office.Service) http.Handler    { return handleGet(o.GetPatrol) }
func handleOfficePatrolResult(o *office.Service) http.Handler { return handleUpdate(o.RecordPatrol) }
func handleOfficeFollowUp(o *office.Service) http.Handler     { return handleUpdate(o.CloseFollowUp) }

// handleOfficeLedgerXLSX sends the ledger workbook of ?unit_id= (the whole county when absent).
func handleOfficeLedgerXLSX(o *office.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		unit, err := queryID(r, "unit_id")
		if err != nil {
			writeError(w, r, err)
			return
		}
		b, name, err := o.LedgerXLSX(r.Context(), actor(r), office.LedgerQuery{UnitID: unit})
		if err != nil {
			writeError(w, r, err)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		h.Set("Content-Disposition", contentDisposition(name))
		h.Set("Content-Length", strconv.Itoa(len(b)))
		h.Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
		w.Write(b)
	})
}

// handleOfficeImport takes a ledger workbook (the multipart field file, or the body itself) and
// ?skip_bad=1; 200 with the result, or 400 with the result's per-row errors when nothing was
// imported.
func handleOfficeImport(o *office.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := fleet.Problems{}
		skip := officeTrue(officeQueryBool(p, r, "skip_bad"))
		if err := p.Err(); err != nil {
			writeError(w, r, err)
			return
		}
		body, err := uploadedWorkbook(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		res, err := o.ImportLedger(r.Context(), actor(r), bytes.NewReader(body), office.ImportOptions{SkipBad: skip})
		if errors.Is(err, office.ErrImportRejected) {
			writeJSON(w, http.StatusBadRequest, struct {
				Error errorDetail `json:"error"`
				*office.ImportResult
			}{errorDetail{Code: fleet.EInvalid, Message: fleet.ErrorMessage(err), RequestID: requestID(r)}, res})
			return
		}
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, res)
	})
}

// handleOfficeReconcile compares the uploaded ledger of ?unit_id= with the center's.
func handleOfficeReconcile(o *office.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		unit, err := queryID(r, "unit_id")
		if err != nil {
			writeError(w, r, err)
			return
		}
		body, err := uploadedWorkbook(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		rec, err := o.Reconcile(r.Context(), actor(r), unit, bytes.NewReader(body))
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, rec)
	})
}

// uploadedWorkbook reads an uploaded file: the multipart field "file", or the whole body.
func uploadedWorkbook(r *http.Request) ([]byte, error) {
	var src io.Reader = r.Body
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		mr, err := r.MultipartReader()
		if err != nil {
			return nil, fleet.Invalid(map[string]string{"file": "malformed multipart body"})
		}
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				return nil, fleet.Invalid(map[string]string{"file": "required"})
			}
			if err != nil {
				return nil, workbookErr(err)
			}
			if part.FormName() == "file" {
				src = part
				break
			}
		}
	}
	b, err := io.ReadAll(src)
	if err != nil {
		return nil, workbookErr(err)
	}
	if len(b) == 0 {
		return nil, fleet.Invalid(map[string]string{"file": "required: send the XLSX workbook"})
	}
	return b, nil
}

func workbookErr(err error) error {
	var big *http.MaxBytesError
	if errors.As(err, &big) {
		return &fleet.Error{Code: fleet.ETooLarge, Message: fmt.Sprintf("the upload is larger than %d bytes", big.Limit),
			Fields: map[string]string{"file": fmt.Sprintf("larger than %d MiB", officeUploadLimit>>20)}}
	}
	return fleet.Errorf(fleet.EInvalid, "unreadable upload")
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
