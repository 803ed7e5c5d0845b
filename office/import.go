package office

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// RowError is one problem of an import: which sheet and line, which column (by key: building,
// number, area_m2, use, unit, name, username, rank, …), why.
type RowError struct {
	Sheet  string `json:"sheet"`
	Line   int    `json:"line"`
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// ImportOptions tune an import.
type ImportOptions struct {
	SkipBad bool // import the good rows of a file with bad ones
}

// ImportResult says what an import did.
type ImportResult struct {
	Imported    int        `json:"imported"` // ledger rows stored
	Skipped     int        `json:"skipped"`  // ledger and building rows left out (SkipBad)
	Buildings   int        `json:"buildings"`
	Rooms       int        `json:"rooms"`
	Assignments int        `json:"assignments"`
	Errors      []RowError `json:"errors"`
}

// ErrImportRejected is returned (with a result listing the errors) when a file has bad rows and
// SkipBad is not set: nothing was imported.
var ErrImportRejected = &fleet.Error{Code: fleet.EInvalid, Message: "the file has bad rows; nothing was imported"}

// errRollback undoes an import's transaction on purpose.
var errRollback = errors.New("office: import rolled back")

// ImportLedger reads an existing ledger (the layout of LedgerXLSX, or a unit's own with the same
// headers) and stores it: buildings (from the buildings sheet, or by name from the rows), rooms
// and assignments, each row under the rules of the API and with its history. Every row is
// checked; with a bad row nothing is stored unless SkipBad, when the good rows are.
// Existing buildings and rooms are kept (a room's floor, area and use must match).
func (s *Service) ImportLedger(ctx context.Context, a *auth.Actor, r io.Reader, opt ImportOptions) (*ImportResult, error) {
	if err := a.Require(auth.PermOfficeWrite); err != nil {
		return nil, err
	}
	file, err := readLedger(r)
	if err != nil {
		return nil, err
	}
	res := &ImportResult{Errors: file.errors}
	now := s.now()
	err = s.tx(ctx, func(tx *gorm.DB) error {
		ranks, err := s.rankCodes(tx)
		if err != nil {
			return err
		}
		for _, b := range file.buildings {
			if file.bad[SheetBuildings][b.line] {
				continue
			}
			part := &ImportResult{}
			if err := inSavepoint(tx, func() error { return s.importBuilding(tx, a, now, b, part) }); err != nil {
				file.rowFailed(SheetBuildings, b.line, err)
				continue
			}
			res.add(part)
		}
		sheet := file.sheet
		for _, l := range file.lines {
			if file.bad[sheet][l.line] {
				continue
			}
			part := &ImportResult{}
			if err := inSavepoint(tx, func() error { return s.importLine(tx, a, now, l, ranks, part) }); err != nil {
				file.rowFailed(sheet, l.line, err)
				continue
			}
			res.add(part)
			res.Imported++
		}
		res.Errors = file.errors
		if len(res.Errors) > 0 && !opt.SkipBad {
			return errRollback
		}
		return nil
	})
	sort.SliceStable(res.Errors, func(i, j int) bool {
		if a, b := res.Errors[i].Sheet == file.sheet, res.Errors[j].Sheet == file.sheet; a != b {
			return a // the ledger's rows first, then the buildings'
		}
		return res.Errors[i].Line < res.Errors[j].Line
	})
	for _, lines := range file.bad {
		res.Skipped += len(lines)
	}
	if errors.Is(err, errRollback) {
		res.Imported, res.Buildings, res.Rooms, res.Assignments, res.Skipped = 0, 0, 0, 0, 0
		return res, ErrImportRejected
	}
	if err != nil {
		return res, err
	}
	s.record(ctx, a, "office_ledger_import", "office_ledger", fmt.Sprintf("imported %d rows, skipped %d", res.Imported, res.Skipped))
	return res, nil
}

// add counts what one row stored (only once the row has passed).
func (r *ImportResult) add(part *ImportResult) {
	r.Buildings += part.Buildings
	r.Rooms += part.Rooms
	r.Assignments += part.Assignments
}

// rowFailed records the problems of a row that the rules refused.
func (f *ledgerFile) rowFailed(sheet string, line int, err error) {
	var fe *fleet.Error
	if !errors.As(err, &fe) {
		f.fail(sheet, line, "", "could not be stored")
		return
	}
	if len(fe.Fields) == 0 {
		f.fail(sheet, line, "", fe.Message)
		return
	}
	keys := make([]string, 0, len(fe.Fields))
	for k := range fe.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		f.fail(sheet, line, importField(k), fe.Fields[k])
	}
}

// importField names the column behind a field of the API's rules.
func importField(k string) string {
	switch k {
	case "room_id":
		return colNumber
	case "user_id":
		return colUsername
	case "unit_id":
		return colUnit
	}
	return k
}

func (s *Service) importBuilding(tx *gorm.DB, a *auth.Actor, now time.Time, b fileBuilding, res *ImportResult) error {
	in := b.in
	if err := in.validate(); err != nil {
		return err
	}
	old, err := buildingByName(tx, in.Name)
	if err != nil || old != nil {
		return err // kept as it is
	}
	row := &buildingRow{Name: in.Name, Address: in.Address, Floors: in.Floors, TotalAreaDm2: toDm2(in.TotalAreaM2),
		UsableAreaDm2: toDm2(in.UsableAreaM2), Ownership: in.Ownership, Note: in.Note, CreatedAt: now, UpdatedAt: now}
	if err := insertBuilding(tx, row); err != nil {
		return err
	}
	res.Buildings++
	return s.change(tx, a, now, changeRow{Subject: "building", SubjectID: row.ID, Action: "import", BuildingID: ptr(row.ID),
		ToValue: row.text(), Reason: in.Reason})
}

const importReason = "导入台账"

func (s *Service) importLine(tx *gorm.DB, a *auth.Actor, now time.Time, l fileLine, ranks map[string]string, res *ImportResult) error {
	b, err := buildingByName(tx, l.building)
	if err != nil {
		return err
	}
	if b == nil {
		in := BuildingInput{Name: l.building, Address: l.address}
		if err := in.validate(); err != nil {
			return err
		}
		b = &buildingRow{Name: in.Name, Address: in.Address, CreatedAt: now, UpdatedAt: now}
		if err := insertBuilding(tx, b); err != nil {
			return err
		}
		res.Buildings++
		if err := s.change(tx, a, now, changeRow{Subject: "building", SubjectID: b.ID, Action: "import", BuildingID: ptr(b.ID),
			ToValue: b.text(), Reason: importReason}); err != nil {
			return err
		}
	}
	room, err := roomByNumber(tx, b.ID, l.number)
	if err != nil {
		return err
	}
	if room == nil {
		in := RoomInput{BuildingID: b.ID, Floor: l.floor, Number: l.number, AreaM2: l.areaM2, Use: l.use}
		if err := in.validate(); err != nil {
			return err
		}
		room = &roomRow{BuildingID: b.ID, Floor: in.Floor, Number: in.Number, AreaDm2: toDm2(in.AreaM2), Use: in.Use, CreatedAt: now, UpdatedAt: now}
		if err := s.createRoomTx(tx, a, room, importReason, "import"); err != nil {
			return err
		}
		res.Rooms++
	} else {
		p := fleet.Problems{}
		if room.Floor != l.floor {
			p.Add(colFloor, fmt.Sprintf("room %s is on floor %d in the ledger", room.Number, room.Floor))
		}
		if room.AreaDm2 != toDm2(l.areaM2) {
			p.Add(colArea, fmt.Sprintf("room %s has %.2f m² in the ledger", room.Number, toM2(room.AreaDm2)))
		}
		if room.Use != l.use {
			p.Add(colUse, fmt.Sprintf("room %s is %s in the ledger", room.Number, useNames[room.Use]))
		}
		if err := p.Err(); err != nil {
			return err
		}
	}
	if l.unit == "" {
		return nil // a vacant room
	}
	unitID, ok, err := unitByName(tx, l.unit)
	if err != nil {
		return err
	}
	if !ok {
		return fleet.Invalid(map[string]string{colUnit: "no such unit: " + l.unit})
	}
	in := AssignmentInput{RoomID: room.ID, UnitID: unitID, Post: l.post, Concurrent: l.concurrent, Reason: importReason}
	if l.name != "" || l.username != "" {
		person, err := importPerson(tx, l, unitID)
		if err != nil {
			return err
		}
		if l.rank != "" {
			code, known := ranks[l.rank]
			switch {
			case !known:
				return fleet.Invalid(map[string]string{colRank: "the standards table knows no rank " + l.rank})
			case person.rank() == "":
				return fleet.Invalid(map[string]string{colRank: fmt.Sprintf("%s has no rank; set it under users first", person.Name)})
			case person.rank() != code:
				return fleet.Invalid(map[string]string{colRank: fmt.Sprintf("%s's rank is %s; change it under users first", person.Name, person.rank())})
			}
		}
		in.UserID = person.ID
		if !l.concurrent {
			in.UnitID = 0 // the person's own unit; a different one is refused below
			if person.UnitID != unitID {
				return fleet.Invalid(map[string]string{colUnit: fmt.Sprintf("%s is not of %s", person.Name, l.unit)})
			}
		}
	}
	if err := in.validate(); err != nil {
		return err
	}
	if _, err := s.assignTx(tx, a, now, in, "import"); err != nil {
		return err
	}
	res.Assignments++
	return nil
}

// importPerson finds a row's person: by account, else by name within the unit (which must name
// one person).
func importPerson(tx *gorm.DB, l fileLine, unitID int64) (*personRow, error) {
	if l.username != "" {
		p, err := personByUsername(tx, l.username)
		if err != nil {
			return nil, err
		}
		if p == nil {
			return nil, fleet.Invalid(map[string]string{colUsername: "no such user: " + l.username})
		}
		if l.name != "" && p.Name != l.name {
			return nil, fleet.Invalid(map[string]string{colName: fmt.Sprintf("user %s is %s", p.Username, p.Name)})
		}
		return p, nil
	}
	list, err := peopleNamed(tx, unitID, l.name)
	if err != nil {
		return nil, err
	}
	switch len(list) {
	case 0:
		return nil, fleet.Invalid(map[string]string{colName: fmt.Sprintf("no user named %s in %s; create the user first", l.name, l.unit)})
	case 1:
		return &list[0], nil
	}
	return nil, fleet.Invalid(map[string]string{colName: fmt.Sprintf("%d users named %s in %s; give the account", len(list), l.name, l.unit)})
}

// rankCodes maps every rank's code and name (at the service's level) to its code.
func (s *Service) rankCodes(tx *gorm.DB) (map[string]string, error) {
	rows, err := standardRows(tx, s.opt.Level)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, r := range rows {
		if r.Kind == KindPerson {
			out[r.Code], out[strings.TrimSpace(r.Name)] = r.Code, r.Code
		}
	}
	return out, nil
}
