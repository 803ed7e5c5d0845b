import '../office.css';
import '../energy.css';
import { isAbort } from '../api';
import { h, replace } from '../dom';
import * as api from '../energy/api';
import { num } from '../energy/format';
import type { CO2Factor, Coefficient, Settings, UnitBasis } from '../energy/types';
import { energyTabs, kindName, readOnlyBadge, uomName } from '../energy/views';
import { flash } from '../flash';
import { t } from '../i18n';
import { statusLine, table } from '../office/views';
import { errorText, pageHeader, type PageContext } from '../page';

// The figures' settings: the coefficients to standard coal and the CO2 factors with their
// sources, the province whose factors apply, fuel densities, the jump check, the targets, and
// each unit's headcount and area.

/** energySettingsPage renders /energy/settings. */
export function energySettingsPage(ctx: PageContext): void {
  const { root, signal, writable } = ctx;
  const coefBox = h('section', { class: 'card', id: 'energy-coefficients-card' }, statusLine());
  const co2Box = h('section', { class: 'card', id: 'energy-co2-card' }, statusLine());
  const setBox = h('section', { class: 'card', id: 'energy-settings-card' }, statusLine());
  const unitBox = h('section', { class: 'card', id: 'energy-units-card' }, statusLine());
  root.classList.add('of-page');
  replace(root, pageHeader('en.settings.title', readOnlyBadge(writable)), energyTabs('settings'), coefBox, co2Box, setBox, unitBox);

  /** guarded runs a load or a save and shows its failure in box's message. */
  async function guarded(message: HTMLElement, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      if (isAbort(err)) return;
      message.textContent = errorText(err);
      message.className = 'status error';
    }
  }

  async function loadCoefficients(): Promise<void> {
    const message = h('div', { class: 'status', role: 'alert' });
    await guarded(message, async () => {
      const rows = await api.coefficients(signal);
      const inputs = rows.map((c) => h('input', { type: 'number', class: 'of-num-input', min: 0, step: 'any', value: c.value, 'data-kind': c.kind, disabled: !writable, 'aria-label': kindName(c.kind) }));
      replace(
        coefBox,
        h('h2', null, t('en.settings.coefficients')),
        h('p', { class: 'muted' }, t('en.settings.coefficientsHint')),
        table<Coefficient>(
          'energy-coefficients-table',
          [
            { label: 'en.meter.kind', cell: (c) => kindName(c.kind) },
            { label: 'en.settings.value', cell: (c) => [inputs[rows.indexOf(c)], ` ${uomName(c.uom)}`], className: 'nowrap' },
            { label: 'en.settings.source', cell: (c) => h('span', { class: 'sub' }, c.source) },
          ],
          rows,
          (c) => ({ 'data-kind': c.kind }),
        ),
        message,
        writable &&
          h(
            'button',
            {
              type: 'button',
              class: 'btn primary',
              id: 'energy-coefficients-save',
              onclick: () =>
                guarded(message, async () => {
                  await api.saveCoefficients(rows.map((c, i) => ({ kind: c.kind, value: Number(inputs[i].value), source: c.source })), signal);
                  flash(t('common.saved'));
                  await loadCoefficients();
                }),
            },
            t('common.save'),
          ),
      );
    });
    if (message.textContent) coefBox.append(message);
  }

  async function loadCO2(): Promise<void> {
    const message = h('div', { class: 'status', role: 'alert' });
    await guarded(message, async () => {
      const rows = await api.co2Factors(signal);
      const region = h('input', { type: 'text', id: 'energy-co2-region', maxlength: 32, placeholder: t('en.settings.regionPlaceholder') });
      const value = h('input', { type: 'number', id: 'energy-co2-value', class: 'of-num-input', min: 0, step: 'any' });
      const source = h('input', { type: 'text', id: 'energy-co2-source', maxlength: 500, placeholder: t('en.settings.source') });
      replace(
        co2Box,
        h('h2', null, t('en.settings.co2')),
        h('p', { class: 'muted' }, t('en.settings.co2Hint')),
        table<CO2Factor>(
          'energy-co2-table',
          [
            { label: 'en.meter.kind', cell: (c) => kindName(c.kind) },
            { label: 'en.settings.region', cell: (c) => c.region || t('en.settings.national') },
            { label: 'en.settings.value', cell: (c) => `${c.value} ${uomName(c.uom)}`, className: 'nowrap' },
            { label: 'en.settings.inUse', cell: (c) => (c.in_use ? h('span', { class: 'badge en-ok' }, t('common.yes')) : '—') },
            { label: 'en.settings.source', cell: (c) => h('span', { class: 'sub' }, c.source) },
            {
              label: 'common.actions',
              className: 'actions',
              hidden: !writable,
              cell: (c) =>
                c.region &&
                h('button', { type: 'button', class: 'btn small danger', onclick: () => guarded(message, async () => (await api.deleteCO2Factor(c.id, signal), await loadCO2())) }, t('common.delete')),
            },
          ],
          rows,
          (c) => ({ 'data-id': c.id }),
        ),
        writable &&
          h(
            'div',
            { class: 'en-inline-form' },
            h('span', null, t('en.settings.addProvince')),
            region,
            value,
            h('span', null, 'kgCO2/kWh'),
            source,
            h(
              'button',
              {
                type: 'button',
                class: 'btn',
                onclick: () =>
                  guarded(message, async () => {
                    await api.saveCO2Factors([{ kind: 'electricity', region: region.value.trim(), value: Number(value.value), source: source.value.trim() }], signal);
                    flash(t('common.saved'));
                    await loadCO2();
                  }),
              },
              t('common.save'),
            ),
          ),
        message,
      );
    });
    if (message.textContent) co2Box.append(message);
  }

  async function loadSettings(): Promise<void> {
    const message = h('div', { class: 'status', role: 'alert' });
    await guarded(message, async () => {
      const s = await api.settings(signal);
      const field = (id: string, label: string, v: string | number, type = 'number') =>
        h('label', { class: 'en-setting' }, label, h('input', { type, id, value: v, step: 'any', disabled: !writable }));
      const read = (id: string): string => (setBox.querySelector<HTMLInputElement>(`#${id}`)?.value ?? '').trim();
      replace(
        setBox,
        h('h2', null, t('en.settings.general')),
        h(
          'div',
          { class: 'en-settings-grid' },
          field('es-province', t('en.settings.province'), s.province, 'text'),
          field('es-gasoline', t('en.settings.gasoline'), s.densities.gasoline),
          field('es-diesel', t('en.settings.diesel'), s.densities.diesel),
          field('es-jump', t('en.settings.jump'), s.jump_factor),
          field('es-agencies', t('en.settings.agenciesTotal'), s.agencies_total),
          field('es-pass', t('en.settings.passScore'), s.agency_pass_score),
        ),
        h('p', { class: 'muted' }, s.density_source),
        h(
          'p',
          { class: 'muted', id: 'energy-targets' },
          t('en.settings.targets', {
            year: s.targets.baseline_year,
            m2: num(s.targets.baseline_per_m2_kgce, 2),
            person: num(s.targets.baseline_per_person_kgce, 2),
            target: s.targets.target_year,
            cutM2: s.targets.cut_per_m2_pct,
            cutPerson: s.targets.cut_per_person_pct,
          }),
        ),
        h('p', { class: 'muted' }, s.targets.source),
        message,
        writable &&
          h(
            'button',
            {
              type: 'button',
              class: 'btn primary',
              id: 'energy-settings-save',
              onclick: () =>
                guarded(message, async () => {
                  const next: Settings = {
                    ...s,
                    province: read('es-province'),
                    densities: { gasoline: Number(read('es-gasoline')), diesel: Number(read('es-diesel')) },
                    jump_factor: Number(read('es-jump')),
                    agencies_total: Number(read('es-agencies')),
                    agency_pass_score: Number(read('es-pass')),
                  };
                  await api.saveSettings(next, signal);
                  flash(t('common.saved'));
                  await Promise.all([loadSettings(), loadCO2()]);
                }),
            },
            t('common.save'),
          ),
      );
    });
    if (message.textContent) setBox.append(message);
  }

  async function loadUnitsBasis(): Promise<void> {
    const message = h('div', { class: 'status', role: 'alert' });
    await guarded(message, async () => {
      const rows = await api.bases(signal);
      replace(
        unitBox,
        h('h2', null, t('en.settings.units')),
        h('p', { class: 'muted' }, t('en.settings.unitsHint')),
        table<UnitBasis>(
          'energy-units-table',
          [
            { label: 'en.col.unit', cell: (u) => u.unit_name },
            { label: 'en.settings.users', cell: (u) => u.users, className: 'num' },
            {
              label: 'en.col.headcount',
              cell: (u) => h('input', { type: 'number', class: 'of-num-input', min: 1, value: u.headcount_set ?? '', placeholder: String(u.users), 'data-field': 'headcount', disabled: !writable }),
            },
            { label: 'en.settings.ledgerArea', cell: (u) => num(u.ledger_area_m2, 2), className: 'num' },
            {
              label: 'en.col.area',
              cell: (u) => h('input', { type: 'number', class: 'of-num-input', min: 0, step: 'any', value: u.area_set_m2 ?? '', placeholder: num(u.ledger_area_m2, 2), 'data-field': 'area', disabled: !writable }),
            },
            {
              label: 'common.actions',
              className: 'actions',
              hidden: !writable,
              cell: (u) =>
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'btn small',
                    onclick: (ev: Event) => {
                      const tr = (ev.target as HTMLElement).closest('tr')!;
                      const val = (f: string): number | null => {
                        const v = tr.querySelector<HTMLInputElement>(`input[data-field="${f}"]`)!.value.trim();
                        return v === '' ? null : Number(v);
                      };
                      void guarded(message, async () => {
                        await api.saveBasis(u.unit_id, { headcount: val('headcount'), area_m2: val('area'), note: u.note }, signal);
                        flash(t('common.saved'));
                        await loadUnitsBasis();
                      });
                    },
                  },
                  t('common.save'),
                ),
            },
          ],
          rows,
          (u) => ({ 'data-unit-id': u.unit_id }),
        ),
        message,
      );
    });
    if (message.textContent) unitBox.append(message);
  }

  void loadCoefficients();
  void loadCO2();
  void loadSettings();
  void loadUnitsBasis();
}
