package web

import (
	"context"
	"net/http"

	"fleet/auth"
	"fleet/dispatch"
)

// The duty roster (排班, 24小时轮值).

// shiftFilter reads ?from=&to= (dates or RFC 3339 times) and ?driver=.
func shiftFilter(r *http.Request) (dispatch.ShiftFilter, error) {
	q := r.URL.Query()
	id, err := queryID(r, "driver")
	return dispatch.ShiftFilter{From: q.Get("from"), To: q.Get("to"), DriverID: id}, err
}

func handleShiftList(f *dispatch.Service) http.Handler   { return handleList(shiftFilter, f.ListShifts) }
func handleShiftMine(f *dispatch.Service) http.Handler   { return handleList(shiftFilter, f.MyShifts) }
func handleShiftCreate(f *dispatch.Service) http.Handler { return handleCreate(f.CreateShift) }
func handleShiftDelete(f *dispatch.Service) http.Handler { return handleDelete(f.DeleteShift) }

// handleRotation creates a 24-hour standby rotation: 201 {"items":[...shifts],"total"}.
func handleRotation(f *dispatch.Service) http.Handler {
	return handleCreate(func(ctx context.Context, a *auth.Actor, in dispatch.RotationInput) (list[dispatch.Shift], error) {
		items, err := f.CreateRotation(ctx, a, in)
		return list[dispatch.Shift]{Items: items, Total: int64(len(items))}, err
	})
}
