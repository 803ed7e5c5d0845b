// History-API routing: links inside the console change the path without reloading the page.

type Handler = (path: string, query: URLSearchParams) => void;

let handler: Handler = () => {};

/** startRouter calls onRoute now and after every navigation. */
export function startRouter(onRoute: Handler): void {
  handler = onRoute;
  window.addEventListener('popstate', refresh);
  document.addEventListener('click', interceptLinks);
  refresh();
}

/** navigate moves to a console path such as /vehicles. */
export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to !== location.pathname + location.search) {
    if (opts.replace) history.replaceState(null, '', to);
    else history.pushState(null, '', to);
  }
  refresh();
}

/** refresh renders the current path again (after a language switch, say). */
export function refresh(): void {
  handler(location.pathname, new URLSearchParams(location.search));
}

function interceptLinks(ev: MouseEvent): void {
  if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  const a = (ev.target as Element | null)?.closest?.('a');
  if (!a || a.target || a.hasAttribute('download') || a.origin !== location.origin) return;
  if (a.pathname.startsWith('/api/')) return;
  ev.preventDefault();
  navigate(a.pathname + a.search);
}
