import { h, type Child } from '../dom';
import { t, tCode, type Key } from '../i18n';
import { dayOf, deadlineState } from './deadline';
import { formatArea } from './ledger';

// Pieces every office page uses: the module's tabs, plain tables, areas, deadlines, and a
// small dialog that asks for a reason.

const tabs: [string, string, Key][] = [
  ['ledger', '/office', 'office.tab.ledger'],
  ['standards', '/office/standards', 'office.tab.standards'],
  ['overstandard', '/office/overstandard', 'office.tab.overstandard'],
  ['reallocations', '/office/reallocations', 'office.tab.reallocations'],
  ['inspections', '/office/inspections', 'office.tab.inspections'],
  ['facilities', '/office/facilities', 'office.tab.facilities'],
];

/** officeTabs is the row of links between the module's pages (#office-tabs a[data-tab]). */
export function officeTabs(active: string): HTMLElement {
  return h(
    'nav',
    { id: 'office-tabs', class: 'of-tabs', 'aria-label': t('office.tabs') },
    tabs.map(([key, href, label]) =>
      h('a', { href, 'data-tab': key, class: key === active ? 'active' : null, 'aria-current': key === active ? 'page' : null }, t(label)),
    ),
  );
}

/** Col is one column of a plain table. */
export interface Col<T> {
  label: Key;
  cell: (row: T) => Child;
  className?: string;
  field?: string;
  /** Left out (an actions column for a role that cannot act). */
  hidden?: boolean;
}

/** table is a data table whose rows carry the attributes attrs gives them. */
export function table<T>(id: string, all: Col<T>[], rows: T[], attrs: (row: T) => Record<string, string | number | boolean | null>): HTMLElement {
  const cols = all.filter((c) => !c.hidden);
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'data', id },
      h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col', class: c.className }, t(c.label))))),
      h(
        'tbody',
        null,
        rows.map((r) =>
          h(
            'tr',
            attrs(r),
            cols.map((c) => h('td', { class: c.className, 'data-label': t(c.label), 'data-field': c.field }, c.cell(r))),
          ),
        ),
      ),
    ),
  );
}

/** area prints m² for a table cell: "24 m²", or a dash when unknown. */
export function area(m2: number | null | undefined): string {
  const s = formatArea(m2);
  return s === '' ? t('common.none') : `${s} m²`;
}

/** rankName is a rank code in words (正科 …); an empty rank reads as "not set". */
export function rankName(rank: string | null | undefined): string {
  return rank ? tCode('rank', rank) : t('office.rankUnset');
}

/** deadlineBadge shows a deadline with its state: overdue in red, due within a week in amber. */
export function deadlineBadge(deadline: string | null | undefined, doneAt: string | null | undefined, now = new Date()): HTMLElement {
  const { state, days } = deadlineState(deadline, doneAt, now);
  const text =
    state === 'overdue'
      ? t('office.deadline.overdue', { days: -(days ?? 0) })
      : state === 'done'
        ? t('office.deadline.done')
        : days === null
          ? t('office.deadline.none')
          : t('office.deadline.left', { days });
  return h(
    'span',
    { class: 'of-deadline', 'data-state': state },
    h('span', { class: 'of-date' }, deadline ? dayOf(deadline) : t('common.none')),
    ' ',
    h('span', { class: `badge of-dl-${state}` }, text),
  );
}

/** askReason asks for a reason in a dialog (#office-reason, #confirm-ok); null when cancelled. */
export function askReason(question: string, okLabel: string, signal?: AbortSignal, required = false): Promise<string | null> {
  return new Promise((resolve) => {
    const input = h('textarea', { id: 'office-reason', rows: 3, maxlength: 500, placeholder: t('office.reasonPlaceholder') });
    const problem = h('small', { class: 'field-error', role: 'alert' });
    const dialog = h(
      'dialog',
      { class: 'dialog confirm', 'aria-label': okLabel },
      h('p', { class: 'confirm-text' }, question),
      h('div', { class: 'field' }, h('label', { for: 'office-reason' }, t('office.reason')), input, problem),
      h(
        'div',
        { class: 'dialog-actions' },
        h('button', { type: 'button', id: 'confirm-cancel', class: 'btn', onclick: () => close(null) }, t('common.cancel')),
        h(
          'button',
          {
            type: 'button',
            id: 'confirm-ok',
            class: 'btn danger',
            onclick: () => {
              const v = input.value.trim();
              if (required && !v) {
                problem.textContent = t('field.required');
                input.focus();
                return;
              }
              close(v);
            },
          },
          okLabel,
        ),
      ),
    );
    let answered = false;
    function close(answer: string | null): void {
      if (answered) return;
      answered = true;
      dialog.close();
      dialog.remove();
      resolve(answer);
    }
    dialog.addEventListener('cancel', () => close(null));
    signal?.addEventListener('abort', () => close(null));
    document.body.appendChild(dialog);
    dialog.showModal();
    input.focus();
  });
}

/** loading is the status line a section shows while it loads, and its error afterwards. */
export function statusLine(): HTMLElement {
  return h('div', { class: 'status', role: 'status' }, t('common.loading'));
}
