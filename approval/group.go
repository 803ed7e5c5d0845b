package approval

import (
	"fmt"
	"time"

	"fleet"
)

// Group is a named set of approvers, such as 公务用车更新购置审批领导小组, that a step names by key.
type Group struct {
	ID        int64     `json:"id"`
	Key       string    `json:"key"`
	Name      string    `json:"name"`
	Members   []Member  `json:"members"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Member is a user in a group.
type Member struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Username string `json:"username"`
	UnitID   int64  `json:"unit_id"`
	Disabled bool   `json:"disabled"`
}

// GroupInput creates or changes a group; MemberIDs replaces the members.
type GroupInput struct {
	Key       string  `json:"key"`
	Name      string  `json:"name"`
	MemberIDs []int64 `json:"member_ids"`
}

// maxMembers bounds a group.
const maxMembers = 200

func (in *GroupInput) validate() error {
	p := fleet.Problems{}
	if !keyRE.MatchString(in.Key) {
		p.Add("key", "2 to 64 lower-case letters, digits or _, starting with a letter")
	}
	in.Name = p.Text("name", in.Name, true, 100)
	if len(in.MemberIDs) > maxMembers {
		p.Add("member_ids", fmt.Sprintf("at most %d members", maxMembers))
	}
	seen := map[int64]bool{}
	ids := in.MemberIDs[:0:0]
	for _, id := range in.MemberIDs {
		if id <= 0 {
			p.Add("member_ids", "must be user ids")
			continue
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	in.MemberIDs = ids
	return p.Err()
}
