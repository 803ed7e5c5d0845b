import { describe, expect, it } from 'vitest';
import { addMonths, lastMonth, num, perCapitaRanking, share, signed, stackByKind } from './format';
import type { TrendPoint, UnitYear } from './types';

describe('numbers', () => {
  it('groups thousands with fixed decimals', () => {
    expect(num(1140)).toBe('1,140.00');
    expect(num(0.1827766, 4)).toBe('0.1828');
    expect(num(null)).toBe('—');
    expect(share(0.20833)).toBe('20.8%');
    expect(signed(200.19)).toBe('+200.2%');
    expect(signed(-5)).toBe('-5.0%');
  });
});

describe('months', () => {
  it('moves across years', () => {
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2025-12', 1)).toBe('2026-01');
    expect(addMonths('2026-03', -24)).toBe('2024-03');
  });
  it('takes the county month: 31 March 17:00 UTC is already April in Shanghai', () => {
    expect(lastMonth(new Date('2026-03-31T17:00:00Z'))).toBe('2026-03');
    expect(lastMonth(new Date('2026-03-31T15:00:00Z'))).toBe('2026-02');
  });
});

describe('charts', () => {
  it('stacks the kinds in the total, leaving out water, PV and empty kinds', () => {
    const p = (e: number, g: number): TrendPoint => ({
      month: '2026-01',
      tce: e + g,
      co2_kg: 0,
      vehicle_tce: 0,
      by_kind: {
        electricity: { amount: 1, uom: 'kWh', tce: e, co2_kg: 0, vehicle_amount: 0 },
        gasoline: { amount: 1, uom: 'kg', tce: g, co2_kg: 0, vehicle_amount: 0 },
        water: { amount: 9, uom: 'm3', tce: 0, co2_kg: 0, vehicle_amount: 0 },
      },
    });
    const s = stackByKind([p(1.5, 0.25), p(2, 0)]);
    expect(s.map((x) => x.kind)).toEqual(['electricity', 'gasoline']);
    expect(s[0].data).toEqual([1.5, 2]);
  });
  it('ranks units by kgce per person', () => {
    const u = (name: string, v: number | null): UnitYear => ({ unit_name: name, annual_per_capita_kgce: v, per_capita_met: v === null ? null : v < 300 }) as UnitYear;
    expect(perCapitaRanking([u('甲', 100), u('乙', null), u('丙', 400)]).map((r) => r.name)).toEqual(['丙', '甲']);
  });
});

describe('county times', () => {
  it('reads and writes datetime-local values in UTC+8', async () => {
    const { countyInput, fromCountyInput } = await import('./format');
    expect(countyInput(new Date('2026-02-28T16:00:00Z'))).toBe('2026-03-01T00:00');
    expect(fromCountyInput('2026-03-01T00:00')).toBe('2026-03-01T00:00:00+08:00');
    expect(fromCountyInput('2026-03-01')).toBe('');
  });
});
