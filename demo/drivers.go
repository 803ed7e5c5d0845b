package demo

import (
	"context"
	"fmt"
	"time"

	"fleet"
	"fleet/auth"
	"fleet/dispatch"
)

// driverSpec is one demo driver; expiresIn is the licence's remaining validity in days from the
// seeding day.
type driverSpec struct {
	name      string
	license   string
	expiresIn int
	unit      string
	status    string
}

const (
	onDuty  = dispatch.DriverOnDuty
	offDuty = dispatch.DriverOffDuty
	leave   = dispatch.DriverLeave
)

// drivers are the county's 45 drivers, most in the fleet section. The first is the demo driver
// login's record. B1 and A1 licences cover the 14-seat buses; two licences fall due within 60 days.
var drivers = []driverSpec{
	{"刘建国", "C1", 1460, unitFleet, onDuty},
	{"王志强", "B1", 1210, unitFleet, onDuty},
	{"张伟", "C1", 25, unitFleet, onDuty},
	{"李军", "C1", 2100, unitFleet, onDuty},
	{"陈海波", "A1", 980, unitFleet, onDuty},
	{"黄国庆", "C1", 1725, unitFleet, onDuty},
	{"周建华", "C1", 640, unitFleet, onDuty},
	{"吴明辉", "B1", 48, unitFleet, onDuty},
	{"徐志勇", "C1", 1330, unitFleet, onDuty},
	{"孙立新", "C1", 2280, unitFleet, onDuty},
	{"胡永红", "C1", 415, unitFleet, onDuty},
	{"朱卫东", "C1", 1895, unitFleet, offDuty},
	{"高建平", "B1", 760, unitFleet, onDuty},
	{"林小军", "C1", 1040, unitFleet, onDuty},
	{"何文斌", "C1", 1580, unitFleet, onDuty},
	{"郭振华", "C1", 2455, unitFleet, onDuty},
	{"马俊杰", "C1", 330, unitFleet, onDuty},
	{"罗志刚", "A1", 1675, unitFleet, onDuty},
	{"梁国栋", "C1", 905, unitFleet, leave},
	{"宋建军", "C1", 1120, unitFleet, onDuty},
	{"郑晓明", "C1", 2010, unitFleet, onDuty},
	{"谢春生", "C1", 560, unitFleet, onDuty},
	{"韩立强", "C1", 1390, unitFleet, onDuty},
	{"唐海军", "B1", 1815, unitFleet, onDuty},
	{"冯志明", "C1", 245, unitFleet, onDuty},
	{"熊国强", "C1", 1505, unitFleet, onDuty},
	{"董建新", "C1", 2190, unitFleet, offDuty},
	{"邹建华", "C1", 690, unitFleet, onDuty},
	{"程国平", "C1", 1265, unitFleet, onDuty},
	{"曹勇", "C1", 1940, unitFleet, onDuty},
	{"袁红兵", "C1", 820, unitFleet, onDuty},
	{"钟立新", "C1", 1610, unitFleet, onDuty},
	{"许建林", "C1", 2325, unitFleet, onDuty},
	{"涂春生", "C1", 470, unitFleet, onDuty},
	{"万志勇", "C1", 1075, unitFleet, leave},
	{"刘秀英", "C1", 1760, unitFleet, onDuty},
	{"陈丽华", "C1", 1355, unitFleet, onDuty},
	{"彭海涛", "C1", 2050, unitCPCOff, onDuty},
	{"吕建忠", "C1", 935, unitCPCOff, onDuty},
	{"苏国华", "C1", 1450, unitPolice, onDuty},
	{"卢志远", "C1", 605, unitPolice, onDuty},
	{"蒋文华", "B1", 1690, unitHealth, onDuty},
	{"蔡金水", "C1", 1170, unitEmerg, onDuty},
	{"甘志成", "C1", 2240, unitEcology, offDuty},
	{"黎明辉", "C1", 780, unitMarket, onDuty},
}

// driverPhone is the mobile of the i-th demo driver (13879501001, ...); the first is the demo
// driver login's.
func driverPhone(i int) string { return fmt.Sprintf("1387950%04d", 1001+i) }

// seedDrivers imports the drivers missing by phone, in one transaction; the first is linked to
// the demo_driver login. A demo driver the service refuses is skipped and named in skipped.
func seedDrivers(ctx context.Context, svc *dispatch.Service, unitIDs, userIDs map[string]int64, now time.Time, n *Counts, skipped *[]string) error {
	have, err := existingDriverPhones(ctx, svc)
	if err != nil {
		return err
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	var rows []dispatch.Row[dispatch.DriverInput]
	for i, spec := range drivers {
		phone := driverPhone(i)
		if have[phone] {
			continue
		}
		unit := unitIDs[spec.unit]
		in := dispatch.DriverInput{
			Name: spec.name, Phone: phone, LicenseClass: spec.license,
			LicenseExpiry: today.AddDate(0, 0, spec.expiresIn).Format(time.DateOnly),
			UnitID:        &unit, Status: spec.status,
		}
		if phone == driverUserPhone {
			if id, ok := userIDs["demo_driver"]; ok {
				in.UserID = &id
			}
		}
		rows = append(rows, dispatch.Row[dispatch.DriverInput]{Line: i + 1, Input: in})
	}
	if len(rows) == 0 {
		return nil
	}
	res, err := svc.ImportDrivers(ctx, auth.System, rows, dispatch.ImportOptions{SkipBad: true})
	if err != nil {
		return err
	}
	n.Drivers += res.Imported
	*skipped = append(*skipped, skips(res, func(line int) string { return "driver " + drivers[line-1].name })...)
	return nil
}

// existingDriverPhones returns the phones of the drivers already stored.
func existingDriverPhones(ctx context.Context, svc *dispatch.Service) (map[string]bool, error) {
	have := map[string]bool{}
	page := fleet.Page{Limit: 500}
	for {
		ds, total, err := svc.ListDrivers(ctx, auth.System, dispatch.DriverFilter{Page: page})
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			have[d.Phone] = true
		}
		page.Offset += len(ds)
		if len(ds) == 0 || int64(page.Offset) >= total {
			return have, nil
		}
	}
}
