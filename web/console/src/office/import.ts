import { isAbort } from '../api';
import { h, replace } from '../dom';
import { flash } from '../flash';
import { t, tCode } from '../i18n';
import { errorText } from '../page';
import type { Option } from '../resource-form';
import { importLedger, reconcile } from './api';
import { badRowCount, columnKey, rowErrors, sortRowErrors } from './report';
import type { ImportReport } from './types';

// Importing the existing ledger from XLSX: the file goes up whole; the answer names every row
// that could not be taken, shown as a table so the sheet can be fixed and sent again. Unless
// "skip bad rows" is ticked, one bad row keeps the whole file out.

/** importPanel is the upload (#office-import-file, #office-import-skip-bad, #office-import-submit) and its report (#office-import-report). */
export function importPanel(signal: AbortSignal, onImported: () => void): HTMLElement {
  const file = h('input', { type: 'file', id: 'office-import-file', name: 'file', accept: '.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  const skipBad = h('input', { type: 'checkbox', id: 'office-import-skip-bad' });
  const submit = h('button', { type: 'button', class: 'btn', id: 'office-import-submit' }, t('office.import.submit'));
  const report = h('div', { id: 'office-import-report', class: 'of-import-report', hidden: true });

  submit.addEventListener('click', async () => {
    const f = file.files?.[0];
    if (!f) {
      report.hidden = false;
      replace(report, h('p', { class: 'form-error' }, t('office.import.pick')));
      return;
    }
    submit.disabled = true;
    submit.textContent = t('office.import.sending');
    try {
      const r = await importLedger(f, skipBad.checked, signal);
      show(r, false);
      if ((r.imported ?? 0) > 0) {
        flash(t('office.import.done', { n: r.imported }));
        onImported();
      }
    } catch (err) {
      if (isAbort(err)) return;
      const rows = rowErrors((err as { body?: unknown }).body);
      if (rows) show({ imported: 0, errors: rows }, true);
      else {
        report.hidden = false;
        replace(report, h('p', { class: 'form-error' }, errorText(err)));
      }
    } finally {
      submit.disabled = false;
      submit.textContent = t('office.import.submit');
    }
  });

  function show(r: ImportReport, rejected: boolean): void {
    const errors = sortRowErrors(r.errors);
    const badRows = badRowCount(errors);
    report.hidden = false;
    report.dataset.imported = String(r.imported ?? 0);
    report.dataset.errors = String(badRows);
    replace(
      report,
      h(
        'p',
        { class: errors.length ? 'warn' : '' },
        rejected ? t('office.import.rejected', { errors: badRows }) : t('office.import.result', { imported: r.imported ?? 0, errors: badRows }),
        !rejected && (r.rooms || r.buildings || r.assignments) ? ` ${t('office.import.detail', { buildings: r.buildings ?? 0, rooms: r.rooms ?? 0, assignments: r.assignments ?? 0 })}` : '',
      ),
      errors.length > 0 &&
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'data', id: 'office-import-errors' },
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                h('th', { scope: 'col' }, t('office.import.sheet')),
                h('th', { scope: 'col', class: 'num' }, t('office.import.row')),
                h('th', { scope: 'col' }, t('office.import.field')),
                h('th', { scope: 'col' }, t('office.import.problem')),
              ),
            ),
            h(
              'tbody',
              null,
              errors.map((e) =>
                h(
                  'tr',
                  { 'data-row': e.line, 'data-sheet': e.sheet ?? '' },
                  h('td', null, e.sheet || t('common.none')),
                  h('td', { class: 'num' }, e.line),
                  h('td', { 'data-field': e.field ?? '' }, e.field ? tCode('importField', columnKey(e)) : t('common.none')),
                  h('td', null, e.reason),
                ),
              ),
            ),
          ),
        ),
    );
  }

  return h(
    'details',
    { class: 'card of-import', id: 'office-import' },
    h('summary', null, t('office.import.title')),
    h('p', { class: 'muted' }, t('office.import.hint')),
    h('div', { class: 'of-inline' }, file, submit),
    h('label', { class: 'of-concurrent', for: 'office-import-skip-bad' }, skipBad, ' ', t('office.import.skipBad')),
    report,
  );
}

/**
 * reconcilePanel compares a unit's own ledger (XLSX) with the center's (#office-reconcile-unit,
 * #office-reconcile-file, #office-reconcile-submit, #office-reconcile-report with
 * #office-reconcile-diffs tr[data-kind]); a leader reconciles their own unit.
 */
export function reconcilePanel(signal: AbortSignal, units: Option[], fixedUnit: Option | null): HTMLElement {
  const unit = h(
    'select',
    { id: 'office-reconcile-unit', 'aria-label': t('office.reconcile.unit'), disabled: Boolean(fixedUnit) },
    !fixedUnit && h('option', { value: '' }, t('office.assign.pickUnit')),
    (fixedUnit ? [fixedUnit] : units).map((o) => h('option', { value: o.value }, o.label)),
  );
  const file = h('input', { type: 'file', id: 'office-reconcile-file', name: 'file', accept: '.xlsx' });
  const submit = h('button', { type: 'button', class: 'btn', id: 'office-reconcile-submit' }, t('office.reconcile.submit'));
  const report = h('div', { id: 'office-reconcile-report', class: 'of-import-report', hidden: true });
  submit.addEventListener('click', async () => {
    const f = file.files?.[0];
    report.hidden = false;
    if (!unit.value || !f) {
      replace(report, h('p', { class: 'form-error' }, !unit.value ? t('office.assign.pickUnit') : t('office.import.pick')));
      return;
    }
    submit.disabled = true;
    try {
      const r = await reconcile(Number(unit.value), f, signal);
      const diffs = r.differences ?? [];
      const bad = sortRowErrors(r.errors);
      report.dataset.differences = String(diffs.length);
      replace(
        report,
        h('p', { class: diffs.length ? 'warn' : '' }, t('office.reconcile.result', { unit: r.unit_name, matched: r.matched, differences: diffs.length })),
        diffs.length > 0 &&
          h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'data', id: 'office-reconcile-diffs' },
              h(
                'thead',
                null,
                h(
                  'tr',
                  null,
                  h('th', { scope: 'col' }, t('office.reconcile.room')),
                  h('th', { scope: 'col' }, t('office.reconcile.kind')),
                  h('th', { scope: 'col', class: 'num' }, t('office.import.row')),
                  h('th', { scope: 'col' }, t('office.reconcile.unitSays')),
                  h('th', { scope: 'col' }, t('office.reconcile.centerSays')),
                ),
              ),
              h(
                'tbody',
                null,
                diffs.map((d) =>
                  h(
                    'tr',
                    { 'data-kind': d.kind },
                    h('td', null, d.room),
                    h('td', null, tCode('reconcileKind', d.kind)),
                    h('td', { class: 'num' }, d.line || t('common.none')),
                    h('td', null, d.unit || t('common.none')),
                    h('td', null, d.center || t('common.none')),
                  ),
                ),
              ),
            ),
          ),
        bad.length > 0 && h('p', { class: 'muted' }, t('office.reconcile.unread', { n: bad.length, rows: bad.map((e) => e.line).join('、') })),
      );
    } catch (err) {
      if (isAbort(err)) return;
      replace(report, h('p', { class: 'form-error' }, errorText(err)));
    } finally {
      submit.disabled = false;
    }
  });
  return h(
    'details',
    { class: 'card of-import', id: 'office-reconcile' },
    h('summary', null, t('office.reconcile.title')),
    h('p', { class: 'muted' }, t('office.reconcile.hint')),
    h('div', { class: 'of-inline' }, unit, file, submit),
    report,
  );
}
