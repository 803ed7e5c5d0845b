import '../approvals.css';
import '../dispatch.css';
import { ApiError, call, isAbort, listAll } from '../api';
import { confirmBox } from '../confirm';
import { addShift, deleteShift, rosters } from '../dispatch/api';
import { addDays, dayStart } from '../dispatch/clock';
import { layoutWeek, rotation, shiftBody, todayCounty, weekStart, type RosterGrid } from '../dispatch/roster';
import type { Shift } from '../dispatch/types';
import { h, replace } from '../dom';
import { flash } from '../flash';
import { t, tCode } from '../i18n';
import { errorText, pageHeader, type PageContext } from '../page';
import type { Driver } from '../types';

// The duty roster (/rosters): a week grid, drivers down and days across (Monday first, county
// time), each cell the shifts and 24-hour standbys (24小时轮值) of that day; add one, delete one,
// or generate a standby rotation over a span of days. ?week=YYYY-MM-DD picks the week.

const weekdayKeys = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export function rostersPage(ctx: PageContext): void {
  const { root, signal, writable } = ctx;
  root.classList.add('ap-page', 'ro-page');
  const q = new URLSearchParams(location.search);
  let start = weekStart(/^\d{4}-\d{2}-\d{2}$/.test(q.get('week') ?? '') ? q.get('week')! : todayCounty());

  const label = h('strong', { id: 'roster-week', class: 'ro-week' });
  const status = h('div', { class: 'status', role: 'status' }, t('common.loading'));
  const grid = h('div', { class: 'table-wrap ro-wrap' });
  replace(
    root,
    pageHeader(
      'ro.title',
      writable && h('button', { type: 'button', class: 'btn', id: 'roster-rotate', onclick: () => openRotation() }, t('ro.rotation')),
      writable && h('button', { type: 'button', class: 'btn primary', id: 'roster-add', onclick: () => openShift(null, start) }, `+ ${t('ro.add')}`),
    ),
    h(
      'div',
      { class: 'ro-nav' },
      h('button', { type: 'button', class: 'btn small', id: 'roster-prev', onclick: () => go(-7), 'aria-label': t('ro.prev') }, '‹'),
      label,
      h('button', { type: 'button', class: 'btn small', id: 'roster-next', onclick: () => go(7), 'aria-label': t('ro.next') }, '›'),
      h('button', { type: 'button', class: 'btn small', id: 'roster-today', onclick: () => go(0) }, t('ro.thisWeek')),
      h('span', { class: 'ro-legend' }, h('span', { class: 'shift-chip kind-shift' }, tCode('shiftKind', 'shift')), h('span', { class: 'shift-chip kind-standby' }, tCode('shiftKind', 'standby'))),
    ),
    status,
    grid,
  );

  let drivers: Driver[] = [];
  let shifts: Shift[] = [];
  let seq = 0;

  function go(delta: number): void {
    start = delta === 0 ? weekStart(todayCounty()) : addDays(start, delta);
    history.replaceState(null, '', `/rosters?week=${start}`);
    void load();
  }

  async function load(): Promise<void> {
    const mine = ++seq;
    label.textContent = `${start} – ${addDays(start, 6)}`;
    status.textContent = t('common.loading');
    status.className = 'status';
    try {
      // A week, plus a day before for standbys that began the evening before.
      const from = new Date(dayStart(addDays(start, -1))).toISOString();
      const to = new Date(dayStart(addDays(start, 7))).toISOString();
      const [ds, r] = await Promise.all([drivers.length ? drivers : listAll<Driver>('/api/drivers', signal), rosters(from, to, signal)]);
      if (mine !== seq) return;
      drivers = ds;
      shifts = (r.items ?? []).map((s) => ({ ...s, driver: s.driver_name || s.driver }));
      status.textContent = '';
      draw(layoutWeek(activeDrivers().map((d) => ({ id: d.id, name: d.name })), shifts, start));
    } catch (err) {
      if (isAbort(err) || mine !== seq) return;
      status.textContent = t('error.load', { message: errorText(err) });
      status.className = 'status error';
    }
  }

  function activeDrivers(): Driver[] {
    return [...drivers].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  }

  function draw(g: RosterGrid): void {
    const today = todayCounty();
    replace(
      grid,
      h(
        'table',
        { class: 'data ro-grid', id: 'roster-grid', 'data-week': start },
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { class: 'ro-driver' }, t('ro.driver')),
            g.days.map((d, i) =>
              h(
                'th',
                { 'data-day': d, class: d === today ? 'today' : '' },
                h('div', null, t(`ro.wd.${weekdayKeys[i]}`)),
                h('div', { class: 'muted ro-date' }, d.slice(5)),
                h('div', { class: `ro-standby-count${g.standby[i] ? '' : ' none'}`, title: t('ro.standbyCount') }, t('ro.standbyN', { n: g.standby[i] })),
              ),
            ),
            h('th', { class: 'num' }, t('ro.hours')),
          ),
        ),
        h(
          'tbody',
          null,
          g.rows.map((row) =>
            h(
              'tr',
              { 'data-driver-id': row.driver_id },
              h('th', { scope: 'row', class: 'ro-driver' }, row.name),
              row.cells.map((cell, i) =>
                h(
                  'td',
                  {
                    'data-day': g.days[i],
                    class: `ro-cell${g.days[i] === today ? ' today' : ''}${writable ? ' writable' : ''}`,
                    title: writable ? t('ro.addHere') : '',
                    onclick: (ev: MouseEvent) => {
                      if (!writable || (ev.target as Element).closest('.shift-chip')) return;
                      openShift(row.driver_id, g.days[i]);
                    },
                  },
                  cell.map((s) =>
                    h(
                      'span',
                      { class: `shift-chip kind-${s.kind}`, 'data-shift-id': s.id, 'data-kind': s.kind, title: `${tCode('shiftKind', s.kind)} ${s.label}` },
                      s.kind === 'standby' && h('span', { class: 'ro-24' }, '24h '),
                      s.label,
                      writable &&
                        h(
                          'button',
                          { type: 'button', class: 'chip-x', 'data-action': 'delete', 'aria-label': t('ro.delete'), onclick: () => void remove(s.id, row.name, s.label) },
                          '×',
                        ),
                    ),
                  ),
                ),
              ),
              h('td', { class: 'num' }, row.hours ? String(row.hours) : ''),
            ),
          ),
        ),
      ),
    );
    if (!g.rows.length) {
      status.textContent = t('ro.noDrivers');
      status.className = 'status empty';
    }
  }

  async function remove(id: number, name: string, what: string): Promise<void> {
    if (!(await confirmBox(t('ro.confirmDelete', { name, what }), t('ro.delete'), signal))) return;
    try {
      await deleteShift(id, signal);
      flash(t('common.deleted'));
      void load();
    } catch (err) {
      if (!isAbort(err)) flash(errorText(err), 'error');
    }
  }

  function field(label: string, input: HTMLElement, path: string, required = false): HTMLElement {
    return h('div', { class: 'field', 'data-field': path }, h('label', { for: input.id }, label, required && h('span', { class: 'req' }, ' *')), input, h('small', { class: 'field-error' }));
  }

  function mark(form: HTMLElement, problems: Record<string, string>): void {
    for (const [path, code] of Object.entries(problems)) {
      const f = form.querySelector<HTMLElement>(`.field[data-field="${path}"]`);
      f?.classList.add('invalid');
      const m = f?.querySelector<HTMLElement>('.field-error');
      if (m) m.textContent = tCode('field', code);
    }
  }

  function dialogOf(form: HTMLFormElement): HTMLDialogElement {
    const dialog = h('dialog', { class: 'dialog form-dialog' }, form);
    dialog.addEventListener('close', () => dialog.remove());
    signal.addEventListener('abort', () => dialog.close());
    document.body.append(dialog);
    dialog.showModal();
    return dialog;
  }

  function openShift(driverID: number | null, dayValue: string): void {
    const driver = h('select', { id: 'shift-driver' }, h('option', { value: '' }, t('ro.pickDriver')), activeDrivers().map((d) => h('option', { value: String(d.id) }, d.name)));
    driver.value = driverID ? String(driverID) : '';
    const dayInput = h('input', { type: 'date', id: 'shift-day', value: dayValue });
    const kind = h('select', { id: 'shift-kind' }, ['shift', 'standby'].map((k) => h('option', { value: k }, tCode('shiftKind', k))));
    const from = h('input', { type: 'time', id: 'shift-from', value: '08:00' });
    const to = h('input', { type: 'time', id: 'shift-to', value: '17:30' });
    const toField = field(t('ro.to'), to, 'end');
    const error = h('div', { id: 'shift-error', class: 'form-error', role: 'alert', hidden: true });
    const save = h('button', { type: 'submit', id: 'shift-save', class: 'btn primary' }, t('common.save'));
    const form = h(
      'form',
      { id: 'shift-form', class: 'form', novalidate: true },
      h('h2', { class: 'dialog-title' }, t('ro.addTitle')),
      error,
      h('div', { class: 'fields' }, field(t('ro.driver'), driver, 'driver_id', true), field(t('ro.day'), dayInput, 'day', true), field(t('ro.kind'), kind, 'kind', true), field(t('ro.from'), from, 'start', true), toField),
      h('p', { class: 'muted ro-hint', id: 'shift-hint' }),
      h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'btn', onclick: () => dialog.close() }, t('common.cancel')), save),
    );
    const hint = form.querySelector<HTMLElement>('#shift-hint')!;
    const showKind = () => {
      toField.hidden = kind.value === 'standby';
      hint.textContent = kind.value === 'standby' ? t('ro.standbyHint') : t('ro.nightHint');
    };
    kind.addEventListener('change', showKind);
    showKind();
    const dialog = dialogOf(form);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      error.hidden = true;
      for (const el of form.querySelectorAll('.invalid')) el.classList.remove('invalid');
      for (const el of form.querySelectorAll<HTMLElement>('.field-error')) el.textContent = '';
      const built = shiftBody({ driver_id: driver.value, day: dayInput.value, from: from.value, to: to.value, kind: kind.value });
      if (Object.keys(built.problems).length) {
        mark(form, built.problems);
        return;
      }
      save.disabled = true;
      try {
        await addShift(built.body, signal);
        flash(t('common.saved'));
        dialog.close();
        void load();
      } catch (err) {
        if (isAbort(err)) return;
        error.textContent = errorText(err);
        error.hidden = false;
        if (err instanceof ApiError) mark(form, err.fields);
      } finally {
        save.disabled = false;
      }
    });
  }

  function openRotation(): void {
    const ds = activeDrivers().filter((d) => d.status !== 'leave');
    const boxes = ds.map((d) => h('input', { type: 'checkbox', value: String(d.id), checked: d.status === 'on_duty', 'data-driver-id': d.id }));
    const list = h(
      'div',
      { class: 'ro-rot-drivers', id: 'rot-drivers' },
      ds.map((d, i) => h('label', { class: 'check-label' }, boxes[i], ' ', d.name, h('span', { class: 'muted' }, ` ${tCode('dstatus', d.status)}`))),
    );
    const fromInput = h('input', { type: 'date', id: 'rot-from', value: start });
    const daysInput = h('input', { type: 'number', id: 'rot-days', min: 1, max: 62, value: 7 });
    const hourInput = h('input', { type: 'number', id: 'rot-hour', min: 0, max: 23, value: 8 });
    const preview = h('ol', { id: 'rot-preview', class: 'ro-rot-preview' });
    const error = h('div', { id: 'rot-error', class: 'form-error', role: 'alert', hidden: true });
    const save = h('button', { type: 'submit', id: 'rot-save', class: 'btn primary' }, t('ro.rotationSave'));
    const form = h(
      'form',
      { id: 'rotation-form', class: 'form', novalidate: true },
      h('h2', { class: 'dialog-title' }, t('ro.rotationTitle')),
      h('p', { class: 'muted' }, t('ro.rotationHint')),
      error,
      h('div', { class: 'fields' }, field(t('ro.from'), fromInput, 'from', true), field(t('ro.days'), daysInput, 'days', true), field(t('ro.changeover'), hourInput, 'start_hour', true)),
      h('div', { class: 'field', 'data-field': 'driver_ids' }, h('label', null, t('ro.rotationDrivers')), list, h('small', { class: 'field-error' })),
      h('h3', null, t('ro.preview')),
      preview,
      h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'btn', onclick: () => dialog.close() }, t('common.cancel')), save),
    );
    const chosen = () => boxes.filter((b) => b.checked).map((b) => Number(b.value));
    const names = new Map(ds.map((d) => [d.id, d.name]));
    const hh = () => String(Math.max(0, Math.min(23, Number(hourInput.value) || 0))).padStart(2, '0');
    const redraw = () => {
      const plan = rotation(chosen(), fromInput.value, Math.min(62, Number(daysInput.value) || 0), `${hh()}:00`);
      replace(
        preview,
        plan.slice(0, 14).map((p, i) => h('li', null, h('span', { class: 'muted' }, addDays(fromInput.value, i).slice(5)), ' ', names.get(p.driver_id) ?? `#${p.driver_id}`)),
        plan.length > 14 && h('li', { class: 'muted' }, t('ro.andMore', { n: plan.length - 14 })),
      );
    };
    form.addEventListener('input', redraw);
    form.addEventListener('change', redraw);
    redraw();
    const dialog = dialogOf(form);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      error.hidden = true;
      for (const el of form.querySelectorAll('.invalid')) el.classList.remove('invalid');
      for (const el of form.querySelectorAll<HTMLElement>('.field-error')) el.textContent = '';
      const ids = chosen();
      const problems: Record<string, string> = {};
      if (!ids.length) problems.driver_ids = 'required';
      if (!fromInput.value) problems.from = 'required';
      const days = Number(daysInput.value);
      if (!Number.isInteger(days) || days < 1 || days > 62) problems.days = 'out_of_range';
      if (Object.keys(problems).length) {
        mark(form, problems);
        return;
      }
      save.disabled = true;
      try {
        const r = await call<{ total?: number }>('POST', '/api/rosters/rotation', { driver_ids: ids, from: fromInput.value, days, start_hour: Number(hh()) }, { signal });
        flash(t('ro.rotationDone', { n: r?.total ?? days }));
        dialog.close();
        void load();
      } catch (err) {
        if (isAbort(err)) return;
        error.textContent = errorText(err);
        error.hidden = false;
        if (err instanceof ApiError) mark(form, err.fields);
      } finally {
        save.disabled = false;
      }
    });
  }

  void load();
}
