package canteen

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// Sheets of the monthly workbook.
const (
	SheetDiners   = "就餐人数"
	SheetUnits    = "单位就餐"
	SheetWaste    = "浪费"
	SheetRatings  = "菜品评价"
	SheetComments = "评价意见"
)

var weekdayNames = []string{"日", "一", "二", "三", "四", "五", "六"}

// MonthlyXLSX is a month's diners (by meal and by unit), waste and ratings as a workbook, and
// its file name. month is YYYY-MM.
func (s *Service) MonthlyXLSX(ctx context.Context, a *auth.Actor, month string) ([]byte, string, error) {
	if err := a.Require(auth.PermCanteenRecords); err != nil {
		return nil, "", err
	}
	p := fleet.Problems{}
	from, to := checkMonth(p, "month", month)
	if err := p.Err(); err != nil {
		return nil, "", err
	}
	title := from[:4] + "年" + from[5:7] + "月"
	b, err := newBook()
	if err != nil {
		return nil, "", fmt.Errorf("canteen: workbook: %w", err)
	}
	defer b.f.Close()
	db := s.read(ctx)
	for _, sheet := range []func(*gorm.DB, *book, string, string, string) error{s.dinersSheet, s.unitsSheet, s.wasteSheet, s.ratingSheets} {
		if err := sheet(db, b, from, to, title); err != nil {
			return nil, "", err
		}
	}
	var buf bytes.Buffer
	if err := b.f.Write(&buf); err != nil {
		return nil, "", fmt.Errorf("canteen: workbook: %w", err)
	}
	return buf.Bytes(), fmt.Sprintf("机关食堂月报_%s.xlsx", from[:7]), nil
}

func (s *Service) dinersSheet(db *gorm.DB, b *book, from, to, title string) error {
	meals, err := mealsBetween(db, from, to)
	if err != nil {
		return err
	}
	ids := make([]int64, len(meals))
	for i, m := range meals {
		ids[i] = m.ID
	}
	counts, err := mealCounts(db, ids)
	if err != nil {
		return err
	}
	waste, err := wasteByMeal(db, ids)
	if err != nil {
		return err
	}
	cols := []col{{"日期", 12}, {"星期", 6}, {"餐次", 8}, {"状态", 8}, {"预订堂食", 10}, {"预订外带", 10}, {"预订合计", 10}, {"未就餐", 8}, {"实际就餐", 10}}
	var rows [][]any
	var sum [5]int
	for _, m := range meals {
		c := counts[m.ID]
		diners := c.Total - c.NoShows
		if w, ok := waste[m.ID]; ok {
			diners = w.Diners
		}
		status := "供应"
		if m.Status == MealCancelled {
			status, diners = "停供", 0
		}
		d, _ := time.Parse(time.DateOnly, m.Day)
		rows = append(rows, []any{m.Day, weekdayNames[d.Weekday()], kindNames[m.Kind], status, c.DineIn, c.Takeaway, c.Total, c.NoShows, diners})
		for i, v := range []int{c.DineIn, c.Takeaway, c.Total, c.NoShows, diners} {
			sum[i] += v
		}
	}
	return b.sheet(SheetDiners, title+" 机关食堂就餐人数（实际就餐：称重记录的人数，未记录时为预订减未就餐）", cols, rows,
		[]any{"合计", "", "", "", sum[0], sum[1], sum[2], sum[3], sum[4]})
}

func (s *Service) unitsSheet(db *gorm.DB, b *book, from, to, title string) error {
	res, err := reservationsBetween(db, from, to)
	if err != nil {
		return err
	}
	meals, err := mealsBetween(db, from, to)
	if err != nil {
		return err
	}
	kind, open := map[int64]string{}, map[int64]bool{}
	for _, m := range meals {
		kind[m.ID], open[m.ID] = m.Kind, m.Status == MealOpen
	}
	units, err := unitNames(db)
	if err != nil {
		return err
	}
	type tallyRow struct{ by map[string]int }
	per := map[int64]*tallyRow{}
	for _, r := range res {
		if !open[r.MealID] {
			continue
		}
		if per[r.UnitID] == nil {
			per[r.UnitID] = &tallyRow{by: map[string]int{}}
		}
		if r.NoShow {
			per[r.UnitID].by["no_show"]++
			continue
		}
		per[r.UnitID].by[kind[r.MealID]]++
	}
	ids := make([]int64, 0, len(per))
	for id := range per {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return units[ids[i]] < units[ids[j]] })
	cols := []col{{"单位", 24}, {"早餐", 8}, {"午餐", 8}, {"晚餐", 8}, {"就餐合计", 10}, {"预订未就餐", 10}}
	var rows [][]any
	var sum [5]int
	for _, id := range ids {
		by := per[id].by
		vals := []int{by[Breakfast], by[Lunch], by[Dinner], by[Breakfast] + by[Lunch] + by[Dinner], by["no_show"]}
		rows = append(rows, []any{units[id], vals[0], vals[1], vals[2], vals[3], vals[4]})
		for i, v := range vals {
			sum[i] += v
		}
	}
	return b.sheet(SheetUnits, title+" 各单位预订就餐人次", cols, rows, []any{"合计", sum[0], sum[1], sum[2], sum[3], sum[4]})
}

func (s *Service) wasteSheet(db *gorm.DB, b *book, from, to, title string) error {
	set, err := loadSettings(db)
	if err != nil {
		return err
	}
	rows, err := wasteBetween(db, from, to)
	if err != nil {
		return err
	}
	rep, err := s.wasteReport(db, from, to, set.WasteTargetG, rows)
	if err != nil {
		return err
	}
	cols := []col{{"日期", 12}, {"餐次", 8}, {"就餐人数", 10}, {"餐盘剩余（kg）", 12}, {"后厨剩余（kg）", 12}, {"合计（kg）", 10},
		{"人均（g）", 10}, {"目标（g/人）", 10}, {"是否超标", 8}, {"备注", 24}}
	var out [][]any
	for _, w := range rep.Items {
		out = append(out, []any{w.Date, kindNames[w.Kind], w.Diners, w.PlateKg, w.KitchenKg, w.TotalKg, w.GPerDiner, w.TargetG, yesNo(w.OverTarget), w.Note})
	}
	t := rep.Total
	return b.sheet(SheetWaste, title+" 食物浪费称重记录", cols, out,
		[]any{"合计", "", t.Diners, t.PlateKg, t.KitchenKg, t.TotalKg, t.GPerDiner, rep.TargetG, yesNo(t.OverTarget), ""})
}

func (s *Service) ratingSheets(db *gorm.DB, b *book, from, to, title string) error {
	scores, err := scoresBetween(db, from, to)
	if err != nil {
		return err
	}
	var ids []int64
	stars := map[int64]*[5]int{}
	for _, sc := range scores {
		if stars[sc.DishID] == nil {
			stars[sc.DishID] = &[5]int{}
			ids = append(ids, sc.DishID)
		}
		stars[sc.DishID][sc.Score-1]++
	}
	dishes, err := dishesByID(db, ids)
	if err != nil {
		return err
	}
	cols := []col{{"菜品", 18}, {"类别", 10}, {"评价数", 8}, {"平均分", 8}, {"1分", 6}, {"2分", 6}, {"3分", 6}, {"4分", 6}, {"5分", 6}}
	var rows [][]any
	for _, tr := range trends(scores, dishes) {
		st := stars[tr.DishID]
		rows = append(rows, []any{tr.Dish, categoryNames[tr.Category], tr.Count, tr.Avg, st[0], st[1], st[2], st[3], st[4]})
	}
	if err := b.sheet(SheetRatings, title+" 菜品评价（平均分由低到高）", cols, rows, nil); err != nil {
		return err
	}
	list, _, err := listRatings(db, RatingQuery{From: from, To: to, Page: fleet.Page{Limit: 5000}})
	if err != nil {
		return err
	}
	names, err := dishNames(db, ids)
	if err != nil {
		return err
	}
	mealIDs := make([]int64, len(list))
	for i, r := range list {
		mealIDs[i] = r.MealID
	}
	kinds, err := mealKinds(db, mealIDs)
	if err != nil {
		return err
	}
	cols = []col{{"日期", 12}, {"餐次", 8}, {"菜品", 18}, {"评分", 6}, {"意见", 40}, {"答复", 40}}
	rows = nil
	for _, r := range list {
		if r.Comment != "" {
			rows = append(rows, []any{r.Day, kindNames[kinds[r.MealID]], names[r.DishID], r.Score, r.Comment, r.Answer})
		}
	}
	return b.sheet(SheetComments, title+" 就餐人员评价意见与答复", cols, rows, nil)
}

var categoryNames = map[string]string{"staple": "主食", "meat": "荤菜", "half_meat": "半荤", "vegetable": "素菜", "soup": "汤羹",
	"porridge": "粥品", "snack": "面点小吃", "fruit": "水果", "drink": "饮品"}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}
