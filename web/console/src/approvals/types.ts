// Shapes of the approval engine's and the procurement module's JSON (issue 6's Contract and
// notes/issue6-plan.md). Optional fields are ones the console can do without.

export const approvalStatuses = ['pending', 'approved', 'rejected', 'returned', 'withdrawn'] as const;
export type ApprovalStatus = (typeof approvalStatuses)[number];

export const approvalActions = ['submit', 'approve', 'reject', 'return', 'resubmit', 'withdraw', 'transfer', 'comment', 'remind', 'escalate'] as const;

export const procurementKinds = ['vehicle_renewal', 'vehicle_addition', 'goods', 'services'] as const;
export type ProcurementKind = (typeof procurementKinds)[number];

/** Body types a vehicle request may name (an off-road vehicle is never a leader's fixed car). */
export const bodyTypes = ['sedan', 'suv', 'offroad', 'mpv', 'bus', 'other'] as const;

/** Inbox tabs of /m/approvals; each is a state= of GET /api/approvals. */
export const inboxTabs = ['pending', 'done', 'mine'] as const;
export type InboxTab = (typeof inboxTabs)[number];

export interface Approver {
  id: number;
  name: string;
}

/** Step is the current step of an instance. */
export interface Step {
  index: number;
  name: string;
  mode?: string;
  approvers?: Approver[];
  deadline_at?: string | null;
}

/** Action is one entry of an instance's audit trail. */
export interface Action {
  id?: number;
  at: string;
  user_id?: number | null;
  user?: string;
  action: string;
  comment?: string;
  step_index?: number | null;
  step_name?: string;
  to_user_id?: number | null;
  /** The user a transfer or escalation went to. */
  to?: string;
}

/** Instance is one running or finished approval (GET /api/approvals/{id}). */
export interface Instance {
  id: number;
  definition: string;
  definition_version?: number;
  subject: string;
  ref_type: string;
  ref_id: number;
  applicant_id: number;
  applicant: string;
  unit_id?: number | null;
  unit_name?: string;
  status: string;
  step: Step | null;
  fields?: Record<string, unknown>;
  history?: Action[];
  can_act?: boolean;
  created_at?: string;
  updated_at?: string;
}

/** InboxItem is one row of GET /api/approvals?state=…. */
export interface InboxItem {
  id: number;
  subject: string;
  /** The current step's name ("" unless pending). */
  step?: Step | string | null;
  step_index?: number | null;
  applicant?: string;
  status?: string;
  ref_type?: string;
  ref_id?: number;
  unit_id?: number;
  deadline_at?: string | null;
  fields?: Record<string, unknown>;
  amount?: number;
  created_at?: string;
  updated_at?: string;
}

/** Check is the outcome of one vehicle-standards rule. */
export interface Check {
  rule: string;
  /** The rule's name in Chinese, from the server. */
  name?: string;
  ok: boolean;
  message: string;
  source?: string;
}

export interface Item {
  name: string;
  quantity: number;
  unit_price: number;
  amount?: number;
}

export interface VehicleSpec {
  class?: string;
  displacement_l?: number | null;
  price?: number | null;
  energy?: string;
  body?: string;
  make_domestic?: boolean;
  for_leader_fixed?: boolean;
  replaces_vehicle_id?: number | null;
  replaces_plate?: string;
}

export interface Attachment {
  id: number;
  name: string;
  size: number;
  content_type?: string;
  sha256?: string;
  created_at?: string;
}

/** Procurement is one purchase request (GET /api/procurements/{id}). */
export interface Procurement {
  id: number;
  approval_id: number | null;
  kind: string;
  title: string;
  reason: string;
  status: string;
  amount: number;
  items: Item[];
  vehicle?: VehicleSpec | null;
  checks?: Check[];
  checks_failed?: number;
  justification?: string;
  attachments?: Attachment[];
  applicant_id?: number;
  applicant?: string;
  unit_id?: number | null;
  unit?: string;
  submitted_at?: string;
  decided_at?: string | null;
  created_at?: string;
  updated_at?: string;
}

/** Definition is a versioned approval process (GET /api/approval-definitions/{key}). */
export interface Definition {
  key: string;
  name: string;
  version: number;
  steps?: unknown[];
  updated_at?: string;
  [more: string]: unknown;
}

export interface Group {
  id: number;
  key?: string;
  name: string;
  members?: Approver[];
  member_ids?: number[];
}

/** LiveApproval is the payload of a websocket {"type":"approval"} frame. */
export interface LiveApproval {
  id: number;
  subject?: string;
  status?: string;
  step?: Step | string | null;
  event?: string;
}
