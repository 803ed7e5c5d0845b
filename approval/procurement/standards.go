package procurement

import (
	"context"
	"fmt"

	"fleet/auth"
)

// StandardSet is the vehicle standards as the console shows and edits them.
type StandardSet struct {
	Province  string     `json:"province"` // the province whose rows apply besides the national ones
	Standards []Standard `json:"standards"`
	Rules     []RuleInfo `json:"rules"` // what each rule means, for the editor
}

// RuleInfo describes a rule for the editor.
type RuleInfo struct {
	Rule       string `json:"rule"`
	Name       string `json:"name"`
	Unit       string `json:"unit"`        // of the value: 元, 升, 比例, 年, 公里; "" for a rule without one
	PerVehicle bool   `json:"per_vehicle"` // set per class and body
}

var ruleUnits = map[string]string{
	RulePriceMax: "元", RuleNEPriceMax: "元", RuleDisplacementMax: "升", RuleNEShareMin: "比例", RuleRenewalYears: "年", RuleRenewalKm: "公里",
}

func ruleInfos() []RuleInfo {
	out := make([]RuleInfo, len(Rules))
	for i, r := range Rules {
		out[i] = RuleInfo{Rule: r, Name: ruleNames[r], Unit: ruleUnits[r], PerVehicle: classBound[r]}
	}
	return out
}

// Standards returns the vehicle standards; everyone signed in reads them.
func (s *Service) Standards(ctx context.Context, a *auth.Actor) (*StandardSet, error) {
	if err := a.Require(auth.PermAny); err != nil {
		return nil, err
	}
	set, err := listStandards(ctx, s.db.WithContext(ctx))
	if err != nil {
		return nil, dbErr(err, "")
	}
	return &StandardSet{Province: s.opt.Province, Standards: set, Rules: ruleInfos()}, nil
}

// UpdateStandards replaces the vehicle standards (admin). Requests already filed keep the checks
// they were given; the new standards apply from the next submit.
func (s *Service) UpdateStandards(ctx context.Context, a *auth.Actor, in StandardsInput) (*StandardSet, error) {
	if err := a.Require(auth.PermStandardsWrite); err != nil {
		return nil, err
	}
	set, err := in.validate()
	if err != nil {
		return nil, err
	}
	if err := s.replaceStandards(ctx, set, a.UserID, s.now()); err != nil {
		return nil, err
	}
	s.record(ctx, a, "vehicle_standards_update", "vehicle_standards", fmt.Sprintf("%d standards", len(set)))
	return s.Standards(ctx, a)
}
