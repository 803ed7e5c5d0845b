package procurement

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/approval"
	"fleet/auth"
)

// Create files a request and submits its approval instance, in one transaction: both are stored
// or neither. The standards are checked on the way; a request that fails a check needs a
// justification.
func (s *Service) Create(ctx context.Context, a *auth.Actor, in Input) (*Procurement, error) {
	if err := a.Require(auth.PermProcurementsWrite); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	now := s.now()
	var id int64
	err := s.tx(ctx, func(tx *gorm.DB) error {
		checks, err := s.checkTx(ctx, tx, &in, 0, now)
		if err != nil {
			return err
		}
		r := rowOf(&in, checks, s.year(now), now)
		r.UnitID, r.ApplicantID, r.Status, r.CreatedAt = a.UnitID, a.UserID, StatusPending, now
		if err := insertRequest(ctx, tx, r, in.items); err != nil {
			return err
		}
		inst, err := s.approvals.SubmitTx(ctx, tx, a, approval.SubmitInput{
			Definition: Definition, Subject: subject(&in), RefType: RefType, RefID: r.ID, Fields: fields(&in, a.UnitID, checks),
		})
		if err != nil {
			return err
		}
		id = r.ID
		return setApproval(ctx, tx, r.ID, inst.ID, inst.Status)
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "procurement_create", procurementTarget(id), fmt.Sprintf("kind=%s amount=%s", in.Kind, formatYuan(fenToYuan(in.amountFen))))
	return s.get(ctx, id)
}

// Revise replaces a returned request with the applicant's revision, checks it again and
// resubmits its instance, in one transaction.
func (s *Service) Revise(ctx context.Context, a *auth.Actor, id int64, in Input) (*Procurement, error) {
	if err := a.Require(auth.PermProcurementsWrite); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	now := s.now()
	err := s.tx(ctx, func(tx *gorm.DB) error {
		old, err := lockRequest(ctx, tx, id)
		if err != nil {
			return err
		}
		if old.ApplicantID != a.UserID {
			return fleet.Errorf(fleet.EForbidden, "only the applicant may revise a request")
		}
		if old.Status != StatusReturned || old.ApprovalID == nil {
			return fleet.Errorf(fleet.EConflict, "only a returned request can be revised; this one is %s", old.Status)
		}
		checks, err := s.checkTx(ctx, tx, &in, id, now)
		if err != nil {
			return err
		}
		r := rowOf(&in, checks, s.year(now), now)
		r.ID, r.UnitID, r.ApplicantID, r.ApprovalID, r.Status, r.CreatedAt = id, old.UnitID, old.ApplicantID, old.ApprovalID, StatusPending, old.CreatedAt
		if err := replaceRequest(ctx, tx, r, in.items); err != nil {
			return err
		}
		inst, err := s.approvals.ResubmitTx(ctx, tx, a, *old.ApprovalID, fields(&in, old.UnitID, checks))
		if err != nil {
			return err
		}
		return setApproval(ctx, tx, id, inst.ID, inst.Status)
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "procurement_revise", procurementTarget(id), fmt.Sprintf("kind=%s amount=%s", in.Kind, formatYuan(fenToYuan(in.amountFen))))
	return s.get(ctx, id)
}

// Preview checks a request against the standards without filing it, so that the form can show
// the checks (and ask for a justification) before it is sent.
func (s *Service) Preview(ctx context.Context, a *auth.Actor, in Input) ([]Check, error) {
	if err := a.Require(auth.PermProcurementsWrite); err != nil {
		return nil, err
	}
	in.Justification = "preview" // a missing justification is not this call's problem
	if err := in.validate(); err != nil {
		return nil, err
	}
	checks, err := s.evaluateTx(ctx, s.db.WithContext(ctx), &in, 0, s.now())
	return checks, dbErr(err, "")
}

// checkTx gathers the facts, evaluates the standards and refuses a request with a failing check
// and no justification. self is the request being revised (0 when new).
func (s *Service) checkTx(ctx context.Context, tx *gorm.DB, in *Input, self int64, now time.Time) ([]Check, error) {
	checks, err := s.evaluateTx(ctx, tx, in, self, now)
	if err != nil {
		return nil, err
	}
	if n := failed(checks); n > 0 && in.Justification == "" {
		var names []string
		for _, c := range checks {
			if !c.OK && !c.Unverified {
				names = append(names, c.Name+"："+c.Message)
			}
		}
		return nil, &fleet.Error{Code: fleet.EInvalid,
			Message: fmt.Sprintf("%d 项标准核对未通过，须填写理由说明（justification）：%s", n, strings.Join(names, "；")),
			Fields:  map[string]string{"justification": fmt.Sprintf("required: the request fails %d standard check(s)", n)}}
	}
	return checks, nil
}

func (s *Service) evaluateTx(ctx context.Context, tx *gorm.DB, in *Input, self int64, now time.Time) ([]Check, error) {
	if !VehicleKind(in.Kind) {
		return []Check{}, nil
	}
	today := now.In(s.opt.Location)
	f := Facts{Kind: in.Kind, Vehicle: vehicleOf(in.Vehicle), Year: today.Year(),
		Today: time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)}
	if in.Kind == KindVehicleRenewal {
		r, err := replacedVehicle(ctx, tx, *in.Vehicle.ReplacesVehicleID)
		if err != nil {
			return nil, err
		}
		if other, err := openRenewalOf(ctx, tx, r.ID, self); err != nil {
			return nil, err
		} else if other != 0 {
			return nil, &fleet.Error{Code: fleet.EConflict, Message: fmt.Sprintf("vehicle %s is already being renewed by request %d", r.Plate, other),
				Fields: map[string]string{"vehicle.replaces_vehicle_id": fmt.Sprintf("already in request %d", other)}}
		}
		f.Vehicle.ReplacesPlate = r.Plate
		f.Replaced = r
	}
	var err error
	if f.Approved, f.ApprovedNE, err = approvedVehicles(ctx, tx, f.Year, self); err != nil {
		return nil, err
	}
	set, err := listStandards(ctx, tx)
	if err != nil {
		return nil, err
	}
	return Evaluate(set, s.opt.Province, f), nil
}

// Get returns a request with its items, checks and attachments, to those who may see it: the
// applicant, the approvers of its instance, admin and auditors.
func (s *Service) Get(ctx context.Context, a *auth.Actor, id int64) (*Procurement, error) {
	if a == nil {
		return nil, fleet.Errorf(fleet.EUnauthorized, "sign in first")
	}
	p, err := s.get(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.mayView(ctx, a, p.ApplicantID, p.ApprovalID); err != nil {
		return nil, err
	}
	return p, nil
}

// mayView says whether a may see the request of applicant whose instance is approvalID.
func (s *Service) mayView(ctx context.Context, a *auth.Actor, applicant, approvalID int64) error {
	if a.UserID == applicant || a.Can(auth.PermProcurementsAll) {
		return nil
	}
	if approvalID != 0 {
		ok, err := s.approvals.CanSee(ctx, a, approvalID)
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
	}
	return fleet.Errorf(fleet.EForbidden, "only the applicant, the approvers, admin and auditors see this request")
}

// ListQuery narrows List. From and To are as in SummaryQuery; empty ends are open.
type ListQuery struct {
	fleet.Page
	Mine     bool   // only the caller's own requests (always so for those who may not see all)
	Status   string //
	Kind     string // a kind, or "vehicle" for both vehicle kinds
	UnitID   int64
	From, To string
}

// filter is a checked ListQuery.
type filter struct {
	fleet.Page
	Mine         bool
	Status, Kind string
	UnitID       int64
	From, To     time.Time // submitted in [From, To); zero: open
}

// Brief is a request as lists show it.
type Brief struct {
	ID           int64      `json:"id"`
	Kind         string     `json:"kind"`
	Title        string     `json:"title"`
	UnitID       int64      `json:"unit_id"`
	Unit         string     `json:"unit"`
	ApplicantID  int64      `json:"applicant_id"`
	Applicant    string     `json:"applicant"`
	Status       string     `json:"status"`
	ApprovalID   int64      `json:"approval_id"`
	Amount       float64    `json:"amount"`
	ChecksFailed int        `json:"checks_failed"`
	SubmittedAt  time.Time  `json:"submitted_at"`
	DecidedAt    *time.Time `json:"decided_at"`
}

// List returns requests matching q, newest first, and the total: every request for admin and
// auditors, the caller's own for everyone else.
func (s *Service) List(ctx context.Context, a *auth.Actor, q ListQuery) ([]Brief, int64, error) {
	if a == nil {
		return nil, 0, fleet.Errorf(fleet.EUnauthorized, "sign in first")
	}
	from, to, err := s.period(q.From, q.To, false)
	if err != nil {
		return nil, 0, err
	}
	p := fleet.Problems{}
	checkKindStatus(p, q.Kind, q.Status)
	if err := p.Err(); err != nil {
		return nil, 0, err
	}
	f := filter{Page: q.Page.Normalize(), Mine: q.Mine || !a.Can(auth.PermProcurementsAll), Status: q.Status, Kind: q.Kind,
		UnitID: q.UnitID, From: from, To: to}
	return s.list(ctx, a.UserID, f)
}

// year is the county's calendar year at t.
func (s *Service) year(t time.Time) int { return t.In(s.opt.Location).Year() }

// subject is the line inboxes show: 车辆更新：机要通信车更新（¥118,000）.
func subject(in *Input) string {
	return fmt.Sprintf("%s：%s（¥%s）", kindNames[in.Kind], in.Title, formatYuan(fenToYuan(in.amountFen)))
}

// fields are what the approval definition's conditions read.
func fields(in *Input, unitID int64, checks []Check) map[string]any {
	f := map[string]any{
		"kind":          in.Kind,
		"amount":        fenToYuan(in.amountFen),
		"unit_id":       unitID,
		"vehicle":       VehicleKind(in.Kind),
		"checks_failed": failed(checks),
	}
	if v := in.Vehicle; v != nil && VehicleKind(in.Kind) {
		f["class"], f["energy"], f["price"] = v.Class, v.Energy, v.Price
	}
	return f
}

// vehicleOf is the vehicle of a validated input.
func vehicleOf(v *VehicleInput) *Vehicle {
	if v == nil {
		return nil
	}
	return &Vehicle{Class: v.Class, DisplacementL: v.DisplacementL, Price: fenToYuan(yuanToFen(v.Price)), Energy: v.Energy,
		Body: v.Body, MakeDomestic: *v.MakeDomestic, ForLeaderFixed: v.ForLeaderFixed, ReplacesVehicleID: v.ReplacesVehicleID}
}
