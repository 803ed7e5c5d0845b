import { parseNumber } from '../approvals/form';
import { countyDay, dayStart } from './clock';
import type { Reminder } from './types';

// Fleet records and their reminders without the DOM: the body of a new maintenance, repair,
// insurance, inspection or disinfection record, and the reminders (insurance, annual inspection,
// maintenance, licence expiry) sorted and marked overdue / due this week / later.

/** RecordDraft is the add-record form. */
export interface RecordDraft {
  kind: string;
  date: string; // YYYY-MM-DD
  due_date: string;
  cost: string;
  odometer_km: string;
  note: string;
}

/** isDay tells a real calendar day "YYYY-MM-DD" (not 2026-13-01 or 2026-02-30). */
const isDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && countyDay(dayStart(s, 0), 0) === s;

/** emptyRecord starts a record of kind dated today. */
export function emptyRecord(kind = 'maintenance', now = Date.now()): RecordDraft {
  return { kind, date: countyDay(now), due_date: '', cost: '', odometer_km: '', note: '' };
}

/** recordBody builds POST /api/vehicles/{id}/records. */
export function recordBody(d: RecordDraft): { body: Record<string, unknown>; problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  if (!d.kind) problems.kind = 'required';
  if (!d.date) problems.date = 'required';
  else if (!isDay(d.date)) problems.date = 'invalid';
  const body: Record<string, unknown> = { kind: d.kind, date: d.date };
  if (d.due_date) {
    if (!isDay(d.due_date)) problems.due_date = 'invalid';
    else if (isDay(d.date) && d.due_date < d.date) problems.due_date = 'before_date';
    body.due_date = d.due_date;
  }
  const num = (name: 'cost' | 'odometer_km') => {
    const raw = d[name].trim();
    if (!raw) return;
    const n = parseNumber(raw);
    if (!Number.isFinite(n) || n < 0) problems[name] = 'invalid';
    else body[name] = n;
  };
  num('cost');
  num('odometer_km');
  const note = d.note.trim();
  if (note) body.note = note;
  return { body, problems };
}

export type Urgency = 'overdue' | 'soon' | 'later';

/** dueOf is a reminder's due day (YYYY-MM-DD). */
export function dueOf(r: Reminder): string {
  return (r.due_date || '').slice(0, 10);
}

/** daysLeft counts county days from today to the due day (negative: overdue). */
export function daysLeft(r: Reminder, now: number): number {
  if (typeof r.days_left === 'number' && Number.isFinite(r.days_left)) return r.days_left;
  const due = dayStart(dueOf(r), 0);
  const today = dayStart(countyDay(now), 0);
  if (Number.isNaN(due)) return 0;
  return Math.round((due - today) / 86_400_000);
}

/** urgencyOf: overdue, due within a week, or later. */
export function urgencyOf(r: Reminder, now: number): Urgency {
  const d = daysLeft(r, now);
  if (r.overdue || d < 0) return 'overdue';
  return d <= 7 ? 'soon' : 'later';
}

/** sortReminders orders the most urgent first. */
export function sortReminders(list: Reminder[] | null | undefined, now: number): Reminder[] {
  return [...(list ?? [])].sort((a, b) => daysLeft(a, now) - daysLeft(b, now) || (a.name ?? '').localeCompare(b.name ?? ''));
}

/** tally counts reminders by urgency. */
export function tally(list: Reminder[], now: number): Record<Urgency, number> {
  const out: Record<Urgency, number> = { overdue: 0, soon: 0, later: 0 };
  for (const r of list) out[urgencyOf(r, now)]++;
  return out;
}
