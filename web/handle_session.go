package web

import (
	"net/http"
	"time"

	"fleet/auth"
	"fleet/dispatch"
)

type loginResponse struct {
	Token     string     `json:"token"`
	CSRFToken string     `json:"csrf_token"`
	ExpiresAt time.Time  `json:"expires_at"`
	User      *auth.User `json:"user"`
}

// handleLogin checks the credentials and answers with a bearer token and a session cookie.
func handleLogin(a *auth.Service, trustXFF bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in auth.LoginInput
		if err := decode(r, &in); err != nil {
			writeError(w, r, err)
			return
		}
		in.IP, in.UserAgent = clientIP(r, trustXFF), r.UserAgent()
		l, err := a.Login(r.Context(), in)
		if err != nil {
			writeError(w, r, err)
			return
		}
		http.SetCookie(w, &http.Cookie{
			Name: sessionCookie, Value: l.Token, Path: "/", Expires: l.ExpiresAt,
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: isTLS(r, trustXFF),
		})
		writeJSON(w, http.StatusOK, loginResponse(*l))
	})
}

// handleLogout ends the session and clears the cookie (with the attributes it was set with).
func handleLogout(a *auth.Service, trustXFF bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := a.Logout(r.Context(), actor(r)); err != nil {
			writeError(w, r, err)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode,
			Secure: isTLS(r, trustXFF)})
		w.WriteHeader(http.StatusNoContent)
	})
}

// handleMe returns the signed-in user and the CSRF token of the session.
func handleMe(a *auth.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		me := actor(r)
		u, err := a.GetUser(r.Context(), me, me.UserID)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"user": u, "csrf_token": me.CSRFToken})
	})
}

// handleOwnPassword changes the signed-in user's password, after checking the current one.
func handleOwnPassword(a *auth.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Current  string `json:"current_password"`
			Password string `json:"password"`
		}
		if err := decode(r, &in); err != nil {
			writeError(w, r, err)
			return
		}
		if err := a.ChangeOwnPassword(r.Context(), actor(r), in.Current, in.Password); err != nil {
			writeError(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

// handleMeta lists the codes the console turns into names (roles, vehicle classes, statuses)
// and the map's tile settings.
func handleMeta(tiles Tiles) http.Handler {
	if tiles.CRS == "" {
		tiles.CRS = "wgs84"
	}
	body := map[string]any{
		"roles": auth.Roles, "vehicle_classes": dispatch.Classes, "energies": dispatch.Energies,
		"vehicle_statuses": dispatch.VehicleStatuses, "driver_statuses": dispatch.DriverStatuses,
		"license_classes": dispatch.LicenseClasses, "map": tiles,
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, body)
	})
}

func isTLS(r *http.Request, trustXFF bool) bool {
	return r.TLS != nil || (trustXFF && r.Header.Get("X-Forwarded-Proto") == "https")
}
