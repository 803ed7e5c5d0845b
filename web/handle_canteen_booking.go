package web

import (
	"context"
	"net/http"

	"fleet"
	"fleet/auth"
	"fleet/canteen"
)

// Canteen bookings and feedback: reservations with their cut-off, the kitchen's counts,
// no-shows, the forecast; the draft menu's votes and comments, ratings and answers.

func handleCanteenBook(c *canteen.Service) http.Handler         { return handleCreate(c.Book) }
func handleCanteenBookingPoint(c *canteen.Service) http.Handler { return handleUpdate(c.ChangePoint) }
func handleCanteenBookingDelete(c *canteen.Service) http.Handler {
	return handleDelete(c.CancelBooking)
}
func handleCanteenMealBookingDelete(c *canteen.Service) http.Handler {
	return handleDelete(c.CancelMealBooking)
}
func handleCanteenNoShow(c *canteen.Service) http.Handler { return handleUpdate(c.MarkNoShow) }

// handleCanteenMine answers the caller's bookings of ?from=&to= as {"items"}.
func handleCanteenMine(c *canteen.Service) http.Handler {
	return handleParsed(func(r *http.Request) (canteen.MyBookingsQuery, error) {
		from, to := queryDays(r)
		return canteen.MyBookingsQuery{From: from, To: to}, nil
	}, func(ctx context.Context, a *auth.Actor, q canteen.MyBookingsQuery) (any, error) {
		items, err := c.MyBookings(ctx, a, q)
		return itemsOf(items), err
	})
}

// handleCanteenCounts answers {"dine_in","takeaway","total","no_shows"}.
func handleCanteenCounts(c *canteen.Service) http.Handler     { return handleGet(c.Counts) }
func handleCanteenForecast(c *canteen.Service) http.Handler   { return handleGet(c.MealForecast) }
func handleCanteenMealBooked(c *canteen.Service) http.Handler { return handleItems(c.MealReservations) }

func handleCanteenRate(c *canteen.Service) http.Handler {
	return handleAdd(http.StatusCreated, func(ctx context.Context, a *auth.Actor, id int64, in canteen.RateInput) (any, error) {
		items, err := c.RateMeal(ctx, a, id, in)
		return itemsOf(items), err
	})
}

func handleCanteenVote(c *canteen.Service) http.Handler {
	return handleUpdate(func(ctx context.Context, a *auth.Actor, id int64, in canteen.VoteInput) (any, error) {
		items, err := c.Vote(ctx, a, id, in)
		return itemsOf(items), err
	})
}
func handleCanteenWeekComments(c *canteen.Service) http.Handler { return handleItems(c.WeekComments) }
func handleCanteenComment(c *canteen.Service) http.Handler {
	return handleAdd(http.StatusCreated, c.AddComment)
}

// handleCanteenComments reads ?week_id=&unanswered=.
func handleCanteenComments(c *canteen.Service) http.Handler {
	return handleList(func(r *http.Request) (canteen.CommentQuery, error) {
		page, err := queryPage(r)
		if err != nil {
			return canteen.CommentQuery{}, err
		}
		p := fleet.Problems{}
		q := canteen.CommentQuery{Page: page, WeekID: optionalID(p, r, "week_id"), Unanswered: officeTrue(optionalBool(p, r, "unanswered"))}
		return q, p.Err()
	}, c.ListComments)
}
func handleCanteenCommentAnswer(c *canteen.Service) http.Handler {
	return handleUpdate(c.AnswerComment)
}

// handleCanteenRatings reads ?dish_id=&meal_id=&from=&to=&unanswered=.
func handleCanteenRatings(c *canteen.Service) http.Handler {
	return handleList(func(r *http.Request) (canteen.RatingQuery, error) {
		page, err := queryPage(r)
		if err != nil {
			return canteen.RatingQuery{}, err
		}
		p := fleet.Problems{}
		from, to := queryDays(r)
		q := canteen.RatingQuery{Page: page, DishID: optionalID(p, r, "dish_id"), MealID: optionalID(p, r, "meal_id"),
			From: from, To: to, Unanswered: officeTrue(optionalBool(p, r, "unanswered"))}
		return q, p.Err()
	}, c.ListRatings)
}
func handleCanteenRatingAnswer(c *canteen.Service) http.Handler { return handleUpdate(c.AnswerRating) }

func handleCanteenMyRatings(c *canteen.Service) http.Handler {
	return handleParsed(noQuery, func(ctx context.Context, a *auth.Actor, _ struct{}) (any, error) {
		items, err := c.MyRatings(ctx, a)
		return itemsOf(items), err
	})
}

// handleCanteenTrends answers {"items":[dish trends]} of ?from=&to=.
func handleCanteenTrends(c *canteen.Service) http.Handler {
	return handleParsed(func(r *http.Request) (canteen.TrendQuery, error) {
		from, to := queryDays(r)
		return canteen.TrendQuery{From: from, To: to}, nil
	}, func(ctx context.Context, a *auth.Actor, q canteen.TrendQuery) (any, error) {
		items, err := c.DishTrends(ctx, a, q)
		return itemsOf(items), err
	})
}

// handleItems answers a record's list as {"items"}.
func handleItems[T any](call func(context.Context, *auth.Actor, int64) ([]T, error)) http.Handler {
	return handleGet(func(ctx context.Context, a *auth.Actor, id int64) (any, error) {
		items, err := call(ctx, a, id)
		return itemsOf(items), err
	})
}

// itemsOf wraps a list as {"items"}, never null.
func itemsOf[T any](items []T) map[string][]T {
	if items == nil {
		items = []T{}
	}
	return map[string][]T{"items": items}
}
