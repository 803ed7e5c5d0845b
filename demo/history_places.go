package demo

import (
	"math"

	"fleet/dispatch"
)

// The demo county's places: where its units sit in the county seat (城关镇), its towns and the
// sites people go to there, and the prefecture city beyond the county line. Everything is made
// up; coordinates are WGS-84.

// spot is a named point.
type spot struct {
	name     string
	lat, lng float64
}

// hub is the county seat's central crossroads, where the roads to the towns begin.
var hub = spot{"县城十字街", 27.8005, 114.4010}

// offices are where the units' staff are picked up, by unit; a unit not listed sits in the
// government compound.
var offices = map[string]spot{
	unitCPCOff:  {"县委大院", 27.8046, 114.3978},
	"县委组织部":     {"县委大院", 27.8046, 114.3978},
	"县委宣传部":     {"县委大院", 27.8046, 114.3978},
	"县纪委监委":     {"县纪委监委机关", 27.8061, 114.3952},
	"县人大常委会办公室": {"县人大常委会", 27.8033, 114.3941},
	"县政协办公室":    {"县政协", 27.8029, 114.3936},
	unitGov:     {"县政府大院", 27.7983, 114.4065},
	unitFinance: {"县财政局", 27.7968, 114.4102},
	unitAudit:   {"县审计局", 27.7975, 114.4040},
	unitHealth:  {"县卫生健康委员会", 27.8072, 114.4095},
	unitEmerg:   {"县应急管理局", 27.7935, 114.4020},
	"县自然资源局":    {"县自然资源局", 27.8021, 114.4150},
	"县交通运输局":    {"县交通运输局", 27.7912, 114.4118},
	"县农业农村局":    {"县农业农村局", 27.8098, 114.4035},
	"县教育体育局":    {"县教育体育局", 27.8117, 114.3925},
	"县住房和城乡建设局": {"县住建局", 27.7950, 114.4160},
	"县水利局":      {"县水利局", 27.7890, 114.3990},
	"县发展和改革委员会": {"县政府大院", 27.7983, 114.4065},
	"县民政局":      {"县民政局", 27.7921, 114.4071},
	unitCenter:  {"县机关事务管理中心", 27.8012, 114.4031},
}

// officeOf returns where a unit's staff are picked up.
func officeOf(unit string) spot {
	if o, ok := offices[unit]; ok {
		return o
	}
	return offices[unitGov]
}

// town is a place away from the county seat, reached by its own road from the hub.
type town struct {
	name     string
	lat, lng float64
	sites    []string // what people visit there
	outside  bool     // beyond the county line (the prefecture city)
	highway  bool     // the road there is an expressway
}

// towns are the county's towns and townships (乡镇), the county seat's outskirts, and the
// prefecture city.
var towns = []town{
	{name: "县城东工业园", lat: 27.8120, lng: 114.4480, sites: []string{"园区管委会", "安和新材料公司", "园区标准厂房工地"}},
	{name: "东塘镇", lat: 27.8420, lng: 114.5120, sites: []string{"镇政府", "东塘村委会", "东塘中心小学", "镇卫生院"}},
	{name: "河口镇", lat: 27.7880, lng: 114.5480, sites: []string{"镇政府", "河口大桥", "河口渡口", "河口村防汛点"}},
	{name: "龙潭镇", lat: 27.7320, lng: 114.4880, sites: []string{"镇政府", "龙潭水库", "龙潭茶叶基地"}},
	{name: "南湖镇", lat: 27.7030, lng: 114.4180, sites: []string{"镇政府", "南湖村委会", "南湖湿地公园", "镇敬老院"}},
	{name: "青石乡", lat: 27.7120, lng: 114.3300, sites: []string{"乡政府", "青石村委会", "青石矿区复绿点"}},
	{name: "西岭乡", lat: 27.7700, lng: 114.2620, sites: []string{"乡政府", "西岭林场", "西岭易地搬迁安置点"}},
	{name: "石桥镇", lat: 27.8580, lng: 114.3020, sites: []string{"镇政府", "石桥中学", "石桥村高标准农田"}},
	{name: "北山乡", lat: 27.9020, lng: 114.3820, sites: []string{"乡政府", "北山森林防火检查站", "北山村委会"}},
	{name: "白鹭湖", lat: 27.8820, lng: 114.4620, sites: []string{"白鹭湖水库大坝", "白鹭湖水质监测站"}},
	{name: "市行政中心", lat: 27.8170, lng: 114.9170, sites: []string{"市政府", "市财政局", "市公共资源交易中心"}, outside: true, highway: true},
}

// site is a place to go: a site of a town, a little off the town's centre.
func (t town) site(i int) spot {
	i %= len(t.sites)
	// Sites sit up to ~1.5 km round the centre, each in its own direction.
	a := float64(i)*2.1 + float64(len(t.name))
	r := 0.004 + 0.003*float64(i%3)
	return spot{t.name + t.sites[i], t.lat + r*math.Sin(a), t.lng + r*math.Cos(a)}
}

// place is a spot as a request's origin or destination.
func (s spot) place() dispatch.Place {
	lat, lng := s.lat, s.lng
	return dispatch.Place{Address: s.name, Lat: &lat, Lng: &lng}
}

// roadTo is the road from the hub to the town: a polyline that winds round the straight line
// (the same road every time, so tracks overlay on the map as real ones do).
func roadTo(t town) []spot {
	dist := distKm(hub, spot{lat: t.lat, lng: t.lng})
	n := int(dist/1.5) + 2
	if n > 24 {
		n = 24
	}
	seed := 0.0
	for _, r := range t.name {
		seed += float64(r % 97)
	}
	amp := 0.06 // of the length: a country road's bends
	if t.highway {
		amp = 0.02
	}
	dLat, dLng := t.lat-hub.lat, t.lng-hub.lng
	// A unit normal to the straight line: x east (longitude degrees, which are shorter, scaled
	// by k), y north.
	k := math.Cos(hub.lat * math.Pi / 180)
	nx, ny := -dLat, dLng*k
	norm := math.Hypot(nx, ny)
	nx, ny = nx/norm, ny/norm
	length := math.Sqrt(dLat*dLat + dLng*dLng*k*k) // degrees of latitude
	out := make([]spot, 0, n+1)
	for i := 0; i <= n; i++ {
		f := float64(i) / float64(n)
		// Bends that die out at both ends, so the road starts at the hub and ends in the town.
		off := amp * length * math.Sin(math.Pi*f) * math.Sin(3*math.Pi*f+seed)
		out = append(out, spot{lat: hub.lat + dLat*f + ny*off, lng: hub.lng + dLng*f + nx*off/k})
	}
	return out
}

// streets is the way through the county seat's grid between two spots: along one street, then
// the crossing one.
func streets(from, to spot) []spot {
	return []spot{from, {lat: from.lat, lng: to.lng}, to}
}

// distKm is the great-circle distance between two spots.
func distKm(a, b spot) float64 {
	const r = 6371.0088
	φ1, φ2 := a.lat*math.Pi/180, b.lat*math.Pi/180
	dφ, dλ := φ2-φ1, (b.lng-a.lng)*math.Pi/180
	h := math.Sin(dφ/2)*math.Sin(dφ/2) + math.Cos(φ1)*math.Cos(φ2)*math.Sin(dλ/2)*math.Sin(dλ/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(h)))
}
