import { describe, expect, it } from 'vitest';
import { countStates, infoByVehicle, matcher, noFilter, noUnit, unitScope, type VehicleInfo } from './filter';
import type { LiveVehicle } from './state';

const v = (id: number, plate: string, state = 'idle', alarm = 0): LiveVehicle => ({
  vehicle_id: id,
  plate,
  lat: 27.8,
  lng: 114.4,
  speed_kmh: 0,
  course: 0,
  fixed_at: '2026-03-01T01:00:00Z',
  online: state !== 'offline',
  state,
  alarm,
});

// Units: 1 county office ← 2 its motor pool ← 3 a garage; 4 the police bureau.
const units = [
  { id: 1, parent_id: null },
  { id: 2, parent_id: 1 },
  { id: 3, parent_id: 2 },
  { id: 4, parent_id: null },
];
const info = new Map<number, VehicleInfo>([
  [1, { unit_id: 1, class: 'general' }],
  [2, { unit_id: 3, class: 'general' }],
  [3, { unit_id: 4, class: 'law_enforcement' }],
  [4, { unit_id: null, class: 'emergency' }],
]);
const fleet = [v(1, '赣C10001', 'idle'), v(2, '赣C10002', 'moving'), v(3, '赣C20003', 'on_task'), v(4, '赣C20004', 'offline', 2), v(5, '赣C30005', 'moving')];
const ids = (f: Partial<typeof noFilter>) => {
  const m = matcher({ ...noFilter, ...f }, units);
  return fleet.filter((x) => m(x, info.get(x.vehicle_id))).map((x) => x.vehicle_id);
};

describe('unitScope', () => {
  it('covers a unit and every unit under it', () => {
    expect([...unitScope(units, '1')!].sort()).toEqual([1, 2, 3]);
    expect([...unitScope(units, '2')!].sort()).toEqual([2, 3]);
    expect([...unitScope(units, '4')!]).toEqual([4]);
    expect(unitScope(units, '')).toBeNull();
    expect(unitScope(units, noUnit)).toBeNull();
  });

  it('survives a cycle', () => {
    expect([...unitScope([{ id: 1, parent_id: 2 }, { id: 2, parent_id: 1 }], '1')!].sort()).toEqual([1, 2]);
  });
});

describe('matcher', () => {
  it('lets everything through with no filter', () => {
    expect(ids({})).toEqual([1, 2, 3, 4, 5]);
  });

  it('filters by plate', () => {
    expect(ids({ query: 'c2' })).toEqual([3, 4]);
  });

  it('filters by unit, sub-units included', () => {
    expect(ids({ unit: '1' })).toEqual([1, 2]);
    expect(ids({ unit: '3' })).toEqual([2]);
    expect(ids({ unit: '4' })).toEqual([3]);
    expect(ids({ unit: noUnit })).toEqual([4]);
  });

  it('filters by class', () => {
    expect(ids({ cls: 'general' })).toEqual([1, 2]);
    expect(ids({ cls: 'emergency' })).toEqual([4]);
  });

  it('filters by the state the marker shows, alarm bits winning', () => {
    expect(ids({ state: 'moving' })).toEqual([2, 5]);
    expect(ids({ state: 'alarm' })).toEqual([4]);
    expect(ids({ state: 'offline' })).toEqual([]);
  });

  it('combines the filters', () => {
    expect(ids({ unit: '1', state: 'moving' })).toEqual([2]);
    expect(ids({ cls: 'general', query: '10001' })).toEqual([1]);
  });

  it('a vehicle /api/vehicles did not describe passes only while unit and class are on all', () => {
    expect(ids({ state: 'moving' })).toContain(5);
    expect(ids({ unit: '1' })).not.toContain(5);
    expect(ids({ unit: noUnit })).not.toContain(5);
    expect(ids({ cls: 'general' })).not.toContain(5);
  });

  it('can leave the state out, for the counts per state', () => {
    const m = matcher({ ...noFilter, state: 'idle' });
    expect(m(fleet[1], info.get(2))).toBe(false);
    expect(m(fleet[1], info.get(2), true)).toBe(true);
  });
});

describe('countStates', () => {
  it('counts every state, zero included', () => {
    expect(countStates(fleet)).toEqual({ idle: 1, on_task: 1, moving: 2, offline: 0, alarm: 1 });
    expect(countStates([])).toEqual({ idle: 0, on_task: 0, moving: 0, offline: 0, alarm: 0 });
  });
});

describe('infoByVehicle', () => {
  it('indexes /api/vehicles items by id', () => {
    const m = infoByVehicle([{ id: 7, unit_id: 2, class: 'general', unit_name: '车队' }]);
    expect(m.get(7)).toEqual({ unit_id: 2, unit_name: '车队', class: 'general' });
  });
});
