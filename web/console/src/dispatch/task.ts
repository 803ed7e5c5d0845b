import { parseNumber } from '../approvals/form';
import type { Task } from './types';

// A driver's task as the phone page runs it: which step it is at (offered → check → ready to go
// → running → done), which tasks are current, upcoming or history, the ending's body (odometer,
// fuel or charge, by the vehicle's energy), and whether the phone should report positions.

export type Stage = 'offer' | 'check' | 'ready' | 'running' | 'done' | 'gone';

const doneStatuses = new Set(['returned', 'completed']);
const goneStatuses = new Set(['declined', 'cancelled', 'reassigned', 'rejected', 'withdrawn']);

/** stageOf is the step a task is at. */
export function stageOf(t: Pick<Task, 'status' | 'checked_at' | 'check'>): Stage {
  switch (t.status) {
    case 'assigned':
      return 'offer';
    case 'accepted':
      return t.check || t.checked_at ? 'ready' : 'check';
    case 'checked':
      return 'ready';
    case 'departed':
    case 'running':
      return 'running';
    default:
      if (doneStatuses.has(t.status)) return 'done';
      if (goneStatuses.has(t.status)) return 'gone';
      return 'offer';
  }
}

/** isOpen tells a task still to run (offered, accepted, running). */
export function isOpen(t: Pick<Task, 'status' | 'checked_at' | 'check'>): boolean {
  const s = stageOf(t);
  return s !== 'done' && s !== 'gone';
}

/** Sorted splits tasks into the one to act on now, the upcoming ones and the history. */
export interface Sorted {
  current: Task | null;
  upcoming: Task[];
  history: Task[];
}

/**
 * sortTasks: the current task is the running one, else the open one departing soonest; the
 * upcoming ones follow by departure; history is newest first.
 */
export function sortTasks(tasks: Task[]): Sorted {
  const byDepart = (a: Task, b: Task) => (Date.parse(a.depart_at) || 0) - (Date.parse(b.depart_at) || 0) || a.id - b.id;
  const open = tasks.filter(isOpen).sort(byDepart);
  const running = open.find((t) => stageOf(t) === 'running') ?? null;
  const current = running ?? open[0] ?? null;
  return {
    current,
    upcoming: open.filter((t) => t !== current),
    history: tasks.filter((t) => !isOpen(t)).sort((a, b) => byDepart(b, a)),
  };
}

/** mergeTask puts a task pushed over the websocket into the list (newer replaces older). */
export function mergeTask(tasks: Task[], t: Task): Task[] {
  const i = tasks.findIndex((x) => x.id === t.id);
  if (i < 0) return [...tasks, t];
  const old = tasks[i];
  if (old.updated_at && t.updated_at && Date.parse(t.updated_at) < Date.parse(old.updated_at)) return tasks;
  const next = [...tasks];
  next[i] = { ...old, ...t };
  return next;
}

/** isNewOffer tells whether a pushed task is one the driver has not seen offered yet (ring for it). */
export function isNewOffer(before: Task[], t: Task): boolean {
  if (stageOf(t) !== 'offer') return false;
  const old = before.find((x) => x.id === t.id);
  return !old || stageOf(old) !== 'offer';
}

/** Fuel the vehicle's energy says to ask for. */
export function fuelFields(energy: string | undefined): { fuel: boolean; charge: boolean } {
  switch (energy) {
    case 'electric':
      return { fuel: false, charge: true };
    case 'plugin_hybrid':
      return { fuel: true, charge: true };
    case 'gasoline':
    case 'diesel':
    case 'hybrid':
      return { fuel: true, charge: false };
    default:
      return { fuel: true, charge: true };
  }
}

/** EndDraft is the end-of-trip form as typed. */
export interface EndDraft {
  odometer_km: string;
  fuel_l: string;
  charge_kwh: string;
}

/** endBody builds POST /api/driver/tasks/{id}/return; the odometer must not go backwards. */
export function endBody(d: EndDraft, energy: string | undefined, startKm?: number | null): { body: Record<string, number>; problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  const body: Record<string, number> = {};
  const odo = parseNumber(d.odometer_km);
  if (d.odometer_km.trim() === '') problems.odometer_km = 'required';
  else if (!Number.isFinite(odo) || odo < 0 || odo > 9_999_999) problems.odometer_km = 'invalid';
  else if (typeof startKm === 'number' && odo < startKm) problems.odometer_km = 'backwards';
  else body.odometer_km = odo;
  const want = fuelFields(energy);
  const opt = (name: 'fuel_l' | 'charge_kwh', on: boolean) => {
    const raw = d[name].trim();
    if (!on || raw === '') return;
    const n = parseNumber(raw);
    if (!Number.isFinite(n) || n < 0 || n > 10_000) problems[name] = 'invalid';
    else body[name] = n;
  };
  opt('fuel_l', want.fuel);
  opt('charge_kwh', want.charge);
  return { body, problems };
}

/** reportsPosition tells whether the phone should send positions for a running task (the server says the vehicle has no terminal). */
export function reportsPosition(t: Pick<Task, 'status' | 'checked_at' | 'check' | 'has_terminal'>): boolean {
  return stageOf(t) === 'running' && t.has_terminal === false;
}
