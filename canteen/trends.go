package canteen

import (
	"context"
	"sort"
	"time"

	"fleet/auth"
)

// DishTrend is how a dish was rated over a period: overall and week by week.
type DishTrend struct {
	DishID   int64        `json:"dish_id"`
	Dish     string       `json:"dish"`
	Category string       `json:"category"`
	Count    int          `json:"count"`
	Avg      float64      `json:"avg"`
	Weeks    []ScorePoint `json:"weeks"`
}

// ScorePoint is the ratings of one week.
type ScorePoint struct {
	Start string  `json:"start"`
	Count int     `json:"count"`
	Avg   float64 `json:"avg"`
}

// TrendQuery names the meal days of a trend; default the 12 weeks to today.
type TrendQuery struct {
	From, To string
}

// DishTrends returns every rated dish's scores over the period, the lowest average first (what
// the manager should look at).
func (s *Service) DishTrends(ctx context.Context, a *auth.Actor, q TrendQuery) ([]DishTrend, error) {
	if err := a.Require(auth.PermCanteenRecords); err != nil {
		return nil, err
	}
	if err := period(&q.From, &q.To, 84, s.today(s.now())); err != nil {
		return nil, err
	}
	db := s.read(ctx)
	scores, err := scoresBetween(db, q.From, q.To)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, sc := range scores {
		ids = append(ids, sc.DishID)
	}
	dishes, err := dishesByID(db, ids)
	if err != nil {
		return nil, err
	}
	return trends(scores, dishes), nil
}

// dayScore is one rating as the trends read it.
type dayScore struct {
	DishID int64
	Day    string
	Score  int
}

type tally struct{ n, sum int }

func (t tally) avg() float64 {
	if t.n == 0 {
		return 0
	}
	return round2(float64(t.sum) / float64(t.n))
}

func trends(scores []dayScore, dishes map[int64]dishRow) []DishTrend {
	total := map[int64]*tally{}
	weekly := map[int64]map[string]*tally{}
	for _, sc := range scores {
		if total[sc.DishID] == nil {
			total[sc.DishID], weekly[sc.DishID] = &tally{}, map[string]*tally{}
		}
		d, _ := time.Parse(time.DateOnly, sc.Day)
		ws := weekStart(d)
		if weekly[sc.DishID][ws] == nil {
			weekly[sc.DishID][ws] = &tally{}
		}
		for _, t := range []*tally{total[sc.DishID], weekly[sc.DishID][ws]} {
			t.n++
			t.sum += sc.Score
		}
	}
	out := make([]DishTrend, 0, len(total))
	for id, t := range total {
		tr := DishTrend{DishID: id, Dish: dishes[id].Name, Category: dishes[id].Category, Count: t.n, Avg: t.avg()}
		for ws, wt := range weekly[id] {
			tr.Weeks = append(tr.Weeks, ScorePoint{Start: ws, Count: wt.n, Avg: wt.avg()})
		}
		sort.Slice(tr.Weeks, func(i, j int) bool { return tr.Weeks[i].Start < tr.Weeks[j].Start })
		out = append(out, tr)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Avg != out[j].Avg {
			return out[i].Avg < out[j].Avg
		}
		return out[i].Dish < out[j].Dish
	})
	return out
}
