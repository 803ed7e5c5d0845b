package canteen

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// DishQuery narrows ListDishes.
type DishQuery struct {
	fleet.Page
	Category string
	Active   *bool
}

// ListDishes returns dishes, the active ones first, by category and name.
func (s *Service) ListDishes(ctx context.Context, a *auth.Actor, q DishQuery) ([]Dish, int64, error) {
	if err := a.Require(auth.PermCanteenRead); err != nil {
		return nil, 0, err
	}
	if q.Category != "" && !oneOf(q.Category, Categories) {
		return nil, 0, fleet.Invalid(map[string]string{"category": "must be one of " + strings.Join(Categories, ", ")})
	}
	q.Page = q.Page.Normalize()
	rows, total, err := listDishes(s.read(ctx), q)
	if err != nil {
		return nil, 0, err
	}
	out := make([]Dish, len(rows))
	for i := range rows {
		out[i] = rows[i].dish()
	}
	return out, total, nil
}

// GetDish returns one dish.
func (s *Service) GetDish(ctx context.Context, a *auth.Actor, id int64) (*Dish, error) {
	if err := a.Require(auth.PermCanteenRead); err != nil {
		return nil, err
	}
	var r dishRow
	if err := take(s.read(ctx), &r, id, false, "dish"); err != nil {
		return nil, err
	}
	d := r.dish()
	return &d, nil
}

// CreateDish adds a dish; names are unique.
func (s *Service) CreateDish(ctx context.Context, a *auth.Actor, in DishInput) (*Dish, error) {
	if err := a.Require(auth.PermCanteenManage); err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	now := s.now()
	r := &dishRow{CreatedAt: now}
	in.apply(r, now)
	if err := insert(s.read(ctx), r); err != nil {
		return nil, dishConflict(err, in.Name)
	}
	d := r.dish()
	return &d, nil
}

// UpdateDish replaces a dish's fields (its uploaded photo stays). A dish no longer cooked is
// set inactive rather than deleted: past menus and ratings name it.
func (s *Service) UpdateDish(ctx context.Context, a *auth.Actor, id int64, in DishInput) (*Dish, error) {
	if err := a.Require(auth.PermCanteenManage); err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	var out Dish
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var r dishRow
		if err := take(tx, &r, id, true, "dish"); err != nil {
			return err
		}
		in.apply(&r, s.now())
		if err := save(tx, &r); err != nil {
			return dishConflict(err, in.Name)
		}
		out = r.dish()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func (in *DishInput) apply(r *dishRow, now time.Time) {
	r.Name, r.Category, r.Allergens, r.PriceFen = in.Name, in.Category, strings.Join(in.Allergens, ","), yuanToFen(*in.Price)
	r.PhotoURL, r.Note, r.Active, r.UpdatedAt = in.PhotoURL, in.Note, in.Active == nil || *in.Active, now
}

func dishConflict(err error, name string) error {
	if fleet.ErrorCode(err) == fleet.EConflict {
		return &fleet.Error{Code: fleet.EConflict, Message: fmt.Sprintf("a dish named %s exists already", name),
			Fields: map[string]string{"name": "taken by another dish"}}
	}
	return err
}
