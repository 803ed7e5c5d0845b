package office

import (
	"sort"
)

// The ledger as rows, in the layout used for reporting upward (办公用房使用情况台账): one row per
// room and occupant. A room with people has one row per person (and first a row of the unit when
// a unit also holds the room as a whole); an office room a unit holds with nobody in it one row
// (闲置); a vacant room one row without a unit (空置). The room's own columns are the same on all
// its rows (merged in the workbook).

// Sheet names of the ledger workbook.
const (
	SheetLedger    = "办公用房使用情况台账"
	SheetBuildings = "建筑物"
	SheetUnits     = "单位汇总"
	SheetOver      = "超标情况"
)

// Keys of the ledger's columns; RowError.Field names a column by its key.
const (
	colSeq        = "seq"
	colBuilding   = "building"
	colAddress    = "address"
	colFloor      = "floor"
	colNumber     = "number"
	colArea       = "area_m2"
	colUse        = "use"
	colUnit       = "unit"
	colName       = "name"
	colUsername   = "username"
	colRank       = "rank"
	colPost       = "post"
	colConcurrent = "concurrent"
	colShare      = "share_m2"
	colStandard   = "standard_m2"
	colExcess     = "excess_m2"
	colNote       = "note"
)

// ledgerColumns are the ledger sheet's columns in order: key, header, group (the first header
// row; "" spans both header rows), width.
var ledgerColumns = []struct {
	key, title, group string
	width             float64
}{
	{colSeq, "序号", "", 6},
	{colBuilding, "建筑物名称", "房屋信息", 16}, {colAddress, "地址", "房屋信息", 22}, {colFloor, "楼层", "房屋信息", 6},
	{colNumber, "房间号", "房屋信息", 8}, {colArea, "使用面积（m²）", "房屋信息", 11}, {colUse, "用途", "房屋信息", 11},
	{colUnit, "使用单位", "使用情况", 16}, {colName, "使用人", "使用情况", 10}, {colUsername, "账号", "使用情况", 12},
	{colRank, "职级", "使用情况", 10}, {colPost, "职务", "使用情况", 14}, {colConcurrent, "兼职", "使用情况", 6},
	{colShare, "人均使用面积（m²）", "核定情况", 11}, {colStandard, "核定标准（m²）", "核定情况", 10}, {colExcess, "超标面积（m²）", "核定情况", 10},
	{colNote, "备注", "", 14},
}

// Notes of rows without a person.
const (
	noteVacant   = "空置"
	noteIdle     = "闲置"
	noteWholeRom = "单位使用"
)

// ledgerLine is one row of the ledger.
type ledgerLine struct {
	room       *roomRow
	building   *buildingRow
	unit       string
	person     *personRow
	rankName   string
	post       string
	concurrent bool
	shareM2    float64 // 0 without a person
	stdM2      *float64
	excessM2   *float64
	note       string
}

// ledgerRooms is the ledger's rooms in order, each with its lines.
type ledgerRoom struct {
	room  *roomRow
	lines []ledgerLine
}

// ledgerLines lays out the ledger of the rooms of buildings (unit != 0: the rooms the unit holds
// or has people in, and only the unit's lines).
func ledgerLines(f *facts, fig *figures, buildings map[int64]*buildingRow, unit int64) []ledgerRoom {
	byRoom := map[int64][]assignmentRow{}
	for _, as := range f.active {
		byRoom[as.RoomID] = append(byRoom[as.RoomID], as)
	}
	rooms := make([]*roomRow, 0, len(f.rooms))
	for _, r := range f.rooms {
		rooms = append(rooms, r)
	}
	sort.Slice(rooms, func(i, j int) bool {
		bi, bj := buildings[rooms[i].BuildingID], buildings[rooms[j].BuildingID]
		if bi.Name != bj.Name {
			return bi.Name < bj.Name
		}
		if rooms[i].Floor != rooms[j].Floor {
			return rooms[i].Floor < rooms[j].Floor
		}
		return rooms[i].Number < rooms[j].Number
	})
	var out []ledgerRoom
	for _, r := range rooms {
		list := byRoom[r.ID]
		b := buildings[r.BuildingID]
		if unit != 0 && !heldByUnit(list, unit) {
			continue
		}
		lr := ledgerRoom{room: r}
		if len(list) == 0 {
			lr.lines = append(lr.lines, ledgerLine{room: r, building: b, note: noteVacant})
			out = append(out, lr)
			continue
		}
		persons := countPersons(list)
		for _, as := range list {
			if as.UserID != nil || (unit != 0 && as.UnitID != unit) {
				continue
			}
			note := noteWholeRom
			if persons == 0 && r.Use == UseOffice {
				note = noteIdle
			} else if persons == 0 {
				note = ""
			}
			lr.lines = append(lr.lines, ledgerLine{room: r, building: b, unit: f.units[as.UnitID], note: note})
		}
		for _, as := range list {
			if as.UserID == nil || (unit != 0 && as.UnitID != unit) {
				continue
			}
			p := f.people[*as.UserID]
			line := ledgerLine{room: r, building: b, unit: f.units[as.UnitID], person: p, post: as.Post, concurrent: as.Concurrent,
				shareM2: round2(toM2(r.AreaDm2) / float64(persons))}
			if pf := fig.persons[*as.UserID]; pf != nil {
				line.rankName = pf.RankName
				if line.rankName == "" {
					line.rankName = pf.Rank
				}
				if pf.Ranked && !as.Concurrent {
					std, ex := pf.StandardM2, pf.ExcessM2
					line.stdM2, line.excessM2 = &std, &ex
				}
			}
			lr.lines = append(lr.lines, line)
		}
		if len(lr.lines) > 0 {
			out = append(out, lr)
		}
	}
	return out
}
