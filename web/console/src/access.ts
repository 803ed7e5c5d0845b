import type { Role } from './types';

// Which roles see which page, and which may change things there. The server enforces the
// same rules; the console only hides what a role cannot use.

export const navKeys = ['map', 'home', 'vehicles', 'drivers', 'users', 'units', 'audit'] as const;
export type NavKey = (typeof navKeys)[number];

const readers: Record<NavKey, readonly Role[] | 'everyone'> = {
  map: ['admin', 'dispatcher', 'auditor'],
  home: 'everyone',
  vehicles: ['admin', 'dispatcher', 'auditor'],
  drivers: ['admin', 'dispatcher', 'auditor'],
  users: ['admin', 'auditor'],
  units: ['admin', 'auditor'],
  audit: ['admin', 'auditor'],
};

const writers: Record<NavKey, readonly Role[]> = {
  map: ['admin', 'dispatcher'], // acknowledge events
  home: [],
  vehicles: ['admin'],
  drivers: ['admin'],
  users: ['admin'],
  units: ['admin'],
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
