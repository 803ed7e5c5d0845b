package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fleet"
	"fleet/auth"
)

// userAdd adds a user.
func (c *cli) userAdd(ctx context.Context, args []string) error {
	fs := c.flags("user add")
	username := fs.String("username", "", "sign-in name (required)")
	name := fs.String("name", "", "person's name (required)")
	role := fs.String("role", "", "role: "+strings.Join(auth.Roles, ", ")+" (required)")
	unit := fs.String("unit", "", "unit, by id or exact name (required)")
	phone := fs.String("phone", "", "phone number")
	pwFlag := fs.String("password", "", "password (default: first line of stdin, or generated)")
	if _, err := c.parse(fs, args, 0, "user add -username U -name N -role R -unit UNIT [-phone P] [-password P]"); err != nil {
		return err
	}
	if *unit == "" {
		return fmt.Errorf("user add: -unit is required")
	}
	a, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	units, err := loadUnits(ctx, a.auth)
	if err != nil {
		return err
	}
	u, err := units.find(*unit)
	if err != nil {
		return fmt.Errorf("unit: %w", err)
	}
	pw, generated, err := c.password(*pwFlag)
	if err != nil {
		return err
	}
	user, err := a.auth.CreateUser(ctx, auth.System, auth.UserInput{
		Username: *username, Password: pw, Name: *name, Phone: *phone, Role: *role, UnitID: u.ID,
	})
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(c.stdout, "created user %s (id %d, role %s, unit %s)\n", user.Username, user.ID, user.Role, user.UnitName)
	if generated {
		fmt.Fprintf(c.stdout, "password (shown once): %s\n", pw)
	}
	return nil
}

// userPasswd sets a user's password.
func (c *cli) userPasswd(ctx context.Context, args []string) error {
	fs := c.flags("user passwd")
	pwFlag := fs.String("password", "", "new password (default: first line of stdin, or generated)")
	pos, err := c.parse(fs, args, 1, "user passwd USERNAME [-password P]")
	if err != nil {
		return err
	}
	a, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	id, err := findUser(ctx, a.auth, pos[0])
	if err != nil {
		return err
	}
	pw, generated, err := c.password(*pwFlag)
	if err != nil {
		return err
	}
	if err := a.auth.SetPassword(ctx, auth.System, id, pw); err != nil {
		return describe(err)
	}
	fmt.Fprintf(c.stdout, "password of %s changed; their sessions have ended\n", pos[0])
	if generated {
		fmt.Fprintf(c.stdout, "password (shown once): %s\n", pw)
	}
	return nil
}

func (c *cli) userDisable(ctx context.Context, args []string) error {
	return c.setDisabled(ctx, args, true)
}

func (c *cli) userEnable(ctx context.Context, args []string) error {
	return c.setDisabled(ctx, args, false)
}

// setDisabled disables or enables the user named in args.
func (c *cli) setDisabled(ctx context.Context, args []string, disabled bool) error {
	verb := "enable"
	if disabled {
		verb = "disable"
	}
	pos, err := c.parse(c.flags("user "+verb), args, 1, "user "+verb+" USERNAME")
	if err != nil {
		return err
	}
	a, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	id, err := findUser(ctx, a.auth, pos[0])
	if err != nil {
		return err
	}
	u, err := a.auth.SetDisabled(ctx, auth.System, id, disabled)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(c.stdout, "user %s %sd\n", u.Username, verb)
	return nil
}

// userList prints the users, filtered by role, unit and text.
func (c *cli) userList(ctx context.Context, args []string) error {
	fs := c.flags("user list")
	role := fs.String("role", "", "only this role")
	unit := fs.String("unit", "", "only this unit, by id or exact name")
	query := fs.String("q", "", "only users whose username, name or phone contains this")
	if _, err := c.parse(fs, args, 0, "user list [-role R] [-unit UNIT] [-q TEXT]"); err != nil {
		return err
	}
	a, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	f := auth.UserFilter{Role: *role, Page: fleet.Page{Limit: 500, Query: *query}}
	if *unit != "" {
		units, err := loadUnits(ctx, a.auth)
		if err != nil {
			return err
		}
		u, err := units.find(*unit)
		if err != nil {
			return fmt.Errorf("unit: %w", err)
		}
		f.UnitID = u.ID
	}
	t := newTable("ID", "USERNAME", "NAME", "ROLE", "UNIT", "PHONE", "STATE")
	for {
		users, total, err := a.auth.ListUsers(ctx, auth.System, f)
		if err != nil {
			return describe(err)
		}
		for _, u := range users {
			state := "active"
			if u.Disabled {
				state = "disabled"
			}
			t.add(strconv.FormatInt(u.ID, 10), u.Username, u.Name, u.Role, u.UnitName, u.Phone, state)
		}
		f.Offset += len(users)
		if len(users) == 0 || int64(f.Offset) >= total {
			break
		}
	}
	return t.write(c.stdout)
}

// findUser returns the id of the user with username.
func findUser(ctx context.Context, svc *auth.Service, username string) (int64, error) {
	id, err := svc.FindUserID(ctx, username)
	if fleet.ErrorCode(err) == fleet.ENotFound {
		return 0, fmt.Errorf("no user %q (see fleetctl user list)", username)
	}
	return id, describe(err)
}
