import '../approvals.css';
import { call, isAbort } from '../api';
import { formatYuan } from '../approvals/form';
import { between, presets, summaryQuery, summaryRows, totals, type Period } from '../approvals/period';
import { statusTag } from '../approvals/views';
import { h, replace } from '../dom';
import { t, tCode, type Key } from '../i18n';
import { errorText, pageHeader, type PageContext } from '../page';

// The summary of purchase requests for a period (公务用车更新购置申请汇总表) by unit, kind and
// status, on screen and as XLSX (for admin, auditors and leaders).

/** procurementSummaryPage shows the summary for a chosen period. */
export function procurementSummaryPage(ctx: PageContext): void {
  const { root, signal } = ctx;
  const choices = presets(new Date());
  let period: Period = choices[0];

  const preset = h(
    'select',
    { id: 'summary-preset', 'aria-label': t('summary.period') },
    choices.map((p) => h('option', { value: p.key }, t(`summary.preset.${p.key}` as Key))),
    h('option', { value: 'custom' }, t('summary.preset.custom')),
  );
  const from = h('input', { type: 'date', id: 'summary-from', value: period.fromDate, 'aria-label': t('summary.from') });
  const to = h('input', { type: 'date', id: 'summary-to', value: period.toDate, 'aria-label': t('summary.to') });
  const download = h('a', { class: 'btn', id: 'summary-xlsx', download: '' }, t('summary.download'));
  const status = h('div', { class: 'status', role: 'status' });
  const periodText = h('p', { class: 'muted', id: 'summary-period' });
  const tbody = h('tbody');
  const tfoot = h('tfoot');
  const table = h(
    'table',
    { class: 'data', id: 'summary-table' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col' }, t('approval.unit')),
        h('th', { scope: 'col' }, t('proc.kind')),
        h('th', { scope: 'col' }, t('proc.status')),
        h('th', { scope: 'col', class: 'num' }, t('summary.count')),
        h('th', { scope: 'col', class: 'num' }, t('proc.amount')),
      ),
    ),
    tbody,
    tfoot,
  );

  const form = h(
    'form',
    { class: 'summary-form card', id: 'summary-form' },
    h('label', { class: 'summary-field' }, h('span', null, t('summary.period')), preset),
    h('label', { class: 'summary-field' }, h('span', null, t('summary.from')), from),
    h('label', { class: 'summary-field' }, h('span', null, t('summary.to')), to),
    h('div', { class: 'summary-buttons' }, h('button', { type: 'submit', class: 'btn primary' }, t('summary.show')), download),
  );
  replace(root, pageHeader('nav.procurementSummary'), form, periodText, status, h('div', { class: 'table-wrap' }, table));

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

  let seq = 0;
  async function load(): Promise<void> {
    const mine = ++seq;
    download.href = `/api/procurements/summary?${summaryQuery(period, 'xlsx')}`;
    status.textContent = t('common.loading');
    status.className = 'status';
    try {
      const body = await call<unknown>('GET', `/api/procurements/summary?${summaryQuery(period)}`, undefined, { signal });
      if (mine !== seq) return;
      const rows = summaryRows(body);
      const said = (body as { period?: unknown } | null)?.period;
      periodText.textContent = typeof said === 'string' ? t('summary.periodIs', { period: said }) : '';
      status.textContent = rows.length ? '' : t('summary.empty');
      status.className = rows.length ? 'status' : 'status empty';
      replace(
        tbody,
        rows.map((r) =>
          h(
            'tr',
            { 'data-kind': r.kind, 'data-status': r.status },
            h('td', null, r.unit),
            h('td', null, tCode('procKind', r.kind)),
            h('td', null, statusTag(r.status)),
            h('td', { class: 'num' }, r.count),
            h('td', { class: 'num nowrap' }, formatYuan(r.amount)),
          ),
        ),
      );
      const sum = totals(rows);
      replace(
        tfoot,
        rows.length > 0 &&
          h('tr', null, h('th', { scope: 'row', colspan: 3 }, t('proc.total')), h('td', { class: 'num' }, sum.count), h('td', { class: 'num nowrap' }, formatYuan(sum.amount))),
      );
    } catch (err) {
      if (isAbort(err) || mine !== seq) return;
      status.textContent = t('error.load', { message: errorText(err) });
      status.className = 'status error';
    }
  }
  void load();
}
