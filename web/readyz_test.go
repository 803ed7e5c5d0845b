package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"fleet/auth"
	"fleet/store/storetest"
	"fleet/web"
)

// pinger answers Ping with err.
type pinger struct{ err error }

func (p pinger) Ping(context.Context) error { return p.err }

// Redis down leaves an instance ready but degraded, saying why; the database down makes it
// unavailable.
func TestReadyzWithRedisDown(t *testing.T) {
	tests := []struct {
		name       string
		dbClosed   bool
		redis      error
		wantStatus int
		wantWord   string
		wantRedis  string
	}{
		{"all up", false, nil, 200, "ready", "ok"},
		{"redis down", false, errors.New("dial tcp: connection refused"), 200, "degraded", "unreachable: dial tcp: connection refused"},
		{"db and redis down", true, errors.New("dial tcp: connection refused"), 503, "unavailable", "unreachable: dial tcp: connection refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := storetest.SQLite(t)
			a := auth.NewService(db, auth.Options{BcryptCost: 4})
			srv := httptest.NewServer(web.NewServer(web.Deps{Auth: a, DB: db, Bus: pinger{tt.redis}, BusName: "redis"}))
			defer srv.Close()
			if tt.dbClosed {
				db.Close()
			}
			res, err := http.Get(srv.URL + "/readyz")
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			var got struct {
				Status string
				Checks map[string]string
			}
			json.Unmarshal(b, &got)
			if res.StatusCode != tt.wantStatus || got.Status != tt.wantWord || got.Checks["redis"] != tt.wantRedis {
				t.Fatalf("readyz = %d %s, want %d %q with redis %q", res.StatusCode, b, tt.wantStatus, tt.wantWord, tt.wantRedis)
			}
			if db := got.Checks["db"]; tt.dbClosed != strings.HasPrefix(db, "unreachable") {
				t.Fatalf("readyz db check = %q with the db closed %v", db, tt.dbClosed)
			}
		})
	}
}
