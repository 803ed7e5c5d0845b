package energy

// Kinds of energy and resource a meter counts.
const (
	KindElectricity = "electricity" // 电力 bought from the grid
	KindWater       = "water"       // 水
	KindNaturalGas  = "natural_gas" // 天然气
	KindHeat        = "heat"        // 热力
	KindGasoline    = "gasoline"    // 汽油
	KindDiesel      = "diesel"      // 柴油
	KindPV          = "pv"          // 光伏发电量 generated on the roof
)

// Kinds lists the kinds, in the order the reports show them.
var Kinds = []string{KindElectricity, KindWater, KindNaturalGas, KindHeat, KindGasoline, KindDiesel, KindPV}

// kindNames are the kinds' names in the reports.
var kindNames = map[string]string{
	KindElectricity: "电力", KindWater: "水", KindNaturalGas: "天然气", KindHeat: "热力",
	KindGasoline: "汽油", KindDiesel: "柴油", KindPV: "光伏发电",
}

// BaseUOM is the unit every figure of a kind is given in: amounts, coefficients (kgce per base
// unit) and CO2 factors (kg CO2 per base unit).
var BaseUOM = map[string]string{
	KindElectricity: "kWh", KindWater: "m3", KindNaturalGas: "m3", KindHeat: "GJ",
	KindGasoline: "kg", KindDiesel: "kg", KindPV: "kWh",
}

// uomFactors are the units a meter's register may count in and how many base units one is.
// Litres of fuel convert through the density setting instead (factor 0 here).
var uomFactors = map[string]map[string]float64{
	KindElectricity: {"kWh": 1, "MWh": 1000},
	KindWater:       {"m3": 1, "t": 1},
	KindNaturalGas:  {"m3": 1},
	KindHeat:        {"GJ": 1, "MJ": 0.001},
	KindGasoline:    {"kg": 1, "t": 1000, "L": 0},
	KindDiesel:      {"kg": 1, "t": 1000, "L": 0},
	KindPV:          {"kWh": 1, "MWh": 1000},
}

// inTotal reports whether a kind counts in the comprehensive energy use (综合能耗). Water is
// a resource counted on its own; the roof's PV generation is renewable energy produced on site,
// reported with its share and left out of the total, as renewable energy is left out of the
// energy-use controls (the grid electricity meters already measure what the buildings buy).
func inTotal(kind string) bool {
	switch kind {
	case KindElectricity, KindNaturalGas, KindHeat, KindGasoline, KindDiesel:
		return true
	}
	return false
}

// toBase is how many base units one unit of uom is for kind, given the fuel densities (kg/L);
// false when kind does not count in uom.
func toBase(kind, uom string, d Densities) (float64, bool) {
	f, ok := uomFactors[kind][uom]
	if !ok {
		return 0, false
	}
	if uom == "L" {
		if kind == KindDiesel {
			return d.Diesel, true
		}
		return d.Gasoline, true
	}
	return f, true
}

func validKind(k string) bool {
	_, ok := BaseUOM[k]
	return ok
}
