import { h } from '../dom';
import { t, tCode } from '../i18n';
import { loadDriverAccounts, loadUnits, unitName, unitOptions } from '../lookups';
import { statusBadge, type PageContext } from '../page';
import { resourcePage } from '../resource';
import { driverStatuses, type Driver, type Unit, type User } from '../types';

// Driving-licence classes a pooled-fleet driver may hold (GB: 准驾车型).
const licenseClasses = ['A1', 'A2', 'A3', 'B1', 'B2', 'C1', 'C2'];

/** driversPage lists the pooled fleet's drivers; admins add, change and remove them. */
export function driversPage(ctx: PageContext): void {
  let units: Unit[] = [];
  let accounts: User[] = [];

  resourcePage<Driver>(ctx, {
    path: '/api/drivers',
    title: 'nav.drivers',
    noun: 'noun.driver',
    label: (d) => d.name,
    prepare: async (signal) => {
      [units, accounts] = await Promise.all([loadUnits(signal), ctx.writable ? loadDriverAccounts(signal) : []]);
    },
    columns: [
      { label: 'driver.name', cell: (d) => h('strong', null, d.name) },
      { label: 'driver.phone', cell: (d) => d.phone || t('common.none'), className: 'mono' },
      { label: 'driver.licenseClass', cell: (d) => d.license_class || t('common.none') },
      { label: 'driver.licenseExpiry', cell: (d) => expiry(d.license_expiry) },
      { label: 'driver.unit', cell: (d) => unitName(units, d.unit_id, d.unit_name) || t('common.none') },
      { label: 'driver.status', cell: (d) => statusBadge('dstatus', d.status, tCode('dstatus', d.status)) },
    ],
    defaults: { license_class: 'C1', status: 'on_duty' },
    fields: [
      { name: 'name', label: 'driver.name', kind: 'text', required: true, maxLength: 32 },
      { name: 'phone', label: 'driver.phone', kind: 'tel', required: true, maxLength: 20 },
      {
        name: 'license_class',
        label: 'driver.licenseClass',
        kind: 'select',
        required: true,
        options: () => licenseClasses.map((c) => ({ value: c, label: c })),
      },
      { name: 'license_expiry', label: 'driver.licenseExpiry', kind: 'date', required: true },
      { name: 'unit_id', label: 'driver.unit', kind: 'select', numeric: true, empty: 'common.none', options: () => unitOptions(units) },
      {
        name: 'user_id',
        label: 'driver.user',
        kind: 'select',
        numeric: true,
        empty: 'common.none',
        hint: 'driver.userHint',
        options: () => accounts.map((u) => ({ value: String(u.id), label: `${u.name} (${u.username})` })),
      },
      {
        name: 'status',
        label: 'driver.status',
        kind: 'select',
        required: true,
        options: () => driverStatuses.map((s) => ({ value: s, label: tCode('dstatus', s) })),
      },
    ],
  });
}

/** expiry shows a licence's last valid day, flagged when past or within 30 days. */
function expiry(date: string): Node | string {
  if (!date) return t('common.none');
  const day = date.slice(0, 10);
  const days = (Date.parse(day) - Date.now()) / 86_400_000;
  if (Number.isNaN(days)) return day;
  if (days < -1) return h('span', { class: 'warn-strong' }, `${day} · ${t('driver.licenseExpired')}`);
  if (days < 30) return h('span', { class: 'warn' }, `${day} · ${t('driver.licenseExpiring')}`);
  return day;
}
