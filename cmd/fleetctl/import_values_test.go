package main

import (
	"testing"

	"fleet/dispatch"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in, want string
		date1904 bool
	}{
		{in: "2027-05-01", want: "2027-05-01"},
		{in: "2027/5/1", want: "2027-05-01"},
		{in: "2027.5.1", want: "2027-05-01"},
		{in: "2027年5月1日", want: "2027-05-01"},
		{in: "2027-05-01 00:00:00", want: "2027-05-01"},
		{in: "2027-05-01T00:00:00Z", want: "2027-05-01"},
		{in: "46508", want: "2027-05-01"},                 // an Excel date cell, read raw
		{in: "45046", want: "2027-05-01", date1904: true}, // the same day counted from 1904
		{in: "2027-02-30"},
		{in: "5/1/2027"},
		{in: "明年"},
		{in: "12"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseDate(tt.in, tt.date1904)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("parseDate(%q) = %q, want an error", tt.in, got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("parseDate(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestChoice(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"其他公务用车", dispatch.ClassGeneral, true},
		{"执法执勤用车", dispatch.ClassLawEnforcement, true},
		{"机要通信", dispatch.ClassConfidentialComm, true},
		{"Emergency", dispatch.ClassEmergency, true},
		{"special_technical", dispatch.ClassSpecialTechnical, true},
		{"", "", true},
		{"豪华轿车", "", false},
	}
	for _, tt := range tests {
		got, ok := choice(tt.in, dispatch.Classes, classNames)
		if got != tt.want || ok != tt.ok {
			t.Errorf("class %q = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	for in, want := range map[string]string{"汽油": "gasoline", "柴油": "diesel", "纯电动": "electric", "混合动力": "hybrid", "插电式混合动力": "plugin_hybrid"} {
		if got, ok := choice(in, dispatch.Energies, energyNames); !ok || got != want {
			t.Errorf("energy %q = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestCellValues(t *testing.T) {
	for in, want := range map[string]string{
		"13907950001": "13907950001", "1.3907950001E+10": "13907950001", "13907950001.0": "13907950001",
		"139-0795-0001": "13907950001", "139 0795 0001": "13907950001", "0013907950001": "0013907950001",
	} {
		if got := digits(in); got != want {
			t.Errorf("digits(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]int{"5": 5, "14": 14, "7.0": 7, "5座": 5, " 9 ": 9} {
		if got, err := parseCount(in); err != nil || got != want {
			t.Errorf("parseCount(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"五", "5.5", "x"} {
		if got, err := parseCount(in); err == nil {
			t.Errorf("parseCount(%q) = %d, want an error", in, got)
		}
	}
	for in, want := range map[string]bool{"是": true, "否": false, "YES": true, "0": false, "平台车辆": true, "保留车辆": false} {
		if got, ok := parseYesNo(in); !ok || got == nil || *got != want {
			t.Errorf("parseYesNo(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	if got, ok := parseYesNo(""); !ok || got != nil {
		t.Errorf("parseYesNo(\"\") = %v, %v; want nil (the default)", got, ok)
	}
}

func TestHeaderKey(t *testing.T) {
	for _, tt := range []struct{ a, b string }{
		{"terminal_phone", "Terminal Phone"},
		{"座位数", "座位数（座）"},
		{"车牌号", "*车牌号"},
		{"车牌号", " 车牌号 "},
		{"license_expiry", "License-Expiry (YYYY-MM-DD)"},
	} {
		if headerKey(tt.a) != headerKey(tt.b) {
			t.Errorf("headerKey(%q) = %q, headerKey(%q) = %q; want equal", tt.a, headerKey(tt.a), tt.b, headerKey(tt.b))
		}
	}
}
