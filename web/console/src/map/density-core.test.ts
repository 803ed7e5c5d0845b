import { describe, expect, it } from 'vitest';
import { densityOpacity, densityURL, drawableCells, maxOpacity, minOpacity, resForZoom } from './density-core';

describe('resForZoom', () => {
  it('asks for coarse cells when zoomed out', () => {
    expect([3, 9, 10, 11, 12, 13, 14, 18].map(resForZoom)).toEqual([6, 6, 6, 7, 7, 8, 8, 8]);
    expect(densityURL(11)).toBe('/api/live/density?res=7');
  });
});

describe('densityOpacity', () => {
  it('runs from the lightest for one vehicle to the darkest for the busiest cell', () => {
    expect(densityOpacity(1, 20)).toBe(minOpacity);
    expect(densityOpacity(20, 20)).toBe(maxOpacity);
    expect(densityOpacity(1, 1)).toBe(maxOpacity);
  });

  it('grows with the count, faster at first (square root)', () => {
    const o = [1, 2, 5, 10, 20].map((n) => densityOpacity(n, 20));
    for (let i = 1; i < o.length; i++) expect(o[i]).toBeGreaterThan(o[i - 1]);
    expect(densityOpacity(5, 20)).toBeGreaterThan((minOpacity + maxOpacity) / 2 - 0.1);
  });

  it('is 0 for an empty cell and never leaves the range', () => {
    expect(densityOpacity(0, 10)).toBe(0);
    expect(densityOpacity(5, 0)).toBe(0);
    expect(densityOpacity(50, 10)).toBe(maxOpacity);
    expect(densityOpacity(Number.NaN, 10)).toBe(0);
  });
});

describe('drawableCells', () => {
  const hex = [
    [27.8, 114.4],
    [27.81, 114.41],
    [27.8, 114.42],
  ] as [number, number][];
  it('keeps cells with a count and a boundary', () => {
    const cells = drawableCells({
      res: 7,
      cells: [
        { cell: 'a', count: 3, online: 2, boundary: hex },
        { cell: 'b', count: 0, online: 0, boundary: hex },
        { cell: 'c', count: 2, online: 2, boundary: hex.slice(0, 2) },
        { cell: 'd', count: 2, online: 1, boundary: [[999, 0], ...hex.slice(1)] as [number, number][] },
      ],
    });
    expect(cells.map((c) => c.cell)).toEqual(['a']);
  });

  it('copes with a missing or odd answer', () => {
    expect(drawableCells(null)).toEqual([]);
    expect(drawableCells({ res: 6 })).toEqual([]);
    expect(drawableCells({ res: 6, cells: null as never })).toEqual([]);
  });
});
