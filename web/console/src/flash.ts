import { h } from './dom';

// A short message at the bottom of the screen ("Saved") that goes away by itself.

let timer = 0;

export function flash(text: string, kind: 'ok' | 'error' = 'ok'): void {
  let el = document.getElementById('flash');
  if (!el) {
    el = h('div', { id: 'flash', role: 'status', 'aria-live': 'polite' });
    document.body.appendChild(el);
  }
  el.textContent = text;
  el.className = `flash flash-${kind} show`;
  window.clearTimeout(timer);
  timer = window.setTimeout(() => el?.classList.remove('show'), 3000);
}
