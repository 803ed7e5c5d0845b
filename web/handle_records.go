package web

import (
	"context"
	"net/http"
	"strconv"

	"fleet"
	"fleet/auth"
	"fleet/dispatch"
)

// Fleet records: a vehicle's maintenance, repair, insurance, inspection and disinfection
// records, a driver's safety trainings, and the reminders of what falls due.

func handleRecordList(f *dispatch.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		page, err := queryPage(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		items, total, err := f.ListVehicleRecords(r.Context(), actor(r), id, dispatch.RecordFilter{Page: page, Kind: r.URL.Query().Get("kind")})
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, list[dispatch.VehicleRecord]{Items: items, Total: total})
	})
}

func handleRecordCreate(f *dispatch.Service) http.Handler {
	return handleCreateUnder(f.AddVehicleRecord)
}

func handleRecordDelete(f *dispatch.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		rid, err := strconv.ParseInt(r.PathValue("record"), 10, 64)
		if err != nil || rid <= 0 {
			writeError(w, r, fleet.Errorf(fleet.ENotFound, "no such record"))
			return
		}
		if err := f.DeleteVehicleRecord(r.Context(), actor(r), id, rid); err != nil {
			writeError(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

func handleTrainingList(f *dispatch.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		page, err := queryPage(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		items, total, err := f.ListTrainings(r.Context(), actor(r), id, page)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, list[dispatch.Training]{Items: items, Total: total})
	})
}

func handleTrainingCreate(f *dispatch.Service) http.Handler { return handleCreateUnder(f.AddTraining) }

// handleCreateUnder adds a record under the {id} of the route (a vehicle, a driver): 201.
func handleCreateUnder[In, Out any](call func(context.Context, *auth.Actor, int64, In) (Out, error)) http.Handler {
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
		writeJSON(w, http.StatusCreated, out)
	})
}

// handleReminders answers what falls due within ?days= (default 30) or is overdue.
func handleReminders(f *dispatch.Service) http.Handler {
	return handleList(func(r *http.Request) (int, error) {
		p := fleet.Problems{}
		days := 30
		if s := r.URL.Query().Get("days"); s != "" {
			days = queryInt(p, s, "days", 0, dispatch.MaxReminderDays)
		}
		return days, p.Err()
	}, f.Reminders)
}
