package web

import (
	"net/http"

	"fleet"
	"fleet/dispatch"
)

func handleVehicleList(f *dispatch.Service) http.Handler {
	return handleList(func(r *http.Request) (dispatch.VehicleFilter, error) {
		page, err := queryPage(r)
		if err != nil {
			return dispatch.VehicleFilter{}, err
		}
		q := r.URL.Query()
		vf := dispatch.VehicleFilter{Page: page, Status: q.Get("status"), Class: q.Get("class")}
		p := fleet.Problems{}
		if vf.Status != "" && !contains(dispatch.VehicleStatuses, vf.Status) {
			p.Add("status", "unknown status")
		}
		if vf.Class != "" && !contains(dispatch.Classes, vf.Class) {
			p.Add("class", "unknown class")
		}
		if err := p.Err(); err != nil {
			return vf, err
		}
		vf.UnitID, err = queryID(r, "unit_id")
		return vf, err
	}, f.ListVehicles)
}

func handleVehicleCreate(f *dispatch.Service) http.Handler { return handleCreate(f.CreateVehicle) }
func handleVehicleGet(f *dispatch.Service) http.Handler    { return handleGet(f.GetVehicle) }
func handleVehicleUpdate(f *dispatch.Service) http.Handler { return handleUpdate(f.UpdateVehicle) }
func handleVehicleDelete(f *dispatch.Service) http.Handler { return handleDelete(f.DeleteVehicle) }

func handleDriverList(f *dispatch.Service) http.Handler {
	return handleList(func(r *http.Request) (dispatch.DriverFilter, error) {
		page, err := queryPage(r)
		if err != nil {
			return dispatch.DriverFilter{}, err
		}
		df := dispatch.DriverFilter{Page: page, Status: r.URL.Query().Get("status")}
		if df.Status != "" && !contains(dispatch.DriverStatuses, df.Status) {
			return df, fleet.Invalid(map[string]string{"status": "unknown status"})
		}
		df.UnitID, err = queryID(r, "unit_id")
		return df, err
	}, f.ListDrivers)
}

func handleDriverCreate(f *dispatch.Service) http.Handler { return handleCreate(f.CreateDriver) }
func handleDriverGet(f *dispatch.Service) http.Handler    { return handleGet(f.GetDriver) }
func handleDriverUpdate(f *dispatch.Service) http.Handler { return handleUpdate(f.UpdateDriver) }
func handleDriverDelete(f *dispatch.Service) http.Handler { return handleDelete(f.DeleteDriver) }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
