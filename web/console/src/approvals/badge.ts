import '../approvals.css';
import { isAbort } from '../api';
import { h } from '../dom';
import { t } from '../i18n';
import { pendingCount } from './api';
import { approvalFeed, stopApprovalFeed } from './live';

// The top bar's pending-approvals badge (#approvals-badge): shown to whoever has approvals
// waiting, refreshed whenever an approval message arrives on the websocket.

let count = 0;
let link: HTMLAnchorElement | null = null;
let unlisten: (() => void) | null = null;
let timer = 0;
let seq = 0;
const watchers = new Set<(n: number) => void>();

/** approvalsBadge builds the top bar's link (hidden while nothing waits) and starts following. */
export function approvalsBadge(href: string): HTMLAnchorElement {
  link = h(
    'a',
    { id: 'approvals-link', class: 'btn-top approvals-link', href, hidden: count === 0, title: t('approval.badgeTitle', { n: count }) },
    h('span', { class: 'approvals-link-text' }, t('approval.badge')),
    h('span', { id: 'approvals-badge', class: 'count-pill', 'data-count': count, 'aria-label': t('approval.badgeTitle', { n: count }) }, count),
  );
  if (!unlisten) unlisten = approvalFeed().listen(() => scheduleRefresh());
  void refreshApprovalCount();
  return link;
}

/** approvalCount is the last known number of pending approvals. */
export function approvalCount(): number {
  return count;
}

/** onApprovalCount calls fn with every new count; the returned function stops that. */
export function onApprovalCount(fn: (n: number) => void): () => void {
  watchers.add(fn);
  return () => watchers.delete(fn);
}

function scheduleRefresh(): void {
  window.clearTimeout(timer);
  timer = window.setTimeout(() => void refreshApprovalCount(), 150);
}

/** refreshApprovalCount asks the server again and updates the badge. */
export async function refreshApprovalCount(): Promise<void> {
  const mine = ++seq;
  try {
    const n = await pendingCount();
    if (mine !== seq) return;
    setCount(n);
  } catch (err) {
    // No approvals API (or no session any more): the badge stays as it was.
    if (!isAbort(err)) console.warn('fleet: /api/approvals/counts', err);
  }
}

function setCount(n: number): void {
  count = n;
  if (link) {
    link.hidden = n === 0;
    link.title = t('approval.badgeTitle', { n });
    const pill = link.querySelector<HTMLElement>('#approvals-badge');
    if (pill) {
      pill.textContent = String(n);
      pill.dataset.count = String(n);
      pill.setAttribute('aria-label', t('approval.badgeTitle', { n }));
    }
  }
  for (const fn of [...watchers]) fn(n);
}

/** stopApprovalsBadge forgets the count and closes the feed (after sign-out). */
export function stopApprovalsBadge(): void {
  window.clearTimeout(timer);
  seq++;
  unlisten?.();
  unlisten = null;
  link = null;
  count = 0;
  watchers.clear();
  stopApprovalFeed();
}
