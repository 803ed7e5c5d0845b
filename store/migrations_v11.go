package store

import (
	"time"

	"gorm.io/gorm"
)

// Version 11: energy (公共机构节能): meters per building and unit, their cumulative readings
// (flagged ones held for review), the conversion coefficients to standard coal and the CO2
// factors (seeded with their sources), the module's settings, each unit's headcount and area
// for the indicators, saving-type agencies (节约型机关) with their evaluation checklist and
// scores, and energy-saving projects.
//
// Instants (readings) are UTC to the second; calendar days (enrolment, evaluation, a project's
// start) as "YYYY-MM-DD" text, which sorts as it reads on both dialects; areas in whole dm²
// and money in fen, so that sums are exact.

// migrateV11 creates the tables and seeds the coefficients, the CO2 factors and the checklist
// into empty tables; every step is skipped when already done, so a rerun after a crash on MySQL
// (which commits DDL at once) goes on where it stopped.
func migrateV11(tx *gorm.DB) error {
	err := createTables(tx, &v11EnergyMeter{}, &v11EnergyReading{}, &v11EnergyCoefficient{}, &v11EnergyCO2Factor{},
		&v11EnergySetting{}, &v11EnergyUnit{}, &v11EnergyAgency{}, &v11EnergyCriterion{}, &v11EnergyScore{},
		&v11EnergyProject{})
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	if err := seedIfEmpty(tx, &v11EnergyCoefficient{}, func() any {
		rows := v11Coefficients()
		for i := range rows {
			rows[i].CreatedAt, rows[i].UpdatedAt = now, now
		}
		return &rows
	}); err != nil {
		return err
	}
	if err := seedIfEmpty(tx, &v11EnergyCO2Factor{}, func() any {
		rows := v11CO2Factors()
		for i := range rows {
			rows[i].CreatedAt, rows[i].UpdatedAt = now, now
		}
		return &rows
	}); err != nil {
		return err
	}
	return seedIfEmpty(tx, &v11EnergyCriterion{}, func() any {
		rows := v11Criteria()
		for i := range rows {
			rows[i].Position, rows[i].CreatedAt, rows[i].UpdatedAt = i+1, now, now
		}
		return &rows
	})
}

// seedIfEmpty inserts the rows rows() makes when model's table has none.
func seedIfEmpty(tx *gorm.DB, model any, rows func() any) error {
	var n int64
	if err := tx.Model(model).Count(&n).Error; err != nil || n > 0 {
		return err
	}
	return tx.Create(rows()).Error
}

// Sources of the seeded coefficients, as of 2025. kgce per the kind's base unit.
const (
	v11SrcGB2589 = "GB/T 2589-2020《综合能耗计算通则》附录A"
	v11SrcGHG    = "按国家发展改革委《公共建筑运营单位（企业）温室气体排放核算方法和报告指南（试行）》缺省值计算："
)

func v11Coefficients() []v11EnergyCoefficient {
	return []v11EnergyCoefficient{
		{Kind: "electricity", Value: 0.1229, Source: v11SrcGB2589 + "：电力（当量值）3600 kJ/(kW·h)，折标准煤 0.1229 kgce/(kW·h)"},
		{Kind: "natural_gas", Value: 1.2143, Source: v11SrcGB2589 + "：天然气（气田天然气）平均低位发热量 35544 kJ/m³，折标准煤 1.2143 kgce/m³"},
		{Kind: "gasoline", Value: 1.4714, Source: v11SrcGB2589 + "：汽油 平均低位发热量 43070 kJ/kg，折标准煤 1.4714 kgce/kg"},
		{Kind: "diesel", Value: 1.4571, Source: v11SrcGB2589 + "：柴油 平均低位发热量 42652 kJ/kg，折标准煤 1.4571 kgce/kg"},
		{Kind: "heat", Value: 34.12, Source: v11SrcGB2589 + "：热力（当量值）0.03412 kgce/MJ，即 34.12 kgce/GJ"},
	}
}

func v11CO2Factors() []v11EnergyCO2Factor {
	return []v11EnergyCO2Factor{
		{Kind: "electricity", Value: 0.5366, Source: "生态环境部、国家统计局《关于发布2022年电力二氧化碳排放因子的公告》：全国电力平均二氧化碳排放因子 0.5366 kgCO2/kWh；本省有公布值时按省份另设"},
		{Kind: "natural_gas", Value: 2.1622, Source: v11SrcGHG + "低位发热量 389.31 GJ/万m³ × 单位热值含碳量 15.30 tC/TJ × 碳氧化率 99% × 44/12 = 2.1622 kgCO2/m³"},
		{Kind: "gasoline", Value: 2.9251, Source: v11SrcGHG + "低位发热量 43.070 GJ/t × 单位热值含碳量 18.90 tC/TJ × 碳氧化率 98% × 44/12 = 2.9251 kgCO2/kg"},
		{Kind: "diesel", Value: 3.0959, Source: v11SrcGHG + "低位发热量 42.652 GJ/t × 单位热值含碳量 20.20 tC/TJ × 碳氧化率 98% × 44/12 = 3.0959 kgCO2/kg"},
		{Kind: "heat", Value: 110, Source: v11SrcGHG + "外购热力排放因子 0.11 tCO2/GJ，即 110 kgCO2/GJ"},
	}
}

// v11SrcChecklist says where the seeded checklist comes from: the platform's own reading of the
// 2020 action plan, to be checked against the province's evaluation rules.
const v11SrcChecklist = "平台默认评分表（参照国管局、国家发展改革委、财政部《节约型机关创建行动方案》（2020年）的创建内容拟定），请按本省节约型机关评价标准核对后修改"

func v11Criteria() []v11EnergyCriterion {
	c := func(code, name string, max float64) v11EnergyCriterion {
		return v11EnergyCriterion{Code: code, Name: name, MaxScore: max, Source: v11SrcChecklist}
	}
	return []v11EnergyCriterion{
		c("organisation", "组织管理：建立节约型机关创建工作机制，明确责任部门和人员", 10),
		c("rules", "制度建设：制定并落实节能、节水、节约用电、绿色办公等管理制度", 10),
		c("metering", "计量统计：配备能源资源计量器具，按时报送能源资源消费统计数据", 10),
		c("energy", "能耗指标：人均综合能耗、单位建筑面积能耗达到定额或较上年下降", 20),
		c("water", "节约用水：使用节水器具，用水量达到定额", 10),
		c("waste", "生活垃圾分类：实行生活垃圾分类，推进源头减量", 10),
		c("food", "反食品浪费：机关食堂制止餐饮浪费", 10),
		c("office", "绿色办公：双面打印、无纸化办公、绿色采购", 10),
		c("vehicles", "公务用车：新能源汽车配备使用、公务用车节能", 5),
		c("publicity", "宣传教育：开展节能宣传周、低碳日等活动", 5),
	}
}

type v11EnergyMeter struct {
	ID          int64             `gorm:"primaryKey"`
	Name        string            `gorm:"size:100;not null"`
	Code        string            `gorm:"size:64;not null;default:''"` // 表号, or the monitoring system's own id
	Kind        string            `gorm:"size:16;not null;index"`      // electricity, water, natural_gas, heat, gasoline, diesel, pv
	UnitID      int64             `gorm:"not null;index"`
	Unit        *v1Unit           `gorm:"foreignKey:UnitID;constraint:OnDelete:RESTRICT"`
	BuildingID  *int64            `gorm:"index"`
	Building    *v9OfficeBuilding `gorm:"foreignKey:BuildingID;constraint:OnDelete:RESTRICT"`
	UOM         string            `gorm:"column:uom;size:8;not null"` // the unit its register counts in
	Multiplier  float64           `gorm:"not null;default:1"`         // 倍率: amount = register difference × multiplier
	Status      string            `gorm:"size:16;not null;index"`     // active, replaced, retired
	InstalledAt *time.Time        `gorm:""`                           // the series starts here; null: at its first reading
	RemovedAt   *time.Time        `gorm:""`                           // replaced or retired at (its final reading)
	ReplacesID  *int64            `gorm:"index"`                      // the meter this one took over from
	Replaces    *v11EnergyMeter   `gorm:"foreignKey:ReplacesID;constraint:OnDelete:RESTRICT"`
	Note        string            `gorm:"type:text"`
	CreatedBy   *int64            `gorm:""`
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (v11EnergyMeter) TableName() string { return "energy_meters" }

// v11EnergyReading is a cumulative register value at an instant; one per meter and second.
type v11EnergyReading struct {
	ID         int64           `gorm:"primaryKey"`
	MeterID    int64           `gorm:"not null;uniqueIndex:idx_energy_readings_meter_at,priority:1"`
	Meter      *v11EnergyMeter `gorm:"foreignKey:MeterID;constraint:OnDelete:RESTRICT"`
	At         time.Time       `gorm:"not null;uniqueIndex:idx_energy_readings_meter_at,priority:2;index"`
	Value      float64         `gorm:"not null"`
	Status     string          `gorm:"size:16;not null;index"`       // ok, flagged (held for review), rejected
	Flag       string          `gorm:"size:16;not null;default:''"`  // backwards, jump
	FlagNote   string          `gorm:"size:255;not null;default:''"` // what the check saw
	Source     string          `gorm:"size:16;not null"`             // manual, ingest, install, removal
	EnteredBy  *int64          `gorm:""`
	ReviewedBy *int64          `gorm:""`
	ReviewedAt *time.Time      `gorm:""`
	ReviewNote string          `gorm:"size:255;not null;default:''"`
	CreatedAt  time.Time
}

func (v11EnergyReading) TableName() string { return "energy_readings" }

// v11EnergyCoefficient converts a kind's base unit to kg of standard coal (kgce).
type v11EnergyCoefficient struct {
	ID        int64   `gorm:"primaryKey"`
	Kind      string  `gorm:"size:16;not null;uniqueIndex"`
	Value     float64 `gorm:"not null"`
	Source    string  `gorm:"type:text"`
	UpdatedBy *int64  `gorm:""`
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (v11EnergyCoefficient) TableName() string { return "energy_coefficients" }

// v11EnergyCO2Factor is kg CO2 per base unit of a kind: nationwide (Region "") or for a province.
type v11EnergyCO2Factor struct {
	ID        int64   `gorm:"primaryKey"`
	Kind      string  `gorm:"size:16;not null;uniqueIndex:idx_energy_co2_factors_key,priority:1"`
	Region    string  `gorm:"size:32;not null;default:'';uniqueIndex:idx_energy_co2_factors_key,priority:2"`
	Value     float64 `gorm:"not null"`
	Source    string  `gorm:"type:text"`
	UpdatedBy *int64  `gorm:""`
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (v11EnergyCO2Factor) TableName() string { return "energy_co2_factors" }

type v11EnergySetting struct {
	Key       string `gorm:"size:64;primaryKey"`
	Value     string `gorm:"type:text;not null"` // JSON
	UpdatedBy *int64 `gorm:""`
	UpdatedAt time.Time
}

func (v11EnergySetting) TableName() string { return "energy_settings" }

// v11EnergyUnit is a unit's headcount (用能人数) and building area (建筑面积) as the indicators
// use them; null: counted from the users and derived from the office ledger.
type v11EnergyUnit struct {
	UnitID    int64   `gorm:"primaryKey;autoIncrement:false"`
	Unit      *v1Unit `gorm:"foreignKey:UnitID;constraint:OnDelete:CASCADE"`
	Headcount *int    `gorm:""`
	AreaDm2   *int64  `gorm:""`
	Note      string  `gorm:"type:text"`
	UpdatedBy *int64  `gorm:""`
	UpdatedAt time.Time
}

func (v11EnergyUnit) TableName() string { return "energy_units" }

// v11EnergyAgency is a unit enrolled in the saving-type agency drive (节约型机关创建).
type v11EnergyAgency struct {
	ID          int64    `gorm:"primaryKey"`
	UnitID      int64    `gorm:"not null;uniqueIndex"`
	Unit        *v1Unit  `gorm:"foreignKey:UnitID;constraint:OnDelete:RESTRICT"`
	EnrolledOn  string   `gorm:"size:10;not null"`
	Status      string   `gorm:"size:16;not null;index"` // enrolled, evaluated, certified, not_passed
	Score       *float64 `gorm:""`                       // the checklist's total once evaluated
	EvaluatedOn string   `gorm:"size:10;not null;default:''"`
	DecidedOn   string   `gorm:"size:10;not null;default:''"`
	Note        string   `gorm:"type:text"`
	CreatedBy   *int64   `gorm:""`
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (v11EnergyAgency) TableName() string { return "energy_agencies" }

type v11EnergyCriterion struct {
	ID        int64   `gorm:"primaryKey"`
	Code      string  `gorm:"size:32;not null;uniqueIndex"`
	Name      string  `gorm:"size:200;not null"`
	MaxScore  float64 `gorm:"not null"`
	Position  int     `gorm:"not null;default:0"`
	Source    string  `gorm:"type:text"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (v11EnergyCriterion) TableName() string { return "energy_agency_criteria" }

type v11EnergyScore struct {
	ID        int64            `gorm:"primaryKey"`
	AgencyID  int64            `gorm:"not null;uniqueIndex:idx_energy_agency_scores_key,priority:1"`
	Agency    *v11EnergyAgency `gorm:"foreignKey:AgencyID;constraint:OnDelete:CASCADE"`
	Code      string           `gorm:"size:32;not null;uniqueIndex:idx_energy_agency_scores_key,priority:2"`
	Score     float64          `gorm:"not null"`
	Note      string           `gorm:"type:text"`
	UpdatedBy *int64           `gorm:""`
	UpdatedAt time.Time
}

func (v11EnergyScore) TableName() string { return "energy_agency_scores" }

// v11EnergyProject is an energy-saving retrofit or new-energy project, with its measured savings.
type v11EnergyProject struct {
	ID            int64             `gorm:"primaryKey"`
	Name          string            `gorm:"size:200;not null"`
	Kind          string            `gorm:"size:16;not null;index"` // lighting, pv, monitoring, hvac, envelope, ev_charging, other
	UnitID        int64             `gorm:"not null;index"`
	Unit          *v1Unit           `gorm:"foreignKey:UnitID;constraint:OnDelete:RESTRICT"`
	BuildingID    *int64            `gorm:"index"`
	Building      *v9OfficeBuilding `gorm:"foreignKey:BuildingID;constraint:OnDelete:RESTRICT"`
	MeterID       *int64            `gorm:"index"` // the meter that measures its saving or generation
	Meter         *v11EnergyMeter   `gorm:"foreignKey:MeterID;constraint:OnDelete:RESTRICT"`
	EnergyKind    string            `gorm:"size:16;not null;default:''"` // the energy it saves or generates
	InvestmentFen int64             `gorm:"not null;default:0"`
	Status        string            `gorm:"size:16;not null;index"` // planned, in_progress, completed, cancelled
	StartedOn     string            `gorm:"size:10;not null;default:''"`
	CompletedOn   string            `gorm:"size:10;not null;default:''"`
	CapacityKW    *float64          `gorm:"column:capacity_kw"`
	BeforeAmount  *float64          `gorm:""` // a year's use before, in the energy kind's base unit
	AfterAmount   *float64          `gorm:""` // a year's use after
	Note          string            `gorm:"type:text"`
	CreatedBy     *int64            `gorm:""`
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (v11EnergyProject) TableName() string { return "energy_projects" }
