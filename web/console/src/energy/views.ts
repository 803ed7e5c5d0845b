import { h } from '../dom';
import { t, tCode, type Key } from '../i18n';
import { num } from './format';
import type { Kind } from './types';

// Pieces every energy page uses: the module's tabs, kind names, amounts with their units.

const tabs: [string, string, Key][] = [
  ['report', '/energy', 'en.tab.report'],
  ['meters', '/energy/meters', 'en.tab.meters'],
  ['charts', '/energy/charts', 'en.tab.charts'],
  ['agencies', '/energy/agencies', 'en.tab.agencies'],
  ['projects', '/energy/projects', 'en.tab.projects'],
  ['settings', '/energy/settings', 'en.tab.settings'],
];

/** energyTabs is the row of links between the module's pages (#energy-tabs a[data-tab]). */
export function energyTabs(active: string): HTMLElement {
  return h(
    'nav',
    { id: 'energy-tabs', class: 'of-tabs', 'aria-label': t('en.tabs') },
    tabs.map(([key, href, label]) =>
      h('a', { href, 'data-tab': key, class: key === active ? 'active' : null, 'aria-current': key === active ? 'page' : null }, t(label)),
    ),
  );
}

/** kindName is a kind in words (电力 …). */
export function kindName(kind: string): string {
  return tCode('enKind', kind);
}

/** uomName prints a unit of measure, alone or in a compound such as kgce/m3 (m3 → m³). */
export function uomName(uom: string): string {
  return uom.replace(/\bm3\b/g, 'm³');
}

/** amount prints an amount with its unit: "1,140.00 kWh". */
export function amount(v: number | null | undefined, uom: string, digits = 2): string {
  return v === null || v === undefined ? '—' : `${num(v, digits)} ${uomName(uom)}`;
}

/** kindDigits is how many decimals a kind's amounts show. */
export function kindDigits(kind: Kind): number {
  return kind === 'heat' ? 3 : 2;
}

/** readOnlyBadge marks a page the role may only read. */
export function readOnlyBadge(writable: boolean): HTMLElement | false {
  return !writable && h('span', { class: 'badge muted', id: 'read-only' }, t('common.readOnly'));
}
