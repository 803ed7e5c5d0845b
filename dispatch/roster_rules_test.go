package dispatch

import (
	"testing"
	"time"

	"fleet"
)

func rosterHour(h int) time.Time {
	return time.Date(2026, 5, 4, 0, 0, 0, 0, time.UTC).Add(time.Duration(h) * time.Hour)
}

func TestCovered(t *testing.T) {
	sh := func(from, to int) Shift { return Shift{Start: rosterHour(from), End: rosterHour(to)} }
	tests := []struct {
		name     string
		shifts   []Shift
		from, to int
		want     bool
	}{
		{"inside one shift", []Shift{sh(0, 9)}, 1, 8, true},
		{"exactly the shift", []Shift{sh(0, 9)}, 0, 9, true},
		{"runs past the end", []Shift{sh(0, 9)}, 1, 10, false},
		{"starts before the shift", []Shift{sh(1, 9)}, 0, 8, false},
		{"back to back: day shift then standby", []Shift{sh(0, 9), sh(9, 33)}, 8, 12, true},
		{"a gap between", []Shift{sh(0, 9), sh(10, 33)}, 8, 12, false},
		{"overlapping entries", []Shift{sh(0, 10), sh(5, 20), sh(6, 8)}, 1, 19, true},
		{"none", nil, 1, 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := covered(tt.shifts, rosterHour(tt.from), rosterHour(tt.to)); got != tt.want {
				t.Fatalf("covered = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestShiftInputValidate(t *testing.T) {
	tests := []struct {
		name  string
		in    ShiftInput
		field string // "" valid
	}{
		{"day shift", ShiftInput{DriverID: 1, Start: "2026-05-04T08:00:00+08:00", End: "2026-05-04T17:30:00+08:00"}, ""},
		{"standby 24 h", ShiftInput{DriverID: 1, Start: "2026-05-04T08:00:00+08:00", End: "2026-05-05T08:00:00+08:00", Kind: "standby"}, ""},
		{"7 days", ShiftInput{DriverID: 1, Start: "2026-05-04T00:00:00Z", End: "2026-05-11T00:00:00Z", Kind: "standby"}, ""},
		{"no driver", ShiftInput{Start: "2026-05-04T08:00:00+08:00", End: "2026-05-04T17:00:00+08:00"}, "driver_id"},
		{"end before start", ShiftInput{DriverID: 1, Start: "2026-05-04T17:00:00+08:00", End: "2026-05-04T08:00:00+08:00"}, "end"},
		{"zero length", ShiftInput{DriverID: 1, Start: "2026-05-04T08:00:00+08:00", End: "2026-05-04T08:00:00+08:00"}, "end"},
		{"over 7 days", ShiftInput{DriverID: 1, Start: "2026-05-04T00:00:00Z", End: "2026-05-11T00:00:01Z"}, "end"},
		{"a date, not a time", ShiftInput{DriverID: 1, Start: "2026-05-04", End: "2026-05-05T08:00:00+08:00"}, "start"},
		{"unknown kind", ShiftInput{DriverID: 1, Start: "2026-05-04T08:00:00+08:00", End: "2026-05-04T17:00:00+08:00", Kind: "night"}, "kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.in.validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("validate = %v, want ok", err)
				}
				return
			}
			fe, ok := err.(*fleet.Error)
			if !ok || fe.Fields[tt.field] == "" {
				t.Fatalf("validate = %v, want %s named", err, tt.field)
			}
		})
	}
}

func TestRotationRoundRobin(t *testing.T) {
	h := 8
	in := RotationInput{DriverIDs: []int64{7, 3, 9}, From: "2026-05-04", Days: 5, StartHour: &h}
	if err := in.validate(); err != nil {
		t.Fatal(err)
	}
	got := rotation(in, beijing)
	wantDrivers := []int64{7, 3, 9, 7, 3}
	for i, s := range got {
		wantStart := time.Date(2026, 5, 4+i, 0, 0, 0, 0, time.UTC) // 08:00 Beijing
		if s.DriverID != wantDrivers[i] || !s.start.Equal(wantStart) || s.end.Sub(s.start) != 24*time.Hour || s.Kind != ShiftStandby {
			t.Errorf("day %d = driver %d %s–%s %s, want driver %d from %s for 24 h", i, s.DriverID, s.start, s.end, s.Kind, wantDrivers[i], wantStart)
		}
	}
	for _, bad := range []struct {
		name  string
		in    RotationInput
		field string
	}{
		{"no drivers", RotationInput{From: "2026-05-04", Days: 3}, "driver_ids"},
		{"a driver twice", RotationInput{DriverIDs: []int64{1, 1}, From: "2026-05-04", Days: 3}, "driver_ids"},
		{"no from", RotationInput{DriverIDs: []int64{1}, Days: 3}, "from"},
		{"bad from", RotationInput{DriverIDs: []int64{1}, From: "May 4", Days: 3}, "from"},
		{"zero days", RotationInput{DriverIDs: []int64{1}, From: "2026-05-04"}, "days"},
		{"too many days", RotationInput{DriverIDs: []int64{1}, From: "2026-05-04", Days: 63}, "days"},
		{"hour 24", RotationInput{DriverIDs: []int64{1}, From: "2026-05-04", Days: 3, StartHour: func() *int { h := 24; return &h }()}, "start_hour"},
	} {
		t.Run(bad.name, func(t *testing.T) {
			fe, ok := bad.in.validate().(*fleet.Error)
			if !ok || fe.Fields[bad.field] == "" {
				t.Fatalf("validate = %v, want %s named", fe, bad.field)
			}
		})
	}
}
