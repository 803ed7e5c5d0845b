import '../approvals.css';
import '../trip-stats.css';
import { call, isAbort } from '../api';
import { canSee } from '../access';
import { between, type Period } from '../approvals/period';
import {
  countyTime,
  fixed,
  groupings,
  isGrouping,
  percent,
  periods,
  playbackHref,
  readStats,
  signedKm,
  statsQuery,
  tripsQuery,
  type Grouping,
  type Stats,
  type Tally,
  type Trip,
} from '../dispatch/stats';
import { h, replace } from '../dom';
import { flash } from '../flash';
import { lang, t, type Key } from '../i18n';
import { errorText, pageHeader, type PageContext } from '../page';
import type { List } from '../types';

// Trip accounting (出车统计): a period's trips (出车批次) by month, day, vehicle, driver or the
// applicant's unit, with the half-year report's sentence, the trips whose odometer and GPS km
// disagree, and the workbook. /trip-stats?by=vehicle&from=2026-07-01&to=2026-12-31 opens a view.

export function tripStatsPage(ctx: PageContext): void {
  const { root, signal, writable, user } = ctx;
  root.classList.add('ts-page');
  const q = new URLSearchParams(location.search);
  const choices = periods(new Date());
  let by: Grouping = isGrouping(q.get('by')) ? (q.get('by') as Grouping) : 'month';
  let period: Period = q.get('from') && q.get('to') ? between(q.get('from')!, q.get('to')!) : choices[0];

  const preset = h(
    'select',
    { id: 'ts-preset', 'aria-label': t('summary.period') },
    choices.map((p) => h('option', { value: p.key }, t(`ts.preset.${p.key}` as Key))),
    h('option', { value: 'custom' }, t('summary.preset.custom')),
  );
  preset.value = choices.some((c) => c.key === period.key) ? period.key : 'custom';
  const from = h('input', { type: 'date', id: 'ts-from', value: period.fromDate, 'aria-label': t('summary.from') });
  const to = h('input', { type: 'date', id: 'ts-to', value: period.toDate, 'aria-label': t('summary.to') });
  const download = h('a', { class: 'btn', id: 'ts-xlsx', download: '' }, t('summary.download'));
  const form = h(
    'form',
    { class: 'summary-form card', id: 'ts-form' },
    h('label', { class: 'summary-field' }, h('span', null, t('summary.period')), preset),
    h('label', { class: 'summary-field' }, h('span', null, t('summary.from')), from),
    h('label', { class: 'summary-field' }, h('span', null, t('summary.to')), to),
    h('div', { class: 'summary-buttons' }, h('button', { type: 'submit', class: 'btn primary', id: 'ts-show' }, t('summary.show')), download),
  );
  const summary = h('p', { id: 'ts-summary', class: 'ts-summary' });
  const tiles = h('div', { class: 'stats', id: 'ts-tiles' });
  const tabs = h('nav', { class: 'ap-tabs ts-tabs', role: 'tablist', id: 'ts-tabs' });
  const status = h('div', { class: 'status', role: 'status' });
  const thead = h('thead');
  const tbody = h('tbody', { id: 'ts-rows' });
  const tfoot = h('tfoot', { id: 'ts-total' });
  const flaggedHead = h('div', { class: 'sub-head' });
  const flaggedBody = h('tbody', { id: 'ts-flagged' });
  const flaggedStatus = h('div', { class: 'status', role: 'status' });
  replace(
    root,
    pageHeader('nav.tripStats'),
    user.role === 'leader' && h('p', { class: 'muted', id: 'ts-own-unit' }, t('ts.ownUnit')),
    form,
    h('div', { class: 'card ts-summary-card' }, h('h2', null, t('ts.reportFigures')), summary, tiles),
    tabs,
    status,
    h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'ts-table' }, thead, tbody, tfoot)),
    flaggedHead,
    flaggedStatus,
    h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'ts-flagged-table' }, flaggedTableHead(), flaggedBody)),
  );

  preset.addEventListener('change', () => {
    const p = choices.find((c) => c.key === preset.value);
    if (!p) return;
    from.value = p.fromDate;
    to.value = p.toDate;
    period = p;
    void load();
  });
  const custom = () => {
    preset.value = 'custom';
  };
  from.addEventListener('input', custom);
  to.addEventListener('input', custom);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!from.value || !to.value) return;
    period = preset.value === 'custom' ? between(from.value, to.value) : period;
    void load();
  });

  function drawTabs(): void {
    replace(
      tabs,
      groupings.map((g) =>
        h(
          'button',
          { type: 'button', role: 'tab', class: `ap-tab${g === by ? ' active' : ''}`, 'aria-selected': String(g === by), 'data-by': g, onclick: () => ((by = g), void load()) },
          t(`ts.by.${g}` as Key),
        ),
      ),
    );
  }

  let seq = 0;
  async function load(): Promise<void> {
    const mine = ++seq;
    drawTabs();
    history.replaceState(null, '', `/trip-stats?${statsQuery(period, by)}`);
    download.href = `/api/dispatch/stats.xlsx?${statsQuery(period)}`;
    status.textContent = t('common.loading');
    status.className = 'status';
    try {
      const [body, flagged] = await Promise.all([
        call<unknown>('GET', `/api/dispatch/stats?${statsQuery(period, by)}`, undefined, { signal }),
        call<List<Trip>>('GET', `/api/dispatch/trips?${tripsQuery(period)}`, undefined, { signal }),
      ]);
      if (mine !== seq) return;
      const s = readStats(body);
      drawSummary(s);
      drawTable(s);
      drawFlagged(s, flagged.items ?? [], flagged.total ?? 0);
      status.textContent = s.total.trips ? '' : t('ts.empty');
      status.className = s.total.trips ? 'status' : 'status empty';
    } catch (err) {
      if (isAbort(err) || mine !== seq) return;
      status.textContent = t('error.load', { message: errorText(err) });
      status.className = 'status error';
    }
  }

  function drawSummary(s: Stats): void {
    summary.textContent = lang() === 'en' ? s.summary.en : s.summary.zh;
    const tot = s.total;
    const tile = (id: string, value: string, label: Key, title?: string) =>
      h('div', { class: 'stat', 'data-stat': id, title }, h('div', { class: 'stat-value' }, value), h('div', { class: 'stat-label' }, t(label)));
    replace(
      tiles,
      tile('trips', String(tot.trips), 'ts.trips', t('ts.tripsHint')),
      tile('km', fixed(tot.gps_km, 0, lang()), 'ts.gpsKm'),
      tile('hours', fixed(tot.drive_h, 1, lang()), 'ts.driveH'),
      tile('odometer', fixed(tot.odometer_km, 0, lang()), 'ts.odometerKm'),
      tile('energy', `${fixed(tot.fuel_l, 1, lang())} / ${fixed(tot.charge_kwh, 1, lang())}`, 'ts.energy'),
      tile('utilisation', percent(tot.utilisation), 'ts.utilisation', t('ts.utilisationHint', { hours: fixed(s.working_h, 0, lang()) })),
      tile('flagged', String(tot.flagged), 'ts.flagged'),
    );
  }

  function drawTable(s: Stats): void {
    const th = (label: Key, title?: string, cls = 'num') => h('th', { scope: 'col', class: cls, title }, t(label));
    const first: Key = `ts.col.${by}` as Key;
    replace(
      thead,
      h(
        'tr',
        null,
        th(first, by === 'unit' ? t('ts.unitHint') : undefined, ''),
        th('ts.trips', t('ts.tripsHint')),
        th('ts.requests'),
        th('ts.gpsKm'),
        th('ts.odometerKm'),
        th('ts.driveH'),
        th('ts.taskH'),
        th('ts.fuelL'),
        th('ts.chargeKwh'),
        th('ts.untracked', t('ts.untrackedHint')),
        th('ts.flagged'),
        th('ts.utilisation', t('ts.utilisationHint', { hours: fixed(s.working_h, 0, lang()) })),
      ),
    );
    replace(
      tbody,
      s.rows.map((r) => row(r, false)),
    );
    replace(tfoot, row(s.total, true));
  }

  function row(r: Tally, total: boolean): HTMLElement {
    const n = (v: number, d = 1) => h('td', { class: 'num' }, fixed(v, d, lang()));
    return h(
      'tr',
      { 'data-key': r.key, class: r.trips ? '' : 'ts-idle' },
      total ? h('th', { scope: 'row' }, t('proc.total')) : h('td', { class: 'nowrap' }, by === 'vehicle' ? h('strong', { class: 'plate' }, r.name) : r.name),
      h('td', { class: 'num', 'data-col': 'trips' }, r.trips, r.merged ? h('span', { class: 'muted ts-merged', title: t('ts.mergedHint') }, ` (${t('ts.merged', { n: r.merged })})`) : null),
      n(r.requests, 0),
      h('td', { class: 'num', 'data-col': 'gps_km' }, fixed(r.gps_km, 1, lang())),
      n(r.odometer_km),
      h('td', { class: 'num', 'data-col': 'drive_h' }, fixed(r.drive_h, 1, lang())),
      n(r.task_h),
      n(r.fuel_l),
      n(r.charge_kwh),
      n(r.untracked, 0),
      h('td', { class: `num${r.flagged ? ' warn-strong' : ''}` }, r.flagged),
      h('td', { class: 'num' }, percent(r.utilisation)),
    );
  }

  function drawFlagged(s: Stats, list: Trip[], total: number): void {
    replace(
      flaggedHead,
      h('h2', { class: 'section-title' }, t('ts.flaggedTitle', { n: total })),
      h('p', { class: 'muted', id: 'ts-threshold' }, t('ts.thresholdIs', { share: percent(s.threshold.share, 0), km: fixed(s.threshold.min_km, 1, lang()) })),
      writable && thresholdForm(s),
    );
    flaggedStatus.textContent = list.length ? '' : t('ts.noFlagged');
    flaggedStatus.className = list.length ? 'status' : 'status empty';
    const playback = canSee(user.role, 'playback');
    replace(
      flaggedBody,
      list.map((tr) =>
        h(
          'tr',
          { 'data-task': tr.task_id },
          h('td', { class: 'nowrap' }, countyTime(tr.departed_at)),
          h('td', null, h('strong', { class: 'plate' }, tr.plate)),
          h('td', null, tr.driver),
          h('td', null, tr.units.map((u) => u.name).join('、')),
          h('td', { class: 'num' }, tr.gps_km === null ? '—' : fixed(tr.gps_km, 1, lang())),
          h('td', { class: 'num' }, tr.odometer_km === null ? '—' : fixed(tr.odometer_km, 1, lang())),
          h('td', { class: 'num warn-strong' }, tr.discrepancy ? `${signedKm(tr.discrepancy.km)} (${percent(tr.discrepancy.share)})` : '—'),
          h('td', { class: 'actions' }, playback && h('a', { class: 'btn small', href: playbackHref(tr) }, t('ts.track'))),
        ),
      ),
    );
  }

  /** thresholdForm changes the discrepancy threshold (a dispatch setting) for dispatchers and admins. */
  function thresholdForm(s: Stats): HTMLElement {
    const share = h('input', { type: 'number', id: 'ts-share', min: 1, max: 100, step: 1, value: Math.round(s.threshold.share * 100), 'aria-label': t('ts.sharePct') });
    const km = h('input', { type: 'number', id: 'ts-minkm', min: 0, max: 100, step: 0.5, value: s.threshold.min_km, 'aria-label': t('ts.minKm') });
    const f = h(
      'form',
      { class: 'ts-threshold', id: 'ts-threshold-form' },
      h('label', null, t('ts.sharePct'), ' ', share),
      h('label', null, t('ts.minKm'), ' ', km),
      h('button', { type: 'submit', class: 'btn small' }, t('common.save')),
    );
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        const cur = await call<Record<string, unknown>>('GET', '/api/dispatch/settings', undefined, { signal });
        await call('PUT', '/api/dispatch/settings', { ...cur, discrepancy_share: Number(share.value) / 100, discrepancy_min_km: Number(km.value) }, { signal });
        flash(t('ts.thresholdSaved'));
        void load();
      } catch (err) {
        if (!isAbort(err)) flash(errorText(err), 'error');
      }
    });
    return f;
  }

  void load();
}

function flaggedTableHead(): HTMLElement {
  const th = (label: Key, cls = '') => h('th', { scope: 'col', class: cls }, t(label));
  return h(
    'thead',
    null,
    h('tr', null, th('ts.departed'), th('ts.col.vehicle'), th('ts.col.driver'), th('ts.col.unit'), th('ts.gpsKm', 'num'), th('ts.odometerKm', 'num'), th('ts.gap', 'num'), th('common.actions', 'actions')),
  );
}
