package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fleet/auth"
)

// unitAdd adds a unit.
func (c *cli) unitAdd(ctx context.Context, args []string) error {
	fs := c.flags("unit add")
	name := fs.String("name", "", "unit name, as 县财政局 (required)")
	parent := fs.String("parent", "", "parent unit, by id or exact name")
	code := fs.String("code", "", "unit code")
	if _, err := c.parse(fs, args, 0, "unit add -name N [-parent PARENT] [-code C]"); err != nil {
		return err
	}
	a, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	in := auth.UnitInput{Name: *name, Code: *code}
	if *parent != "" {
		units, err := loadUnits(ctx, a.auth)
		if err != nil {
			return err
		}
		p, err := units.find(*parent)
		if err != nil {
			return fmt.Errorf("parent: %w", err)
		}
		in.ParentID = &p.ID
	}
	u, err := a.auth.CreateUnit(ctx, auth.System, in)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(c.stdout, "created unit %s (id %d)\n", u.Name, u.ID)
	return nil
}

// unitList prints the units as a tree.
func (c *cli) unitList(ctx context.Context, args []string) error {
	if _, err := c.parse(c.flags("unit list"), args, 0, "unit list"); err != nil {
		return err
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
	t := newTable("ID", "CODE", "NAME")
	for _, n := range units.tree() {
		t.add(strconv.FormatInt(n.unit.ID, 10), n.unit.Code, strings.Repeat("  ", n.depth)+n.unit.Name)
	}
	return t.write(c.stdout)
}

// unitSet is every unit, to resolve the names a person types.
type unitSet []auth.Unit

func loadUnits(ctx context.Context, svc *auth.Service) (unitSet, error) {
	return svc.ListUnits(ctx, auth.System)
}

// find returns the unit named s exactly (after trimming spaces), or else the one whose id is s.
func (us unitSet) find(s string) (*auth.Unit, error) {
	s = strings.TrimSpace(s)
	for i := range us {
		if us[i].Name == s {
			return &us[i], nil
		}
	}
	if id, err := strconv.ParseInt(s, 10, 64); err == nil {
		for i := range us {
			if us[i].ID == id {
				return &us[i], nil
			}
		}
	}
	return nil, fmt.Errorf("no unit %q (see fleetctl unit list)", s)
}

// treeNode is a unit with its depth in the tree.
type treeNode struct {
	unit  *auth.Unit
	depth int
}

// tree returns the units depth first, children in id order under their parent. A unit whose
// parent is missing is shown as a root.
func (us unitSet) tree() []treeNode {
	ids := map[int64]bool{}
	for _, u := range us {
		ids[u.ID] = true
	}
	children := map[int64][]*auth.Unit{}
	var roots []*auth.Unit
	for i := range us {
		u := &us[i]
		if u.ParentID == nil || !ids[*u.ParentID] || *u.ParentID == u.ID {
			roots = append(roots, u)
		} else {
			children[*u.ParentID] = append(children[*u.ParentID], u)
		}
	}
	var out []treeNode
	seen := map[int64]bool{}
	var walk func(u *auth.Unit, depth int)
	walk = func(u *auth.Unit, depth int) {
		if seen[u.ID] {
			return
		}
		seen[u.ID] = true
		out = append(out, treeNode{u, depth})
		for _, ch := range children[u.ID] {
			walk(ch, depth+1)
		}
	}
	for _, r := range roots {
		walk(r, 0)
	}
	return out
}
