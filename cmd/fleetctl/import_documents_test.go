package main

import "testing"

// The optional columns of fleet records: insurance and inspection dates, range, parking point.
func TestImportVehicleDocuments(t *testing.T) {
	e := importEnv(t)
	text := "车牌号,车辆类型,座位数,能源类型,保险到期,年检到期,续航里程,停放点\n" +
		"赣KD05001,其他公务用车,5,纯电动,2027/5/31,2027年3月1日,410公里,县机关事务管理中心车库\n" +
		"赣KJ5001,其他公务用车,5,汽油,,,,\n"
	out := e.ok("import", "vehicles", e.file("vehicles.csv", []byte(text)))
	wantContains(t, "summary", out, "imported 2 vehicles")
	vs := vehicles(t, e)
	ev := vs["赣KD05001"]
	if ev.InsuranceExpiry == nil || ev.InsuranceExpiry.Format("2006-01-02") != "2027-05-31" ||
		ev.InspectionDue == nil || ev.InspectionDue.Format("2006-01-02") != "2027-03-01" ||
		ev.RangeKm == nil || *ev.RangeKm != 410 || ev.ParkingName != "县机关事务管理中心车库" {
		t.Errorf("electric car = %+v", ev)
	}
	if gas := vs["赣KJ5001"]; gas.InsuranceExpiry != nil || gas.RangeKm != nil || gas.ParkingName != "" {
		t.Errorf("car without the columns filled = %+v", gas)
	}

	bad := "车牌号,车辆类型,座位数,能源类型,保险到期,续航里程\n" +
		"赣KJ5002,其他公务用车,5,汽油,明年,很远\n"
	out, _, err := e.run("", "import", "vehicles", e.file("bad.csv", []byte(bad)))
	if err == nil {
		t.Fatal("import of bad dates and range: no error")
	}
	wantContains(t, "report", out, "保险到期", "续航里程", "nothing imported")
}
