import { ApiError, listAll } from './api';
import type { Option } from './resource';
import type { Unit, User } from './types';
import { unitTree } from './units-tree';

// Lists that forms and tables need to show names instead of ids.

/** loadUnits returns every unit, or none when the role may not list them. */
export async function loadUnits(signal: AbortSignal): Promise<Unit[]> {
  try {
    return await listAll<Unit>('/api/units', signal);
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) return [];
    throw err;
  }
}

/** loadDriverAccounts returns the users with role driver (for linking a driver to a login). */
export async function loadDriverAccounts(signal: AbortSignal): Promise<User[]> {
  try {
    return (await listAll<User>('/api/users', signal)).filter((u) => u.role === 'driver');
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) return [];
    throw err;
  }
}

/** unitOptions lists units as select options, indented by depth, leaving out the ids in skip. */
export function unitOptions(units: Unit[], skip?: Set<number>): Option[] {
  return unitTree(units)
    .filter((n) => !skip?.has(n.unit.id))
    .map((n) => ({ value: String(n.unit.id), label: '\u3000'.repeat(n.depth) + n.unit.name }));
}

/** unitName names a unit by id, falling back to the name the row carries or #id. */
export function unitName(units: Unit[], id: number | null | undefined, carried?: string): string {
  if (!id) return carried ?? '';
  return units.find((u) => u.id === id)?.name ?? carried ?? `#${id}`;
}
