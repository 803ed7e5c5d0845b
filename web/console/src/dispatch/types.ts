// Shapes of the dispatch JSON (issue 7's Contract and notes/issue7-plan.md): vehicle-use requests,
// the dispatch queue, candidates, driver tasks, fleet records, reminders and the duty roster.
// Optional fields are ones the console can do without.

/** Place is an origin or a destination: an address and WGS-84 coordinates. */
export interface Place {
  address: string;
  lat: number | null;
  lng: number | null;
}

export const priorities = ['normal', 'emergency'] as const;
export type Priority = (typeof priorities)[number];

/** Request statuses in lifecycle order, then the ways a request ends early. */
export const requestStatuses = [
  'draft',
  'submitted',
  'approved',
  'assigned',
  'accepted',
  'departed',
  'returned',
  'completed',
  'cancelled',
  'rejected',
] as const;

/** Event is one entry of a request's history (status changes and who made them). */
export interface RequestEvent {
  at: string;
  status?: string;
  action?: string;
  user?: string;
  by?: string;
  note?: string;
  comment?: string;
}

/** Request is one vehicle-use request (用车申请), GET /api/requests/{id} or a list row. */
export interface Request {
  id: number;
  status: string;
  applicant_id?: number;
  applicant?: string;
  applicant_phone?: string;
  unit_id?: number | null;
  unit?: string;
  unit_name?: string;
  passengers: number;
  purpose: string;
  origin: Place;
  destinations: Place[];
  depart_at: string;
  return_at: string;
  vehicle_class?: string;
  priority?: string;
  notes?: string;
  approval_id?: number | null;
  /** Once assigned. */
  /** The vehicle_use approval's own status (pending, approved, rejected, returned, withdrawn). */
  approval_status?: string;
  /** The vehicle, driver and phone once assigned. */
  task?: TaskBrief | null;
  plate?: string;
  driver?: string;
  driver_phone?: string;
  rating?: Rating | null;
  cancel_reason?: string;
  out_of_area?: boolean;
  outside_reason?: string;
  /** A merged trip: the lead request. */
  merge_id?: number | null;
  submitted_at?: string | null;
  approved_at?: string | null;
  completed_at?: string | null;
  cancelled_at?: string | null;
  history?: RequestEvent[];
  events?: RequestEvent[];
  created_at?: string;
  updated_at?: string;
  /** Queue rows: the request is late (not departed at its time, or not back by its return time). */
  late?: boolean;
}

/** TaskBrief is what the applicant sees of the task serving a request. */
export interface TaskBrief {
  id: number;
  status: string;
  vehicle_id?: number;
  plate?: string;
  driver_id?: number;
  driver?: string;
  driver_phone?: string;
  departed_at?: string | null;
  returned_at?: string | null;
}

/** Rating is the applicant's verdict on a completed trip. */
export interface Rating {
  stars: number;
  comment?: string;
  at?: string;
}

/** CandidateReason is one part of a candidate's score. */
export interface CandidateReason {
  code?: string;
  name?: string;
  label?: string;
  text?: string;
  cost?: number;
  value?: number;
  detail?: string;
}

/** Candidate is one feasible (vehicle, driver) pair, best first. */
export interface Candidate {
  vehicle_id: number;
  driver_id: number;
  score: number;
  reasons?: (CandidateReason | string)[] | Record<string, number | string> | null;
  plate?: string;
  driver?: string;
  driver_phone?: string;
  class?: string;
  seats?: number;
  energy?: string;
  distance_km?: number | null;
  /** Where the vehicle will be: live, parking, previous_task, unknown. */
  from?: string;
  lat?: number | null;
  lng?: number | null;
  note?: string;
  unit_id?: number | null;
}

/** CandidateList is GET /api/dispatch/requests/{id}/candidates. */
export interface CandidateList {
  items: Candidate[] | null;
  /** Drivers (driver_*) and vehicles (vehicle_*) left out, by reason. */
  excluded?: Record<string, number> | null;
}

/** Task is a driver's task as GET /api/driver/tasks and the websocket `tasks` topic send it. */
export interface Task {
  id: number;
  request_id: number;
  /** Every request the trip serves (a merged trip has several). */
  request_ids?: number[];
  title?: string;
  vehicle_id: number;
  plate: string;
  driver_id: number;
  driver: string;
  driver_phone?: string;
  status: string;
  depart_at: string;
  return_at: string;
  origin: Place;
  destinations: Place[];
  purpose: string;
  passengers: number;
  applicant: string;
  applicant_phone: string;
  energy?: string;
  vehicle_class?: string;
  priority?: string;
  notes?: string;
  /** The pre-trip checklist the admin configured (item names), when the server sends it with the task. */
  checklist?: (ChecklistItem | string)[] | null;
  /** The pre-trip check once answered. */
  check?: TaskCheck | null;
  checked_at?: string | null;
  assigned_at?: string;
  accepted_at?: string | null;
  departed_at?: string | null;
  returned_at?: string | null;
  odometer_km?: number | null;
  odometer_start_km?: number | null;
  odometer_end_km?: number | null;
  fuel_l?: number | null;
  charge_kwh?: number | null;
  gps_km?: number | null;
  driving_s?: number | null;
  planned_km?: number | null;
  decline_reason?: string;
  cancel_reason?: string;
  /** The vehicle has a JT/T 808 terminal (no phone positions needed). */
  has_terminal?: boolean;
  /** Credentials for POST /api/ingest/positions when the phone reports for the vehicle. */
  updated_at?: string;
}

/** TaskCheck is the answered pre-trip check. */
export interface TaskCheck {
  items: { item: string; ok: boolean; note?: string }[];
  note?: string;
  passed: boolean;
  at?: string;
}

/** ChecklistItem is one pre-trip safety check. */
export interface ChecklistItem {
  key: string;
  label: string;
  ok?: boolean | null;
  note?: string;
}

/** QueueBuckets is GET /api/dispatch/queue. */
export type QueueAnswer =
  | { items: Request[] }
  | Partial<Record<'pending' | 'approved' | 'assigned' | 'running' | 'late', Request[] | null>>;

/** Proposal is one trip's proposed pair in an auto-assign run (and, applied, what became of it). */
export interface Proposal {
  request_id: number;
  request_ids?: number[];
  depart_at?: string;
  vehicle_id: number;
  plate?: string;
  driver_id: number;
  driver?: string;
  score?: number;
  reasons?: Candidate['reasons'];
  /** proposed; applied: assigned or skipped */
  status?: string;
  task_id?: number;
  /** Why skipped. */
  reason?: string;
}

/** AutoAssignAnswer is POST /api/dispatch/auto-assign. */
export interface AutoAssignAnswer {
  from?: string;
  to?: string;
  trips?: number;
  proposals?: Proposal[] | null;
  unserved?: { request_id: number; reason?: string }[] | null;
  total_cost?: number;
  greedy_cost?: number;
  greedy_assigned?: number;
  applied?: boolean;
  assigned?: number;
  skipped?: number;
}

/** Merge is a proposal to run several requests as one trip (GET /api/dispatch/merges). */
export interface Merge {
  request_ids: number[];
  passengers?: number;
  depart_at?: string;
  return_at?: string;
  separate_km?: number;
  merged_km?: number;
  saved_km?: number;
  /** near: shared origins and destinations; detour: a small detour. */
  rule?: string;
}

/** Shift is one duty-roster entry: a shift or a 24-hour standby (24小时轮值). */
export interface Shift {
  id: number;
  driver_id: number;
  driver_name?: string;
  driver?: string;
  note?: string;
  start: string;
  end: string;
  kind: string; // shift | standby
}

export const recordKinds = ['maintenance', 'repair', 'insurance', 'inspection', 'disinfection'] as const;
export type RecordKind = (typeof recordKinds)[number];

/** FleetRecord is one maintenance, repair, insurance, inspection or disinfection entry of a vehicle. */
export interface FleetRecord {
  id: number;
  vehicle_id: number;
  kind: string;
  date: string;
  due_date?: string | null;
  at?: string | null;
  cost?: number | null;
  odometer_km?: number | null;
  note?: string;
  user_name?: string;
  created_at?: string;
}

/** Reminder is one thing due or overdue (GET /api/fleet/reminders). */
export interface Reminder {
  /** vehicle or driver */
  subject?: string;
  kind: string; // insurance | inspection | maintenance | license
  due_date: string;
  /** From today, county time; negative when overdue. */
  days_left?: number;
  overdue?: boolean;
  vehicle_id?: number | null;
  driver_id?: number | null;
  /** The plate or the driver's name. */
  name?: string;
}
