import '../office.css';
import '../energy.css';
import { isAbort } from '../api';
import { h, replace } from '../dom';
import { t, tCode } from '../i18n';
import * as api from '../energy/api';
import { lastMonth, num, share, signed } from '../energy/format';
import type { Kind, MonthReport, UnitFigure } from '../energy/types';
import { energyTabs, kindName, readOnlyBadge, uomName } from '../energy/views';
import { statusLine, table, type Col } from '../office/views';
import { errorText, pageHeader, type PageContext } from '../page';
import { formatTime } from '../time';

// The monthly energy statistics (能耗统计月报): each unit's use per kind, in standard coal and
// CO2, the indicators, the change against last year, the check that every meter has its
// readings, and the report as XLSX for reporting upward. ?month=YYYY-MM picks the month.

const shown: Kind[] = ['electricity', 'water', 'natural_gas', 'heat', 'gasoline', 'diesel', 'pv'];

/** energyPage renders /energy. */
export function energyPage(ctx: PageContext): void {
  const { root, signal, writable } = ctx;
  let month = new URLSearchParams(location.search).get('month') || lastMonth();
  const picker = h('input', { type: 'month', id: 'energy-month', value: month, 'aria-label': t('en.report.month') });
  const download = h('a', { class: 'btn', id: 'energy-xlsx', href: api.reportURL(month), download: '' }, t('en.report.download'));
  const status = statusLine();
  const body = h('div', { id: 'energy-report' });
  root.classList.add('of-page');
  replace(
    root,
    pageHeader('en.report.title', readOnlyBadge(writable), h('label', { class: 'en-month' }, t('en.report.month'), picker), download),
    energyTabs('report'),
    status,
    body,
  );
  picker.addEventListener('change', () => {
    if (!/^\d{4}-\d{2}$/.test(picker.value)) return;
    month = picker.value;
    download.href = api.reportURL(month);
    history.replaceState(null, '', `/energy?month=${month}`);
    void load();
  });

  async function load(): Promise<void> {
    status.textContent = t('common.loading');
    status.className = 'status';
    try {
      const r = await api.report(month, signal);
      status.textContent = '';
      draw(r);
    } catch (err) {
      if (isAbort(err)) return;
      replace(body);
      status.textContent = t('error.load', { message: errorText(err) });
      status.className = 'status error';
    }
  }

  function draw(r: MonthReport): void {
    replace(
      body,
      completeness(r),
      tiles(r),
      h('h2', { class: 'section-title' }, t('en.report.units', { month: r.month })),
      r.units.length ? unitTable(r) : h('div', { class: 'status empty' }, t('en.report.none')),
      h('p', { class: 'muted en-note' }, t('en.report.method')),
      r.completeness.missing.length > 0 && missingTable(r),
      r.buildings.length > 0 && buildingTable(r),
      r.vehicles.length > 0 && vehicleTable(r),
      h(
        'p',
        { class: 'muted en-note', id: 'energy-coefficients' },
        t('en.report.coefficients'),
        r.coefficients.map((c) => `${kindName(c.kind)} ${c.value} ${uomName(c.uom)}`).join('；'),
      ),
    );
  }

  void load();
}

function completeness(r: MonthReport): HTMLElement {
  const c = r.completeness;
  const text = c.complete ? t('en.report.complete', { meters: c.meters }) : t('en.report.incomplete', { n: c.missing.length, meters: c.meters });
  return h(
    'div',
    { id: 'energy-completeness', class: c.complete ? 'en-check ok' : 'en-check bad', 'data-complete': String(c.complete), role: 'status' },
    h('strong', null, text),
    c.flagged > 0 && h('span', null, ' ', h('a', { href: '/energy/meters?status=flagged' }, t('en.report.flagged', { n: c.flagged }))),
  );
}

function tiles(r: MonthReport): HTMLElement {
  const c = r.county;
  const tile = (id: string, value: string, label: string) =>
    h('div', { class: 'stat', id }, h('div', { class: 'stat-value' }, value), h('div', { class: 'stat-label' }, label));
  return h(
    'div',
    { class: 'stats' },
    tile('energy-total-tce', num(r.total_tce, 4), t('en.report.totalTce')),
    tile('energy-total-co2', num(r.total_co2_kg / 1000, 3), t('en.report.co2')),
    tile('energy-per-capita', num(c.per_capita_kgce, 2), t('en.report.perCapita')),
    tile('energy-per-m2', num(c.per_m2_kgce, 3), t('en.report.perM2')),
    tile('energy-yoy', signed(c.yoy_pct), t('en.report.yoy')),
  );
}

function unitTable(r: MonthReport): HTMLElement {
  const kindCols: Col<UnitFigure>[] = shown
    .filter((k) => r.units.some((u) => u.by_kind[k]))
    .map((k) => ({
      label: `en.kindCol.${k}` as const,
      className: 'num nowrap',
      field: k,
      cell: (u: UnitFigure) => num(u.by_kind[k]?.amount ?? 0, k === 'heat' ? 3 : 2),
    }));
  const cols: Col<UnitFigure>[] = [
    { label: 'en.col.unit', cell: (u) => u.unit_name, field: 'unit', className: 'nowrap' },
    { label: 'en.col.headcount', cell: (u) => u.headcount || '—', className: 'num', field: 'headcount' },
    { label: 'en.col.area', cell: (u) => (u.area_m2 ? num(u.area_m2, 2) : '—'), className: 'num nowrap', field: 'area' },
    ...kindCols,
    { label: 'en.col.tce', cell: (u) => num(u.tce, 4), className: 'num strong', field: 'tce' },
    { label: 'en.col.vehicleTce', cell: (u) => num(u.vehicle_tce, 4), className: 'num', field: 'vehicle_tce' },
    { label: 'en.col.co2', cell: (u) => num(u.co2_kg / 1000, 3), className: 'num', field: 'co2' },
    { label: 'en.col.perCapita', cell: (u) => num(u.per_capita_kgce, 2), className: 'num', field: 'per_capita' },
    { label: 'en.col.perM2', cell: (u) => num(u.per_m2_kgce, 3), className: 'num', field: 'per_m2' },
    { label: 'en.col.pvShare', cell: (u) => share(u.pv_share), className: 'num', field: 'pv_share' },
    { label: 'en.col.yoy', cell: (u) => signed(u.yoy_pct), className: 'num', field: 'yoy' },
    { label: 'en.col.complete', cell: (u) => h('span', { class: u.complete ? 'badge en-ok' : 'badge en-bad' }, u.complete ? t('common.yes') : t('common.no')), field: 'complete' },
  ];
  const wrap = table<UnitFigure>('energy-units', cols, r.units, (u) => ({ 'data-unit-id': u.unit_id }));
  const total = { ...r.county, unit_name: t('en.report.total') };
  wrap.querySelector('table')!.append(
    h('tfoot', null, h('tr', { id: 'energy-total-row' }, cols.map((c) => h('td', { class: c.className, 'data-field': c.field }, c.cell(total))))),
  );
  return wrap;
}

function missingTable(r: MonthReport): HTMLElement {
  return h(
    'section',
    { class: 'card', id: 'energy-missing' },
    h('h3', null, t('en.missing.title')),
    table(
      'energy-missing-list',
      [
        { label: 'en.col.unit', cell: (m) => m.unit_name },
        { label: 'en.meter.name', cell: (m) => h('a', { href: `/energy/meters?meter=${m.meter_id}` }, m.meter_name) },
        { label: 'en.meter.kind', cell: (m) => kindName(m.kind) },
        { label: 'en.meter.building', cell: (m) => m.building_name || '—' },
        { label: 'en.missing.side', cell: (m) => t(`en.side.${m.side}`) },
        { label: 'en.missing.last', cell: (m) => (m.last_at ? formatTime(m.last_at) : t('en.missing.never')) },
        { label: 'en.missing.flagged', cell: (m) => m.flagged || '—', className: 'num' },
      ],
      r.completeness.missing,
      (m) => ({ 'data-meter-id': m.meter_id }),
    ),
  );
}

function buildingTable(r: MonthReport): HTMLElement {
  return h(
    'section',
    null,
    h('h2', { class: 'section-title' }, t('en.buildings.title')),
    table(
      'energy-buildings',
      [
        { label: 'en.meter.building', cell: (b) => b.name },
        { label: 'en.col.area', cell: (b) => num(b.area_m2, 2), className: 'num' },
        { label: 'en.col.tce', cell: (b) => num(b.tce, 4), className: 'num' },
        { label: 'en.col.perM2', cell: (b) => num(b.per_m2_kgce, 3), className: 'num' },
        { label: 'en.col.pvShare', cell: (b) => share(b.pv_share), className: 'num' },
      ],
      r.buildings,
      (b) => ({ 'data-building-id': b.building_id }),
    ),
  );
}

function vehicleTable(r: MonthReport): HTMLElement {
  return h(
    'section',
    null,
    h('h2', { class: 'section-title' }, t('en.vehicles.title')),
    h('p', { class: 'muted' }, t('en.vehicles.hint')),
    table(
      'energy-vehicles',
      [
        { label: 'en.vehicles.plate', cell: (v) => h('span', { class: 'plate' }, v.plate) },
        { label: 'en.col.unit', cell: (v) => v.unit_name },
        { label: 'en.vehicles.energy', cell: (v) => tCode('energy', v.energy) },
        { label: 'en.vehicles.trips', cell: (v) => v.trips, className: 'num' },
        { label: 'en.vehicles.fuel', cell: (v) => num(v.fuel_l, 2), className: 'num' },
        { label: 'en.vehicles.fuelKg', cell: (v) => num(v.fuel_kg, 3), className: 'num' },
        { label: 'en.vehicles.charge', cell: (v) => num(v.charge_kwh, 2), className: 'num' },
        { label: 'en.col.tce', cell: (v) => num(v.tce, 4), className: 'num' },
      ],
      r.vehicles,
      (v) => ({ 'data-vehicle-id': v.vehicle_id }),
    ),
  );
}
