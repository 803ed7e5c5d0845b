import { navFor, type NavKey } from './access';
import { approvalsBadge, stopApprovalsBadge } from './approvals/badge';
import { h } from './dom';
import { lang, setLang, t, tCode } from './i18n';
import type { Me } from './types';

// The frame around every page once signed in: a top bar (platform name, user, language,
// sign-out) and the menu of the pages the user's role sees. At phone width the side menu
// becomes a row under the top bar (see styles.css).

const paths: Record<NavKey, string> = {
  map: '/map',
  playback: '/playback',
  home: '/',
  driverTasks: '/m/driver',
  requests: '/requests',
  approvals: '/approvals',
  procurements: '/procurements',
  procurementSummary: '/procurements/summary',
  office: '/office',
  energy: '/energy',
  canteenDiner: '/m/canteen',
  canteen: '/canteen',
  vehicles: '/vehicles',
  drivers: '/drivers',
  records: '/records',
  reminders: '/reminders',
  rosters: '/rosters',
  tripStats: '/trip-stats',
  users: '/users',
  units: '/units',
  approvalDefs: '/admin/approval-definitions',
  audit: '/audit',
};

/** pathOf returns the console path of a menu entry. */
export function pathOf(key: NavKey): string {
  return paths[key];
}

let built: { key: string; layout: HTMLElement; main: HTMLElement } | null = null;

/**
 * showLayout puts the layout on screen (building it when the user or language changed),
 * marks the active menu entry and returns an empty element for the page.
 */
export function showLayout(root: HTMLElement, user: Me, active: NavKey | null, onLogout: () => void, opts: { bare?: boolean } = {}): HTMLElement {
  const key = `${user.id}:${user.role}:${lang()}`;
  if (!built || built.key !== key || !root.contains(built.layout)) {
    built = build(user, onLogout);
    built.key = key;
    root.replaceChildren(built.layout);
  }
  // A phone page (the leader's /m/approvals) keeps the top bar and drops the menu.
  built.layout.classList.toggle('layout-bare', Boolean(opts.bare));
  for (const a of built.layout.querySelectorAll<HTMLAnchorElement>('#nav a[data-nav]')) {
    const on = a.dataset.nav === active;
    a.classList.toggle('active', on);
    if (on) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const page = h('section', { class: 'page' });
  built.main.replaceChildren(page);
  window.scrollTo(0, 0);
  return page;
}

/** forgetLayout drops the layout (after sign-out). */
export function forgetLayout(): void {
  built = null;
  stopApprovalsBadge();
}

function build(user: Me, onLogout: () => void): { key: string; layout: HTMLElement; main: HTMLElement } {
  const main = h('main', { id: 'main', class: 'main' });
  const layout = h(
    'div',
    { id: 'app-layout', class: 'layout' },
    h(
      'header',
      { class: 'topbar' },
      h(
        'a',
        { class: 'brand', href: '/' },
        h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '公'),
        h('span', { class: 'brand-text' }, h('span', { class: 'brand-name' }, t('app.name')), h('span', { class: 'brand-org' }, t('app.org'))),
      ),
      h(
        'div',
        { class: 'userbox' },
        h(
          'span',
          { class: 'who', title: t('layout.user') },
          h('span', { id: 'current-user' }, user.name || user.username),
          h('span', { id: 'current-role', class: 'role-badge', title: t('layout.role') }, tCode('role', user.role)),
        ),
        approvalsBadge(user.role === 'leader' ? '/m/approvals' : '/approvals'),
        langSwitch('btn-top'),
        h('button', { type: 'button', id: 'logout', class: 'btn-top', onclick: onLogout }, t('layout.logout')),
      ),
    ),
    h(
      'div',
      { class: 'shell' },
      h(
        'nav',
        { id: 'nav', class: 'nav', 'aria-label': t('nav.label') },
        navFor(user.role).map((k) => h('a', { href: paths[k], 'data-nav': k }, t(`nav.${k}`))),
      ),
      main,
    ),
  );
  return { key: '', layout, main };
}

/** langSwitch is the #lang-switch button toggling zh-CN and English. */
export function langSwitch(className: string): HTMLButtonElement {
  return h(
    'button',
    {
      type: 'button',
      id: 'lang-switch',
      class: className,
      lang: lang() === 'en' ? 'zh-CN' : 'en',
      title: t('lang.switchTitle'),
      onclick: () => setLang(lang() === 'en' ? 'zh-CN' : 'en'),
    },
    t('lang.switch'),
  );
}
