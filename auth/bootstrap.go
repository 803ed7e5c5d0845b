package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"

	"fleet"
)

// CenterUnit is the unit of the platform's own staff; the first admin belongs to it.
const CenterUnit = "县机关事务管理中心"

// EnsureAdmin creates the user admin (in CenterUnit, created if missing) when no such user
// exists. With password empty a random one is generated. It returns the password it set, or ""
// when admin already existed.
func (s *Service) EnsureAdmin(ctx context.Context, password string) (string, error) {
	if _, _, err := s.userForLogin(ctx, "admin"); err == nil {
		return "", nil
	} else if fleet.ErrorCode(err) != fleet.ENotFound {
		return "", err
	}
	unitID, err := s.unitIDByName(ctx, CenterUnit)
	if fleet.ErrorCode(err) == fleet.ENotFound {
		u, cerr := s.CreateUnit(ctx, System, UnitInput{Name: CenterUnit})
		if cerr != nil {
			return "", cerr
		}
		unitID, err = u.ID, nil
	}
	if err != nil {
		return "", err
	}
	if password == "" {
		b := make([]byte, 12)
		rand.Read(b)
		password = base64.RawURLEncoding.EncodeToString(b)
	}
	_, err = s.CreateUser(ctx, System, UserInput{Username: "admin", Password: password, Name: "系统管理员", Role: RoleAdmin, UnitID: unitID})
	if fleet.ErrorCode(err) == fleet.EConflict {
		return "", nil // another instance created it first
	}
	if err != nil {
		return "", err
	}
	return password, nil
}
