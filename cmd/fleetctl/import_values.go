package main

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"fleet/dispatch"
)

// Values as clerks type them, mapped to the codes the services take. Each code also stands for
// itself (see choice).
var (
	classNames = map[string]string{
		"机要通信用车": dispatch.ClassConfidentialComm, "机要通信": dispatch.ClassConfidentialComm,
		"应急保障用车": dispatch.ClassEmergency, "应急保障": dispatch.ClassEmergency,
		"执法执勤用车": dispatch.ClassLawEnforcement, "执法执勤": dispatch.ClassLawEnforcement,
		"特种专业技术用车": dispatch.ClassSpecialTechnical, "特种专业技术": dispatch.ClassSpecialTechnical,
		"其他公务用车": dispatch.ClassGeneral, "其他公务": dispatch.ClassGeneral, "一般公务用车": dispatch.ClassGeneral,
	}
	energyNames = map[string]string{
		"汽油": "gasoline", "燃油": "gasoline",
		"柴油":  "diesel",
		"纯电动": "electric", "纯电": "electric", "电动": "electric",
		"混合动力": "hybrid", "油电混合": "hybrid", "油电混动": "hybrid", "混动": "hybrid",
		"插电式混合动力": "plugin_hybrid", "插电混合动力": "plugin_hybrid", "插电式混动": "plugin_hybrid", "插电混动": "plugin_hybrid",
	}
	vehicleStatusNames = map[string]string{
		"可用": dispatch.StatusAvailable, "空闲": dispatch.StatusAvailable, "在库": dispatch.StatusAvailable, "正常": dispatch.StatusAvailable,
		"任务中": dispatch.StatusOnTask, "执行任务": dispatch.StatusOnTask, "出车": dispatch.StatusOnTask, "出车中": dispatch.StatusOnTask,
		"保养": dispatch.StatusMaintenance, "保养中": dispatch.StatusMaintenance,
		"维修": dispatch.StatusRepair, "维修中": dispatch.StatusRepair,
		"消毒": dispatch.StatusDisinfection, "消毒中": dispatch.StatusDisinfection,
		"报废": dispatch.StatusRetired, "停用": dispatch.StatusRetired, "退役": dispatch.StatusRetired,
	}
	driverStatusNames = map[string]string{
		"在岗": dispatch.DriverOnDuty, "正常": dispatch.DriverOnDuty,
		"休息": dispatch.DriverOffDuty, "离岗": dispatch.DriverOffDuty, "不在岗": dispatch.DriverOffDuty,
		"请假": dispatch.DriverLeave, "休假": dispatch.DriverLeave,
	}
	yesNo = map[string]bool{
		"是": true, "否": false, "y": true, "n": false, "yes": true, "no": false,
		"true": true, "false": false, "1": true, "0": false,
		"平台车辆": true, "平台": true, "保留车辆": false, "保留": false,
	}
)

// choice maps a cell to one of codes, by the code itself (any case) or by its name in names.
// ok is false for a value that is neither; an empty cell gives "" and true.
func choice(v string, codes []string, names map[string]string) (string, bool) {
	if v == "" {
		return "", true
	}
	lv := strings.ToLower(v)
	for _, c := range codes {
		if lv == c {
			return c, true
		}
	}
	c, ok := names[v]
	return c, ok
}

// parseYesNo reads 是/否 and its spellings; an empty cell gives nil (the service's default).
func parseYesNo(v string) (*bool, bool) {
	if v == "" {
		return nil, true
	}
	b, ok := yesNo[strings.ToLower(v)]
	if !ok {
		return nil, false
	}
	return &b, true
}

// parseCount reads a whole number, allowing Excel's 5.0 and a unit as in 5座 or 5人.
func parseCount(v string) (int, error) {
	v = strings.TrimSpace(strings.TrimRight(v, "座人位 "))
	if n, err := strconv.Atoi(v); err == nil {
		return n, nil
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1e6 {
		return int(f), nil
	}
	return 0, errors.New("not a whole number")
}

// parseKm reads a whole number of kilometres, allowing a unit as in 410km or 410公里.
func parseKm(v string) (int, error) {
	v = strings.TrimSpace(v)
	for _, unit := range []string{"公里", "千米", "km", "KM", "Km"} {
		v = strings.TrimSuffix(v, unit)
	}
	return parseCount(v)
}

// digits returns a phone number as its digits: Excel may hand over 1.3907950001E+10 or 13907950001.0
// for a number cell, and people type 139-0795-0001 or 139 0795 0001.
func digits(v string) string {
	v = strings.NewReplacer(" ", "", "-", "", "\u3000", "").Replace(v)
	if strings.ContainsAny(v, ".eE") {
		if f, err := strconv.ParseFloat(v, 64); err == nil && f == math.Trunc(f) && f > 0 && f < 1e20 {
			return strconv.FormatFloat(f, 'f', 0, 64)
		}
	}
	return v
}

var (
	dateRE   = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$`)
	serialRE = regexp.MustCompile(`^\d{5}(\.\d+)?$`)
)

// parseDate reads a date as 2027-05-01, 2027/5/1, 2027.5.1 or 2027年5月1日, or an Excel date cell
// (its serial day number), and returns it as 2027-05-01. A time after the date is ignored.
func parseDate(v string, date1904 bool) (string, error) {
	if i := strings.IndexAny(v, " T"); i > 0 {
		v = v[:i]
	}
	if m := dateRE.FindStringSubmatch(v); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		if t.Year() != y || int(t.Month()) != mo || t.Day() != d {
			return "", fmt.Errorf("no such day %q", v)
		}
		return t.Format(time.DateOnly), nil
	}
	if serialRE.MatchString(v) {
		f, _ := strconv.ParseFloat(v, 64)
		t, err := excelize.ExcelDateToTime(f, date1904)
		if err == nil && t.Year() >= 1990 && t.Year() <= 2100 {
			return t.Format(time.DateOnly), nil
		}
	}
	return "", fmt.Errorf("not a date: %q (write it as 2027-05-01)", v)
}
