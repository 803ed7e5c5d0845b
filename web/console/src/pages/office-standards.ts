import '../office.css';
import { isAbort } from '../api';
import { h, replace } from '../dom';
import { flash } from '../flash';
import { t, tCode } from '../i18n';
import * as api from '../office/api';
import { excessOf, formatArea } from '../office/ledger';
import { rankIndex } from '../office/people';
import type { PersonFigure, Standard, UnitOccupancy } from '../office/types';
import { area, officeTabs, rankName, statusLine, table } from '../office/views';
import { errorText, pageHeader, type PageContext } from '../page';

// The standards of office area per person by rank (editable by the office manager and admin),
// each unit's occupancy against its standard, and the list of everyone over the standard.

/** officeStandardsPage renders /office/standards. */
export function officeStandardsPage(ctx: PageContext): void {
  const { root, signal, writable } = ctx;
  const stdStatus = statusLine();
  const stdBody = h('div', { class: 'of-standards' });
  const occStatus = statusLine();
  const occBody = h('div');
  root.classList.add('of-page');
  replace(
    root,
    pageHeader('office.standards.title', !writable && h('span', { class: 'badge muted', id: 'read-only' }, t('common.readOnly'))),
    officeTabs('standards'),
    h(
      'section',
      { class: 'card' },
      h('h2', null, t('office.standards.table')),
      h('p', { class: 'muted' }, t('office.standards.basis')),
      stdStatus,
      stdBody,
    ),
    h('section', null, h('h2', { class: 'section-title' }, t('office.occupancy.title')), h('p', { class: 'muted' }, t('office.occupancy.hint')), occStatus, occBody),
  );

  async function loadStandards(): Promise<void> {
    try {
      const set = await api.standardSet(signal);
      const items = [...(set.standards ?? [])].sort((a, b) => kindIndex(a.kind) - kindIndex(b.kind) || (a.kind === 'person' ? rankIndex(a.code) - rankIndex(b.code) : 0));
      stdStatus.textContent = items.length ? '' : t('common.empty');
      drawStandards(set.level, items);
    } catch (err) {
      if (isAbort(err)) return;
      stdStatus.textContent = t('error.load', { message: errorText(err) });
      stdStatus.className = 'status error';
    }
  }

  function drawStandards(level: string, items: Standard[]): void {
    const problem = h('div', { id: 'office-standards-error', class: 'form-error', role: 'alert', hidden: true });
    const save =
      writable &&
      h(
        'button',
        {
          type: 'button',
          class: 'btn primary',
          id: 'office-standards-save',
          onclick: async () => {
            problem.hidden = true;
            const next: Standard[] = [];
            for (const [i, s] of items.entries()) {
              const input = stdBody.querySelector<HTMLInputElement>(`input[data-index="${i}"]`);
              const v = Number(input?.value);
              const ratio = s.kind === 'equipment';
              if (!input || input.value.trim() === '' || !Number.isFinite(v) || v < 0 || (ratio ? v > 1 : s.kind === 'person' && v <= 0)) {
                problem.textContent = t(ratio ? 'office.standards.badRatio' : 'office.standards.bad', { rank: standardName(s) });
                problem.hidden = false;
                input?.focus();
                return;
              }
              next.push(ratio ? { ...s, ratio: v, area_m2: undefined } : { ...s, area_m2: v, ratio: undefined });
            }
            try {
              await api.saveStandards(level, next, signal);
              flash(t('common.saved'));
              await Promise.all([loadStandards(), loadOccupancy()]);
            } catch (err) {
              if (isAbort(err)) return;
              problem.textContent = errorText(err);
              problem.hidden = false;
            }
          },
        },
        t('common.save'),
      );
    replace(
      stdBody,
      h('p', { class: 'of-level' }, t('office.standards.levelIs', { level: tCode('officeLevel', level) })),
      table<Standard>(
        'office-standards',
        [
          { label: 'office.standards.rank', cell: (s) => h('span', { title: s.code }, standardName(s)), className: 'nowrap' },
          { label: 'office.standards.kind', cell: (s) => tCode('standardKind', s.kind), className: 'nowrap' },
          {
            label: 'office.standards.area',
            className: 'num nowrap',
            field: 'area',
            cell: (s) => {
              const i = items.indexOf(s);
              const ratio = s.kind === 'equipment';
              const v = ratio ? s.ratio : s.area_m2;
              if (!writable) return ratio ? `${Math.round((v ?? 0) * 1000) / 10}%` : area(v);
              return [
                h('input', { type: 'number', class: 'of-num-input', min: 0, max: ratio ? 1 : 200, step: ratio ? '0.01' : '0.5', value: v ?? '', 'data-index': i, 'data-code': s.code, 'aria-label': standardName(s) }),
                h('span', { class: 'of-unit' }, ratio ? t('office.standards.ratioUnit') : 'm²'),
              ];
            },
          },
          { label: 'office.standards.source', cell: (s) => h('span', { class: 'sub' }, s.source || '') },
        ],
        items,
        (s) => ({ 'data-kind': s.kind, 'data-code': s.code }),
      ),
      problem,
      save && h('div', { class: 'of-actions' }, save),
    );
  }

  async function loadOccupancy(): Promise<void> {
    try {
      const items = await api.occupancy(signal);
      occStatus.textContent = items.length ? '' : t('common.empty');
      occStatus.className = items.length ? 'status' : 'status empty';
      replace(
        occBody,
        table<UnitOccupancy>(
          'office-occupancy',
          [
            { label: 'office.occupancy.unit', cell: (u) => u.unit_name },
            { label: 'office.occupancy.people', cell: (u) => u.people, className: 'num' },
            { label: 'office.occupancy.standard', cell: (u) => area(u.standard_m2), className: 'num nowrap', field: 'standard' },
            { label: 'office.occupancy.actual', cell: (u) => area(u.actual_m2), className: 'num nowrap', field: 'actual' },
            { label: 'office.occupancy.excess', cell: (u) => excessCell(u.excess_m2, u.standard_m2), className: 'num nowrap', field: 'excess' },
            {
              label: 'office.occupancy.ratio',
              cell: (u) => (u.standard_m2 > 0 ? ratioBar(u.actual_m2 / u.standard_m2) : t('common.none')),
              className: 'of-ratio-cell',
            },
            { label: 'office.occupancy.overPeople', cell: (u) => (u.over_people ? h('span', { class: 'warn-strong' }, u.over_people) : '0'), className: 'num' },
            { label: 'office.occupancy.idle', cell: (u) => (u.idle_rooms ? h('span', { class: 'warn' }, `${u.idle_rooms} / ${area(u.idle_m2)}`) : '0'), className: 'num nowrap' },
            {
              label: 'office.occupancy.service',
              cell: (u) => [area(u.service_m2), u.service_allowance_m2 ? h('div', { class: 'sub' }, t('office.occupancy.allowance', { area: formatArea(u.service_allowance_m2) })) : null],
              className: 'num nowrap',
            },
            { label: 'office.occupancy.total', cell: (u) => [area(u.total_m2), u.rooms ? h('div', { class: 'sub' }, t('office.occupancy.rooms', { n: u.rooms })) : null], className: 'num nowrap' },
          ],
          items,
          (u) => ({ 'data-unit-id': u.unit_id, class: u.excess_m2 > 0 ? 'of-over' : null }),
        ),
      );
    } catch (err) {
      if (isAbort(err)) return;
      occStatus.textContent = t('error.load', { message: errorText(err) });
      occStatus.className = 'status error';
    }
  }

  void loadStandards();
  void loadOccupancy();
}

/** officeOverstandardPage renders /office/overstandard: every person over the standard. */
export function officeOverstandardPage(ctx: PageContext): void {
  const { root, signal } = ctx;
  const status = statusLine();
  const summary = h('div', { class: 'stats of-stats' });
  const body = h('div');
  const unranked = h('div');
  root.classList.add('of-page');
  replace(root, pageHeader('office.over.title'), officeTabs('overstandard'), h('p', { class: 'muted' }, t('office.over.hint')), summary, status, body, unranked);

  void (async () => {
    try {
      const r = await api.overStandard(signal);
      const items = [...r.items].sort((a, b) => b.excess_m2 - a.excess_m2);
      status.textContent = items.length ? '' : t('office.over.none');
      status.className = items.length ? 'status' : 'status empty';
      const excess = items.reduce((s, i) => s + i.excess_m2, 0);
      replace(
        summary,
        stat(String(items.length), 'office.over.count', 'office-over-count'),
        stat(formatArea(excess), 'office.over.totalExcess', 'office-over-total'),
      );
      replace(
        body,
        items.length > 0 &&
          table<PersonFigure>(
            'office-overstandard',
            [
              { label: 'office.over.person', cell: (i) => [h('strong', null, i.name || i.username || `#${i.user_id}`), i.unit_name && h('div', { class: 'sub' }, i.unit_name)], field: 'name' },
              { label: 'office.standards.rank', cell: (i) => figureRank(i), field: 'rank' },
              { label: 'office.over.rooms', cell: (i) => roomsCell(i), field: 'rooms' },
              { label: 'office.over.standard', cell: (i) => formatArea(i.standard_m2), className: 'num', field: 'standard' },
              { label: 'office.over.actual', cell: (i) => formatArea(i.actual_m2), className: 'num', field: 'actual' },
              { label: 'office.over.excess', cell: (i) => formatArea(i.excess_m2), className: 'num of-excess', field: 'excess' },
            ],
            items,
            (i) => ({ 'data-user-id': i.user_id, class: `of-over of-sev-${excessOf(i.excess_m2, i.standard_m2).severity}` }),
          ),
      );
      const un = r.unranked ?? [];
      replace(
        unranked,
        un.length > 0 && [
          h('h2', { class: 'section-title' }, t('office.over.unranked')),
          h('p', { class: 'muted' }, t('office.over.unrankedHint')),
          table<PersonFigure>(
            'office-unranked',
            [
              { label: 'office.over.person', cell: (i) => [h('strong', null, i.name || `#${i.user_id}`), i.unit_name && h('div', { class: 'sub' }, i.unit_name)] },
              { label: 'office.standards.rank', cell: (i) => figureRank(i) },
              { label: 'office.over.rooms', cell: (i) => roomsCell(i) },
              { label: 'office.over.actual', cell: (i) => formatArea(i.actual_m2), className: 'num' },
            ],
            un,
            (i) => ({ 'data-user-id': i.user_id }),
          ),
        ],
      );
    } catch (err) {
      if (isAbort(err)) return;
      status.textContent = t('error.load', { message: errorText(err) });
      status.className = 'status error';
    }
  })();
}

/** figureRank names a person's rank in the console's language, else as the server named it. */
function figureRank(i: PersonFigure): string {
  if (!i.rank) return rankName('');
  const n = tCode('rank', i.rank);
  return n !== i.rank ? n : i.rank_name || i.rank;
}

/** roomsCell lists a person's rooms with their share when the room is shared. */
function roomsCell(i: PersonFigure): HTMLElement | string {
  const rooms = i.rooms ?? [];
  if (!rooms.length) return t('common.none');
  return h(
    'span',
    { class: 'of-person-rooms' },
    rooms.map((r) =>
      h(
        'span',
        { class: 'of-person-room', 'data-room-id': r.room_id },
        r.room,
        r.occupants > 1 && h('span', { class: 'sub' }, t('office.over.shared', { area: formatArea(r.area_m2), n: r.occupants, share: formatArea(r.share_m2) })),
        r.concurrent && h('span', { class: 'badge' }, t('office.assign.concurrent')),
      ),
    ),
  );
}

const kinds = ['person', 'service', 'equipment'];
const kindIndex = (k: string) => (kinds.indexOf(k) < 0 ? kinds.length : kinds.indexOf(k));

/** standardName names a row: a rank in the console's language when it knows it, else the table's name. */
function standardName(s: Standard): string {
  if (s.kind === 'person') {
    const n = tCode('rank', s.code);
    return n !== s.code ? n : s.name || s.code;
  }
  if (s.kind === 'service') return t('office.standards.servicePer');
  if (s.kind === 'equipment') return t('office.standards.equipmentShare');
  return s.name || s.code;
}

function stat(value: string, label: Parameters<typeof t>[0], id: string): HTMLElement {
  return h('div', { class: 'stat' }, h('div', { class: 'stat-value', id }, value), h('div', { class: 'stat-label' }, t(label)));
}

function excessCell(excess: number, standard: number): HTMLElement {
  const e = excessOf(excess, standard);
  return h('span', { class: `of-excess-text of-sev-${e.severity}` }, e.severity === 'none' ? '0' : `${e.text} m²`);
}

/** ratioBar draws actual over standard; the standard is the line at 100 %. */
function ratioBar(ratio: number): HTMLElement {
  const pct = Math.round(ratio * 100);
  return h(
    'span',
    { class: 'of-ratio', 'data-over': pct > 100 ? 'true' : 'false', title: `${pct}%` },
    h('span', { class: 'of-ratio-bar' }, h('span', { style: `width:${Math.min(100, pct / 1.5)}%` }), h('span', { class: 'of-ratio-mark', style: `left:${100 / 1.5}%` })),
    h('span', { class: 'of-ratio-pct' }, `${pct}%`),
  );
}
