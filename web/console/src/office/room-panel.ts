import { isAbort } from '../api';
import { h, replace, type Child } from '../dom';
import { flash } from '../flash';
import { t, tCode, type Key } from '../i18n';
import { unitName, unitOptions } from '../lookups';
import { errorText } from '../page';
import { formatTime } from '../time';
import type { Unit } from '../types';
import * as api from './api';
import { dayOf } from './deadline';
import { floorName, formatArea, perPerson, standardFor, toneOf, utilisation } from './ledger';
import { matches, sortPeople } from './people';
import type { HistoryEntry, Person, Room, Standard } from './types';
import { area, askReason, rankName, table } from './views';

// One room of the ledger beside the floor grid (#office-room): its facts, the unit that holds
// it, the people in it and, for those who may, assigning and releasing; and its history.

/** RoomPanelDeps is what the panel needs from the ledger page. */
export interface RoomPanelDeps {
  standards: Standard[];
  units: Unit[];
  writable: boolean;
  signal: AbortSignal;
  /** Everyone who may be put in a room (loaded once, when first needed). */
  people: () => Promise<Person[]>;
  /** Reloads the building's rooms after a change. */
  changed: () => Promise<void>;
  edit: (room: Room) => void;
}

/** roomDetails is the panel's content for room r. */
export function roomDetails(r: Room, d: RoomPanelDeps): Child[] {
  const tone = toneOf(r, d.standards);
  const u = utilisation(r, d.standards);
  const floor = floorName(r.floor);
  return [
    h(
      'div',
      { class: 'of-room-title' },
      h('h3', null, t('office.room.titleN', { number: r.number })),
      h('span', { class: 'badge of-tone', 'data-tone': tone }, t(`office.tone.${tone}`)),
      d.writable && h('button', { type: 'button', class: 'btn small', id: 'office-room-edit', onclick: () => d.edit(r) }, t('common.edit')),
    ),
    h(
      'dl',
      { class: 'facts of-facts' },
      fact('office.room.floor', t(floor.key, { n: floor.n })),
      fact('office.room.areaShort', area(r.area_m2)),
      fact('office.room.use', tCode('roomUse', r.use)),
      fact('office.room.unit', r.unit_name || (r.unit_id ? unitName(d.units, r.unit_id) : t('common.none'))),
      r.occupants.length > 1 && fact('office.room.perPerson', area(r.share_m2 || perPerson(r))),
      u !== null && fact('office.room.utilisation', `${u}%`),
      r.note && fact('office.room.note', r.note),
    ),
    unitBlock(r, d),
    occupantsBlock(r, d),
  ];
}

function unitBlock(r: Room, d: RoomPanelDeps): HTMLElement | null {
  const { units, signal } = d;
  if (!d.writable) return null;
  const title = h('h4', { class: 'of-h4' }, t('office.assign.unitTitle'));
  const assignmentId = r.unit_assignment_id;
  if (assignmentId) {
    // A room is one unit's at a time: take it back first, then give it to another.
    const holder = r.unit_name || unitName(units, r.unit_id);
    const back = h('button', { type: 'button', class: 'btn small danger', 'data-action': 'release-unit', id: 'office-release-unit' }, t('office.release.unit'));
    back.addEventListener('click', async () => {
      const reason = await askReason(t('office.release.unitQuestion', { number: r.number, unit: holder }), t('office.release.unit'), signal, true);
      if (reason === null) return;
      await run(d, () => api.release(assignmentId, reason, signal), t('office.release.unitDone'));
    });
    return h('div', { class: 'of-block' }, title, h('div', { class: 'of-inline' }, h('span', { class: 'of-holder' }, holder), back));
  }
  const select = h(
    'select',
    { id: 'office-assign-unit', 'aria-label': t('office.room.unit') },
    h('option', { value: '' }, t('office.assign.pickUnit')),
    unitOptions(units).map((o) => h('option', { value: o.value }, o.label)),
  );
  if (r.unit_id) select.value = String(r.unit_id);
  const save = h('button', { type: 'button', class: 'btn small', id: 'office-assign-unit-save' }, t('office.assign.toUnit'));
  save.addEventListener('click', async () => {
    const unitId = Number(select.value);
    if (!unitId) {
      select.focus();
      return;
    }
    const reason = await askReason(t('office.assign.unitQuestion', { number: r.number, unit: unitName(units, unitId) }), t('office.assign.toUnit'), signal);
    if (reason === null) return;
    await run(d, () => api.assign({ room_id: r.id, unit_id: unitId, reason }, signal), t('office.assign.unitDone'));
  });
  return h('div', { class: 'of-block' }, title, h('div', { class: 'of-inline' }, select, save));
}

function occupantsBlock(r: Room, d: RoomPanelDeps): HTMLElement | null {
  const { standards, writable, signal } = d;
  const list = h(
    'ul',
    { id: 'office-occupants', class: 'of-occupants' },
    r.occupants.map((o) => {
      const std = standardFor(o.rank, standards);
      return h(
        'li',
        { 'data-user-id': o.user_id, 'data-assignment-id': o.assignment_id },
        h('span', { class: 'of-occ-name' }, o.name),
        h('span', { class: 'badge' }, rankName(o.rank)),
        std !== null && h('span', { class: 'muted' }, t('office.assign.standardOf', { area: formatArea(std) })),
        o.concurrent && h('span', { class: 'badge' }, t('office.assign.concurrent')),
        o.unit_name && o.unit_id !== r.unit_id && h('span', { class: 'muted' }, o.unit_name),
        o.post && h('span', { class: 'muted' }, o.post),
        o.since && h('span', { class: 'muted' }, t('office.assign.since', { date: dayOf(o.since) })),
        writable &&
          h(
            'button',
            {
              type: 'button',
              class: 'btn small danger',
              'data-action': 'release',
              onclick: async () => {
                const reason = await askReason(t('office.release.question', { name: o.name, number: r.number }), t('office.release.do'), signal, true);
                if (reason === null) return;
                await run(d, () => api.release(o.assignment_id, reason, signal), t('office.release.done'));
              },
            },
            t('office.release.do'),
          ),
      );
    }),
  );
  if (r.use !== 'office' && r.occupants.length === 0) return null;
  return h(
    'div',
    { class: 'of-block' },
    h('h4', { class: 'of-h4' }, t('office.assign.people')),
    r.occupants.length ? list : h('p', { class: 'muted' }, t('office.assign.nobody')),
    writable && r.use === 'office' && personForm(r, d),
  );
}

function personForm(r: Room, d: RoomPanelDeps): HTMLElement {
  const { signal } = d;
  let people: Person[] = [];
  const filter = h('input', { type: 'search', id: 'office-assign-filter', placeholder: t('office.assign.filter'), 'aria-label': t('office.assign.filter') });
  const select = h('select', { id: 'office-assign-user', 'aria-label': t('office.assign.person') }, h('option', { value: '' }, t('common.loading')));
  const post = h('input', { type: 'text', id: 'office-assign-post', maxlength: 60, placeholder: t('office.assign.postPlaceholder'), 'aria-label': t('office.assign.post') });
  const concurrent = h('input', { type: 'checkbox', id: 'office-assign-concurrent' });
  const problem = h('div', { id: 'office-assign-error', class: 'form-error', role: 'alert', hidden: true });
  const save = h('button', { type: 'button', class: 'btn primary small', id: 'office-assign-save' }, t('office.assign.save'));

  const fill = () => {
    const taken = new Set(r.occupants.map((o) => o.user_id));
    const shown = sortPeople(people.filter((p) => !taken.has(p.id) && matches(p, filter.value)));
    const keep = select.value;
    replace(
      select,
      h('option', { value: '' }, shown.length ? t('office.assign.pickPerson') : t('office.assign.noPeople')),
      shown.map((p) => h('option', { value: String(p.id), 'data-rank': p.rank }, personLabel(p, d.standards))),
    );
    if (shown.some((p) => String(p.id) === keep)) select.value = keep;
  };
  filter.addEventListener('input', fill);
  void (async () => {
    try {
      people = await d.people();
      fill();
    } catch (err) {
      if (isAbort(err)) return;
      problem.textContent = t('error.load', { message: errorText(err) });
      problem.hidden = false;
    }
  })();

  save.addEventListener('click', async () => {
    problem.hidden = true;
    const userId = Number(select.value);
    if (!userId) {
      problem.textContent = t('office.assign.pickPerson');
      problem.hidden = false;
      select.focus();
      return;
    }
    save.disabled = true;
    try {
      await api.assign({ room_id: r.id, user_id: userId, post: post.value.trim() || undefined, concurrent: concurrent.checked || undefined }, signal);
      flash(t('office.assign.done'));
      await d.changed();
    } catch (err) {
      if (isAbort(err)) return;
      problem.textContent = errorText(err);
      problem.hidden = false;
    } finally {
      save.disabled = false;
    }
  });
  return h(
    'div',
    { class: 'of-assign', id: 'office-assign' },
    h('div', { class: 'of-inline' }, filter, select),
    h('div', { class: 'of-inline' }, post, save),
    h('label', { class: 'of-concurrent', for: 'office-assign-concurrent' }, concurrent, ' ', t('office.assign.concurrentLabel')),
    problem,
  );
}

function personLabel(p: Person, standards: Standard[]): string {
  const std = standardFor(p.rank, standards);
  const rank = std !== null ? `${rankName(p.rank)} ${formatArea(std)} m²` : rankName(p.rank);
  return [p.name, rank, p.unit_name, p.has_office ? t('office.assign.hasOffice') : ''].filter(Boolean).join(' · ');
}

async function run(d: RoomPanelDeps, fn: () => Promise<unknown>, done: string): Promise<void> {
  try {
    await fn();
    flash(done);
  } catch (err) {
    if (isAbort(err)) return;
    flash(errorText(err), 'error');
  }
  await d.changed();
}

function fact(label: Key, value: string | HTMLElement): HTMLElement {
  return h('div', { class: 'fact' }, h('dt', null, t(label)), h('dd', null, value));
}

/** historyTable lists a room's changes (#office-room-history): who, when, from, to, why. */
export function historyTable(entries: HistoryEntry[]): HTMLElement {
  if (!entries.length) return h('p', { class: 'muted' }, t('office.history.none'));
  return table<HistoryEntry>(
    'office-room-history',
    [
      { label: 'office.history.at', cell: (e) => formatTime(e.at), className: 'nowrap' },
      { label: 'office.history.who', cell: (e) => e.actor || t('common.none') },
      { label: 'office.history.action', cell: (e) => [tCode('officeAction', e.action), e.subject ? h('div', { class: 'sub' }, tCode('officeSubject', e.subject)) : null] },
      { label: 'office.history.from', cell: (e) => e.from || t('common.none') },
      { label: 'office.history.to', cell: (e) => e.to || t('common.none') },
      { label: 'office.history.why', cell: (e) => e.reason || t('common.none') },
    ],
    entries,
    (e) => ({ 'data-id': e.id, 'data-action': e.action }),
  );
}
