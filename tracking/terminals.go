package tracking

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"strings"

	"fleet"
)

// Registration is what a terminal tells about itself when it registers (0x0100).
type Registration struct {
	ProtocolVersion int // 2013 or 2019
	Maker           string
	Model           string
	TerminalID      string
	PlateColor      int
	Plate           string
}

// NormalizePhone strips the leading zeros of a terminal phone: a 2013 terminal pads it to 12
// digits and a 2019 one to 20, and both name the same terminal (the vehicles table stores it so).
func NormalizePhone(phone string) string { return strings.TrimLeft(phone, "0") }

// Register binds a terminal to the vehicle whose terminal phone it has and returns its auth
// code: the stored one when it registered before (codes survive restarts), else a new one. A
// phone no vehicle has gives fleet ENotFound (answered with 0x8100 result 4).
func (s *Service) Register(ctx context.Context, phone string, reg Registration) (vehicleID int64, authCode string, err error) {
	phone = NormalizePhone(phone)
	vehicleID, err = s.vehicleByPhone(ctx, phone)
	if err != nil {
		return 0, "", err
	}
	now := s.opt.Now()
	t, err := s.terminal(ctx, phone)
	if fleet.ErrorCode(err) == fleet.ENotFound {
		t, err = &terminalRow{Phone: phone, AuthCode: newAuthCode()}, nil
	}
	if err != nil {
		return 0, "", err
	}
	if t.VehicleID != vehicleID {
		// The terminal was moved to another vehicle: the old code must not authenticate for it.
		t.AuthCode = newAuthCode()
	}
	next := *t
	next.VehicleID, next.ProtocolVersion = vehicleID, reg.ProtocolVersion
	next.Maker, next.Model, next.TerminalID = clip(reg.Maker, 32), clip(reg.Model, 64), clip(reg.TerminalID, 64)
	next.PlateColor, next.Plate = reg.PlateColor, clip(reg.Plate, 32)
	// A terminal registers again after every reconnect; write only what changed, so that a
	// reconnect storm of thousands of terminals costs reads, not thousands of commits.
	if next != *t || t.RegisteredAt.IsZero() {
		next.RegisteredAt, next.LastSeenAt = now, &now
		if err := s.saveTerminal(ctx, &next); err != nil {
			return 0, "", err
		}
	}
	return vehicleID, next.AuthCode, nil
}

// Authenticate checks a terminal's auth code (0x0102) and returns its vehicle. A wrong code, an
// unregistered terminal or one no longer bound to a vehicle gives fleet EUnauthorized: the
// terminal is told to register again.
func (s *Service) Authenticate(ctx context.Context, phone, code string) (vehicleID int64, err error) {
	phone = NormalizePhone(phone)
	t, err := s.terminal(ctx, phone)
	if fleet.ErrorCode(err) == fleet.ENotFound {
		return 0, fleet.Errorf(fleet.EUnauthorized, "terminal %s must register first", phone)
	}
	if err != nil {
		return 0, err
	}
	if subtle.ConstantTimeCompare([]byte(t.AuthCode), []byte(code)) != 1 {
		return 0, fleet.Errorf(fleet.EUnauthorized, "wrong auth code for terminal %s", phone)
	}
	bound, err := s.vehicleByPhone(ctx, phone)
	if err != nil || bound != t.VehicleID {
		return 0, fleet.Errorf(fleet.EUnauthorized, "terminal %s is no longer bound to its vehicle", phone)
	}
	s.seen.mark(phone, s.opt.Now())
	return t.VehicleID, nil
}

// DeviceToken returns the credential a phone or HTTP device of the vehicle reports with: the
// auth code of the vehicle's terminal phone, registering it when it never did.
func (s *Service) DeviceToken(ctx context.Context, phone string) (string, error) {
	_, code, err := s.Register(ctx, phone, Registration{ProtocolVersion: 0, Model: "http"})
	return code, err
}

// AuthenticateDevice checks an HTTP device's identifier (its terminal phone) and token.
func (s *Service) AuthenticateDevice(ctx context.Context, phone, token string) (int64, error) {
	p := NormalizePhone(strings.TrimSpace(phone))
	if p == "" || len(p) > 20 || strings.Trim(p, "0123456789") != "" {
		return 0, fleet.Invalid(map[string]string{"id": "must be the device's terminal phone (digits)"})
	}
	return s.Authenticate(ctx, p, token)
}

func newAuthCode() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}
