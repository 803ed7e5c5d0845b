package demo_test

import (
	"context"
	"testing"
	"time"

	"gorm.io/gorm"

	"fleet/approval"
	"fleet/auth"
	"fleet/demo"
	"fleet/store"
	"fleet/store/storetest"
)

// With the approval service the demo county gets its sign-off people in the approval groups, so
// that a vehicle purchase filed by demo_staff goes through every step; a second run adds nothing
// and leaves a group the admin changed alone.
func TestSeedFillsTheApprovalGroups(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, f := services(db)
		ap, err := approval.NewService(db, a, nil, approval.Options{})
		if err != nil {
			t.Fatal(err)
		}
		opt := demo.Options{Now: func() time.Time { return seedDay }, Approval: ap}
		res, err := demo.Seed(ctx, db, a, f, opt)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Approvers) != 4 || res.New.Users != len(auth.Roles)+4 {
			t.Fatalf("approvers = %+v, users created %d", res.Approvers, res.New.Users)
		}
		groups, err := ap.ListGroups(ctx, auth.System)
		if err != nil {
			t.Fatal(err)
		}
		members := map[string]int{}
		for _, g := range groups {
			members[g.Key] = len(g.Members)
		}
		if members[approval.GroupFleetSection] != 2 || members[approval.GroupVehicleBoard] != 3 || members[approval.GroupCountyLeaders] != 2 {
			t.Fatalf("group members = %v", members)
		}
		// demo_staff (财政局) files a dear vehicle renewal: unit head, fleet section, the group, a county leader.
		staffID, _ := a.FindUserID(ctx, "demo_staff")
		staff, _ := a.GetUser(ctx, auth.System, staffID)
		var in *approval.Instance
		err = db.Transaction(func(tx *gorm.DB) error {
			in, err = ap.SubmitTx(ctx, tx, &auth.Actor{UserID: staff.ID, Username: staff.Username, Role: staff.Role, UnitID: staff.UnitID},
				approval.SubmitInput{Definition: approval.DefProcurement, Subject: "更新购置", RefType: "demo", RefID: 1,
					Fields: map[string]any{"kind": "vehicle_renewal", "amount": 600000}})
			return err
		})
		if err != nil || in.Step.Index != 0 || in.Step.Approvers[0].Name != "王建军" {
			t.Fatalf("submit = %+v, %v", in, err)
		}

		// Second run: nothing new; an emptied-then-refilled group by the admin stays as the admin left it.
		g := groups[0]
		if _, err := ap.UpdateGroup(ctx, auth.System, g.ID, approval.GroupInput{Key: g.Key, Name: g.Name, MemberIDs: []int64{g.Members[0].ID}}); err != nil {
			t.Fatal(err)
		}
		again, err := demo.Seed(ctx, db, a, f, opt)
		if err != nil {
			t.Fatal(err)
		}
		if again.Created || len(again.Approvers) != 4 || !again.Approvers[0].Existed {
			t.Fatalf("second seed = %+v", again)
		}
		after, _ := ap.GetGroup(ctx, auth.System, g.ID)
		if len(after.Members) != 1 {
			t.Fatalf("the admin's group was refilled: %+v", after.Members)
		}
	})
}
