package office

import (
	"gorm.io/gorm"
)

// How reallocations are shown: with their unit, applicant and rooms.

func reallocationViews(db *gorm.DB, rows []reallocationRow) ([]Reallocation, error) {
	units, err := unitNames(db)
	if err != nil {
		return nil, err
	}
	names, err := buildingNames(db)
	if err != nil {
		return nil, err
	}
	out := make([]Reallocation, len(rows))
	for i, r := range rows {
		items, err := reallocationItems(db, r.ID)
		if err != nil {
			return nil, err
		}
		ids := []int64{r.ApplicantID}
		var roomIDs []int64
		for _, it := range items {
			roomIDs = append(roomIDs, it.RoomID)
			if it.FromRoomID != nil {
				roomIDs = append(roomIDs, *it.FromRoomID)
			}
			if it.UserID != nil {
				ids = append(ids, *it.UserID)
			}
		}
		people, err := peopleByID(db, ids)
		if err != nil {
			return nil, err
		}
		rooms, err := roomsByID(db, roomIDs)
		if err != nil {
			return nil, err
		}
		v := Reallocation{ID: r.ID, Kind: r.Kind, UnitID: r.UnitID, UnitName: units[r.UnitID], ApplicantID: r.ApplicantID,
			Reason: r.Reason, AreaM2: toM2(r.AreaDm2), Status: r.Status, ApprovalID: r.ApprovalID, RoomIDs: []int64{},
			Items: []ReallocationItem{}, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
		if p := people[r.ApplicantID]; p != nil {
			v.Applicant = p.Name
		}
		if r.AppliedAt != nil {
			t := r.AppliedAt.UTC()
			v.AppliedAt = &t
		}
		roomLabel := func(id int64) string {
			if rm := rooms[id]; rm != nil {
				return label(names[rm.BuildingID], rm.Number)
			}
			return ""
		}
		for _, it := range items {
			item := ReallocationItem{RoomID: it.RoomID, Room: roomLabel(it.RoomID), FromRoomID: it.FromRoomID, UserID: it.UserID, Post: it.Post}
			if rm := rooms[it.RoomID]; rm != nil {
				item.AreaM2 = toM2(rm.AreaDm2)
			}
			if it.FromRoomID != nil {
				item.FromRoom = roomLabel(*it.FromRoomID)
			}
			if it.UserID != nil && people[*it.UserID] != nil {
				item.Name = people[*it.UserID].Name
			}
			v.RoomIDs = append(v.RoomIDs, it.RoomID)
			v.Items = append(v.Items, item)
		}
		out[i] = v
	}
	return out, nil
}
