import { addDays, countyDay, countyOffsetMin, dayStart } from './clock';
import type { Shift } from './types';

// The duty roster as a week grid: one row per driver, one column per county day (Monday first),
// each cell the parts of shifts and 24-hour standbys (24小时轮值) that fall on that day. A standby
// from 08:00 to 08:00 the next day shows in both days' cells. Also: the body of a new shift, and
// the round-robin standby rotation the dispatcher can generate for a span of days.

const dayMs = 86_400_000;

/** weekStart is the Monday of the county week that holds day (YYYY-MM-DD). */
export function weekStart(day: string): string {
  const ms = dayStart(day, 0);
  if (Number.isNaN(ms)) return '';
  const weekday = new Date(ms).getUTCDay(); // 0 Sunday … 6 Saturday
  return addDays(day, -((weekday + 6) % 7));
}

/** weekDays lists the seven days from start. */
export function weekDays(start: string): string[] {
  return Array.from({ length: 7 }, (_, i) => addDays(start, i));
}

/** Segment is the part of one shift inside one day's cell. */
export interface Segment {
  id: number;
  kind: string;
  /** Minutes after the day's midnight, 0–1440. */
  from: number;
  to: number;
  /** The shift began on an earlier day / goes on into a later one. */
  continued: boolean;
  continues: boolean;
  /** "08:00–17:30", with ‹ › where it runs over midnight. */
  label: string;
}

/** RosterRow is one driver's week. */
export interface RosterRow {
  driver_id: number;
  name: string;
  cells: Segment[][];
  /** Hours on the roster this week (standby counted in full). */
  hours: number;
}

/** RosterGrid is the laid-out week. */
export interface RosterGrid {
  days: string[];
  rows: RosterRow[];
  /** How many drivers are on standby on each day (at noon). */
  standby: number[];
}

const hhmm = (min: number) => `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;

/** layoutWeek lays out shifts on the week from start for the given drivers (drivers with no shift included). */
export function layoutWeek(
  drivers: { id: number; name: string }[],
  shifts: Shift[],
  start: string,
  offsetMin = countyOffsetMin,
): RosterGrid {
  const days = weekDays(start);
  const starts = days.map((d) => dayStart(d, offsetMin));
  const rows = new Map<number, RosterRow>();
  for (const d of drivers) rows.set(d.id, { driver_id: d.id, name: d.name, cells: days.map(() => []), hours: 0 });
  const standby = days.map(() => 0);
  const sorted = [...shifts].sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || a.id - b.id);
  for (const s of sorted) {
    const from = Date.parse(s.start);
    const to = Date.parse(s.end);
    if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) continue;
    let row = rows.get(s.driver_id);
    if (!row) {
      row = { driver_id: s.driver_id, name: s.driver || `#${s.driver_id}`, cells: days.map(() => []), hours: 0 };
      rows.set(s.driver_id, row);
    }
    let inWeek = 0;
    starts.forEach((d0, i) => {
      const d1 = d0 + dayMs;
      const a = Math.max(from, d0);
      const b = Math.min(to, d1);
      if (b <= a) return;
      inWeek += b - a;
      const seg: Segment = {
        id: s.id,
        kind: s.kind,
        from: Math.round((a - d0) / 60_000),
        to: Math.round((b - d0) / 60_000),
        continued: from < d0,
        continues: to > d1,
        label: '',
      };
      seg.label = `${seg.continued ? '‹ ' : ''}${hhmm(seg.from)}–${hhmm(seg.to)}${seg.continues ? ' ›' : ''}`;
      row!.cells[i].push(seg);
      if (s.kind === 'standby' && from <= d0 + dayMs / 2 && to > d0 + dayMs / 2) standby[i]++;
    });
    row.hours += inWeek / 3_600_000;
  }
  const list = [...rows.values()];
  for (const r of list) r.hours = Math.round(r.hours * 10) / 10;
  return { days, rows: list, standby };
}

/** ShiftDraft is the add-shift form. */
export interface ShiftDraft {
  driver_id: string;
  day: string;
  from: string; // HH:MM
  to: string; // HH:MM; at or before from: the next day
  kind: string; // shift | standby
}

function minutesOf(hm: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hm.trim());
  if (!m || +m[1] > 23 || +m[2] > 59) return NaN;
  return +m[1] * 60 + +m[2];
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/**
 * shiftBody builds POST /api/rosters. A standby lasts 24 hours from its start; a shift whose end
 * is at or before its start ends the next day (a night shift).
 */
export function shiftBody(d: ShiftDraft, offsetMin = countyOffsetMin): { body: Record<string, unknown>; problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  const driver = Number(d.driver_id);
  if (!d.driver_id || !Number.isInteger(driver) || driver <= 0) problems.driver_id = 'required';
  const day0 = dayStart(d.day, offsetMin);
  if (Number.isNaN(day0)) problems.day = 'required';
  const from = minutesOf(d.from);
  if (Number.isNaN(from)) problems.start = 'invalid';
  const kind = d.kind === 'standby' ? 'standby' : 'shift';
  let to = kind === 'standby' ? from + 24 * 60 : minutesOf(d.to);
  if (kind === 'shift') {
    if (Number.isNaN(to)) problems.end = 'invalid';
    else if (to <= from) to += 24 * 60;
  }
  const ok = !Object.keys(problems).length;
  return {
    body: {
      driver_id: driver,
      start: ok ? iso(day0 + from * 60_000) : '',
      end: ok ? iso(day0 + to * 60_000) : '',
      kind,
    },
    problems,
  };
}

/**
 * rotation proposes a 24-hour standby rotation (24小时轮值): day i of the span goes to driver
 * (first + i) mod n, each standby from changeover on that day to changeover on the next.
 */
export function rotation(
  driverIds: number[],
  fromDay: string,
  days: number,
  changeover = '08:00',
  first = 0,
  offsetMin = countyOffsetMin,
): { driver_id: number; start: string; end: string; kind: 'standby' }[] {
  const at = minutesOf(changeover);
  const day0 = dayStart(fromDay, offsetMin);
  if (!driverIds.length || Number.isNaN(at) || Number.isNaN(day0) || days <= 0) return [];
  const out: { driver_id: number; start: string; end: string; kind: 'standby' }[] = [];
  for (let i = 0; i < Math.min(days, 366); i++) {
    const s = day0 + i * dayMs + at * 60_000;
    out.push({ driver_id: driverIds[(((first + i) % driverIds.length) + driverIds.length) % driverIds.length], start: iso(s), end: iso(s + dayMs), kind: 'standby' });
  }
  return out;
}

/** overlaps tells whether a new entry would overlap one the driver already has. */
export function overlaps(existing: Pick<Shift, 'driver_id' | 'start' | 'end'>[], entry: { driver_id: number; start: string; end: string }): boolean {
  const a = Date.parse(entry.start);
  const b = Date.parse(entry.end);
  return existing.some((s) => s.driver_id === entry.driver_id && Date.parse(s.start) < b && Date.parse(s.end) > a);
}

/** todayCounty is today's county day. */
export function todayCounty(now = Date.now()): string {
  return countyDay(now);
}
