// Package energy runs the county's public-institution energy saving (公共机构节能): meters per
// building and unit and their cumulative readings (entered by hand or fed by the monitoring
// system), the fleet's fuel and charge from dispatch, monthly and yearly statistics in standard
// coal (tce) and CO2 with per-capita and per-m² indicators against the targets, the monthly
// report as XLSX, saving-type agencies (节约型机关) and energy-saving projects.
package energy

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"time"

	"fleet/auth"
	"fleet/dispatch"
	"fleet/store"
)

// Options tune the service; the zero value gets the defaults.
type Options struct {
	// Location is the county's calendar: a month of the statistics runs from midnight of its
	// first day there; default Asia/Shanghai.
	Location *time.Location
	Now      func() time.Time // injectable clock; default time.Now
	Logger   *slog.Logger
}

// Service keeps meters, readings and the figures built on them.
type Service struct {
	db    *store.DB
	fleet *dispatch.Service
	audit *auth.Service
	opt   Options
}

// NewService returns a Service on db that reads the fleet's fuel and charge from fleet; audit
// (for the security audit log) may be nil in tests.
func NewService(db *store.DB, fleet *dispatch.Service, audit *auth.Service, opt Options) (*Service, error) {
	if db == nil || fleet == nil {
		return nil, errors.New("energy: a database and the fleet service are needed")
	}
	if opt.Location == nil {
		loc, err := time.LoadLocation("Asia/Shanghai")
		if err != nil {
			return nil, fmt.Errorf("energy: time zone: %w", err)
		}
		opt.Location = loc
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	return &Service{db: db, fleet: fleet, audit: audit, opt: opt}, nil
}

// now is the service's clock in UTC, to the second (what readings keep).
func (s *Service) now() time.Time { return s.opt.Now().UTC().Truncate(time.Second) }

// today is the county's calendar day of t, as YYYY-MM-DD.
func (s *Service) today(t time.Time) string { return t.In(s.opt.Location).Format(time.DateOnly) }

// record writes an audit line.
func (s *Service) record(ctx context.Context, a *auth.Actor, action, target, detail string) {
	if s.audit != nil {
		s.audit.Record(auth.WithActor(ctx, a), action, target, detail)
	}
}

// Areas are stored in whole dm² (0.01 m²) and money in fen; the API speaks m² and yuan.

func toDm2(m2 float64) int64 { return int64(math.Round(m2 * 100)) }
func toM2(dm2 int64) float64 { return float64(dm2) / 100 }
func toFen(y float64) int64  { return int64(math.Round(y * 100)) }
func toYuan(f int64) float64 { return float64(f) / 100 }
func round(x float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(x*p) / p
}

func ptr[T any](v T) *T { return &v }
