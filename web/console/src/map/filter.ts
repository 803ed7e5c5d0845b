import type { Unit } from '../types';
import { displayState, displayStates, matchesPlate, type DisplayState, type LiveVehicle } from './state';

// Which vehicles the list and the map show: a plate search plus unit, class and state
// selects. Pure, so the predicate and the counts are unit-tested without a DOM.

/** VehicleInfo is what /api/vehicles adds to a live vehicle: its unit and class. */
export interface VehicleInfo {
  unit_id: number | null;
  unit_name?: string;
  class: string;
}

/** Filter is the state of the list's search box and selects; '' means "all". */
export interface Filter {
  query: string;
  unit: string; // '' all, 'none' no unit (platform vehicles), else a unit id (with its sub-units)
  cls: string;
  state: string; // '' or a DisplayState
}

export const noFilter: Filter = { query: '', unit: '', cls: '', state: '' };

/** noUnit is the unit select's value for vehicles without a unit (the platform's pooled ones). */
export const noUnit = 'none';

/** unitScope returns the ids a unit filter value covers: the unit and every unit under it; null means all. */
export function unitScope(units: readonly Pick<Unit, 'id' | 'parent_id'>[], value: string): Set<number> | null {
  if (!value || value === noUnit) return null;
  const root = Number(value);
  const children = new Map<number, number[]>();
  for (const u of units) {
    if (u.parent_id == null) continue;
    const list = children.get(u.parent_id) ?? [];
    list.push(u.id);
    children.set(u.parent_id, list);
  }
  const out = new Set<number>();
  const stack = [root];
  while (stack.length) {
    const id = stack.pop()!;
    if (out.has(id)) continue; // a cycle
    out.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return out;
}

/** Matcher tells whether a vehicle passes a filter; build it once per filter change. */
export type Matcher = (v: LiveVehicle, info: VehicleInfo | undefined, ignoreState?: boolean) => boolean;

/**
 * matcher builds the predicate of f. A vehicle /api/vehicles did not describe (no info) passes
 * the unit and class selects only while they are on "all".
 */
export function matcher(f: Filter, units: readonly Pick<Unit, 'id' | 'parent_id'>[] = []): Matcher {
  const scope = unitScope(units, f.unit);
  return (v, info, ignoreState = false) => {
    if (!matchesPlate(v.plate, f.query)) return false;
    if (f.unit === noUnit && (!info || info.unit_id != null)) return false;
    if (scope && (!info || info.unit_id == null || !scope.has(info.unit_id))) return false;
    if (f.cls && info?.class !== f.cls) return false;
    if (!ignoreState && f.state && displayState(v) !== f.state) return false;
    return true;
  };
}

export type StateCounts = Record<DisplayState, number>;

/** countStates counts vehicles by the state their marker shows. */
export function countStates(vs: Iterable<Pick<LiveVehicle, 'state' | 'alarm'>>): StateCounts {
  const out = Object.fromEntries(displayStates.map((s) => [s, 0])) as StateCounts;
  for (const v of vs) out[displayState(v)]++;
  return out;
}

/** infoByVehicle indexes /api/vehicles items by id. */
export function infoByVehicle(items: readonly (VehicleInfo & { id: number })[]): Map<number, VehicleInfo> {
  return new Map(items.map((x) => [x.id, { unit_id: x.unit_id ?? null, unit_name: x.unit_name, class: x.class }]));
}
