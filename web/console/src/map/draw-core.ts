import { shown } from './crs';

// The pure side of drawing and editing geofences: from what is drawn on the map (in the map's
// datum) to the JSON of POST/PUT /api/geofences (WGS-84), and the checks the form makes before
// sending. The server validates again (tracking/geofence.go); these mirror its rules.

export type LatLngPair = [number, number];

/** FenceInput is the body of POST and PUT /api/geofences (tracking.GeofenceInput). */
export interface FenceInput {
  name: string;
  kind: string;
  shape: 'circle' | 'polygon';
  center?: { lat: number; lng: number };
  radius_m?: number; // metres
  polygon?: LatLngPair[]; // [[lat, lng], ...], not closed
  speed_limit_kmh: number | null;
  vehicle_id: number | null;
}

/** Drawn is a shape as the map holds it, in the displayed datum. */
export type Drawn = { shape: 'circle'; center: LatLngPair; radiusM: number } | { shape: 'polygon'; points: LatLngPair[] };

/** FenceFields are the form's values. */
export interface FenceFields {
  name: string;
  kind: string;
  speed: string; // km/h, '' for none
  vehicle: string; // a vehicle id, '' for none
}

// Limits, as tracking/geofence.go has them.
export const maxRadiusM = 100_000;
export const maxPoints = 1000;
export const minSpeedKmh = 5;
export const maxSpeedKmh = 150;
export const maxNameLength = 100;

/** openRing drops repeated points and a closing point equal to the first, as the server does. */
export function openRing(points: readonly LatLngPair[]): LatLngPair[] {
  const out: LatLngPair[] = [];
  for (const p of points) {
    const last = out[out.length - 1];
    if (last && last[0] === p[0] && last[1] === p[1]) continue;
    out.push([p[0], p[1]]);
  }
  if (out.length > 1 && out[0][0] === out[out.length - 1][0] && out[0][1] === out[out.length - 1][1]) out.pop();
  return out;
}

/**
 * stored is the WGS-84 point that the map shows at (lat, lng): the inverse of crs.ts shown(),
 * found by fixed-point iteration (the GCJ-02 shift changes slowly, so a few steps reach 1e-9°).
 */
export function stored(lat: number, lng: number): LatLngPair {
  let p: LatLngPair = [lat, lng];
  for (let i = 0; i < 10; i++) {
    const [sLat, sLng] = shown(p[0], p[1]);
    const dLat = lat - sLat;
    const dLng = lng - sLng;
    p = [p[0] + dLat, p[1] + dLng];
    if (Math.abs(dLat) < 1e-10 && Math.abs(dLng) < 1e-10) break;
  }
  return p;
}

/** round7 keeps seven decimals of a degree (about 1 cm). */
export function round7(x: number): number {
  return Math.round(x * 1e7) / 1e7;
}

const toStored = (p: LatLngPair): LatLngPair => {
  const [lat, lng] = stored(p[0], p[1]);
  return [round7(lat), round7(lng)];
};

/** fenceInput builds the request body from the form's fields and the drawn shape. */
export function fenceInput(fields: FenceFields, drawn: Drawn): FenceInput {
  const speed = fields.speed.trim();
  const vehicle = fields.vehicle.trim();
  const base = {
    name: fields.name.trim(),
    kind: fields.kind,
    speed_limit_kmh: speed === '' ? null : Number(speed),
    vehicle_id: vehicle === '' || fields.kind !== 'parking' ? null : Number(vehicle),
  };
  if (drawn.shape === 'circle') {
    const [lat, lng] = toStored(drawn.center);
    return { ...base, shape: 'circle', center: { lat, lng }, radius_m: Math.round(drawn.radiusM * 10) / 10 };
  }
  return { ...base, shape: 'polygon', polygon: openRing(drawn.points.map(toStored)) };
}

/** fenceProblems checks a body before it is sent: field name → problem code (the form's field.* names). */
export function fenceProblems(in_: FenceInput): Record<string, string> {
  const p: Record<string, string> = {};
  if (!in_.name) p.name = 'required';
  else if ([...in_.name].length > maxNameLength) p.name = 'too_long';
  if (!in_.kind) p.kind = 'required';
  const s = in_.speed_limit_kmh;
  if (s !== null && (!Number.isFinite(s) || s < minSpeedKmh || s > maxSpeedKmh)) p.speed_limit_kmh = 'out_of_range';
  const v = in_.vehicle_id;
  if (v !== null && (!Number.isInteger(v) || v <= 0)) p.vehicle_id = 'invalid';
  if (in_.shape === 'circle') {
    const r = in_.radius_m ?? 0;
    if (!(r > 0) || r > maxRadiusM) p.radius_m = 'out_of_range';
  } else {
    const n = in_.polygon?.length ?? 0;
    if (n < 3) p.polygon = 'too_short';
    else if (n > maxPoints) p.polygon = 'too_long';
  }
  return p;
}

/** fieldsOf is the form's values for an existing fence. */
export function fieldsOf(f: { name: string; kind: string; speed_limit_kmh?: number | null; vehicle_id?: number | null }): FenceFields {
  return {
    name: f.name,
    kind: f.kind,
    speed: f.speed_limit_kmh == null ? '' : String(f.speed_limit_kmh),
    vehicle: f.vehicle_id == null ? '' : String(f.vehicle_id),
  };
}
