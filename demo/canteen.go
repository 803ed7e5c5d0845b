package demo

import (
	"context"
	"fmt"
	"time"

	"fleet"
	"fleet/auth"
	"fleet/canteen"
)

// The demo canteen: a Jiangxi county canteen's dishes, this week's menu (published) and next
// week's (a draft, open to the diners' votes and comments), breakfast and lunch on workdays,
// two suppliers and this week's hygiene check. Nothing is seeded twice: dishes and suppliers are
// matched by name, meals by day and kind.

type demoDish struct {
	name, category string
	price          float64
	allergens      []string
}

var demoDishes = []demoDish{
	{"白粥", "porridge", 0.5, nil}, {"小米粥", "porridge", 0.5, nil}, {"肉包", "snack", 1.5, []string{"gluten", "soy"}},
	{"馒头", "staple", 0.5, []string{"gluten"}}, {"煮鸡蛋", "snack", 1, []string{"egg"}}, {"南昌拌粉", "staple", 3, []string{"peanut", "soy"}},
	{"豆浆", "drink", 1, []string{"soy"}}, {"米饭", "staple", 0.5, nil}, {"红烧肉", "meat", 8, []string{"soy"}},
	{"啤酒鸭", "meat", 9, []string{"gluten", "soy"}}, {"清蒸鱼", "meat", 9, []string{"fish"}}, {"辣椒炒肉", "half_meat", 6, nil},
	{"番茄炒蛋", "half_meat", 4, []string{"egg"}}, {"藜蒿炒腊肉", "half_meat", 7, nil}, {"清炒时蔬", "vegetable", 3, nil},
	{"麻婆豆腐", "vegetable", 3, []string{"soy"}}, {"凉拌黄瓜", "vegetable", 2, []string{"sesame"}}, {"紫菜蛋花汤", "soup", 1, []string{"egg"}},
	{"瓦罐汤", "soup", 3, nil}, {"时令水果", "fruit", 1, nil},
}

// demoMenus are the workdays' breakfasts and lunches, Monday to Friday, by dish name.
var demoMenus = [5][2][]string{
	{{"白粥", "肉包", "煮鸡蛋", "豆浆"}, {"米饭", "红烧肉", "番茄炒蛋", "清炒时蔬", "紫菜蛋花汤", "时令水果"}},
	{{"小米粥", "馒头", "煮鸡蛋", "南昌拌粉"}, {"米饭", "啤酒鸭", "麻婆豆腐", "凉拌黄瓜", "瓦罐汤", "时令水果"}},
	{{"白粥", "肉包", "煮鸡蛋", "豆浆"}, {"米饭", "清蒸鱼", "辣椒炒肉", "清炒时蔬", "紫菜蛋花汤", "时令水果"}},
	{{"小米粥", "馒头", "煮鸡蛋", "南昌拌粉"}, {"米饭", "藜蒿炒腊肉", "番茄炒蛋", "麻婆豆腐", "瓦罐汤", "时令水果"}},
	{{"白粥", "肉包", "煮鸡蛋", "豆浆"}, {"米饭", "红烧肉", "辣椒炒肉", "凉拌黄瓜", "紫菜蛋花汤", "时令水果"}},
}

// SeedCanteen seeds the demo canteen for the week of today (county time) and the next; a nil
// service seeds nothing.
func SeedCanteen(ctx context.Context, svc *canteen.Service, today time.Time) error {
	if svc == nil {
		return nil
	}
	a := auth.System
	ids, err := seedDishes(ctx, svc, a)
	if err != nil {
		return err
	}
	monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
	for week := 0; week < 2; week++ {
		start := monday.AddDate(0, 0, 7*week)
		if err := seedWeek(ctx, svc, a, start, ids); err != nil {
			return err
		}
	}
	w, err := svc.GetWeek(ctx, a, monday.Format(time.DateOnly))
	if err != nil {
		return err
	}
	if w.Status == canteen.WeekDraft && len(w.Meals) > 0 {
		if _, err := svc.PublishWeek(ctx, a, canteen.PublishInput{Week: w.WeekStart}); err != nil && fleet.ErrorCode(err) != fleet.EConflict {
			return fmt.Errorf("publish %s: %w", w.WeekStart, err)
		}
	}
	return seedCanteenSafety(ctx, svc, a, monday)
}

func seedDishes(ctx context.Context, svc *canteen.Service, a *auth.Actor) (map[string]int64, error) {
	ids := map[string]int64{}
	stored, _, err := svc.ListDishes(ctx, a, canteen.DishQuery{Page: fleet.Page{Limit: fleet.MaxLimit}})
	if err != nil {
		return nil, err
	}
	for _, d := range stored {
		ids[d.Name] = d.ID
	}
	for _, d := range demoDishes {
		if ids[d.name] != 0 {
			continue
		}
		price := d.price
		got, err := svc.CreateDish(ctx, a, canteen.DishInput{Name: d.name, Category: d.category, Price: &price, Allergens: d.allergens})
		if err != nil {
			return nil, fmt.Errorf("dish %s: %w", d.name, err)
		}
		ids[d.name] = got.ID
	}
	return ids, nil
}

// seedWeek plans the workdays' breakfasts and lunches of a week that are not planned yet.
func seedWeek(ctx context.Context, svc *canteen.Service, a *auth.Actor, monday time.Time, ids map[string]int64) error {
	w, err := svc.GetWeek(ctx, a, monday.Format(time.DateOnly))
	if err != nil {
		return err
	}
	planned := map[string]bool{} // a restart plans nothing twice (and logs no refused insert)
	for _, m := range w.Meals {
		planned[m.Date+" "+m.Kind] = true
	}
	kinds := []string{canteen.Breakfast, canteen.Lunch}
	for day := 0; day < 5; day++ {
		date := monday.AddDate(0, 0, day).Format(time.DateOnly)
		for k, kind := range kinds {
			if planned[date+" "+kind] {
				continue
			}
			var dishes []int64
			for _, name := range demoMenus[day][k] {
				dishes = append(dishes, ids[name])
			}
			_, err := svc.CreateMeal(ctx, a, canteen.MealInput{Date: date, Kind: kind, DishIDs: dishes})
			if err != nil && fleet.ErrorCode(err) != fleet.EConflict {
				return fmt.Errorf("meal %s %s: %w", date, kind, err)
			}
		}
	}
	return nil
}

func seedCanteenSafety(ctx context.Context, svc *canteen.Service, a *auth.Actor, monday time.Time) error {
	known, _, err := svc.ListSuppliers(ctx, a, fleet.Page{Limit: fleet.MaxLimit})
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, s := range known {
		have[s.Name] = true
	}
	for _, sup := range []canteen.SupplierInput{
		{Name: "安和县粮油贸易有限公司", LicenseNo: "JY13609990000011", LicenseExpiry: monday.AddDate(2, 0, 0).Format(time.DateOnly), Contact: "刘经理", Phone: "0795-7000001", Goods: "大米、食用油、面粉"},
		{Name: "安和县城关生鲜配送中心", LicenseNo: "JY13609990000027", LicenseExpiry: monday.AddDate(0, 0, 20).Format(time.DateOnly), Contact: "陈经理", Phone: "0795-7000002", Goods: "蔬菜、肉类、禽蛋"},
	} {
		if have[sup.Name] {
			continue
		}
		if _, err := svc.CreateSupplier(ctx, a, sup); err != nil && fleet.ErrorCode(err) != fleet.EConflict {
			return fmt.Errorf("supplier %s: %w", sup.Name, err)
		}
	}
	checks, _, err := svc.ListHygieneChecks(ctx, a, fleet.Page{Limit: 1})
	if err != nil || len(checks) > 0 {
		return err
	}
	items := make([]canteen.CheckItem, len(canteen.HygieneChecklist))
	for i, it := range canteen.HygieneChecklist {
		items[i] = canteen.CheckItem{Item: it, OK: true}
	}
	_, err = svc.RecordHygieneCheck(ctx, a, canteen.HygieneInput{CheckedOn: monday.Format(time.DateOnly), Inspector: "孙强", Items: items, Note: "每周清洁检查"})
	return err
}
