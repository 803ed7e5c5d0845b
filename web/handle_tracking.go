package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"fleet"
	"fleet/tracking"
)

// handleLive answers the latest position of every vehicle.
func handleLive(t *tracking.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		vs, err := t.LiveVehicles(r.Context(), actor(r))
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"vehicles": vs})
	})
}

// handleToday answers a vehicle's figures so far today and its task under way, for the map's detail.
func handleToday(t *tracking.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		today, err := t.Today(r.Context(), actor(r), id)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, today)
	})
}

// handleDensity answers the live vehicles counted per H3 cell at resolution res (default 7).
func handleDensity(t *tracking.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		res := 7
		if v := r.URL.Query().Get("res"); v != "" {
			p := fleet.Problems{}
			res = queryInt(p, v, "res", tracking.MinDensityRes, tracking.MaxDensityRes)
			if err := p.Err(); err != nil {
				writeError(w, r, err)
				return
			}
		}
		cells, err := t.Density(r.Context(), actor(r), res)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"res": res, "cells": cells})
	})
}

// handleTrack answers a vehicle's stored points between from and to (RFC 3339; default the last
// 24 hours), simplified to tolerance_m metres when given (Douglas–Peucker, event points kept).
func handleTrack(t *tracking.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		q := r.URL.Query()
		p := fleet.Problems{}
		from, to := queryWindow(p, q)
		tol := 0.0
		if v := q.Get("tolerance_m"); v != "" {
			tol = queryFloat(p, v, "tolerance_m", 0, 1000)
		}
		if err := p.Err(); err != nil {
			writeError(w, r, err)
			return
		}
		pts, err := t.TrackSimplified(r.Context(), actor(r), id, from, to, tol)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"points": pts})
	})
}

// queryWindow reads the from and to of a period (RFC 3339), by default the last 24 hours.
func queryWindow(p fleet.Problems, q url.Values) (from, to time.Time) {
	to = queryTime(p, q.Get("to"), "to", time.Now().UTC())
	from = queryTime(p, q.Get("from"), "from", to.Add(-24*time.Hour))
	return from, to
}

// queryTime reads an optional RFC 3339 time.
func queryTime(p fleet.Problems, s, field string, def time.Time) time.Time {
	if s == "" {
		return def
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		p.Add(field, "must be an RFC 3339 time, as 2026-11-27T08:00:00+08:00")
		return def
	}
	return t.UTC()
}

// handleIngest takes a JSON batch from a device; the 200 comes after the points are committed.
// The device token may come in the body or in the X-Device-Token header.
func handleIngest(t *tracking.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength == 0 && r.Header.Get("X-Device-Token") == "" {
			writeError(w, r, fleet.Errorf(fleet.EUnauthorized, "a device token is required"))
			return
		}
		var b tracking.DeviceBatch
		if err := decode(r, &b); err != nil {
			writeError(w, r, err)
			return
		}
		if b.Token == "" {
			b.Token = r.Header.Get("X-Device-Token")
		}
		res, err := t.IngestDevice(r.Context(), b, tracking.SourceHTTP)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, res)
	})
}

// handleOsmAnd takes one point in the OsmAnd protocol (query or form parameters), as the Traccar
// Client app sends it; the device token is the token parameter of the server URL.
func handleOsmAnd(t *tracking.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			writeError(w, r, fleet.Errorf(fleet.EInvalid, "unreadable parameters"))
			return
		}
		get := func(k string) string { return strings.TrimSpace(r.Form.Get(k)) }
		if get("token") == "" {
			writeError(w, r, fleet.Errorf(fleet.EUnauthorized, "a device token is required (token parameter)"))
			return
		}
		b, err := tracking.OsmAnd(get)
		if err != nil {
			writeError(w, r, err)
			return
		}
		res, err := t.IngestDevice(r.Context(), b, tracking.SourceOsmAnd)
		if err != nil {
			writeError(w, r, err)
			return
		}
		if len(res.Rejected) > 0 {
			writeError(w, r, fleet.Invalid(map[string]string{"position": res.Rejected[0].Reason}))
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}

func handleDeviceToken(t *tracking.Service) http.Handler {
	return handleGet(t.IssueDeviceToken)
}

// handleCommand sends a text or a location query to the vehicle's terminal; 202: the answer
// comes later (GET .../commands shows it).
func handleCommand(t *tracking.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		var in tracking.CommandInput
		if err := decode(r, &in); err != nil {
			writeError(w, r, err)
			return
		}
		c, err := t.SendCommand(r.Context(), actor(r), id, in)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusAccepted, c)
	})
}

func handleEvents(t *tracking.Service) http.Handler {
	return handleList(func(r *http.Request) (tracking.EventFilter, error) {
		page, err := queryPage(r)
		if err != nil {
			return tracking.EventFilter{}, err
		}
		q := r.URL.Query()
		f := tracking.EventFilter{Page: page, Type: q.Get("type")}
		p := fleet.Problems{}
		if q.Get("from") != "" {
			f.From = queryTime(p, q.Get("from"), "from", time.Time{})
		}
		if q.Get("to") != "" {
			f.To = queryTime(p, q.Get("to"), "to", time.Time{})
		}
		if err := p.Err(); err != nil {
			return f, err
		}
		f.VehicleID, err = queryID(r, "vehicle")
		return f, err
	}, t.ListEvents)
}

func handleEventAck(t *tracking.Service) http.Handler { return handleUpdate(t.AckEvent) }
