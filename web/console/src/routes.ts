import type { NavKey } from './access';
import type { Page } from './page';
import { auditPage } from './pages/audit';
import { driversPage } from './pages/drivers';
import { homePage } from './pages/home';
import { mapPage } from './pages/map';
import { unitsPage } from './pages/units';
import { usersPage } from './pages/users';
import { vehiclesPage } from './pages/vehicles';

/** Route is a signed-in page: its path, its menu entry and what renders it. */
export interface Route {
  nav: NavKey;
  page: Page;
}

/** routes maps console paths to pages; /login is handled by main.ts. */
export const routes: Record<string, Route> = {
  '/': { nav: 'home', page: homePage },
  '/map': { nav: 'map', page: mapPage },
  '/vehicles': { nav: 'vehicles', page: vehiclesPage },
  '/drivers': { nav: 'drivers', page: driversPage },
  '/users': { nav: 'users', page: usersPage },
  '/units': { nav: 'units', page: unitsPage },
  '/audit': { nav: 'audit', page: auditPage },
};
