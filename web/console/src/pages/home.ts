import { seesFleet } from '../access';
import { isAbort, listAll } from '../api';
import { h, replace } from '../dom';
import { t, tCode } from '../i18n';
import { errorText, pageHeader, type PageContext } from '../page';
import { vehicleClasses, vehicleStatuses, type Vehicle } from '../types';

/** homePage greets the user and, for those who oversee the fleet, counts vehicles by status and class. */
export function homePage(ctx: PageContext): void {
  const { user } = ctx;
  const fleet = h('div', { id: 'fleet-summary', class: 'fleet' });
  replace(
    ctx.root,
    pageHeader('nav.home'),
    h(
      'div',
      { class: 'card welcome' },
      h('h2', { id: 'greeting' }, t('home.greeting', { name: user.name || user.username })),
      h('p', null, t('home.roleUnit', { role: tCode('role', user.role), unit: user.unit_name || t('common.none') })),
      h('p', { class: 'muted' }, t('home.intro')),
      h('p', { class: 'muted' }, t('home.more')),
    ),
    seesFleet(user.role) && fleet,
  );
  if (seesFleet(user.role)) void loadFleet(fleet, ctx.signal);
}

async function loadFleet(el: HTMLElement, signal: AbortSignal): Promise<void> {
  replace(el, h('div', { class: 'status' }, t('common.loading')));
  let vehicles: Vehicle[];
  try {
    vehicles = await listAll<Vehicle>('/api/vehicles', signal);
  } catch (err) {
    if (isAbort(err)) return;
    replace(el, h('div', { class: 'status error' }, t('error.load', { message: errorText(err) })));
    return;
  }
  const pooled = vehicles.filter((v) => v.pooled).length;
  replace(
    el,
    h('h2', { class: 'section-title' }, t('home.fleet')),
    h(
      'div',
      { class: 'stats' },
      stat('total', t('home.total'), vehicles.length),
      stat('pooled', t('home.pooled'), pooled),
      stat('retained', t('home.retained'), vehicles.length - pooled),
    ),
    h(
      'div',
      { class: 'breakdowns' },
      breakdown('by-status', t('home.byStatus'), count(vehicles, 'status', vehicleStatuses), (c) => tCode('vstatus', c), 'vstatus'),
      breakdown('by-class', t('home.byClass'), count(vehicles, 'class', vehicleClasses), (c) => tCode('class', c)),
    ),
  );
}

/** count tallies vehicles by a field, listing every known code (zeros too) and then any unknown ones. */
function count(vehicles: Vehicle[], field: 'status' | 'class', known: readonly string[]): [string, number][] {
  const n = new Map<string, number>(known.map((k) => [k, 0]));
  for (const v of vehicles) n.set(v[field], (n.get(v[field]) ?? 0) + 1);
  return [...n.entries()];
}

function stat(key: string, label: string, value: number): HTMLElement {
  return h('div', { class: 'stat', 'data-stat': key }, h('div', { class: 'stat-value' }, value), h('div', { class: 'stat-label' }, label));
}

function breakdown(id: string, title: string, rows: [string, number][], name: (code: string) => string, badge?: string): HTMLElement {
  const max = Math.max(1, ...rows.map(([, n]) => n));
  return h(
    'div',
    { class: 'card breakdown', id },
    h('h3', null, title),
    h(
      'table',
      { class: 'bars' },
      h(
        'tbody',
        null,
        rows.map(([code, n]) =>
          h(
            'tr',
            { 'data-code': code },
            h('th', { scope: 'row' }, badge ? h('span', { class: `dot ${badge}-${code}` }) : null, name(code)),
            h('td', { class: 'bar-cell' }, h('span', { class: badge ? `bar ${badge}-${code}` : 'bar', style: `width: ${(100 * n) / max}%` })),
            h('td', { class: 'num' }, n),
          ),
        ),
      ),
    ),
  );
}
