import { h, type Child } from '../dom';
import { t, tCode, type Key } from '../i18n';
import { attachmentURL } from './api';
import { formatFen, formatYuan, lineFen, totalFen } from './form';
import { timeline } from './timeline';
import type { Action, Attachment, Check, Item, VehicleSpec } from './types';

// Pieces both the leader's page and the applicant's detail show: the request's items, its
// vehicle, the standards checks, attachments and the timeline.

/** statusTag is an approval / procurement status badge; id makes it #approval-status. */
export function statusTag(status: string, id?: string): HTMLElement {
  return h('span', { id, class: `badge astatus-${status}`, 'data-status': status }, tCode('astatus', status));
}

/** facts is a two-column list of label → value, skipping empty values. */
export function facts(rows: [Key, Child][], className = ''): HTMLElement {
  return h(
    'dl',
    { class: `facts ${className}`.trim() },
    rows
      .filter(([, v]) => v !== null && v !== undefined && v !== '' && v !== false)
      .map(([label, value]) => h('div', { class: 'fact' }, h('dt', null, t(label)), h('dd', null, value))),
  );
}

/** itemsTable lists the items with each row's amount and the total. */
export function itemsTable(items: Item[] | null | undefined): HTMLElement {
  const rows = items ?? [];
  const total = rows.reduce((sum, it) => {
    const f = it.amount !== undefined && it.amount !== null ? Math.round(it.amount * 100) : lineFen(it.quantity, it.unit_price);
    return sum + (Number.isFinite(f) ? f : 0);
  }, 0);
  return h(
    'div',
    { class: 'table-wrap items-wrap' },
    h(
      'table',
      { class: 'data items' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'col' }, t('proc.itemName')),
          h('th', { scope: 'col', class: 'num' }, t('proc.quantity')),
          h('th', { scope: 'col', class: 'num' }, t('proc.unitPrice')),
          h('th', { scope: 'col', class: 'num' }, t('proc.amount')),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((it) =>
          h(
            'tr',
            { class: 'item' },
            h('td', { class: 'item-name' }, it.name),
            h('td', { class: 'num item-qty', 'data-label': t('proc.quantity') }, it.quantity),
            h('td', { class: 'num item-price', 'data-label': t('proc.unitPrice') }, formatYuan(it.unit_price)),
            h(
              'td',
              { class: 'num item-amount' },
              it.amount !== undefined && it.amount !== null ? formatYuan(it.amount) : formatFen(lineFen(it.quantity, it.unit_price)),
            ),
          ),
        ),
      ),
      h('tfoot', null, h('tr', null, h('th', { scope: 'row', colspan: 3 }, t('proc.total')), h('td', { class: 'num total' }, formatFen(total)))),
    ),
  );
}

/** itemsTotal sums a saved request's items in fen. */
export function itemsTotal(items: Item[] | null | undefined): number {
  return totalFen((items ?? []).map((it) => ({ quantity: String(it.quantity), unit_price: String(it.unit_price) })));
}

/** vehicleFacts shows a vehicle spec. */
export function vehicleFacts(v: VehicleSpec | null | undefined): HTMLElement | null {
  if (!v) return null;
  const yes = (b: boolean | undefined) => (b === undefined ? '' : b ? t('common.yes') : t('common.no'));
  return facts(
    [
      ['proc.vClass', v.class ? tCode('class', v.class) : ''],
      ['proc.vEnergy', v.energy ? tCode('energy', v.energy) : ''],
      ['proc.vBody', v.body ? tCode('body', v.body) : ''],
      ['proc.vDisplacement', v.displacement_l ? `${v.displacement_l} L` : ''],
      ['proc.vPrice', v.price ? formatYuan(v.price) : ''],
      ['proc.vDomestic', yes(v.make_domestic)],
      ['proc.vLeaderFixed', yes(v.for_leader_fixed)],
      ['proc.vReplaces', v.replaces_plate || (v.replaces_vehicle_id ? `#${v.replaces_vehicle_id}` : '')],
    ],
    'vehicle-facts',
  );
}

/** checksList shows the standards checks, the failing ones first and highlighted (✗). */
export function checksList(checks: Check[] | null | undefined, id?: string): HTMLElement {
  const list = [...(checks ?? [])].sort((a, b) => Number(a.ok) - Number(b.ok));
  return h(
    'ul',
    { id, class: 'checks' },
    list.length === 0 && h('li', { class: 'muted check-none' }, t('proc.noChecks')),
    list.map((c) =>
      h(
        'li',
        { class: c.ok ? 'check ok' : 'check fail', 'data-ok': String(c.ok), 'data-rule': c.rule },
        h('span', { class: 'check-mark', 'aria-label': c.ok ? t('proc.checkOk') : t('proc.checkFail') }, c.ok ? '✓' : '✗'),
        h(
          'div',
          { class: 'check-body' },
          h('div', { class: 'check-rule' }, ruleName(c)),
          c.message && h('div', { class: 'check-message' }, c.message),
          c.source && h('div', { class: 'check-source' }, t('proc.source', { source: c.source })),
        ),
      ),
    ),
  );
}

/** ruleName names a check's rule in the console's language, else as the server does. */
export function ruleName(c: Pick<Check, 'rule' | 'name'>): string {
  const known = tCode('rule', c.rule);
  return known !== c.rule ? known : c.name || c.rule;
}

/** failing counts the checks that failed. */
export function failing(checks: Check[] | null | undefined): number {
  return (checks ?? []).filter((c) => !c.ok).length;
}

/** humanSize shows a byte count as 12 KB / 3.4 MB. */
export function humanSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** attachmentsList links each attachment to its download. */
export function attachmentsList(list: Attachment[] | null | undefined): HTMLElement {
  const rows = list ?? [];
  return h(
    'ul',
    { id: 'attachments', class: 'attachments' },
    rows.length === 0 && h('li', { class: 'muted' }, t('proc.noAttachments')),
    rows.map((a) =>
      h(
        'li',
        { 'data-id': a.id },
        h('a', { href: attachmentURL(a.id), target: '_blank', rel: 'noopener', download: a.name }, a.name),
        h('span', { class: 'muted' }, ` ${humanSize(a.size)}`),
      ),
    ),
  );
}

/** timelineList is #approval-timeline: every action, oldest first. */
export function timelineList(history: Action[] | null | undefined): HTMLElement {
  const entries = timeline(history);
  return h(
    'ol',
    { id: 'approval-timeline', class: 'timeline' },
    entries.map((e) =>
      h(
        'li',
        { class: `tl tl-${e.tone}`, 'data-action': e.action },
        h(
          'div',
          { class: 'tl-head' },
          h('strong', { class: 'tl-who' }, e.who),
          ' ',
          h('span', { class: 'tl-action' }, e.label),
          e.to && h('span', { class: 'tl-to' }, ` → ${e.to}`),
        ),
        h('div', { class: 'tl-meta' }, h('time', { datetime: e.at }, e.when), e.step && h('span', { class: 'tl-step' }, e.step)),
        e.comment && h('div', { class: 'tl-comment' }, e.comment),
      ),
    ),
  );
}

/** section is a titled card. */
export function section(title: Key, ...children: Child[]): HTMLElement {
  return h('section', { class: 'card ap-section' }, h('h3', null, t(title)), ...children);
}
