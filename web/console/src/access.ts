import type { Role } from './types';

// Which roles see which page, and which may change things there. The server enforces the
// same rules; the console only hides what a role cannot use.

export const navKeys = [
  'map',
  'playback',
  'home',
  'driverTasks',
  'requests',
  'approvals',
  'procurements',
  'procurementSummary',
  'office',
  'energy',
  'canteenDiner',
  'canteen',
  'vehicles',
  'drivers',
  'records',
  'reminders',
  'rosters',
  'tripStats',
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
  // Dispatch (issue 7): drivers run their tasks on the phone page; every role files vehicle
  // requests (auditors read); the fleet section keeps records, reminders and the roster.
  driverTasks: ['driver'],
  requests: 'everyone',
  // Any user can be named an approver (a group member, a transfer); the inbox is for everyone.
  approvals: 'everyone',
  procurements: 'everyone',
  procurementSummary: ['admin', 'auditor'], // the server's procurements.read_all
  // Office space: unit leaders see their own unit's part (the server scopes), auditors all.
  office: ['admin', 'office_manager', 'leader', 'auditor'],
  // Energy: the energy manager keeps it; unit leaders see their own unit's figures (the server scopes).
  energy: ['admin', 'energy_manager', 'leader', 'auditor'],
  // Canteen (issue 9): everyone reads the menu on the phone page, every working role books;
  // the canteen manager runs it on the desktop pages (auditors read).
  canteenDiner: 'everyone',
  canteen: ['admin', 'canteen_manager', 'auditor'],
  vehicles: ['admin', 'dispatcher', 'auditor'],
  drivers: ['admin', 'dispatcher', 'auditor'],
  records: ['admin', 'dispatcher', 'auditor'],
  reminders: ['admin', 'dispatcher', 'auditor'],
  rosters: ['admin', 'dispatcher', 'auditor'],
  // Trip accounting: the fleet section, auditors, and leaders for their own unit (the server scopes).
  tripStats: ['admin', 'dispatcher', 'leader', 'auditor'],
  users: ['admin', 'auditor'],
  units: ['admin', 'auditor'],
  approvalDefs: ['admin', 'auditor'],
  audit: ['admin', 'auditor'],
};

const writers: Record<NavKey, readonly Role[]> = {
  map: ['admin', 'dispatcher'], // acknowledge events
  playback: [],
  home: [],
  driverTasks: ['driver'],
  requests: ['admin', 'dispatcher', 'driver', 'leader', 'staff', 'office_manager', 'canteen_manager', 'energy_manager'],
  approvals: [], // acting depends on the step, not the role: the server decides
  procurements: ['admin', 'dispatcher', 'driver', 'leader', 'staff', 'office_manager', 'canteen_manager', 'energy_manager'],
  procurementSummary: [],
  office: ['admin', 'office_manager'], // leaders file reallocation and repair requests on the pages
  energy: ['admin', 'energy_manager'],
  canteenDiner: ['admin', 'dispatcher', 'driver', 'leader', 'staff', 'office_manager', 'canteen_manager', 'energy_manager'],
  canteen: ['admin', 'canteen_manager'],
  vehicles: ['admin'],
  drivers: ['admin'],
  records: ['admin', 'dispatcher'],
  reminders: ['admin', 'dispatcher'],
  rosters: ['admin', 'dispatcher'],
  tripStats: ['admin', 'dispatcher'], // the discrepancy threshold (a dispatch setting)
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
