package web

import (
	"context"
	"net/http"
	"strconv"

	"fleet"
	"fleet/auth"
)

// The shapes every record handler shares: decode → one service call → encode.

func handleCreate[In, Out any](call func(context.Context, *auth.Actor, In) (Out, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in In
		if err := decode(r, &in); err != nil {
			writeError(w, r, err)
			return
		}
		out, err := call(r.Context(), actor(r), in)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusCreated, out)
	})
}

func handleUpdate[In, Out any](call func(context.Context, *auth.Actor, int64, In) (Out, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		var in In
		if err := decode(r, &in); err != nil {
			writeError(w, r, err)
			return
		}
		out, err := call(r.Context(), actor(r), id, in)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	})
}

func handleGet[Out any](call func(context.Context, *auth.Actor, int64) (Out, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		out, err := call(r.Context(), actor(r), id)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	})
}

func handleDelete(call func(context.Context, *auth.Actor, int64) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		if err := call(r.Context(), actor(r), id); err != nil {
			writeError(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

// handleList parses the filter from the query, calls the service and answers {"items","total"}.
func handleList[F, T any](parse func(*http.Request) (F, error), call func(context.Context, *auth.Actor, F) ([]T, int64, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, err := parse(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		items, total, err := call(r.Context(), actor(r), f)
		if err != nil {
			writeError(w, r, err)
			return
		}
		if items == nil {
			items = []T{}
		}
		writeJSON(w, http.StatusOK, list[T]{Items: items, Total: total})
	})
}

// handleParsed parses a query, calls the service and answers its result with 200.
func handleParsed[Q, Out any](parse func(*http.Request) (Q, error), call func(context.Context, *auth.Actor, Q) (Out, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, err := parse(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		out, err := call(r.Context(), actor(r), q)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	})
}

// handleReplace is handleCreate answering 200: a replacement rather than a new record.
func handleReplace[In, Out any](call func(context.Context, *auth.Actor, In) (Out, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in In
		if err := decode(r, &in); err != nil {
			writeError(w, r, err)
			return
		}
		out, err := call(r.Context(), actor(r), in)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	})
}

// handleAdd is handleUpdate answering status (201 for a record added under {id}).
func handleAdd[In, Out any](status int, call func(context.Context, *auth.Actor, int64, In) (Out, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		var in In
		if err := decode(r, &in); err != nil {
			writeError(w, r, err)
			return
		}
		out, err := call(r.Context(), actor(r), id, in)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, status, out)
	})
}

// optionalID reads an optional id parameter, recording its problem in p.
func optionalID(p fleet.Problems, r *http.Request, name string) int64 {
	id, err := queryID(r, name)
	if err != nil {
		p.Add(name, "must be an id")
	}
	return id
}

// optionalBool reads an optional 1/0/true/false parameter; nil when absent.
func optionalBool(p fleet.Problems, r *http.Request, name string) *bool {
	s := r.URL.Query().Get(name)
	if s == "" {
		return nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		p.Add(name, "must be 1 or 0")
		return nil
	}
	return &b
}
