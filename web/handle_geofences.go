package web

import (
	"net/http"

	"fleet"
	"fleet/tracking"
)

func handleGeofenceList(t *tracking.Service) http.Handler {
	return handleList(func(r *http.Request) (tracking.GeofenceFilter, error) {
		page, err := queryPage(r)
		if err != nil {
			return tracking.GeofenceFilter{}, err
		}
		f := tracking.GeofenceFilter{Page: page, Kind: r.URL.Query().Get("kind")}
		if f.Kind != "" && !contains(tracking.FenceKinds, f.Kind) {
			return f, fleet.Invalid(map[string]string{"kind": "unknown kind"})
		}
		f.VehicleID, err = queryID(r, "vehicle_id")
		return f, err
	}, t.ListGeofences)
}

func handleGeofenceCreate(t *tracking.Service) http.Handler { return handleCreate(t.CreateGeofence) }
func handleGeofenceGet(t *tracking.Service) http.Handler    { return handleGet(t.GetGeofence) }
func handleGeofenceUpdate(t *tracking.Service) http.Handler { return handleUpdate(t.UpdateGeofence) }
func handleGeofenceDelete(t *tracking.Service) http.Handler { return handleDelete(t.DeleteGeofence) }
