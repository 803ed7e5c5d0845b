import { h } from '../dom';
import { t, tCode } from '../i18n';
import { formatTime } from '../time';
import { clockTime, isoToInput, shortTime } from './clock';
import { keyStars, maxStars, shownStars } from './rating';
import { progress, toneOf } from './status';
import type { Place, Request, RequestEvent } from './types';

// Pieces the applicant's, the dispatcher's and the driver's pages share: status badges, the
// route and time span of a trip, the progress strip, the history, and the star input.

/** statusTag is a request or task status badge; id makes it e.g. #request-status. */
export function statusTag(status: string, id?: string, prefix: 'rstatus' | 'tstatus' = 'rstatus'): HTMLElement {
  return h('span', { id, class: `badge rq-status tone-${toneOf(status)}`, 'data-status': status }, tCode(prefix, status));
}

/** priorityTag marks an emergency (应急保障); nothing for a normal request. */
export function priorityTag(priority: string | undefined): HTMLElement | null {
  return priority === 'emergency' ? h('span', { class: 'badge rq-emergency', 'data-priority': 'emergency' }, tCode('priority', 'emergency')) : null;
}

/** routeText is "origin → destination → …". */
export function routeText(r: { origin?: Place; destinations?: Place[] }): string {
  return [r.origin?.address, ...(r.destinations ?? []).map((d) => d.address)].filter(Boolean).join(' → ');
}

/** timeSpan shows departure and return: "05-01 08:30 – 17:00", the return's day only when it differs. */
export function timeSpan(departAt: string, returnAt: string, now = Date.now()): string {
  const a = shortTime(departAt, now);
  if (!returnAt) return a;
  const sameDay = isoToInput(departAt).slice(0, 10) === isoToInput(returnAt).slice(0, 10);
  return `${a} – ${sameDay ? clockTime(returnAt) : shortTime(returnAt, now)}`;
}

/** placeList lists the origin and the destinations with their coordinates. */
export function placeList(r: { origin?: Place; destinations?: Place[] }, id?: string): HTMLElement {
  const item = (p: Place, badge: string, origin: boolean) =>
    h(
      'li',
      { class: 'rq-stop' },
      h('span', { class: `rq-badge${origin ? ' origin' : ''}` }, badge),
      h(
        'span',
        { class: 'rq-stop-text' },
        h('span', { class: 'rq-stop-address' }, p.address || t('common.none')),
        typeof p.lat === 'number' && typeof p.lng === 'number' && h('span', { class: 'muted rq-stop-coords' }, `${p.lat.toFixed(5)}, ${p.lng.toFixed(5)}`),
      ),
    );
  return h(
    'ol',
    { id, class: 'rq-stops' },
    r.origin && item(r.origin, t('req.originShort'), true),
    (r.destinations ?? []).map((d, i) => item(d, String(i + 1), false)),
  );
}

/** progressStrip is #request-progress: the lifecycle with the steps reached. */
export function progressStrip(r: Pick<Request, 'status' | 'history' | 'events'>): HTMLElement {
  return h(
    'ol',
    { id: 'request-progress', class: 'rq-progress', 'data-status': r.status },
    progress(r).map((s) =>
      h(
        'li',
        { class: `rq-step ${s.state}`, 'data-status': s.status, 'data-state': s.state },
        h('span', { class: 'rq-step-dot', 'aria-hidden': 'true' }),
        h('span', { class: 'rq-step-name' }, tCode('rstatus', s.status)),
        s.at && h('time', { class: 'rq-step-time', datetime: s.at }, shortTime(s.at)),
      ),
    ),
  );
}

/** historyList is #request-history: every change, oldest first. */
export function historyList(events: RequestEvent[]): HTMLElement {
  return h(
    'ol',
    { id: 'request-history', class: 'timeline' },
    events.map((e) => {
      const what = e.action ? tCode('raction', e.action) : tCode('rstatus', e.status ?? '');
      const who = e.user || e.by || '';
      const text = e.note || e.comment || '';
      return h(
        'li',
        { class: `tl tl-${toneOf(e.status ?? '') === 'bad' ? 'bad' : 'info'}`, 'data-status': e.status ?? '', 'data-action': e.action ?? '' },
        h('div', { class: 'tl-head' }, who && h('strong', { class: 'tl-who' }, who), who && ' ', h('span', { class: 'tl-action' }, what)),
        h('div', { class: 'tl-meta' }, h('time', { datetime: e.at }, formatTime(e.at))),
        text && h('div', { class: 'tl-comment' }, text),
      );
    }),
  );
}

/** starInput is a 1–5 star radio group (#rate-stars); onChange gets the value. */
export function starInput(initial: number, onChange: (n: number) => void): HTMLElement {
  let value = initial;
  let hover: number | null = null;
  const label = h('span', { class: 'rate-label', id: 'rate-label' });
  const stars = Array.from({ length: maxStars }, (_, i) =>
    h(
      'button',
      {
        type: 'button',
        class: 'star',
        role: 'radio',
        'data-star': i + 1,
        'aria-label': t('rate.stars', { n: i + 1 }),
        onclick: () => set(i + 1),
        onmouseenter: () => {
          hover = i + 1;
          draw();
        },
        onmouseleave: () => {
          hover = null;
          draw();
        },
      },
      '★',
    ),
  );
  const group = h(
    'div',
    {
      class: 'stars',
      id: 'rate-stars',
      role: 'radiogroup',
      'aria-label': t('rate.title'),
      onkeydown: (ev: KeyboardEvent) => {
        const next = keyStars(value, ev.key);
        if (next === null) return;
        ev.preventDefault();
        set(next);
        stars[next - 1].focus();
      },
    },
    stars,
    label,
  );
  function set(n: number): void {
    value = n;
    draw();
    onChange(n);
  }
  function draw(): void {
    const n = shownStars(value, hover);
    stars.forEach((s, i) => {
      s.classList.toggle('on', i < n);
      s.setAttribute('aria-checked', String(i + 1 === value));
      s.tabIndex = i + 1 === (value || 1) ? 0 : -1;
    });
    group.dataset.value = String(value);
    label.textContent = n ? t(`rate.word${n}` as 'rate.word1') : '';
  }
  draw();
  return group;
}

/** starsShown is a read-only rating (#request-rating). */
export function starsShown(n: number, comment?: string): HTMLElement {
  return h(
    'div',
    { id: 'request-rating', class: 'rated', 'data-rating': n },
    h('span', { class: 'stars-static', 'aria-label': t('rate.stars', { n }) }, Array.from({ length: maxStars }, (_, i) => h('span', { class: i < n ? 'on' : '' }, '★'))),
    h('span', { class: 'rate-label' }, t(`rate.word${Math.max(1, Math.min(5, n))}` as 'rate.word1')),
    comment && h('p', { class: 'rated-comment' }, comment),
  );
}

/** telLink dials a phone number. */
export function telLink(phone: string, id?: string): HTMLElement | string {
  if (!phone) return t('common.none');
  return h('a', { href: `tel:${phone.replace(/[^\d+]/g, '')}`, class: 'tel', id }, phone);
}
