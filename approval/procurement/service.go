package procurement

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"gorm.io/gorm"

	"fleet/approval"
	"fleet/auth"
	"fleet/store"
)

// Names under which requests meet the approval engine.
const (
	Definition = "procurement" // the approval definition every request starts
	RefType    = "procurement" // the instances' ref type
)

// Options tune the service; the zero value gets the defaults.
type Options struct {
	// DataDir holds the attachments, under DataDir/attachments (FLEET_DATA_DIR); default "data".
	DataDir string
	// Location is the county's calendar: the year a request counts in, the summary's periods;
	// default Asia/Shanghai.
	Location *time.Location
	// Province names the province whose standards apply besides the national ones ("" for none).
	Province string
	Now      func() time.Time // injectable clock; default time.Now
	Logger   *slog.Logger
}

// Service keeps purchase requests, their attachments and the vehicle standards.
type Service struct {
	db        *store.DB
	approvals *approval.Service
	audit     *auth.Service
	opt       Options
}

// NewService returns a Service on db whose requests go through approvals; audit (for the audit
// log) may be nil in tests. It registers the hook that mirrors an instance's status on its request.
func NewService(db *store.DB, approvals *approval.Service, audit *auth.Service, opt Options) (*Service, error) {
	if db == nil || approvals == nil {
		return nil, errors.New("procurement: a database and the approval service are needed")
	}
	if opt.DataDir == "" {
		opt.DataDir = "data"
	}
	if opt.Location == nil {
		loc, err := time.LoadLocation("Asia/Shanghai")
		if err != nil {
			return nil, fmt.Errorf("procurement: time zone: %w", err)
		}
		opt.Location = loc
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Service{db: db, approvals: approvals, audit: audit, opt: opt}
	approvals.OnFinish(RefType, s.mirrorStatus)
	return s, nil
}

// EnsureDefaults seeds the vehicle standards when the table is empty (first start); it never
// touches a table an admin has edited.
func (s *Service) EnsureDefaults(ctx context.Context) error {
	return s.seedStandards(ctx, DefaultStandards(), s.now())
}

// mirrorStatus runs inside an approval action's transaction: the request takes its instance's
// status, and the time of a final decision.
func (s *Service) mirrorStatus(ctx context.Context, tx *gorm.DB, in *approval.Instance) error {
	var decided *time.Time
	switch in.Status {
	case StatusApproved, StatusRejected, StatusWithdrawn:
		now := s.now()
		decided = &now
	}
	return setStatus(ctx, tx, in.RefID, in.Status, decided, s.now())
}

// now is the service's clock in UTC, to the millisecond (what MySQL's DATETIME(3) keeps).
func (s *Service) now() time.Time { return s.opt.Now().UTC().Truncate(time.Millisecond) }

// attachmentsDir is where files are stored, by content hash.
func (s *Service) attachmentsDir() string { return filepath.Join(s.opt.DataDir, "attachments") }

// record writes an audit line.
func (s *Service) record(ctx context.Context, a *auth.Actor, action, target, detail string) {
	if s.audit != nil {
		s.audit.Record(auth.WithActor(ctx, a), action, target, detail)
	}
}

func procurementTarget(id int64) string { return fmt.Sprintf("procurement:%d", id) }
