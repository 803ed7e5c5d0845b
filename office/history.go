package office

import (
	"context"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// Change is one line of the ledger's history: who, when, what, from what, to what, and why.
// Every change of a building, room, assignment, standard, reallocation, clearance and finding
// writes one, in the transaction of the change itself.
type Change struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	ActorID    *int64    `json:"actor_id"` // null: the system
	Actor      string    `json:"actor"`
	Subject    string    `json:"subject"` // building, room, assignment, standard, reallocation, clearance, departure, finding
	SubjectID  int64     `json:"subject_id"`
	Action     string    `json:"action"` // create, update, assign, end, move, import, …
	BuildingID *int64    `json:"building_id"`
	RoomID     *int64    `json:"room_id"`
	UnitID     *int64    `json:"unit_id"`
	UserID     *int64    `json:"user_id"`
	From       string    `json:"from"`
	To         string    `json:"to"`
	Reason     string    `json:"reason"`
}

// HistoryQuery narrows History; zero ids match everything.
type HistoryQuery struct {
	fleet.Page
	BuildingID int64
	RoomID     int64
	UnitID     int64
	UserID     int64
	Subject    string
}

// History returns the ledger's changes, newest first. Leaders see the lines of their own unit.
func (s *Service) History(ctx context.Context, a *auth.Actor, q HistoryQuery) ([]Change, int64, error) {
	if err := a.Require(auth.PermOfficeRead); err != nil {
		return nil, 0, err
	}
	unit, err := scopeUnit(a, q.UnitID)
	if err != nil {
		return nil, 0, err
	}
	q.UnitID = unit
	q.Page = q.Page.Normalize()
	rows, total, err := listChanges(s.read(ctx), q)
	if err != nil {
		return nil, 0, err
	}
	out := make([]Change, len(rows))
	for i, r := range rows {
		out[i] = Change{ID: r.ID, At: r.At.UTC(), ActorID: r.ActorID, Actor: r.ActorName, Subject: r.Subject, SubjectID: r.SubjectID,
			Action: r.Action, BuildingID: r.BuildingID, RoomID: r.RoomID, UnitID: r.UnitID, UserID: r.UserID,
			From: r.FromValue, To: r.ToValue, Reason: r.Reason}
	}
	return out, total, nil
}

// change writes one history line by the actor (nil or System: the system) at now.
func (s *Service) change(tx *gorm.DB, a *auth.Actor, now time.Time, r changeRow) error {
	r.At = now
	if a != nil {
		r.ActorName = a.Name
		if r.ActorName == "" {
			r.ActorName = a.Username
		}
		if a.UserID != 0 {
			id := a.UserID
			r.ActorID = &id
		}
	}
	if r.ActorName == "" {
		r.ActorName = "system"
	}
	return insert(tx, &r)
}

func ptr(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}
