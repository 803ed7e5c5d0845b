// The live picture of the fleet as the map page keeps it: vehicles by id, merged from
// /api/live and the /ws frames. Everything here is pure, so it is unit-tested without a map.

/** LiveVehicle is one vehicle's latest fix, as /api/live and /ws send it. */
export interface LiveVehicle {
  vehicle_id: number;
  plate: string;
  lat: number;
  lng: number;
  speed_kmh: number;
  course: number;
  fixed_at: string;
  online: boolean;
  state: string; // offline, alarm, on_task, moving (without a task), idle
  alarm: number; // JT/T 808 alarm bits; non-zero means an alarm is raised
  task_id?: number | null; // the dispatch task the vehicle is on, if any
}

/** LiveEvent is an alarm, overspeed, geofence or misuse event. */
export interface LiveEvent {
  id: number;
  vehicle_id: number;
  type: string;
  started_at: string;
  ended_at: string | null;
  lat: number;
  lng: number;
  detail: unknown;
  ack_at: string | null;
  note: string;
}

/** ServerMessage is one frame from /ws. */
export type ServerMessage =
  | { type: 'snapshot'; vehicles: LiveVehicle[] }
  | { type: 'positions'; items: LiveVehicle[] }
  | { type: 'event'; event: LiveEvent }
  | { type: 'error'; message: string };

/** Outcome says what a frame changed, so the page redraws only that. */
export type Outcome =
  | { kind: 'vehicles'; changed: number[]; removed: number[] }
  | { kind: 'event'; event: LiveEvent }
  | { kind: 'error'; message: string }
  | { kind: 'ignored' };

export type Fleet = Map<number, LiveVehicle>;

export const eventTypes = [
  'alarm',
  'overspeed',
  'geofence_enter',
  'geofence_exit',
  'online',
  'offline',
  'misuse_no_task',
  'misuse_off_hours',
  'misuse_out_of_area',
  'misuse_overnight_parking',
] as const;

/** displayStates are the states a marker shows, in legend order. */
export const displayStates = ['idle', 'on_task', 'moving', 'offline', 'alarm'] as const;
export type DisplayState = (typeof displayStates)[number];

/**
 * displayState is what the marker shows: raised alarm bits win over every state the server
 * sends; an unknown state reads as offline. moving means moving without a task, which a
 * dispatcher must notice (possible private use of an official vehicle).
 */
export function displayState(v: Pick<LiveVehicle, 'state' | 'alarm'>): DisplayState {
  if (v.alarm) return 'alarm';
  return (displayStates as readonly string[]).includes(v.state) ? (v.state as DisplayState) : 'offline';
}

/** stateColours: on a task green, idle blue, moving without a task amber, offline grey, alarm red. */
export const stateColours: Record<DisplayState, string> = {
  idle: '#0d6efd',
  on_task: '#1e7b45',
  moving: '#f08c00',
  offline: '#8a94a3',
  alarm: '#d32f2f',
};

/** headingShown tells whether the marker gets a course arrow: the vehicle is under way. */
export function headingShown(v: Pick<LiveVehicle, 'state' | 'speed_kmh'>): boolean {
  return v.state === 'moving' || (v.state !== 'offline' && v.state !== 'idle' && v.speed_kmh > 5);
}

/** colourOf is the marker colour of a vehicle. */
export function colourOf(v: Pick<LiveVehicle, 'state' | 'alarm'>): string {
  return stateColours[displayState(v)];
}

function valid(v: unknown): v is LiveVehicle {
  const x = v as LiveVehicle | null;
  return !!x && typeof x.vehicle_id === 'number' && Number.isFinite(x.lat) && Number.isFinite(x.lng);
}

/** merge puts items into fleet, returning the ids whose entry changed. */
export function merge(fleet: Fleet, items: readonly unknown[] | null | undefined): number[] {
  const changed: number[] = [];
  for (const it of items ?? []) {
    if (!valid(it)) continue;
    const old = fleet.get(it.vehicle_id);
    const next = old ? { ...old, ...it } : { ...it };
    // The server leaves task_id out when there is no task: a full item (one with a state)
    // without it means the task is over, not "unchanged".
    if (typeof it.state === 'string' && it.task_id == null) delete next.task_id;
    if (old && same(old, next)) continue;
    fleet.set(it.vehicle_id, next);
    changed.push(it.vehicle_id);
  }
  return changed;
}

function same(a: LiveVehicle, b: LiveVehicle): boolean {
  return (
    a.lat === b.lat &&
    a.lng === b.lng &&
    a.speed_kmh === b.speed_kmh &&
    a.course === b.course &&
    a.fixed_at === b.fixed_at &&
    a.online === b.online &&
    a.state === b.state &&
    a.alarm === b.alarm &&
    (a.task_id ?? null) === (b.task_id ?? null) &&
    a.plate === b.plate
  );
}

/** replaceAll makes fleet hold exactly items (a snapshot), reporting changes and removals. */
export function replaceAll(fleet: Fleet, items: readonly unknown[] | null | undefined): { changed: number[]; removed: number[] } {
  const keep = new Set<number>();
  for (const it of items ?? []) if (valid(it)) keep.add(it.vehicle_id);
  const removed = [...fleet.keys()].filter((id) => !keep.has(id));
  for (const id of removed) fleet.delete(id);
  return { changed: merge(fleet, items), removed };
}

/** parseMessage decodes a /ws text frame; null when it is not JSON or has no type. */
export function parseMessage(data: unknown): ServerMessage | null {
  if (typeof data !== 'string') return null;
  try {
    const m = JSON.parse(data) as { type?: unknown };
    return m && typeof m.type === 'string' ? (m as ServerMessage) : null;
  } catch {
    return null;
  }
}

/** applyMessage folds one /ws frame into fleet. */
export function applyMessage(fleet: Fleet, m: ServerMessage | null): Outcome {
  switch (m?.type) {
    case 'snapshot':
      return { kind: 'vehicles', ...replaceAll(fleet, m.vehicles) };
    case 'positions':
      return { kind: 'vehicles', changed: merge(fleet, m.items), removed: [] };
    case 'event':
      return m.event && typeof m.event.id === 'number' ? { kind: 'event', event: m.event } : { kind: 'ignored' };
    case 'error':
      return { kind: 'error', message: String(m.message ?? '') };
    default:
      return { kind: 'ignored' };
  }
}

/** matchesPlate tells whether a plate fits the search box (case- and space-insensitive). */
export function matchesPlate(plate: string, query: string): boolean {
  const q = query.replace(/\s+/g, '').toUpperCase();
  return !q || plate.replace(/\s+/g, '').toUpperCase().includes(q);
}

/** byPlate orders vehicles for the side list. */
export function byPlate(a: LiveVehicle, b: LiveVehicle): number {
  return a.plate.localeCompare(b.plate, 'zh-CN') || a.vehicle_id - b.vehicle_id;
}

/** headingTriangle gives the triangle's three corners in pixels around centre (x, y) for course (degrees, 0 = north). */
export function headingTriangle(x: number, y: number, course: number, r = 7): [number, number][] {
  const a = (course * Math.PI) / 180;
  const dx = Math.sin(a);
  const dy = -Math.cos(a); // screen y grows downwards
  const tip = r + 7;
  const base = r + 1;
  const half = 4;
  return [
    [x + dx * tip, y + dy * tip],
    [x + dx * base - dy * half, y + dy * base + dx * half],
    [x + dx * base + dy * half, y + dy * base - dx * half],
  ];
}
