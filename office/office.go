// Package office keeps the county's one ledger of office space (办公用房台账): buildings, rooms,
// who uses them and the full history of every change; the standards by rank; over-standard
// cases; reallocation (统筹调剂) through the approval engine; clearances (清退), departures to
// recover, inspections (督查整改), reports and XLSX exchange, and facilities (设施维护).
package office

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"time"

	"fleet/approval"
	"fleet/auth"
	"fleet/store"
)

// Names under which reallocation requests meet the approval engine.
const (
	Definition = "office_reallocation" // the approval definition every reallocation request starts
	RefType    = "office_reallocation" // the instances' ref type
)

// Uses of a room. A room is vacant (in the center's pool) when no unit and no person holds it;
// vacancy is a state, not a use.
const (
	UseOffice    = "office"    // 办公室用房
	UseService   = "service"   // 服务用房: meeting rooms, archives, reception
	UseEquipment = "equipment" // 设备用房: power, water, machine rooms
	UseAncillary = "ancillary" // 附属用房: canteen, garage, civil defence
)

// Uses lists the uses of a room.
var Uses = []string{UseOffice, UseService, UseEquipment, UseAncillary}

var useNames = map[string]string{
	UseOffice: "办公室用房", UseService: "服务用房", UseEquipment: "设备用房", UseAncillary: "附属用房",
}

// Options tune the service; the zero value gets the defaults.
type Options struct {
	// Location is the county's calendar: deadlines, "today", the month to recover a room in;
	// default Asia/Shanghai.
	Location *time.Location
	// Level is the administrative level whose standards apply (county, city, province,
	// central); default county.
	Level  string
	Now    func() time.Time // injectable clock; default time.Now
	Logger *slog.Logger
}

// Service keeps the office-space ledger and everything built on it.
type Service struct {
	db        *store.DB
	approvals *approval.Service
	audit     *auth.Service
	opt       Options
}

// NewService returns a Service on db whose reallocation requests go through approvals; audit
// (for the security audit log and the admin's id as fallback approver) may be nil in tests. It
// registers the hook that applies an approved reallocation.
func NewService(db *store.DB, approvals *approval.Service, audit *auth.Service, opt Options) (*Service, error) {
	if db == nil || approvals == nil {
		return nil, errors.New("office: a database and the approval service are needed")
	}
	if opt.Location == nil {
		loc, err := time.LoadLocation("Asia/Shanghai")
		if err != nil {
			return nil, fmt.Errorf("office: time zone: %w", err)
		}
		opt.Location = loc
	}
	if opt.Level == "" {
		opt.Level = LevelCounty
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Service{db: db, approvals: approvals, audit: audit, opt: opt}
	approvals.OnFinish(RefType, s.onReallocation)
	return s, nil
}

// now is the service's clock in UTC, to the millisecond (what MySQL's DATETIME(3) keeps).
func (s *Service) now() time.Time { return s.opt.Now().UTC().Truncate(time.Millisecond) }

// today is the county's calendar day of t, as YYYY-MM-DD.
func (s *Service) today(t time.Time) string { return t.In(s.opt.Location).Format(time.DateOnly) }

// record writes an audit line.
func (s *Service) record(ctx context.Context, a *auth.Actor, action, target, detail string) {
	if s.audit != nil {
		s.audit.Record(auth.WithActor(ctx, a), action, target, detail)
	}
}

// Areas are stored in whole dm² (0.01 m²), so sums are exact; the API speaks m².

// toDm2 rounds m² to the nearest 0.01 m².
func toDm2(m2 float64) int64 { return int64(math.Round(m2 * 100)) }

// toM2 is dm² as m².
func toM2(dm2 int64) float64 { return float64(dm2) / 100 }

// round2 rounds m² to 0.01 m² for display.
func round2(x float64) float64 { return math.Round(x*100) / 100 }

// Money is kept in whole fen (分); the API speaks yuan.

func yuanToFen(y float64) int64 { return int64(math.Round(y * 100)) }
func fenToYuan(f int64) float64 { return float64(f) / 100 }
