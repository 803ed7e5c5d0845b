import '../office.css';
import '../energy.css';
import { isAbort } from '../api';
import { h, replace } from '../dom';
import * as api from '../energy/api';
import { drawChart } from '../energy/chart';
import { addMonths, lastMonth, num, perCapitaRanking, signed, stackByKind } from '../energy/format';
import type { UnitYear, YearReport } from '../energy/types';
import { energyTabs, kindName, readOnlyBadge } from '../energy/views';
import { t } from '../i18n';
import { statusLine, table } from '../office/views';
import { errorText, pageHeader, type PageContext } from '../page';

// Charts of the energy statistics: the monthly use in standard coal by kind over two years, and
// a year's indicators per unit (kgce per person, kgce per m²) against the plan's targets, with
// the table behind them. ?year= picks the year.

const palette = ['#0d4a8f', '#0b6e74', '#a15c00', '#b3261e', '#5f6b7a', '#1e7b45', '#7a4fa0'];

/** energyChartsPage renders /energy/charts. */
export function energyChartsPage(ctx: PageContext): void {
  const { root, signal, writable } = ctx;
  const thisYear = Number(lastMonth().slice(0, 4));
  let year = Number(new URLSearchParams(location.search).get('year')) || thisYear;
  const picker = h(
    'select',
    { id: 'energy-year', 'aria-label': t('en.charts.year') },
    [0, 1, 2, 3, 4].map((i) => h('option', { value: thisYear - i }, String(thisYear - i))),
  );
  picker.value = String(year);
  const trendStatus = statusLine();
  const trendChart = h('div', { id: 'energy-trend-chart', class: 'en-chart', role: 'img', 'aria-label': t('en.charts.trend') });
  const yearStatus = statusLine();
  const capitaChart = h('div', { id: 'energy-percapita-chart', class: 'en-chart', role: 'img', 'aria-label': t('en.charts.perCapita') });
  const m2Chart = h('div', { id: 'energy-perm2-chart', class: 'en-chart', role: 'img', 'aria-label': t('en.charts.perM2') });
  const yearTable = h('div');
  root.classList.add('of-page');
  replace(
    root,
    pageHeader('en.charts.title', readOnlyBadge(writable), h('label', { class: 'en-month' }, t('en.charts.year'), picker)),
    energyTabs('charts'),
    h('section', { class: 'card' }, h('h2', null, t('en.charts.trend')), trendStatus, trendChart),
    h(
      'section',
      { class: 'card' },
      h('h2', null, t('en.charts.compare')),
      yearStatus,
      h('div', { class: 'en-charts-2' }, h('div', null, h('h3', null, t('en.charts.perCapita')), capitaChart), h('div', null, h('h3', null, t('en.charts.perM2')), m2Chart)),
      yearTable,
    ),
  );
  picker.addEventListener('change', () => {
    year = Number(picker.value);
    history.replaceState(null, '', `/energy/charts?year=${year}`);
    void loadYear();
  });

  async function loadTrend(): Promise<void> {
    const to = lastMonth();
    const from = addMonths(to, -23);
    try {
      const points = await api.trend(from, to, signal);
      trendStatus.textContent = points.some((p) => p.tce > 0) ? '' : t('en.charts.noData');
      const series = stackByKind(points);
      await drawChart(
        trendChart,
        {
          color: palette,
          tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${num(v, 4)} tce` },
          legend: { top: 0 },
          grid: { left: 56, right: 16, top: 36, bottom: 28 },
          xAxis: { type: 'category', data: points.map((p) => p.month) },
          yAxis: { type: 'value', name: 'tce' },
          series: series.map((s) => ({ name: kindName(s.kind), type: 'bar', stack: 'tce', data: s.data })),
        },
        signal,
      );
    } catch (err) {
      if (isAbort(err)) return;
      trendStatus.textContent = t('error.load', { message: errorText(err) });
      trendStatus.className = 'status error';
    }
  }

  async function loadYear(): Promise<void> {
    yearStatus.textContent = t('common.loading');
    try {
      const r = await api.year(year, signal);
      yearStatus.textContent = r.months_ended ? t('en.charts.annualised', { n: r.months_ended }) : t('en.charts.noMonths');
      const capita = perCapitaRanking(r.units);
      await drawChart(capitaChart, bars(capita, r.targets.per_person_target_kgce, 'kgce/人'), signal);
      const m2 = r.units
        .filter((u) => u.annual_per_m2_kgce !== null)
        .map((u) => ({ name: u.unit_name, value: u.annual_per_m2_kgce as number, met: u.per_m2_met }))
        .sort((a, b) => b.value - a.value);
      await drawChart(m2Chart, bars(m2, r.targets.per_m2_target_kgce, 'kgce/m²'), signal);
      replace(yearTable, yearRows(r));
    } catch (err) {
      if (isAbort(err)) return;
      yearStatus.textContent = t('error.load', { message: errorText(err) });
      yearStatus.className = 'status error';
    }
  }

  void loadTrend();
  void loadYear();
}

function bars(rows: { name: string; value: number; met: boolean | null }[], target: number, unit: string): Record<string, unknown> {
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${num(v, 2)} ${unit}` },
    grid: { left: 120, right: 48, top: 28, bottom: 24 },
    // The axis reaches past the target, so its line is always drawn.
    xAxis: { type: 'value', name: unit, max: (v: { max: number }) => Math.ceil(Math.max(v.max, target) * 1.1) },
    yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.name) },
    series: [
      {
        type: 'bar',
        data: rows.map((r) => ({ value: r.value, itemStyle: { color: r.met === false ? '#b3261e' : '#1e7b45' } })),
        markLine: { symbol: 'none', data: [{ xAxis: target, name: t('en.charts.target') }], label: { position: 'start', formatter: `${t('en.charts.target')} ${num(target, 2)}` } },
      },
    ],
  };
}

function yearRows(r: YearReport): HTMLElement {
  const met = (v: boolean | null) => (v === null ? '—' : h('span', { class: v ? 'badge en-ok' : 'badge en-bad' }, v ? t('en.charts.met') : t('en.charts.notMet')));
  return h(
    'div',
    null,
    h('p', { class: 'muted' }, t('en.charts.targets', { m2: num(r.targets.per_m2_target_kgce, 3), person: num(r.targets.per_person_target_kgce, 2), year: r.targets.target_year })),
    table<UnitYear>(
      'energy-year-units',
      [
        { label: 'en.col.unit', cell: (u) => u.unit_name },
        { label: 'en.col.tce', cell: (u) => num(u.tce, 4), className: 'num' },
        { label: 'en.col.yoy', cell: (u) => signed(u.yoy_pct), className: 'num' },
        { label: 'en.charts.annualPerCapita', cell: (u) => num(u.annual_per_capita_kgce, 2), className: 'num' },
        { label: 'en.charts.perCapitaMet', cell: (u) => met(u.per_capita_met) },
        { label: 'en.charts.annualPerM2', cell: (u) => num(u.annual_per_m2_kgce, 3), className: 'num' },
        { label: 'en.charts.perM2Met', cell: (u) => met(u.per_m2_met) },
      ],
      [...r.units, { ...r.county, unit_name: t('en.report.total') }],
      (u) => ({ 'data-unit-id': u.unit_id }),
    ),
  );
}
