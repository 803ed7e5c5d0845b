package demo

import (
	"context"
	"fmt"

	"fleet"
	"fleet/auth"
	"fleet/dispatch"
)

// The people of the history: staff of the county's units who ask for cars, their unit heads who
// approve, and a login for every driver (the driver's phone page is how a task is accepted,
// started and ended). They are demo logins like the others, with the demo password.

// unitPeople is a unit's applicant and head (usernames; an empty head means the unit's head is
// one of the logins made before, named by headLogin).
type unitPeople struct {
	unit              string
	staff, staffName  string
	head, headName    string
	headLogin         string // an existing login that heads the unit
	purposes          []string
	emergencyPurposes []string
	cityShare         float64 // share of its trips to the prefecture city
}

// applicants are the units whose staff ask for cars in the history and the live demo, with what
// they go out for ("%s" is the town). 县生态环境局 and 县市场监督管理局 are left out: their own
// vehicles are the ones caught driving with no task.
var applicants = []unitPeople{
	{unit: unitCPCOff, staff: "demo_staff_cpc", staffName: "张晓燕", head: "demo_head_cpc", headName: "刘志远",
		purposes: []string{"陪同县领导到%s调研", "到%s督查重点项目推进", "送机要文件至%s"}, cityShare: 0.1},
	{unit: "县纪委监委", staff: "demo_staff_cdi", staffName: "胡晓军", head: "demo_head_cdi", headName: "邓国华",
		purposes: []string{"赴%s开展专项监督检查", "到%s走访了解群众反映问题"}},
	{unit: "县委组织部", staff: "demo_staff_org", staffName: "曾丽萍", head: "demo_head_org", headName: "罗建平",
		purposes: []string{"到%s考察干部", "赴%s督导基层党建工作"}},
	{unit: unitGov, staff: "demo_staff_gov", staffName: "杨帆", head: "demo_head_gov", headName: "叶文斌",
		purposes: []string{"陪同县长到%s检查防汛工作", "到%s协调征地拆迁", "陪同市考核组到%s"}, cityShare: 0.2},
	{unit: "县发展和改革委员会", staff: "demo_staff_drc", staffName: "邱明", head: "demo_head_drc", headName: "潘志华",
		purposes: []string{"到%s核查重点项目进度", "赴%s开展粮食库存检查"}, cityShare: 0.15},
	{unit: unitFinance, staff: "demo_staff", headLogin: "demo_leader",
		purposes: []string{"到%s开展财政资金绩效评价", "赴%s核查惠民惠农补贴发放"}, cityShare: 0.2},
	{unit: unitAudit, staff: "demo_staff_aud", staffName: "肖静", head: "demo_head_aud", headName: "谭伟",
		purposes: []string{"赴%s开展经济责任审计", "到%s审计调查项目资金"}},
	{unit: "县自然资源局", staff: "demo_staff_nr", staffName: "钟伟", head: "demo_head_nr", headName: "汪建新",
		purposes: []string{"到%s核查耕地保护图斑", "赴%s开展矿山巡查"}},
	{unit: "县交通运输局", staff: "demo_staff_tra", staffName: "付强", head: "demo_head_tra", headName: "廖国强",
		purposes: []string{"检查%s农村公路建设", "到%s开展道路安全隐患排查"}},
	{unit: unitHealth, staff: "demo_staff_hea", staffName: "黄丽", head: "demo_head_hea", headName: "陈卫东",
		purposes:          []string{"到%s卫生院督导疫苗接种", "赴%s开展家庭医生签约督查"},
		emergencyPurposes: []string{"%s突发公共卫生事件处置", "护送急需药品至%s"}},
	{unit: unitEmerg, staff: "demo_staff_em", staffName: "彭勇", head: "demo_head_em", headName: "江海",
		purposes:          []string{"到%s检查安全生产", "赴%s开展森林防火督查"},
		emergencyPurposes: []string{"%s山体滑坡现场处置", "%s防汛险情应急巡查"}},
	{unit: "县教育体育局", staff: "demo_staff_edu", staffName: "易小红", head: "demo_head_edu", headName: "孔祥明",
		purposes: []string{"到%s开展校园安全检查", "赴%s督导义务教育均衡发展"}},
	{unit: "县农业农村局", staff: "demo_staff_agr", staffName: "戴志强", head: "demo_head_agr", headName: "熊建军",
		purposes: []string{"到%s指导秋冬种生产", "赴%s验收高标准农田"}},
	{unit: "县住房和城乡建设局", staff: "demo_staff_hou", staffName: "严俊", head: "demo_head_hou", headName: "聂志刚",
		purposes: []string{"检查%s在建工地安全", "到%s开展农村危房改造验收"}},
	{unit: "县水利局", staff: "demo_staff_wat", staffName: "段志明", head: "demo_head_wat", headName: "乔勇",
		purposes:          []string{"到%s水库巡查", "赴%s检查河长制落实"},
		emergencyPurposes: []string{"%s堤防管涌险情处置"}},
	{unit: "县民政局", staff: "demo_staff_civ", staffName: "任秀兰", head: "demo_head_civ", headName: "夏国平",
		purposes: []string{"走访慰问%s敬老院老人", "到%s核查低保对象"}},
}

// people are the history's logins, found or created.
type people struct {
	staff   map[string]*auth.Actor // by unit name
	heads   map[string]*auth.Actor
	drivers map[int64]*auth.Actor // by driver id
}

// actorOf returns the login as an actor.
func actorOf(u *auth.User) *auth.Actor {
	return &auth.Actor{UserID: u.ID, Username: u.Username, Name: u.Name, Role: u.Role, UnitID: u.UnitID}
}

// seedPeople makes sure the applicants, their heads and the drivers' logins exist (matched by
// username; a driver record without a login gets one) and returns them.
func seedPeople(ctx context.Context, a *auth.Service, fleetSvc *dispatch.Service, password string, created *int) (*people, error) {
	units, err := unitIDs(ctx, a)
	if err != nil {
		return nil, err
	}
	p := &people{staff: map[string]*auth.Actor{}, heads: map[string]*auth.Actor{}, drivers: map[int64]*auth.Actor{}}
	for i, u := range applicants {
		// Office mobiles, so that the driver can call the applicant: 13979502001, …
		phone := fmt.Sprintf("139795%05d", 2001+i)
		s, err := ensureUser(ctx, a, userSpec{u.staff, u.staffName, phone, auth.RoleStaff, u.unit}, units, password, created)
		if err != nil {
			return nil, err
		}
		p.staff[u.unit] = s
		head := userSpec{u.head, u.headName, fmt.Sprintf("139795%05d", 3001+i), auth.RoleLeader, u.unit}
		if u.headLogin != "" {
			head.username = u.headLogin
		}
		h, err := ensureUser(ctx, a, head, units, password, created)
		if err != nil {
			return nil, err
		}
		p.heads[u.unit] = h
	}
	if err := driverLogins(ctx, a, fleetSvc, units, password, created, p); err != nil {
		return nil, err
	}
	return p, nil
}

// unitIDs returns the units by name.
func unitIDs(ctx context.Context, a *auth.Service) (map[string]int64, error) {
	have, err := a.ListUnits(ctx, auth.System)
	if err != nil {
		return nil, err
	}
	ids := make(map[string]int64, len(have))
	for _, u := range have {
		ids[u.Name] = u.ID
	}
	return ids, nil
}

// ensureUser returns the login of the username, creating it (in the spec's unit) when missing.
func ensureUser(ctx context.Context, a *auth.Service, spec userSpec, units map[string]int64, password string, created *int) (*auth.Actor, error) {
	id, err := a.FindUserID(ctx, spec.username)
	if err == nil {
		u, err := a.GetUser(ctx, auth.System, id)
		if err != nil {
			return nil, err
		}
		return actorOf(u), nil
	}
	if fleet.ErrorCode(err) != fleet.ENotFound {
		return nil, err
	}
	unit, ok := units[spec.unit]
	if !ok {
		return nil, fmt.Errorf("user %s: no unit %s", spec.username, spec.unit)
	}
	u, err := a.CreateUser(ctx, auth.System, auth.UserInput{Username: spec.username, Password: password, Name: spec.name,
		Phone: spec.phone, Role: spec.role, UnitID: unit})
	if err != nil {
		return nil, fmt.Errorf("user %s: %w", spec.username, err)
	}
	*created++
	return actorOf(u), nil
}

// driverLogin is the username of the i-th demo driver (the first is demo_driver).
func driverLogin(i int) string {
	if i == 0 {
		return "demo_driver"
	}
	return fmt.Sprintf("demo_driver%02d", i+1)
}

// driverLogins gives every demo driver a login (demo_driver02, …) linked to the driver's record,
// and returns them by driver id in p.drivers.
func driverLogins(ctx context.Context, a *auth.Service, fleetSvc *dispatch.Service, units map[string]int64, password string, created *int, p *people) error {
	stored, err := driversByPhone(ctx, fleetSvc)
	if err != nil {
		return err
	}
	for i, spec := range drivers {
		d, ok := stored[driverPhone(i)]
		if !ok {
			continue
		}
		u, err := ensureUser(ctx, a, userSpec{driverLogin(i), spec.name, driverPhone(i), auth.RoleDriver, spec.unit}, units, password, created)
		if err != nil {
			return err
		}
		if d.UserID == nil {
			if err := linkDriver(ctx, fleetSvc, d, u.UserID); err != nil {
				return fmt.Errorf("driver %s: %w", d.Name, err)
			}
		} else if *d.UserID != u.UserID {
			continue // linked to someone else by the admin: not ours to drive
		}
		p.drivers[d.ID] = u
	}
	return nil
}

// linkDriver links a driver's record to a login, keeping the rest of it.
func linkDriver(ctx context.Context, fleetSvc *dispatch.Service, d dispatch.Driver, userID int64) error {
	in := dispatch.DriverInput{Name: d.Name, Phone: d.Phone, LicenseClass: d.LicenseClass, UnitID: d.UnitID, UserID: &userID, Status: d.Status}
	if d.LicenseExpiry != nil {
		in.LicenseExpiry = ymd(*d.LicenseExpiry)
	}
	_, err := fleetSvc.UpdateDriver(ctx, auth.System, d.ID, in)
	return err
}
