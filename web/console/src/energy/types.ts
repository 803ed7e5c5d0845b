// Shapes of the energy module's JSON (/api/energy/...). Amounts are in each kind's base unit
// (kWh, m3, GJ, kg); tce is tonnes of standard coal, kgce kilograms.

export const kinds = ['electricity', 'water', 'natural_gas', 'heat', 'gasoline', 'diesel', 'pv'] as const;
export type Kind = (typeof kinds)[number];

/** uoms lists the units a meter's register may count in, per kind (the first is the base unit). */
export const uoms: Record<Kind, string[]> = {
  electricity: ['kWh', 'MWh'],
  water: ['m3', 't'],
  natural_gas: ['m3'],
  heat: ['GJ', 'MJ'],
  gasoline: ['kg', 'L', 't'],
  diesel: ['kg', 'L', 't'],
  pv: ['kWh', 'MWh'],
};

export interface Reading {
  id: number;
  meter_id: number;
  meter_name?: string;
  at: string;
  value: number;
  status: 'ok' | 'flagged' | 'rejected';
  flag: string;
  flag_note: string;
  source: string;
  review_note: string;
  reviewed_at: string | null;
  created_at: string;
}

export interface Meter {
  id: number;
  name: string;
  code: string;
  kind: Kind;
  unit_id: number;
  unit_name: string;
  building_id: number | null;
  building_name: string;
  uom: string;
  multiplier: number;
  status: 'active' | 'replaced' | 'retired';
  installed_at: string | null;
  removed_at: string | null;
  replaces_id: number | null;
  replaced_by: number | null;
  note: string;
  last_reading: Reading | null;
  flagged: number;
}

export interface BatchItem {
  index: number;
  meter_id: number;
  at: string;
  id: number;
  result: 'stored' | 'flagged' | 'duplicate';
  flag?: string;
  flag_note?: string;
}

export interface BatchResult {
  stored: number;
  flagged: number;
  duplicates: number;
  items: BatchItem[];
}

export interface KindFigure {
  amount: number;
  uom: string;
  tce: number;
  co2_kg: number;
  vehicle_amount: number;
}

export interface UnitFigure {
  unit_id: number;
  unit_name: string;
  tce: number;
  co2_kg: number;
  by_kind: Partial<Record<Kind, KindFigure>>;
  vehicle_tce: number;
  building_tce: number;
  headcount: number;
  area_m2: number;
  per_capita_kgce: number | null;
  per_m2_kgce: number | null;
  water_per_capita_m3: number | null;
  pv_share: number | null;
  last_year_tce: number | null;
  yoy_pct: number | null;
  complete: boolean;
}

export interface Missing {
  meter_id: number;
  meter_name: string;
  kind: Kind;
  unit_id: number;
  unit_name: string;
  building_name: string;
  side: 'start' | 'end' | 'both';
  last_at: string | null;
  flagged: number;
}

export interface BuildingFigure {
  building_id: number;
  name: string;
  tce: number;
  area_m2: number;
  per_m2_kgce: number | null;
  pv_share: number | null;
}

export interface VehicleLine {
  vehicle_id: number;
  plate: string;
  energy: string;
  unit_id: number;
  unit_name: string;
  trips: number;
  fuel_l: number;
  fuel_kg: number;
  charge_kwh: number;
  tce: number;
}

export interface Coefficient {
  kind: Kind;
  value: number;
  uom: string;
  source: string;
  updated_at: string;
}

export interface CO2Factor {
  id: number;
  kind: Kind;
  region: string;
  value: number;
  uom: string;
  source: string;
  in_use: boolean;
}

export interface MonthReport {
  month: string;
  from: string;
  to: string;
  time_zone: string;
  units: UnitFigure[];
  total_tce: number;
  total_co2_kg: number;
  county: UnitFigure;
  buildings: BuildingFigure[];
  vehicles: VehicleLine[];
  completeness: { complete: boolean; meters: number; flagged: number; missing: Missing[] };
  coefficients: Coefficient[];
}

export interface UnitYear extends UnitFigure {
  monthly_tce: (number | null)[];
  annual_per_capita_kgce: number | null;
  annual_per_m2_kgce: number | null;
  per_capita_met: boolean | null;
  per_m2_met: boolean | null;
}

export interface YearReport {
  year: number;
  months: string[];
  months_ended: number;
  units: UnitYear[];
  county: UnitYear;
  targets: {
    baseline_year: number;
    baseline_per_m2_kgce: number;
    baseline_per_person_kgce: number;
    target_year: number;
    per_m2_target_kgce: number;
    per_person_target_kgce: number;
    source: string;
  };
}

export interface TrendPoint {
  month: string;
  tce: number;
  co2_kg: number;
  vehicle_tce: number;
  by_kind: Partial<Record<Kind, KindFigure>>;
}

export interface Settings {
  province: string;
  densities: { gasoline: number; diesel: number };
  density_source: string;
  jump_factor: number;
  targets: YearReport['targets'] & { cut_per_m2_pct: number; cut_per_person_pct: number };
  agency_targets: { year: number; share: number }[];
  agencies_total: number;
  agency_pass_score: number;
}

export interface UnitBasis {
  unit_id: number;
  unit_name: string;
  headcount: number;
  headcount_set: number | null;
  users: number;
  area_m2: number;
  area_set_m2: number | null;
  ledger_area_m2: number;
  note: string;
}

export interface Score {
  code: string;
  name: string;
  max_score: number;
  score: number | null;
  note: string;
}

export interface Agency {
  id: number;
  unit_id: number;
  unit_name: string;
  enrolled_on: string;
  status: 'enrolled' | 'evaluated' | 'certified' | 'not_passed';
  score: number | null;
  evaluated_on: string;
  decided_on: string;
  note: string;
  scores: Score[];
}

export interface AgencySummary {
  agencies: number;
  enrolled: number;
  evaluated: number;
  certified: number;
  share: number;
  year: number;
  target: { year: number; share: number };
  met: boolean;
  pass_score: number;
}

export const projectKinds = ['lighting', 'pv', 'monitoring', 'hvac', 'envelope', 'ev_charging', 'water', 'other'] as const;
export const projectStatuses = ['planned', 'in_progress', 'completed', 'cancelled'] as const;

export interface Project {
  id: number;
  name: string;
  kind: (typeof projectKinds)[number];
  unit_id: number;
  unit_name: string;
  building_id: number | null;
  building_name: string;
  meter_id: number | null;
  meter_name: string;
  energy_kind: Kind | '';
  investment_yuan: number;
  status: (typeof projectStatuses)[number];
  started_on: string;
  completed_on: string;
  capacity_kw: number | null;
  before_amount: number | null;
  after_amount: number | null;
  note: string;
  saving: { amount: number; uom: string; pct: number | null; tce: number; co2_kg: number } | null;
  measured: { uom: string; before_months: number; before_monthly: number | null; after_months: number; after_monthly: number | null; saving_pct: number | null } | null;
}
