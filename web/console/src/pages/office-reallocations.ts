import '../office.css';
import { isAbort } from '../api';
import { statusTag } from '../approvals/views';
import { h, replace } from '../dom';
import { flash } from '../flash';
import { t, tCode } from '../i18n';
import { loadUnits, unitName, unitOptions } from '../lookups';
import * as api from '../office/api';
import { addDays, countyDay, deadlineState } from '../office/deadline';
import { isVacant } from '../office/ledger';
import { sortPeople } from '../office/people';
import { departuresSection } from '../office/departures';
import type { Clearance, Person, Reallocation, Room } from '../office/types';
import { area, askReason, deadlineBadge, officeTabs, rankName, statusLine, table } from '../office/views';
import { errorText, pageHeader, type PageContext } from '../page';
import { openForm, type Option } from '../resource-form';
import { formatTime } from '../time';
import type { Unit } from '../types';

// 统筹调剂: requests to reallocate pooled rooms (a unit asks for space, or the center moves a
// unit), each running through the approval engine and applied in one step once approved; 清退,
// rooms a unit must clear and hand back by a deadline; and departures (src/office/departures.ts).

export const reallocationKinds = ['request', 'move'] as const;

/** mayRequest: who files reallocation requests (the server's office.request). */
function mayRequest(role: string): boolean {
  return role === 'admin' || role === 'office_manager' || role === 'leader';
}

/** officeReallocationsPage renders /office/reallocations. */
export function officeReallocationsPage(ctx: PageContext): void {
  const { root, signal, writable, user } = ctx;
  const requester = mayRequest(user.role);
  let units: Unit[] = [];
  let allRooms: Room[] | null = null;
  let pool: Room[] | null = null;
  let people: Person[] | null = null;

  const reqStatus = statusLine();
  const reqBody = h('div');
  const formHost = h('div');
  const clrStatus = statusLine();
  const clrBody = h('div');
  const clrLate = h('p', { id: 'office-clearances-overdue', class: 'warn-strong', hidden: true });
  const departures = departuresSection({ writable, signal, people: loadPeople });
  root.classList.add('of-page');
  replace(
    root,
    pageHeader(
      'office.realloc.title',
      requester && h('button', { type: 'button', class: 'btn primary', id: 'office-realloc-new', onclick: () => void newRequest() }, `+ ${t('office.realloc.new')}`),
    ),
    officeTabs('reallocations'),
    h('p', { class: 'muted' }, t('office.realloc.hint')),
    formHost,
    reqStatus,
    reqBody,
    h(
      'div',
      { class: 'of-section-head' },
      h('h2', { class: 'section-title' }, t('office.clear.title')),
      writable && h('button', { type: 'button', class: 'btn', id: 'office-clearance-new', onclick: () => void newClearance() }, `+ ${t('office.clear.new')}`),
    ),
    h('p', { class: 'muted' }, t('office.clear.hint')),
    clrLate,
    clrStatus,
    clrBody,
    departures.element,
  );

  async function roomsEverywhere(): Promise<Room[]> {
    allRooms ??= await api.rooms(null, signal);
    return allRooms;
  }

  /** thePool is the vacant rooms, asked apart: a leader's room list holds only the unit's own. */
  async function thePool(): Promise<Room[]> {
    pool ??= await api.vacantRooms(signal);
    return pool;
  }

  async function loadPeople(): Promise<Person[]> {
    if (people) return people;
    try {
      people = sortPeople(await api.people(signal));
    } catch (err) {
      if (isAbort(err)) throw err;
      people = []; // a leader may not list people: requests go without names
    }
    return people;
  }

  function roomLabel(r: Room): string {
    return `${r.building ?? ''} ${r.number}（${area(r.area_m2)}）`.trim();
  }

  // ---------- reallocation requests ----------

  async function loadRequests(): Promise<void> {
    try {
      const items = await api.reallocations(signal);
      reqStatus.textContent = items.length ? '' : t('office.realloc.none');
      reqStatus.className = items.length ? 'status' : 'status empty';
      replace(
        reqBody,
        items.length > 0 &&
          table<Reallocation>(
            'office-reallocations',
            [
              { label: 'office.realloc.kind', cell: (r) => tCode('reallocKind', r.kind) },
              { label: 'office.realloc.unit', cell: (r) => r.unit_name || unitName(units, r.unit_id) },
              { label: 'office.realloc.rooms', cell: (r) => itemsCell(r) },
              { label: 'office.realloc.reason', cell: (r) => h('span', { class: 'detail' }, r.reason) },
              { label: 'office.realloc.status', cell: (r) => [statusTag(r.status), r.applied_at ? h('div', { class: 'sub' }, t('office.realloc.applied', { at: formatTime(r.applied_at) })) : null] },
              { label: 'office.realloc.createdAt', cell: (r) => [formatTime(r.created_at), r.applicant ? h('div', { class: 'sub' }, r.applicant) : null], className: 'nowrap' },
              {
                label: 'office.realloc.approval',
                cell: (r) => (r.approval_id ? h('a', { href: `/approvals?id=${r.approval_id}`, 'data-approval-id': r.approval_id }, t('office.realloc.openApproval')) : t('common.none')),
              },
            ],
            items,
            (r) => ({ 'data-id': r.id, 'data-status': r.status }),
          ),
      );
    } catch (err) {
      if (isAbort(err)) return;
      reqStatus.textContent = t('error.load', { message: errorText(err) });
      reqStatus.className = 'status error';
    }
  }

  function itemsCell(r: Reallocation): HTMLElement | string {
    const list = r.items ?? [];
    if (!list.length) return (r.room_ids ?? []).map((id) => `#${id}`).join('、') || t('common.none');
    return h(
      'ul',
      { class: 'of-items' },
      list.map((it) =>
        h(
          'li',
          null,
          it.from_room ? `${it.from_room} → ` : '',
          h('strong', null, it.room),
          it.area_m2 ? ` ${area(it.area_m2)}` : '',
          it.name ? h('span', { class: 'sub' }, ` ${it.name}${it.post ? ` ${it.post}` : ''}`) : null,
        ),
      ),
    );
  }

  async function newRequest(): Promise<void> {
    let rooms: Room[] = [];
    let vacant: Room[] = [];
    let persons: Person[] = [];
    try {
      [rooms, vacant, persons] = await Promise.all([roomsEverywhere(), thePool(), loadPeople(), unitsReady]);
    } catch (err) {
      if (isAbort(err)) return;
      flash(errorText(err), 'error');
    }
    const held = rooms.filter((r) => !isVacant(r));
    const leader = user.role === 'leader';
    const problem = h('div', { id: 'office-realloc-error', class: 'form-error', role: 'alert', hidden: true });
    const kind = h(
      'select',
      { id: 'office-realloc-kind', name: 'kind', disabled: leader },
      reallocationKinds.map((k) => h('option', { value: k }, tCode('reallocKind', k))),
    );
    const unitChoices: Option[] = leader && user.unit_id ? [{ value: String(user.unit_id), label: user.unit_name || unitName(units, user.unit_id) }] : unitOptions(units);
    const unit = h(
      'select',
      { id: 'office-realloc-unit', name: 'unit_id' },
      !leader && h('option', { value: '' }, t('office.assign.pickUnit')),
      unitChoices.map((o) => h('option', { value: o.value }, o.label)),
    );
    const rowsBody = h('tbody');
    const head = h('thead');
    const addRow = h('button', { type: 'button', class: 'btn small', id: 'office-realloc-add-item' }, `+ ${t('office.realloc.addRoom')}`);
    const reason = h('textarea', { id: 'office-realloc-reason', name: 'reason', rows: 3, maxlength: 1000 });
    const submit = h('button', { type: 'submit', class: 'btn primary', id: 'office-realloc-submit' }, t('office.realloc.submit'));

    const select = (field: string, empty: string, options: Option[]) =>
      h('select', { 'data-field': field, 'aria-label': empty }, h('option', { value: '' }, empty), options.map((o) => h('option', { value: o.value }, o.label)));

    function drawHead(): void {
      const move = kind.value === 'move';
      replace(
        head,
        h(
          'tr',
          null,
          move && h('th', null, t('office.realloc.fromRoom')),
          h('th', null, t('office.realloc.toRoom')),
          !move && h('th', null, t('office.realloc.person')),
          !move && h('th', null, t('office.assign.post')),
          h('th', null, ''),
        ),
      );
    }
    function newRow(): HTMLTableRowElement {
      const move = kind.value === 'move';
      const unitId = Number(unit.value);
      const mine = persons.filter((p) => !unitId || p.unit_id === unitId);
      return h(
        'tr',
        { class: 'of-item-row' },
        move && h('td', null, select('from_room_id', t('office.realloc.pickFrom'), held.filter((r) => !unitId || r.unit_id === unitId).map((r) => ({ value: String(r.id), label: `${roomLabel(r)} ${r.occupants.map((o) => o.name).join('、')}`.trim() })))),
        h('td', null, select('room_id', vacant.length ? t('office.realloc.pickVacant') : t('office.realloc.noVacant'), vacant.map((r) => ({ value: String(r.id), label: roomLabel(r) })))),
        !move && h('td', null, select('user_id', t('office.realloc.noPerson'), mine.map((p) => ({ value: String(p.id), label: `${p.name} · ${rankName(p.rank)}` })))),
        !move && h('td', null, h('input', { type: 'text', 'data-field': 'post', maxlength: 100, 'aria-label': t('office.assign.post') })),
        h('td', { class: 'actions' }, h('button', { type: 'button', class: 'btn small', 'data-action': 'remove-item', onclick: (ev: Event) => (ev.currentTarget as HTMLElement).closest('tr')?.remove() }, '×')),
      );
    }
    function reset(): void {
      drawHead();
      replace(rowsBody, newRow());
    }
    kind.addEventListener('change', reset);
    unit.addEventListener('change', reset);
    addRow.addEventListener('click', () => rowsBody.append(newRow()));
    if (leader && user.unit_id) unit.value = String(user.unit_id);
    reset();

    const form = h(
      'form',
      { id: 'office-realloc-form', class: 'card of-form', novalidate: true },
      h('h2', null, t('office.realloc.new')),
      problem,
      h(
        'div',
        { class: 'of-form-row' },
        h('div', { class: 'field' }, h('label', { for: 'office-realloc-kind' }, t('office.realloc.kind')), kind),
        h('div', { class: 'field' }, h('label', { for: 'office-realloc-unit' }, t('office.realloc.unit')), unit),
      ),
      h('div', { class: 'field' }, h('span', { class: 'of-label' }, t('office.realloc.rooms')), h('div', { class: 'table-wrap' }, h('table', { class: 'data of-items-table', id: 'office-realloc-items' }, head, rowsBody)), addRow),
      h('div', { class: 'field' }, h('label', { for: 'office-realloc-reason' }, t('office.realloc.reason')), reason),
      h('div', { class: 'of-actions' }, h('button', { type: 'button', class: 'btn', onclick: () => replace(formHost) }, t('common.cancel')), submit),
    );
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      problem.hidden = true;
      const value = (tr: Element, f: string) => (tr.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-field="${f}"]`)?.value ?? '').trim();
      const items = [...rowsBody.querySelectorAll('tr')]
        .map((tr) => ({
          room_id: Number(value(tr, 'room_id')) || 0,
          from_room_id: Number(value(tr, 'from_room_id')) || undefined,
          user_id: Number(value(tr, 'user_id')) || undefined,
          post: value(tr, 'post') || undefined,
        }))
        .filter((it) => it.room_id || it.from_room_id || it.user_id);
      const missing = !unit.value ? t('office.realloc.unit') : !items.length ? t('office.realloc.rooms') : !reason.value.trim() ? t('office.realloc.reason') : '';
      if (missing) {
        problem.textContent = `${missing}：${t('field.required')}`;
        problem.hidden = false;
        return;
      }
      submit.disabled = true;
      try {
        const a = await api.createReallocation({ kind: kind.value, unit_id: Number(unit.value), items, reason: reason.value.trim() }, signal);
        flash(a?.approval_id ? t('office.realloc.submitted') : t('common.saved'));
        replace(formHost);
        allRooms = pool = null;
        await loadRequests();
      } catch (err) {
        if (isAbort(err)) return;
        problem.textContent = errorText(err);
        problem.hidden = false;
      } finally {
        submit.disabled = false;
      }
    });
    replace(formHost, form);
    form.scrollIntoView({ block: 'start' });
  }

  // ---------- clearances (清退) ----------

  async function loadClearances(): Promise<void> {
    try {
      const items = await api.clearances(signal);
      const now = new Date();
      const state = (c: Clearance) => (c.status === 'cancelled' ? 'done' : deadlineState(c.deadline, c.done_at, now).state);
      const late = items.filter((c) => c.overdue || state(c) === 'overdue').length;
      clrLate.hidden = late === 0;
      clrLate.textContent = t('office.clear.overdueCount', { n: late });
      clrStatus.textContent = items.length ? '' : t('office.clear.none');
      clrStatus.className = items.length ? 'status' : 'status empty';
      replace(
        clrBody,
        items.length > 0 &&
          table<Clearance>(
            'office-clearances',
            [
              { label: 'office.clear.room', cell: (c) => [c.room || `#${c.room_id}`, c.area_m2 ? h('div', { class: 'sub' }, area(c.area_m2)) : null] },
              { label: 'office.clear.unit', cell: (c) => c.unit_name || unitName(units, c.unit_id) || t('common.none') },
              { label: 'office.clear.reason', cell: (c) => h('span', { class: 'detail' }, c.reason) },
              { label: 'office.clear.deadline', cell: (c) => deadlineBadge(c.deadline, c.status === 'open' ? null : c.done_at || c.status, now), className: 'nowrap' },
              {
                label: 'office.clear.status',
                cell: (c) => [h('span', { class: `badge of-cs-${c.status}` }, tCode('clearStatus', c.status)), c.done_at ? h('div', { class: 'sub' }, formatTime(c.done_at)) : null, c.note ? h('div', { class: 'sub' }, c.note) : null],
              },
              {
                label: 'common.actions',
                className: 'actions',
                hidden: !writable,
                cell: (c) =>
                  writable &&
                  c.status === 'open' && [
                    h('button', { type: 'button', class: 'btn small', 'data-action': 'complete', onclick: () => void finish(c, 'complete') }, t('office.clear.complete')),
                    h('button', { type: 'button', class: 'btn small danger', 'data-action': 'cancel', onclick: () => void finish(c, 'cancel') }, t('office.clear.cancel')),
                  ],
              },
            ],
            items,
            (c) => ({ 'data-id': c.id, 'data-status': c.status, 'data-state': state(c), class: c.overdue || state(c) === 'overdue' ? 'of-late' : null }),
          ),
      );
    } catch (err) {
      if (isAbort(err)) return;
      clrStatus.textContent = t('error.load', { message: errorText(err) });
      clrStatus.className = 'status error';
    }
  }

  async function finish(c: Clearance, how: 'complete' | 'cancel'): Promise<void> {
    const question = t(how === 'complete' ? 'office.clear.completeQuestion' : 'office.clear.cancelQuestion', { room: c.room || `#${c.room_id}` });
    const note = await askReason(question, t(how === 'complete' ? 'office.clear.complete' : 'office.clear.cancel'), signal, how === 'cancel');
    if (note === null) return;
    try {
      await api.finishClearance(c.id, how, note, signal);
      flash(t(how === 'complete' ? 'office.clear.completed' : 'office.clear.cancelled'));
      allRooms = pool = null;
    } catch (err) {
      if (isAbort(err)) return;
      flash(errorText(err), 'error');
    }
    await loadClearances();
  }

  async function newClearance(): Promise<void> {
    let rooms: Room[] = [];
    try {
      rooms = (await roomsEverywhere()).filter((r) => !isVacant(r));
    } catch (err) {
      if (isAbort(err)) return;
      flash(errorText(err), 'error');
      return;
    }
    const choices: Option[] = rooms.map((r) => ({
      value: String(r.id),
      label: [roomLabel(r), r.unit_name, r.occupants.map((o) => o.name).join('、')].filter(Boolean).join(' · '),
    }));
    openForm<Clearance>({
      id: 'office-clearance-form',
      title: t('office.clear.new'),
      row: null,
      defaults: { deadline: addDays(countyDay(new Date()), 30) },
      signal,
      fields: [
        { name: 'room_id', label: 'office.clear.room', kind: 'select', numeric: true, required: true, empty: 'office.clear.pickRoom', options: () => choices },
        { name: 'reason', label: 'office.clear.reason', kind: 'text', required: true, maxLength: 500, hint: 'office.clear.reasonHint' },
        { name: 'deadline', label: 'office.clear.deadline', kind: 'date', required: true, hint: 'office.clear.deadlineHint' },
      ],
      submit: async (values) => {
        await api.createClearance(values, signal);
        flash(t('common.saved'));
        await loadClearances();
      },
    });
  }

  // The units for the forms and lists: a form opened before they arrive waits for them.
  const unitsReady = loadUnits(signal)
    .catch(() => [])
    .then((u) => {
      units = u;
    });
  void (async () => {
    await unitsReady;
    await Promise.all([loadRequests(), loadClearances(), departures.load()]);
  })();
}
