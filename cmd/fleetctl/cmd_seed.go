package main

import (
	"context"
	"fmt"

	"fleet/approval"
	"fleet/bus"
	"fleet/demo"
	"fleet/tracking"
)

// seedDemo creates the demo county and prints its logins.
func (c *cli) seedDemo(ctx context.Context, args []string) error {
	fs := c.flags("seed demo")
	pw := fs.String("password", "", "password of the demo users created now (default "+demo.DefaultPassword+")")
	if _, err := c.parse(fs, args, 0, "seed demo [-password P]"); err != nil {
		return err
	}
	a, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	// A tracking service of its own, without detectors, for the demo geofences.
	b := bus.NewInProcess(bus.Options{})
	defer b.Close()
	track, err := tracking.NewService(a.db, b, tracking.Options{NoDetectors: true})
	if err != nil {
		return err
	}
	defer track.Close()
	// And an approval service for the default definitions and the approval groups' members.
	appr, err := approval.NewService(a.db, a.auth, b, approval.Options{})
	if err != nil {
		return err
	}
	res, err := demo.Seed(ctx, a.db, a.auth, a.fleet, demo.Options{Password: *pw, Tracking: track, Approval: appr})
	if err != nil {
		return describe(err)
	}
	if res.Created {
		n := res.New
		fmt.Fprintf(c.stdout, "demo county seeded: %d units, %d users, %d vehicles, %d drivers created\n", n.Units, n.Users, n.Vehicles, n.Drivers)
	} else {
		fmt.Fprintln(c.stdout, "demo county already present; nothing created")
	}
	for _, sk := range res.Skipped {
		fmt.Fprintf(c.stderr, "warning: skipped demo %s\n", sk)
	}
	fmt.Fprintln(c.stdout, "demo logins (for trying the platform only, never for production):")
	t := newTable("USERNAME", "PASSWORD", "ROLE", "UNIT")
	existed := false
	for _, l := range append(res.Logins, res.Approvers...) {
		t.add(l.Username, l.Password, l.Role, l.Unit)
		existed = existed || l.Existed
	}
	if err := t.write(c.stdout); err != nil {
		return err
	}
	if existed {
		fmt.Fprintln(c.stdout, "(these users existed before and keep their password: the one shown is what this run would have given them)")
	}
	return nil
}
