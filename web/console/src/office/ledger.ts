import type { Room, Standard } from './types';

// The ledger's arithmetic without the DOM: areas as the console prints them, a room's
// utilisation against the standards of the people in it, and a building as floors of rooms.

/** formatArea prints m² with at most two decimals and no trailing zeros: 24, 7.5, 8.33. */
export function formatArea(m2: number | null | undefined): string {
  if (m2 === null || m2 === undefined || !Number.isFinite(m2)) return '';
  const r = Math.round(m2 * 100) / 100;
  return String(Object.is(r, -0) ? 0 : r);
}

/** Severity of an excess: none within the standard, minor up to half again, major beyond. */
export type Severity = 'none' | 'minor' | 'major';

/** excessOf reads an excess as a sign-prefixed figure and its severity against the standard. */
export function excessOf(excess: number, standard: number): { text: string; severity: Severity } {
  const e = Math.round(excess * 100) / 100;
  if (!(e > 0)) return { text: '0', severity: 'none' };
  const severity: Severity = standard > 0 && e / standard > 0.5 ? 'major' : 'minor';
  return { text: `+${formatArea(e)}`, severity };
}

/** standardFor is the per-person area of rank, or null when the table does not know it. */
export function standardFor(rank: string | null | undefined, standards: Standard[]): number | null {
  if (!rank) return null;
  return standards.find((s) => s.kind === 'person' && s.code === rank)?.area_m2 ?? null;
}

/** perPerson is a room's area split evenly among its occupants (the whole area when empty). */
export function perPerson(room: Pick<Room, 'area_m2' | 'occupants'>): number {
  const n = room.occupants?.length ?? 0;
  return n > 0 ? room.area_m2 / n : room.area_m2;
}

/**
 * utilisation is how much of an office room its occupants' standards account for, in whole
 * per cent: 100 or more is within the standard, less means someone has more than theirs.
 * Null for a room without occupants or with an occupant of unknown rank.
 */
export function utilisation(room: Pick<Room, 'area_m2' | 'occupants'>, standards: Standard[]): number | null {
  const people = room.occupants ?? [];
  if (people.length === 0 || !(room.area_m2 > 0)) return null;
  let due = 0;
  for (const p of people) {
    const s = standardFor(p.rank, standards);
    if (s === null) return null;
    due += s;
  }
  return Math.round((due / room.area_m2) * 100);
}

/** Tone colours a room in the grid. */
export type Tone = 'vacant' | 'idle' | 'ok' | 'over' | 'unknown' | 'other';

/**
 * toneOf picks a room's colour: vacant (no unit, no one), idle (an office room a unit holds
 * with no one in it), ok / over (occupied, within / beyond the standard), unknown (a rank the
 * table lacks), other (service, equipment and ancillary rooms in use).
 */
export function toneOf(room: Room, standards: Standard[]): Tone {
  const people = room.occupants?.length ?? 0;
  if (isVacant(room)) return 'vacant';
  if (room.use !== 'office') return 'other';
  if (people === 0) return 'idle';
  const u = utilisation(room, standards);
  if (u === null) return 'unknown';
  return u >= 100 ? 'ok' : 'over';
}

/** Floor is one row of a building's grid. */
export interface Floor {
  floor: number;
  rooms: Room[];
  area: number;
  /** Area of rooms that are held by a unit or occupied. */
  usedArea: number;
  /** usedArea of area in whole per cent; null for a floor without rooms. */
  used: number | null;
}

const byNumber = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/**
 * floorGrid lays rooms out by floor, top floor first, rooms in natural order (101, 102, 110);
 * floors 1..floors of the building appear even when they hold no room yet.
 */
export function floorGrid(rooms: Room[], floors = 0): Floor[] {
  const by = new Map<number, Room[]>();
  for (let f = 1; f <= floors; f++) by.set(f, []);
  for (const r of rooms) {
    const list = by.get(r.floor) ?? [];
    list.push(r);
    by.set(r.floor, list);
  }
  return [...by.entries()]
    .sort(([a], [b]) => b - a)
    .map(([floor, list]) => {
      list.sort((a, b) => byNumber.compare(a.number, b.number) || a.id - b.id);
      const area = sum(list.map((r) => r.area_m2));
      const usedArea = sum(list.filter(inUse).map((r) => r.area_m2));
      return { floor, rooms: list, area, usedArea, used: area > 0 ? Math.round((usedArea / area) * 100) : null };
    });
}

/** isVacant tells a room in the pool: no unit and no one holds it. */
export function isVacant(room: Pick<Room, 'vacant' | 'unit_id' | 'unit_assignment_id' | 'occupants'>): boolean {
  if (room.vacant !== undefined) return room.vacant;
  return !room.unit_id && !room.unit_assignment_id && (room.occupants?.length ?? 0) === 0;
}

/** inUse tells a room held by a unit or someone from a vacant one. */
export function inUse(room: Room): boolean {
  return !isVacant(room);
}

/** floorName is the floor's label key and number: 3 → floor 3, -1 → basement 1. */
export function floorName(floor: number): { key: 'office.floorN' | 'office.basementN'; n: number } {
  return floor < 0 ? { key: 'office.basementN', n: -floor } : { key: 'office.floorN', n: floor };
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
}
