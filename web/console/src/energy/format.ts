import type { Kind, TrendPoint, UnitYear } from './types';

// Numbers and months of the energy pages, without the DOM.

/** num prints a figure with thousands separators and a fixed number of decimals; "—" for null. */
export function num(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** pct prints a share (0..1) as a percentage. */
export function share(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined ? '—' : `${num(v * 100, digits)}%`;
}

/** signed prints a change in % with its sign. */
export function signed(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  return `${v > 0 ? '+' : ''}${num(v, 1)}%`;
}

/** monthOf is the county month (YYYY-MM) of an instant. */
export function monthOf(d: Date, zone = 'Asia/Shanghai'): string {
  return d.toLocaleDateString('sv-SE', { timeZone: zone }).slice(0, 7);
}

/** addMonths moves a YYYY-MM month by n months. */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const i = y * 12 + (m - 1) + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

/** lastMonth is the month before the one of now: the one a monthly report is usually about. */
export function lastMonth(now = new Date()): string {
  return addMonths(monthOf(now), -1);
}

/** stackByKind turns a trend into one tce series per kind that counts in the total (for a stacked chart). */
export function stackByKind(points: TrendPoint[]): { kind: Kind; data: number[] }[] {
  const counted: Kind[] = ['electricity', 'natural_gas', 'heat', 'gasoline', 'diesel'];
  return counted
    .map((kind) => ({ kind, data: points.map((p) => round(p.by_kind[kind]?.tce ?? 0, 4)) }))
    .filter((s) => s.data.some((v) => v > 0));
}

/** perCapitaRanking lists the units with a headcount by annual kgce per person, highest first. */
export function perCapitaRanking(units: UnitYear[]): { name: string; value: number; met: boolean | null }[] {
  return units
    .filter((u) => u.annual_per_capita_kgce !== null)
    .map((u) => ({ name: u.unit_name, value: u.annual_per_capita_kgce as number, met: u.per_capita_met }))
    .sort((a, b) => b.value - a.value);
}

function round(v: number, d: number): number {
  const p = 10 ** d;
  return Math.round(v * p) / p;
}

/** countyInput is an instant as a datetime-local value in the county (UTC+8, no daylight time). */
export function countyInput(d: Date): string {
  return d.toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai', hour12: false }).slice(0, 16).replace(' ', 'T');
}

/** fromCountyInput reads a datetime-local value as county time, as RFC 3339 ("" when empty or bad). */
export function fromCountyInput(v: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v) ? `${v}:00+08:00` : '';
}

/** monthStartInput is the first instant of a month in the county, as a datetime-local value. */
export function monthStartInput(month: string): string {
  return `${month}-01T00:00`;
}
