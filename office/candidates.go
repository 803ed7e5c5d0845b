package office

import (
	"context"

	"fleet"
	"fleet/auth"
)

// Candidate is a user one may put in an office room, with the rank the standards read and
// whether they have an office already (the console's person picker).
type Candidate struct {
	ID        int64  `json:"id"`
	Username  string `json:"username"`
	Name      string `json:"name"`
	UnitID    int64  `json:"unit_id"`
	UnitName  string `json:"unit_name"`
	Rank      string `json:"rank"` // "" when not set
	HasOffice bool   `json:"has_office"`
}

// CandidateQuery narrows Candidates: a unit (0: every unit the actor sees) and free text on
// name and username.
type CandidateQuery struct {
	fleet.Page
	UnitID int64
}

// Candidates lists the active users one may assign rooms to, by unit and name; leaders see their
// own unit's people (they name them in reallocation requests). The office manager needs it
// because the user list itself is the admin's.
func (s *Service) Candidates(ctx context.Context, a *auth.Actor, q CandidateQuery) ([]Candidate, int64, error) {
	if err := a.Require(auth.PermOfficeRead); err != nil {
		return nil, 0, err
	}
	unit, err := scopeUnit(a, q.UnitID)
	if err != nil {
		return nil, 0, err
	}
	q.UnitID, q.Page = unit, q.Page.Normalize()
	db := s.read(ctx)
	rows, total, err := listCandidates(db, q)
	if err != nil {
		return nil, 0, err
	}
	units, err := unitNames(db)
	if err != nil {
		return nil, 0, err
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	held, err := heldRoomLabels(db, ids)
	if err != nil {
		return nil, 0, err
	}
	out := make([]Candidate, len(rows))
	for i, r := range rows {
		out[i] = Candidate{ID: r.ID, Username: r.Username, Name: r.Name, UnitID: r.UnitID, UnitName: units[r.UnitID],
			Rank: r.rank(), HasOffice: len(held[r.ID]) > 0}
	}
	return out, total, nil
}
