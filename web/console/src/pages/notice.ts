import { h, replace } from '../dom';
import { t, type Key } from '../i18n';
import { pageHeader, type PageContext } from '../page';

function notice(ctx: PageContext, title: Key, text: Key): void {
  replace(
    ctx.root,
    pageHeader(title),
    h('div', { class: 'card' }, h('p', null, t(text)), h('p', null, h('a', { href: '/' }, t('notFound.back')))),
  );
}

/** notFoundPage answers a path the console does not know. */
export function notFoundPage(ctx: PageContext): void {
  notice(ctx, 'notFound.title', 'notFound.text');
}

/** forbiddenPage answers a page the user's role may not open. */
export function forbiddenPage(ctx: PageContext): void {
  notice(ctx, 'forbidden.title', 'forbidden.text');
}
