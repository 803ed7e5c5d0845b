import { between, countyDate, presets as halfYearPresets, type Period } from '../approvals/period';

// Trip accounting (GET /api/dispatch/stats, /api/dispatch/trips, /api/dispatch/stats.xlsx): the
// periods offered, the queries, and the answers read defensively. A trip (出车批次) is one
// vehicle and driver out and back; a merged trip counts once. Km and hours are the GPS track's.

/** Groupings of the statistics, in tab order. */
export const groupings = ['month', 'day', 'vehicle', 'driver', 'unit'] as const;
export type Grouping = (typeof groupings)[number];

/** isGrouping tells a grouping from any other text (an address's ?by=). */
export function isGrouping(s: string | null): s is Grouping {
  return (groupings as readonly string[]).includes(s ?? '');
}

const pad = (n: number) => String(n).padStart(2, '0');

/** periods offers this and last month, then the half-years and years of the procurement summary. */
export function periods(now: Date): Period[] {
  const { y, m } = countyDate(now);
  const monthOf = (year: number, month: number, key: string): Period => {
    const last = new Date(Date.UTC(year, month, 0)).getUTCDate(); // day 0 of the next month
    return between(`${year}-${pad(month)}-01`, `${year}-${pad(month)}-${pad(last)}`, key);
  };
  const prev = m === 1 ? monthOf(y - 1, 12, 'lastMonth') : monthOf(y, m - 1, 'lastMonth');
  return [...halfYearPresets(now), monthOf(y, m, 'thisMonth'), prev];
}

/** statsQuery is the query string of the statistics (or the workbook) for a period and grouping. */
export function statsQuery(p: Pick<Period, 'fromDate' | 'toDate'>, by?: Grouping): string {
  const q = new URLSearchParams({ from: p.fromDate, to: p.toDate });
  if (by) q.set('by', by);
  return q.toString();
}

/** tripsQuery is the query string of the flagged trips of a period. */
export function tripsQuery(p: Pick<Period, 'fromDate' | 'toDate'>, limit = 200): string {
  return new URLSearchParams({ from: p.fromDate, to: p.toDate, flagged: '1', limit: String(limit) }).toString();
}

/** Tally is one row of the statistics. */
export interface Tally {
  key: string;
  name: string;
  trips: number;
  merged: number;
  requests: number;
  gps_km: number;
  odometer_km: number;
  drive_h: number;
  task_h: number;
  fuel_l: number;
  charge_kwh: number;
  untracked: number;
  flagged: number;
  utilisation: number | null;
}

export interface Summary {
  trips: number;
  km: number;
  hours: number;
  untracked: number;
  zh: string;
  en: string;
}

export interface Stats {
  period: string;
  by: string;
  working_h: number;
  threshold: { share: number; min_km: number };
  total: Tally;
  rows: Tally[];
  summary: Summary;
}

/** Trip is one trip of the flagged list. */
export interface Trip {
  task_id: number;
  vehicle_id: number;
  plate: string;
  driver: string;
  units: { id: number; name: string }[];
  purpose: string;
  merged: boolean;
  departed_at: string;
  returned_at: string;
  gps_km: number | null;
  odometer_km: number | null;
  discrepancy: { km: number; share: number | null; flagged: boolean } | null;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : Number(v) || 0);
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/** tally reads one row of the answer. */
export function tally(v: unknown): Tally {
  const r = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
  const u = r.utilisation;
  return {
    key: str(r.key),
    name: str(r.name ?? r.key),
    trips: num(r.trips),
    merged: num(r.merged),
    requests: num(r.requests),
    gps_km: num(r.gps_km),
    odometer_km: num(r.odometer_km),
    drive_h: num(r.drive_h),
    task_h: num(r.task_h),
    fuel_l: num(r.fuel_l),
    charge_kwh: num(r.charge_kwh),
    untracked: num(r.untracked),
    flagged: num(r.flagged),
    utilisation: typeof u === 'number' && Number.isFinite(u) ? u : null,
  };
}

/** readStats reads the statistics answer; missing parts read as empty. */
export function readStats(body: unknown): Stats {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const s = (b.summary && typeof b.summary === 'object' ? b.summary : {}) as Record<string, unknown>;
  const th = (b.threshold && typeof b.threshold === 'object' ? b.threshold : {}) as Record<string, unknown>;
  return {
    period: str(b.period),
    by: str(b.by),
    working_h: num(b.working_h),
    threshold: { share: num(th.share), min_km: num(th.min_km) },
    total: tally(b.total),
    rows: Array.isArray(b.rows) ? b.rows.map(tally) : [],
    summary: { trips: num(s.trips), km: num(s.km), hours: num(s.hours), untracked: num(s.untracked), zh: str(s.zh), en: str(s.en) },
  };
}

/** fixed prints a number with at most `digits` decimals and the language's grouping: 1,234.5. */
export function fixed(x: number, digits = 1, lang = 'zh-CN'): string {
  return x.toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** percent prints a share (0.153) as 15.3%; a missing share as —. */
export function percent(share: number | null, digits = 1): string {
  if (share === null) return '—';
  return `${(Math.round(share * 100 * 10 ** digits) / 10 ** digits).toFixed(digits).replace(/\.0+$/, '')}%`;
}

/** signedKm prints a discrepancy: +12.3 or −4. */
export function signedKm(km: number): string {
  const v = Math.round(km * 10) / 10;
  return `${v > 0 ? '+' : v < 0 ? '−' : ''}${Math.abs(v)}`;
}

/** countyTime prints an instant as the county's date and time: 2026-07-01 09:30. */
export function countyTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const local = new Date(at.getTime() + 8 * 3600 * 1000);
  return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
}

/** playbackHref opens the trip's track on the playback page. */
export function playbackHref(tr: Pick<Trip, 'vehicle_id' | 'departed_at' | 'returned_at'>): string {
  const q = new URLSearchParams({ vehicle: String(tr.vehicle_id), from: tr.departed_at, to: tr.returned_at });
  return `/playback?${q.toString()}`;
}
