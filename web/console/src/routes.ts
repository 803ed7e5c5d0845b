import type { NavKey } from './access';
import type { Page } from './page';
import { approvalDefsPage } from './pages/approval-defs';
import { approvalsPage } from './pages/approvals';
import { auditPage } from './pages/audit';
import { driverPage } from './pages/driver';
import { driversPage } from './pages/drivers';
import { energyPage } from './pages/energy';
import { energyAgenciesPage } from './pages/energy-agencies';
import { energyChartsPage } from './pages/energy-charts';
import { energyMetersPage } from './pages/energy-meters';
import { energyProjectsPage } from './pages/energy-projects';
import { energySettingsPage } from './pages/energy-settings';
import { homePage } from './pages/home';
import { mapPage } from './pages/map';
import { playbackPage } from './pages/playback';
import { canteenPage } from './pages/canteen';
import { canteenDinerPage } from './pages/canteen-diner';
import { canteenDishesPage } from './pages/canteen-dishes';
import { canteenFeedbackPage } from './pages/canteen-feedback';
import { canteenSafetyPage } from './pages/canteen-safety';
import { canteenWastePage } from './pages/canteen-waste';
import { officePage } from './pages/office';
import { officeFacilitiesPage } from './pages/office-facilities';
import { officeInspectionsPage } from './pages/office-inspections';
import { officeReallocationsPage } from './pages/office-reallocations';
import { officeOverstandardPage, officeStandardsPage } from './pages/office-standards';
import { procurementSummaryPage } from './pages/procurement-summary';
import { procurementsPage } from './pages/procurements';
import { recordsPage } from './pages/records';
import { remindersPage } from './pages/reminders';
import { requestsPage } from './pages/requests';
import { rostersPage } from './pages/rosters';
import { tripStatsPage } from './pages/trip-stats';
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
  '/records': { nav: 'records', page: recordsPage },
  '/reminders': { nav: 'reminders', page: remindersPage },
  '/rosters': { nav: 'rosters', page: rostersPage },
  '/trip-stats': { nav: 'tripStats', page: tripStatsPage },
  '/requests': { nav: 'requests', page: requestsPage },
  '/m/driver': { nav: 'driverTasks', page: driverPage, bare: true },
  '/users': { nav: 'users', page: usersPage },
  '/units': { nav: 'units', page: unitsPage },
  '/audit': { nav: 'audit', page: auditPage },
  '/approvals': { nav: 'approvals', page: approvalsPage },
  '/m/approvals': { nav: 'approvals', page: approvalsPage, bare: true },
  '/procurements': { nav: 'procurements', page: procurementsPage },
  '/procurements/summary': { nav: 'procurementSummary', page: procurementSummaryPage },
  '/office': { nav: 'office', page: officePage },
  '/office/standards': { nav: 'office', page: officeStandardsPage },
  '/office/overstandard': { nav: 'office', page: officeOverstandardPage },
  '/office/reallocations': { nav: 'office', page: officeReallocationsPage },
  '/office/inspections': { nav: 'office', page: officeInspectionsPage },
  '/office/facilities': { nav: 'office', page: officeFacilitiesPage },
  '/m/canteen': { nav: 'canteenDiner', page: canteenDinerPage, bare: true },
  '/canteen': { nav: 'canteen', page: canteenPage },
  '/canteen/dishes': { nav: 'canteen', page: canteenDishesPage },
  '/canteen/feedback': { nav: 'canteen', page: canteenFeedbackPage },
  '/canteen/waste': { nav: 'canteen', page: canteenWastePage },
  '/canteen/safety': { nav: 'canteen', page: canteenSafetyPage },
  '/energy': { nav: 'energy', page: energyPage },
  '/energy/meters': { nav: 'energy', page: energyMetersPage },
  '/energy/charts': { nav: 'energy', page: energyChartsPage },
  '/energy/agencies': { nav: 'energy', page: energyAgenciesPage },
  '/energy/projects': { nav: 'energy', page: energyProjectsPage },
  '/energy/settings': { nav: 'energy', page: energySettingsPage },
  '/admin/approval-definitions': { nav: 'approvalDefs', page: approvalDefsPage },
};
