package canteen_test

import (
	"slices"
	"testing"

	"fleet"
	"fleet/canteen"
)

func TestSamplesKeepTheRules(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		rice, pork := f.dish("米饭", "staple", 0.5), f.dish("红烧肉", "meat", 8)
		lunch := f.meal("2026-03-02", canteen.Lunch, rice, pork)
		f.clock.set("2026-03-02 12:00")

		before := f.rows()
		for field, in := range map[string]canteen.SampleInput{
			"weight_g":     {MealID: &lunch.ID, DishID: &rice.ID, WeightG: intp(-5), Refrigerated: boolp(true), TakenBy: "张师傅"},
			"refrigerated": {MealID: &lunch.ID, DishID: &rice.ID, WeightG: intp(150), TakenBy: "张师傅"},
			"taken_by":     {MealID: &lunch.ID, DishID: &rice.ID, WeightG: intp(150), Refrigerated: boolp(true)},
			"dish":         {WeightG: intp(150), Refrigerated: boolp(true), TakenBy: "张师傅"},
			"taken_at":     {Dish: "x", WeightG: intp(150), Refrigerated: boolp(true), TakenBy: "张师傅", TakenAt: "2026-03-05T12:00:00+08:00"},
		} {
			_, err := f.svc.RecordSample(f.ctx, f.chef(), in)
			wantField(t, err, field)
		}
		f.unchanged(before, "bad samples")

		// The lunch is served and nothing is sampled: both dishes are missing.
		ov, err := f.svc.Warnings(f.ctx, f.chef())
		if err != nil || ov.Counts["sample_missing"] != 2 {
			t.Fatalf("warnings = %+v, %v; want 2 missing samples", ov, err)
		}

		good, err := f.svc.RecordSample(f.ctx, f.chef(), canteen.SampleInput{MealID: &lunch.ID, DishID: &rice.ID, WeightG: intp(150), Refrigerated: boolp(true), TakenBy: "张师傅"})
		if err != nil || len(good.Warnings) != 0 || good.Dish != "米饭" || good.Date != "2026-03-02" || good.Kind != canteen.Lunch {
			t.Fatalf("sample = %+v, %v", good, err)
		}
		light, err := f.svc.RecordSample(f.ctx, f.chef(), canteen.SampleInput{MealID: &lunch.ID, DishID: &pork.ID, WeightG: intp(100), Refrigerated: boolp(true), TakenBy: "张师傅"})
		if err != nil || !slices.Equal(light.Warnings, []string{canteen.WarnUnderWeight}) {
			t.Fatalf("a 100 g sample = %+v, %v; want kept with an under-weight warning", light, err)
		}
		_, err = f.svc.RecordSample(f.ctx, f.chef(), canteen.SampleInput{MealID: &lunch.ID, DishID: &pork.ID, WeightG: intp(200), Refrigerated: boolp(true), TakenBy: "张师傅"})
		wantCode(t, err, fleet.EConflict) // one sample per dish of a meal

		// Discarded after a day: early. The other is still there after 72 hours: overdue.
		f.clock.set("2026-03-03 12:00")
		d, err := f.svc.DiscardSample(f.ctx, f.chef(), light.ID, canteen.DiscardInput{DiscardedBy: "李师傅", Reason: "送检"})
		if err != nil || !slices.Contains(d.Warnings, canteen.WarnDiscardedEarly) {
			t.Fatalf("discarded early = %+v, %v", d, err)
		}
		_, err = f.svc.DiscardSample(f.ctx, f.chef(), light.ID, canteen.DiscardInput{DiscardedBy: "李师傅"})
		wantCode(t, err, fleet.EConflict)
		f.clock.set("2026-03-05 12:30")
		list, _, err := f.svc.ListSamples(f.ctx, f.chef(), canteen.SampleQuery{Open: true})
		if err != nil || len(list) != 1 || !slices.Equal(list[0].Warnings, []string{canteen.WarnDiscardOverdue}) {
			t.Fatalf("open samples = %+v, %v", list, err)
		}
		ov, err = f.svc.Warnings(f.ctx, f.chef())
		if err != nil || ov.Counts["sample_discard_overdue"] != 1 || ov.Counts["sample_discarded_early"] != 1 || ov.Counts["sample_under_weight"] != 1 || ov.OpenSamples != 1 {
			t.Errorf("warnings = %+v, %v", ov.Counts, err)
		}
		// Discarding before it was taken is refused.
		_, err = f.svc.DiscardSample(f.ctx, f.chef(), good.ID, canteen.DiscardInput{DiscardedBy: "李师傅", DiscardedAt: "2026-03-01T12:00:00+08:00"})
		wantField(t, err, "discarded_at")
		if d, err := f.svc.DiscardSample(f.ctx, f.chef(), good.ID, canteen.DiscardInput{DiscardedBy: "李师傅"}); err != nil || len(d.Warnings) != 0 {
			t.Errorf("discarded after 48 h = %+v, %v", d, err)
		}
		_, _, err = f.svc.ListSamples(f.ctx, f.as["li"], canteen.SampleQuery{})
		wantCode(t, err, fleet.EForbidden)
	})
}

func TestSuppliersPurchasesAndHygiene(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		_, err := f.svc.CreateSupplier(f.ctx, f.chef(), canteen.SupplierInput{Name: "安和县粮油公司"})
		wantField(t, err, "license_no")
		soon, err := f.svc.CreateSupplier(f.ctx, f.chef(), canteen.SupplierInput{Name: "安和县粮油公司", LicenseNo: "JY13607000000001", LicenseExpiry: "2026-03-20"})
		if err != nil || !slices.Equal(soon.Warnings, []string{canteen.WarnLicenseExpiring}) {
			t.Fatalf("supplier = %+v, %v", soon, err)
		}
		old, err := f.svc.CreateSupplier(f.ctx, f.chef(), canteen.SupplierInput{Name: "城关肉联厂", LicenseNo: "JY13607000000002", LicenseExpiry: "2026-02-01"})
		if err != nil || !slices.Equal(old.Warnings, []string{canteen.WarnLicenseExpired}) {
			t.Fatalf("supplier = %+v, %v", old, err)
		}

		in := canteen.PurchaseInput{SupplierID: soon.ID, ReceivedOn: "2026-03-02", Item: "大米", Quantity: "200 kg", Batch: "20260215",
			ExpiresOn: "2027-02-15", Certificate: true, Result: canteen.Accepted, Inspector: "孙强"}
		before := f.rows()
		for field, bad := range map[string]func(*canteen.PurchaseInput){
			"expires_on":  func(p *canteen.PurchaseInput) { p.ExpiresOn = "2026-03-01" }, // expired on delivery
			"result":      func(p *canteen.PurchaseInput) { p.Result = "ok" },
			"note":        func(p *canteen.PurchaseInput) { p.Result = canteen.Rejected },
			"received_on": func(p *canteen.PurchaseInput) { p.ReceivedOn = "2026-03-09" },
			"supplier_id": func(p *canteen.PurchaseInput) { p.SupplierID = 9999 },
		} {
			x := in
			bad(&x)
			_, err := f.svc.RecordPurchase(f.ctx, f.chef(), x)
			wantField(t, err, field)
		}
		f.unchanged(before, "bad purchases")
		if p, err := f.svc.RecordPurchase(f.ctx, f.chef(), in); err != nil || len(p.Warnings) != 0 || p.Supplier != "安和县粮油公司" {
			t.Fatalf("purchase = %+v, %v", p, err)
		}
		in.SupplierID, in.Item, in.Certificate = old.ID, "五花肉", false
		p, err := f.svc.RecordPurchase(f.ctx, f.chef(), in)
		if err != nil || !slices.Equal(p.Warnings, []string{canteen.WarnNoCertificate, canteen.WarnSupplierUnlicense}) {
			t.Fatalf("purchase from an unlicensed supplier = %+v, %v", p, err)
		}

		// No hygiene check yet: overdue at once; one today: due in a week.
		ov, err := f.svc.Warnings(f.ctx, f.chef())
		if err != nil || !ov.Hygiene.Overdue || ov.Counts["hygiene_overdue"] != 1 || ov.Counts[canteen.WarnLicenseExpired] != 1 ||
			ov.Counts[canteen.WarnLicenseExpiring] != 1 || ov.Counts["purchase_supplier_license_expired"] != 1 {
			t.Fatalf("warnings = %+v, %v", ov.Counts, err)
		}
		items := []canteen.CheckItem{{Item: canteen.HygieneChecklist[0], OK: true}, {Item: canteen.HygieneChecklist[1], OK: false}}
		_, err = f.svc.RecordHygieneCheck(f.ctx, f.chef(), canteen.HygieneInput{CheckedOn: "2026-03-02", Inspector: "孙强", Items: items})
		wantField(t, err, "items[1].note") // a failed line says what was wrong
		items[1].Note = "隔油池未清理，已安排当日清理"
		h, err := f.svc.RecordHygieneCheck(f.ctx, f.chef(), canteen.HygieneInput{CheckedOn: "2026-03-02", Inspector: "孙强", Items: items})
		if err != nil || h.Result != canteen.HygieneIssues || h.Failed != 1 {
			t.Fatalf("hygiene check = %+v, %v", h, err)
		}
		ov, _ = f.svc.Warnings(f.ctx, f.chef())
		if ov.Hygiene.Overdue || ov.Hygiene.DueOn != "2026-03-09" {
			t.Errorf("hygiene after the check = %+v", ov.Hygiene)
		}
		f.clock.set("2026-03-10 09:00")
		ov, _ = f.svc.Warnings(f.ctx, f.chef())
		if !ov.Hygiene.Overdue {
			t.Errorf("hygiene a week and a day later = %+v, want overdue", ov.Hygiene)
		}
		_, err = f.svc.RecordHygieneCheck(f.ctx, f.as["audit"], canteen.HygieneInput{CheckedOn: "2026-03-10", Inspector: "x", Items: items})
		wantCode(t, err, fleet.EForbidden)
	})
}
