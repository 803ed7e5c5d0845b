import type { Unit } from './types';

// Units form a tree through parent_id. These helpers are pure so they are tested without a DOM.

export interface UnitNode {
  unit: Unit;
  depth: number;
}

/**
 * unitTree orders units depth-first, parents before children, siblings by code then name.
 * A unit whose parent is not in the list (or that sits in a cycle) is shown at the top level.
 */
export function unitTree(units: Unit[]): UnitNode[] {
  const ids = new Set(units.map((u) => u.id));
  const children = new Map<number, Unit[]>();
  const roots: Unit[] = [];
  for (const u of units) {
    if (u.parent_id && u.parent_id !== u.id && ids.has(u.parent_id)) {
      const list = children.get(u.parent_id) ?? [];
      list.push(u);
      children.set(u.parent_id, list);
    } else {
      roots.push(u);
    }
  }
  const order = (a: Unit, b: Unit) => (a.code || '').localeCompare(b.code || '') || a.name.localeCompare(b.name, 'zh-CN');
  const out: UnitNode[] = [];
  const seen = new Set<number>();
  const walk = (u: Unit, depth: number) => {
    if (seen.has(u.id)) return;
    seen.add(u.id);
    out.push({ unit: u, depth });
    for (const c of (children.get(u.id) ?? []).sort(order)) walk(c, depth + 1);
  };
  roots.sort(order).forEach((u) => walk(u, 0));
  // Units only reachable through a cycle.
  units.filter((u) => !seen.has(u.id)).forEach((u) => walk(u, 0));
  return out;
}

/** descendants returns the ids of id and every unit below it (a unit cannot move under these). */
export function descendants(units: Unit[], id: number): Set<number> {
  const out = new Set<number>([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const u of units) {
      if (u.parent_id && out.has(u.parent_id) && !out.has(u.id)) {
        out.add(u.id);
        grew = true;
      }
    }
  }
  return out;
}
