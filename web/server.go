// Package web is the HTTP layer of fleet: JSON API, auth middleware, health and metrics, and the
// embedded console. It holds no business rules.
package web

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"fleet/approval"
	"fleet/approval/procurement"
	"fleet/auth"
	"fleet/canteen"
	"fleet/dispatch"
	"fleet/energy"
	"fleet/office"
	"fleet/tracking"
)

// Pinger is a dependency whose reachability /readyz reports.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Deps are what the HTTP layer needs.
type Deps struct {
	Logger   *slog.Logger
	Auth     *auth.Service
	Approval *approval.Service // sign-offs: definitions, groups, instances
	Fleet    *dispatch.Service
	Tracking *tracking.Service
	DB       Pinger // the store
	Bus      Pinger // the bus: Redis when configured, nil otherwise
	BusName  string // "redis" or "in-process", for /readyz
	Console  http.Handler
	MaxBody  int64 // bytes of a request body; default 1 MiB
	TrustXFF bool  // take the client address from X-Forwarded-For / X-Real-IP (behind a proxy)
	Registry *prometheus.Registry
	Hub      *Hub     // live push at /ws; nil: no websocket
	Tiles    Tiles    // the console map's tile layer
	Origins  []string // origins besides this host allowed to open /ws

	// Procurement holds purchase requests, their attachments and the vehicle standards.
	Procurement *procurement.Service
	// Office is the office-space ledger (办公用房): rooms, standards, reallocation, inspections.
	Office *office.Service
	// Canteen is the canteen (机关食堂): menus, bookings, feedback, waste, food safety.
	Canteen *canteen.Service
	// Dispatch is the dispatch desk: requests, candidates, assignment, drivers' tasks.
	Dispatch *dispatch.Desk
	// Energy is public-institution energy saving (公共机构节能): meters, readings, statistics.
	Energy *energy.Service
}

// Tiles is the console map's tile source: an XYZ URL template ("" for none: the map draws the
// county outline on a plain background) and the datum its tiles are drawn in, "wgs84" (OSM,
// 天地图) or "gcj02" (Gaode, Tencent: positions are shifted for display only).
type Tiles struct {
	URL string `json:"tile_url"`
	CRS string `json:"tile_crs"`
}

// NewServer returns the platform's HTTP handler.
func NewServer(d Deps) http.Handler {
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.MaxBody <= 0 {
		d.MaxBody = 1 << 20
	}
	if d.Registry == nil {
		d.Registry = prometheus.NewRegistry()
		d.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	if d.Console == nil {
		d.Console = http.NotFoundHandler()
	}
	s := &server{deps: d, mux: http.NewServeMux(), metrics: newMetrics(d.Registry)}
	s.routes()
	return s.middleware(s.mux)
}

// server carries the dependencies to the route table and middleware.
type server struct {
	deps    Deps
	mux     *http.ServeMux
	metrics *metrics
	collect bool    // only list the routes (Routes)
	table   []Route // the routes listed
}
