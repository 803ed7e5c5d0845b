import type { NavKey } from './access';
import type { Page } from './page';
import { approvalDefsPage } from './pages/approval-defs';
import { approvalsPage } from './pages/approvals';
import { auditPage } from './pages/audit';
import { driversPage } from './pages/drivers';
import { homePage } from './pages/home';
import { mapPage } from './pages/map';
import { playbackPage } from './pages/playback';
import { procurementSummaryPage } from './pages/procurement-summary';
import { procurementsPage } from './pages/procurements';
import { unitsPage } from './pages/units';
import { usersPage } from './pages/users';
import { vehiclesPage } from './pages/vehicles';

/** Route is a signed-in page: its path, its menu entry and what renders it. */
export interface Route {
  nav: NavKey;
  page: Page;
  /** A phone page: the top bar only, no menu (the leader's /m/approvals). */
  bare?: boolean;
}

/** routes maps console paths to pages; /login is handled by main.ts. */
export const routes: Record<string, Route> = {
  '/': { nav: 'home', page: homePage },
  '/map': { nav: 'map', page: mapPage },
  '/playback': { nav: 'playback', page: playbackPage },
  '/vehicles': { nav: 'vehicles', page: vehiclesPage },
  '/drivers': { nav: 'drivers', page: driversPage },
  '/users': { nav: 'users', page: usersPage },
  '/units': { nav: 'units', page: unitsPage },
  '/audit': { nav: 'audit', page: auditPage },
  '/approvals': { nav: 'approvals', page: approvalsPage },
  '/m/approvals': { nav: 'approvals', page: approvalsPage, bare: true },
  '/procurements': { nav: 'procurements', page: procurementsPage },
  '/procurements/summary': { nav: 'procurementSummary', page: procurementSummaryPage },
  '/admin/approval-definitions': { nav: 'approvalDefs', page: approvalDefsPage },
};
