package canteen_test

import (
	"testing"

	"fleet"
	"fleet/canteen"
)

func TestDraftMenuConsultation(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		rice, pork, fish := f.dish("米饭", "staple", 0.5), f.dish("红烧肉", "meat", 8), f.dish("清蒸鱼", "meat", 9)
		lunch := f.meal("2026-03-09", canteen.Lunch, rice, pork)
		w, _ := f.svc.GetWeek(f.ctx, f.as["li"], "2026-03-09")

		for _, who := range []string{"li", "wang"} {
			if _, err := f.svc.Vote(f.ctx, f.as[who], w.ID, canteen.VoteInput{DishID: pork.ID, Value: 1}); err != nil {
				t.Fatal(err)
			}
		}
		votes, err := f.svc.Vote(f.ctx, f.as["zhou"], w.ID, canteen.VoteInput{DishID: pork.ID, Value: -1})
		if err != nil || len(votes) != 1 || votes[0].Up != 2 || votes[0].Down != 1 || votes[0].Mine != -1 {
			t.Fatalf("votes = %+v, %v", votes, err)
		}
		// li changes her mind; a vote on a dish not on the menu or of 2 is refused.
		votes, _ = f.svc.Vote(f.ctx, f.as["li"], w.ID, canteen.VoteInput{DishID: pork.ID, Value: 0})
		if votes[0].Up != 1 || votes[0].Mine != 0 {
			t.Errorf("after withdrawing = %+v", votes)
		}
		_, err = f.svc.Vote(f.ctx, f.as["li"], w.ID, canteen.VoteInput{DishID: fish.ID, Value: 1})
		wantField(t, err, "dish_id")
		_, err = f.svc.Vote(f.ctx, f.as["li"], w.ID, canteen.VoteInput{DishID: pork.ID, Value: 2})
		wantField(t, err, "value")

		c, err := f.svc.AddComment(f.ctx, f.as["li"], w.ID, canteen.CommentInput{DishID: &pork.ID, Body: "红烧肉太油，希望少放油"})
		if err != nil || c.Dish != "红烧肉" || !c.Mine || c.Author != "" {
			t.Fatalf("comment = %+v, %v (the diner does not see names)", c, err)
		}
		_, err = f.svc.AddComment(f.ctx, f.as["li"], w.ID, canteen.CommentInput{Body: "  "})
		wantField(t, err, "body")
		list, _, err := f.svc.ListComments(f.ctx, f.chef(), canteen.CommentQuery{Unanswered: true})
		if err != nil || len(list) != 1 || list[0].Author != "李娜" || list[0].Unit != "县财政局" {
			t.Fatalf("the manager's list = %+v, %v", list, err)
		}
		_, err = f.svc.AnswerComment(f.ctx, f.as["li"], c.ID, canteen.AnswerInput{Answer: "x"})
		wantCode(t, err, fleet.EForbidden)
		if a, err := f.svc.AnswerComment(f.ctx, f.chef(), c.ID, canteen.AnswerInput{Answer: "已调整做法，减少用油"}); err != nil || a.AnsweredAt == nil {
			t.Fatalf("answer = %+v, %v", a, err)
		}
		seen, err := f.svc.WeekComments(f.ctx, f.as["wang"], w.ID)
		if err != nil || len(seen) != 1 || seen[0].Answer == "" || seen[0].Mine || seen[0].Author != "" {
			t.Errorf("wang sees = %+v, %v", seen, err)
		}

		// Publication closes the consultation.
		if _, err := f.svc.PublishWeek(f.ctx, f.chef(), canteen.PublishInput{Week: "2026-03-09"}); err != nil {
			t.Fatal(err)
		}
		before := f.rows()
		_, err = f.svc.Vote(f.ctx, f.as["wang"], w.ID, canteen.VoteInput{DishID: pork.ID, Value: 1})
		wantCode(t, err, fleet.EConflict)
		_, err = f.svc.AddComment(f.ctx, f.as["wang"], w.ID, canteen.CommentInput{Body: "晚了"})
		wantCode(t, err, fleet.EConflict)
		f.unchanged(before, "after publication")
		_ = lunch
	})
}

func TestRatingsAfterTheMeal(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		rice, pork, greens := f.dish("米饭", "staple", 0.5), f.dish("红烧肉", "meat", 8), f.dish("清炒时蔬", "vegetable", 3)
		lunch := f.meal("2026-03-03", canteen.Lunch, rice, pork)
		f.book("li", lunch.ID, canteen.DineIn)
		wang := f.book("wang", lunch.ID, canteen.DineIn)
		rate := func(who string, rs ...canteen.DishRating) ([]canteen.Rating, error) {
			return f.svc.RateMeal(f.ctx, f.as[who], lunch.ID, canteen.RateInput{Ratings: rs})
		}

		_, err := rate("li", canteen.DishRating{DishID: pork.ID, Score: 5})
		wantCode(t, err, fleet.EConflict) // not served yet

		f.clock.set("2026-03-03 12:30")
		before := f.rows()
		for _, score := range []int{0, 6, -1} {
			_, err := rate("li", canteen.DishRating{DishID: rice.ID, Score: 4}, canteen.DishRating{DishID: pork.ID, Score: score})
			wantField(t, err, "ratings[1].score")
		}
		_, err = rate("li", canteen.DishRating{DishID: greens.ID, Score: 4})
		wantField(t, err, "ratings[0].dish_id") // not on this meal
		_, err = rate("li")
		wantField(t, err, "ratings")
		f.unchanged(before, "bad ratings")

		got, err := rate("li", canteen.DishRating{DishID: pork.ID, Score: 2, Comment: "偏咸"}, canteen.DishRating{DishID: rice.ID, Score: 5})
		if err != nil || len(got) != 2 || got[0].Dish != "红烧肉" || got[0].Score != 2 {
			t.Fatalf("ratings = %+v, %v", got, err)
		}
		// Rating again replaces the score; a walk-in who did not book may rate too.
		if _, err := rate("li", canteen.DishRating{DishID: pork.ID, Score: 3, Comment: "偏咸"}); err != nil {
			t.Fatal(err)
		}
		if _, err := rate("boss", canteen.DishRating{DishID: pork.ID, Score: 4}); err != nil {
			t.Fatal(err)
		}
		// A diner recorded as not having come may not rate.
		if _, err := f.svc.MarkNoShow(f.ctx, f.chef(), wang.ID, canteen.NoShowInput{NoShow: true}); err != nil {
			t.Fatal(err)
		}
		_, err = rate("wang", canteen.DishRating{DishID: pork.ID, Score: 1})
		wantCode(t, err, fleet.EForbidden)

		m, err := f.svc.GetMeal(f.ctx, f.as["li"], lunch.ID)
		if err != nil || m.MyRatings[pork.ID] != 3 || m.MyRatings[rice.ID] != 5 || !m.Rateable || m.Forecast != nil {
			t.Errorf("li's meal = %+v, %v; want her scores, rateable, no forecast for a diner", m, err)
		}
		m, err = f.svc.GetMeal(f.ctx, f.chef(), lunch.ID)
		if err != nil || m.RatingAvg[pork.ID].Count != 2 || m.RatingAvg[pork.ID].Avg != 3.5 {
			t.Errorf("the manager's meal scores = %+v, %v", m.RatingAvg, err)
		}

		// The manager answers comments and sees each dish's scores over time.
		open, _, err := f.svc.ListRatings(f.ctx, f.chef(), canteen.RatingQuery{Unanswered: true})
		if err != nil || len(open) != 1 || open[0].Comment != "偏咸" || open[0].Author != "李娜" {
			t.Fatalf("unanswered = %+v, %v", open, err)
		}
		if _, err := f.svc.AnswerRating(f.ctx, f.chef(), open[0].ID, canteen.AnswerInput{Answer: "已减少用盐"}); err != nil {
			t.Fatal(err)
		}
		mine, err := f.svc.MyRatings(f.ctx, f.as["li"])
		if err != nil || len(mine) != 2 || mine[0].Answer == "" && mine[1].Answer == "" {
			t.Errorf("li's ratings = %+v, %v; want the answer", mine, err)
		}

		next := f.meal("2026-03-10", canteen.Lunch, rice, pork)
		f.clock.set("2026-03-10 12:30")
		if _, err := f.svc.RateMeal(f.ctx, f.as["li"], next.ID, canteen.RateInput{Ratings: []canteen.DishRating{{DishID: pork.ID, Score: 5}}}); err != nil {
			t.Fatal(err)
		}
		tr, err := f.svc.DishTrends(f.ctx, f.chef(), canteen.TrendQuery{From: "2026-03-01", To: "2026-03-31"})
		if err != nil || len(tr) != 2 {
			t.Fatalf("trends = %+v, %v", tr, err)
		}
		p := tr[0] // the lowest first: 红烧肉 3, 4, 5 → 4.0 against 米饭 5
		if p.Dish != "红烧肉" || p.Count != 3 || p.Avg != 4 || len(p.Weeks) != 2 || p.Weeks[0].Avg != 3.5 || p.Weeks[1].Avg != 5 {
			t.Errorf("红烧肉's trend = %+v", p)
		}
		_, err = f.svc.DishTrends(f.ctx, f.as["li"], canteen.TrendQuery{})
		wantCode(t, err, fleet.EForbidden)

		f.clock.set("2026-03-17 12:30") // more than a week after the meal
		_, err = rate("li", canteen.DishRating{DishID: rice.ID, Score: 4})
		wantCode(t, err, fleet.EConflict)
	})
}
