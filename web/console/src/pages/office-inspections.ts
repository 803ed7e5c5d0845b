import '../office.css';
import { isAbort } from '../api';
import { h, replace } from '../dom';
import { flash } from '../flash';
import { t, tCode } from '../i18n';
import { loadUnits, unitName, unitOptions } from '../lookups';
import * as api from '../office/api';
import { addDays, countyDay, deadlineState } from '../office/deadline';
import type { Finding, Inspection, Room } from '../office/types';
import { deadlineBadge, officeTabs, statusLine, table } from '../office/views';
import { errorText, pageHeader, type PageContext } from '../page';
import { openForm, type Option } from '../resource-form';
import { formatTime } from '../time';
import type { Unit } from '../types';

// 督查整改: an inspection records findings per unit (over standard, idle rooms, unauthorised
// change of use); each finding has an owner, a deadline and a rectification record, and shows
// as overdue once its deadline has passed unrectified.

export const findingKinds = ['over_standard', 'idle', 'change_of_use', 'other'] as const;

/** officeInspectionsPage renders /office/inspections. */
export function officeInspectionsPage(ctx: PageContext): void {
  const { root, signal, writable, user } = ctx;
  // A unit's leader records the rectification of their unit's findings (office.request).
  const rectifier = writable || user.role === 'leader';
  let units: Unit[] = [];
  let rooms: Room[] = [];
  const status = statusLine();
  const overdueNote = h('p', { id: 'office-findings-overdue', class: 'warn-strong', hidden: true });
  const list = h('div', { id: 'office-inspections', class: 'of-inspections' });
  root.classList.add('of-page');
  replace(
    root,
    pageHeader(
      'office.insp.title',
      !writable && h('span', { class: 'badge muted', id: 'read-only' }, t('common.readOnly')),
      writable && h('button', { type: 'button', class: 'btn primary', id: 'office-inspection-new', onclick: () => newInspection() }, `+ ${t('office.insp.new')}`),
    ),
    officeTabs('inspections'),
    h('p', { class: 'muted' }, t('office.insp.hint')),
    overdueNote,
    status,
    list,
  );

  async function load(): Promise<void> {
    try {
      const items = await api.inspections(signal);
      const now = new Date();
      const late = items.flatMap((i) => i.findings).filter((f) => f.overdue || deadlineState(f.deadline, f.rectified_at, now).state === 'overdue').length;
      overdueNote.hidden = late === 0;
      overdueNote.textContent = t('office.insp.overdueCount', { n: late });
      status.textContent = items.length ? '' : t('office.insp.none');
      status.className = items.length ? 'status' : 'status empty';
      replace(list, items.map((i) => card(i, now)));
    } catch (err) {
      if (isAbort(err)) return;
      status.textContent = t('error.load', { message: errorText(err) });
      status.className = 'status error';
    }
  }

  function card(i: Inspection, now: Date): HTMLElement {
    return h(
      'article',
      { class: 'card of-inspection', 'data-id': i.id },
      h(
        'div',
        { class: 'of-section-head' },
        h(
          'h3',
          null,
          i.title,
          h('span', { class: 'muted of-sub' }, [i.inspected_on?.slice(0, 10), i.inspector].filter(Boolean).join(' · ')),
          (i.overdue ?? 0) > 0 && h('span', { class: 'badge of-dl-overdue' }, t('office.insp.overdueN', { n: i.overdue ?? 0 })),
        ),
        i.note && h('p', { class: 'muted' }, i.note),
        writable && h('button', { type: 'button', class: 'btn small', 'data-action': 'add-finding', onclick: () => addFinding(i) }, `+ ${t('office.insp.addFinding')}`),
      ),
      i.findings.length
        ? table<Finding>(
            `office-findings-${i.id}`,
            [
              { label: 'office.insp.unit', cell: (f) => [f.unit_name || unitName(units, f.unit_id), f.room ? h('div', { class: 'sub' }, f.room) : null] },
              { label: 'office.insp.kind', cell: (f) => tCode('findingKind', f.kind) },
              { label: 'office.insp.description', cell: (f) => h('span', { class: 'detail' }, f.description) },
              { label: 'office.insp.owner', cell: (f) => f.owner || t('common.none') },
              { label: 'office.insp.deadline', cell: (f) => deadlineBadge(f.deadline, f.rectified_at, now), className: 'nowrap' },
              {
                label: 'office.insp.rectification',
                cell: (f) =>
                  f.rectification
                    ? [h('span', { class: 'detail' }, f.rectification), f.rectified_at ? h('div', { class: 'sub' }, formatTime(f.rectified_at)) : null]
                    : h('span', { class: 'muted' }, t('office.insp.noRectification')),
              },
              {
                label: 'common.actions',
                className: 'actions',
                hidden: !rectifier,
                cell: (f) => rectifier && f.status !== 'rectified' && !f.rectified_at && h('button', { type: 'button', class: 'btn small', 'data-action': 'rectify', onclick: () => rectify(f) }, t('office.insp.rectify')),
              },
            ],
            i.findings,
            (f) => {
              const st = deadlineState(f.deadline, f.rectified_at, now).state;
              const late = f.overdue || st === 'overdue';
              return { 'data-finding-id': f.id, 'data-status': f.status, 'data-state': late ? 'overdue' : st, class: late ? 'of-late' : null };
            },
          )
        : h('p', { class: 'muted' }, t('office.insp.noFindings')),
    );
  }

  function newInspection(): void {
    openForm<Inspection>({
      id: 'office-inspection-form',
      title: t('office.insp.new'),
      row: null,
      defaults: { inspected_on: countyDay(new Date()) },
      signal,
      fields: [
        { name: 'title', label: 'office.insp.titleLabel', kind: 'text', required: true, maxLength: 100, placeholder: 'office.insp.titlePlaceholder' },
        { name: 'inspected_on', label: 'office.insp.date', kind: 'date', required: true },
        { name: 'inspector', label: 'office.insp.inspector', kind: 'text', required: true, maxLength: 100 },
        { name: 'note', label: 'office.room.note', kind: 'text', maxLength: 2000 },
      ],
      submit: async (values) => {
        await api.createInspection(values, signal);
        flash(t('common.saved'));
        await load();
      },
    });
  }

  function addFinding(i: Inspection): void {
    const kinds: Option[] = findingKinds.map((k) => ({ value: k, label: tCode('findingKind', k) }));
    openForm<Finding>({
      id: 'office-finding-form',
      title: t('office.insp.addFinding'),
      row: null,
      defaults: { kind: 'over_standard', deadline: addDays(countyDay(new Date()), 30) },
      signal,
      fields: [
        { name: 'unit_id', label: 'office.insp.unit', kind: 'select', numeric: true, required: true, empty: 'office.assign.pickUnit', options: () => unitOptions(units) },
        { name: 'kind', label: 'office.insp.kind', kind: 'select', required: true, options: () => kinds },
        { name: 'room_id', label: 'office.insp.room', kind: 'select', numeric: true, empty: 'office.insp.noRoom', options: () => rooms.map((r) => ({ value: String(r.id), label: `${r.building ?? ''} ${r.number}`.trim() })) },
        { name: 'description', label: 'office.insp.description', kind: 'text', required: true, maxLength: 2000 },
        { name: 'owner', label: 'office.insp.owner', kind: 'text', required: true, maxLength: 100, hint: 'office.insp.ownerHint' },
        { name: 'deadline', label: 'office.insp.deadline', kind: 'date', required: true },
      ],
      submit: async (values) => {
        await api.addFinding(i.id, values, signal);
        flash(t('common.saved'));
        await load();
      },
    });
  }

  function rectify(f: Finding): void {
    openForm<Finding>({
      id: 'office-rectify-form',
      title: t('office.insp.rectifyTitle', { unit: f.unit_name || unitName(units, f.unit_id) }),
      row: null,
      defaults: {},
      signal,
      fields: [{ name: 'rectification', label: 'office.insp.rectification', kind: 'text', required: true, maxLength: 2000, hint: 'office.insp.rectificationHint' }],
      submit: async (values) => {
        await api.rectify(f.id, String(values.rectification ?? ''), signal);
        flash(t('office.insp.rectified'));
        await load();
      },
    });
  }

  void (async () => {
    [units, rooms] = await Promise.all([loadUnits(signal).catch(() => []), writable ? api.rooms(null, signal).catch(() => []) : Promise.resolve([])]);
    await load();
  })();
}
