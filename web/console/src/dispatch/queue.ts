import type { QueueAnswer, Request } from './types';

// The dispatcher's request queue (GET /api/dispatch/queue) in five tabs: waiting for approval,
// to assign, assigned, running and late. The server sends the tabs ready-made (or one list); the
// console sorts each tab (emergencies first, then by departure) and moves a request to late
// itself when its time passes, without waiting for the server. A late request is in no other tab.

export const queueTabs = ['pending', 'approved', 'assigned', 'running', 'late'] as const;
export type QueueTab = (typeof queueTabs)[number];

export type Buckets = Record<QueueTab, Request[]>;

/** lateGraceMs is how long past its departure time an assigned request may wait before it shows late. */
export const lateGraceMs = 10 * 60_000;

const waiting = new Set(['submitted', 'pending']);
const booked = new Set(['assigned', 'accepted', 'checked']);
const running = new Set(['departed', 'running']);

/** tabOf is the tab a request belongs in by its status (late aside); null when it left the queue. */
export function tabOf(r: Pick<Request, 'status' | 'priority'>): Exclude<QueueTab, 'late'> | null {
  if (waiting.has(r.status)) return r.priority === 'emergency' ? 'approved' : 'pending';
  if (r.status === 'approved' || r.status === 'declined') return 'approved';
  if (booked.has(r.status)) return 'assigned';
  if (running.has(r.status)) return 'running';
  return null;
}

/** lateMinutes is how many minutes a request is behind (0 when it is not). */
export function lateMinutes(r: Pick<Request, 'status' | 'depart_at' | 'return_at' | 'late'>, now: number): number {
  const depart = Date.parse(r.depart_at);
  const back = Date.parse(r.return_at);
  let behind = 0;
  if (booked.has(r.status) && Number.isFinite(depart) && now > depart + lateGraceMs) behind = now - depart;
  else if (running.has(r.status) && Number.isFinite(back) && now > back) behind = now - back;
  else if ((r.status === 'approved' || waiting.has(r.status)) && Number.isFinite(depart) && now > depart) behind = now - depart;
  const m = Math.floor(behind / 60_000);
  return m > 0 ? m : r.late ? 1 : 0;
}

/** isLate tells whether a request belongs in the late tab. */
export function isLate(r: Request, now: number): boolean {
  return Boolean(r.late) || lateMinutes(r, now) > 0;
}

/** byUrgency orders emergencies first, then by departure time, then by id. */
export function byUrgency(a: Request, b: Request): number {
  const e = Number(b.priority === 'emergency') - Number(a.priority === 'emergency');
  if (e) return e;
  const d = (Date.parse(a.depart_at) || 0) - (Date.parse(b.depart_at) || 0);
  return d || a.id - b.id;
}

/** bucket sorts a queue answer into the five tabs. */
export function bucket(answer: QueueAnswer | null | undefined, now: number): Buckets {
  const out: Buckets = { pending: [], approved: [], assigned: [], running: [], late: [] };
  if (!answer) return out;
  const seen = new Map<QueueTab, Set<number>>(queueTabs.map((t) => [t, new Set<number>()]));
  const put = (tab: QueueTab, r: Request) => {
    const ids = seen.get(tab)!;
    if (ids.has(r.id)) return;
    ids.add(r.id);
    out[tab].push(r);
  };
  const place = (r: Request, given?: QueueTab) => {
    if (given === 'late' || isLate(r, now)) {
      put('late', { ...r, late: true });
      return;
    }
    const tab = given ?? tabOf(r);
    if (tab) put(tab, r);
  };
  if ('items' in answer && Array.isArray(answer.items)) {
    for (const r of answer.items) place(r);
  } else {
    const a = answer as Partial<Record<QueueTab, Request[] | null>>;
    for (const tab of queueTabs) for (const r of a[tab] ?? []) place(r, tab);
  }
  for (const tab of queueTabs) out[tab].sort(byUrgency);
  return out;
}

/** counts is each tab's size. */
export function counts(b: Buckets): Record<QueueTab, number> {
  return Object.fromEntries(queueTabs.map((t) => [t, b[t].length])) as Record<QueueTab, number>;
}

/** assignable tells whether the dispatcher may assign (or reassign) the request. */
export function assignable(r: Pick<Request, 'status' | 'priority'>): boolean {
  const tab = tabOf(r);
  return tab === 'approved' || tab === 'assigned';
}

/** cancellable tells whether the dispatcher may cancel the request (not once the car has left). */
export function cancellable(r: Pick<Request, 'status'>): boolean {
  return waiting.has(r.status) || r.status === 'approved' || r.status === 'declined' || booked.has(r.status);
}

/** routeOf lists a request's places with coordinates, origin first. */
export function routeOf(r: Pick<Request, 'origin' | 'destinations'>): { address: string; lat: number; lng: number; origin: boolean }[] {
  const out: { address: string; lat: number; lng: number; origin: boolean }[] = [];
  const add = (p: Request['origin'] | undefined, origin: boolean) => {
    if (p && typeof p.lat === 'number' && typeof p.lng === 'number' && Number.isFinite(p.lat) && Number.isFinite(p.lng)) {
      out.push({ address: p.address ?? '', lat: p.lat, lng: p.lng, origin });
    }
  };
  add(r.origin, true);
  for (const d of r.destinations ?? []) add(d, false);
  return out;
}
