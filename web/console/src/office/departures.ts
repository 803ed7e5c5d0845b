import { isAbort } from '../api';
import { h, replace } from '../dom';
import { flash } from '../flash';
import { t, tCode } from '../i18n';
import { errorText } from '../page';
import { openForm, type Option } from '../resource-form';
import { formatTime } from '../time';
import * as api from './api';
import { countyDay, deadlineState } from './deadline';
import type { Departure, Person, Unrecorded } from './types';
import { deadlineBadge, statusLine, table } from './views';

// Departures (调离、退休): the office of someone who transferred, retired or left is recovered
// within one month; the list flags the overdue ones, and names the people still holding an
// office whose account was disabled or who moved units without a departure on record.

export const departureKinds = ['transfer', 'retire', 'leave'] as const;

/** departuresSection is the departures part of /office/reallocations; call load to fill it. */
export function departuresSection(opts: { writable: boolean; signal: AbortSignal; people: () => Promise<Person[]> }): { element: HTMLElement; load: () => Promise<void> } {
  const { writable, signal } = opts;
  const depStatus = statusLine();
  const depBody = h('div');
  const depLate = h('p', { id: 'office-departures-overdue', class: 'warn-strong', hidden: true });
  const element = h(
    'section',
    { class: 'of-departures' },
    h(
      'div',
      { class: 'of-section-head' },
      h('h2', { class: 'section-title' }, t('office.depart.title')),
      writable && h('button', { type: 'button', class: 'btn', id: 'office-departure-new', onclick: () => void newDeparture(null) }, `+ ${t('office.depart.new')}`),
    ),
    h('p', { class: 'muted' }, t('office.depart.hint')),
    depLate,
    depStatus,
    depBody,
  );

  async function loadDepartures(): Promise<void> {
    try {
      const d = await api.departures(signal);
      const now = new Date();
      const state = (x: Departure) => deadlineState(x.deadline, x.recovered_at, now).state;
      const late = d.items.filter((x) => x.overdue || state(x) === 'overdue').length;
      depLate.hidden = late === 0;
      depLate.textContent = t('office.depart.overdueCount', { n: late });
      const un = d.unrecorded ?? [];
      depStatus.textContent = d.items.length || un.length ? '' : t('office.depart.none');
      depStatus.className = d.items.length || un.length ? 'status' : 'status empty';
      replace(
        depBody,
        un.length > 0 &&
          h(
            'div',
            { class: 'card of-unrecorded', id: 'office-unrecorded' },
            h('h3', null, t('office.depart.unrecorded')),
            h('p', { class: 'muted' }, t('office.depart.unrecordedHint')),
            h(
              'ul',
              { class: 'of-occupants' },
              un.map((u: Unrecorded) =>
                h(
                  'li',
                  { 'data-user-id': u.user_id },
                  h('span', { class: 'of-occ-name' }, u.name),
                  h('span', { class: 'badge' }, tCode('departWhy', u.why)),
                  h('span', { class: 'muted' }, [u.unit_name, (u.rooms ?? []).join('、')].filter(Boolean).join(' · ')),
                  writable && h('button', { type: 'button', class: 'btn small', 'data-action': 'record', onclick: () => void newDeparture(u) }, t('office.depart.record')),
                ),
              ),
            ),
          ),
        d.items.length > 0 &&
          table<Departure>(
            'office-departures',
            [
              { label: 'office.depart.person', cell: (x) => [h('strong', null, x.name), x.unit_name ? h('div', { class: 'sub' }, x.unit_name) : null] },
              { label: 'office.depart.kind', cell: (x) => tCode('departKind', x.kind) },
              { label: 'office.depart.leftOn', cell: (x) => x.left_on, className: 'nowrap' },
              { label: 'office.depart.rooms', cell: (x) => (x.rooms?.length ? x.rooms.join('、') : h('span', { class: 'muted' }, t('office.depart.noRooms'))) },
              { label: 'office.depart.deadline', cell: (x) => deadlineBadge(x.deadline, x.recovered_at, now), className: 'nowrap' },
              { label: 'office.depart.recoveredAt', cell: (x) => (x.recovered_at ? formatTime(x.recovered_at) : t('common.none')), className: 'nowrap' },
            ],
            d.items,
            (x) => ({ 'data-id': x.id, 'data-user-id': x.user_id, 'data-state': state(x), class: x.overdue || state(x) === 'overdue' ? 'of-late' : null }),
          ),
      );
    } catch (err) {
      if (isAbort(err)) return;
      depStatus.textContent = t('error.load', { message: errorText(err) });
      depStatus.className = 'status error';
    }
  }

  async function newDeparture(u: Unrecorded | null): Promise<void> {
    let persons: Person[] = [];
    try {
      persons = await opts.people();
    } catch (err) {
      if (isAbort(err)) return;
    }
    const choices: Option[] = persons.map((p) => ({ value: String(p.id), label: [p.name, p.unit_name].filter(Boolean).join(' · ') }));
    if (u && !choices.some((c) => c.value === String(u.user_id))) choices.unshift({ value: String(u.user_id), label: u.name });
    const kinds: Option[] = departureKinds.map((k) => ({ value: k, label: tCode('departKind', k) }));
    openForm<Departure>({
      id: 'office-departure-form',
      title: t('office.depart.new'),
      row: null,
      defaults: { user_id: u?.user_id, kind: u?.why === 'moved_unit' ? 'transfer' : 'retire', left_on: countyDay(new Date()) },
      signal,
      fields: [
        { name: 'user_id', label: 'office.depart.person', kind: 'select', numeric: true, required: true, empty: 'office.assign.pickPerson', options: () => choices },
        { name: 'kind', label: 'office.depart.kind', kind: 'select', required: true, options: () => kinds },
        { name: 'left_on', label: 'office.depart.leftOn', kind: 'date', required: true, hint: 'office.depart.leftOnHint' },
        { name: 'note', label: 'office.room.note', kind: 'text', maxLength: 1000 },
      ],
      submit: async (values) => {
        await api.recordDeparture(values, signal);
        flash(t('common.saved'));
        await loadDepartures();
      },
    });
  }

  return { element, load: loadDepartures };
}
