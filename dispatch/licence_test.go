package dispatch_test

import (
	"strings"
	"testing"
	"time"

	"fleet/dispatch"
)

func recDate(s string) *time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return &d
}

func TestLicenceCovers(t *testing.T) {
	tests := []struct {
		held, need string
		want       bool
	}{
		{"A1", "A1", true}, {"A1", "A3", true}, {"A1", "B1", true}, {"A1", "C1", true}, {"A1", "A2", false},
		{"A2", "B1", true}, {"A2", "C1", true}, {"A2", "A1", false}, {"A2", "A3", false},
		{"A3", "C1", true}, {"A3", "B1", false}, {"A3", "A1", false},
		{"B1", "C1", true}, {"B1", "C2", true}, {"B1", "B2", false}, {"B1", "A1", false},
		{"B2", "C1", true}, {"B2", "B1", false},
		{"C1", "C2", true}, {"C1", "C1", true}, {"C1", "B1", false},
		{"C2", "C1", false}, {"C2", "C2", true},
		{"Z9", "C1", false},
	}
	for _, tt := range tests {
		if got := dispatch.LicenceCovers(tt.held, tt.need); got != tt.want {
			t.Errorf("LicenceCovers(%s, %s) = %v, want %v", tt.held, tt.need, got, tt.want)
		}
	}
}

func TestRequiredLicence(t *testing.T) {
	for _, tt := range []struct {
		seats int
		want  string
	}{{1, "C1"}, {5, "C1"}, {9, "C1"}, {10, "B1"}, {14, "B1"}, {19, "B1"}, {20, "A1"}, {45, "A1"}} {
		if got := dispatch.RequiredLicence(tt.seats); got != tt.want {
			t.Errorf("RequiredLicence(%d) = %s, want %s", tt.seats, got, tt.want)
		}
	}
}

func TestLicenceAllows(t *testing.T) {
	// The task ends at 2026-06-30 23:30 Beijing time.
	end := time.Date(2026, 6, 30, 15, 30, 0, 0, time.UTC)
	car := &dispatch.Vehicle{Seats: 5}
	bus := &dispatch.Vehicle{Seats: 14}
	coach := &dispatch.Vehicle{Seats: 33}
	tests := []struct {
		name    string
		class   string
		expiry  *time.Time
		v       *dispatch.Vehicle
		ok      bool
		because string // a word of the reason
	}{
		{"C1 car", "C1", recDate("2028-01-01"), car, true, ""},
		{"C1 unknown expiry", "C1", nil, car, true, ""},
		{"C1 medium bus", "C1", recDate("2028-01-01"), bus, false, "B1"},
		{"B1 medium bus", "B1", recDate("2028-01-01"), bus, true, ""},
		{"A1 medium bus", "A1", recDate("2028-01-01"), bus, true, ""},
		{"A2 medium bus", "A2", recDate("2028-01-01"), bus, true, ""},
		{"A3 medium bus", "A3", recDate("2028-01-01"), bus, false, "B1"},
		{"B1 coach", "B1", recDate("2028-01-01"), coach, false, "A1"},
		{"A1 coach", "A1", recDate("2028-01-01"), coach, true, ""},
		{"C2 car, automatic only", "C2", recDate("2028-01-01"), car, true, "automatic"},
		{"C2 bus", "C2", recDate("2028-01-01"), bus, false, "B1"},
		{"lower case", "b1", recDate("2028-01-01"), bus, true, ""},
		{"unknown class", "X", recDate("2028-01-01"), car, false, "class"},
		{"expires on the task's day", "C1", recDate("2026-06-30"), car, true, ""},
		{"expired the day before", "C1", recDate("2026-06-29"), car, false, "2026-06-29"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &dispatch.Driver{LicenseClass: tt.class, LicenseExpiry: tt.expiry}
			ok, reason := dispatch.LicenceAllows(d, tt.v, end)
			if ok != tt.ok || !strings.Contains(reason, tt.because) {
				t.Fatalf("LicenceAllows = %v %q, want %v with %q", ok, reason, tt.ok, tt.because)
			}
			if !ok && reason == "" {
				t.Fatal("refused without a reason")
			}
		})
	}
}

func TestUsable(t *testing.T) {
	from := time.Date(2026, 6, 30, 0, 30, 0, 0, time.UTC) // 08:30 Beijing
	to := time.Date(2026, 6, 30, 9, 0, 0, 0, time.UTC)    // 17:00 Beijing
	tests := []struct {
		name      string
		status    string
		insurance *time.Time
		due       *time.Time
		to        time.Time
		ok        bool
		because   string
	}{
		{"available, dates valid", dispatch.StatusAvailable, recDate("2026-12-31"), recDate("2027-03-31"), to, true, ""},
		{"on task (the caller checks overlaps)", dispatch.StatusOnTask, recDate("2026-12-31"), recDate("2027-03-31"), to, true, ""},
		{"dates unknown", dispatch.StatusAvailable, nil, nil, to, true, ""},
		{"in maintenance", dispatch.StatusMaintenance, recDate("2026-12-31"), nil, to, false, "maintenance"},
		{"in repair", dispatch.StatusRepair, nil, nil, to, false, "repair"},
		{"being disinfected", dispatch.StatusDisinfection, nil, nil, to, false, "disinfection"},
		{"retired", dispatch.StatusRetired, nil, nil, to, false, "retired"},
		{"insurance runs out that evening", dispatch.StatusAvailable, recDate("2026-06-30"), nil, to, true, ""},
		{"insurance ran out", dispatch.StatusAvailable, recDate("2026-06-29"), nil, to, false, "insurance"},
		{"insurance runs out during the task", dispatch.StatusAvailable, recDate("2026-06-30"), nil,
			time.Date(2026, 7, 1, 2, 0, 0, 0, time.UTC), false, "insurance"},
		{"inspection overdue", dispatch.StatusAvailable, nil, recDate("2026-05-31"), to, false, "inspection"},
		{"ends before it starts", dispatch.StatusAvailable, nil, nil, from, false, "ends"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := &dispatch.Vehicle{Status: tt.status, InsuranceExpiry: tt.insurance, InspectionDue: tt.due}
			ok, reason := dispatch.Usable(v, from, tt.to)
			if ok != tt.ok || !strings.Contains(reason, tt.because) || (!ok && reason == "") {
				t.Fatalf("Usable = %v %q, want %v with %q", ok, reason, tt.ok, tt.because)
			}
		})
	}
}

func TestValidThroughEndsAtMidnightBeijing(t *testing.T) {
	day := *recDate("2026-06-30")
	for _, tt := range []struct {
		at   time.Time
		want bool
	}{
		{time.Date(2026, 6, 30, 15, 59, 0, 0, time.UTC), true}, // 23:59 Beijing
		{time.Date(2026, 6, 30, 16, 0, 0, 0, time.UTC), true},  // 24:00 Beijing
		{time.Date(2026, 6, 30, 16, 1, 0, 0, time.UTC), false}, // 00:01 the next day
	} {
		if got := dispatch.ValidThrough(day, tt.at); got != tt.want {
			t.Errorf("ValidThrough(2026-06-30, %s) = %v, want %v", tt.at, got, tt.want)
		}
	}
}
