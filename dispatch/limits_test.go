package dispatch

import (
	"strings"
	"testing"
	"time"
)

func TestPlannedBlocks(t *testing.T) {
	at := time.Date(2026, 5, 6, 0, 0, 0, 0, time.UTC) // 08:00 in the county
	tests := []struct {
		name      string
		hours, km float64
		want      []driveBlock
	}{
		{"half out, half back", 8, 80, []driveBlock{{at, at.Add(time.Hour)}, {at.Add(7 * time.Hour), at.Add(8 * time.Hour)}}},
		{"driving fills the window", 2, 200, []driveBlock{{at, at.Add(2 * time.Hour)}}},
		{"no route", 2, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := plannedBlocks(at, at.Add(time.Duration(tt.hours*float64(time.Hour))), tt.km, 40)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if !got[i].From.Equal(tt.want[i].From) || !got[i].To.Equal(tt.want[i].To) {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
			}
		})
	}
}

func TestCheckDriving(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	day := time.Date(2026, 5, 6, 8, 0, 0, 0, loc)
	lim := drivingLimits{continuous: 4 * time.Hour, rest: 20 * time.Minute, daily: 8 * time.Hour, loc: loc}
	b := func(fromH, toH float64) driveBlock {
		return driveBlock{day.Add(time.Duration(fromH * float64(time.Hour))), day.Add(time.Duration(toH * float64(time.Hour)))}
	}
	tests := []struct {
		name   string
		blocks []driveBlock
		ok     bool
		why    string
	}{
		{"nothing", nil, true, ""},
		{"exactly 4 h", []driveBlock{b(0, 4)}, true, ""},
		{"4 h 10 min on end", []driveBlock{b(0, 4+1.0/6)}, false, "without a 20m rest"},
		{"a 10-minute pause is no rest", []driveBlock{b(0, 2), b(2+1.0/6, 4+1.0/3)}, false, "without a 20m rest"},
		{"a 20-minute rest resets", []driveBlock{b(0, 3.5), b(3.5+1.0/3, 7)}, true, ""},
		{"overlapping blocks count once", []driveBlock{b(0, 3), b(1, 3.5)}, true, ""},
		{"9 h in a day with rests", []driveBlock{b(0, 3), b(4, 7), b(8, 11)}, false, "daily cap"},
		{"8 h in a day", []driveBlock{b(0, 3), b(4, 7), b(8, 10)}, true, ""},
		{"across midnight counts per day", []driveBlock{b(12, 15), b(16, 19)}, true, ""}, // 20:00–23:00, 00:00–03:00
		{"unsorted", []driveBlock{b(4, 7), b(0, 3), b(8, 11)}, false, "daily cap"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, why := checkDriving(tt.blocks, lim)
			if ok != tt.ok || !strings.Contains(why, tt.why) {
				t.Fatalf("got %v %q, want %v %q", ok, why, tt.ok, tt.why)
			}
		})
	}
}

func TestSettingsValidate(t *testing.T) {
	s := DefaultSettings()
	if err := s.validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	s.Checklist = append(s.Checklist, "轮胎")
	s.Weights.DistancePerKm = -1
	err := s.validate()
	if err == nil || !strings.Contains(err.Error(), "checklist.8") || !strings.Contains(err.Error(), "weights.distance_per_km") {
		t.Fatalf("err = %v", err)
	}
}
