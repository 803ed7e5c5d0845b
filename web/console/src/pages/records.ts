import '../approvals.css';
import '../dispatch.css';
import { ApiError, call, isAbort, listAll } from '../api';
import { facts } from '../approvals/views';
import { formatYuan } from '../approvals/form';
import { confirmBox } from '../confirm';
import { addRecord, vehicleRecords } from '../dispatch/api';
import { countyDay } from '../dispatch/clock';
import { emptyRecord, recordBody, type RecordDraft } from '../dispatch/records';
import { recordKinds, type FleetRecord } from '../dispatch/types';
import { h, replace } from '../dom';
import { flash } from '../flash';
import { t, tCode } from '../i18n';
import { errorText, pageHeader, type PageContext } from '../page';
import { navigate } from '../router';
import type { Vehicle } from '../types';

// A vehicle's records (车辆档案): maintenance, repair, insurance, inspection and disinfection, with
// the dates they keep (insurance expiry, inspection and service due). /records?vehicle=N shows
// one vehicle; &add=KIND opens the add form at once (the reminders page links there).

/** Vehicle as /api/vehicles sends it with the fleet-record fields. */
type RecordVehicle = Vehicle & {
  odometer_km?: number | null;
  insurance_expiry?: string | null;
  inspection_due?: string | null;
  maintenance_due?: string | null;
  parking_name?: string;
  range_km?: number | null;
};

const day = (s: string | null | undefined) => (s ? s.slice(0, 10) : '');

/** dueBadge shows a due day, flagged when past or within 30 days. */
export function dueBadge(date: string | null | undefined, now = Date.now()): HTMLElement | string {
  const d = day(date);
  if (!d) return t('common.none');
  const left = Math.round((Date.parse(d) - Date.parse(countyDay(now))) / 86_400_000);
  if (left < 0) return h('span', { class: 'warn-strong' }, `${d} · ${t('rec.overdue')}`);
  if (left <= 30) return h('span', { class: 'warn' }, `${d} · ${t('rec.daysLeft', { n: left })}`);
  return d;
}

export function recordsPage(ctx: PageContext): void {
  const { root, signal, writable } = ctx;
  root.classList.add('ap-page', 'rec-page');
  const q = new URLSearchParams(location.search);
  const vehicleID = Number(q.get('vehicle')) || 0;
  const addKind = q.get('add') ?? '';

  const pick = h('select', { id: 'record-vehicle', 'aria-label': t('rec.vehicle') }, h('option', { value: '' }, t('rec.pickVehicle')));
  pick.addEventListener('change', () => navigate(pick.value ? `/records?vehicle=${pick.value}` : '/records'));
  const status = h('div', { class: 'status', role: 'status' });
  const head = h('div', { id: 'record-vehicle-facts' });
  const kindTabs = h('nav', { class: 'ap-tabs rec-tabs', role: 'tablist' });
  const tbody = h('tbody', { id: 'record-list' });
  const table = h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'data' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', null, t('rec.date')),
          h('th', null, t('rec.kind')),
          h('th', null, t('rec.due')),
          h('th', { class: 'num' }, t('rec.cost')),
          h('th', { class: 'num' }, t('rec.odometer')),
          h('th', null, t('rec.note')),
          h('th', null, t('rec.by')),
          ctx.user.role === 'admin' && h('th', { class: 'actions' }, t('common.actions')),
        ),
      ),
      tbody,
    ),
  );
  const add = writable && vehicleID ? h('button', { type: 'button', class: 'btn primary', id: 'record-add', onclick: () => openForm(addKind || 'maintenance') }, `+ ${t('rec.add')}`) : null;
  replace(root, pageHeader('rec.title', h('a', { href: '/reminders', class: 'btn' }, t('nav.reminders')), add), h('div', { class: 'toolbar rec-toolbar' }, pick), status, head, vehicleID ? kindTabs : null, vehicleID ? table : null);

  let vehicle: RecordVehicle | null = null;
  let records: FleetRecord[] = [];
  let kind = '';

  void (async () => {
    try {
      const vs = await listAll<RecordVehicle>('/api/vehicles', signal);
      vs.sort((a, b) => a.plate.localeCompare(b.plate, 'zh-CN'));
      pick.append(...vs.map((v) => h('option', { value: String(v.id) }, `${v.plate} · ${tCode('class', v.class)}`)));
      pick.value = vehicleID ? String(vehicleID) : '';
      if (!vehicleID) {
        status.textContent = t('rec.pickHint');
        status.className = 'status empty';
      }
    } catch (err) {
      if (!isAbort(err)) console.warn('fleet: vehicles for records', err);
    }
  })();

  async function load(): Promise<void> {
    if (!vehicleID) return;
    status.textContent = t('common.loading');
    status.className = 'status';
    try {
      const [v, r] = await Promise.all([call<RecordVehicle>('GET', `/api/vehicles/${vehicleID}`, undefined, { signal }), vehicleRecords(vehicleID, signal)]);
      vehicle = v;
      records = r.items ?? [];
      status.textContent = '';
      draw();
    } catch (err) {
      if (isAbort(err)) return;
      status.textContent = t('error.load', { message: errorText(err) });
      status.className = 'status error';
    }
  }

  function draw(): void {
    const v = vehicle;
    if (!v) return;
    replace(
      head,
      h(
        'section',
        { class: 'card rec-vehicle' },
        h('div', { class: 'ap-head-top' }, h('h2', { class: 'ap-title' }, h('span', { class: 'plate' }, v.plate)), h('span', { class: `badge vstatus-${v.status}` }, tCode('vstatus', v.status))),
        facts([
          ['vehicle.class', tCode('class', v.class)],
          ['rec.odometerNow', typeof v.odometer_km === 'number' ? `${v.odometer_km} km` : t('common.none')],
          ['rec.insuranceExpiry', h('span', { 'data-field': 'insurance_expiry' }, dueBadge(v.insurance_expiry))],
          ['rec.inspectionDue', h('span', { 'data-field': 'inspection_due' }, dueBadge(v.inspection_due))],
          ['rec.maintenanceDue', h('span', { 'data-field': 'maintenance_due' }, dueBadge(v.maintenance_due))],
          ['rec.parking', v.parking_name ?? ''],
        ]),
      ),
    );
    const count = (k: string) => (k ? records.filter((r) => r.kind === k).length : records.length);
    replace(
      kindTabs,
      ['', ...recordKinds].map((k) =>
        h(
          'button',
          { type: 'button', role: 'tab', class: `ap-tab${k === kind ? ' active' : ''}`, 'data-kind': k || 'all', onclick: () => ((kind = k), draw()) },
          k ? tCode('recordKind', k) : t('rec.all'),
          ` (${count(k)})`,
        ),
      ),
    );
    const rows = records.filter((r) => !kind || r.kind === kind).sort((a, b) => b.date.localeCompare(a.date) || b.id - a.id);
    if (!rows.length) {
      status.textContent = t('rec.none');
      status.className = 'status empty';
    }
    replace(
      tbody,
      rows.map((r) =>
        h(
          'tr',
          { 'data-id': r.id, 'data-kind': r.kind },
          h('td', { class: 'nowrap' }, day(r.date)),
          h('td', null, h('span', { class: `badge rec-kind-${r.kind}` }, tCode('recordKind', r.kind))),
          h('td', { class: 'nowrap' }, day(r.due_date) || t('common.none')),
          h('td', { class: 'num' }, r.cost ? formatYuan(r.cost) : t('common.none')),
          h('td', { class: 'num' }, typeof r.odometer_km === 'number' ? `${r.odometer_km} km` : t('common.none')),
          h('td', { class: 'rec-note' }, r.note || ''),
          h('td', null, r.user_name || ''),
          ctx.user.role === 'admin' &&
            h('td', { class: 'actions' }, h('button', { type: 'button', class: 'btn small danger', 'data-action': 'delete', onclick: () => void remove(r) }, t('common.delete'))),
        ),
      ),
    );
  }

  async function remove(r: FleetRecord): Promise<void> {
    if (!(await confirmBox(t('rec.confirmDelete', { kind: tCode('recordKind', r.kind), date: day(r.date) }), t('common.delete'), signal))) return;
    try {
      await call('DELETE', `/api/vehicles/${vehicleID}/records/${r.id}`, undefined, { signal });
      flash(t('common.deleted'));
      void load();
    } catch (err) {
      if (!isAbort(err)) flash(errorText(err), 'error');
    }
  }

  function openForm(initialKind: string): void {
    const d: RecordDraft = emptyRecord((recordKinds as readonly string[]).includes(initialKind) ? initialKind : 'maintenance');
    const kindSel = h('select', { id: 'rec-kind', 'data-path': 'kind' }, recordKinds.map((k) => h('option', { value: k }, tCode('recordKind', k))));
    kindSel.value = d.kind;
    const date = h('input', { type: 'date', id: 'rec-date', value: d.date, 'data-path': 'date' });
    const due = h('input', { type: 'date', id: 'rec-due', 'data-path': 'due_date' });
    const cost = h('input', { type: 'text', inputmode: 'decimal', id: 'rec-cost', 'data-path': 'cost', placeholder: t('rec.costPlaceholder') });
    const odo = h('input', { type: 'text', inputmode: 'decimal', id: 'rec-odometer', 'data-path': 'odometer_km' });
    const note = h('textarea', { id: 'rec-note', rows: 2, maxlength: 1000, 'data-path': 'note' });
    const error = h('div', { id: 'rec-error', class: 'form-error', role: 'alert', hidden: true });
    const save = h('button', { type: 'submit', id: 'rec-save', class: 'btn primary' }, t('common.save'));
    const fieldOf = (label: string, input: HTMLElement, path: string, required = false) =>
      h('div', { class: 'field', 'data-field': path }, h('label', { for: input.id }, label, required && h('span', { class: 'req' }, ' *')), input, h('small', { class: 'field-error' }));
    const dueField = fieldOf(t('rec.due'), due, 'due_date');
    const dueHint = h('small', { class: 'hint' });
    dueField.append(dueHint);
    const form = h(
      'form',
      { id: 'record-form', class: 'form', novalidate: true },
      h('h2', { class: 'dialog-title' }, t('rec.addTitle', { plate: vehicle?.plate ?? '' })),
      error,
      h('div', { class: 'fields' }, fieldOf(t('rec.kind'), kindSel, 'kind', true), fieldOf(t('rec.date'), date, 'date', true), dueField, fieldOf(t('rec.cost'), cost, 'cost'), fieldOf(t('rec.odometer'), odo, 'odometer_km')),
      fieldOf(t('rec.note'), note, 'note'),
      h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'btn', onclick: () => dialog.close() }, t('common.cancel')), save),
    );
    const dialog = h('dialog', { class: 'dialog form-dialog' }, form);
    const showDue = () => {
      const k = kindSel.value;
      dueField.hidden = !(k === 'insurance' || k === 'inspection' || k === 'maintenance');
      dueHint.textContent = k === 'maintenance' ? t('rec.dueHintMaintenance') : t('rec.dueHintRequired');
      dueField.querySelector('label .req')?.remove();
      if (k === 'insurance' || k === 'inspection') dueField.querySelector('label')?.append(h('span', { class: 'req' }, ' *'));
    };
    kindSel.addEventListener('change', showDue);
    showDue();
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      error.hidden = true;
      for (const el of form.querySelectorAll('.invalid')) el.classList.remove('invalid');
      for (const el of form.querySelectorAll<HTMLElement>('.field-error')) el.textContent = '';
      const built = recordBody({ kind: kindSel.value, date: date.value, due_date: dueField.hidden ? '' : due.value, cost: cost.value, odometer_km: odo.value, note: note.value });
      if ((kindSel.value === 'insurance' || kindSel.value === 'inspection') && !due.value) built.problems.due_date = 'required';
      const mark = (problems: Record<string, string>) => {
        for (const [path, code] of Object.entries(problems)) {
          const f = form.querySelector<HTMLElement>(`.field[data-field="${path}"]`);
          f?.classList.add('invalid');
          const m = f?.querySelector<HTMLElement>('.field-error');
          if (m) m.textContent = tCode('field', code);
        }
      };
      if (Object.keys(built.problems).length) {
        mark(built.problems);
        return;
      }
      save.disabled = true;
      try {
        await addRecord(vehicleID, built.body, signal);
        flash(t('common.saved'));
        dialog.close();
        void load();
      } catch (err) {
        if (isAbort(err)) return;
        error.textContent = errorText(err);
        error.hidden = false;
        if (err instanceof ApiError) mark(err.fields);
      } finally {
        save.disabled = false;
      }
    });
    dialog.addEventListener('close', () => dialog.remove());
    signal.addEventListener('abort', () => dialog.close());
    document.body.append(dialog);
    dialog.showModal();
    kindSel.focus();
  }

  void load().then(() => {
    if (addKind && writable && vehicle) openForm(addKind);
  });
}
