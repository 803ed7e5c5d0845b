// Report periods for the purchase-request summary (公务用车更新购置申请汇总表 is sent upward per
// half-year). Calendar dates are the county's (Asia/Shanghai, UTC+8 all year: no daylight saving).

const countyOffset = '+08:00';
const offsetMs = 8 * 3600 * 1000;

/** Period is [from, to) as RFC 3339 times, and the dates it covers for the date inputs. */
export interface Period {
  key: string;
  from: string;
  to: string;
  /** First day, YYYY-MM-DD. */
  fromDate: string;
  /** Last day (inclusive), YYYY-MM-DD. */
  toDate: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** countyDate is the county's calendar date of an instant. */
export function countyDate(at: Date): { y: number; m: number; d: number } {
  const local = new Date(at.getTime() + offsetMs);
  return { y: local.getUTCFullYear(), m: local.getUTCMonth() + 1, d: local.getUTCDate() };
}

/** dayStart is midnight of a county date as RFC 3339. */
export function dayStart(date: string): string {
  return `${date}T00:00:00${countyOffset}`;
}

/** nextDay is the date after YYYY-MM-DD. */
export function nextDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const n = new Date(Date.UTC(y, m - 1, d + 1));
  return `${n.getUTCFullYear()}-${pad(n.getUTCMonth() + 1)}-${pad(n.getUTCDate())}`;
}

/** between is the period of whole county days fromDate..toDate (both inclusive). */
export function between(fromDate: string, toDate: string, key = 'custom'): Period {
  return { key, from: dayStart(fromDate), to: dayStart(nextDay(toDate)), fromDate, toDate };
}

/** presets are the periods the summary offers: this and last half-year, this and last year. */
export function presets(now: Date): Period[] {
  const { y, m } = countyDate(now);
  const h1 = (year: number, key: string) => between(`${year}-01-01`, `${year}-06-30`, key);
  const h2 = (year: number, key: string) => between(`${year}-07-01`, `${year}-12-31`, key);
  const thisHalf = m <= 6 ? h1(y, 'thisHalf') : h2(y, 'thisHalf');
  const lastHalf = m <= 6 ? h2(y - 1, 'lastHalf') : h1(y, 'lastHalf');
  return [thisHalf, lastHalf, between(`${y}-01-01`, `${y}-12-31`, 'thisYear'), between(`${y - 1}-01-01`, `${y - 1}-12-31`, 'lastYear')];
}

/** summaryQuery is the query string of GET /api/procurements/summary for a period. */
export function summaryQuery(p: Pick<Period, 'from' | 'to'>, format?: 'xlsx'): string {
  const q = new URLSearchParams({ from: p.from, to: p.to });
  if (format) q.set('format', format);
  return q.toString();
}

/** SummaryRow is one line of the summary: requests of a unit, kind and status. */
export interface SummaryRow {
  unit: string;
  kind: string;
  status: string;
  count: number;
  amount: number;
}

/**
 * summaryRows reads the summary answer into unit × kind × status lines, ordered by unit, kind and
 * status: from its requests ({"requests":[{unit, kind, status, amount}…]}) when it lists them, else
 * from ready-made rows ({"rows":[…]} or {"items":[…]}).
 */
export function summaryRows(body: unknown): SummaryRow[] {
  const b = body as { rows?: unknown; items?: unknown; requests?: unknown } | unknown[] | null;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : Number(v) || 0);
  const unitOf = (r: Record<string, unknown>) => String(r.unit_name ?? r.unit ?? (r.unit_id ? `#${r.unit_id}` : ''));
  let rows: SummaryRow[];
  if (!Array.isArray(b) && Array.isArray(b?.requests)) {
    const groups = new Map<string, SummaryRow & { fen: number }>();
    for (const r of b.requests as Record<string, unknown>[]) {
      if (!r || typeof r !== 'object') continue;
      const row = { unit: unitOf(r), kind: String(r.kind ?? ''), status: String(r.status ?? '') };
      const key = `${row.unit}\u0000${row.kind}\u0000${row.status}`;
      const g = groups.get(key) ?? { ...row, count: 0, amount: 0, fen: 0 };
      g.count++;
      g.fen += Math.round(num(r.amount) * 100);
      g.amount = g.fen / 100;
      groups.set(key, g);
    }
    rows = [...groups.values()].map(({ fen: _fen, ...r }) => r);
  } else {
    const list = Array.isArray(b) ? b : Array.isArray(b?.rows) ? b.rows : Array.isArray(b?.items) ? b.items : [];
    rows = (list as Record<string, unknown>[])
      .filter((r) => r && typeof r === 'object')
      .map((r) => ({ unit: unitOf(r), kind: String(r.kind ?? ''), status: String(r.status ?? ''), count: num(r.count ?? r.n), amount: num(r.amount ?? r.total_amount) }));
  }
  return rows.sort((a, b) => a.unit.localeCompare(b.unit, 'zh-CN') || a.kind.localeCompare(b.kind) || a.status.localeCompare(b.status));
}

/** totals adds up rows. */
export function totals(rows: SummaryRow[]): { count: number; amount: number } {
  return rows.reduce((s, r) => ({ count: s.count + r.count, amount: Math.round((s.amount + r.amount) * 100) / 100 }), { count: 0, amount: 0 });
}
