package auth_test

import (
	"context"
	"testing"

	"fleet"
	"fleet/auth"
	"fleet/store"
	"fleet/store/storetest"
)

func TestUserRankIsCheckedAgainstTheStandardsTable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		rank := func(s string) *string { return &s }
		in := auth.UserInput{Username: "kezhang", Password: "correct-horse", Name: "科长", Role: auth.RoleStaff, UnitID: f.unit.ID, Rank: rank("section_chief")}
		u, err := f.svc.CreateUser(ctx, auth.System, in)
		if err != nil {
			t.Fatalf("create with rank: %v", err)
		}
		if u.Rank != "section_chief" {
			t.Fatalf("rank = %q, want section_chief", u.Rank)
		}

		// The 1999 table's ranks, or a typo: refused, naming the field and what the table knows.
		for _, bad := range []string{"chuji", "Section_Chief", "county chief"} {
			in.Username, in.Rank = "bad", rank(bad)
			_, err := f.svc.CreateUser(ctx, auth.System, in)
			wantCode(t, err, fleet.EInvalid)
			var fe *fleet.Error
			if e, ok := err.(*fleet.Error); ok {
				fe = e
			}
			if fe == nil || fe.Fields["rank"] == "" {
				t.Fatalf("rank %q: %v, want a problem with rank", bad, err)
			}
		}

		// An update that does not name the rank keeps it; "" clears it; a known one sets it.
		up := auth.UserInput{Name: "科长", Role: auth.RoleStaff, UnitID: f.unit.ID}
		if u, err = f.svc.UpdateUser(ctx, auth.System, u.ID, up); err != nil || u.Rank != "section_chief" {
			t.Fatalf("update without rank: %v, rank %q; want it kept", err, u.Rank)
		}
		up.Rank = rank("county_deputy")
		if u, err = f.svc.UpdateUser(ctx, auth.System, u.ID, up); err != nil || u.Rank != "county_deputy" {
			t.Fatalf("update to county_deputy: %v, rank %q", err, u.Rank)
		}
		up.Rank = rank("deputy")
		_, err = f.svc.UpdateUser(ctx, auth.System, u.ID, up)
		wantCode(t, err, fleet.EInvalid)
		up.Rank = rank("")
		if u, err = f.svc.UpdateUser(ctx, auth.System, u.ID, up); err != nil || u.Rank != "" {
			t.Fatalf("clear rank: %v, rank %q", err, u.Rank)
		}
		list, _, err := f.svc.ListUsers(ctx, auth.System, auth.UserFilter{})
		if err != nil || len(list) != 1 || list[0].Rank != "" {
			t.Fatalf("list = %+v, %v", list, err)
		}
	})
}
