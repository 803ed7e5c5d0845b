import { h } from '../dom';
import { t, tCode } from '../i18n';
import { loadUnits, unitName, unitOptions } from '../lookups';
import { canSee } from '../access';
import { statusBadge, type PageContext } from '../page';
import { dueBadge } from './records';
import { resourcePage, type Option } from '../resource';
import { energies, vehicleClasses, vehicleStatuses, type Unit, type Vehicle } from '../types';

/** FleetVehicle is a vehicle with the fleet-record fields (issue 7). */
type FleetVehicle = Vehicle & { insurance_expiry?: string | null; inspection_due?: string | null };

/** vehiclesPage lists the fleet; admins add, change and remove vehicles. */
export function vehiclesPage(ctx: PageContext): void {
  let units: Unit[] = [];
  const choices = (prefix: string, codes: readonly string[]): Option[] => codes.map((c) => ({ value: c, label: tCode(prefix, c) }));

  resourcePage<FleetVehicle>(ctx, {
    path: '/api/vehicles',
    title: 'nav.vehicles',
    noun: 'noun.vehicle',
    label: (v) => v.plate,
    prepare: async (signal) => {
      units = await loadUnits(signal);
    },
    columns: [
      { label: 'vehicle.plate', cell: (v) => h('strong', { class: 'plate' }, v.plate) },
      { label: 'vehicle.class', cell: (v) => tCode('class', v.class) },
      { label: 'vehicle.seats', cell: (v) => v.seats, className: 'num' },
      { label: 'vehicle.energy', cell: (v) => tCode('energy', v.energy) },
      {
        label: 'vehicle.ownership',
        cell: (v) =>
          v.pooled
            ? t('vehicle.pooledYes')
            : [t('vehicle.pooledNo'), h('div', { class: 'sub' }, unitName(units, v.unit_id, v.unit_name))],
      },
      { label: 'vehicle.terminalPhone', cell: (v) => v.terminal_phone || t('common.none'), className: 'mono' },
      { label: 'vehicle.status', cell: (v) => statusBadge('vstatus', v.status, tCode('vstatus', v.status)) },
      {
        label: 'vehicle.dues',
        cell: (v) => [
          h('div', { class: 'sub', 'data-field': 'insurance_expiry' }, t('vehicle.insuranceShort'), ' ', dueBadge(v.insurance_expiry)),
          h('div', { class: 'sub', 'data-field': 'inspection_due' }, t('vehicle.inspectionShort'), ' ', dueBadge(v.inspection_due)),
        ],
      },
    ],
    rowActions: canSee(ctx.user.role, 'records')
      ? (v) => h('a', { class: 'btn small', href: `/records?vehicle=${v.id}`, 'data-action': 'records' }, t('vehicle.records'))
      : undefined,
    defaults: { class: 'general', seats: 5, energy: 'gasoline', pooled: true, status: 'available' },
    fields: [
      { name: 'plate', label: 'vehicle.plate', kind: 'text', required: true, placeholder: 'vehicle.platePlaceholder', maxLength: 16 },
      { name: 'class', label: 'vehicle.class', kind: 'select', required: true, options: () => choices('class', vehicleClasses) },
      { name: 'seats', label: 'vehicle.seats', kind: 'number', required: true, min: 1, max: 99 },
      { name: 'energy', label: 'vehicle.energy', kind: 'select', required: true, options: () => choices('energy', energies) },
      { name: 'status', label: 'vehicle.status', kind: 'select', required: true, options: () => choices('vstatus', vehicleStatuses) },
      {
        name: 'terminal_phone',
        label: 'vehicle.terminalPhone',
        kind: 'text',
        inputMode: 'numeric',
        maxLength: 20,
        hint: 'vehicle.terminalPhoneHint',
      },
      { name: 'odometer_km', label: 'vehicle.odometer', kind: 'number', min: 0, hint: 'vehicle.odometerHint' },
      { name: 'range_km', label: 'vehicle.range', kind: 'number', min: 1, max: 2000, hint: 'vehicle.rangeHint' },
      { name: 'insurance_expiry', label: 'vehicle.insuranceExpiry', kind: 'date', hint: 'vehicle.datesHint' },
      { name: 'inspection_due', label: 'vehicle.inspectionDue', kind: 'date' },
      { name: 'parking_name', label: 'vehicle.parkingName', kind: 'text', maxLength: 100 },
      { name: 'parking_lat', label: 'vehicle.parkingLat', kind: 'number', min: -90, max: 90 },
      { name: 'parking_lng', label: 'vehicle.parkingLng', kind: 'number', min: -180, max: 180 },
      { name: 'pooled', label: 'vehicle.pooled', kind: 'checkbox' },
      {
        name: 'unit_id',
        label: 'vehicle.unit',
        kind: 'select',
        numeric: true,
        empty: 'common.none',
        hint: 'vehicle.unitHint',
        options: () => unitOptions(units),
      },
    ],
  });
}
