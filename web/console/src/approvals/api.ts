import { call } from '../api';
import type { List } from '../types';
import type { Attachment, Check, Definition, Group, InboxItem, InboxTab, Instance, Procurement } from './types';

// Every call of the approval and procurement pages to the server.

/** inbox lists one tab of GET /api/approvals. */
export function inbox(tab: InboxTab, signal?: AbortSignal): Promise<List<InboxItem>> {
  return call<List<InboxItem>>('GET', `/api/approvals?state=${tab}&limit=100`, undefined, { signal });
}

/** pendingCount is the badge figure of GET /api/approvals/counts. */
export async function pendingCount(signal?: AbortSignal): Promise<number> {
  const r = await call<{ pending?: number }>('GET', '/api/approvals/counts', undefined, { signal });
  return Number(r?.pending ?? 0) || 0;
}

export function getInstance(id: number, signal?: AbortSignal): Promise<Instance> {
  return call<Instance>('GET', `/api/approvals/${id}`, undefined, { signal });
}

/** ActionBody is one action on an instance: approve, reject, return, withdraw, remind, comment, transfer. */
export interface ActionBody {
  action: string;
  comment?: string;
  /** transfer: who takes over the caller's part. */
  to_user_id?: number;
  /** return: applicant (default) or previous (the step before). */
  to?: 'applicant' | 'previous';
}

export function act(id: number, body: ActionBody, signal?: AbortSignal): Promise<Instance> {
  return call<Instance>('POST', `/api/approvals/${id}/actions`, body, { signal });
}

/** Candidate is a user the caller may transfer their part of a step to. */
export interface Candidate {
  id: number;
  name: string;
  username?: string;
  unit_id?: number;
}

/** candidates lists whom the caller may transfer the current step to (?q= matches name or username). */
export function candidates(id: number, q: string, signal?: AbortSignal): Promise<List<Candidate>> {
  const qs = q ? `?q=${encodeURIComponent(q)}` : '';
  return call<List<Candidate>>('GET', `/api/approvals/${id}/candidates${qs}`, undefined, { signal });
}

/** CreateAnswer is 201 of POST /api/procurements. */
export interface CreateAnswer {
  id: number;
  approval_id: number | null;
  status: string;
  checks?: Procurement['checks'];
}

export function createProcurement(body: unknown, signal?: AbortSignal): Promise<CreateAnswer> {
  return call<CreateAnswer>('POST', '/api/procurements', body, { signal });
}

/** previewChecks asks for the standards checks a request would get, without filing it. */
export async function previewChecks(body: unknown, signal?: AbortSignal): Promise<Check[]> {
  const r = await call<{ checks?: Check[] }>('POST', '/api/procurements/check', body, { signal });
  return r?.checks ?? [];
}

export function reviseProcurement(id: number, body: unknown, signal?: AbortSignal): Promise<CreateAnswer> {
  return call<CreateAnswer>('PUT', `/api/procurements/${id}`, body, { signal });
}

export function getProcurement(id: number, signal?: AbortSignal): Promise<Procurement> {
  return call<Procurement>('GET', `/api/procurements/${id}`, undefined, { signal });
}

export function myProcurements(signal?: AbortSignal): Promise<List<Procurement>> {
  return call<List<Procurement>>('GET', '/api/procurements?mine=1&limit=100', undefined, { signal });
}

/** attachmentURL is where an attachment downloads. */
export function attachmentURL(id: number): string {
  return `/api/attachments/${id}`;
}

export function listDefinitions(signal?: AbortSignal): Promise<List<Definition>> {
  return call<List<Definition>>('GET', '/api/approval-definitions', undefined, { signal });
}

export function getDefinition(key: string, signal?: AbortSignal): Promise<Definition> {
  return call<Definition>('GET', `/api/approval-definitions/${encodeURIComponent(key)}`, undefined, { signal });
}

export function listGroups(signal?: AbortSignal): Promise<List<Group>> {
  return call<List<Group>>('GET', '/api/approval-groups', undefined, { signal });
}

export type { Attachment };
