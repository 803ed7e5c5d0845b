package canteen_test

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"fleet"
	"fleet/canteen"
)

// The monthly workbook holds what happened: the meals with their bookings and diners, each
// unit's meals, the waste against the target and the dishes' scores with the comments.
func TestMonthlyWorkbook(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		rice, pork := f.dish("米饭", "staple", 0.5), f.dish("红烧肉", "meat", 8)
		lunch := f.meal("2026-03-03", canteen.Lunch, rice, pork)
		f.book("li", lunch.ID, canteen.DineIn)
		f.book("wang", lunch.ID, canteen.Takeaway)
		f.book("zhou", lunch.ID, canteen.DineIn)
		f.clock.set("2026-03-03 13:00")
		if _, err := f.svc.RecordWaste(f.ctx, f.chef(), lunch.ID, canteen.WasteInput{PlateKg: num(0.15), KitchenKg: num(0.06)}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.RateMeal(f.ctx, f.as["li"], lunch.ID, canteen.RateInput{Ratings: []canteen.DishRating{{DishID: pork.ID, Score: 2, Comment: "偏咸"}}}); err != nil {
			t.Fatal(err)
		}

		b, name, err := f.svc.MonthlyXLSX(f.ctx, f.as["audit"], "2026-03")
		if err != nil || name != "机关食堂月报_2026-03.xlsx" {
			t.Fatalf("workbook %q: %v", name, err)
		}
		x, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		if got := x.GetSheetList(); len(got) != 5 || got[0] != canteen.SheetDiners || got[4] != canteen.SheetComments {
			t.Fatalf("sheets = %v", got)
		}
		rowsOf := func(sheet string) [][]string {
			rows, err := x.GetRows(sheet)
			if err != nil {
				t.Fatal(err)
			}
			return rows
		}
		diners := rowsOf(canteen.SheetDiners)
		if len(diners) != 4 || diners[2][0] != "2026-03-03" || diners[2][2] != "午餐" || diners[2][4] != "2" || diners[2][5] != "1" || diners[2][8] != "3" {
			t.Errorf("diners sheet = %v", diners)
		}
		units := rowsOf(canteen.SheetUnits)
		if len(units) != 5 || units[2][0] != "县教育局" || units[3][0] != "县财政局" || units[3][2] != "2" || units[4][4] != "3" {
			t.Errorf("units sheet = %v", units)
		}
		waste := rowsOf(canteen.SheetWaste)
		if len(waste) != 4 || waste[2][2] != "3" || waste[2][5] != "0.21" || waste[2][6] != "70" || waste[2][8] != "是" {
			t.Errorf("waste sheet = %v", waste)
		}
		ratings := rowsOf(canteen.SheetRatings)
		if len(ratings) != 3 || ratings[2][0] != "红烧肉" || ratings[2][3] != "2" || ratings[2][5] != "1" {
			t.Errorf("ratings sheet = %v", ratings)
		}
		comments := rowsOf(canteen.SheetComments)
		if len(comments) != 3 || comments[2][4] != "偏咸" {
			t.Errorf("comments sheet = %v", comments)
		}

		_, _, err = f.svc.MonthlyXLSX(f.ctx, f.as["li"], "2026-03")
		wantCode(t, err, fleet.EForbidden)
		_, _, err = f.svc.MonthlyXLSX(f.ctx, f.chef(), "2026-13")
		wantField(t, err, "month")
	})
}
