package canteen

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// Statuses of a week's menu: drafted (and open to the diners' votes and comments), then
// published ahead of the week; changes after publication go to the change log.
const (
	WeekDraft     = "draft"
	WeekPublished = "published"
)

// Week is the menu of a week, Monday to Sunday.
type Week struct {
	ID             int64        `json:"id"` // 0: nothing planned yet
	WeekStart      string       `json:"week_start"`
	WeekEnd        string       `json:"week_end"`
	Status         string       `json:"status"`
	PublishedAt    *time.Time   `json:"published_at"`
	PublishDue     string       `json:"publish_due"`     // the day by whose end the menu is due
	PublishOverdue bool         `json:"publish_overdue"` // still a draft after the due day, and the week not over
	PublishedLate  bool         `json:"published_late"`
	Meals          []Meal       `json:"meals"`
	Changes        []Change     `json:"changes"` // after publication, newest first
	Votes          []DishVotes  `json:"votes"`
	Comments       int          `json:"comments"`
	Consultation   bool         `json:"consultation"` // diners may vote and comment now
	Settings       WeekSettings `json:"settings"`
}

// WeekSettings are the settings a week's page shows.
type WeekSettings struct {
	PublishWeekday int `json:"publish_weekday"`
}

// Change is one line of a published week's change log.
type Change struct {
	ID     int64     `json:"id"`
	MealID *int64    `json:"meal_id"`
	Date   string    `json:"date"`
	Kind   string    `json:"kind"`
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"` // publish, add_meal, dishes, cutoff, cancel
	From   string    `json:"from"`
	To     string    `json:"to"`
	Reason string    `json:"reason"`
}

// PublishInput names the week to publish by any of its days.
type PublishInput struct {
	Week string `json:"week"`
}

// GetWeek returns the menu of the week holding day (today when empty).
func (s *Service) GetWeek(ctx context.Context, a *auth.Actor, day string) (*Week, error) {
	if err := a.Require(auth.PermCanteenRead); err != nil {
		return nil, err
	}
	now := s.now()
	if day == "" {
		day = s.today(now)
	}
	p := fleet.Problems{}
	d := checkDate(p, "week", &day, true)
	if err := p.Err(); err != nil {
		return nil, err
	}
	db := s.read(ctx)
	start := weekStart(d)
	row, err := weekByStart(db, start, false)
	if err != nil {
		return nil, err
	}
	if row == nil {
		row = &weekRow{WeekStart: start, Status: WeekDraft}
	}
	return s.weekView(db, a, row, now)
}

func (s *Service) weekView(db *gorm.DB, a *auth.Actor, row *weekRow, now time.Time) (*Week, error) {
	set, err := loadSettings(db)
	if err != nil {
		return nil, err
	}
	w := &Week{ID: row.ID, WeekStart: row.WeekStart, WeekEnd: addDays(row.WeekStart, 6), Status: row.Status, PublishedAt: utc(row.PublishedAt),
		Meals: []Meal{}, Changes: []Change{}, Votes: []DishVotes{}, Settings: WeekSettings{PublishWeekday: set.PublishWeekday}}
	w.PublishDue = addDays(row.WeekStart, set.PublishWeekday-8)
	due := at(s.opt.Location, w.PublishDue, dayMinutes)
	ended := !now.Before(at(s.opt.Location, w.WeekEnd, dayMinutes))
	w.PublishOverdue = row.Status == WeekDraft && now.After(due) && !ended
	w.PublishedLate = row.PublishedAt != nil && row.PublishedAt.After(due)
	w.Consultation = row.ID != 0 && row.Status == WeekDraft && !ended
	if row.ID == 0 {
		return w, nil
	}
	meals, err := mealsOfWeek(db, row.ID)
	if err != nil {
		return nil, err
	}
	if w.Meals, err = s.mealViews(db, a, meals); err != nil {
		return nil, err
	}
	if w.Changes, err = s.changes(db, row.ID, meals); err != nil {
		return nil, err
	}
	if w.Votes, err = weekVotes(db, row.ID, a.UserID); err != nil {
		return nil, err
	}
	n, err := countComments(db, row.ID)
	w.Comments = int(n)
	return w, err
}

// PublishWeek publishes a week's menu. Every meal needs its dishes, and a week without meals
// is refused: diners would be shown an empty menu.
func (s *Service) PublishWeek(ctx context.Context, a *auth.Actor, in PublishInput) (*Week, error) {
	if err := a.Require(auth.PermCanteenManage); err != nil {
		return nil, err
	}
	p := fleet.Problems{}
	d := checkDate(p, "week", &in.Week, true)
	if err := p.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	start := weekStart(d)
	var out *Week
	err := s.tx(ctx, func(tx *gorm.DB) error {
		w, err := weekByStart(tx, start, true)
		if err != nil {
			return err
		}
		if err := s.publishable(tx, w, start, now); err != nil {
			return err
		}
		w.Status, w.PublishedAt, w.PublishedBy, w.UpdatedAt = WeekPublished, &now, ptr(a.UserID), now
		if err := save(tx, w); err != nil {
			return err
		}
		if err := s.logChange(tx, a, w, nil, now, "publish", "", fmt.Sprintf("%s 至 %s", start, addDays(start, 6)), ""); err != nil {
			return err
		}
		out, err = s.weekView(tx, a, w, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "canteen_publish", "canteen_week:"+start, "")
	return out, nil
}

// publishable refuses a week that is empty, has a meal without dishes, is published or is over.
func (s *Service) publishable(tx *gorm.DB, w *weekRow, start string, now time.Time) error {
	if w != nil && w.Status == WeekPublished {
		return fleet.Errorf(fleet.EConflict, "the week of %s is published already", start)
	}
	if !now.Before(at(s.opt.Location, addDays(start, 6), dayMinutes)) {
		return fleet.Errorf(fleet.EConflict, "the week of %s is over", start)
	}
	var meals []mealRow
	if w != nil {
		var err error
		if meals, err = mealsOfWeek(tx, w.ID); err != nil {
			return err
		}
	}
	var open []mealRow
	for _, m := range meals {
		if m.Status == MealOpen {
			open = append(open, m)
		}
	}
	if len(open) == 0 {
		return &fleet.Error{Code: fleet.EInvalid, Message: fmt.Sprintf("the week of %s has no meals: an empty menu is not published", start),
			Fields: map[string]string{"week": "the week has no meals: plan meals and their dishes first"}}
	}
	ids := make([]int64, len(open))
	for i, m := range open {
		ids[i] = m.ID
	}
	dishes, err := mealDishes(tx, ids)
	if err != nil {
		return err
	}
	for _, m := range open {
		if len(dishes[m.ID]) == 0 {
			return &fleet.Error{Code: fleet.EInvalid, Message: fmt.Sprintf("the %s of %s has no dishes", m.Kind, m.Day),
				Fields: map[string]string{"meals": fmt.Sprintf("%s %s has no dishes", m.Day, kindNames[m.Kind])}}
		}
	}
	return nil
}

// logChange writes a change log line when the week is published (drafts change freely).
func (s *Service) logChange(tx *gorm.DB, a *auth.Actor, w *weekRow, m *mealRow, now time.Time, action, from, to, reason string) error {
	if w.Status != WeekPublished {
		return nil
	}
	r := &changeRow{WeekID: w.ID, At: now, ActorName: actorName(a), Action: action, FromValue: from, ToValue: to, Reason: reason}
	if a != nil && a.UserID != 0 {
		r.ActorID = ptr(a.UserID)
	}
	if m != nil {
		r.MealID = ptr(m.ID)
	}
	return insert(tx, r)
}

func (s *Service) changes(db *gorm.DB, weekID int64, meals []mealRow) ([]Change, error) {
	rows, err := weekChanges(db, weekID)
	if err != nil {
		return nil, err
	}
	byID := map[int64]mealRow{}
	for _, m := range meals {
		byID[m.ID] = m
	}
	out := make([]Change, len(rows))
	for i, r := range rows {
		c := Change{ID: r.ID, MealID: r.MealID, At: r.At.UTC(), Actor: r.ActorName, Action: r.Action, From: r.FromValue, To: r.ToValue, Reason: r.Reason}
		if r.MealID != nil {
			c.Date, c.Kind = byID[*r.MealID].Day, byID[*r.MealID].Kind
		}
		out[i] = c
	}
	return out, nil
}
