import { describe, expect, it } from 'vitest';
import { breakdown, candidateVehicles, formatScore, rankCandidates, savedShare } from './candidates';

describe('score breakdown', () => {
  it('reads parts with codes and costs, and plain sentences', () => {
    expect(
      breakdown([{ code: 'distance', cost: 1.234, detail: '2.1 km' }, '本单位车辆优先', { name: 'fairness', value: 0.5, label: '本月任务少' }]),
    ).toEqual([
      { code: 'distance', text: '2.1 km', value: 1.234, detail: '' },
      { code: '', text: '本单位车辆优先', value: null, detail: '' },
      { code: 'fairness', text: '本月任务少', value: 0.5, detail: '' },
    ]);
  });
  it('reads a map of part → cost', () => {
    expect(breakdown({ distance: 2, new_energy: -0.5, note: 'ok' })).toEqual([
      { code: 'distance', text: 'distance', value: 2, detail: '' },
      { code: 'new_energy', text: 'new_energy', value: -0.5, detail: '' },
      { code: 'note', text: 'note', value: null, detail: 'ok' },
    ]);
    expect(breakdown(null)).toEqual([]);
  });
  it('formats scores briefly', () => {
    expect([formatScore(1.2345), formatScore(3), formatScore(-0.001), formatScore(undefined)]).toEqual(['1.23', '3', '0', '—']);
  });
  it('numbers candidates in the server’s order, once each, and finds each vehicle’s best rank', () => {
    const ranked = rankCandidates([
      { vehicle_id: 7, driver_id: 1, score: 9 },
      { vehicle_id: 8, driver_id: 2, score: 8 },
      { vehicle_id: 7, driver_id: 1, score: 9 },
      { vehicle_id: 7, driver_id: 3, score: 7 },
    ]);
    expect(ranked.map((c) => [c.rank, c.key])).toEqual([
      [1, '7:1'],
      [2, '8:2'],
      [3, '7:3'],
    ]);
    expect([...candidateVehicles(ranked)]).toEqual([
      [7, 1],
      [8, 2],
    ]);
  });
});

describe('auto-assign summary', () => {
  it('says how much the minimum-cost assignment saves against greedy', () => {
    expect(savedShare({ total_cost: 80, greedy_cost: 100 })).toBeCloseTo(0.2);
    expect(savedShare({ total_cost: 100, greedy_cost: 100 })).toBe(0);
    expect(savedShare({ total_cost: 5, greedy_cost: 0 })).toBe(0);
    expect(savedShare({})).toBe(0);
  });
});
