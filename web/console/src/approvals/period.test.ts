import { describe, expect, it } from 'vitest';
import { between, countyDate, nextDay, presets, summaryQuery, summaryRows, totals } from './period';

describe('periods', () => {
  it('takes the county date, not the UTC one', () => {
    // 2025-06-30 17:00 UTC is already 1 July in the county.
    expect(countyDate(new Date('2025-06-30T17:00:00Z'))).toEqual({ y: 2025, m: 7, d: 1 });
  });

  it('covers whole county days', () => {
    expect(between('2025-01-01', '2025-06-30')).toMatchObject({ from: '2025-01-01T00:00:00+08:00', to: '2025-07-01T00:00:00+08:00' });
    expect(nextDay('2024-02-28')).toBe('2024-02-29');
    expect(nextDay('2025-12-31')).toBe('2026-01-01');
  });

  it('offers this and the previous half-year, this and last year', () => {
    const spring = presets(new Date('2025-03-10T04:00:00Z'));
    expect(spring.map((p) => `${p.key}:${p.fromDate}..${p.toDate}`)).toEqual([
      'thisHalf:2025-01-01..2025-06-30',
      'lastHalf:2024-07-01..2024-12-31',
      'thisYear:2025-01-01..2025-12-31',
      'lastYear:2024-01-01..2024-12-31',
    ]);
    const autumn = presets(new Date('2025-09-10T04:00:00Z'));
    expect(autumn.slice(0, 2).map((p) => `${p.fromDate}..${p.toDate}`)).toEqual(['2025-07-01..2025-12-31', '2025-01-01..2025-06-30']);
  });

  it('builds the summary query, XLSX too', () => {
    const p = between('2025-01-01', '2025-06-30');
    expect(summaryQuery(p)).toBe('from=2025-01-01T00%3A00%3A00%2B08%3A00&to=2025-07-01T00%3A00%3A00%2B08%3A00');
    expect(summaryQuery(p, 'xlsx')).toMatch(/&format=xlsx$/);
  });
});

describe('summaryRows', () => {
  it('reads rows, orders them by unit, kind and status, and totals them', () => {
    const rows = summaryRows({
      rows: [
        { unit_name: '财政局', kind: 'goods', status: 'pending', count: 1, amount: 2400 },
        { unit_name: '财政局', kind: 'goods', status: 'approved', count: 2, amount: 100.1 },
        { unit_id: 9, kind: 'vehicle_renewal', status: 'approved', count: 1, amount: 118000 },
      ],
    });
    expect(rows.map((r) => `${r.unit}/${r.kind}/${r.status}`)).toEqual(['#9/vehicle_renewal/approved', '财政局/goods/approved', '财政局/goods/pending']);
    expect(totals(rows)).toEqual({ count: 4, amount: 120500.1 });
  });
  it('groups the requests of the summary by unit, kind and status', () => {
    const rows = summaryRows({
      period: '2025-01-01 至 2025-06-30',
      total: { count: 3, amount: 3300.3 },
      requests: [
        { id: 1, unit: '财政局', kind: 'goods', status: 'approved', amount: 3300.1 },
        { id: 2, unit: '财政局', kind: 'goods', status: 'approved', amount: 0.2 },
        { id: 3, unit: '县委办', kind: 'vehicle_renewal', status: 'pending', amount: 118000 },
      ],
    });
    // Units in pinyin order: 财 (cai) before 县 (xian).
    expect(rows).toEqual([
      { unit: '财政局', kind: 'goods', status: 'approved', count: 2, amount: 3300.3 },
      { unit: '县委办', kind: 'vehicle_renewal', status: 'pending', count: 1, amount: 118000 },
    ]);
  });
  it('takes items too, and nothing from nonsense', () => {
    expect(summaryRows({ items: [{ unit: 'A', kind: 'k', status: 's', n: 2, total_amount: '5' }] })).toEqual([{ unit: 'A', kind: 'k', status: 's', count: 2, amount: 5 }]);
    expect(summaryRows(null)).toEqual([]);
  });
});
