package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"fleet"
	"fleet/auth"
	"fleet/dispatch"
)

// importEnv is a test database with the units the import files name.
func importEnv(t *testing.T) *testEnv {
	t.Helper()
	e := newTestEnv(t)
	e.ok("unit", "add", "-name", "县机关事务管理中心")
	e.ok("unit", "add", "-name", "公务用车管理股", "-parent", "县机关事务管理中心")
	e.ok("unit", "add", "-name", "县公安局")
	return e
}

// vehicles returns the stored vehicles by plate.
func vehicles(t *testing.T, e *testEnv) map[string]dispatch.Vehicle {
	t.Helper()
	_, f := e.services()
	vs, _, err := f.ListVehicles(context.Background(), auth.System, dispatch.VehicleFilter{Page: fleet.Page{Limit: 500}})
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]dispatch.Vehicle{}
	for _, v := range vs {
		m[v.Plate] = v
	}
	return m
}

// drivers returns the stored drivers by phone.
func drivers(t *testing.T, e *testEnv) map[string]dispatch.Driver {
	t.Helper()
	_, f := e.services()
	ds, _, err := f.ListDrivers(context.Background(), auth.System, dispatch.DriverFilter{Page: fleet.Page{Limit: 500}})
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]dispatch.Driver{}
	for _, d := range ds {
		m[d.Phone] = d
	}
	return m
}

func unitID(t *testing.T, e *testEnv, name string) int64 {
	t.Helper()
	a, _ := e.services()
	units, err := a.ListUnits(context.Background(), auth.System)
	if err != nil {
		t.Fatal(err)
	}
	u, err := unitSet(units).find(name)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// A clerk's CSV from Excel's "CSV UTF-8": BOM, Chinese headers, Chinese values.
const vehiclesCSV = "车牌号,车辆类型,座位数,能源类型,终端手机号,是否平台车辆,所属单位,状态\r\n" +
	"赣KJ5001,其他公务用车,5,汽油,13907950001,是,县机关事务管理中心,可用\r\n" +
	"赣K·D05001,其他公务用车,5座,纯电动,013907950002,是,,\r\n" +
	"赣K0301警,执法执勤用车,5,混合动力,13907950003,否,县公安局,维修\r\n" +
	",,,,,,,\r\n"

func TestImportVehiclesCSVWithBOM(t *testing.T) {
	e := importEnv(t)
	path := e.file("vehicles.csv", append([]byte{0xEF, 0xBB, 0xBF}, vehiclesCSV...))
	out, errOut, err := e.run("", "import", "vehicles", path)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	wantContains(t, "summary", out, "imported 3 vehicles")
	wantContains(t, "progress bar", errOut, "importing vehicles", "100%")

	vs := vehicles(t, e)
	if len(vs) != 3 {
		t.Fatalf("vehicles = %d, want 3", len(vs))
	}
	police := vs["赣K0301警"]
	if police.Class != dispatch.ClassLawEnforcement || police.Pooled || police.Energy != "hybrid" ||
		police.Status != dispatch.StatusRepair || police.UnitID == nil || *police.UnitID != unitID(t, e, "县公安局") {
		t.Errorf("police car = %+v, want kept law_enforcement hybrid under repair at 县公安局", police)
	}
	ev, ok := vs["赣KD05001"]
	if !ok || ev.Energy != "electric" || ev.Seats != 5 || !ev.Pooled || ev.TerminalPhone != "13907950002" || ev.Status != dispatch.StatusAvailable {
		t.Errorf("electric car = %+v (found %v), want pooled, 5 seats, terminal 13907950002", ev, ok)
	}

	// Importing the same file again: every plate is taken, nothing changes.
	out, _, err = e.run("", "import", "vehicles", path)
	if err == nil {
		t.Fatal("second import of the same file: no error")
	}
	wantContains(t, "second report", out, "already registered", "nothing imported")
}

func TestImportDriversGBKCSV(t *testing.T) {
	e := importEnv(t)
	text := "姓名,手机号,准驾车型,驾驶证有效期,所属单位,状态\n" +
		"刘建国,13879501001,C1,2027/5/1,公务用车管理股,在岗\n" +
		"王志强,138 7950 1002,b1,2028-11-30,公务用车管理股,请假\n" +
		"张伟,13879501003,C1,2029年1月15日,,\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	path := e.file("drivers.csv", []byte(gbk))
	out := e.ok("import", "drivers", path)
	wantContains(t, "summary", out, "imported 3 drivers")

	ds := drivers(t, e)
	want := map[string]struct{ name, license, expiry, status string }{
		"13879501001": {"刘建国", "C1", "2027-05-01", dispatch.DriverOnDuty},
		"13879501002": {"王志强", "B1", "2028-11-30", dispatch.DriverLeave},
		"13879501003": {"张伟", "C1", "2029-01-15", dispatch.DriverOnDuty},
	}
	for phone, w := range want {
		d, ok := ds[phone]
		if !ok {
			t.Errorf("no driver with phone %s; have %v", phone, ds)
			continue
		}
		if d.Name != w.name || d.LicenseClass != w.license || d.LicenseExpiry == nil ||
			d.LicenseExpiry.Format(time.DateOnly) != w.expiry || d.Status != w.status {
			t.Errorf("driver %s = %+v, want %+v", phone, d, w)
		}
	}
}

func TestImportXLSX(t *testing.T) {
	e := importEnv(t)

	// Drivers: a real date cell and a phone typed as a number.
	f := excelize.NewFile()
	sh := f.GetSheetName(0)
	rows := [][]any{
		{"姓名", "手机号", "准驾车型", "驾驶证有效期", "所属单位", "状态"},
		{"刘建国", 13879501001, "C1", time.Date(2027, 5, 1, 0, 0, 0, 0, time.UTC), "公务用车管理股", "在岗"},
		{"陈海波", "13879501005", "A1", "2030/12/31", "公务用车管理股", "off_duty"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sh, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	out := e.ok("import", "drivers", e.file("drivers.xlsx", buf.Bytes()))
	wantContains(t, "summary", out, "imported 2 drivers")
	ds := drivers(t, e)
	if d := ds["13879501001"]; d.LicenseExpiry == nil || d.LicenseExpiry.Format(time.DateOnly) != "2027-05-01" {
		t.Errorf("driver from the date cell = %+v, want expiry 2027-05-01", d)
	}
	if d := ds["13879501005"]; d.Status != dispatch.DriverOffDuty || d.LicenseClass != "A1" {
		t.Errorf("second driver = %+v", d)
	}

	// Vehicles with English headers, numbers as number cells, a second sheet that is not read.
	f = excelize.NewFile()
	sh = f.GetSheetName(0)
	rows = [][]any{
		{"plate", "class", "seats", "energy", "terminal_phone", "pooled", "unit", "status"},
		{"赣KJ7001", "general", 14, "diesel", 13907950038, "yes", "县机关事务管理中心", "available"},
		{"赣KF06001", "其他公务用车", 5, "plugin_hybrid", 13907950034, "", "", ""},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sh, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.NewSheet("说明"); err != nil {
		t.Fatal(err)
	}
	f.SetCellValue("说明", "A1", "这一页不导入")
	buf.Reset()
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	out = e.ok("import", "vehicles", e.file("vehicles.xlsx", buf.Bytes()))
	wantContains(t, "summary", out, "imported 2 vehicles")
	vs := vehicles(t, e)
	if v := vs["赣KJ7001"]; v.Seats != 14 || v.TerminalPhone != "13907950038" || v.Energy != "diesel" {
		t.Errorf("bus = %+v, want 14 seats, terminal 13907950038", v)
	}
}

// A file with bad rows: row 3 has a wrong plate, row 4 repeats row 2's plate, row 5 names an
// unknown unit, row 6 an unknown class. Rows 2 and 7 are good.
const badVehiclesCSV = "车牌号,车辆类型,座位数,能源类型,终端号,是否平台车辆,所属单位\n" +
	"赣KJ5001,其他公务用车,5,汽油,13907950001,是,县机关事务管理中心\n" +
	"赣K12,其他公务用车,5,汽油,13907950002,是,\n" +
	"赣KJ5001,其他公务用车,5,汽油,13907950003,是,\n" +
	"赣KJ5004,其他公务用车,5,汽油,13907950004,否,县水务局\n" +
	"赣KJ5005,豪华轿车,5,汽油,13907950005,是,\n" +
	"赣KJ5006,general,7,gasoline,13907950006,是,\n"

func TestImportBadRows(t *testing.T) {
	e := importEnv(t)
	path := e.file("bad.csv", []byte(badVehiclesCSV))

	out, _, err := e.run("", "import", "vehicles", path)
	if err == nil {
		t.Fatalf("import of a file with bad rows: no error; stdout:\n%s", out)
	}
	wantContains(t, "error", err.Error(), "4 of 6 rows", "nothing imported")
	report := map[string]string{} // row → the report's lines for it
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) > 1 {
			report[f[0]] += line + "\n"
		}
	}
	for row, want := range map[string][]string{
		"3": {"车牌号", "not a vehicle plate"},
		"4": {"车牌号", "duplicate of line 2"},
		"5": {"所属单位", "县水务局"},
		"6": {"车辆类型", "豪华轿车"},
	} {
		wantContains(t, "report of row "+row, report[row], want...)
	}
	for _, row := range []string{"2", "7"} {
		if report[row] != "" {
			t.Errorf("the report names good row %s: %s", row, report[row])
		}
	}
	wantContains(t, "summary", out, "--skip-bad")
	if n := e.count("vehicles"); n != 0 {
		t.Fatalf("vehicles after a rejected import = %d, want 0", n)
	}

	// A dry run with --skip-bad says what would happen and writes nothing.
	out = e.ok("import", "vehicles", path, "--skip-bad", "--dry-run")
	wantContains(t, "dry run", out, "dry run: 2 vehicles would be imported, 4 rows skipped")
	if n := e.count("vehicles"); n != 0 {
		t.Fatalf("vehicles after a dry run = %d, want 0", n)
	}

	// --skip-bad imports the good rows only, still reporting the bad ones.
	out = e.ok("import", "vehicles", "--skip-bad", path)
	wantContains(t, "skip-bad", out, "imported 2 vehicles", "skipped 4 of 6 rows", "县水务局")
	vs := vehicles(t, e)
	if len(vs) != 2 || vs["赣KJ5001"].TerminalPhone != "13907950001" || vs["赣KJ5006"].Seats != 7 {
		t.Fatalf("vehicles after --skip-bad = %v, want rows 2 and 7", vs)
	}
}

func TestImportDryRunOfAGoodFile(t *testing.T) {
	e := importEnv(t)
	path := e.file("vehicles.csv", []byte(vehiclesCSV))
	out := e.ok("import", "vehicles", "--dry-run", path)
	wantContains(t, "dry run", out, "dry run: 3 vehicles would be imported, 0 rows skipped; nothing was written")
	if n := e.count("vehicles"); n != 0 {
		t.Fatalf("vehicles after a dry run = %d, want 0", n)
	}
	if n := e.count("audit_log"); n != 3 { // the three unit_create lines of importEnv
		t.Errorf("audit lines after a dry run = %d, want 3 (nothing for the dry run)", n)
	}
}

func TestImportFileProblems(t *testing.T) {
	e := importEnv(t)
	tests := []struct {
		name, file, data string
		want             []string
	}{
		{"unknown header", "v.csv", "车牌号,车辆类型,座位数,能源类型,颜色,Owner\n赣KJ5001,general,5,gasoline,白,x\n", []string{`"颜色"`, `"Owner"`, "unknown column"}},
		{"missing column", "v.csv", "车牌号,车辆类型,座位数\n赣KJ5001,general,5\n", []string{"missing column", "energy"}},
		{"repeated column", "v.csv", "plate,车牌号,class,seats,energy\n", []string{"name the same field"}},
		{"no rows", "v.csv", "plate,class,seats,energy\n", []string{"no data rows"}},
		{"empty file", "v.csv", "", []string{"empty"}},
		{"data without header", "v.csv", "plate,class,seats,energy,\n赣KJ5001,general,5,gasoline,x\n", []string{"column 5 has no header"}},
		{"old excel", "v.xls", "x", []string{".xlsx"}},
		{"not a workbook", "v.xlsx", "plate,class\n", []string{"v.xlsx"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := e.run("", "import", "vehicles", e.file(tt.file, []byte(tt.data)))
			if err == nil {
				t.Fatal("no error")
			}
			wantContains(t, "error", err.Error(), tt.want...)
		})
	}
	if _, _, err := e.run("", "import", "vehicles", e.dir+"/missing.csv"); err == nil {
		t.Error("import of a missing file: no error")
	}
}

func TestImportSkipBadWithNoGoodRow(t *testing.T) {
	e := importEnv(t)
	path := e.file("bad.csv", []byte("姓名,手机号,准驾车型,驾驶证有效期\n刘建国,12345,C1,2027-05-01\n王志强,13879501002,Z9,明年\n"))
	out := e.ok("import", "drivers", "--skip-bad", path)
	wantContains(t, "report", out, "手机号", "准驾车型", "驾驶证有效期", "imported 0 drivers", "skipped 2 of 2 rows")
	if n := e.count("drivers"); n != 0 {
		t.Fatalf("drivers = %d, want 0", n)
	}
}
