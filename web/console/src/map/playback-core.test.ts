import { describe, expect, it } from 'vitest';
import {
  bandColours,
  bandLabel,
  bandLimits,
  colouredRuns,
  eventGroup,
  lerpAngle,
  localInput,
  lowerBound,
  positionAt,
  presetPeriod,
  speedBand,
  summarize,
  timesOf,
  toleranceFor,
  type Stop,
  type TrackPoint,
  type Trip,
} from './playback-core';

const pt = (fixedAt: string, lat: number, lng: number, speed: number, course = 0): TrackPoint => ({
  lat,
  lng,
  speed_kmh: speed,
  course,
  altitude: 0,
  acc: true,
  alarm: 0,
  fixed_at: fixedAt,
});

describe('speed bands', () => {
  it('puts each speed in its band, a limit in the band above', () => {
    const cases: [number, number][] = [
      [0, 0],
      [19.9, 0],
      [20, 1],
      [39, 1],
      [40, 2],
      [59.5, 2],
      [60, 3],
      [80, 4],
      [99.9, 4],
      [100, 5],
      [180, 5],
    ];
    for (const [kmh, want] of cases) expect(speedBand(kmh), `${kmh} km/h`).toBe(want);
  });

  it('has a colour and a label for every band', () => {
    expect(bandColours).toHaveLength(bandLimits.length + 1);
    expect([0, 1, 2, 3, 4, 5].map(bandLabel)).toEqual(['<20', '20–40', '40–60', '60–80', '80–100', '≥100']);
  });
});

describe('colouredRuns', () => {
  it('gives no run for fewer than two points', () => {
    expect(colouredRuns([])).toEqual([]);
    expect(colouredRuns([{ speed_kmh: 50 }])).toEqual([]);
  });

  it('groups steps by the band of their mean speed, sharing boundary points', () => {
    const speeds = [10, 10, 30, 50, 50, 50, 120, 130];
    // steps: 10 (0), 20 (1), 40 (2), 50 (2), 50 (2), 85 (4), 125 (5)
    const runs = colouredRuns(speeds.map((speed_kmh) => ({ speed_kmh })));
    expect(runs).toEqual([
      { band: 0, from: 0, to: 1 },
      { band: 1, from: 1, to: 2 },
      { band: 2, from: 2, to: 5 },
      { band: 4, from: 5, to: 6 },
      { band: 5, from: 6, to: 7 },
    ]);
  });

  it('keeps a steady drive as one run covering every point', () => {
    const runs = colouredRuns(Array.from({ length: 100 }, () => ({ speed_kmh: 45 })));
    expect(runs).toEqual([{ band: 2, from: 0, to: 99 }]);
  });
});

describe('lowerBound', () => {
  const times = [10, 20, 20, 30];
  it('finds the first time at or after t', () => {
    expect(lowerBound(times, 5)).toBe(0);
    expect(lowerBound(times, 10)).toBe(0);
    expect(lowerBound(times, 15)).toBe(1);
    expect(lowerBound(times, 20)).toBe(1);
    expect(lowerBound(times, 25)).toBe(3);
    expect(lowerBound(times, 31)).toBe(4);
    expect(lowerBound([], 1)).toBe(0);
  });
});

describe('positionAt', () => {
  const points = [
    pt('2026-03-01T00:00:00Z', 27.8, 114.4, 0, 350),
    pt('2026-03-01T00:00:10Z', 27.81, 114.42, 40, 10),
    pt('2026-03-01T00:00:30Z', 27.83, 114.42, 60, 90),
  ];
  const times = timesOf(points);
  const t0 = Date.parse('2026-03-01T00:00:00Z');

  it('is null for an empty track', () => {
    expect(positionAt([], [], t0)).toBeNull();
  });

  it('clamps to the first and last point', () => {
    expect(positionAt(points, times, t0 - 5000)).toMatchObject({ lat: 27.8, lng: 114.4, speedKmh: 0, index: 0 });
    expect(positionAt(points, times, t0 + 60_000)).toMatchObject({ lat: 27.83, lng: 114.42, speedKmh: 60, index: 2 });
  });

  it('returns a point itself at its time', () => {
    expect(positionAt(points, times, t0 + 10_000)).toEqual({ lat: 27.81, lng: 114.42, speedKmh: 40, course: 10, index: 1 });
  });

  it('interpolates position, speed and course linearly between the points either side', () => {
    const mid = positionAt(points, times, t0 + 5000)!;
    expect(mid.index).toBe(0);
    expect(mid.lat).toBeCloseTo(27.805, 9);
    expect(mid.lng).toBeCloseTo(114.41, 9);
    expect(mid.speedKmh).toBeCloseTo(20, 9);
    expect(mid.course).toBeCloseTo(0, 9); // 350° → 10° turns through north

    const q = positionAt(points, times, t0 + 15_000)!; // a quarter of the 20 s step
    expect(q.index).toBe(1);
    expect(q.lat).toBeCloseTo(27.815, 9);
    expect(q.speedKmh).toBeCloseTo(45, 9);
    expect(q.course).toBeCloseTo(30, 9);
  });

  it('does not divide by zero on two points with the same time', () => {
    const same = [pt('2026-03-01T00:00:00Z', 1, 1, 0), pt('2026-03-01T00:00:00Z', 2, 2, 0), pt('2026-03-01T00:00:10Z', 3, 3, 0)];
    const p = positionAt(same, timesOf(same), t0 + 5000)!;
    expect(p.lat).toBeCloseTo(2.5, 9);
    expect(Number.isFinite(positionAt(same, timesOf(same), t0)!.lat)).toBe(true);
  });
});

describe('lerpAngle', () => {
  it('turns the short way round', () => {
    expect(lerpAngle(0, 90, 0.5)).toBeCloseTo(45, 9);
    expect(lerpAngle(350, 10, 0.5)).toBeCloseTo(0, 9);
    expect(lerpAngle(10, 350, 0.25)).toBeCloseTo(5, 9);
    expect(lerpAngle(270, 0, 0.5)).toBeCloseTo(315, 9);
    expect(lerpAngle(120, 120, 0.7)).toBeCloseTo(120, 9);
  });
});

describe('summarize', () => {
  const trip = (km: number, drivingS: number, maxKmh: number): Trip => ({
    start_at: '2026-03-01T00:00:00Z',
    end_at: '2026-03-01T01:00:00Z',
    distance_km: km,
    duration_s: drivingS + 60,
    driving_s: drivingS,
    max_speed_kmh: maxKmh,
    avg_speed_kmh: 0,
    start: { lat: 0, lng: 0 },
    end: { lat: 0, lng: 0 },
    open: false,
  });
  const stop = (s: number): Stop => ({ start_at: '', end_at: '', duration_s: s, lat: 0, lng: 0, open: false });

  it('adds up distance, driving and stopped time, and takes the top speed', () => {
    expect(summarize([trip(12.34, 1200, 72), trip(3.03, 600, 95.5)], [stop(900), stop(300)])).toEqual({
      km: 15.4,
      trips: 2,
      drivingS: 1800,
      maxKmh: 95.5,
      stops: 2,
      stoppedS: 1200,
    });
  });

  it('is all zero for an empty period', () => {
    expect(summarize([], [])).toEqual({ km: 0, trips: 0, drivingS: 0, maxKmh: 0, stops: 0, stoppedS: 0 });
  });
});

describe('eventGroup', () => {
  it('marks alarms, overspeed and every misuse kind, nothing else', () => {
    expect(eventGroup('alarm')).toBe('alarm');
    expect(eventGroup('overspeed')).toBe('overspeed');
    expect(eventGroup('misuse_no_task')).toBe('misuse');
    expect(eventGroup('misuse_overnight_parking')).toBe('misuse');
    expect(eventGroup('geofence_enter')).toBeNull();
    expect(eventGroup('online')).toBeNull();
  });
});

describe('periods', () => {
  const now = new Date(2026, 2, 15, 14, 37, 12); // 15 March 2026, 14:37:12 local time

  it('today runs from local midnight to now', () => {
    const p = presetPeriod('today', now);
    expect(p.from).toEqual(new Date(2026, 2, 15));
    expect(p.to).toEqual(now);
  });

  it('yesterday is the whole previous day', () => {
    const p = presetPeriod('yesterday', now);
    expect(p.from).toEqual(new Date(2026, 2, 14));
    expect(p.to).toEqual(new Date(2026, 2, 15));
    const first = presetPeriod('yesterday', new Date(2026, 2, 1, 8));
    expect(first.from).toEqual(new Date(2026, 1, 28));
  });

  it('the last 24 hours end now', () => {
    const p = presetPeriod('last24h', now);
    expect(p.to.getTime() - p.from.getTime()).toBe(24 * 3600 * 1000);
    expect(p.to).toEqual(now);
  });

  it('formats for a datetime-local input and reads back the same minute', () => {
    expect(localInput(now)).toBe('2026-03-15T14:37');
    expect(localInput(new Date(2026, 0, 5, 3, 4))).toBe('2026-01-05T03:04');
    expect(new Date(localInput(now)).getTime()).toBe(new Date(2026, 2, 15, 14, 37).getTime());
  });

  it('asks for simplification only beyond a day', () => {
    expect(toleranceFor(24 * 3600 * 1000)).toBe(0);
    expect(toleranceFor(24 * 3600 * 1000 + 1)).toBe(5);
  });
});
