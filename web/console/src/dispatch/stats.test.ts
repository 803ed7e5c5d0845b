import { describe, expect, it } from 'vitest';
import { countyTime, fixed, isGrouping, percent, periods, playbackHref, readStats, signedKm, statsQuery, tally, tripsQuery } from './stats';

describe('trip statistics periods', () => {
  it('offers the half-years, years and this and last month in the county calendar', () => {
    // 2026-07-31 20:00 UTC is 1 August 04:00 in the county.
    const ps = periods(new Date('2026-07-31T20:00:00Z'));
    const byKey = Object.fromEntries(ps.map((p) => [p.key, `${p.fromDate}..${p.toDate}`]));
    expect(byKey.thisHalf).toBe('2026-07-01..2026-12-31');
    expect(byKey.lastHalf).toBe('2026-01-01..2026-06-30');
    expect(byKey.thisMonth).toBe('2026-08-01..2026-08-31');
    expect(byKey.lastMonth).toBe('2026-07-01..2026-07-31');
    expect(ps[0].key).toBe('thisHalf');
  });

  it('takes January back to last December, and knows February', () => {
    const ps = periods(new Date('2028-01-15T00:00:00Z'));
    expect(ps.find((p) => p.key === 'lastMonth')?.toDate).toBe('2027-12-31');
    const feb = periods(new Date('2028-02-10T00:00:00Z')).find((p) => p.key === 'thisMonth');
    expect(feb?.toDate).toBe('2028-02-29');
  });

  it('builds the queries with dates and the grouping', () => {
    const p = { fromDate: '2026-07-01', toDate: '2026-12-31' };
    expect(statsQuery(p, 'vehicle')).toBe('from=2026-07-01&to=2026-12-31&by=vehicle');
    expect(statsQuery(p)).toBe('from=2026-07-01&to=2026-12-31');
    expect(tripsQuery(p, 50)).toBe('from=2026-07-01&to=2026-12-31&flagged=1&limit=50');
    expect(isGrouping('unit')).toBe(true);
    expect(isGrouping('week')).toBe(false);
    expect(isGrouping(null)).toBe(false);
  });
});

describe('trip statistics answers', () => {
  it('reads an answer and fills what is missing', () => {
    const s = readStats({
      period: '2026-07-01 至 2026-07-31',
      by: 'vehicle',
      working_h: 230,
      threshold: { share: 0.15, min_km: 3 },
      total: { key: 'total', trips: 3, gps_km: 38.1, utilisation: 0.0021 },
      rows: [{ key: '7', name: '赣K60002', trips: 2, utilisation: null }],
      summary: { trips: 3, km: 38, hours: 1.1, zh: '共出车3批次', en: '3 trips' },
    });
    expect(s.total.trips).toBe(3);
    expect(s.total.odometer_km).toBe(0);
    expect(s.rows[0].utilisation).toBeNull();
    expect(s.rows[0].name).toBe('赣K60002');
    expect(s.summary.zh).toBe('共出车3批次');
    expect(readStats(null).rows).toEqual([]);
    expect(tally({ key: '2026-07' }).name).toBe('2026-07');
  });

  it('prints figures for people', () => {
    expect(percent(0.153)).toBe('15.3%');
    expect(percent(0.15, 0)).toBe('15%');
    expect(percent(0)).toBe('0%');
    expect(percent(null)).toBe('—');
    expect(signedKm(11.97)).toBe('+12');
    expect(signedKm(-4.04)).toBe('−4');
    expect(fixed(12345.67, 1, 'en')).toBe('12,345.7');
    expect(countyTime('2026-06-30T15:50:00Z')).toBe('2026-06-30 23:50');
    expect(playbackHref({ vehicle_id: 7, departed_at: '2026-07-01T01:00:00Z', returned_at: '2026-07-01T02:00:00Z' })).toBe(
      '/playback?vehicle=7&from=2026-07-01T01%3A00%3A00Z&to=2026-07-01T02%3A00%3A00Z',
    );
  });
});
