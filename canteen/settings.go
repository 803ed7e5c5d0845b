package canteen

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// Settings are the canteen's rules the manager may change. Minutes count from 00:00 of the
// meal's day in the county; a negative cut-off is on the day before (-240: 20:00 the day before).
type Settings struct {
	// PublishWeekday is the day of the week before (1 Monday … 7 Sunday) by the end of which
	// next week's menu is due to be published.
	PublishWeekday int            `json:"publish_weekday"`
	CutoffMinutes  map[string]int `json:"cutoff_minutes"` // by kind: the default cut-off of a new meal
	ServeMinutes   map[string]int `json:"serve_minutes"`  // by kind: when serving starts
	WasteTargetG   int            `json:"waste_target_g"` // grams of food waste per diner, at most
}

const dayMinutes = 24 * 60

func (r *settingsRow) settings() Settings {
	return Settings{
		PublishWeekday: r.PublishWeekday,
		CutoffMinutes:  map[string]int{Breakfast: r.CutoffBreakfastMin, Lunch: r.CutoffLunchMin, Dinner: r.CutoffDinnerMin},
		ServeMinutes:   map[string]int{Breakfast: r.ServeBreakfastMin, Lunch: r.ServeLunchMin, Dinner: r.ServeDinnerMin},
		WasteTargetG:   r.WasteTargetG,
	}
}

func (r *settingsRow) cutoff(kind string) int { return r.settings().CutoffMinutes[kind] }
func (r *settingsRow) serve(kind string) int  { return r.settings().ServeMinutes[kind] }

// GetSettings returns the canteen's settings.
func (s *Service) GetSettings(ctx context.Context, a *auth.Actor) (*Settings, error) {
	if err := a.Require(auth.PermCanteenRead); err != nil {
		return nil, err
	}
	r, err := loadSettings(s.read(ctx))
	if err != nil {
		return nil, err
	}
	out := r.settings()
	return &out, nil
}

// UpdateSettings replaces the settings. Every kind needs its cut-off and serving time; a
// cut-off may not fall after serving starts, nor more than a week before the day.
func (s *Service) UpdateSettings(ctx context.Context, a *auth.Actor, in Settings) (*Settings, error) {
	if err := a.Require(auth.PermCanteenManage); err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	var out Settings
	err := s.tx(ctx, func(tx *gorm.DB) error {
		r, err := loadSettings(tx)
		if err != nil {
			return err
		}
		r.PublishWeekday, r.WasteTargetG = in.PublishWeekday, in.WasteTargetG
		r.CutoffBreakfastMin, r.CutoffLunchMin, r.CutoffDinnerMin = in.CutoffMinutes[Breakfast], in.CutoffMinutes[Lunch], in.CutoffMinutes[Dinner]
		r.ServeBreakfastMin, r.ServeLunchMin, r.ServeDinnerMin = in.ServeMinutes[Breakfast], in.ServeMinutes[Lunch], in.ServeMinutes[Dinner]
		r.UpdatedBy, r.UpdatedAt = ptr(a.UserID), s.now()
		out = r.settings()
		return save(tx, r)
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "canteen_settings", "canteen", fmt.Sprintf("publish_weekday=%d waste_target_g=%d cutoff=%v serve=%v",
		out.PublishWeekday, out.WasteTargetG, out.CutoffMinutes, out.ServeMinutes))
	return &out, nil
}

func (in *Settings) check() error {
	p := fleet.Problems{}
	if in.PublishWeekday < 1 || in.PublishWeekday > 7 {
		p.Add("publish_weekday", "must be 1 (Monday) to 7 (Sunday)")
	}
	if in.WasteTargetG < 1 || in.WasteTargetG > 2000 {
		p.Add("waste_target_g", "must be 1 to 2000 grams per diner")
	}
	for _, k := range Kinds {
		serve, ok := in.ServeMinutes[k]
		if !ok || serve < 0 || serve >= dayMinutes {
			p.Add("serve_minutes."+k, "required: minutes after midnight, 0 to 1439")
		}
		cut, ok := in.CutoffMinutes[k]
		switch {
		case !ok || cut < -7*dayMinutes || cut >= dayMinutes:
			p.Add("cutoff_minutes."+k, "required: minutes from midnight of the meal's day, at most a week before")
		case cut > serve:
			p.Add("cutoff_minutes."+k, "must not be after serving starts")
		}
	}
	for k := range in.ServeMinutes {
		if !oneOf(k, Kinds) {
			p.Add("serve_minutes."+k, "unknown kind of meal")
		}
	}
	for k := range in.CutoffMinutes {
		if !oneOf(k, Kinds) {
			p.Add("cutoff_minutes."+k, "unknown kind of meal")
		}
	}
	return p.Err()
}
