package office

import (
	"fmt"
	"time"

	"fleet"
)

// Room is a room of the ledger with who holds it now.
type Room struct {
	ID         int64   `json:"id"`
	BuildingID int64   `json:"building_id"`
	Building   string  `json:"building"`
	Floor      int     `json:"floor"`
	Number     string  `json:"number"`
	AreaM2     float64 `json:"area_m2"` // usable area
	Use        string  `json:"use"`     // office, service, equipment, ancillary
	Note       string  `json:"note"`
	// Vacant: no unit and no person holds the room; it is in the center's pool.
	Vacant bool `json:"vacant"`
	// UnitID is the unit that holds the room (by a unit assignment, or as the unit of everyone
	// in it); null when vacant or when persons of several units share it (合署办公).
	UnitID   *int64 `json:"unit_id"`
	UnitName string `json:"unit_name"`
	// UnitAssignmentID is the active unit assignment, for ending it; null when none.
	UnitAssignmentID *int64     `json:"unit_assignment_id"`
	Occupants        []Occupant `json:"occupants"`
	ShareM2          float64    `json:"share_m2"` // the area per occupant; 0 when nobody is in it
	CreatedAt        time.Time  `json:"created_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
}

// Occupant is a person with an active assignment to an office room.
type Occupant struct {
	AssignmentID int64     `json:"assignment_id"`
	UserID       int64     `json:"user_id"`
	Name         string    `json:"name"`
	Username     string    `json:"username"`
	Rank         string    `json:"rank"`
	Post         string    `json:"post"`
	Concurrent   bool      `json:"concurrent"` // a second office for a concurrent post
	UnitID       int64     `json:"unit_id"`
	UnitName     string    `json:"unit_name"`
	Since        time.Time `json:"since"`
}

// RoomInput creates or changes a room.
type RoomInput struct {
	BuildingID int64   `json:"building_id"`
	Floor      int     `json:"floor"` // 1, 2, …; -1 for the first basement floor
	Number     string  `json:"number"`
	AreaM2     float64 `json:"area_m2"` // usable area, > 0
	Use        string  `json:"use"`
	Note       string  `json:"note"`
	Reason     string  `json:"reason"` // why, for the history
}

func (in *RoomInput) validate() error {
	p := fleet.Problems{}
	if in.BuildingID <= 0 {
		p.Add("building_id", "required")
	}
	if in.Floor == 0 || in.Floor < -10 || in.Floor > 200 {
		p.Add("floor", "required: 1 to 200, or -1 to -10 below ground")
	}
	in.Number = p.Text("number", in.Number, true, 32)
	in.Note = p.Text("note", in.Note, false, 2000)
	in.Reason = p.Text("reason", in.Reason, false, 500)
	in.AreaM2 = round2(in.AreaM2)
	if in.AreaM2 <= 0 {
		p.Add("area_m2", "must be more than 0 m²")
	} else if in.AreaM2 > maxAreaM2 {
		p.Add("area_m2", fmt.Sprintf("must be at most %d m²", maxAreaM2))
	}
	switch in.Use {
	case UseOffice, UseService, UseEquipment, UseAncillary:
	case "":
		p.Add("use", "required: office, service, equipment or ancillary")
	case "vacant":
		p.Add("use", "vacant is a state, not a use: a room nobody holds is vacant; give its use (office, service, equipment or ancillary)")
	default:
		p.Add("use", "must be office, service, equipment or ancillary")
	}
	return p.Err()
}

// checkBuilding checks a room against its building: the floor exists and the rooms' area, with
// this one's (others: the area of the building's other rooms), fits the building's area.
func checkBuilding(b *buildingRow, floor int, areaDm2, othersDm2 int64) error {
	p := fleet.Problems{}
	if b.Floors > 0 && floor > b.Floors {
		p.Add("floor", fmt.Sprintf("the building has %d floors", b.Floors))
	}
	if c := b.capDm2(); c > 0 {
		switch {
		case areaDm2 > c:
			p.Add("area_m2", fmt.Sprintf("larger than the building (%.2f m² usable)", toM2(c)))
		case othersDm2+areaDm2 > c:
			p.Add("area_m2", fmt.Sprintf("the building's rooms would cover %.2f m², more than its %.2f m²", toM2(othersDm2+areaDm2), toM2(c)))
		}
	}
	return p.Err()
}

func (r *roomRow) text() string {
	return fmt.Sprintf("%d层 %s %.2f m² %s", r.Floor, r.Number, toM2(r.AreaDm2), useNames[r.Use])
}

// label names a room for people: "主楼 301".
func label(building, number string) string { return building + " " + number }
