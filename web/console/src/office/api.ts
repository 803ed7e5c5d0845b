import { call, listAll } from '../api';
import type { List } from '../types';
import type {
  Building,
  Clearance,
  Departures,
  HistoryEntry,
  ImportReport,
  Inspection,
  OverStandard,
  Patrol,
  Person,
  Reallocation,
  Reconciliation,
  Repair,
  Room,
  Standard,
  StandardSet,
  UnitOccupancy,
} from './types';

// Every call of the office-space pages to the server (/api/office/...).

const base = '/api/office';

async function items<T>(path: string, signal?: AbortSignal): Promise<T[]> {
  const r = await call<List<T>>('GET', path, undefined, { signal });
  return r?.items ?? [];
}

export function buildings(signal?: AbortSignal): Promise<Building[]> {
  return listAll<Building>(`${base}/buildings`, signal);
}

export function saveBuilding(body: unknown, id: number | null, signal?: AbortSignal): Promise<{ id: number }> {
  return id ? call('PUT', `${base}/buildings/${id}`, body, { signal }) : call('POST', `${base}/buildings`, body, { signal });
}

/** rooms lists rooms with their unit and occupants: one building's, or every one the caller sees. */
export function rooms(buildingId: number | null, signal?: AbortSignal): Promise<Room[]> {
  return roomPages(buildingId ? `building_id=${buildingId}&` : '', signal);
}

/** vacantRooms is the center's pool (no unit, no one in it): what a unit may ask for. Leaders see it too. */
export function vacantRooms(signal?: AbortSignal): Promise<Room[]> {
  return roomPages('vacant=1&', signal);
}

async function roomPages(q: string, signal?: AbortSignal): Promise<Room[]> {
  const out: Room[] = [];
  // Pages of the server's largest size, bounded: a county has some thousands of rooms at most.
  for (let page = 0; page < 20; page++) {
    const r = await call<List<Room>>('GET', `${base}/rooms?${q}limit=1000&offset=${out.length}`, undefined, { signal });
    const got = r?.items ?? [];
    out.push(...got);
    if (!got.length || out.length >= (r?.total ?? 0)) break;
  }
  return out.map((room) => ({ ...room, occupants: room.occupants ?? [] }));
}

export function saveRoom(body: unknown, id: number | null, signal?: AbortSignal): Promise<{ id: number }> {
  return id ? call('PUT', `${base}/rooms/${id}`, body, { signal }) : call('POST', `${base}/rooms`, body, { signal });
}

/** roomHistory is a room's changes, newest first. */
export function roomHistory(id: number, signal?: AbortSignal): Promise<HistoryEntry[]> {
  return items<HistoryEntry>(`${base}/history?room_id=${id}&limit=100`, signal);
}

/** AssignBody puts a room with a unit (unit_id) or an office room with a person (user_id). */
export interface AssignBody {
  room_id: number;
  user_id?: number;
  unit_id?: number;
  post?: string;
  /** A second office for a concurrent post (smaller than the standard; post required). */
  concurrent?: boolean;
  reason?: string;
}

export function assign(body: AssignBody, signal?: AbortSignal): Promise<{ id: number }> {
  return call('POST', `${base}/assignments`, body, { signal });
}

/** release ends an assignment (the person moves out, or the unit hands the room back). */
export function release(assignmentId: number, reason: string, signal?: AbortSignal): Promise<unknown> {
  return call('POST', `${base}/assignments/${assignmentId}/end`, { reason }, { signal });
}

/** people lists who may be put in a room, with their rank. */
export function people(signal?: AbortSignal): Promise<Person[]> {
  return listAll<Person>(`${base}/people`, signal);
}

/** standardSet is the standards table of the county's level. */
export function standardSet(signal?: AbortSignal): Promise<StandardSet> {
  return call<StandardSet>('GET', `${base}/standards`, undefined, { signal });
}

export async function standards(signal?: AbortSignal): Promise<Standard[]> {
  return (await standardSet(signal)).standards ?? [];
}

/** saveStandards replaces the level's table (a rank still held by someone cannot go). */
export function saveStandards(level: string, rows: Standard[], signal?: AbortSignal): Promise<StandardSet> {
  return call('PUT', `${base}/standards`, { level, standards: rows }, { signal });
}

/** occupancy is every unit's occupancy against its standard. */
export function occupancy(signal?: AbortSignal): Promise<UnitOccupancy[]> {
  return items<UnitOccupancy>(`${base}/units`, signal);
}

export async function overStandard(signal?: AbortSignal): Promise<OverStandard> {
  const r = await call<OverStandard>('GET', `${base}/overstandard`, undefined, { signal });
  return { items: r?.items ?? [], unranked: r?.unranked ?? [] };
}

export function reallocations(signal?: AbortSignal): Promise<Reallocation[]> {
  return items<Reallocation>(`${base}/reallocations?limit=200`, signal);
}

export function createReallocation(body: unknown, signal?: AbortSignal): Promise<Reallocation> {
  return call('POST', `${base}/reallocations`, body, { signal });
}

export function clearances(signal?: AbortSignal): Promise<Clearance[]> {
  return items<Clearance>(`${base}/clearances?limit=200`, signal);
}

export function createClearance(body: unknown, signal?: AbortSignal): Promise<Clearance> {
  return call('POST', `${base}/clearances`, body, { signal });
}

/** finishClearance completes (the room goes back to the pool) or cancels a clearance. */
export function finishClearance(id: number, how: 'complete' | 'cancel', note: string, signal?: AbortSignal): Promise<Clearance> {
  return call('POST', `${base}/clearances/${id}/${how}`, { note }, { signal });
}

export async function departures(signal?: AbortSignal): Promise<Departures> {
  const r = await call<Departures>('GET', `${base}/departures?limit=200`, undefined, { signal });
  return { items: r?.items ?? [], total: r?.total, unrecorded: r?.unrecorded ?? [] };
}

export function recordDeparture(body: unknown, signal?: AbortSignal): Promise<unknown> {
  return call('POST', `${base}/departures`, body, { signal });
}

export async function inspections(signal?: AbortSignal): Promise<Inspection[]> {
  const list = await items<Inspection>(`${base}/inspections?limit=100`, signal);
  return list.map((i) => ({ ...i, findings: i.findings ?? [] }));
}

export function createInspection(body: unknown, signal?: AbortSignal): Promise<Inspection> {
  return call('POST', `${base}/inspections`, body, { signal });
}

export function addFinding(inspectionId: number, body: unknown, signal?: AbortSignal): Promise<unknown> {
  return call('POST', `${base}/inspections/${inspectionId}/findings`, body, { signal });
}

/** rectify records what was done about a finding, which closes it. */
export function rectify(findingId: number, rectification: string, signal?: AbortSignal): Promise<unknown> {
  return call('POST', `${base}/findings/${findingId}/rectify`, { rectification }, { signal });
}

export function repairs(signal?: AbortSignal): Promise<Repair[]> {
  return items<Repair>(`${base}/repairs?limit=200`, signal);
}

export function reportRepair(body: unknown, signal?: AbortSignal): Promise<Repair> {
  return call('POST', `${base}/repairs`, body, { signal });
}

/** updateRepair moves a repair on (status) and records its cost. */
export function updateRepair(id: number, body: { status: string; cost?: number | null; note?: string }, signal?: AbortSignal): Promise<Repair> {
  return call('PUT', `${base}/repairs/${id}`, body, { signal });
}

export async function patrols(signal?: AbortSignal): Promise<Patrol[]> {
  const list = await items<Patrol>(`${base}/patrols?limit=200`, signal);
  return list.map((p) => ({ ...p, items: p.items ?? [] }));
}

export function schedulePatrol(body: { building_id: number; scheduled_on: string; checklist?: string[] }, signal?: AbortSignal): Promise<Patrol> {
  return call('POST', `${base}/patrols`, body, { signal });
}

/** PatrolResult records a done patrol: each line ok or not, with the follow-up of what failed. */
export interface PatrolResult {
  inspector: string;
  note: string;
  items: { line: number; ok: boolean; note: string; follow_up: string; deadline: string }[];
}

export function recordPatrol(id: number, body: PatrolResult, signal?: AbortSignal): Promise<Patrol> {
  return call('POST', `${base}/patrols/${id}/result`, body, { signal });
}

export function closeFollowUp(itemId: number, note: string, signal?: AbortSignal): Promise<Patrol> {
  return call('POST', `${base}/patrol-items/${itemId}/follow-up`, { note }, { signal });
}

/** reconcile compares a unit's own ledger (XLSX) with the center's. */
export function reconcile(unitId: number, file: File, signal?: AbortSignal): Promise<Reconciliation> {
  const data = new FormData();
  data.append('file', file, file.name);
  return call<Reconciliation>('POST', `${base}/ledger/reconcile?unit_id=${unitId}`, data, { signal });
}

/** exportURL downloads the ledger as XLSX in the upward-reporting layout. */
export const exportURL = `${base}/ledger.xlsx`;

/** importLedger sends an XLSX ledger; with skipBad the good rows go in even when some are bad. */
export function importLedger(file: File, skipBad: boolean, signal?: AbortSignal): Promise<ImportReport> {
  const data = new FormData();
  data.append('file', file, file.name);
  return call<ImportReport>('POST', `${base}/ledger/import${skipBad ? '?skip_bad=1' : ''}`, data, { signal });
}
