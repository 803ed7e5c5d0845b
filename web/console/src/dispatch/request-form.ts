import { parseNumber } from '../approvals/form';
import { inputToISO, isoToInput } from './clock';
import type { Request } from './types';

// The vehicle-use request form without the DOM: the draft the inputs fill and the JSON body of
// POST /api/requests. The server decides; the console catches what needs no server (an empty
// purpose, a return before the departure, coordinates that are not numbers).

/** PlaceDraft is an origin or destination as typed. */
export interface PlaceDraft {
  address: string;
  lat: string;
  lng: string;
}

/** RequestDraft is the whole form (times as datetime-local values, county time). */
export interface RequestDraft {
  passengers: string;
  purpose: string;
  origin: PlaceDraft;
  destinations: PlaceDraft[];
  depart: string;
  return: string;
  vehicle_class: string;
  priority: string;
  notes: string;
}

/** emptyPlace is a blank origin or destination. */
export function emptyPlace(): PlaceDraft {
  return { address: '', lat: '', lng: '' };
}

/** emptyRequest is a new request: one passenger, one destination, normal priority. */
export function emptyRequest(): RequestDraft {
  return {
    passengers: '1',
    purpose: '',
    origin: emptyPlace(),
    destinations: [emptyPlace()],
    depart: '',
    return: '',
    vehicle_class: 'general',
    priority: 'normal',
    notes: '',
  };
}

/** requestDraftFrom fills the form from a saved request (file a similar one again). */
export function requestDraftFrom(r: Pick<Request, 'passengers' | 'purpose' | 'origin' | 'destinations' | 'depart_at' | 'return_at' | 'vehicle_class' | 'priority' | 'notes'>): RequestDraft {
  const place = (p: Request['origin'] | undefined): PlaceDraft => ({
    address: p?.address ?? '',
    lat: p?.lat === null || p?.lat === undefined ? '' : String(p.lat),
    lng: p?.lng === null || p?.lng === undefined ? '' : String(p.lng),
  });
  const dests = (r.destinations ?? []).map(place);
  return {
    passengers: String(r.passengers ?? 1),
    purpose: r.purpose ?? '',
    origin: place(r.origin),
    destinations: dests.length ? dests : [emptyPlace()],
    depart: isoToInput(r.depart_at),
    return: isoToInput(r.return_at),
    vehicle_class: r.vehicle_class || 'general',
    priority: r.priority || 'normal',
    notes: r.notes ?? '',
  };
}

/**
 * splitPair reads "27.8, 114.4" (a pair pasted into the latitude box, as map apps copy it) as
 * [lat, lng]; null when the text is not such a pair.
 */
export function splitPair(raw: string): [number, number] | null {
  const parts = raw.trim().split(/[,，\s]+/).filter(Boolean);
  if (parts.length !== 2) return null;
  const lat = parseNumber(parts[0]);
  const lng = parseNumber(parts[1]);
  return validLat(lat) && validLng(lng) ? [lat, lng] : null;
}

function validLat(n: number): boolean {
  return Number.isFinite(n) && n >= -90 && n <= 90;
}

function validLng(n: number): boolean {
  return Number.isFinite(n) && n >= -180 && n <= 180;
}

/** roundCoord keeps six decimals (≈0.1 m), enough for an address. */
export function roundCoord(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/** BuiltRequest is the body and the problems found before sending it, by field path. */
export interface BuiltRequest {
  body: Record<string, unknown>;
  problems: Record<string, string>;
}

/** isBlankPlace tells an untouched extra destination row. */
export function isBlankPlace(p: PlaceDraft): boolean {
  return !p.address.trim() && !p.lat.trim() && !p.lng.trim();
}

function buildPlace(p: PlaceDraft, path: string, problems: Record<string, string>): { address: string; lat: number | null; lng: number | null } {
  const address = p.address.trim();
  if (!address) problems[`${path}.address`] = 'required';
  let lat: number | null = null;
  let lng: number | null = null;
  const pair = splitPair(p.lat);
  if (pair && !p.lng.trim()) {
    [lat, lng] = pair;
  } else {
    const la = p.lat.trim() === '' ? null : parseNumber(p.lat);
    const ln = p.lng.trim() === '' ? null : parseNumber(p.lng);
    if (la === null) problems[`${path}.lat`] = 'required';
    else if (!validLat(la)) problems[`${path}.lat`] = 'invalid';
    else lat = la;
    if (ln === null) problems[`${path}.lng`] = 'required';
    else if (!validLng(ln)) problems[`${path}.lng`] = 'invalid';
    else lng = ln;
  }
  return { address, lat: lat === null ? null : roundCoord(lat), lng: lng === null ? null : roundCoord(lng) };
}

/** buildRequest turns the form into the JSON of POST /api/requests. */
export function buildRequest(d: RequestDraft): BuiltRequest {
  const problems: Record<string, string> = {};
  const passengers = parseNumber(d.passengers);
  if (d.passengers.trim() === '') problems.passengers = 'required';
  else if (!Number.isInteger(passengers)) problems.passengers = 'invalid';
  else if (passengers < 1 || passengers > 99) problems.passengers = 'out_of_range';

  const purpose = d.purpose.trim();
  if (!purpose) problems.purpose = 'required';

  const origin = buildPlace(d.origin, 'origin', problems);
  const rows = d.destinations.filter((p, i) => i === 0 || !isBlankPlace(p));
  const destinations = rows.map((p, i) => buildPlace(p, `destinations[${i}]`, problems));

  const departAt = d.depart.trim() ? inputToISO(d.depart) : '';
  const returnAt = d.return.trim() ? inputToISO(d.return) : '';
  if (!d.depart.trim()) problems.depart_at = 'required';
  else if (!departAt) problems.depart_at = 'invalid';
  if (!d.return.trim()) problems.return_at = 'required';
  else if (!returnAt) problems.return_at = 'invalid';
  else if (departAt && Date.parse(returnAt) <= Date.parse(departAt)) problems.return_at = 'before_depart';

  if (!d.vehicle_class) problems.vehicle_class = 'required';
  const priority = d.priority === 'emergency' ? 'emergency' : 'normal';

  const body: Record<string, unknown> = {
    passengers: Number.isFinite(passengers) ? passengers : d.passengers,
    purpose,
    origin,
    destinations,
    depart_at: departAt,
    return_at: returnAt,
    vehicle_class: d.vehicle_class,
    priority,
  };
  const notes = d.notes.trim();
  if (notes) body.notes = notes;
  return { body, problems };
}

/**
 * fieldOfServer maps the server's field names (origin.lat, destinations.0.address,
 * destinations[0].address) to the form's paths (destinations[0].address).
 */
export function fieldOfServer(name: string): string {
  return name.replace(/\.(\d+)(?=\.|$)/g, '[$1]');
}
