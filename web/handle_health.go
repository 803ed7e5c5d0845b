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

// handleReady reports whether the database and the bus answer; 503 names what does not.
func handleReady(d Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		checks := map[string]string{}
		status := http.StatusOK
		check := func(name string, p Pinger) {
			if p == nil {
				return
			}
			if err := p.Ping(ctx); err != nil {
				checks[name] = "unreachable: " + err.Error()
				status = http.StatusServiceUnavailable
				return
			}
			checks[name] = "ok"
		}
		check("db", d.DB)
		if d.BusName == "redis" {
			check("redis", d.Bus)
		} else {
			checks["bus"] = "in-process"
		}
		word := "ready"
		if status != http.StatusOK {
			word = "unavailable"
		}
		writeJSON(w, status, map[string]any{"status": word, "checks": checks})
	})
}
