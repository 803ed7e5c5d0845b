package energy_test

import (
	"strings"
	"testing"
	"time"

	"fleet"
	"fleet/energy"
)

func TestReadingsAreIdempotentPerMeterAndTime(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		m := f.meter("行政中心总表", energy.KindElectricity, unitA)
		items := []raw{reading(m.ID, local(2026, 3, 1, 0), 1000), reading(m.ID, local(2026, 3, 2, 0), 1100)}
		res := f.read(items...)
		if res.Stored != 2 || res.Duplicates != 0 || res.Flagged != 0 {
			t.Fatalf("first batch = %+v, want 2 stored", res)
		}
		before := f.counts()
		again := f.read(items...)
		if again.Stored != 0 || again.Duplicates != 2 {
			t.Fatalf("the same batch again = %+v, want 2 duplicates and nothing stored", again)
		}
		if again.Items[1].ID != res.Items[1].ID {
			t.Errorf("the duplicate names reading %d, want the stored %d", again.Items[1].ID, res.Items[1].ID)
		}
		f.unchanged(before)
		// The same instant written with another offset is the same reading.
		same := raw{MeterID: m.ID, At: "2026-02-28T16:00:00Z", Value: 1000}
		if r := f.read(same); r.Duplicates != 1 {
			t.Errorf("1 March 00:00 +08:00 sent as 16:00Z = %+v, want a duplicate", r)
		}
	})
}

func TestAnotherValueAtTheSameTimeIs409AndStoresNothing(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		m := f.meter("1号楼电表", energy.KindElectricity, unitA)
		f.read(reading(m.ID, local(2026, 3, 1, 0), 1000))
		before := f.counts()
		_, err := f.svc.AddReadings(f.ctx, f.manager(), batch(t,
			reading(m.ID, local(2026, 3, 2, 0), 1100), // new, fine
			reading(m.ID, local(2026, 3, 1, 0), 1001), // clashes with the stored 1000
		))
		wantCode(t, err, fleet.EConflict)
		if p := fieldOf(err, "readings[1].value"); !strings.Contains(p, "1000") {
			t.Errorf("the conflict names %q, want readings[1].value with the stored 1000 (%v)", p, err)
		}
		if !strings.HasPrefix(fleet.ErrorMessage(err), "readings[1]") {
			t.Errorf("message %q does not start with the reading's index", fleet.ErrorMessage(err))
		}
		f.unchanged(before)

		// Two values for one meter and time within a batch.
		_, err = f.svc.AddReadings(f.ctx, f.manager(), batch(t, reading(m.ID, local(2026, 3, 3, 0), 1200), reading(m.ID, local(2026, 3, 3, 0), 1201)))
		wantCode(t, err, fleet.EConflict)
		if fieldOf(err, "readings[1].value") == "" {
			t.Errorf("in-batch clash = %v, want a problem with readings[1].value", err)
		}
		f.unchanged(before)
		// The same twice in a batch is one reading.
		res := f.read(reading(m.ID, local(2026, 3, 3, 0), 1200), reading(m.ID, local(2026, 3, 3, 0), 1200))
		if res.Stored != 1 || res.Duplicates != 1 || res.Items[1].ID != res.Items[0].ID {
			t.Errorf("a reading twice in one batch = %+v, want one stored and its duplicate", res)
		}
	})
}

func TestBadReadingsAre400NamingIndexAndFieldAndStoreNothing(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		m := f.meter("水表", energy.KindWater, unitA)
		f.read(reading(m.ID, local(2026, 3, 1, 0), 10))
		before := f.counts()
		good := reading(m.ID, local(2026, 3, 2, 0), 12)
		for _, c := range []struct {
			name  string
			bad   raw
			field string
		}{
			{"unknown meter", reading(999999, local(2026, 3, 2, 0), 1), "meter_id"},
			{"negative value", reading(m.ID, local(2026, 3, 3, 0), -1), "value"},
			{"text value", raw{MeterID: m.ID, At: "2026-03-03T00:00:00+08:00", Value: "abc"}, "value"},
			{"number as text", raw{MeterID: m.ID, At: "2026-03-03T00:00:00+08:00", Value: "12.5"}, "value"},
			{"boolean value", raw{MeterID: m.ID, At: "2026-03-03T00:00:00+08:00", Value: true}, "value"},
			{"missing value", raw{MeterID: m.ID, At: "2026-03-03T00:00:00+08:00"}, "value"},
			{"meter id as text", raw{MeterID: "x", At: "2026-03-03T00:00:00+08:00", Value: 1}, "meter_id"},
			{"fractional meter id", raw{MeterID: 1.5, At: "2026-03-03T00:00:00+08:00", Value: 1}, "meter_id"},
			{"missing meter", raw{At: "2026-03-03T00:00:00+08:00", Value: 1}, "meter_id"},
			{"time without zone", raw{MeterID: m.ID, At: "2026-03-03 00:00:00", Value: 1}, "at"},
			{"time as a number", raw{MeterID: m.ID, At: 1772467200, Value: 1}, "at"},
			{"missing time", raw{MeterID: m.ID, Value: 1}, "at"},
			{"in the future", reading(m.ID, local(2026, 5, 1, 0), 20), "at"},
			{"before 2000", reading(m.ID, time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC), 1), "at"},
		} {
			t.Run(c.name, func(t *testing.T) {
				_, err := f.svc.AddReadings(f.ctx, f.manager(), batch(t, good, c.bad))
				wantCode(t, err, fleet.EInvalid)
				if p := fieldOf(err, "readings[1]."+c.field); p == "" {
					t.Errorf("error %v does not name readings[1].%s", err, c.field)
				}
				f.unchanged(before)
			})
		}
		_, err := f.svc.AddReadings(f.ctx, f.manager(), energy.ReadingBatch{})
		wantCode(t, err, fleet.EInvalid)
		if fieldOf(err, "readings") == "" {
			t.Errorf("an empty batch = %v, want a problem with readings", err)
		}
		// Every problem is named, not only the first.
		_, err = f.svc.AddReadings(f.ctx, f.manager(), batch(t, reading(m.ID, local(2026, 3, 3, 0), -5), raw{MeterID: m.ID, Value: "x"}))
		if fieldOf(err, "readings[0].value") == "" || fieldOf(err, "readings[1].value") == "" || fieldOf(err, "readings[1].at") == "" {
			t.Errorf("error %v, want readings[0].value, readings[1].value and readings[1].at", err)
		}
		f.unchanged(before)
	})
}

func TestBackwardsReadingIsFlaggedHeldAndReviewed(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		m := f.meter("食堂电表", energy.KindElectricity, unitA)
		f.read(reading(m.ID, local(2026, 3, 1, 0), 1000), reading(m.ID, local(2026, 4, 1, 0), 1500))
		res := f.read(reading(m.ID, local(2026, 4, 2, 0), 1490))
		if res.Flagged != 1 || res.Items[0].Result != "flagged" || res.Items[0].Flag != energy.FlagBackwards {
			t.Fatalf("a reading below the last = %+v, want flagged backwards", res)
		}
		flagged := res.Items[0].ID
		list, _, err := f.svc.ListReadings(f.ctx, f.manager(), energy.ReadingQuery{Status: energy.ReadingFlagged})
		if err != nil || len(list) != 1 || list[0].ID != flagged || !strings.Contains(list[0].FlagNote, "1500") || list[0].MeterName != "食堂电表" {
			t.Fatalf("flagged list = %+v (%v), want the reading with a note naming 1500", list, err)
		}
		got, _ := f.svc.GetMeter(f.ctx, f.manager(), m.ID)
		if got.Flagged != 1 || got.Last == nil || got.Last.Value != 1500 {
			t.Errorf("meter = flagged %d, last %+v; want 1 held and the last accepted 1500", got.Flagged, got.Last)
		}
		// Accepting it while 1500 stands is refused.
		_, err = f.svc.AcceptReading(f.ctx, f.manager(), flagged, energy.ReviewInput{Note: "核对无误"})
		wantCode(t, err, fleet.EConflict)
		// Rejecting needs a reason.
		_, err = f.svc.RejectReading(f.ctx, f.manager(), flagged, energy.ReviewInput{})
		wantCode(t, err, fleet.EInvalid)
		// The 1500 was the typo: reject it, then the flagged one is accepted.
		rows, _, _ := f.svc.ListReadings(f.ctx, f.manager(), energy.ReadingQuery{MeterID: m.ID, Status: energy.ReadingOK})
		var typo int64
		for _, r := range rows {
			if r.Value == 1500 {
				typo = r.ID
			}
		}
		if _, err := f.svc.RejectReading(f.ctx, f.manager(), typo, energy.ReviewInput{Note: "抄错，应为1450"}); err != nil {
			t.Fatal(err)
		}
		ok, err := f.svc.AcceptReading(f.ctx, f.manager(), flagged, energy.ReviewInput{Note: "复核"})
		if err != nil || ok.Status != energy.ReadingOK {
			t.Fatalf("accept after the fix = %+v, %v", ok, err)
		}
		// A rejected reading may be sent again with the right value.
		res = f.read(reading(m.ID, local(2026, 4, 1, 0), 1450))
		if res.Stored != 1 || res.Items[0].ID != typo {
			t.Errorf("the corrected value = %+v, want it stored in place of rejected reading %d", res, typo)
		}
	})
}

func TestJumpIsFlaggedAgainstTheMetersHistory(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		m := f.meter("空调电表", energy.KindElectricity, unitB)
		// 240 kWh a day (10 an hour) for a month.
		var items []raw
		for d := 0; d <= 30; d++ {
			items = append(items, reading(m.ID, local(2026, 3, 1, 0).AddDate(0, 0, d), float64(d*240)))
		}
		if res := f.read(items...); res.Stored != 31 || res.Flagged != 0 {
			t.Fatalf("a month of steady readings = %+v, want 31 stored", res)
		}
		// A decimal point slipped: 72,000 in a day, 300 times the mean.
		res := f.read(reading(m.ID, local(2026, 4, 1, 0), 7200+72000))
		if res.Flagged != 1 || res.Items[0].Flag != energy.FlagJump {
			t.Fatalf("a jump = %+v, want flagged as a jump", res)
		}
		// Three times the usual day is a busy day, not a jump.
		res = f.read(reading(m.ID, local(2026, 4, 1, 12), 7200+360))
		if res.Stored != 1 {
			t.Fatalf("a busy half day = %+v, want stored", res)
		}
		if _, err := f.svc.RejectReading(f.ctx, f.manager(), 0, energy.ReviewInput{Note: "x"}); fleet.ErrorCode(err) != fleet.ENotFound {
			t.Errorf("reject of no reading = %v, want not found", err)
		}
	})
}

func TestReplacementKeepsTheSeriesAndRefusesLateReadingsOfTheOldMeter(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		old := f.meter("2号楼电表", energy.KindElectricity, unitC)
		f.read(reading(old.ID, local(2026, 3, 1, 0), 0))
		before := f.counts()
		_, err := f.svc.ReplaceMeter(f.ctx, f.manager(), old.ID, energy.ReplaceInput{At: local(2026, 3, 16, 0).Format(time.RFC3339), FinalValue: ptr(-1.0), InitialValue: ptr(0.0)})
		wantCode(t, err, fleet.EInvalid)
		f.unchanged(before)
		next, err := f.svc.ReplaceMeter(f.ctx, f.manager(), old.ID, energy.ReplaceInput{At: local(2026, 3, 16, 0).Format(time.RFC3339),
			FinalValue: ptr(150.0), InitialValue: ptr(10.0), Code: "DB-2026-017"})
		if err != nil {
			t.Fatal(err)
		}
		if next.ReplacesID == nil || *next.ReplacesID != old.ID || next.Kind != old.Kind || next.UnitID != old.UnitID || next.Name != old.Name {
			t.Fatalf("the new meter = %+v, want it to take over from %d", next, old.ID)
		}
		got, _ := f.svc.GetMeter(f.ctx, f.manager(), old.ID)
		if got.Status != energy.MeterReplaced || got.ReplacedBy == nil || *got.ReplacedBy != next.ID {
			t.Errorf("the old meter = %+v, want replaced by %d", got, next.ID)
		}
		_, err = f.svc.AddReadings(f.ctx, f.manager(), batch(t, reading(old.ID, local(2026, 3, 20, 0), 200)))
		wantCode(t, err, fleet.EInvalid)
		if !strings.Contains(fieldOf(err, "readings[0].at"), "replaced") {
			t.Errorf("a reading of the old meter after its replacement = %v, want readings[0].at naming the replacement", err)
		}
		_, err = f.svc.AddReadings(f.ctx, f.manager(), batch(t, reading(next.ID, local(2026, 3, 10, 0), 5)))
		wantCode(t, err, fleet.EInvalid)
		f.read(reading(next.ID, local(2026, 4, 1, 0), 170))
		r, err := f.svc.MonthReport(f.ctx, f.manager(), energy.ReportQuery{Month: "2026-03"})
		if err != nil {
			t.Fatal(err)
		}
		u := unitOf(t, r, f.units[unitC])
		near(t, "March over the replacement (kWh)", u.ByKind[energy.KindElectricity].Amount, 310, 1e-9)
		if !u.Complete || !r.Completeness.Complete {
			t.Errorf("the replacement month is incomplete: %+v", r.Completeness)
		}
		// A replaced meter is not replaced twice.
		_, err = f.svc.ReplaceMeter(f.ctx, f.manager(), old.ID, energy.ReplaceInput{At: local(2026, 4, 2, 0).Format(time.RFC3339), FinalValue: ptr(1.0), InitialValue: ptr(0.0)})
		wantCode(t, err, fleet.EConflict)
	})
}

func TestMeterInputIsChecked(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		before := f.counts()
		for _, c := range []struct {
			name  string
			in    energy.MeterInput
			field string
		}{
			{"no name", energy.MeterInput{Kind: "water", UnitID: f.units[unitA]}, "name"},
			{"unknown kind", energy.MeterInput{Name: "x", Kind: "coal", UnitID: f.units[unitA]}, "kind"},
			{"no unit", energy.MeterInput{Name: "x", Kind: "water"}, "unit_id"},
			{"unknown unit", energy.MeterInput{Name: "x", Kind: "water", UnitID: 999999}, "unit_id"},
			{"unknown building", energy.MeterInput{Name: "x", Kind: "water", UnitID: f.units[unitA], BuildingID: ptr(int64(999999))}, "building_id"},
			{"wrong unit of measure", energy.MeterInput{Name: "x", Kind: "water", UnitID: f.units[unitA], UOM: "kWh"}, "uom"},
			{"zero multiplier", energy.MeterInput{Name: "x", Kind: "electricity", UnitID: f.units[unitA], Multiplier: ptr(0.0)}, "multiplier"},
			{"initial value without a time", energy.MeterInput{Name: "x", Kind: "electricity", UnitID: f.units[unitA], InitialValue: ptr(1.0)}, "installed_at"},
		} {
			t.Run(c.name, func(t *testing.T) {
				_, err := f.svc.CreateMeter(f.ctx, f.manager(), c.in)
				wantCode(t, err, fleet.EInvalid)
				if fieldOf(err, c.field) == "" {
					t.Errorf("error %v does not name %s", err, c.field)
				}
				f.unchanged(before)
			})
		}
		m := f.meter("电表", energy.KindElectricity, unitA, func(in *energy.MeterInput) { in.Multiplier = ptr(40.0) })
		if m.UOM != "kWh" || m.Multiplier != 40 {
			t.Errorf("meter = %s × %g, want kWh × 40", m.UOM, m.Multiplier)
		}
		f.read(reading(m.ID, local(2026, 3, 1, 0), 1))
		_, err := f.svc.UpdateMeter(f.ctx, f.manager(), m.ID, energy.MeterInput{Name: "电表", Kind: "electricity", UnitID: f.units[unitA], Multiplier: ptr(80.0)})
		wantCode(t, err, fleet.EConflict)
		up, err := f.svc.UpdateMeter(f.ctx, f.manager(), m.ID, energy.MeterInput{Name: "主楼电表", Kind: "electricity", UnitID: f.units[unitA], Multiplier: ptr(40.0)})
		if err != nil || up.Name != "主楼电表" {
			t.Errorf("rename = %+v, %v", up, err)
		}
	})
}

func ptr[T any](v T) *T { return &v }
