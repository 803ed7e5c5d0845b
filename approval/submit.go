package approval

import (
	"context"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// SubmitTx starts an instance of the newest version of in.Definition inside the caller's
// transaction (the owner's row and the instance commit together). The actor is the applicant.
// Every step that applies must have an approver (409 naming the step otherwise). The approvers
// of the first step are notified once tx has committed.
func (s *Service) SubmitTx(ctx context.Context, tx *gorm.DB, a *auth.Actor, in SubmitInput) (*Instance, error) {
	if err := a.Require(auth.PermApprovalsAct); err != nil {
		return nil, err
	}
	if a.UserID == 0 {
		return nil, fleet.Errorf(fleet.EInvalid, "an approval needs an applicant who is a user")
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	tx = tx.WithContext(ctx)
	defRow, err := latestDefinitionRow(tx, in.Definition)
	if fleet.ErrorCode(err) == fleet.ENotFound {
		return nil, fleet.Invalid(map[string]string{"definition": "no approval definition " + in.Definition})
	}
	if err != nil {
		return nil, err
	}
	def, err := s.definition(tx, defRow.Key, defRow.Version)
	if err != nil {
		return nil, err
	}
	fieldsJSON, err := encodeFields(in.Fields)
	if err != nil {
		return nil, err
	}
	fields, err := decodeFields(fieldsJSON)
	if err != nil {
		return nil, err
	}
	plan, err := def.plan(fields)
	if err != nil {
		return nil, err
	}
	if err := checkPlan(tx, def, plan, a.UserID, a.UnitID); err != nil {
		return nil, err
	}
	now := s.now()
	row := &instanceRow{DefinitionKey: def.Key, DefinitionVersion: def.Version, Subject: in.Subject, RefType: in.RefType,
		RefID: in.RefID, ApplicantID: a.UserID, UnitID: a.UnitID, Status: StatusPending, StepIndex: -1, Fields: fieldsJSON,
		Version: 1, CreatedAt: now, UpdatedAt: now}
	r := &run{row: row, def: def, fields: fields, plan: plan}
	ch := &change{}
	first := nextStep(plan, -1)
	var approvers []int64
	if first < 0 {
		finish(r, StatusApproved, now) // no step applies: nothing to approve
		ch.status = true
	} else if approvers, err = enter(tx, r, first, now, ch); err != nil {
		return nil, err
	}
	if err := insertInstance(tx, row); err != nil {
		return nil, err
	}
	for i := range ch.newTasks {
		ch.newTasks[i].InstanceID = row.ID
	}
	ch.actions = append(ch.actions, trail(r, a.UserID, ActSubmit, "", now))
	if err := s.apply(ctx, tx, r, ch, now); err != nil {
		return nil, err
	}
	if first >= 0 {
		s.publishAfterCommit(row, []Notice{notice(r, EventPending, approvers)})
	}
	return s.view(tx, a, r)
}

// ResubmitTx restarts a returned instance after revision, with new fields (nil keeps the old
// ones), from the first step that applies, on the definition version it started with. Only the
// applicant resubmits.
func (s *Service) ResubmitTx(ctx context.Context, tx *gorm.DB, a *auth.Actor, id int64, fields map[string]any) (*Instance, error) {
	if err := a.Require(auth.PermApprovalsAct); err != nil {
		return nil, err
	}
	tx = tx.WithContext(ctx)
	r, err := s.load(tx, id)
	if err != nil {
		return nil, err
	}
	if a.UserID == 0 || a.UserID != r.row.ApplicantID {
		return nil, fleet.Errorf(fleet.EForbidden, "only the applicant resubmits a request")
	}
	if r.row.Status != StatusReturned {
		return nil, fleet.Errorf(fleet.EConflict, "only a returned request can be resubmitted; this one is %s", r.row.Status)
	}
	if fields != nil {
		p := fleet.Problems{}
		checkFields(p, fields)
		if err := p.Err(); err != nil {
			return nil, err
		}
		if r.row.Fields, err = encodeFields(fields); err != nil {
			return nil, err
		}
		if r.fields, err = decodeFields(r.row.Fields); err != nil {
			return nil, err
		}
		if r.plan, err = r.def.plan(r.fields); err != nil {
			return nil, err
		}
	}
	if err := checkPlan(tx, r.def, r.plan, r.row.ApplicantID, r.row.UnitID); err != nil {
		return nil, err
	}
	now := s.now()
	ch := &change{claim: true, status: true}
	first := nextStep(r.plan, -1)
	var approvers []int64
	r.row.Decided = false
	if first < 0 {
		finish(r, StatusApproved, now)
	} else if approvers, err = enter(tx, r, first, now, ch); err != nil {
		return nil, err
	}
	ch.actions = append(ch.actions, trail(r, a.UserID, ActResubmit, "", now))
	if err := s.apply(ctx, tx, r, ch, now); err != nil {
		if err == errStale {
			return nil, fleet.Errorf(fleet.EConflict, "the request changed meanwhile; reload it")
		}
		return nil, err
	}
	if first >= 0 {
		s.publishAfterCommit(r.row, []Notice{notice(r, EventPending, approvers)})
	}
	return s.view(tx, a, r)
}
