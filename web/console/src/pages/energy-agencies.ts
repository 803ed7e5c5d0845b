import '../office.css';
import '../energy.css';
import { isAbort } from '../api';
import { h, replace } from '../dom';
import * as api from '../energy/api';
import { num, share } from '../energy/format';
import type { Agency, AgencySummary } from '../energy/types';
import { energyTabs, readOnlyBadge } from '../energy/views';
import { flash } from '../flash';
import { t, tCode } from '../i18n';
import { loadUnits, unitOptions } from '../lookups';
import { askReason, statusLine, table } from '../office/views';
import { errorText, pageHeader, type PageContext } from '../page';
import { openForm } from '../resource-form';
import type { Unit } from '../types';

// Saving-type agencies (节约型机关): the county's share certified against the plan's target, the
// units enrolled with their checklist scores and status; the energy manager enrols, scores and
// decides.

/** energyAgenciesPage renders /energy/agencies. */
export function energyAgenciesPage(ctx: PageContext): void {
  const { root, signal, writable } = ctx;
  let units: Unit[] = [];
  let items: Agency[] = [];
  const status = statusLine();
  const summary = h('div', { id: 'energy-agency-summary' });
  const list = h('div');
  const detail = h('section', { class: 'card', id: 'energy-agency', hidden: true });
  root.classList.add('of-page');
  replace(
    root,
    pageHeader('en.agencies.title', readOnlyBadge(writable), writable && h('button', { type: 'button', class: 'btn primary', id: 'energy-agency-add', onclick: () => enrol() }, `+ ${t('en.agencies.enrol')}`)),
    energyTabs('agencies'),
    status,
    summary,
    list,
    detail,
  );

  async function load(): Promise<void> {
    try {
      const [r, u] = await Promise.all([api.agencies(signal), loadUnits(signal)]);
      items = r.items;
      units = u;
      status.textContent = '';
      drawSummary(r.summary);
      drawList();
    } catch (err) {
      if (isAbort(err)) return;
      status.textContent = t('error.load', { message: errorText(err) });
      status.className = 'status error';
    }
  }

  function drawSummary(s: AgencySummary): void {
    const tile = (id: string, value: string, label: string) => h('div', { class: 'stat', id }, h('div', { class: 'stat-value' }, value), h('div', { class: 'stat-label' }, label));
    replace(
      summary,
      h(
        'div',
        { class: 'stats' },
        tile('energy-agency-share', share(s.share), t('en.agencies.share')),
        tile('energy-agency-target', share(s.target.share, 0), t('en.agencies.target', { year: s.target.year })),
        tile('energy-agency-certified', `${s.certified} / ${s.agencies}`, t('en.agencies.certified')),
        tile('energy-agency-enrolled', String(s.enrolled), t('en.agencies.enrolled')),
      ),
      h('p', { class: s.met ? 'en-check ok' : 'en-check bad', id: 'energy-agency-met' }, s.met ? t('en.agencies.met') : t('en.agencies.notMet', { pass: num(s.pass_score, 0) })),
    );
  }

  function drawList(): void {
    if (!items.length) {
      replace(list, h('div', { class: 'status empty' }, t('en.agencies.none')));
      return;
    }
    replace(
      list,
      table<Agency>(
        'energy-agencies',
        [
          { label: 'en.col.unit', cell: (a) => h('a', { href: '#', onclick: (ev: Event) => (ev.preventDefault(), show(a)) }, a.unit_name) },
          { label: 'en.agencies.enrolledOn', cell: (a) => a.enrolled_on },
          { label: 'en.agencies.score', cell: (a) => num(a.score, 1), className: 'num' },
          { label: 'en.agencies.status', cell: (a) => h('span', { class: `badge en-agency-${a.status}` }, tCode('enAgency', a.status)) },
          { label: 'en.agencies.decidedOn', cell: (a) => a.decided_on || '—' },
        ],
        items,
        (a) => ({ 'data-agency-id': a.id, 'data-status': a.status }),
      ),
    );
  }

  function show(a: Agency): void {
    detail.hidden = false;
    const inputs = a.scores.map((s) =>
      h('input', { type: 'number', class: 'of-num-input', min: 0, max: s.max_score, step: '0.5', value: s.score ?? '', 'data-code': s.code, disabled: !writable || a.status === 'certified', 'aria-label': s.name }),
    );
    const message = h('div', { class: 'status', role: 'status' });
    replace(
      detail,
      h('h2', null, a.unit_name, h('span', { class: 'muted of-sub' }, tCode('enAgency', a.status))),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'data', id: 'energy-checklist' },
          h('thead', null, h('tr', null, h('th', null, t('en.agencies.item')), h('th', { class: 'num' }, t('en.agencies.max')), h('th', null, t('en.agencies.score')))),
          h('tbody', null, a.scores.map((s, i) => h('tr', { 'data-code': s.code }, h('td', null, s.name), h('td', { class: 'num' }, num(s.max_score, 0)), h('td', null, inputs[i])))),
        ),
      ),
      message,
      writable &&
        h(
          'div',
          { class: 'of-actions' },
          a.status !== 'certified' &&
            h(
              'button',
              {
                type: 'button',
                class: 'btn primary',
                id: 'energy-agency-score',
                onclick: async () => {
                  const scores = inputs.filter((i) => i.value.trim() !== '').map((i) => ({ code: i.dataset.code!, score: Number(i.value) }));
                  await act(() => api.score(a.id, { scores }, signal), message);
                },
              },
              t('en.agencies.saveScores'),
            ),
          a.status === 'evaluated' && h('button', { type: 'button', class: 'btn', id: 'energy-agency-certify', onclick: () => decide(a, 'certified', message) }, t('en.agencies.certify')),
          a.status === 'evaluated' && h('button', { type: 'button', class: 'btn danger', onclick: () => decide(a, 'not_passed', message) }, t('en.agencies.fail')),
          (a.status === 'certified' || a.status === 'not_passed') && h('button', { type: 'button', class: 'btn', onclick: () => decide(a, 'enrolled', message) }, t('en.agencies.reopen')),
        ),
    );
    detail.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }

  async function decide(a: Agency, status: string, message: HTMLElement): Promise<void> {
    const note = await askReason(t('en.agencies.decideQ', { unit: a.unit_name, status: tCode('enAgency', status) }), tCode('enAgency', status), signal);
    if (note === null) return;
    await act(() => api.decide(a.id, { status, note }, signal), message);
  }

  async function act(call: () => Promise<Agency>, message: HTMLElement): Promise<void> {
    try {
      const a = await call();
      flash(t('common.saved'));
      await load();
      show(a);
    } catch (err) {
      if (isAbort(err)) return;
      message.textContent = errorText(err);
      message.className = 'status error';
    }
  }

  function enrol(): void {
    const taken = new Set(items.map((a) => a.unit_id));
    openForm<Record<string, unknown>>({
      id: 'energy-agency-form',
      title: t('en.agencies.enrol'),
      fields: [
        { name: 'unit_id', label: 'en.col.unit', kind: 'select', required: true, numeric: true, options: () => unitOptions(units, taken) },
        { name: 'enrolled_on', label: 'en.agencies.enrolledOn', kind: 'date' },
        { name: 'note', label: 'en.meter.note', kind: 'text', maxLength: 200 },
      ],
      row: null,
      defaults: {},
      signal,
      submit: async (values) => {
        const a = await api.enrol(values as { unit_id: number }, signal);
        flash(t('common.saved'));
        await load();
        show(a);
      },
    });
  }

  void load();
}
