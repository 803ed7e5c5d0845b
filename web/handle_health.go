package web

import (
	"context"
	"net/http"
	"time"
)

func handleHealth() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
}

// handleReady reports whether the database and the bus answer, naming what does not. Without the
// database the instance is unavailable (503). Without Redis it is degraded but still ready (200):
// it goes on serving its own terminals and websocket clients, and the bus reconnects by itself;
// Redis is shared, so a 503 would take every instance out of the balancer at once.
func handleReady(d Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		checks := map[string]string{}
		check := func(name string, p Pinger) bool {
			if p == nil {
				return true
			}
			// A timeout each, so a Redis that hangs cannot make the database look down.
			ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
			defer cancel()
			if err := p.Ping(ctx); err != nil {
				checks[name] = "unreachable: " + err.Error()
				return false
			}
			checks[name] = "ok"
			return true
		}
		status, word := http.StatusOK, "ready"
		if d.BusName == "redis" {
			if !check("redis", d.Bus) {
				word = "degraded"
			}
		} else {
			checks["bus"] = "in-process"
		}
		if !check("db", d.DB) {
			status, word = http.StatusServiceUnavailable, "unavailable"
		}
		writeJSON(w, status, map[string]any{"status": word, "checks": checks})
	})
}
