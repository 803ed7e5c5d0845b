import '../office.css';
import '../canteen.css';
import { isAbort } from '../api';
import * as api from '../canteen/api';
import { countsBlock, mealPanel } from '../canteen/meal-panel';
import { addDays, mealOf, mondayOf, todayIn, weekDays } from '../canteen/plan';
import { settingsDialog } from '../canteen/settings';
import { kinds, type Dish, type Kind, type Meal, type Week } from '../canteen/types';
import { canteenTabs, cutoffText, dayLabel, kindName } from '../canteen/views';
import { warningList } from '../canteen/warnings';
import { h, replace } from '../dom';
import { flash } from '../flash';
import { t, tCode } from '../i18n';
import { errorText, pageHeader, type PageContext } from '../page';
import { formatTime } from '../time';

// The canteen manager's week (/canteen, desktop): the week's menu as a grid of days and meals,
// each cell with the kitchen's counts by serving point and the forecast; one meal's panel; the
// publication (due by the configured day) and the change log; the canteen's warnings.

/** How often the kitchen's counts are read again while the page is open. */
const refreshEvery = 10_000;

/** canteenPage renders /canteen (?week=YYYY-MM-DD&meal=ID). */
export function canteenPage(ctx: PageContext): void {
  const { root, signal, writable } = ctx;
  const q = new URLSearchParams(location.search);
  let monday = mondayOf(q.get('week') || todayIn());
  let selected = Number(q.get('meal')) || 0;
  let week: Week | null = null;
  let dishes: Dish[] = [];

  const status = h('div', { class: 'status', role: 'status' }, t('common.loading'));
  const warnings = h('section', { id: 'cn-warnings', class: 'cn-warnings', hidden: true });
  const bar = h('div', { class: 'cn-weekbar cn-weekbar-desk' });
  const grid = h('div', { class: 'cn-grid-wrap' });
  const panel = h('section', { id: 'cn-meal-panel', class: 'card cn-panel', hidden: true });
  const changes = h('section', { id: 'cn-changes', hidden: true });
  const month = todayIn().slice(0, 7);
  root.classList.add('of-page', 'cn-page');
  replace(
    root,
    pageHeader(
      'canteen.title',
      !writable && h('span', { class: 'badge muted', id: 'read-only' }, t('common.readOnly')),
      h('a', { class: 'btn', id: 'cn-export', href: api.reportURL(month), download: '' }, t('canteen.export', { month })),
      writable && h('button', { type: 'button', class: 'btn', id: 'cn-settings', onclick: () => settingsDialog(signal, () => load()) }, t('canteen.settings')),
    ),
    canteenTabs('menu'),
    warnings,
    bar,
    status,
    grid,
    panel,
    changes,
  );

  async function load(): Promise<void> {
    try {
      week = await api.week(monday, signal);
      status.textContent = '';
      status.className = 'status';
      history.replaceState(null, '', `/canteen?week=${monday}${selected ? `&meal=${selected}` : ''}`);
      draw();
    } catch (err) {
      if (isAbort(err)) return;
      status.textContent = t('error.load', { message: errorText(err) });
      status.className = 'status error';
    }
  }

  function draw(): void {
    if (!week) return;
    drawBar(week);
    drawGrid(week);
    const m = week.meals.find((x) => x.id === selected);
    panel.hidden = !m;
    if (m) mealPanel(panel, m, week, { signal, writable, dishes: () => dishes, reload: load });
    drawChanges(week);
  }

  function drawBar(w: Week): void {
    const due = t('canteen.publishDue', { day: dayLabel(w.publish_due) });
    replace(
      bar,
      h('button', { type: 'button', class: 'btn', id: 'cn-prev', onclick: () => move(-7) }, `‹ ${t('canteen.prevWeek')}`),
      h(
        'div',
        { class: 'cn-weektitle' },
        h('strong', null, `${dayLabel(w.week_start)} – ${dayLabel(w.week_end)}`),
        ' ',
        h('span', { class: `badge cn-ws-${w.status}`, id: 'cn-week-status' }, w.status === 'published' ? t('canteen.published') : t('canteen.draft')),
        ' ',
        w.status === 'published'
          ? h('span', { class: w.published_late ? 'warn' : 'muted' }, t(w.published_late ? 'canteen.publishedLate' : 'canteen.publishedAt', { at: formatTime(w.published_at) }))
          : h('span', { class: w.publish_overdue ? 'warn-strong' : 'muted', id: 'cn-due' }, w.publish_overdue ? t('canteen.publishOverdue', { due }) : due),
        w.consultation && w.comments > 0 && h('a', { href: '/canteen/feedback', class: 'cn-link' }, t('canteen.commentsN', { n: w.comments })),
      ),
      writable && w.status === 'draft' && h('button', { type: 'button', class: 'btn primary', id: 'cn-publish', onclick: () => publish() }, t('canteen.publish')),
      h('button', { type: 'button', class: 'btn', id: 'cn-next', onclick: () => move(7) }, `${t('canteen.nextWeek')} ›`),
    );
  }

  function drawGrid(w: Week): void {
    const days = weekDays(monday);
    const today = todayIn();
    replace(
      grid,
      h(
        'table',
        { class: 'cn-grid', id: 'cn-week' },
        h('thead', null, h('tr', null, h('th', null, ''), days.map((d) => h('th', { class: d === today ? 'today' : null, scope: 'col' }, dayLabel(d))))),
        h('tbody', null, kinds.map((k) => h('tr', null, h('th', { scope: 'row' }, kindName(k)), days.map((d) => h('td', null, cell(w, d, k)))))),
      ),
    );
  }

  function cell(w: Week, day: string, kind: Kind): HTMLElement | null {
    const m = mealOf(w.meals, day, kind);
    if (!m) {
      return writable && day >= todayIn() ? h('button', { type: 'button', class: 'cn-add', 'data-action': 'add', 'data-day': day, 'data-kind': kind, onclick: () => add(day, kind) }, `+ ${t('canteen.addMeal')}`) : null;
    }
    const names = m.dishes.map((d) => d.name);
    return h(
      'button',
      {
        type: 'button',
        class: ['cn-cell', m.id === selected ? 'selected' : '', m.status === 'cancelled' ? 'cancelled' : '', m.dishes.length ? '' : 'empty'].join(' ').trim(),
        'data-meal-id': m.id,
        onclick: () => select(m),
      },
      h('span', { class: 'cn-cell-dishes' }, names.length ? names.slice(0, 4).join('、') + (names.length > 4 ? '…' : '') : t('canteen.noDishesYet')),
      m.status === 'cancelled'
        ? h('span', { class: 'badge cn-cancelled-badge' }, t('canteen.cancelled'))
        : h(
            'span',
            { class: 'cn-cell-counts' },
            h('span', null, `${t('canteen.point.dine_in')} `, h('b', { class: 'cn-count-dine_in' }, String(m.counts.dine_in))),
            h('span', null, `${t('canteen.point.takeaway')} `, h('b', { class: 'cn-count-takeaway' }, String(m.counts.takeaway))),
            m.forecast && h('span', { class: 'cn-cell-fc', title: t('canteen.expected') }, t('canteen.expectedShort', { n: m.forecast.expected })),
          ),
      h('span', { class: 'cn-cell-cut' }, t('canteen.cutoffShort', { time: cutoffText(m) })),
    );
  }

  function select(m: Meal): void {
    selected = m.id;
    history.replaceState(null, '', `/canteen?week=${monday}&meal=${m.id}`);
    draw();
    panel.scrollIntoView({ block: 'nearest' });
  }

  function move(days: number): void {
    monday = addDays(monday, days);
    selected = 0;
    void load();
  }

  async function add(day: string, kind: Kind): Promise<void> {
    try {
      const m = await api.createMeal({ date: day, kind }, signal);
      selected = m.id;
      await load();
      panel.querySelector<HTMLButtonElement>('#cn-edit-dishes')?.click();
    } catch (err) {
      if (!isAbort(err)) flash(errorText(err), 'error');
    }
  }

  async function publish(): Promise<void> {
    try {
      await api.publish(monday, signal);
      flash(t('canteen.publishedFlash'));
      await load();
    } catch (err) {
      if (!isAbort(err)) flash(errorText(err), 'error');
    }
  }

  function drawChanges(w: Week): void {
    changes.hidden = w.changes.length === 0;
    replace(
      changes,
      h('h2', { class: 'section-title' }, t('canteen.changeLog')),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'data', id: 'cn-change-table' },
          h('thead', null, h('tr', null, [t('canteen.at'), t('canteen.meal'), t('canteen.change'), t('canteen.from'), t('canteen.to'), t('canteen.reason'), t('canteen.by')].map((x) => h('th', null, x)))),
          h(
            'tbody',
            null,
            w.changes.map((c) =>
              h(
                'tr',
                { 'data-action': c.action },
                h('td', { class: 'nowrap' }, formatTime(c.at)),
                h('td', null, c.date ? `${dayLabel(c.date)} ${kindName(c.kind)}` : ''),
                h('td', null, tCode('menuChange', c.action)),
                h('td', null, c.from),
                h('td', null, c.to),
                h('td', null, c.reason),
                h('td', null, c.actor),
              ),
            ),
          ),
        ),
      ),
    );
  }

  async function loadSide(): Promise<void> {
    try {
      dishes = await api.dishes(signal);
      const ov = await api.warnings(signal);
      warningList(warnings, ov);
    } catch (err) {
      if (!isAbort(err)) console.warn('canteen: warnings', err);
    }
  }

  /** refresh reads the week again and redraws the grid and the open meal's counts only, so
   * that nothing the manager is typing is lost. */
  async function refresh(): Promise<void> {
    try {
      week = await api.week(monday, signal);
      drawBar(week);
      drawGrid(week);
      const m = week.meals.find((x) => x.id === selected);
      // The whole panel again unless the manager is typing in it; else its counts only.
      const busy = panel.contains(document.activeElement) || panel.querySelector('[data-dirty]');
      if (m && !busy) mealPanel(panel, m, week, { signal, writable, dishes: () => dishes, reload: load });
      else if (m) panel.querySelector('#cn-counts')?.replaceWith(countsBlock(m));
    } catch (err) {
      if (!isAbort(err)) console.warn('canteen: refresh', err);
    }
  }

  const timer = window.setInterval(() => {
    if (!document.hidden && !document.querySelector('dialog[open]')) void refresh();
  }, refreshEvery);
  signal.addEventListener('abort', () => window.clearInterval(timer));
  void load();
  void loadSide();
}
