import '../office.css';
import { isAbort } from '../api';
import { formatYuan } from '../approvals/form';
import { h, replace } from '../dom';
import { flash } from '../flash';
import { t, tCode } from '../i18n';
import * as api from '../office/api';
import { addDays, countyDay, deadlineState } from '../office/deadline';
import type { Building, Patrol, PatrolItem, Repair, Room } from '../office/types';
import { askReason, deadlineBadge, officeTabs, statusLine, table } from '../office/views';
import { errorText, pageHeader, type PageContext } from '../page';
import { openForm, type Option } from '../resource-form';
import { formatTime } from '../time';

// 设施维护: repair requests for rooms and building equipment (elevators, water, power, air
// conditioning, fire equipment) with status and cost, and scheduled safety patrols (安全巡检)
// with their checklists, results and the follow-ups of what failed.

export const equipments = ['room', 'elevator', 'water', 'power', 'air_conditioning', 'fire'] as const;
/** Where a repair may go next from each status (the server refuses other moves). */
const repairMoves: Record<string, string[]> = {
  reported: ['in_progress', 'done', 'cancelled'],
  in_progress: ['done', 'cancelled'],
  done: [],
  cancelled: [],
};

/** officeFacilitiesPage renders /office/facilities. */
export function officeFacilitiesPage(ctx: PageContext): void {
  const { root, signal, writable, user } = ctx;
  // Leaders report repairs for their unit's rooms and the buildings' equipment (office.request).
  const reporter = writable || user.role === 'leader';
  // Patrols are building-wide: the center's (a leader's unit scope does not reach them).
  const center = user.role !== 'leader';
  let buildings: Building[] = [];
  let rooms: Room[] = [];
  const repStatus = statusLine();
  const repBody = h('div');
  const patStatus = statusLine();
  const patBody = h('div');
  const patLate = h('p', { id: 'office-patrols-overdue', class: 'warn-strong', hidden: true });
  root.classList.add('of-page');
  replace(
    root,
    pageHeader('office.fac.title'),
    officeTabs('facilities'),
    h(
      'div',
      { class: 'of-section-head' },
      h('h2', { class: 'section-title' }, t('office.fac.repairs')),
      reporter && h('button', { type: 'button', class: 'btn primary', id: 'office-repair-new', onclick: () => void lookups.then(newRepair) }, `+ ${t('office.fac.newRepair')}`),
    ),
    repStatus,
    repBody,
    h(
      'div',
      { class: 'of-section-head' },
      h('h2', { class: 'section-title' }, t('office.fac.patrols')),
      writable && h('button', { type: 'button', class: 'btn', id: 'office-patrol-new', onclick: () => void lookups.then(newPatrol) }, `+ ${t('office.fac.newPatrol')}`),
    ),
    h('p', { class: 'muted', id: center ? null : 'office-patrols-center' }, t(center ? 'office.fac.patrolHint' : 'office.fac.patrolsCenter')),
    patLate,
    patStatus,
    patBody,
  );

  const buildingName = (id: number, carried?: string) => carried || buildings.find((b) => b.id === id)?.name || `#${id}`;
  const buildingChoices = (): Option[] => buildings.map((b) => ({ value: String(b.id), label: b.name }));

  // ---------- repairs ----------

  async function loadRepairs(): Promise<void> {
    try {
      const items = await api.repairs(signal);
      repStatus.textContent = items.length ? '' : t('office.fac.noRepairs');
      repStatus.className = items.length ? 'status' : 'status empty';
      replace(
        repBody,
        items.length > 0 &&
          table<Repair>(
            'office-repairs',
            [
              { label: 'office.fac.building', cell: (r) => r.room || buildingName(r.building_id, r.building_name) },
              { label: 'office.fac.equipment', cell: (r) => tCode('equipment', r.equipment) },
              { label: 'office.fac.description', cell: (r) => [h('span', { class: 'detail' }, r.description), r.note ? h('div', { class: 'sub' }, r.note) : null] },
              { label: 'office.fac.status', cell: (r) => h('span', { class: `badge of-rs-${r.status}` }, tCode('repairStatus', r.status)) },
              { label: 'office.fac.cost', cell: (r) => (r.cost ? formatYuan(r.cost) : t('common.none')), className: 'num nowrap' },
              { label: 'office.fac.reportedAt', cell: (r) => [formatTime(r.reported_at), r.reporter ? h('div', { class: 'sub' }, r.reporter) : null], className: 'nowrap' },
              { label: 'office.fac.doneAt', cell: (r) => (r.done_at ? formatTime(r.done_at) : t('common.none')), className: 'nowrap' },
              {
                label: 'common.actions',
                className: 'actions',
                hidden: !writable,
                cell: (r) => writable && (repairMoves[r.status]?.length || r.status === 'done') && h('button', { type: 'button', class: 'btn small', 'data-action': 'edit', onclick: () => updateRepair(r) }, t('office.fac.handle')),
              },
            ],
            items,
            (r) => ({ 'data-id': r.id, 'data-status': r.status }),
          ),
      );
    } catch (err) {
      if (isAbort(err)) return;
      repStatus.textContent = t('error.load', { message: errorText(err) });
      repStatus.className = 'status error';
    }
  }

  function newRepair(): void {
    const eq: Option[] = equipments.map((e) => ({ value: e, label: tCode('equipment', e) }));
    const roomChoices: Option[] = rooms.map((r) => ({ value: String(r.id), label: `${r.building ?? buildingName(r.building_id)} ${r.number}` }));
    openForm<Repair>({
      id: 'office-repair-form',
      title: t('office.fac.newRepair'),
      row: null,
      defaults: { equipment: 'room', building_id: buildings[0]?.id },
      signal,
      fields: [
        { name: 'equipment', label: 'office.fac.equipment', kind: 'select', required: true, options: () => eq },
        { name: 'building_id', label: 'office.fac.building', kind: 'select', numeric: true, options: buildingChoices, hint: 'office.fac.buildingHint' },
        { name: 'room_id', label: 'office.fac.room', kind: 'select', numeric: true, empty: 'office.fac.noRoom', options: () => roomChoices, hint: 'office.fac.roomHint' },
        { name: 'description', label: 'office.fac.description', kind: 'text', required: true, maxLength: 1000 },
        { name: 'cost', label: 'office.fac.estimate', kind: 'number', min: 0 },
      ],
      submit: async (values) => {
        // A room names its building: the building select only matters for building equipment.
        const room = rooms.find((r) => r.id === values.room_id);
        await api.reportRepair({ ...values, building_id: room ? room.building_id : values.building_id, cost: values.cost ?? 0 }, signal);
        flash(t('office.fac.reported'));
        await loadRepairs();
      },
    });
  }

  function updateRepair(r: Repair): void {
    const next: Option[] = [r.status, ...(repairMoves[r.status] ?? [])].map((s) => ({ value: s, label: tCode('repairStatus', s) }));
    openForm<Repair>({
      id: 'office-repair-form',
      title: t('office.fac.handleTitle', { what: `${buildingName(r.building_id, r.building_name)} ${r.room ?? ''} ${tCode('equipment', r.equipment)}`.replace(/\s+/g, ' ') }),
      row: { ...r, note: '' },
      defaults: {},
      signal,
      fields: [
        { name: 'status', label: 'office.fac.status', kind: 'select', required: true, options: () => next },
        { name: 'cost', label: 'office.fac.cost', kind: 'number', min: 0, hint: 'office.fac.costHint' },
        { name: 'note', label: 'office.room.note', kind: 'text', maxLength: 1000 },
      ],
      submit: async (values) => {
        await api.updateRepair(r.id, { status: String(values.status), cost: (values.cost as number | null) ?? undefined, note: String(values.note ?? '') }, signal);
        flash(t('common.saved'));
        await loadRepairs();
      },
    });
  }

  // ---------- safety patrols ----------

  async function loadPatrols(): Promise<void> {
    try {
      const items = await api.patrols(signal);
      const now = new Date();
      const state = (p: Patrol) => (p.overdue ? 'overdue' : deadlineState(p.scheduled_on, p.done_at, now).state);
      const late = items.filter((p) => state(p) === 'overdue').length;
      patLate.hidden = late === 0;
      patLate.textContent = t('office.fac.overdueCount', { n: late });
      patStatus.textContent = items.length ? '' : t('office.fac.noPatrols');
      patStatus.className = items.length ? 'status' : 'status empty';
      replace(
        patBody,
        items.length > 0 &&
          table<Patrol>(
            'office-patrols',
            [
              { label: 'office.fac.building', cell: (p) => buildingName(p.building_id, p.building_name) },
              { label: 'office.fac.scheduled', cell: (p) => deadlineBadge(p.scheduled_on, p.done_at, now), className: 'nowrap' },
              { label: 'office.fac.inspector', cell: (p) => [p.inspector || t('common.none'), p.done_at ? h('div', { class: 'sub' }, formatTime(p.done_at)) : null] },
              { label: 'office.fac.checklist', cell: (p) => checklistSummary(p) },
              { label: 'office.fac.result', cell: (p) => (p.result ? h('span', { class: `badge of-pr-${p.result}` }, tCode('patrolResult', p.result)) : t('common.none')) },
              { label: 'office.fac.followUp', cell: (p) => followUps(p) },
              {
                label: 'common.actions',
                className: 'actions',
                hidden: !writable,
                cell: (p) => writable && p.status === 'scheduled' && h('button', { type: 'button', class: 'btn small', 'data-action': 'record', onclick: () => recordPatrol(p) }, t('office.fac.record')),
              },
            ],
            items,
            (p) => ({ 'data-id': p.id, 'data-status': p.status, 'data-state': state(p), class: state(p) === 'overdue' ? 'of-late' : null }),
          ),
      );
    } catch (err) {
      if (isAbort(err)) return;
      patStatus.textContent = t('error.load', { message: errorText(err) });
      patStatus.className = 'status error';
    }
  }

  /** followUps lists what failed with its deadline, and closes a follow-up when done. */
  function followUps(p: Patrol): HTMLElement | string {
    const open = p.items.filter((i) => i.follow_up);
    if (!open.length) return t('common.none');
    const now = new Date();
    return h(
      'ul',
      { class: 'of-followups' },
      open.map((i: PatrolItem) =>
        h(
          'li',
          { 'data-item-id': i.id, 'data-state': i.follow_up_overdue ? 'overdue' : deadlineState(i.follow_up_deadline, i.follow_up_done_at, now).state },
          h('span', null, i.follow_up),
          ' ',
          deadlineBadge(i.follow_up_deadline, i.follow_up_done_at, now),
          i.follow_up_note ? h('div', { class: 'sub' }, i.follow_up_note) : null,
          writable &&
            !i.follow_up_done_at &&
            h(
              'button',
              {
                type: 'button',
                class: 'btn small link',
                'data-action': 'close-follow-up',
                onclick: async () => {
                  const note = await askReason(t('office.fac.closeQuestion', { what: i.follow_up ?? '' }), t('office.fac.closeFollowUp'), signal, true);
                  if (note === null) return;
                  try {
                    await api.closeFollowUp(i.id, note, signal);
                    flash(t('common.saved'));
                  } catch (err) {
                    if (isAbort(err)) return;
                    flash(errorText(err), 'error');
                  }
                  await loadPatrols();
                },
              },
              t('office.fac.closeFollowUp'),
            ),
        ),
      ),
    );
  }

  function newPatrol(): void {
    openForm<Patrol>({
      id: 'office-patrol-form',
      title: t('office.fac.newPatrol'),
      row: null,
      defaults: { building_id: buildings[0]?.id, scheduled_on: countyDay(new Date()) },
      signal,
      fields: [
        { name: 'building_id', label: 'office.fac.building', kind: 'select', numeric: true, required: true, options: buildingChoices },
        { name: 'scheduled_on', label: 'office.fac.scheduled', kind: 'date', required: true },
        { name: 'checklist', label: 'office.fac.checklist', kind: 'text', maxLength: 4000, hint: 'office.fac.checklistHint' },
      ],
      submit: async (values) => {
        const checklist = String(values.checklist ?? '')
          .split(/[;；\n]/)
          .map((s) => s.trim())
          .filter(Boolean);
        await api.schedulePatrol({ building_id: Number(values.building_id), scheduled_on: String(values.scheduled_on), checklist: checklist.length ? checklist : undefined }, signal);
        flash(t('common.saved'));
        await loadPatrols();
      },
    });
  }

  /** recordPatrol answers every line of the checklist (#office-patrol-record); a failed line needs a follow-up and its deadline. */
  function recordPatrol(p: Patrol): void {
    const due = addDays(countyDay(new Date()), 14);
    const rows = p.items.map((c) => {
      const ok = h(
        'select',
        { 'data-field': 'ok', 'aria-label': c.item },
        h('option', { value: 'true' }, t('office.fac.ok')),
        h('option', { value: 'false' }, t('office.fac.notOk')),
      );
      const follow = h('input', { type: 'text', 'data-field': 'follow_up', maxlength: 1000, placeholder: t('office.fac.followUpPlaceholder'), 'aria-label': t('office.fac.followUp') });
      const deadline = h('input', { type: 'date', 'data-field': 'deadline', value: due, 'aria-label': t('office.fac.followUpDeadline') });
      const note = h('input', { type: 'text', 'data-field': 'note', maxlength: 1000, 'aria-label': t('office.fac.note') });
      const tr = h(
        'tr',
        { 'data-line': c.line },
        h('td', null, c.item),
        h('td', null, ok),
        h('td', null, note),
        h('td', null, h('div', { class: 'of-fu' }, follow, deadline)),
      );
      const sync = () => tr.classList.toggle('of-failed', ok.value === 'false');
      ok.addEventListener('change', sync);
      sync();
      return tr;
    });
    const inspector = h('input', { type: 'text', id: 'office-patrol-inspector', value: p.inspector || ctx.user.name || '', maxlength: 100 });
    const note = h('input', { type: 'text', id: 'office-patrol-note', value: p.note ?? '', maxlength: 2000 });
    const problem = h('div', { class: 'form-error', role: 'alert', hidden: true });
    const save = h('button', { type: 'submit', class: 'btn primary', id: 'office-patrol-save' }, t('common.save'));
    const form = h(
      'form',
      { id: 'office-patrol-record', class: 'form', novalidate: true },
      h('h2', { class: 'dialog-title' }, t('office.fac.recordTitle', { building: buildingName(p.building_id, p.building_name), date: p.scheduled_on.slice(0, 10) })),
      problem,
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'data of-checklist' },
          h('thead', null, h('tr', null, h('th', null, t('office.fac.item')), h('th', null, t('office.fac.state')), h('th', null, t('office.fac.note')), h('th', null, t('office.fac.followUp')))),
          h('tbody', null, rows),
        ),
      ),
      h(
        'div',
        { class: 'fields' },
        h('div', { class: 'field' }, h('label', { for: 'office-patrol-inspector' }, t('office.fac.inspector')), inspector),
        h('div', { class: 'field' }, h('label', { for: 'office-patrol-note' }, t('office.room.note')), note),
      ),
      h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'btn', onclick: () => close() }, t('common.cancel')), save),
    );
    const dialog = h('dialog', { class: 'dialog form-dialog of-patrol-dialog' }, form);
    const close = () => {
      dialog.close();
      dialog.remove();
    };
    dialog.addEventListener('cancel', () => dialog.remove());
    signal.addEventListener('abort', close);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      problem.hidden = true;
      const value = (tr: Element, f: string) => (tr.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-field="${f}"]`)?.value ?? '').trim();
      const items = rows.map((tr) => {
        const ok = value(tr, 'ok') === 'true';
        return { line: Number(tr.dataset.line), ok, note: value(tr, 'note'), follow_up: ok ? '' : value(tr, 'follow_up'), deadline: ok ? '' : value(tr, 'deadline') };
      });
      if (!inspector.value.trim()) {
        problem.textContent = `${t('office.fac.inspector')}：${t('field.required')}`;
        problem.hidden = false;
        return;
      }
      const missing = items.find((i) => !i.ok && (!i.follow_up || !i.deadline));
      if (missing) {
        problem.textContent = t('office.fac.followUpNeeded', { item: p.items.find((c) => c.line === missing.line)?.item ?? '' });
        problem.hidden = false;
        return;
      }
      save.disabled = true;
      try {
        await api.recordPatrol(p.id, { inspector: inspector.value.trim(), note: note.value.trim(), items }, signal);
        flash(t('common.saved'));
        close();
        await loadPatrols();
      } catch (err) {
        if (isAbort(err)) return;
        problem.textContent = errorText(err);
        problem.hidden = false;
      } finally {
        save.disabled = false;
      }
    });
    document.body.appendChild(dialog);
    dialog.showModal();
  }

  // The forms' buildings and rooms: a form opened before they arrive waits for them.
  const lookups = Promise.all([api.buildings(signal).catch(() => []), reporter ? api.rooms(null, signal).catch(() => []) : Promise.resolve([])]).then(([b, r]) => {
    buildings = b;
    rooms = r;
  });
  void (async () => {
    await lookups;
    if (!center) patStatus.hidden = true;
    await Promise.all([loadRepairs(), center ? loadPatrols() : Promise.resolve()]);
  })();
}

function checklistSummary(p: Patrol): HTMLElement {
  const items = p.items ?? [];
  const bad = items.filter((c) => c.ok === false).length;
  const ok = items.filter((c) => c.ok === true).length;
  return h(
    'span',
    { class: bad ? 'warn-strong' : 'muted', title: items.map((c) => c.item).join('\n') },
    p.status === 'done' ? t('office.fac.checkSummary', { ok, bad, total: items.length }) : t('office.fac.checkItems', { total: items.length }),
  );
}
