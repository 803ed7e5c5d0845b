import type { Role } from './types';

// Which roles see which page, and which may change things there. The server enforces the
// same rules; the console only hides what a role cannot use.

export const navKeys = [
  'map',
  'playback',
  'home',
  'approvals',
  'procurements',
  'procurementSummary',
  'vehicles',
  'drivers',
  'users',
  'units',
  'approvalDefs',
  'audit',
] as const;
export type NavKey = (typeof navKeys)[number];

const readers: Record<NavKey, readonly Role[] | 'everyone'> = {
  map: ['admin', 'dispatcher', 'auditor'],
  playback: ['admin', 'dispatcher', 'auditor'],
  home: 'everyone',
  // Any user can be named an approver (a group member, a transfer); the inbox is for everyone.
  approvals: 'everyone',
  procurements: 'everyone',
  procurementSummary: ['admin', 'auditor'], // the server's procurements.read_all
  vehicles: ['admin', 'dispatcher', 'auditor'],
  drivers: ['admin', 'dispatcher', 'auditor'],
  users: ['admin', 'auditor'],
  units: ['admin', 'auditor'],
  approvalDefs: ['admin', 'auditor'],
  audit: ['admin', 'auditor'],
};

const writers: Record<NavKey, readonly Role[]> = {
  map: ['admin', 'dispatcher'], // acknowledge events
  playback: [],
  home: [],
  approvals: [], // acting depends on the step, not the role: the server decides
  procurements: ['admin', 'dispatcher', 'driver', 'leader', 'staff', 'office_manager', 'canteen_manager', 'energy_manager'],
  procurementSummary: [],
  vehicles: ['admin'],
  drivers: ['admin'],
  users: ['admin'],
  units: ['admin'],
  approvalDefs: ['admin'],
  audit: [],
};

/** canSee tells whether role may open the page. */
export function canSee(role: Role, key: NavKey): boolean {
  const r = readers[key];
  return r === 'everyone' || r.includes(role);
}

/** canWrite tells whether role may create, change or delete on the page. */
export function canWrite(role: Role, key: NavKey): boolean {
  return writers[key].includes(role);
}

/** navFor lists the pages role sees, in menu order. */
export function navFor(role: Role): NavKey[] {
  return navKeys.filter((k) => canSee(role, k));
}

/** seesFleet tells whether the overview shows vehicle counts to role. */
export function seesFleet(role: Role): boolean {
  return role === 'admin' || role === 'dispatcher' || role === 'auditor';
}
