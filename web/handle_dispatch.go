package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"fleet"
	"fleet/auth"
	"fleet/dispatch"
	"fleet/tracking"
)

// Dispatch: vehicle-use requests, the dispatcher's queue, candidates, assignment, merging,
// auto-assignment and settings, and the drivers' task actions. The desk decides who sees what.

func handleRequestList(d *dispatch.Desk) http.Handler {
	return handleList(func(r *http.Request) (dispatch.RequestFilter, error) {
		page, err := queryPage(r)
		if err != nil {
			return dispatch.RequestFilter{}, err
		}
		q := r.URL.Query()
		p := fleet.Problems{}
		f := dispatch.RequestFilter{Page: page, Mine: q.Get("mine") == "1" || q.Get("mine") == "true",
			From: queryTime(p, q.Get("from"), "from", time.Time{}), To: queryTime(p, q.Get("to"), "to", time.Time{})}
		if s := q.Get("status"); s != "" {
			f.Statuses = strings.Split(s, ",")
		}
		f.UnitID = int64(queryInt(p, q.Get("unit_id"), "unit_id", 0, 1<<31))
		return f, p.Err()
	}, d.ListRequests)
}

func handleRequestSubmit(d *dispatch.Desk) http.Handler {
	return handleGet(d.SubmitRequest)
}

// handleRequestCancel takes an optional body {"reason"}.
func handleRequestCancel(d *dispatch.Desk) http.Handler {
	return handleOptionalBody(d.CancelRequest)
}

// handleCandidates answers {"items":[…],"excluded":{…}}; ?limit= (default 10, at most 50).
func handleCandidates(d *dispatch.Desk) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		p := fleet.Problems{}
		limit := queryInt(p, r.URL.Query().Get("limit"), "limit", 1, 50)
		if err := p.Err(); err != nil {
			writeError(w, r, err)
			return
		}
		out, err := d.Candidates(r.Context(), actor(r), id, limit)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	})
}

// handleAssign answers 200 with the task.
func handleAssign(d *dispatch.Desk) http.Handler { return handleUpdate(d.Assign) }

func handleReassign(d *dispatch.Desk) http.Handler { return handleUpdate(d.Reassign) }

func handleTaskCancel(d *dispatch.Desk) http.Handler { return handleOptionalBody(d.CancelTask) }

func handleDispatchTask(d *dispatch.Desk) http.Handler { return handleGet(d.GetTask) }

func handleQueue(d *dispatch.Desk) http.Handler { return handleNoInput(d.DispatchQueue) }

// handleAutoAssign answers 200 with the proposals (booked with "apply":true).
func handleAutoAssign(d *dispatch.Desk) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in dispatch.AutoAssignInput
		if err := decode(r, &in); err != nil {
			writeError(w, r, err)
			return
		}
		out, err := d.AutoAssign(r.Context(), actor(r), in)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	})
}

func handleMergeList(d *dispatch.Desk) http.Handler {
	return handleList(func(*http.Request) (struct{}, error) { return struct{}{}, nil },
		func(ctx context.Context, a *auth.Actor, _ struct{}) ([]dispatch.MergeProposal, int64, error) {
			items, err := d.MergeProposals(ctx, a)
			return items, int64(len(items)), err
		})
}

func handleMergeCreate(d *dispatch.Desk) http.Handler { return handleCreate(d.MergeRequests) }

func handleMergeDelete(d *dispatch.Desk) http.Handler { return handleDelete(d.Unmerge) }

func handleSettingsGet(d *dispatch.Desk) http.Handler { return handleNoInput(d.GetSettings) }

func handleSettingsPut(d *dispatch.Desk) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in dispatch.Settings
		if err := decode(r, &in); err != nil {
			writeError(w, r, err)
			return
		}
		out, err := d.PutSettings(r.Context(), actor(r), in)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	})
}

func handleDriverTasks(d *dispatch.Desk) http.Handler {
	return handleList(func(*http.Request) (struct{}, error) { return struct{}{}, nil },
		func(ctx context.Context, a *auth.Actor, _ struct{}) ([]dispatch.Task, int64, error) {
			items, err := d.DriverTasks(ctx, a)
			return items, int64(len(items)), err
		})
}

// handleDriverAction runs accept and depart (no body).
func handleDriverAction(call func(context.Context, *auth.Actor, int64) (*dispatch.Task, error)) http.Handler {
	return handleGet(call)
}

// handleNoInput answers 200 with what call returns for the actor.
func handleNoInput[Out any](call func(context.Context, *auth.Actor) (Out, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		out, err := call(r.Context(), actor(r))
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	})
}

// handleOptionalBody is handleUpdate whose body may be left out (the zero input).
func handleOptionalBody[In, Out any](call func(context.Context, *auth.Actor, int64, In) (Out, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		var in In
		if r.ContentLength != 0 {
			if err := decode(r, &in); err != nil {
				writeError(w, r, err)
				return
			}
		}
		out, err := call(r.Context(), actor(r), id, in)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	})
}

// phoneBatch is the body of POST /api/driver/tasks/{id}/positions: the driver's phone reports
// the positions of a running trip's vehicle when the vehicle has no terminal.
type phoneBatch struct {
	Positions []tracking.DevicePosition `json:"positions"`
}

// phonePositions lets the desk say whose vehicle the phone may report for, then takes the points
// through the tracking pipeline like any device's.
func phonePositions(ds *dispatch.Desk, t *tracking.Service) func(context.Context, *auth.Actor, int64, phoneBatch) (*tracking.DeviceResult, error) {
	return func(ctx context.Context, a *auth.Actor, id int64, in phoneBatch) (*tracking.DeviceResult, error) {
		vehicleID, err := ds.PhoneVehicle(ctx, a, id)
		if err != nil {
			return nil, err
		}
		return t.IngestVehicle(ctx, vehicleID, in.Positions, tracking.SourcePhone)
	}
}
