package web

import (
	"context"
	"net/http"
	"strconv"

	"fleet"
	"fleet/auth"
)

func handleUnitList(a *auth.Service) http.Handler {
	return handleList(func(r *http.Request) (struct{}, error) { return struct{}{}, nil },
		func(ctx context.Context, ac *auth.Actor, _ struct{}) ([]auth.Unit, int64, error) {
			units, err := a.ListUnits(ctx, ac)
			return units, int64(len(units)), err
		})
}

func handleUnitCreate(a *auth.Service) http.Handler { return handleCreate(a.CreateUnit) }
func handleUnitGet(a *auth.Service) http.Handler    { return handleGet(a.GetUnit) }
func handleUnitUpdate(a *auth.Service) http.Handler { return handleUpdate(a.UpdateUnit) }
func handleUnitDelete(a *auth.Service) http.Handler { return handleDelete(a.DeleteUnit) }

func handleUserList(a *auth.Service) http.Handler {
	return handleList(func(r *http.Request) (auth.UserFilter, error) {
		page, err := queryPage(r)
		if err != nil {
			return auth.UserFilter{}, err
		}
		f := auth.UserFilter{Page: page, Role: r.URL.Query().Get("role")}
		if f.Role != "" && !auth.ValidRole(f.Role) {
			return f, fleet.Invalid(map[string]string{"role": "unknown role"})
		}
		f.UnitID, err = queryID(r, "unit_id")
		return f, err
	}, a.ListUsers)
}

func handleUserCreate(a *auth.Service) http.Handler { return handleCreate(a.CreateUser) }
func handleUserGet(a *auth.Service) http.Handler    { return handleGet(a.GetUser) }
func handleUserUpdate(a *auth.Service) http.Handler { return handleUpdate(a.UpdateUser) }

func handleUserDisable(a *auth.Service, disabled bool) http.Handler {
	return handleGet(func(ctx context.Context, ac *auth.Actor, id int64) (*auth.User, error) {
		return a.SetDisabled(ctx, ac, id, disabled)
	})
}

// handleUserPassword lets an admin set another user's password (ending that user's sessions).
func handleUserPassword(a *auth.Service) http.Handler {
	type body struct {
		Password string `json:"password"`
	}
	return handleUpdate(func(ctx context.Context, ac *auth.Actor, id int64, in body) (map[string]bool, error) {
		return map[string]bool{"ok": true}, a.SetPassword(ctx, ac, id, in.Password)
	})
}

func handleAuditList(a *auth.Service) http.Handler {
	return handleList(queryPage, a.ListAudit)
}

// queryID reads an optional positive id from the query.
func queryID(r *http.Request, name string) (int64, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, fleet.Invalid(map[string]string{name: "must be an id"})
	}
	return id, nil
}
