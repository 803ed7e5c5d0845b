package web

import (
	"net/http"
	"net/url"
	"strconv"

	"fleet"
	"fleet/dispatch"
)

// Trip accounting: the trips of a period with their figures and flags, the statistics by a
// grouping with the report's sentence, and the workbook. The desk checks the role and a leader's
// unit.

// statsIDs reads the optional vehicle_id, driver_id and unit_id filters.
func statsIDs(p fleet.Problems, q url.Values) (vehicle, driver, unit int64) {
	id := func(name string) int64 {
		s := q.Get(name)
		if s == "" {
			return 0
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			p.Add(name, "must be an id")
			return 0
		}
		return n
	}
	return id("vehicle_id"), id("driver_id"), id("unit_id")
}

// statsQuery reads GET /api/dispatch/stats[.xlsx]?from=&to=&by=&vehicle_id=&driver_id=&unit_id=.
func statsQuery(r *http.Request) (dispatch.StatsQuery, error) {
	q := r.URL.Query()
	p := fleet.Problems{}
	sq := dispatch.StatsQuery{From: q.Get("from"), To: q.Get("to"), By: q.Get("by")}
	sq.VehicleID, sq.DriverID, sq.UnitID = statsIDs(p, q)
	return sq, p.Err()
}

// handleTripList answers GET /api/dispatch/trips?from=&to=&vehicle_id=&driver_id=&unit_id=
// &flagged=1&limit=&offset= with {"items","total"}, latest departure first.
func handleTripList(d *dispatch.Desk) http.Handler {
	return handleList(func(r *http.Request) (dispatch.TripQuery, error) {
		page, err := queryPage(r)
		if err != nil {
			return dispatch.TripQuery{}, err
		}
		q := r.URL.Query()
		p := fleet.Problems{}
		tq := dispatch.TripQuery{From: q.Get("from"), To: q.Get("to"), Page: page}
		tq.VehicleID, tq.DriverID, tq.UnitID = statsIDs(p, q)
		switch q.Get("flagged") {
		case "", "0", "false":
		case "1", "true":
			tq.Flagged = true
		default:
			p.Add("flagged", "must be 1 or 0")
		}
		return tq, p.Err()
	}, d.Trips)
}

// handleTripStats answers GET /api/dispatch/stats.
func handleTripStats(d *dispatch.Desk) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, err := statsQuery(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		out, err := d.Stats(r.Context(), actor(r), q)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	})
}

// handleTripStatsXLSX sends the workbook of GET /api/dispatch/stats.xlsx (every grouping: by is
// not needed, and checked when given).
func handleTripStatsXLSX(d *dispatch.Desk) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, err := statsQuery(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		b, name, err := d.StatsXLSX(r.Context(), actor(r), q)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeWorkbook(w, name, b)
	})
}
