package jt808

import "testing"

// Authentications (0x0102) from REFERENCE §3.
func TestParseAuthRealFrames(t *testing.T) {
	tests := []struct {
		frame string
		want  Auth
	}{
		{"T5", Auth{Code: "authentication"}},
		{"T6", Auth{Code: "2011110811332196"}},
		{"S4", Auth{Code: "456121111"}},
		{"P5985-auth", Auth{Code: "014535709217"}},
		{"P5997-auth", Auth{Code: "authentication"}},
		{"Q-bit14", Auth{Code: "J10030000681"}}, // bit 14 on a 2013 body
		{"S10", Auth{Code: "17299841738", IMEI: "123456789012345", SoftwareVersion: "3.7.15"}},
	}
	for _, tt := range tests {
		f := frame(t, tt.frame)
		t.Run(tt.frame, func(t *testing.T) {
			p := decodeFixture(t, tt.frame)
			got, err := ParseAuth(p.Body, p.Version2019)
			if err != nil || got != tt.want {
				t.Errorf("%s: got %+v, %v; want %+v", f.source, got, err, tt.want)
			}
		})
	}
}

func TestAuthRoundTrip(t *testing.T) {
	tests := []struct {
		name  string
		a     Auth
		v2019 bool
	}{
		{"2013", Auth{Code: "fleet-7f3a9c"}, false},
		{"2019", Auth{Code: "fleet-7f3a9c", IMEI: "866496077582164", SoftwareVersion: "V2.1.0"}, true},
		{"2019 empty code", Auth{IMEI: "866496077582164", SoftwareVersion: "1"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := AppendAuth(nil, tt.a, tt.v2019)
			got, err := ParseAuth(body, tt.v2019)
			if err != nil || got != tt.a {
				t.Errorf("got %+v, %v; want %+v", got, err, tt.a)
			}
		})
	}
}

// emqx documents the 2019 software version as [length BYTE][version] instead of BYTE[20].
func TestParseAuthLengthPrefixedVersion(t *testing.T) {
	body := mustHex(t, "03 313233 383636343936303737353832313634 06 56322e312e30")
	want := Auth{Code: "123", IMEI: "866496077582164", SoftwareVersion: "V2.1.0"}
	if got, err := ParseAuth(body, true); err != nil || got != want {
		t.Errorf("got %+v, %v; want %+v", got, err, want)
	}
}

func TestParseAuthRejects(t *testing.T) {
	for name, body := range map[string][]byte{
		"empty 2019 body":       nil,
		"code longer than body": mustHex(t, "0c 3132"),
		"IMEI cut short":        mustHex(t, "01 31 383636343936"),
	} {
		if _, err := ParseAuth(body, true); err != ErrTooShort {
			t.Errorf("%s: err = %v, want ErrTooShort", name, err)
		}
	}
}
