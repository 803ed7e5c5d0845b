package auth

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"fleet"
)

// CreateUser adds a user; the username must be new (409 otherwise).
func (s *Service) CreateUser(ctx context.Context, a *Actor, in UserInput) (*User, error) {
	if err := a.Require(PermUsersWrite); err != nil {
		return nil, err
	}
	if err := in.validate(true); err != nil {
		return nil, err
	}
	hash, err := hashPassword(in.Password, s.opt.BcryptCost)
	if err != nil {
		return nil, fmt.Errorf("auth: hash password: %w", err)
	}
	now := s.now()
	row := userRow{Username: in.Username, Name: in.Name, Phone: in.Phone, UnitID: in.UnitID, Role: in.Role,
		PasswordHash: hash, PasswordChangedAt: now, CreatedAt: now, UpdatedAt: now}
	if in.Rank != nil {
		row.Rank = optional(*in.Rank)
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := unitExists(tx, in.UnitID); err != nil {
			return err
		}
		if err := rankKnown(tx, row.Rank); err != nil {
			return err
		}
		if err := insertUser(tx, &row); err != nil {
			return err
		}
		return insertAudit(tx, s.entry(a, now, "user_create", userTarget(row.ID), fmt.Sprintf("username=%s role=%s unit=%d rank=%s", row.Username, row.Role, row.UnitID, deref(row.Rank))))
	})
	if err != nil {
		return nil, err
	}
	return s.getUser(ctx, row.ID)
}

// UpdateUser changes a user's name, phone, role and unit, and the username and password when given.
func (s *Service) UpdateUser(ctx context.Context, a *Actor, id int64, in UserInput) (*User, error) {
	if err := a.Require(PermUsersWrite); err != nil {
		return nil, err
	}
	if err := in.validate(false); err != nil {
		return nil, err
	}
	if id == a.UserID && in.Role != a.Role {
		return nil, fleet.Invalid(map[string]string{"role": "you cannot change your own role"})
	}
	var hash string
	if in.Password != "" {
		h, err := hashPassword(in.Password, s.opt.BcryptCost)
		if err != nil {
			return nil, fmt.Errorf("auth: hash password: %w", err)
		}
		hash = h
	}
	now := s.now()
	err := s.tx(ctx, func(tx *gorm.DB) error {
		old, err := findUser(tx, id)
		if err != nil {
			return err
		}
		if in.Username == "" {
			in.Username = old.Username
		}
		if err := unitExists(tx, in.UnitID); err != nil {
			return err
		}
		if err := rankKnown(tx, in.Rank); err != nil {
			return err
		}
		if err := updateUser(tx, id, in, now); err != nil {
			return err
		}
		if hash != "" {
			if err := setUserPassword(tx, id, hash, now); err != nil {
				return err
			}
		}
		detail := fmt.Sprintf("username=%s role=%s->%s unit=%d->%d", in.Username, old.Role, in.Role, old.UnitID, in.UnitID)
		if in.Rank != nil {
			detail += fmt.Sprintf(" rank=%s->%s", deref(old.Rank), *in.Rank)
		}
		return insertAudit(tx, s.entry(a, now, "user_update", userTarget(id), detail))
	})
	if err != nil {
		return nil, err
	}
	if hash != "" {
		if err := s.endSessions(ctx, id, a.SessionID); err != nil {
			return nil, err
		}
	}
	return s.getUser(ctx, id)
}

// SetDisabled disables or enables a user; disabling ends all of the user's sessions at once.
func (s *Service) SetDisabled(ctx context.Context, a *Actor, id int64, disabled bool) (*User, error) {
	if err := a.Require(PermUsersWrite); err != nil {
		return nil, err
	}
	if id == a.UserID && disabled {
		return nil, fleet.Errorf(fleet.EConflict, "you cannot disable your own account")
	}
	now := s.now()
	action := "user_enable"
	if disabled {
		action = "user_disable"
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if _, err := findUser(tx, id); err != nil {
			return err
		}
		if err := setUserDisabled(tx, id, disabled, now); err != nil {
			return err
		}
		return insertAudit(tx, s.entry(a, now, action, userTarget(id), ""))
	})
	if err != nil {
		return nil, err
	}
	if disabled {
		// Authenticate refuses a disabled user's sessions anyway; this removes them.
		if err := s.endSessions(ctx, id, ""); err != nil {
			return nil, err
		}
	}
	return s.getUser(ctx, id)
}

// SetPassword sets a user's password and ends their other sessions. Users may change their own.
func (s *Service) SetPassword(ctx context.Context, a *Actor, id int64, password string) error {
	if a == nil || (a.UserID != id && !a.Can(PermUsersWrite)) {
		return fleet.Errorf(fleet.EForbidden, "you may change only your own password")
	}
	keep := "" // an admin resetting a password ends all of that user's sessions
	if a.UserID == id {
		keep = a.SessionID
	}
	if msg := checkPassword(password); msg != "" {
		return fleet.Invalid(map[string]string{"password": msg})
	}
	hash, err := hashPassword(password, s.opt.BcryptCost)
	if err != nil {
		return fmt.Errorf("auth: hash password: %w", err)
	}
	now := s.now()
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if _, err := findUser(tx, id); err != nil {
			return err
		}
		if err := setUserPassword(tx, id, hash, now); err != nil {
			return err
		}
		return insertAudit(tx, s.entry(a, now, "user_password", userTarget(id), ""))
	})
	if err != nil {
		return err
	}
	return s.endSessions(ctx, id, keep)
}

// endSessions ends every session of the user except keep.
func (s *Service) endSessions(ctx context.Context, userID int64, keep string) error {
	if err := s.sessions.deleteUser(ctx, userID, keep); err != nil {
		return fmt.Errorf("auth: end sessions of user %d: %w", userID, err)
	}
	return nil
}

// GetUser returns one user; staff and leaders see only users of their own unit.
func (s *Service) GetUser(ctx context.Context, a *Actor, id int64) (*User, error) {
	if err := a.Require(PermAny); err != nil {
		return nil, err
	}
	if id != a.UserID && !a.Can(PermUsersRead) {
		return nil, fleet.Errorf(fleet.EForbidden, "your role may not see other users")
	}
	return s.getUser(ctx, id)
}

// UserFilter narrows ListUsers.
type UserFilter struct {
	fleet.Page
	Role   string
	UnitID int64
}

// ListUsers returns users matching f and the total count.
func (s *Service) ListUsers(ctx context.Context, a *Actor, f UserFilter) ([]User, int64, error) {
	if err := a.Require(PermUsersRead); err != nil {
		return nil, 0, err
	}
	f.Page = f.Page.Normalize()
	return s.listUsers(ctx, f)
}

// FindUserID returns the id of the user with username, for the CLI.
func (s *Service) FindUserID(ctx context.Context, username string) (int64, error) {
	u, _, err := s.userForLogin(ctx, username)
	if err != nil {
		return 0, err
	}
	return u.ID, nil
}

// System is the actor of start-up, demo seeding and fleetctl: an admin that is no user.
var System = &Actor{Role: RoleAdmin, Username: "system", Name: "system"}

// entry builds an audit entry by the actor.
func (s *Service) entry(a *Actor, at time.Time, action, target, detail string) *AuditEntry {
	e := &AuditEntry{At: at, Action: action, Target: target, Detail: detail, ActorName: a.Username, IP: a.IP}
	if a.UserID != 0 {
		id := a.UserID
		e.ActorID = &id
	}
	return e
}

// ChangeOwnPassword changes the actor's password after checking the current one; the actor's
// other sessions end. A wrong current password counts as a failed sign-in of the account, so a
// borrowed session cannot be used to guess the password faster than the sign-in page allows.
func (s *Service) ChangeOwnPassword(ctx context.Context, a *Actor, current, password string) error {
	if err := a.Require(PermAny); err != nil {
		return err
	}
	key := []string{userThrottleKey(a.Username)}
	if wait, _, err := s.reserveAttempt(ctx, key, s.now()); err != nil {
		return err
	} else if wait > 0 {
		return rateLimited(wait)
	}
	u, hash, err := s.userForLogin(ctx, a.Username)
	if err != nil {
		return err
	}
	if !passwordMatches(hash, current) {
		return fleet.Invalid(map[string]string{"current_password": "wrong password"})
	}
	if err := s.clearFailures(ctx, key[0]); err != nil {
		return err
	}
	return s.SetPassword(ctx, a, u.ID, password)
}

// deref is the text of an optional value, "" for none.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
