package office

import (
	"fmt"
	"time"

	"fleet"
)

// Ownerships of a building (产权).
var ownerships = map[string]string{"": "", "owned": "自有", "leased": "租用", "borrowed": "借用", "other": "其他"}

// Building is an office building of the county's ledger.
type Building struct {
	ID           int64     `json:"id"`
	Name         string    `json:"name"`
	Address      string    `json:"address"`
	Floors       int       `json:"floors"`         // 0: not recorded
	TotalAreaM2  float64   `json:"total_area_m2"`  // 建筑面积; 0: not recorded
	UsableAreaM2 float64   `json:"usable_area_m2"` // 使用面积; 0: not recorded
	Ownership    string    `json:"ownership"`      // owned, leased, borrowed, other, ""
	Note         string    `json:"note"`
	Rooms        int       `json:"rooms"`        // rooms in the ledger
	RoomAreaM2   float64   `json:"room_area_m2"` // their usable area
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// BuildingInput creates or changes a building; only the name is required.
type BuildingInput struct {
	Name         string  `json:"name"`
	Address      string  `json:"address"`
	Floors       int     `json:"floors"`
	TotalAreaM2  float64 `json:"total_area_m2"`
	UsableAreaM2 float64 `json:"usable_area_m2"`
	Ownership    string  `json:"ownership"`
	Note         string  `json:"note"`
	Reason       string  `json:"reason"` // why, for the history
	// AreaM2 is read as the total area when total_area_m2 is not given ("the building's area").
	AreaM2 float64 `json:"area_m2"`
}

// maxAreaM2 bounds every area: no county building is larger.
const maxAreaM2 = 1_000_000

func (in *BuildingInput) validate() error {
	p := fleet.Problems{}
	in.Name = p.Text("name", in.Name, true, 100)
	in.Address = p.Text("address", in.Address, false, 255)
	in.Note = p.Text("note", in.Note, false, 2000)
	in.Reason = p.Text("reason", in.Reason, false, 500)
	if in.TotalAreaM2 == 0 {
		in.TotalAreaM2 = in.AreaM2
	}
	in.AreaM2 = 0
	if in.Floors < 0 || in.Floors > 200 {
		p.Add("floors", "must be from 1 to 200, or 0 when not recorded")
	}
	for _, f := range []struct {
		name string
		v    *float64
	}{{"total_area_m2", &in.TotalAreaM2}, {"usable_area_m2", &in.UsableAreaM2}} {
		if *f.v < 0 || *f.v > maxAreaM2 {
			p.Add(f.name, fmt.Sprintf("must be more than 0 and at most %d m², or 0 when not recorded", maxAreaM2))
		}
		*f.v = round2(*f.v)
	}
	if in.TotalAreaM2 > 0 && in.UsableAreaM2 > in.TotalAreaM2 {
		p.Add("usable_area_m2", "larger than the building's total area")
	}
	if _, ok := ownerships[in.Ownership]; !ok {
		p.Add("ownership", "must be owned, leased, borrowed or other")
	}
	return p.Err()
}

// capDm2 is the area the building's rooms may not exceed: its usable area, else its total area;
// 0 when neither is recorded.
func (b *buildingRow) capDm2() int64 {
	if b.UsableAreaDm2 > 0 {
		return b.UsableAreaDm2
	}
	return b.TotalAreaDm2
}

func (b *buildingRow) text() string {
	return fmt.Sprintf("%s（%s）%d层 建筑面积%.2f m² 使用面积%.2f m² %s", b.Name, b.Address, b.Floors,
		toM2(b.TotalAreaDm2), toM2(b.UsableAreaDm2), ownerships[b.Ownership])
}

func (b *buildingRow) building(rooms int, roomDm2 int64) Building {
	return Building{ID: b.ID, Name: b.Name, Address: b.Address, Floors: b.Floors, TotalAreaM2: toM2(b.TotalAreaDm2),
		UsableAreaM2: toM2(b.UsableAreaDm2), Ownership: b.Ownership, Note: b.Note, Rooms: rooms, RoomAreaM2: toM2(roomDm2),
		CreatedAt: b.CreatedAt.UTC(), UpdatedAt: b.UpdatedAt.UTC()}
}
