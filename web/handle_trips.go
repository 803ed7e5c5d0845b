package web

import (
	"math"
	"net/http"
	"strconv"
	"time"

	"fleet"
	"fleet/tracking"
)

// handleTrips answers a vehicle's trips and stops between from and to (RFC 3339; default the
// last 24 hours), with the trip in progress marked open.
func handleTrips(t *tracking.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		q := r.URL.Query()
		p := fleet.Problems{}
		from, to := queryWindow(p, q)
		if err := p.Err(); err != nil {
			writeError(w, r, err)
			return
		}
		l, err := t.Trips(r.Context(), actor(r), id, from, to)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, l)
	})
}

// handleVehicleDays answers a vehicle's daily figures from one date to another, both included
// (YYYY-MM-DD, the county's days; default the last 30 days).
func handleVehicleDays(t *tracking.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		q := r.URL.Query()
		p := fleet.Problems{}
		from := queryDate(p, q.Get("from"), "from")
		to := queryDate(p, q.Get("to"), "to")
		if err := p.Err(); err != nil {
			writeError(w, r, err)
			return
		}
		days, err := t.VehicleDays(r.Context(), actor(r), id, from, to)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"days": days})
	})
}

// handleFleetDays answers every vehicle's figures for one day (YYYY-MM-DD; default today).
func handleFleetDays(t *tracking.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := fleet.Problems{}
		day := queryDate(p, r.URL.Query().Get("day"), "day")
		if err := p.Err(); err != nil {
			writeError(w, r, err)
			return
		}
		days, err := t.FleetDays(r.Context(), actor(r), day)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"days": days})
	})
}

// queryDate reads an optional YYYY-MM-DD date; absent is the zero time.
func queryDate(p fleet.Problems, s, field string) time.Time {
	if s == "" {
		return time.Time{}
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		p.Add(field, "must be a date, as 2026-11-27")
		return time.Time{}
	}
	return d
}

// queryFloat reads an optional number between lo and hi; absent is 0.
func queryFloat(p fleet.Problems, s, field string, lo, hi float64) float64 {
	if s == "" {
		return 0
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || v < lo || v > hi {
		p.Add(field, "must be a number from "+strconv.FormatFloat(lo, 'f', -1, 64)+" to "+strconv.FormatFloat(hi, 'f', -1, 64))
		return 0
	}
	return v
}
