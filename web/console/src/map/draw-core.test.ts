import { describe, expect, it } from 'vitest';
import { setCRS, shown } from './crs';
import { fenceInput, fenceProblems, fieldsOf, openRing, stored, type FenceInput } from './draw-core';

const fields = { name: ' 县政府停车场 ', kind: 'parking', speed: '', vehicle: '' };

describe('openRing', () => {
  it('drops repeated points and the closing point', () => {
    expect(
      openRing([
        [1, 1],
        [1, 2],
        [1, 2],
        [2, 2],
        [1, 1],
      ]),
    ).toEqual([
      [1, 1],
      [1, 2],
      [2, 2],
    ]);
  });
});

describe('stored', () => {
  it('is shown() undone, to about a millimetre', () => {
    setCRS('gcj02');
    try {
      const [lat, lng] = shown(27.81234, 114.41234);
      const [bLat, bLng] = stored(lat, lng);
      expect(Math.abs(bLat - 27.81234)).toBeLessThan(1e-8);
      expect(Math.abs(bLng - 114.41234)).toBeLessThan(1e-8);
    } finally {
      setCRS('wgs84');
    }
    expect(stored(27.8, 114.4)).toEqual([27.8, 114.4]);
  });
});

describe('fenceInput', () => {
  it('builds a circle in WGS-84 with the radius in metres', () => {
    expect(fenceInput(fields, { shape: 'circle', center: [27.812345678, 114.41], radiusM: 150.04 })).toEqual({
      name: '县政府停车场',
      kind: 'parking',
      shape: 'circle',
      center: { lat: 27.8123457, lng: 114.41 },
      radius_m: 150,
      speed_limit_kmh: null,
      vehicle_id: null,
    });
  });

  it('builds an open polygon ring', () => {
    const body = fenceInput(
      { name: '学校', kind: 'area', speed: '30', vehicle: '7' },
      {
        shape: 'polygon',
        points: [
          [27.8, 114.4],
          [27.81, 114.4],
          [27.81, 114.41],
          [27.8, 114.4],
        ],
      },
    );
    expect(body).toEqual({
      name: '学校',
      kind: 'area',
      shape: 'polygon',
      polygon: [
        [27.8, 114.4],
        [27.81, 114.4],
        [27.81, 114.41],
      ],
      speed_limit_kmh: 30,
      vehicle_id: null, // only a parking point is designated for a vehicle
    });
  });

  it('undoes the GCJ-02 display shift', () => {
    setCRS('gcj02');
    try {
      const [lat, lng] = shown(27.8, 114.4);
      const body = fenceInput(fields, { shape: 'circle', center: [lat, lng], radiusM: 100 });
      expect(body.center).toEqual({ lat: 27.8, lng: 114.4 });
    } finally {
      setCRS('wgs84');
    }
  });

  it('designates a parking point for a vehicle', () => {
    expect(fenceInput({ ...fields, vehicle: '12' }, { shape: 'circle', center: [27.8, 114.4], radiusM: 50 }).vehicle_id).toBe(12);
  });
});

describe('fenceProblems', () => {
  const circle = (over: Partial<FenceInput>): FenceInput => ({ name: 'a', kind: 'area', shape: 'circle', center: { lat: 27.8, lng: 114.4 }, radius_m: 100, speed_limit_kmh: null, vehicle_id: null, ...over });
  it('accepts a good fence', () => {
    expect(fenceProblems(circle({}))).toEqual({});
  });
  it('names the fields the server would refuse', () => {
    expect(fenceProblems(circle({ name: '' }))).toEqual({ name: 'required' });
    expect(fenceProblems(circle({ name: '长'.repeat(101) }))).toEqual({ name: 'too_long' });
    expect(fenceProblems(circle({ radius_m: 0 }))).toEqual({ radius_m: 'out_of_range' });
    expect(fenceProblems(circle({ radius_m: 100_001 }))).toEqual({ radius_m: 'out_of_range' });
    expect(fenceProblems(circle({ speed_limit_kmh: 4 }))).toEqual({ speed_limit_kmh: 'out_of_range' });
    expect(fenceProblems(circle({ speed_limit_kmh: Number.NaN }))).toEqual({ speed_limit_kmh: 'out_of_range' });
    expect(fenceProblems({ ...circle({}), shape: 'polygon', polygon: [[1, 1], [1, 2]] })).toEqual({ polygon: 'too_short' });
  });
});

describe('fieldsOf', () => {
  it('fills the form from a fence', () => {
    expect(fieldsOf({ name: 'P1', kind: 'parking', speed_limit_kmh: null, vehicle_id: 3 })).toEqual({ name: 'P1', kind: 'parking', speed: '', vehicle: '3' });
    expect(fieldsOf({ name: 'A', kind: 'area', speed_limit_kmh: 40 })).toEqual({ name: 'A', kind: 'area', speed: '40', vehicle: '' });
  });
});
