import '../office.css';
import '../energy.css';
import { isAbort } from '../api';
import { h, replace } from '../dom';
import * as api from '../energy/api';
import { num } from '../energy/format';
import { kinds, projectKinds, projectStatuses, type Meter, type Project } from '../energy/types';
import { amount, energyTabs, kindName, readOnlyBadge } from '../energy/views';
import { flash } from '../flash';
import { t, tCode } from '../i18n';
import { loadUnits, unitOptions } from '../lookups';
import { statusLine, table } from '../office/views';
import { errorText, pageHeader, type PageContext } from '../page';
import { openForm, type Field, type Option } from '../resource-form';
import type { Unit } from '../types';

// Energy-saving retrofits and new-energy projects (节能改造、新能源项目): investment, status, and
// the savings before vs after, entered and, where a meter measures them, as read.

/** energyProjectsPage renders /energy/projects. */
export function energyProjectsPage(ctx: PageContext): void {
  const { root, signal, writable } = ctx;
  let units: Unit[] = [];
  let meters: Meter[] = [];
  let buildings: Option[] = [];
  const status = statusLine();
  const list = h('div');
  root.classList.add('of-page');
  replace(
    root,
    pageHeader('en.projects.title', readOnlyBadge(writable), writable && h('button', { type: 'button', class: 'btn primary', id: 'energy-project-add', onclick: () => edit(null) }, `+ ${t('en.projects.add')}`)),
    energyTabs('projects'),
    status,
    list,
  );

  async function load(): Promise<void> {
    try {
      const [p, u, m, b] = await Promise.all([api.projects(signal), loadUnits(signal), api.meters(signal), api.buildings(signal).catch(() => [])]);
      units = u;
      meters = m;
      buildings = b.map((x) => ({ value: String(x.id), label: x.name }));
      status.textContent = '';
      draw(p);
    } catch (err) {
      if (isAbort(err)) return;
      status.textContent = t('error.load', { message: errorText(err) });
      status.className = 'status error';
    }
  }

  function draw(items: Project[]): void {
    if (!items.length) {
      replace(list, h('div', { class: 'status empty' }, t('en.projects.none')));
      return;
    }
    replace(
      list,
      table<Project>(
        'energy-projects',
        [
          { label: 'en.projects.name', cell: (p) => h('div', null, p.name, h('div', { class: 'sub muted' }, `${tCode('enProject', p.kind)} · ${p.unit_name}${p.building_name ? ` · ${p.building_name}` : ''}`)) },
          { label: 'en.projects.investment', cell: (p) => num(p.investment_yuan / 10000, 2), className: 'num' },
          { label: 'en.projects.status', cell: (p) => h('span', { class: `badge en-project-${p.status}` }, tCode('enProjectStatus', p.status)) },
          { label: 'en.projects.dates', cell: (p) => [p.started_on, p.completed_on].filter(Boolean).join(' → ') || '—', className: 'nowrap' },
          { label: 'en.projects.saving', cell: (p) => (p.saving ? `${amount(p.saving.amount, p.saving.uom, 0)} · ${num(p.saving.tce, 3)} tce` : '—'), className: 'nowrap' },
          { label: 'en.projects.savingPct', cell: (p) => (p.saving?.pct != null ? `${num(p.saving.pct, 1)}%` : '—'), className: 'num' },
          {
            label: 'en.projects.measured',
            cell: (p) =>
              p.kind === 'pv' && p.measured?.after_monthly != null
                ? t('en.projects.generated', { meter: p.meter_name, after: amount(p.measured.after_monthly, p.measured.uom, 0), n: p.measured.after_months })
                : p.measured && (p.measured.before_monthly !== null || p.measured.after_monthly !== null)
                ? t('en.projects.measuredText', {
                    meter: p.meter_name,
                    before: amount(p.measured.before_monthly, p.measured.uom, 0),
                    after: amount(p.measured.after_monthly, p.measured.uom, 0),
                    pct: p.measured.saving_pct != null ? `${num(p.measured.saving_pct, 1)}%` : '—',
                  })
                : '—',
          },
          { label: 'common.actions', className: 'actions', hidden: !writable, cell: (p) => h('button', { type: 'button', class: 'btn small', onclick: () => edit(p) }, t('common.edit')) },
        ],
        items,
        (p) => ({ 'data-project-id': p.id }),
      ),
    );
  }

  function edit(p: Project | null): void {
    const opts = (codes: readonly string[], prefix: string): Option[] => codes.map((c) => ({ value: c, label: tCode(prefix, c) }));
    const fields: Field<Project>[] = [
      { name: 'name', label: 'en.projects.name', kind: 'text', required: true, maxLength: 200 },
      { name: 'kind', label: 'en.projects.kind', kind: 'select', required: true, options: () => opts(projectKinds, 'enProject') },
      { name: 'unit_id', label: 'en.col.unit', kind: 'select', required: true, numeric: true, options: () => unitOptions(units) },
      { name: 'building_id', label: 'en.meter.building', kind: 'select', numeric: true, empty: 'common.none', options: () => buildings },
      { name: 'meter_id', label: 'en.projects.meter', kind: 'select', numeric: true, empty: 'common.none', options: () => meters.map((m) => ({ value: String(m.id), label: `${m.name}（${m.unit_name}）` })), hint: 'en.projects.meterHint' },
      { name: 'energy_kind', label: 'en.projects.energyKind', kind: 'select', empty: 'common.none', options: () => kinds.map((k) => ({ value: k, label: kindName(k) })) },
      { name: 'investment_yuan', label: 'en.projects.investmentYuan', kind: 'number', min: 0 },
      { name: 'status', label: 'en.projects.status', kind: 'select', required: true, options: () => opts(projectStatuses, 'enProjectStatus') },
      { name: 'started_on', label: 'en.projects.startedOn', kind: 'date' },
      { name: 'completed_on', label: 'en.projects.completedOn', kind: 'date' },
      { name: 'capacity_kw', label: 'en.projects.capacity', kind: 'number', min: 0 },
      { name: 'before_amount', label: 'en.projects.before', kind: 'number', min: 0, hint: 'en.projects.amountHint' },
      { name: 'after_amount', label: 'en.projects.after', kind: 'number', min: 0 },
      { name: 'note', label: 'en.meter.note', kind: 'text', maxLength: 500 },
    ];
    openForm<Project>({
      id: 'energy-project-form',
      title: t(p ? 'common.editTitle' : 'common.newTitle', { noun: t('en.projects.noun') }),
      fields,
      row: p,
      defaults: { kind: 'lighting', status: 'planned', investment_yuan: 0 },
      signal,
      submit: async (values) => {
        const body = { ...values, energy_kind: values.energy_kind ?? '', investment_yuan: values.investment_yuan ?? 0 };
        await api.saveProject(body, p?.id ?? null, signal);
        flash(t('common.saved'));
        await load();
      },
    });
  }

  void load();
}
