import { call } from '../api';
import type { List } from '../types';
import type { AutoAssignAnswer, CandidateList, FleetRecord, Merge, QueueAnswer, Reminder, Request, Shift, Task } from './types';

// Every dispatch call of the console: requests (applicant), the queue, candidates and assignment
// (dispatcher), driver tasks, fleet records, reminders and the roster.

const enc = encodeURIComponent;

// ---------- requests (用车申请) ----------

export function createRequest(body: unknown, signal?: AbortSignal): Promise<{ id: number; status: string }> {
  return call('POST', '/api/requests', body, { signal });
}

export function myRequests(signal?: AbortSignal): Promise<List<Request>> {
  return call('GET', '/api/requests?mine=1&limit=100', undefined, { signal });
}

export function getRequest(id: number, signal?: AbortSignal): Promise<Request> {
  return call('GET', `/api/requests/${id}`, undefined, { signal });
}

export function requestAction(id: number, action: 'submit' | 'cancel', body?: unknown, signal?: AbortSignal): Promise<Request | undefined> {
  return call('POST', `/api/requests/${id}/${action}`, body ?? {}, { signal });
}

export function rateRequest(id: number, body: { stars: number; comment: string }, signal?: AbortSignal): Promise<Request | undefined> {
  return call('POST', `/api/requests/${id}/rate`, body, { signal });
}

// ---------- dispatcher ----------

export function queue(signal?: AbortSignal): Promise<QueueAnswer> {
  return call('GET', '/api/dispatch/queue', undefined, { signal });
}

export function candidates(id: number, signal?: AbortSignal): Promise<CandidateList> {
  return call('GET', `/api/dispatch/requests/${id}/candidates?limit=20`, undefined, { signal });
}

/** assign books a vehicle and driver for a request; reassign gives an assigned one another pair. */
export function assign(id: number, vehicleID: number, driverID: number, reassign: boolean, signal?: AbortSignal): Promise<Task> {
  return call('POST', `/api/dispatch/requests/${id}/${reassign ? 'reassign' : 'assign'}`, { vehicle_id: vehicleID, driver_id: driverID }, { signal });
}

/** dispatchCancel cancels a request from the queue (with the dispatcher's reason). */
export function dispatchCancel(id: number, reason: string, signal?: AbortSignal): Promise<unknown> {
  return call('POST', `/api/requests/${id}/cancel`, { reason }, { signal });
}

/** cancelTask withdraws an assignment before departure: the request goes back to the queue. */
export function cancelTask(taskID: number, reason: string, signal?: AbortSignal): Promise<Task> {
  return call('POST', `/api/dispatch/tasks/${taskID}/cancel`, { reason }, { signal });
}

/** checklist is the pre-trip check the county configured (GET /api/dispatch/settings). */
export async function checklist(signal?: AbortSignal): Promise<string[]> {
  const s = await call<{ checklist?: string[] | null }>('GET', '/api/dispatch/settings', undefined, { signal });
  return s?.checklist ?? [];
}

export function autoAssign(body: { from: string; to: string; apply?: boolean }, signal?: AbortSignal): Promise<AutoAssignAnswer> {
  return call('POST', '/api/dispatch/auto-assign', body, { signal });
}

export function merges(signal?: AbortSignal): Promise<{ items: Merge[] | null }> {
  return call('GET', '/api/dispatch/merges', undefined, { signal });
}

export function acceptMerge(m: Merge, signal?: AbortSignal): Promise<unknown> {
  return call('POST', '/api/dispatch/merges', { request_ids: m.request_ids }, { signal });
}

// ---------- driver ----------

export function driverTasks(signal?: AbortSignal): Promise<{ items: Task[] | null; checklist?: string[] | null }> {
  return call('GET', '/api/driver/tasks', undefined, { signal });
}

export type TaskAction = 'accept' | 'decline' | 'check' | 'depart' | 'return';

export function taskAction(id: number, action: TaskAction, body?: unknown, signal?: AbortSignal): Promise<Task | undefined> {
  return call('POST', `/api/driver/tasks/${id}/${action}`, body ?? {}, { signal });
}

/** phonePositions sends the phone's positions for the vehicle of the driver's running task. */
export function phonePositions(taskID: number, positions: unknown[]): Promise<{ stored: number }> {
  return call('POST', `/api/driver/tasks/${taskID}/positions`, { positions });
}

// ---------- fleet records, reminders, roster ----------

export function vehicleRecords(vehicleID: number, signal?: AbortSignal): Promise<{ items: FleetRecord[] | null }> {
  return call('GET', `/api/vehicles/${vehicleID}/records`, undefined, { signal });
}

export function addRecord(vehicleID: number, body: unknown, signal?: AbortSignal): Promise<{ id: number }> {
  return call('POST', `/api/vehicles/${vehicleID}/records`, body, { signal });
}

export function reminders(days: number, signal?: AbortSignal): Promise<{ items: Reminder[] | null }> {
  return call('GET', `/api/fleet/reminders?days=${days}`, undefined, { signal });
}

export function rosters(from: string, to: string, signal?: AbortSignal): Promise<{ items: Shift[] | null }> {
  return call('GET', `/api/rosters?from=${enc(from)}&to=${enc(to)}`, undefined, { signal });
}

/** myShifts is the signed-in driver's own roster. */
export function myShifts(from: string, to: string, signal?: AbortSignal): Promise<{ items: Shift[] | null }> {
  return call('GET', `/api/rosters/mine?from=${enc(from)}&to=${enc(to)}`, undefined, { signal });
}

export function addShift(body: unknown, signal?: AbortSignal): Promise<{ id: number }> {
  return call('POST', '/api/rosters', body, { signal });
}

export function deleteShift(id: number, signal?: AbortSignal): Promise<void> {
  return call('DELETE', `/api/rosters/${id}`, undefined, { signal });
}
