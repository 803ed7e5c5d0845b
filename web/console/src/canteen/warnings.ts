import { h, replace } from '../dom';
import { t, tCode } from '../i18n';
import type { Overview } from './types';

// The canteen's warnings (#cn-warnings): samples kept wrongly or missing, suppliers' licences,
// rejected deliveries, the weekly hygiene check, next week's menu, the quarterly evaluation.

/** warningList fills host with the warnings, the dangerous ones first; hidden when none. */
export function warningList(host: HTMLElement, ov: Overview): void {
  host.hidden = ov.warnings.length === 0;
  const sorted = [...ov.warnings].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'danger' ? -1 : 1));
  replace(
    host,
    h('h2', { class: 'cn-warn-title' }, t('canteen.warningsN', { n: ov.warnings.length })),
    h(
      'ul',
      { class: 'cn-warn-list' },
      sorted.slice(0, 30).map((w) =>
        h(
          'li',
          { class: `cn-warn cn-warn-${w.severity}`, 'data-kind': w.kind },
          h('span', { class: 'cn-warn-kind' }, tCode('cnWarn', w.kind)),
          w.subject && h('span', { class: 'cn-warn-subject' }, w.subject),
          w.date && h('span', { class: 'muted' }, w.date),
        ),
      ),
    ),
    sorted.length > 30 && h('p', { class: 'muted' }, t('canteen.moreWarnings', { n: sorted.length - 30 })),
  );
}
