package web

import (
	"context"
	"net/http"
	"strconv"

	"fleet"
	"fleet/approval"
	"fleet/auth"
)

// Approvals: the inbox, one instance and its actions; definitions and approver groups (admin).

func handleApprovalList(s *approval.Service) http.Handler {
	return handleList(func(r *http.Request) (approval.ListFilter, error) {
		page, err := queryPage(r)
		return approval.ListFilter{Page: page, State: r.URL.Query().Get("state")}, err
	}, s.List)
}

func handleApprovalCounts(s *approval.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		out, err := s.Counts(r.Context(), actor(r))
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	})
}

func handleApprovalGet(s *approval.Service) http.Handler { return handleGet(s.Get) }

// handleApprovalAct answers 200 with the instance as it is after the action.
func handleApprovalAct(s *approval.Service) http.Handler { return handleUpdate(s.Act) }

// handleApprovalCandidates lists whom the caller may transfer their part of the step to (?q=).
func handleApprovalCandidates(s *approval.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		page, err := queryPage(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		items, err := s.Candidates(r.Context(), actor(r), id, page.Query)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, list[approval.Member]{Items: items, Total: int64(len(items))})
	})
}

func handleDefinitionList(s *approval.Service) http.Handler {
	return handleList(func(*http.Request) (struct{}, error) { return struct{}{}, nil },
		func(ctx context.Context, a *auth.Actor, _ struct{}) ([]approval.Definition, int64, error) {
			defs, err := s.ListDefinitions(ctx, a)
			return defs, int64(len(defs)), err
		})
}

func handleDefinitionCreate(s *approval.Service) http.Handler {
	return handleCreate(s.CreateDefinition)
}

// handleDefinitionGet returns the newest version of {key}, or ?version=N.
func handleDefinitionGet(s *approval.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		version := 0
		if v := r.URL.Query().Get("version"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 {
				writeError(w, r, fleet.Invalid(map[string]string{"version": "must be a version number"}))
				return
			}
			version = n
		}
		out, err := s.GetDefinition(r.Context(), actor(r), r.PathValue("key"), version)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	})
}

// handleDefinitionUpdate stores a new version of {key}.
func handleDefinitionUpdate(s *approval.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in approval.Definition
		if err := decode(r, &in); err != nil {
			writeError(w, r, err)
			return
		}
		out, err := s.UpdateDefinition(r.Context(), actor(r), r.PathValue("key"), in)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	})
}

func handleGroupList(s *approval.Service) http.Handler {
	return handleList(func(*http.Request) (struct{}, error) { return struct{}{}, nil },
		func(ctx context.Context, a *auth.Actor, _ struct{}) ([]approval.Group, int64, error) {
			gs, err := s.ListGroups(ctx, a)
			return gs, int64(len(gs)), err
		})
}

func handleGroupCreate(s *approval.Service) http.Handler { return handleCreate(s.CreateGroup) }
func handleGroupGet(s *approval.Service) http.Handler    { return handleGet(s.GetGroup) }
func handleGroupUpdate(s *approval.Service) http.Handler { return handleUpdate(s.UpdateGroup) }
func handleGroupDelete(s *approval.Service) http.Handler { return handleDelete(s.DeleteGroup) }
