import { describe, expect, it } from 'vitest';
import { gcj02ToWgs84, picked, setCRS, shown, wgs84ToGcj02 } from './crs';

describe('WGS-84 → GCJ-02', () => {
  it('reproduces the published reference point to 1e-9', () => {
    const [lat, lng] = wgs84ToGcj02(39.915, 116.404);
    expect(Math.abs(lng - 116.41024449916938)).toBeLessThan(1e-9);
    expect(Math.abs(lat - 39.91640428150164)).toBeLessThan(1e-9);
  });
  it('leaves points outside China unchanged', () => {
    expect(wgs84ToGcj02(51.5074, -0.1278)).toEqual([51.5074, -0.1278]);
  });
  it('shifts for display only when the tiles are GCJ-02', () => {
    setCRS('wgs84');
    expect(shown(27.8, 114.4)).toEqual([27.8, 114.4]);
    setCRS('gcj02');
    expect(shown(27.8, 114.4)).not.toEqual([27.8, 114.4]);
    setCRS('wgs84');
  });
});

describe('GCJ-02 → WGS-84', () => {
  it('inverts the shift to within a centimetre', () => {
    for (const [lat, lng] of [
      [27.8, 114.4],
      [39.915, 116.404],
      [22.3, 113.9],
    ]) {
      const [gLat, gLng] = wgs84ToGcj02(lat, lng);
      const [bLat, bLng] = gcj02ToWgs84(gLat, gLng);
      expect(Math.abs(bLat - lat)).toBeLessThan(1e-7);
      expect(Math.abs(bLng - lng)).toBeLessThan(1e-7);
    }
  });
  it('turns a clicked point back into WGS-84 only on GCJ-02 tiles', () => {
    setCRS('gcj02');
    const [lat, lng] = picked(...shown(27.8, 114.4));
    expect(Math.abs(lat - 27.8) + Math.abs(lng - 114.4)).toBeLessThan(1e-7);
    setCRS('wgs84');
    expect(picked(27.8, 114.4)).toEqual([27.8, 114.4]);
  });
});
