package energy_test

import (
	"testing"

	"fleet"
	"fleet/auth"
	"fleet/energy"
)

func TestSavingTypeAgencies(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		crit, err := f.svc.Criteria(f.ctx, f.manager())
		if err != nil || len(crit) == 0 {
			t.Fatalf("checklist = %v, %v", crit, err)
		}
		full := 0.0
		for _, c := range crit {
			full += c.MaxScore
			if c.Source == "" {
				t.Errorf("checklist item %s has no source", c.Code)
			}
		}
		if full != 100 {
			t.Errorf("the seeded checklist totals %g, want 100", full)
		}
		a, err := f.svc.EnrolAgency(f.ctx, f.manager(), energy.AgencyInput{UnitID: f.units[unitA]})
		if err != nil || a.Status != energy.AgencyEnrolled || a.EnrolledOn != "2026-04-15" || len(a.Scores) != len(crit) {
			t.Fatalf("enrol = %+v, %v; want enrolled today with the checklist", a, err)
		}
		b, _ := f.svc.EnrolAgency(f.ctx, f.manager(), energy.AgencyInput{UnitID: f.units[unitB], EnrolledOn: "2025-06-01"})
		before := f.counts()
		_, err = f.svc.EnrolAgency(f.ctx, f.manager(), energy.AgencyInput{UnitID: f.units[unitA]})
		wantCode(t, err, fleet.EConflict)
		_, err = f.svc.EnrolAgency(f.ctx, f.manager(), energy.AgencyInput{UnitID: 999999})
		wantCode(t, err, fleet.EInvalid)
		_, err = f.svc.EnrolAgency(f.ctx, f.as["leader_a"], energy.AgencyInput{UnitID: f.units[unitC]})
		wantCode(t, err, fleet.EForbidden)
		// Scores outside 0..full, unknown items: 400, nothing kept.
		for _, sc := range []energy.ScoreInput{{Code: crit[0].Code, Score: crit[0].MaxScore + 1}, {Code: crit[0].Code, Score: -1}, {Code: "nope", Score: 1}} {
			_, err = f.svc.ScoreAgency(f.ctx, f.manager(), a.ID, energy.ScoresInput{Scores: []energy.ScoreInput{sc}})
			wantCode(t, err, fleet.EInvalid)
		}
		// Certifying before every item is scored is refused.
		_, err = f.svc.DecideAgency(f.ctx, f.manager(), a.ID, energy.DecisionInput{Status: energy.AgencyCertified})
		wantCode(t, err, fleet.EConflict)
		f.unchanged(before)

		// score gives every item its full score but the points lost, taken from the first items.
		score := func(id int64, lose float64) *energy.Agency {
			var in energy.ScoresInput
			for _, c := range crit {
				s := c.MaxScore
				take := min(lose, s)
				s, lose = s-take, lose-take
				in.Scores = append(in.Scores, energy.ScoreInput{Code: c.Code, Score: s})
			}
			ag, err := f.svc.ScoreAgency(f.ctx, f.manager(), id, in)
			if err != nil {
				t.Fatal(err)
			}
			return ag
		}
		// A scores 95 and is certified; B scores 88, under the pass score of 90.
		if ag := score(a.ID, 5); ag.Status != energy.AgencyEvaluated || ag.Score == nil || *ag.Score != 95 {
			t.Fatalf("A scored = %+v, want evaluated with 95", ag)
		}
		if ag := score(b.ID, 12); *ag.Score != 88 {
			t.Fatalf("B scored %g, want 88", *ag.Score)
		}
		_, err = f.svc.DecideAgency(f.ctx, f.manager(), b.ID, energy.DecisionInput{Status: energy.AgencyCertified})
		wantCode(t, err, fleet.EConflict)
		if _, err := f.svc.DecideAgency(f.ctx, f.manager(), b.ID, energy.DecisionInput{Status: energy.AgencyNotPassed, Note: "能耗指标未达标"}); err != nil {
			t.Fatal(err)
		}
		got, err := f.svc.DecideAgency(f.ctx, f.manager(), a.ID, energy.DecisionInput{Status: energy.AgencyCertified})
		if err != nil || got.Status != energy.AgencyCertified || got.DecidedOn != "2026-04-15" {
			t.Fatalf("certify A = %+v, %v", got, err)
		}
		_, err = f.svc.ScoreAgency(f.ctx, f.manager(), a.ID, energy.ScoresInput{Scores: []energy.ScoreInput{{Code: crit[0].Code, Score: 1}}})
		wantCode(t, err, fleet.EConflict)

		// Five units on the platform (A, B, C, the center, and the center's parent none): one
		// certified is 20% against the 80% due by the end of 2025, the last target.
		items, sum, err := f.svc.Agencies(f.ctx, f.manager())
		if err != nil || len(items) != 2 {
			t.Fatalf("agencies = %+v, %v", items, err)
		}
		units, _ := f.auth.ListUnits(f.ctx, auth.System)
		if sum.Agencies != len(units) || sum.Certified != 1 || sum.Evaluated != 2 || sum.Target.Share != 0.8 || sum.Met {
			t.Errorf("summary = %+v, want 1 certified of %d units against 80%%, not met", sum, len(units))
		}
		near(t, "share", sum.Share, 1/float64(len(units)), 1e-4)
		// With the county's own count of agencies (the platform does not hold them all).
		set, _ := f.svc.Settings(f.ctx, f.manager())
		set.AgenciesTotal = 1
		if _, err := f.svc.UpdateSettings(f.ctx, f.manager(), *set); err != nil {
			t.Fatal(err)
		}
		_, sum, _ = f.svc.Agencies(f.ctx, f.manager())
		if sum.Share != 1 || !sum.Met {
			t.Errorf("1 of 1 certified = %+v, want met", sum)
		}
		// Leaders see their own unit's agency.
		mine, _, err := f.svc.Agencies(f.ctx, f.as["leader_a"])
		if err != nil || len(mine) != 1 || mine[0].UnitID != f.units[unitA] {
			t.Errorf("leader's agencies = %+v, %v", mine, err)
		}
		_, err = f.svc.GetAgency(f.ctx, f.as["leader_a"], b.ID)
		wantCode(t, err, fleet.EForbidden)
		// Reopened for the next evaluation.
		if r, err := f.svc.DecideAgency(f.ctx, f.manager(), a.ID, energy.DecisionInput{Status: energy.AgencyEnrolled}); err != nil || r.Status != energy.AgencyEnrolled {
			t.Errorf("reopen = %+v, %v", r, err)
		}
		// A checklist item with scores stays.
		_, err = f.svc.UpdateCriteria(f.ctx, f.manager(), energy.CriteriaInput{Items: crit[1:]})
		wantCode(t, err, fleet.EConflict)
		_, err = f.svc.UpdateCriteria(f.ctx, f.manager(), energy.CriteriaInput{Items: []energy.Criterion{{Code: "x", Name: "x", MaxScore: 0}}})
		wantCode(t, err, fleet.EInvalid)
	})
}
