import '../approvals.css';
import '../dispatch.css';
import { isAbort } from '../api';
import { reminders } from '../dispatch/api';
import { daysLeft, dueOf, sortReminders, tally, urgencyOf } from '../dispatch/records';
import type { Reminder } from '../dispatch/types';
import { h, replace } from '../dom';
import { t, tCode } from '../i18n';
import { errorText, pageHeader, type PageContext } from '../page';

// What falls due (GET /api/fleet/reminders?days=N): vehicles' insurance, annual inspection and
// service, drivers' licences; overdue first. Each vehicle row links to its records, where the
// renewal is entered (which moves the date).

const windows = [7, 30, 60, 90];

export function remindersPage(ctx: PageContext): void {
  const { root, signal, writable } = ctx;
  root.classList.add('ap-page', 'rem-page');
  const q = new URLSearchParams(location.search);
  let days = windows.includes(Number(q.get('days'))) ? Number(q.get('days')) : 30;

  const select = h('select', { id: 'reminder-days', 'aria-label': t('rem.window') }, windows.map((d) => h('option', { value: String(d) }, t('rem.days', { n: d }))));
  select.value = String(days);
  select.addEventListener('change', () => {
    days = Number(select.value);
    history.replaceState(null, '', `/reminders?days=${days}`);
    void load();
  });
  const summary = h('div', { id: 'reminder-summary', class: 'rem-summary' });
  const status = h('div', { class: 'status', role: 'status' }, t('common.loading'));
  const tbody = h('tbody', { id: 'reminder-list' });
  replace(
    root,
    pageHeader('rem.title', h('a', { href: '/records', class: 'btn' }, t('nav.records'))),
    h('div', { class: 'toolbar' }, h('label', { class: 'rem-window' }, t('rem.window'), ' ', select)),
    summary,
    status,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data' },
        h(
          'thead',
          null,
          h('tr', null, h('th', null, t('rem.due')), h('th', null, t('rem.left')), h('th', null, t('rem.kind')), h('th', null, t('rem.subject')), h('th', { class: 'actions' }, t('common.actions'))),
        ),
        tbody,
      ),
    ),
  );

  async function load(): Promise<void> {
    status.textContent = t('common.loading');
    status.className = 'status';
    try {
      const r = await reminders(days, signal);
      const now = Date.now();
      const list = sortReminders(r.items, now);
      const c = tally(list, now);
      replace(
        summary,
        (['overdue', 'soon', 'later'] as const).map((u) =>
          h('div', { class: `stat rem-stat rem-${u}`, 'data-urgency': u }, h('div', { class: 'stat-value' }, c[u]), h('div', { class: 'stat-label' }, t(`rem.urgency.${u}`))),
        ),
      );
      status.textContent = list.length ? '' : t('rem.none', { n: days });
      status.className = list.length ? 'status' : 'status empty';
      replace(tbody, list.map((x) => row(x, now)));
    } catch (err) {
      if (isAbort(err)) return;
      status.textContent = t('error.load', { message: errorText(err) });
      status.className = 'status error';
    }
  }

  function row(r: Reminder, now: number): HTMLElement {
    const u = urgencyOf(r, now);
    const left = daysLeft(r, now);
    const isVehicle = !!r.vehicle_id;
    const recordKind = r.kind === 'license' ? '' : r.kind;
    return h(
      'tr',
      { 'data-kind': r.kind, 'data-urgency': u, class: `rem-row rem-${u}` },
      h('td', { class: 'nowrap' }, dueOf(r)),
      h('td', { class: 'nowrap' }, h('span', { class: u === 'overdue' ? 'warn-strong' : u === 'soon' ? 'warn' : '' }, left < 0 ? t('rem.overdueBy', { n: -left }) : left === 0 ? t('rem.today') : t('rem.inDays', { n: left }))),
      h('td', null, tCode('reminderKind', r.kind)),
      h('td', null, isVehicle ? h('a', { href: `/records?vehicle=${r.vehicle_id}` }, h('strong', { class: 'plate' }, r.name ?? `#${r.vehicle_id}`)) : h('a', { href: '/drivers' }, r.name ?? `#${r.driver_id}`)),
      h(
        'td',
        { class: 'actions' },
        isVehicle && writable && recordKind && h('a', { class: 'btn small', href: `/records?vehicle=${r.vehicle_id}&add=${recordKind}`, 'data-action': 'renew' }, t('rem.renew')),
      ),
    );
  }

  void load();
}
