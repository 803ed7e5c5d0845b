package procurement

import "fleet/dispatch"

// Sources of the seeded standards. The clauses are quoted rather than numbered: the article
// numbers were not checked against the official text, so an admin who has it may add them.
const (
	src2017 = "《党政机关公务用车管理办法》（中共中央办公厅、国务院办公厅印发，2017年12月5日起施行）"
	src2024 = "《关于做好中央和国家机关新能源汽车推广使用工作的通知》（国管局、中直管理局，2024年10月）"

	srcConfidential = src2017 + "配备标准：“机要通信用车配备价格12万元以内、排气量1.6升（含）以下的轿车或者其他小型客车”"
	srcGeneral      = src2017 + "配备标准：“应急保障用车和其他按照规定配备的公务用车配备价格18万元以内、排气量1.8升（含）以下的轿车或者其他小型客车。" +
		"确因情况特殊，可以适当配备价格25万元以内、排气量3.0升（含）以下的其他小型客车、中型客车或者价格45万元以内的大型客车”（超出18万元/1.8升的须说明特殊情况）"
	srcBus         = src2017 + "配备标准：“……或者价格45万元以内的大型客车”（大型客车只定价格，不定排气量）"
	srcNESedan     = src2017 + "：“公务用车配备新能源轿车的，价格不得超过18万元”；" + src2024 + "：“配备新能源轿车的，价格不超过18万元”"
	srcNESameType  = src2024 + "：“配备轿车以外的其他车型的，价格不超过《党政机关公务用车管理办法》规定的同类型燃油汽车的配备标准”"
	srcOffroad     = src2017 + "：“越野车不得作为领导干部固定用车”"
	srcDomestic    = src2017 + "：“党政机关应当配备使用国产汽车，带头使用新能源汽车，按照规定逐步扩大新能源汽车配备比例”"
	srcShare       = src2024 + "：新能源汽车占当年配备更新公务用车的比例应当达到《“十四五”公共机构节约能源资源工作规划》明确的“新增及更新车辆中新能源汽车比例原则上不低于30%”"
	srcRenewalNote = "平台默认值，待本省公务用车主管部门确认：国家层面未规定统一的公务用车更新年限和行驶里程，由各省规定。请按本省文件修改本值，并在此写明文件名称和条款。"
)

// DefaultStandards are the standards seeded into an empty table: the national rules of the 2017
// measures and the 2024 new-energy notice, and placeholder renewal minimums (no national figure).
// Law-enforcement and special technical vehicles have their own standards set by their systems:
// none is seeded, and an admin adds them.
func DefaultStandards() []Standard {
	std := func(rule, class, body string, value float64, enabled bool, source string) Standard {
		return Standard{Rule: rule, Name: ruleNames[rule], Class: class, Body: body, Value: value, Enabled: enabled, Source: source}
	}
	const (
		conf    = dispatch.ClassConfidentialComm
		emerg   = dispatch.ClassEmergency
		general = dispatch.ClassGeneral
	)
	return []Standard{
		std(RulePriceMax, conf, "", 120_000, true, srcConfidential),
		std(RuleDisplacementMax, conf, "", 1.6, true, srcConfidential),
		std(RulePriceMax, emerg, "", 180_000, true, srcGeneral),
		std(RuleDisplacementMax, emerg, "", 1.8, true, srcGeneral),
		std(RulePriceMax, general, "", 180_000, true, srcGeneral),
		std(RuleDisplacementMax, general, "", 1.8, true, srcGeneral),
		std(RulePriceMax, emerg, BodyBus, 450_000, true, srcBus),
		std(RuleDisplacementMax, emerg, BodyBus, 0.1, false, srcBus),
		std(RulePriceMax, general, BodyBus, 450_000, true, srcBus),
		std(RuleDisplacementMax, general, BodyBus, 0.1, false, srcBus),
		std(RuleNEPriceMax, "", BodySedan, 180_000, true, srcNESedan),
		std(RuleNESameType, "", "", 0, true, srcNESameType),
		std(RuleOffroadLeader, "", "", 0, true, srcOffroad),
		std(RuleDomestic, "", "", 0, true, srcDomestic),
		std(RuleNEShareMin, "", "", 0.30, true, srcShare),
		std(RuleRenewalYears, "", "", 8, true, srcRenewalNote),
		std(RuleRenewalKm, "", "", 250_000, true, srcRenewalNote),
	}
}
