import { h } from '../dom';
import { t } from '../i18n';
import type { CheckItem } from './types';

// The answered checklist of a hygiene check or a quarterly evaluation: a line per item, met or
// not, with a note (a line not met says what was wrong).

export interface ChecklistEditor {
  el: HTMLElement;
  read: () => CheckItem[];
}

/** checklistEditor lists items, each met by default. */
export function checklistEditor(items: string[]): ChecklistEditor {
  const rows = items.map((item, i) => {
    const ok = h('input', { type: 'checkbox', checked: true, id: `cl-ok-${i}`, 'data-line': i });
    const note = h('input', { type: 'text', class: 'cl-note', maxlength: 500, placeholder: t('canteen.cl.notePlaceholder'), 'aria-label': t('canteen.cl.note'), 'data-line': i });
    const row = h('li', { class: 'cl-row', 'data-line': i }, h('label', { for: `cl-ok-${i}` }, ok, ' ', item), note);
    ok.addEventListener('change', () => row.classList.toggle('cl-failed', !ok.checked));
    return { item, ok, note, row };
  });
  return {
    el: h('ol', { class: 'cl-list' }, rows.map((r) => r.row)),
    read: () => rows.map((r) => ({ item: r.item, ok: r.ok.checked, note: r.note.value.trim() })),
  };
}

/** checklistSummary shows the lines not met of an answered checklist, or that all were met. */
export function checklistSummary(items: CheckItem[]): HTMLElement {
  const failed = items.filter((i) => !i.ok);
  if (!failed.length) return h('span', { class: 'cn-ok' }, t('canteen.cl.allMet', { n: items.length }));
  return h('ul', { class: 'cl-failed-list' }, failed.map((i) => h('li', null, i.item, i.note ? h('div', { class: 'sub' }, i.note) : null)));
}
