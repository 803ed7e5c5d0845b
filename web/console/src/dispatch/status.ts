import type { Request, RequestEvent } from './types';

// A request's lifecycle as the applicant follows it: draft → submitted → approved → assigned →
// accepted → departed → completed (the driver's return completes it), or cancelled / rejected on
// the way. The progress strip (with the times the request's own timestamps give), the history,
// and what the applicant may still do.

/** lifecycle is the happy path the progress strip shows. */
export const lifecycle = ['submitted', 'approved', 'assigned', 'accepted', 'departed', 'completed'] as const;

/** endedEarly are the statuses that stop a request before completion. */
export const endedEarly = new Set(['cancelled', 'rejected', 'withdrawn']);

/** Tone colours a status badge. */
export type Tone = 'info' | 'ok' | 'warn' | 'bad' | 'grey' | 'run';

const tones: Record<string, Tone> = {
  draft: 'grey',
  submitted: 'info',
  pending: 'info',
  approved: 'info',
  assigned: 'warn',
  accepted: 'ok',
  checked: 'ok',
  departed: 'run',
  running: 'run',
  returned: 'ok',
  completed: 'ok',
  cancelled: 'grey',
  withdrawn: 'grey',
  rejected: 'bad',
  declined: 'bad',
  reassigned: 'grey',
};

/** toneOf is the colour of a request or task status. */
export function toneOf(status: string): Tone {
  return tones[status] ?? 'grey';
}

/** Stage is one step of the progress strip. */
export interface Stage {
  status: string;
  state: 'done' | 'current' | 'todo';
  at?: string;
}

/** stageIndex is how far along the happy path a status is (-1 for a draft or one that ended early). */
export function stageIndex(status: string): number {
  if (status === 'pending') return 0;
  if (status === 'checked') return lifecycle.indexOf('accepted');
  if (status === 'returned') return lifecycle.indexOf('completed');
  return (lifecycle as readonly string[]).indexOf(status);
}

/**
 * eventsOf is a request's history: the one the server sends, else one made of its timestamps
 * (submitted_at, approved_at, the task's departure and return, completed_at, cancelled_at).
 */
export function eventsOf(r: Partial<Pick<Request, 'history' | 'events' | 'submitted_at' | 'approved_at' | 'completed_at' | 'cancelled_at' | 'created_at' | 'task' | 'status' | 'cancel_reason'>>): RequestEvent[] {
  const given = r.history ?? r.events;
  if (given?.length) return sortEvents(given);
  const out: RequestEvent[] = [];
  const add = (status: string, at: string | null | undefined, note?: string) => {
    if (at) out.push({ status, at, note });
  };
  add('submitted', r.submitted_at);
  add('approved', r.approved_at);
  add('departed', r.task?.departed_at);
  add('completed', r.completed_at ?? r.task?.returned_at);
  add(r.status === 'rejected' ? 'rejected' : 'cancelled', r.cancelled_at, r.cancel_reason);
  return sortEvents(out);
}

/**
 * progress lays out the strip: steps before the current one done, the current one current,
 * the rest to do. A request that ended early keeps the steps it reached and marks nothing current.
 * Each step carries the time it was reached when the history says.
 */
export function progress(r: Pick<Request, 'status'> & Partial<Request>): Stage[] {
  const hist = eventsOf(r);
  const reachedAt = new Map<string, string>();
  for (const e of hist) {
    const s = e.status ?? '';
    if (s && !reachedAt.has(s)) reachedAt.set(s, e.at);
  }
  let current = stageIndex(r.status);
  let ended = false;
  if (current < 0 && endedEarly.has(r.status)) {
    ended = true;
    // The furthest step the history shows it reached.
    current = -1;
    for (const e of hist) current = Math.max(current, stageIndex(e.status ?? ''));
  }
  return lifecycle.map((s, i) => ({
    status: s,
    state: i < current || (ended && i === current) || (i === current && s === 'completed') ? 'done' : i === current ? 'current' : 'todo',
    at: reachedAt.get(s),
  }));
}

/** sortEvents orders a history oldest first, whatever order it came in. */
export function sortEvents(events: readonly RequestEvent[] | null | undefined): RequestEvent[] {
  return [...(events ?? [])]
    .map((e, i) => ({ e, i, ms: Date.parse(e.at) || 0 }))
    .sort((a, b) => a.ms - b.ms || a.i - b.i)
    .map((x) => x.e);
}

/** ApplicantMay lists what the applicant may do with their request now. */
export interface ApplicantMay {
  cancel: boolean;
  rate: boolean;
}

/** applicantMay: cancel until the car has left; rate once the trip is back and not yet rated. */
export function applicantMay(r: Pick<Request, 'status' | 'rating'>): ApplicantMay {
  const s = r.status;
  return {
    cancel: ['draft', 'submitted', 'pending', 'approved', 'assigned', 'accepted', 'checked'].includes(s),
    rate: (s === 'returned' || s === 'completed') && !starsOf(r.rating),
  };
}

/** starsOf reads a rating given as {"stars"} or as a bare number; 0 for none. */
export function starsOf(rating: Request['rating'] | number | undefined): number {
  if (typeof rating === 'number') return rating;
  return rating?.stars ?? 0;
}

/** assignment picks the plate, driver and phone from the request or its task. */
export function assignment(r: Request): { plate: string; driver: string; phone: string } | null {
  const plate = r.plate || r.task?.plate || '';
  const driver = r.driver || r.task?.driver || '';
  const phone = r.driver_phone || r.task?.driver_phone || '';
  if (!plate && !driver) return null;
  if (['submitted', 'pending', 'approved', 'draft', 'rejected', 'cancelled', 'withdrawn'].includes(r.status)) return null;
  return { plate, driver, phone };
}
