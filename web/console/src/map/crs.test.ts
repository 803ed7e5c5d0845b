import { describe, expect, it } from 'vitest';
import { setCRS, shown, wgs84ToGcj02 } from './crs';

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
