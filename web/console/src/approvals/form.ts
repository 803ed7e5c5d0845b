import type { Check, Procurement, ProcurementKind } from './types';

// The procurement form's rules without the DOM: money in fen (integers, so 0.1 + 0.2 adds up),
// the draft the inputs fill, and the JSON body POST/PUT /api/procurements takes.

/** ItemDraft is one items row as typed (raw input strings). */
export interface ItemDraft {
  name: string;
  quantity: string;
  unit_price: string;
}

/** VehicleDraft is the vehicle fieldset as typed. */
export interface VehicleDraft {
  class: string;
  displacement_l: string;
  price: string;
  energy: string;
  body: string;
  make_domestic: boolean;
  for_leader_fixed: boolean;
  replaces_vehicle_id: string;
}

/** Draft is the whole form. */
export interface Draft {
  kind: string;
  title: string;
  reason: string;
  items: ItemDraft[];
  vehicle: VehicleDraft;
  justification: string;
}

/** isVehicleKind tells whether a kind carries a vehicle spec. */
export function isVehicleKind(kind: string): kind is Extract<ProcurementKind, 'vehicle_renewal' | 'vehicle_addition'> {
  return kind === 'vehicle_renewal' || kind === 'vehicle_addition';
}

/** parseNumber reads a typed number ("1,200.5", " 3 ", "１２"); NaN when it is not one. */
export function parseNumber(raw: string | number | null | undefined): number {
  if (typeof raw === 'number') return raw;
  if (raw === null || raw === undefined) return NaN;
  // Full-width digits and points from a Chinese IME.
  const s = raw
    .trim()
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[．。]/g, '.')
    .replace(/[,，\s]/g, '');
  if (s === '' || !/^[-+]?(\d+\.?\d*|\.\d+)$/.test(s)) return NaN;
  return Number(s);
}

/** toFen turns yuan into whole fen (0.01 yuan), rounding half away from zero. */
export function toFen(yuan: number): number {
  return Math.sign(yuan) * Math.round(Math.abs(yuan) * 100 + 1e-6);
}

/** lineFen is a row's amount in fen: quantity × unit price; NaN while either is not a number. */
export function lineFen(quantity: string | number, unitPrice: string | number): number {
  const q = parseNumber(quantity);
  const p = parseNumber(unitPrice);
  if (!Number.isFinite(q) || !Number.isFinite(p)) return NaN;
  // The unit price in whole fen, times the quantity, rounded once.
  const fen = q * toFen(p);
  return Math.sign(fen) * Math.round(Math.abs(fen) + 1e-9);
}

/** totalFen adds the rows that have an amount; rows still being typed count as zero. */
export function totalFen(items: Pick<ItemDraft, 'quantity' | 'unit_price'>[]): number {
  let sum = 0;
  for (const it of items) {
    const f = lineFen(it.quantity, it.unit_price);
    if (Number.isFinite(f)) sum += f;
  }
  return sum;
}

/** formatYuan shows an amount in yuan as ¥1,234.50 (— for none). */
export function formatYuan(yuan: number | null | undefined): string {
  if (yuan === null || yuan === undefined || !Number.isFinite(yuan)) return '—';
  return formatFen(toFen(yuan));
}

/** formatFen shows fen as ¥1,234.50. */
export function formatFen(fen: number): string {
  if (!Number.isFinite(fen)) return '—';
  const neg = fen < 0;
  const abs = Math.abs(Math.round(fen));
  const whole = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = String(abs % 100).padStart(2, '0');
  return `${neg ? '-' : ''}¥${whole}.${cents}`;
}

/** emptyItem is a new blank items row. */
export function emptyItem(): ItemDraft {
  return { name: '', quantity: '1', unit_price: '' };
}

/** emptyDraft is the form of a new request. */
export function emptyDraft(kind = 'goods'): Draft {
  return {
    kind,
    title: '',
    reason: '',
    items: [emptyItem()],
    vehicle: {
      class: 'general',
      displacement_l: '',
      price: '',
      energy: 'electric',
      body: 'sedan',
      make_domestic: true,
      for_leader_fixed: false,
      replaces_vehicle_id: '',
    },
    justification: '',
  };
}

/** draftFrom fills the form from a saved request (revise and resubmit). */
export function draftFrom(p: Procurement): Draft {
  const d = emptyDraft(p.kind);
  d.title = p.title ?? '';
  d.reason = p.reason ?? '';
  d.justification = p.justification ?? '';
  d.items = (p.items ?? []).map((it) => ({ name: it.name, quantity: String(it.quantity), unit_price: String(it.unit_price) }));
  if (!d.items.length) d.items = [emptyItem()];
  const v = p.vehicle;
  if (v) {
    d.vehicle = {
      class: v.class ?? d.vehicle.class,
      displacement_l: v.displacement_l === null || v.displacement_l === undefined ? '' : String(v.displacement_l),
      price: v.price === null || v.price === undefined ? '' : String(v.price),
      energy: v.energy ?? d.vehicle.energy,
      body: v.body ?? d.vehicle.body,
      make_domestic: v.make_domestic ?? true,
      for_leader_fixed: v.for_leader_fixed ?? false,
      replaces_vehicle_id: v.replaces_vehicle_id ? String(v.replaces_vehicle_id) : '',
    };
  }
  return d;
}

/** Built is the request body and the problems the console found before sending it. */
export interface Built {
  body: Record<string, unknown>;
  /** Field path (title, items[0].quantity, vehicle.price …) → problem code (required, invalid, out_of_range). */
  problems: Record<string, string>;
}

/** A row the user left wholly empty is dropped rather than sent. */
function blankRow(it: ItemDraft): boolean {
  return !it.name.trim() && !it.unit_price.trim() && (!it.quantity.trim() || it.quantity.trim() === '1');
}

/**
 * buildBody turns the form into the JSON of POST /api/procurements. The server decides; the
 * console only catches what needs no server (an empty title, a quantity that is not a number).
 */
export function buildBody(d: Draft): Built {
  const problems: Record<string, string> = {};
  const title = d.title.trim();
  const reason = d.reason.trim();
  if (!d.kind) problems.kind = 'required';
  if (!title) problems.title = 'required';
  if (!reason) problems.reason = 'required';

  const items: { name: string; quantity: number; unit_price: number }[] = [];
  d.items.forEach((it, i) => {
    if (blankRow(it) && d.items.length > 1) return;
    const name = it.name.trim();
    const quantity = parseNumber(it.quantity);
    const unitPrice = parseNumber(it.unit_price);
    if (!name) problems[`items[${i}].name`] = 'required';
    if (it.quantity.trim() === '') problems[`items[${i}].quantity`] = 'required';
    else if (!Number.isFinite(quantity)) problems[`items[${i}].quantity`] = 'invalid';
    else if (quantity <= 0) problems[`items[${i}].quantity`] = 'out_of_range';
    if (it.unit_price.trim() === '') problems[`items[${i}].unit_price`] = 'required';
    else if (!Number.isFinite(unitPrice)) problems[`items[${i}].unit_price`] = 'invalid';
    else if (unitPrice <= 0) problems[`items[${i}].unit_price`] = 'out_of_range';
    items.push({ name, quantity, unit_price: Number.isFinite(unitPrice) ? toFen(unitPrice) / 100 : unitPrice });
  });
  if (!items.length) problems.items = 'required';

  const body: Record<string, unknown> = { kind: d.kind, title, reason, items };
  if (isVehicleKind(d.kind)) {
    const v = d.vehicle;
    const displacement = v.displacement_l.trim() === '' ? null : parseNumber(v.displacement_l);
    const price = v.price.trim() === '' ? null : parseNumber(v.price);
    const replaces = v.replaces_vehicle_id.trim() === '' ? null : parseNumber(v.replaces_vehicle_id);
    if (!v.class) problems['vehicle.class'] = 'required';
    if (!v.energy) problems['vehicle.energy'] = 'required';
    if (displacement !== null && (!Number.isFinite(displacement) || displacement < 0)) problems['vehicle.displacement_l'] = 'invalid';
    if (price === null) problems['vehicle.price'] = 'required';
    else if (!Number.isFinite(price) || price <= 0) problems['vehicle.price'] = 'invalid';
    if (d.kind === 'vehicle_renewal' && replaces === null) problems['vehicle.replaces_vehicle_id'] = 'required';
    else if (replaces !== null && (!Number.isInteger(replaces) || replaces <= 0)) problems['vehicle.replaces_vehicle_id'] = 'invalid';
    body.vehicle = {
      class: v.class,
      displacement_l: displacement,
      price,
      energy: v.energy,
      body: v.body,
      make_domestic: v.make_domestic,
      for_leader_fixed: v.for_leader_fixed,
      replaces_vehicle_id: d.kind === 'vehicle_renewal' ? replaces : null,
    };
  }
  const justification = d.justification.trim();
  if (justification) body.justification = justification;
  return { body, problems };
}

/**
 * checksOf finds the standards checks in an answer: the 201 of a create, or the 400 that asks for
 * a justification ({"error":{…,"checks":[…]}} or {"error":{…},"checks":[…]}).
 */
export function checksOf(body: unknown): Check[] | null {
  if (!body || typeof body !== 'object') return null;
  const b = body as { checks?: unknown; error?: { checks?: unknown; details?: { checks?: unknown } } };
  const found = b.checks ?? b.error?.checks ?? b.error?.details?.checks;
  if (!Array.isArray(found)) return null;
  return found
    .filter((c): c is Record<string, unknown> => !!c && typeof c === 'object')
    .map((c) => ({
      rule: String(c.rule ?? ''),
      ok: c.ok === true,
      message: typeof c.message === 'string' ? c.message : '',
      source: typeof c.source === 'string' ? c.source : undefined,
    }));
}
