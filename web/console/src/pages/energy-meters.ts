import '../office.css';
import '../energy.css';
import { isAbort } from '../api';
import { confirmBox } from '../confirm';
import { h, replace } from '../dom';
import * as api from '../energy/api';
import { countyInput, fromCountyInput, lastMonth, addMonths, monthStartInput, num } from '../energy/format';
import { kinds, uoms, type BatchResult, type Meter, type Reading } from '../energy/types';
import { energyTabs, kindName, readOnlyBadge, uomName } from '../energy/views';
import { flash } from '../flash';
import { t, tCode } from '../i18n';
import { loadUnits, unitOptions } from '../lookups';
import { askReason, statusLine, table } from '../office/views';
import { errorText, pageHeader, type PageContext } from '../page';
import { openForm, type Field, type Option } from '../resource-form';
import { formatTime } from '../time';
import type { Unit } from '../types';

// Meters (计量表) and their readings: the meters of each unit and building, a meter's readings
// with one entered by hand, the month's readings of every meter at once (抄表), replacement and
// retirement, and the readings held for review. ?meter=ID opens a meter; ?status=flagged shows
// the review list first.

/** energyMetersPage renders /energy/meters. */
export function energyMetersPage(ctx: PageContext): void {
  const { root, signal, writable } = ctx;
  const q = new URLSearchParams(location.search);
  let meterId = Number(q.get('meter')) || 0;
  let meters: Meter[] = [];
  let units: Unit[] = [];
  let buildings: Option[] = [];
  /** The outcome of the reading just sent, shown in the panel drawn after it. */
  let sent: BatchResult | null = null;
  const status = statusLine();
  const list = h('div', { id: 'energy-meter-list' });
  const panel = h('section', { class: 'card', id: 'energy-meter-panel', hidden: true });
  const batch = h('section', { class: 'card', id: 'energy-batch', hidden: true });
  const flagged = h('section', { class: 'card', id: 'energy-flagged', hidden: true });
  root.classList.add('of-page');
  replace(
    root,
    pageHeader(
      'en.meters.title',
      readOnlyBadge(writable),
      writable && h('button', { type: 'button', class: 'btn', id: 'energy-batch-open', onclick: () => openBatch() }, t('en.batch.open')),
      writable && h('button', { type: 'button', class: 'btn primary', id: 'energy-meter-add', onclick: () => editMeter(null) }, `+ ${t('en.meter.add')}`),
    ),
    energyTabs('meters'),
    status,
    flagged,
    batch,
    list,
    panel,
  );

  async function loadAll(): Promise<void> {
    try {
      const [m, u, b] = await Promise.all([api.meters(signal), loadUnits(signal), api.buildings(signal).catch(() => [])]);
      meters = m;
      units = u;
      buildings = b.map((x) => ({ value: String(x.id), label: x.name }));
      status.textContent = '';
      drawList();
      await Promise.all([drawPanel(), drawFlagged()]);
    } catch (err) {
      if (isAbort(err)) return;
      status.textContent = t('error.load', { message: errorText(err) });
      status.className = 'status error';
    }
  }

  function drawList(): void {
    if (!meters.length) {
      replace(list, h('div', { class: 'status empty' }, writable ? t('en.meter.noneYet') : t('common.empty')));
      return;
    }
    replace(
      list,
      table<Meter>(
        'energy-meters',
        [
          { label: 'en.meter.name', cell: (m) => h('a', { href: `/energy/meters?meter=${m.id}`, onclick: (ev: Event) => pick(ev, m.id) }, m.name) },
          { label: 'en.meter.code', cell: (m) => m.code || '—' },
          { label: 'en.meter.kind', cell: (m) => kindName(m.kind) },
          { label: 'en.col.unit', cell: (m) => m.unit_name },
          { label: 'en.meter.building', cell: (m) => m.building_name || '—' },
          { label: 'en.meter.register', cell: (m) => `${uomName(m.uom)}${m.multiplier !== 1 ? ` × ${m.multiplier}` : ''}`, className: 'nowrap' },
          { label: 'en.meter.last', cell: (m) => (m.last_reading ? `${num(m.last_reading.value, 2)} · ${formatTime(m.last_reading.at)}` : t('en.missing.never')), className: 'nowrap' },
          { label: 'en.meter.flagged', cell: (m) => (m.flagged ? h('span', { class: 'badge en-bad' }, m.flagged) : '—'), className: 'num' },
          { label: 'en.meter.status', cell: (m) => h('span', { class: `badge en-meter-${m.status}` }, tCode('enMeter', m.status)) },
        ],
        meters,
        (m) => ({ 'data-meter-id': m.id, 'data-status': m.status, class: m.id === meterId ? 'clickable selected' : 'clickable' }),
      ),
    );
  }

  function pick(ev: Event, id: number): void {
    ev.preventDefault();
    meterId = id;
    history.replaceState(null, '', `/energy/meters?meter=${id}`);
    drawList();
    void drawPanel();
    panel.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }

  async function drawPanel(): Promise<void> {
    const m = meters.find((x) => x.id === meterId);
    if (!m) {
      panel.hidden = true;
      return;
    }
    panel.hidden = false;
    panel.dataset.meterId = String(m.id);
    const readingsBox = h('div', null, statusLine());
    replace(
      panel,
      h(
        'div',
        { class: 'of-section-head' },
        h('h2', null, m.name, h('span', { class: 'muted of-sub' }, `${kindName(m.kind)} · ${m.unit_name}${m.building_name ? ` · ${m.building_name}` : ''}`)),
        writable &&
          h(
            'div',
            { class: 'of-actions' },
            h('button', { type: 'button', class: 'btn small', id: 'energy-meter-edit', onclick: () => editMeter(m) }, t('common.edit')),
            m.status === 'active' && h('button', { type: 'button', class: 'btn small', id: 'energy-meter-replace', onclick: () => endMeter(m, 'replace') }, t('en.meter.replace')),
            m.status === 'active' && h('button', { type: 'button', class: 'btn small danger', id: 'energy-meter-retire', onclick: () => endMeter(m, 'retire') }, t('en.meter.retire')),
          ),
      ),
      m.replaces_id && h('p', { class: 'muted' }, t('en.meter.replacesN', { id: m.replaces_id })),
      m.replaced_by && h('p', { class: 'muted' }, h('a', { href: `/energy/meters?meter=${m.replaced_by}`, onclick: (ev: Event) => pick(ev, m.replaced_by!) }, t('en.meter.replacedByN', { id: m.replaced_by }))),
      writable && m.status === 'active' && readingForm(m),
      h('h3', null, t('en.readings.title')),
      readingsBox,
    );
    try {
      const r = await api.readings(`meter_id=${m.id}&limit=100`, signal);
      replace(readingsBox, readingTable('energy-readings', r.items, false));
    } catch (err) {
      if (isAbort(err)) return;
      replace(readingsBox, h('div', { class: 'status error' }, errorText(err)));
    }
  }

  function readingForm(m: Meter): HTMLElement {
    const at = h('input', { type: 'datetime-local', id: 'energy-reading-at', value: countyInput(new Date()), 'aria-label': t('en.readings.at') });
    const value = h('input', { type: 'number', id: 'energy-reading-value', min: 0, step: 'any', 'aria-label': t('en.readings.value') });
    const message = h('div', { id: 'energy-reading-result', class: 'status', role: 'status' });
    if (sent) showResult(message, sent);
    sent = null;
    return h(
      'form',
      {
        class: 'en-reading-form',
        id: 'energy-reading-form',
        novalidate: true,
        onsubmit: async (ev: Event) => {
          ev.preventDefault();
          const when = fromCountyInput(at.value);
          if (!when || value.value.trim() === '') {
            message.textContent = t('en.readings.fill');
            message.className = 'status error';
            return;
          }
          try {
            sent = await api.addReadings([{ meter_id: m.id, at: when, value: Number(value.value) }], signal);
            await refresh();
          } catch (err) {
            if (isAbort(err)) return;
            message.textContent = errorText(err);
            message.className = 'status error';
          }
        },
      },
      h('label', null, t('en.readings.at'), at),
      h('label', null, `${t('en.readings.value')}（${uomName(m.uom)}）`, value),
      h('button', { type: 'submit', class: 'btn primary', id: 'energy-reading-save' }, t('en.readings.add')),
      message,
    );
  }

  function readingTable(id: string, rows: Reading[], review: boolean): HTMLElement {
    if (!rows.length) return h('div', { class: 'status empty' }, t('common.empty'));
    return table<Reading>(
      id,
      [
        { label: 'en.meter.name', cell: (r) => r.meter_name ?? '', hidden: !review },
        { label: 'en.readings.at', cell: (r) => formatTime(r.at), className: 'nowrap' },
        { label: 'en.readings.value', cell: (r) => num(r.value, 2), className: 'num' },
        { label: 'en.readings.status', cell: (r) => h('span', { class: `badge en-reading-${r.status}` }, tCode('enReading', r.status)) },
        { label: 'en.readings.note', cell: (r) => [r.flag && tCode('enFlag', r.flag), r.flag_note, r.review_note].filter(Boolean).join(' · ') || '—' },
        { label: 'en.readings.source', cell: (r) => tCode('enSource', r.source) },
        {
          label: 'common.actions',
          className: 'actions',
          hidden: !writable,
          cell: (r) => [
            r.status === 'flagged' && h('button', { type: 'button', class: 'btn small', 'data-action': 'accept', onclick: () => decide(r, 'accept') }, t('en.readings.accept')),
            r.status !== 'rejected' && r.source !== 'install' && r.source !== 'removal' && h('button', { type: 'button', class: 'btn small danger', 'data-action': 'reject', onclick: () => decide(r, 'reject') }, t('en.readings.reject')),
          ],
        },
      ],
      rows,
      (r) => ({ 'data-reading-id': r.id, 'data-status': r.status }),
    );
  }

  async function decide(r: Reading, how: 'accept' | 'reject'): Promise<void> {
    const note = await askReason(t(how === 'accept' ? 'en.readings.acceptQ' : 'en.readings.rejectQ', { value: num(r.value, 2), at: formatTime(r.at) }),
      t(how === 'accept' ? 'en.readings.accept' : 'en.readings.reject'), signal, how === 'reject');
    if (note === null) return;
    try {
      await api.review(r.id, how, note, signal);
      flash(t('common.saved'));
      await refresh();
    } catch (err) {
      if (!isAbort(err)) flash(errorText(err), 'error');
    }
  }

  async function drawFlagged(): Promise<void> {
    const r = await api.readings('status=flagged&limit=200', signal);
    flagged.hidden = r.items.length === 0;
    if (!r.items.length) return;
    replace(flagged, h('h2', null, t('en.flagged.title', { n: r.total })), h('p', { class: 'muted' }, t('en.flagged.hint')), readingTable('energy-flagged-list', r.items, true));
  }

  async function refresh(): Promise<void> {
    meters = await api.meters(signal);
    drawList();
    await Promise.all([drawPanel(), drawFlagged()]);
  }

  /** openBatch shows the month's reading sheet: every meter in service, one value each, one time. */
  function openBatch(): void {
    batch.hidden = false;
    const at = h('input', { type: 'datetime-local', id: 'energy-batch-at', value: monthStartInput(addMonths(lastMonth(), 1)), 'aria-label': t('en.readings.at') });
    const message = h('div', { id: 'energy-batch-result', class: 'status', role: 'status' });
    const active = meters.filter((m) => m.status === 'active');
    const rows = active.map((m) =>
      h(
        'tr',
        { 'data-meter-id': m.id },
        h('td', null, m.name, h('div', { class: 'sub muted' }, `${m.unit_name} · ${kindName(m.kind)}`)),
        h('td', { class: 'num nowrap' }, m.last_reading ? `${num(m.last_reading.value, 2)} · ${formatTime(m.last_reading.at)}` : t('en.missing.never')),
        h('td', null, h('input', { type: 'number', min: 0, step: 'any', class: 'of-num-input', 'data-meter-id': m.id, 'aria-label': m.name }), ` ${uomName(m.uom)}`),
      ),
    );
    replace(
      batch,
      h('h2', null, t('en.batch.title')),
      h('p', { class: 'muted' }, t('en.batch.hint')),
      h('label', { class: 'en-month' }, t('en.readings.at'), at),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'data', id: 'energy-batch-table' },
          h('thead', null, h('tr', null, h('th', null, t('en.meter.name')), h('th', null, t('en.meter.last')), h('th', null, t('en.readings.value')))),
          h('tbody', null, rows),
        ),
      ),
      message,
      h(
        'div',
        { class: 'of-actions' },
        h('button', { type: 'button', class: 'btn', onclick: () => (batch.hidden = true) }, t('common.cancel')),
        h(
          'button',
          {
            type: 'button',
            class: 'btn primary',
            id: 'energy-batch-save',
            onclick: async () => {
              const when = fromCountyInput(at.value);
              const list = [...batch.querySelectorAll<HTMLInputElement>('input[data-meter-id]')]
                .filter((i) => i.value.trim() !== '')
                .map((i) => ({ meter_id: Number(i.dataset.meterId), at: when, value: Number(i.value) }));
              if (!when || !list.length) {
                message.textContent = t('en.readings.fill');
                message.className = 'status error';
                return;
              }
              try {
                const res = await api.addReadings(list, signal);
                showResult(message, res);
                await refresh();
              } catch (err) {
                if (isAbort(err)) return;
                message.textContent = errorText(err);
                message.className = 'status error';
              }
            },
          },
          t('en.batch.save'),
        ),
      ),
    );
    batch.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }

  function showResult(el: HTMLElement, res: BatchResult): void {
    el.textContent = t('en.readings.result', { stored: res.stored, flagged: res.flagged, duplicates: res.duplicates });
    el.className = res.flagged ? 'status error' : 'status';
    const notes = res.items.filter((i) => i.result === 'flagged').map((i) => `${tCode('enFlag', i.flag ?? '')}：${i.flag_note ?? ''}`);
    if (notes.length) el.append(h('div', null, notes.join('；')));
  }

  function editMeter(m: Meter | null): void {
    const kindOptions: Option[] = kinds.map((k) => ({ value: k, label: kindName(k) }));
    const uomOptions: Option[] = [...new Set(Object.values(uoms).flat())].map((u) => ({ value: u, label: uomName(u) }));
    const fields: Field<Meter>[] = [
      { name: 'name', label: 'en.meter.name', kind: 'text', required: true, maxLength: 100 },
      { name: 'code', label: 'en.meter.code', kind: 'text', maxLength: 64, hint: 'en.meter.codeHint' },
      { name: 'kind', label: 'en.meter.kind', kind: 'select', required: true, options: () => kindOptions },
      { name: 'unit_id', label: 'en.col.unit', kind: 'select', required: true, numeric: true, options: () => unitOptions(units) },
      { name: 'building_id', label: 'en.meter.building', kind: 'select', numeric: true, empty: 'common.none', options: () => buildings },
      { name: 'uom', label: 'en.meter.uom', kind: 'select', options: () => uomOptions, hint: 'en.meter.uomHint' },
      { name: 'multiplier', label: 'en.meter.multiplier', kind: 'number', min: 0, hint: 'en.meter.multiplierHint' },
      { name: 'note', label: 'en.meter.note', kind: 'text', maxLength: 200 },
    ];
    openForm<Meter>({
      id: 'energy-meter-form',
      title: t(m ? 'common.editTitle' : 'common.newTitle', { noun: t('en.meter.noun') }),
      fields,
      row: m,
      defaults: { kind: 'electricity', uom: 'kWh', multiplier: 1, unit_id: ctx.user.unit_id ?? '' },
      signal,
      submit: async (values) => {
        const saved = await api.saveMeter(values, m?.id ?? null, signal);
        flash(t('common.saved'));
        meterId = saved.id;
        await refresh();
      },
    });
  }

  function endMeter(m: Meter, how: 'replace' | 'retire'): void {
    const fields: Field<Record<string, unknown>>[] = [
      { name: 'at', label: 'en.meter.endAt', kind: 'text', required: true, hint: 'en.meter.endAtHint' },
      { name: 'final_value', label: 'en.meter.finalValue', kind: 'number', required: true, min: 0 },
    ];
    if (how === 'replace') {
      fields.push(
        { name: 'initial_value', label: 'en.meter.initialValue', kind: 'number', required: true, min: 0 },
        { name: 'code', label: 'en.meter.newCode', kind: 'text', maxLength: 64 },
        { name: 'multiplier', label: 'en.meter.multiplier', kind: 'number', min: 0 },
      );
    }
    fields.push({ name: 'note', label: 'en.meter.note', kind: 'text', maxLength: 200 });
    openForm<Record<string, unknown>>({
      id: 'energy-meter-end-form',
      title: t(how === 'replace' ? 'en.meter.replaceTitle' : 'en.meter.retireTitle', { name: m.name }),
      fields,
      row: null,
      defaults: { at: `${countyInput(new Date())}:00+08:00`, initial_value: 0, multiplier: m.multiplier },
      signal,
      submit: async (values) => {
        if (how === 'retire' && !(await confirmBox(t('en.meter.retireQ', { name: m.name }), t('en.meter.retire'), signal))) return;
        const saved = how === 'replace' ? await api.replaceMeter(m.id, values, signal) : await api.retireMeter(m.id, values, signal);
        flash(t('common.saved'));
        meterId = saved.id;
        await refresh();
      },
    });
  }

  void loadAll().then(() => {
    if (q.get('status') === 'flagged') flagged.scrollIntoView({ block: 'start' });
  });
}
