package demo

import (
	"context"
	"fmt"

	"fleet/auth"
)

// Names of the units the rest of the demo data refers to.
const (
	unitCenter  = auth.CenterUnit // 县机关事务管理中心, which fleetd makes for its first admin
	unitFleet   = "公务用车管理股"
	unitFinance = "县财政局"
	unitAudit   = "县审计局"
	unitCPCOff  = "县委办公室"
	unitPolice  = "县公安局"
	unitHealth  = "县卫生健康委员会"
	unitEmerg   = "县应急管理局"
	unitMarket  = "县市场监督管理局"
	unitEcology = "县生态环境局"
)

// unitSpec is one unit of the tree; parents come before their children.
type unitSpec struct {
	name, code, parent string
}

// units is the county's tree: the Party committee (县委) and the government (县政府) at the roots.
// The people's congress and CPPCC offices sit under 县委 here for simplicity.
var units = []unitSpec{
	{"县委", "AH01", ""},
	{unitCPCOff, "AH0101", "县委"},
	{"县纪委监委", "AH0102", "县委"},
	{"县委组织部", "AH0103", "县委"},
	{"县委宣传部", "AH0104", "县委"},
	{"县人大常委会办公室", "AH0105", "县委"},
	{"县政协办公室", "AH0106", "县委"},
	{"县政府", "AH02", ""},
	{"县政府办公室", "AH0201", "县政府"},
	{"县发展和改革委员会", "AH0202", "县政府"},
	{unitFinance, "AH0203", "县政府"},
	{unitAudit, "AH0204", "县政府"},
	{unitPolice, "AH0205", "县政府"},
	{"县自然资源局", "AH0206", "县政府"},
	{"县交通运输局", "AH0207", "县政府"},
	{unitHealth, "AH0208", "县政府"},
	{unitEmerg, "AH0209", "县政府"},
	{"县教育体育局", "AH0210", "县政府"},
	{"县农业农村局", "AH0211", "县政府"},
	{unitMarket, "AH0212", "县政府"},
	{unitEcology, "AH0213", "县政府"},
	{"县住房和城乡建设局", "AH0214", "县政府"},
	{"县水利局", "AH0215", "县政府"},
	{"县民政局", "AH0216", "县政府"},
	{"县人力资源和社会保障局", "AH0217", "县政府"},
	{unitCenter, "AH0218", "县政府"},
	{unitFleet, "AH021801", unitCenter},
}

// seedUnits creates the units missing by name and returns every demo unit's id by name.
func seedUnits(ctx context.Context, svc *auth.Service, n *Counts) (map[string]int64, error) {
	have, err := svc.ListUnits(ctx, auth.System)
	if err != nil {
		return nil, err
	}
	ids := make(map[string]int64, len(have))
	roots := map[string]bool{}
	for _, u := range have {
		ids[u.Name] = u.ID
		roots[u.Name] = u.ParentID == nil
	}
	for _, spec := range units {
		if id, ok := ids[spec.name]; ok {
			// fleetd makes the center a root unit for its first admin; put it in its place.
			if roots[spec.name] && spec.parent != "" && spec.code != "" {
				p := ids[spec.parent]
				if _, err := svc.UpdateUnit(ctx, auth.System, id, auth.UnitInput{Name: spec.name, Code: spec.code, ParentID: &p}); err != nil {
					return nil, fmt.Errorf("unit %s: %w", spec.name, err)
				}
				roots[spec.name] = false
			}
			continue
		}
		in := auth.UnitInput{Name: spec.name, Code: spec.code}
		if spec.parent != "" {
			p := ids[spec.parent]
			in.ParentID = &p
		}
		u, err := svc.CreateUnit(ctx, auth.System, in)
		if err != nil {
			return nil, fmt.Errorf("unit %s: %w", spec.name, err)
		}
		ids[u.Name] = u.ID
		n.Units++
	}
	return ids, nil
}
