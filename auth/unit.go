package auth

import (
	"time"

	"fleet"
)

// Unit is a county unit (单位), such as 县委办 or 财政局; units form a tree.
type Unit struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Code      string    `json:"code"`
	ParentID  *int64    `json:"parent_id"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// UnitInput is what an admin sends to create or change a unit.
type UnitInput struct {
	Name     string `json:"name"`
	Code     string `json:"code"`
	ParentID *int64 `json:"parent_id"`
}

// validate trims the input and returns its problems.
func (in *UnitInput) validate() error {
	p := fleet.Problems{}
	in.Name = p.Text("name", in.Name, true, 100)
	in.Code = p.Text("code", in.Code, false, 32)
	if in.ParentID != nil && *in.ParentID <= 0 {
		p.Add("parent_id", "must be a unit id")
	}
	return p.Err()
}
