import { ApiError } from './api';
import { h, type Child } from './dom';
import { t, type Key } from './i18n';
import type { Me } from './types';

/** PageContext is what a page gets to render itself. */
export interface PageContext {
  /** The element the page fills; detached once the user moves on. */
  root: HTMLElement;
  user: Me;
  /** Aborted when the user leaves the page. */
  signal: AbortSignal;
  /** The user's role may change things on this page. */
  writable: boolean;
}

export type Page = (ctx: PageContext) => void;

/** pageHeader is the page's heading (#page-title) with optional buttons beside it; it also names the tab. */
export function pageHeader(title: Key, ...extra: Child[]): HTMLElement {
  document.title = `${t(title)} · ${t('app.name')}`;
  return h('div', { class: 'page-head' }, h('h1', { id: 'page-title' }, t(title)), h('div', { class: 'page-tools' }, ...extra));
}

/** errorText turns a failed call into a sentence for the user. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 0) return t('error.network');
    if (err.status === 403) return err.message && err.code !== 'http_403' ? err.message : t('error.forbidden');
    if (err.status === 404) return t('error.notFound');
    if (err.message) return err.message;
  }
  return t('error.generic', { message: err instanceof Error ? err.message : String(err) });
}

/** statusBadge shows a translated status code with a colour class of its own. */
export function statusBadge(prefix: string, code: string, text: string): HTMLElement {
  return h('span', { class: `badge ${prefix}-${code}` }, text);
}
