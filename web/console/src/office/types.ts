// Shapes of the office-space (办公用房) JSON under /api/office (issue 8). Areas are usable
// area in m²; times RFC 3339 (UTC); dates YYYY-MM-DD in the county.

/** Ranks as the server codes them (县级正职 … 科级以下), in descending order. */
export const ranks = ['county_chief', 'county_deputy', 'section_chief', 'section_deputy', 'clerk'] as const;
export type Rank = (typeof ranks)[number];

/** Uses of a room. Vacancy is a state (no unit, no one in it), not a use. */
export const roomUses = ['office', 'service', 'equipment', 'ancillary'] as const;
export type RoomUse = (typeof roomUses)[number];

export const ownerships = ['owned', 'leased', 'borrowed', 'other'] as const;

export interface Building {
  id: number;
  name: string;
  address: string;
  floors: number;
  total_area_m2: number;
  usable_area_m2: number;
  ownership: string;
  note?: string;
  /** Rooms in the ledger and their usable area. */
  rooms?: number;
  room_area_m2?: number;
}

/** Occupant is a person assigned to an office room. */
export interface Occupant {
  assignment_id: number;
  user_id: number;
  name: string;
  username?: string;
  rank: string;
  post?: string;
  /** A second office for a concurrent post. */
  concurrent?: boolean;
  unit_id?: number;
  unit_name?: string;
  since?: string;
}

export interface Room {
  id: number;
  building_id: number;
  building?: string;
  floor: number;
  number: string;
  area_m2: number;
  use: string;
  /** No unit and no one holds the room: it is in the center's pool. */
  vacant?: boolean;
  /** The unit holding the room (null when vacant or shared by several units' people). */
  unit_id: number | null;
  unit_name?: string;
  /** The unit assignment's id, for releasing the room. */
  unit_assignment_id?: number | null;
  occupants: Occupant[];
  /** Area per occupant; 0 when no one is in it. */
  share_m2?: number;
  note?: string;
}

/** HistoryEntry is one change of the ledger: who, when, what, from, to, why. */
export interface HistoryEntry {
  id: number;
  at: string;
  actor: string;
  subject: string;
  action: string;
  from: string;
  to: string;
  reason: string;
}

/** Standard is a row of the standards table: a rank's area per person (kind person), the
 * unit-level service allowance per person (service) or equipment share (equipment, ratio). */
export interface Standard {
  level: string;
  kind: string;
  code: string;
  name: string;
  area_m2?: number;
  ratio?: number;
  source?: string;
}

export interface StandardSet {
  level: string;
  standards: Standard[];
}

export interface UnitOccupancy {
  unit_id: number;
  unit_name: string;
  /** Persons with an office of the unit. */
  people: number;
  /** Office rooms: the people's standards, their shares and idle rooms, the excess. */
  standard_m2: number;
  actual_m2: number;
  excess_m2: number;
  idle_m2?: number;
  idle_rooms?: number;
  concurrent_m2?: number;
  service_allowance_m2?: number;
  service_m2?: number;
  service_excess_m2?: number;
  equipment_allowance_m2?: number;
  equipment_m2?: number;
  ancillary_m2?: number;
  total_m2?: number;
  rooms?: number;
  over_people?: number;
  unranked?: number;
}

/** PersonRoom is one room of a person with their share of it. */
export interface PersonRoom {
  room_id: number;
  room: string;
  area_m2: number;
  occupants: number;
  share_m2: number;
  concurrent?: boolean;
}

/** PersonFigure is a person's standard, actual and excess area (shared rooms split evenly). */
export interface PersonFigure {
  user_id: number;
  name?: string;
  username?: string;
  unit_id?: number;
  unit_name?: string;
  rank: string;
  rank_name?: string;
  standard_m2: number;
  actual_m2: number;
  excess_m2: number;
  concurrent_m2?: number;
  concurrent_over?: boolean;
  over?: boolean;
  ranked?: boolean;
  rooms?: PersonRoom[];
}

/** OverStandard is the over-standard list and the people it could not judge (no known rank). */
export interface OverStandard {
  items: PersonFigure[];
  unranked?: PersonFigure[];
}

/** Person is a user one may assign to a room, with the rank the standard reads. */
export interface Person {
  id: number;
  name: string;
  username?: string;
  rank: string;
  post?: string;
  unit_id: number | null;
  unit_name?: string;
  /** Has an office already (a second one only for a concurrent post). */
  has_office?: boolean;
}

export interface ReallocationItem {
  room_id: number;
  room: string;
  area_m2: number;
  from_room_id?: number | null;
  from_room?: string;
  user_id?: number | null;
  name?: string;
  post?: string;
}

/** Reallocation (统筹调剂): a unit asks for pooled rooms, or the center moves a unit; decided by approval. */
export interface Reallocation {
  id: number;
  kind: string;
  unit_id: number;
  unit_name?: string;
  applicant?: string;
  reason: string;
  area_m2?: number;
  status: string;
  approval_id: number | null;
  applied_at?: string | null;
  room_ids?: number[];
  items?: ReallocationItem[];
  created_at: string;
}

/** Clearance (清退): a room a unit must clear and return by a deadline. */
export interface Clearance {
  id: number;
  room_id: number;
  room?: string;
  area_m2?: number;
  unit_id?: number;
  unit_name?: string;
  reason: string;
  deadline: string;
  status: string;
  done_at: string | null;
  note?: string;
  overdue?: boolean;
  created_at?: string;
}

/** Departure: someone transferred, retired or left; their rooms are due back within a month. */
export interface Departure {
  id: number;
  user_id: number;
  name: string;
  unit_id: number;
  unit_name?: string;
  kind: string;
  left_on: string;
  deadline: string;
  recovered_at: string | null;
  rooms: string[];
  overdue?: boolean;
  note?: string;
}

/** Unrecorded: someone still holding an office whose account is disabled or who moved units. */
export interface Unrecorded {
  user_id: number;
  name: string;
  unit_id: number;
  unit_name?: string;
  why: string;
  rooms: string[];
}

export interface Departures {
  items: Departure[];
  total?: number;
  unrecorded?: Unrecorded[];
}

export interface Finding {
  id: number;
  inspection_id: number;
  unit_id: number;
  unit_name?: string;
  room_id?: number | null;
  room?: string;
  kind: string;
  description: string;
  owner_user_id?: number | null;
  owner: string;
  deadline: string;
  status: string;
  rectification: string;
  rectified_at: string | null;
  overdue?: boolean;
}

export interface Inspection {
  id: number;
  title: string;
  inspected_on: string;
  inspector: string;
  note?: string;
  findings: Finding[];
  open?: number;
  overdue?: number;
}

export interface Repair {
  id: number;
  building_id: number;
  building_name?: string;
  room_id: number | null;
  room?: string;
  equipment: string;
  description: string;
  status: string;
  cost: number | null;
  unit_id?: number | null;
  reporter?: string;
  reported_at: string;
  started_at?: string | null;
  done_at: string | null;
  note?: string;
}

export interface PatrolItem {
  id: number;
  line: number;
  item: string;
  ok: boolean | null;
  note?: string;
  follow_up?: string;
  follow_up_deadline?: string;
  follow_up_done_at?: string | null;
  follow_up_note?: string;
  follow_up_overdue?: boolean;
}

export interface Patrol {
  id: number;
  building_id: number;
  building_name?: string;
  scheduled_on: string;
  status: string;
  inspector: string;
  result: string;
  done_at: string | null;
  note?: string;
  items: PatrolItem[];
  overdue?: boolean;
  open_follow_ups?: number;
}

/** RowError is one bad row of an imported sheet. */
export interface RowError {
  sheet?: string;
  line: number;
  field?: string;
  reason: string;
}

/** ImportReport is the answer of an XLSX ledger import: what went in, and each bad row. */
export interface ImportReport {
  imported: number;
  skipped?: number;
  buildings?: number;
  rooms?: number;
  assignments?: number;
  errors: RowError[];
}

/** Difference is one way a unit's own ledger differs from the center's. */
export interface Difference {
  kind: string;
  room: string;
  line: number;
  unit: string;
  center: string;
}

/** Reconciliation compares a unit's ledger with the center's (2017 rules: the two agree). */
export interface Reconciliation {
  unit_id: number;
  unit_name: string;
  matched: number;
  differences: Difference[];
  /** Rows of the unit's file that could not be read (left out). */
  errors?: RowError[];
}
