package office

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"fleet"
	"fleet/auth"
)

// Reconciliation compares a unit's own ledger (a workbook in the ledger's layout) with the
// center's, as the 2017 rules ask (单位台账与机关事务管理部门台账核对一致). It changes nothing.
type Reconciliation struct {
	UnitID      int64        `json:"unit_id"`
	UnitName    string       `json:"unit_name"`
	Matched     int          `json:"matched"` // rooms the same in both
	Differences []Difference `json:"differences"`
	Errors      []RowError   `json:"errors"` // rows of the unit's file that could not be read (left out)
}

// Difference is one room where the two ledgers disagree.
type Difference struct {
	Kind   string `json:"kind"`   // only_in_unit, only_in_center, area, use, floor, occupants
	Room   string `json:"room"`   // "主楼 301"
	Line   int    `json:"line"`   // in the unit's file; 0 for only_in_center
	Unit   string `json:"unit"`   // what the unit's ledger says
	Center string `json:"center"` // what the center's says
}

// Reconcile compares the unit's ledger in r with the center's ledger of the unit; leaders
// reconcile their own unit.
func (s *Service) Reconcile(ctx context.Context, a *auth.Actor, unitID int64, r io.Reader) (*Reconciliation, error) {
	if err := a.Require(auth.PermOfficeRead); err != nil {
		return nil, err
	}
	if unitID == 0 && !a.SeesAllUnits() {
		unitID = a.UnitID
	}
	if unitID == 0 {
		return nil, fleet.Invalid(map[string]string{"unit_id": "required: the unit whose ledger this is"})
	}
	if err := checkUnit(a, unitID); err != nil {
		return nil, err
	}
	db := s.read(ctx)
	name, err := unitName(db, unitID)
	if err != nil {
		return nil, err
	}
	file, err := readLedger(r)
	if err != nil {
		return nil, err
	}
	f, err := s.facts(db)
	if err != nil {
		return nil, err
	}
	brows, err := allBuildings(db)
	if err != nil {
		return nil, err
	}
	buildings := map[int64]*buildingRow{}
	for i := range brows {
		buildings[brows[i].ID] = &brows[i]
	}
	// The center's side: each room the unit uses, with its people.
	type side struct {
		room      *roomRow
		occupants []string
		line      int
	}
	center := map[string]*side{}
	for _, lr := range ledgerLines(f, compute(f), buildings, unitID) {
		k := label(buildings[lr.room.BuildingID].Name, lr.room.Number)
		sd := &side{room: lr.room}
		for _, l := range lr.lines {
			if l.person != nil {
				sd.occupants = append(sd.occupants, l.person.Name)
			}
		}
		sort.Strings(sd.occupants)
		center[k] = sd
	}
	out := &Reconciliation{UnitID: unitID, UnitName: name, Differences: []Difference{}, Errors: file.errors}
	if out.Errors == nil {
		out.Errors = []RowError{}
	}
	unitSide := map[string]*fileLine{}
	unitPeople := map[string][]string{}
	for i := range file.lines {
		l := &file.lines[i]
		if (l.unit != "" && l.unit != name) || file.bad[file.sheet][l.line] {
			continue // another unit's row, or one that could not be read
		}
		k := label(l.building, l.number)
		if _, ok := unitSide[k]; !ok {
			unitSide[k] = l
		}
		if l.name != "" {
			unitPeople[k] = append(unitPeople[k], l.name)
		}
	}
	keys := make([]string, 0, len(unitSide))
	for k := range unitSide {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		l := unitSide[k]
		c := center[k]
		if c == nil {
			out.Differences = append(out.Differences, Difference{Kind: "only_in_unit", Room: k, Line: l.line,
				Unit: fmt.Sprintf("%.2f m² %s", l.areaM2, useNames[l.use]), Center: "无此房间或不属本单位"})
			continue
		}
		same := true
		add := func(kind, u, cv string) {
			same = false
			out.Differences = append(out.Differences, Difference{Kind: kind, Room: k, Line: l.line, Unit: u, Center: cv})
		}
		if toDm2(l.areaM2) != c.room.AreaDm2 {
			add("area", fmt.Sprintf("%.2f m²", l.areaM2), fmt.Sprintf("%.2f m²", toM2(c.room.AreaDm2)))
		}
		if l.use != c.room.Use {
			add("use", useNames[l.use], useNames[c.room.Use])
		}
		if l.floor != c.room.Floor {
			add("floor", fmt.Sprint(l.floor), fmt.Sprint(c.room.Floor))
		}
		people := unitPeople[k]
		sort.Strings(people)
		if strings.Join(people, "、") != strings.Join(c.occupants, "、") {
			add("occupants", strings.Join(people, "、"), strings.Join(c.occupants, "、"))
		}
		if same {
			out.Matched++
		}
		delete(center, k)
	}
	rest := make([]string, 0, len(center))
	for k := range center {
		rest = append(rest, k)
	}
	sort.Strings(rest)
	for _, k := range rest {
		c := center[k]
		out.Differences = append(out.Differences, Difference{Kind: "only_in_center", Room: k, Unit: "无",
			Center: fmt.Sprintf("%.2f m² %s %s", toM2(c.room.AreaDm2), useNames[c.room.Use], strings.Join(c.occupants, "、"))})
	}
	return out, nil
}
