// The arithmetic of track playback (/playback): speed bands, the coloured runs of a track,
// where the vehicle is at a moment, the period presets and the summary of a period. Pure, so
// it is unit-tested without a map.

/** TrackPoint is one stored fix, as GET /api/vehicles/{id}/track sends it (WGS-84). */
export interface TrackPoint {
  lat: number;
  lng: number;
  speed_kmh: number;
  course: number; // degrees, 0 = north
  altitude: number; // m
  acc: boolean;
  alarm: number; // JT/T 808 alarm bits
  fixed_at: string; // RFC 3339
}

/** Trip is a drive from one stop to the next, as GET /api/vehicles/{id}/trips sends it. */
export interface Trip {
  start_at: string;
  end_at: string;
  distance_km: number;
  duration_s: number;
  driving_s: number; // time in motion, pauses shorter than a stop left out
  max_speed_kmh: number;
  avg_speed_kmh: number;
  start: { lat: number; lng: number };
  end: { lat: number; lng: number };
  open: boolean; // still in progress
}

/** Stop is a time the vehicle stood still, as GET /api/vehicles/{id}/trips sends it. */
export interface Stop {
  start_at: string;
  end_at: string;
  duration_s: number;
  lat: number;
  lng: number;
  open: boolean; // the vehicle is standing there now
}

/** bandLimits are the upper ends of the speed bands in km/h; the last band has none. */
export const bandLimits = [20, 40, 60, 80, 100] as const;

/** bandColours colour the bands from slow (grey-blue) to fast (red). */
export const bandColours = ['#78909c', '#1e88e5', '#2e7d32', '#f9a825', '#ef6c00', '#c62828'] as const;

/** speedBand is the band index (0 … bandLimits.length) of a speed in km/h; a band includes its lower limit. */
export function speedBand(kmh: number): number {
  let band = 0;
  while (band < bandLimits.length && kmh >= bandLimits[band]) band++;
  return band;
}

/** bandLabel names a band's range for the legend, e.g. "20–40". */
export function bandLabel(band: number): string {
  if (band <= 0) return `<${bandLimits[0]}`;
  if (band >= bandLimits.length) return `≥${bandLimits[bandLimits.length - 1]}`;
  return `${bandLimits[band - 1]}–${bandLimits[band]}`;
}

/** Run is a stretch of the track in one speed band: the points from … to (indexes, both included). */
export interface Run {
  band: number;
  from: number;
  to: number;
}

/**
 * colouredRuns splits a track into runs of one speed band. A step between two points takes the
 * band of their mean speed; neighbouring runs share their boundary point, so the line is unbroken.
 */
export function colouredRuns(points: readonly Pick<TrackPoint, 'speed_kmh'>[]): Run[] {
  const runs: Run[] = [];
  for (let i = 1; i < points.length; i++) {
    const band = speedBand((points[i - 1].speed_kmh + points[i].speed_kmh) / 2);
    const last = runs[runs.length - 1];
    if (last && last.band === band) last.to = i;
    else runs.push({ band, from: i - 1, to: i });
  }
  return runs;
}

/** timesOf returns each point's time in ms since the epoch, for the searches below. */
export function timesOf(points: readonly Pick<TrackPoint, 'fixed_at'>[]): number[] {
  return points.map((p) => Date.parse(p.fixed_at));
}

/** lowerBound is the first index whose time is at or after t (times.length when none is). */
export function lowerBound(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Position is where the vehicle is at a moment of the playback. */
export interface Position {
  lat: number;
  lng: number;
  speedKmh: number;
  course: number;
  /** The last point at or before the moment. */
  index: number;
}

/** lerpAngle turns from a towards b by fraction f the short way round (degrees, 0 … 360). */
export function lerpAngle(a: number, b: number, f: number): number {
  const d = ((((b - a) % 360) + 540) % 360) - 180;
  return (((a + d * f) % 360) + 360) % 360;
}

/**
 * positionAt is the vehicle's position at time t (ms): found by binary search, then linearly
 * interpolated between the points either side; clamped to the first and last point. times
 * holds the points' times (timesOf), oldest first. null for an empty track.
 */
export function positionAt(points: readonly TrackPoint[], times: readonly number[], t: number): Position | null {
  const n = points.length;
  if (n === 0) return null;
  const at = (i: number): Position => ({ lat: points[i].lat, lng: points[i].lng, speedKmh: points[i].speed_kmh, course: points[i].course, index: i });
  if (t <= times[0]) return at(0);
  if (t >= times[n - 1]) return at(n - 1);
  // The first point at or after t, and the one before it.
  const j = lowerBound(times, t);
  if (times[j] === t) return at(j);
  const i = j - 1;
  const a = points[i];
  const b = points[j];
  const span = times[j] - times[i];
  const f = span > 0 ? (t - times[i]) / span : 0;
  return {
    lat: a.lat + (b.lat - a.lat) * f,
    lng: a.lng + (b.lng - a.lng) * f,
    speedKmh: a.speed_kmh + (b.speed_kmh - a.speed_kmh) * f,
    course: lerpAngle(a.course, b.course, f),
    index: i,
  };
}

/** Summary is what the period adds up to. */
export interface Summary {
  km: number;
  trips: number;
  drivingS: number;
  maxKmh: number;
  stops: number;
  stoppedS: number;
}

/** summarize totals a period's trips and stops. */
export function summarize(trips: readonly Trip[], stops: readonly Stop[]): Summary {
  const s: Summary = { km: 0, trips: trips.length, drivingS: 0, maxKmh: 0, stops: stops.length, stoppedS: 0 };
  for (const tr of trips) {
    s.km += tr.distance_km;
    s.drivingS += tr.driving_s;
    s.maxKmh = Math.max(s.maxKmh, tr.max_speed_kmh);
  }
  for (const st of stops) s.stoppedS += st.duration_s;
  s.km = Math.round(s.km * 10) / 10; // 0.1 km, as the trip list shows it
  return s;
}

/** EventGroup is how an event is marked on the track; other event types are not marked. */
export type EventGroup = 'alarm' | 'overspeed' | 'misuse';

/** eventGroup tells which marker an event type gets, or null when it is not marked on the track. */
export function eventGroup(type: string): EventGroup | null {
  if (type === 'alarm' || type === 'overspeed') return type;
  return type.startsWith('misuse_') ? 'misuse' : null;
}

export const eventColours: Record<EventGroup, string> = {
  alarm: '#d32f2f',
  overspeed: '#ef6c00',
  misuse: '#7b1fa2',
};

/** Preset is a quick choice of period. */
export type Preset = 'today' | 'yesterday' | 'last24h';

export const presets: readonly Preset[] = ['today', 'yesterday', 'last24h'];

/** presetPeriod is a preset's period in the browser's time zone: today from 00:00 to now, yesterday whole, or the last 24 hours. */
export function presetPeriod(p: Preset, now: Date): { from: Date; to: Date } {
  const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  switch (p) {
    case 'today':
      return { from: midnight, to: now };
    case 'yesterday':
      return { from: new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1), to: midnight };
    case 'last24h':
      return { from: new Date(now.getTime() - 24 * 3600 * 1000), to: now };
  }
}

/** localInput formats d for an <input type="datetime-local"> (browser time zone, to the minute). */
export function localInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** toleranceFor is the simplification asked of the server for a period of span ms: 5 m beyond a day, none within one. */
export function toleranceFor(span: number): number {
  return span > 24 * 3600 * 1000 ? 5 : 0;
}

/** maxSpan is the longest period the server gives a track for (31 days, in ms). */
export const maxSpan = 31 * 24 * 3600 * 1000;
