package office

import (
	"fmt"
	"time"

	"fleet"
)

// Kinds of reallocation (统筹调剂).
const (
	ReallocRequest = "request" // a unit asks for space: vacant rooms from the pool go to it
	ReallocMove    = "move"    // the center moves a unit: what is in each from-room moves to a vacant room
)

// Statuses of a reallocation: its approval instance's, mirrored. An approved reallocation has
// been applied (AppliedAt), in the transaction of the approval.
const (
	StatusPending   = "pending"
	StatusApproved  = "approved"
	StatusRejected  = "rejected"
	StatusReturned  = "returned"
	StatusWithdrawn = "withdrawn"
)

// Reallocation is a request to move rooms between the pool and units, decided by the approval
// engine (definition office_reallocation).
type Reallocation struct {
	ID          int64              `json:"id"`
	Kind        string             `json:"kind"`
	UnitID      int64              `json:"unit_id"`
	UnitName    string             `json:"unit_name"`
	ApplicantID int64              `json:"applicant_id"`
	Applicant   string             `json:"applicant"`
	Reason      string             `json:"reason"`
	AreaM2      float64            `json:"area_m2"` // of the rooms given
	Status      string             `json:"status"`
	ApprovalID  *int64             `json:"approval_id"`
	AppliedAt   *time.Time         `json:"applied_at"`
	RoomIDs     []int64            `json:"room_ids"`
	Items       []ReallocationItem `json:"items"`
	CreatedAt   time.Time          `json:"created_at"`
	UpdatedAt   time.Time          `json:"updated_at"`
}

// ReallocationItem is one room of a reallocation.
type ReallocationItem struct {
	RoomID     int64   `json:"room_id"`
	Room       string  `json:"room"`
	AreaM2     float64 `json:"area_m2"`
	FromRoomID *int64  `json:"from_room_id"`
	FromRoom   string  `json:"from_room"`
	UserID     *int64  `json:"user_id"`
	Name       string  `json:"name"`
	Post       string  `json:"post"`
}

// ReallocationInput files a reallocation. Leaders file requests for their own unit; the center
// files both kinds for any unit.
type ReallocationInput struct {
	Kind   string                  `json:"kind"`    // request (default), move
	UnitID int64                   `json:"unit_id"` // default: the applicant's unit
	Reason string                  `json:"reason"`
	Items  []ReallocationItemInput `json:"items"`
	// Shorthands for items: one room (room_id, with from_room_id for a move) or several
	// (room_ids).
	RoomID     int64   `json:"room_id"`
	RoomIDs    []int64 `json:"room_ids"`
	FromRoomID int64   `json:"from_room_id"`
}

// ReallocationItemInput names a vacant room and, for a move, the room whose occupants move into
// it; a request may seat a person of the unit (who has no office) in the room.
type ReallocationItemInput struct {
	RoomID     int64  `json:"room_id"`
	FromRoomID int64  `json:"from_room_id"`
	UserID     int64  `json:"user_id"`
	Post       string `json:"post"`
}

const maxReallocItems = 50

func (in *ReallocationInput) validate() error {
	p := fleet.Problems{}
	if in.Kind == "" {
		in.Kind = ReallocRequest
	}
	if in.Kind != ReallocRequest && in.Kind != ReallocMove {
		p.Add("kind", "must be request or move")
	}
	in.Reason = p.Text("reason", in.Reason, false, 1000)
	if in.RoomID != 0 {
		in.Items = append(in.Items, ReallocationItemInput{RoomID: in.RoomID, FromRoomID: in.FromRoomID})
	} else if in.FromRoomID != 0 {
		p.Add("room_id", "required with from_room_id")
	}
	for _, id := range in.RoomIDs {
		in.Items = append(in.Items, ReallocationItemInput{RoomID: id})
	}
	in.RoomID, in.RoomIDs, in.FromRoomID = 0, nil, 0
	if len(in.Items) == 0 {
		p.Add("items", "at least one room")
	}
	if len(in.Items) > maxReallocItems {
		p.Add("items", fmt.Sprintf("at most %d rooms", maxReallocItems))
	}
	seen := map[int64]int{}
	for i := range in.Items {
		it := &in.Items[i]
		at := fmt.Sprintf("items[%d].", i)
		if it.RoomID <= 0 {
			p.Add(at+"room_id", "required: a vacant room")
		} else if j, dup := seen[it.RoomID]; dup {
			p.Add(at+"room_id", fmt.Sprintf("listed twice (items[%d])", j))
		} else {
			seen[it.RoomID] = i
		}
		it.Post = p.Text(at+"post", it.Post, false, 100)
		switch in.Kind {
		case ReallocMove:
			if it.FromRoomID <= 0 {
				p.Add(at+"from_room_id", "required for a move: the room whose occupants move")
			} else if it.FromRoomID == it.RoomID {
				p.Add(at+"from_room_id", "must be another room than room_id")
			}
			if it.UserID != 0 {
				p.Add(at+"user_id", "only for a request: a move takes everyone in the from-room along")
			}
		case ReallocRequest:
			if it.FromRoomID != 0 {
				p.Add(at+"from_room_id", "only for a move")
			}
			if it.UserID < 0 {
				p.Add(at+"user_id", "must be a user id")
			}
		}
	}
	return p.Err()
}
