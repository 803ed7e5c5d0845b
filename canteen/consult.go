package canteen

import (
	"context"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// The consultation on a draft menu (菜谱征询): while a week's menu is a draft, diners vote for
// or against its dishes and comment; the manager answers, and publishes.

// DishVotes are the votes on one dish of a draft week; Mine is the caller's (+1, -1 or 0).
type DishVotes struct {
	DishID int64 `json:"dish_id"`
	Up     int   `json:"up"`
	Down   int   `json:"down"`
	Mine   int   `json:"mine"`
}

// VoteInput votes on a dish of the week: 1 for, -1 against, 0 to withdraw the vote.
type VoteInput struct {
	DishID int64 `json:"dish_id"`
	Value  int   `json:"value"`
}

// Comment is a diner's comment on a draft menu (one dish, or the week) and the answer. Author
// and Unit are shown to those who run the canteen; Mine marks the caller's own.
type Comment struct {
	ID         int64      `json:"id"`
	WeekID     int64      `json:"week_id"`
	WeekStart  string     `json:"week_start"`
	DishID     *int64     `json:"dish_id"`
	Dish       string     `json:"dish"`
	Author     string     `json:"author,omitempty"`
	Unit       string     `json:"unit,omitempty"`
	Mine       bool       `json:"mine"`
	Body       string     `json:"body"`
	Answer     string     `json:"answer"`
	AnsweredAt *time.Time `json:"answered_at"`
	CreatedAt  time.Time  `json:"created_at"`
}

// CommentInput comments on a draft week (dish_id: on one of its dishes).
type CommentInput struct {
	DishID *int64 `json:"dish_id"`
	Body   string `json:"body"`
}

// AnswerInput answers a comment or a rating.
type AnswerInput struct {
	Answer string `json:"answer"`
}

// Vote records the caller's vote on a dish of a draft week and returns the week's votes.
func (s *Service) Vote(ctx context.Context, a *auth.Actor, weekID int64, in VoteInput) ([]DishVotes, error) {
	if err := a.Require(auth.PermCanteenDine); err != nil {
		return nil, err
	}
	p := fleet.Problems{}
	if in.DishID <= 0 {
		p.Add("dish_id", "required")
	}
	if in.Value < -1 || in.Value > 1 {
		p.Add("value", "must be 1 (for), -1 (against) or 0 (withdraw)")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if _, err := s.consultedWeek(tx, weekID, &in.DishID, now); err != nil {
			return err
		}
		return setVote(tx, weekID, in.DishID, a.UserID, in.Value, now)
	})
	if err != nil {
		return nil, err
	}
	return weekVotes(s.read(ctx), weekID, a.UserID)
}

// AddComment adds the caller's comment on a draft week.
func (s *Service) AddComment(ctx context.Context, a *auth.Actor, weekID int64, in CommentInput) (*Comment, error) {
	if err := a.Require(auth.PermCanteenDine); err != nil {
		return nil, err
	}
	p := fleet.Problems{}
	in.Body = p.Text("body", in.Body, true, 500)
	if in.DishID != nil && *in.DishID <= 0 {
		p.Add("dish_id", "must be a dish id")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	row := &commentRow{WeekID: weekID, DishID: in.DishID, UserID: a.UserID, Body: in.Body, CreatedAt: now}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if _, err := s.consultedWeek(tx, weekID, in.DishID, now); err != nil {
			return err
		}
		return insert(tx, row)
	})
	if err != nil {
		return nil, err
	}
	out, err := s.commentViews(s.read(ctx), a, []commentRow{*row})
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

// consultedWeek reads a week open to consultation: a draft that is not over; a dish named
// must be on its menu.
func (s *Service) consultedWeek(tx *gorm.DB, weekID int64, dishID *int64, now time.Time) (*weekRow, error) {
	var w weekRow
	if err := take(tx, &w, weekID, false, "week"); err != nil {
		return nil, err
	}
	if w.Status != WeekDraft {
		return nil, fleet.Errorf(fleet.EConflict, "the menu is published: the consultation is closed (rate the dishes after the meal)")
	}
	if !now.Before(at(s.opt.Location, addDays(w.WeekStart, 6), dayMinutes)) {
		return nil, fleet.Errorf(fleet.EConflict, "the week is over")
	}
	if dishID == nil {
		return &w, nil
	}
	on, err := dishOnWeek(tx, weekID, *dishID)
	if err != nil {
		return nil, err
	}
	if !on {
		return nil, fleet.Invalid(map[string]string{"dish_id": "not on this week's menu"})
	}
	return &w, nil
}

// WeekComments returns a week's comments, oldest first.
func (s *Service) WeekComments(ctx context.Context, a *auth.Actor, weekID int64) ([]Comment, error) {
	if err := a.Require(auth.PermCanteenRead); err != nil {
		return nil, err
	}
	db := s.read(ctx)
	var w weekRow
	if err := take(db, &w, weekID, false, "week"); err != nil {
		return nil, err
	}
	rows, _, err := listComments(db, CommentQuery{WeekID: weekID, Page: fleet.Page{Limit: fleet.MaxLimit}}, true)
	if err != nil {
		return nil, err
	}
	return s.commentViews(db, a, rows)
}

// CommentQuery narrows ListComments.
type CommentQuery struct {
	fleet.Page
	WeekID     int64
	Unanswered bool
}

// ListComments returns the consultation's comments, newest first, for the manager to answer.
func (s *Service) ListComments(ctx context.Context, a *auth.Actor, q CommentQuery) ([]Comment, int64, error) {
	if err := a.Require(auth.PermCanteenRecords); err != nil {
		return nil, 0, err
	}
	q.Page = q.Page.Normalize()
	db := s.read(ctx)
	rows, total, err := listComments(db, q, false)
	if err != nil {
		return nil, 0, err
	}
	out, err := s.commentViews(db, a, rows)
	return out, total, err
}

// AnswerComment answers a comment (or corrects the answer).
func (s *Service) AnswerComment(ctx context.Context, a *auth.Actor, id int64, in AnswerInput) (*Comment, error) {
	if err := a.Require(auth.PermCanteenManage); err != nil {
		return nil, err
	}
	row, err := answer[commentRow](ctx, s, a, id, in, "comment")
	if err != nil {
		return nil, err
	}
	out, err := s.commentViews(s.read(ctx), a, []commentRow{*row})
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

// answer writes the manager's answer on the comment or rating of id, locked, and returns it.
func answer[R any, P interface {
	*R
	answered() *Answered
}](ctx context.Context, s *Service, a *auth.Actor, id int64, in AnswerInput, what string) (*R, error) {
	p := fleet.Problems{}
	in.Answer = p.Text("answer", in.Answer, true, 1000)
	if err := p.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	var row R
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := take(tx, &row, id, true, what); err != nil {
			return err
		}
		*P(&row).answered() = Answered{Answer: in.Answer, AnsweredBy: ptr(a.UserID), AnsweredAt: &now}
		return save(tx, &row)
	})
	if err != nil {
		return nil, err
	}
	return &row, nil
}

func (s *Service) commentViews(db *gorm.DB, a *auth.Actor, rows []commentRow) ([]Comment, error) {
	var users, dishIDs, weekIDs []int64
	for _, r := range rows {
		users, weekIDs = append(users, r.UserID), append(weekIDs, r.WeekID)
		if r.DishID != nil {
			dishIDs = append(dishIDs, *r.DishID)
		}
	}
	n, err := loadNames(db, users, dishIDs)
	if err != nil {
		return nil, err
	}
	starts, err := weekStarts(db, weekIDs)
	if err != nil {
		return nil, err
	}
	records := a.Can(auth.PermCanteenRecords)
	out := make([]Comment, len(rows))
	for i, r := range rows {
		c := Comment{ID: r.ID, WeekID: r.WeekID, WeekStart: starts[r.WeekID], DishID: r.DishID, Mine: r.UserID == a.UserID, Body: r.Body,
			Answer: r.Answer, AnsweredAt: utc(r.AnsweredAt), CreatedAt: r.CreatedAt.UTC()}
		if r.DishID != nil {
			c.Dish = n.dishes[*r.DishID]
		}
		if records {
			c.Author, c.Unit = n.author(r.UserID)
		}
		out[i] = c
	}
	return out, nil
}
