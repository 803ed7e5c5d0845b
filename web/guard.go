package web

import (
	"crypto/subtle"
	"net/http"
	"strings"

	"fleet"
	"fleet/auth"
)

// Cookie names.
const (
	sessionCookie = "fleet_session"
	csrfHeader    = "X-CSRF-Token"
)

// public registers a route that needs no sign-in.
func (s *server) public(pattern string, h http.Handler) {
	s.table = append(s.table, Route{Pattern: pattern})
	if !s.collect {
		s.mux.Handle(pattern, h)
	}
}

// PermDevice marks, in the route table, a route that a device authenticates with its own token
// (checked by the tracking service) rather than a user session.
const PermDevice auth.Permission = "device"

// device registers a device-authenticated route.
func (s *server) device(pattern string, h http.Handler) {
	s.table = append(s.table, Route{Pattern: pattern, Perm: PermDevice})
	if !s.collect {
		s.mux.Handle(pattern, h)
	}
}

// route registers a route behind sign-in, the CSRF check and the permission guard.
func (s *server) route(pattern string, perm auth.Permission, h http.Handler) {
	s.table = append(s.table, Route{Pattern: pattern, Perm: perm})
	if !s.collect {
		s.mux.Handle(pattern, s.guard(perm, h))
	}
}

// guard authenticates the request (session cookie or bearer token), requires the CSRF token on
// cookie-authenticated writes, checks the role's permission and puts the actor in the context.
func (s *server) guard(perm auth.Permission, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, viaCookie := requestToken(r)
		if token == "" {
			writeError(w, r, fleet.Errorf(fleet.EUnauthorized, "sign in first"))
			return
		}
		a, err := s.deps.Auth.Authenticate(r.Context(), token)
		if err != nil {
			writeError(w, r, err)
			return
		}
		a.IP = clientIP(r, s.deps.TrustXFF)
		if viaCookie && !safeMethod(r.Method) {
			got := r.Header.Get(csrfHeader)
			if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(a.CSRFToken)) != 1 {
				writeError(w, r, fleet.Errorf(fleet.EForbidden, "missing or wrong CSRF token (send the X-CSRF-Token header)"))
				return
			}
		}
		if !a.Can(perm) {
			writeError(w, r, fleet.Errorf(fleet.EForbidden, "your role may not do this"))
			return
		}
		setLogUser(r, a)
		h.ServeHTTP(w, r.WithContext(auth.WithActor(r.Context(), a)))
	})
}

// requestToken returns the bearer token of the Authorization header, or else the session cookie.
func requestToken(r *http.Request) (token string, viaCookie bool) {
	if h := r.Header.Get("Authorization"); h != "" {
		if t, ok := strings.CutPrefix(h, "Bearer "); ok {
			return strings.TrimSpace(t), false
		}
		return "", false
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		return c.Value, true
	}
	// A browser cannot set headers on a websocket; scripts and the mobile pages may pass the
	// bearer token in the query of /ws instead.
	if r.URL.Path == "/ws" {
		if t := r.URL.Query().Get("token"); t != "" {
			return t, false
		}
	}
	return "", false
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// actor returns the signed-in actor the guard put in the request.
func actor(r *http.Request) *auth.Actor { return auth.ActorFrom(r.Context()) }
