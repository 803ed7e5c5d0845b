// County time for forms: a datetime-local input holds the county's wall-clock time (the console
// shows every time in the county's zone, see time.ts), and the server takes UTC RFC 3339.
// Asia/Shanghai keeps +08:00 all year, so a fixed offset is exact.

/** countyOffsetMin is the county's offset from UTC in minutes. */
export const countyOffsetMin = 8 * 60;

const pad = (n: number) => String(n).padStart(2, '0');

/** inputToISO reads "2026-05-01T08:30" as county time and returns UTC RFC 3339; '' when unreadable. */
export function inputToISO(value: string, offsetMin = countyOffsetMin): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return '';
  const [, y, mo, d, hh, mi, ss] = m;
  const ms = Date.UTC(+y, +mo - 1, +d, +hh, +mi, +(ss ?? 0)) - offsetMin * 60_000;
  const date = new Date(ms);
  if (Number.isNaN(ms) || date.getUTCFullYear() > 9999) return '';
  return date.toISOString().replace('.000Z', 'Z');
}

/** isoToInput shows a UTC time as a datetime-local value in county time ("" for none). */
export function isoToInput(iso: string | null | undefined, offsetMin = countyOffsetMin): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const d = new Date(ms + offsetMin * 60_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** countyDay is the county's calendar day (YYYY-MM-DD) of a moment. */
export function countyDay(ms: number, offsetMin = countyOffsetMin): string {
  const d = new Date(ms + offsetMin * 60_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** dayStart is the UTC moment (ms) a county day "YYYY-MM-DD" begins; NaN when unreadable. */
export function dayStart(day: string, offsetMin = countyOffsetMin): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return NaN;
  return Date.UTC(+m[1], +m[2] - 1, +m[3]) - offsetMin * 60_000;
}

/** addDays moves a county day by n days. */
export function addDays(day: string, n: number): string {
  const ms = dayStart(day, 0);
  return Number.isNaN(ms) ? '' : countyDay(ms + n * 86_400_000, 0);
}

/** clockTime shows a moment's county hour and minute, "08:30". */
export function clockTime(iso: string | null | undefined, offsetMin = countyOffsetMin): string {
  const v = isoToInput(iso, offsetMin);
  return v ? v.slice(11) : '';
}

/** shortTime shows a moment as "05-01 08:30" in county time, the year only when not this year's. */
export function shortTime(iso: string | null | undefined, now = Date.now(), offsetMin = countyOffsetMin): string {
  const v = isoToInput(iso, offsetMin);
  if (!v) return '';
  const sameYear = v.slice(0, 4) === countyDay(now, offsetMin).slice(0, 4);
  return `${sameYear ? v.slice(5, 10) : v.slice(0, 10)} ${v.slice(11)}`;
}
