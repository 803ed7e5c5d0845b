import '../approvals.css';
import '../canteen.css';
import { isAbort } from '../api';
import * as api from '../canteen/api';
import { addDays, cutoffState, firstMealDay, mondayOf, todayIn, voteOf, weekDays } from '../canteen/plan';
import type { Meal, Point, Week } from '../canteen/types';
import { allergenChips, cutoffText, dayLabel, kindName, starInput } from '../canteen/views';
import { h, replace } from '../dom';
import { flash } from '../flash';
import { t, tCode } from '../i18n';
import { errorText, pageHeader, type PageContext } from '../page';

// The diner's phone page /m/canteen (375 px first): the week's menu day by day; book a meal for
// the dining hall or take-away until its cut-off, move or cancel the booking; vote and comment
// on a draft menu (菜谱征询); rate the dishes after the meal and read the canteen's answers.

/** canteenDinerPage renders /m/canteen (?week=YYYY-MM-DD&day=YYYY-MM-DD). */
export function canteenDinerPage(ctx: PageContext): void {
  const { root, signal, writable } = ctx;
  root.classList.add('ap-page', 'cn-page', 'cn-diner');
  const q = new URLSearchParams(location.search);
  const today = todayIn();
  let monday = mondayOf(q.get('week') || today);
  let day = q.get('day') || '';
  let week: Week | null = null;
  let busy = false;
  let moved = false; // moved on to next week once, when nothing is left of this one

  const status = h('div', { class: 'status', role: 'status' }, t('common.loading'));
  const weekBar = h('div', { class: 'cn-weekbar' });
  const dayBar = h('nav', { class: 'cn-days', id: 'cn-days', 'aria-label': t('canteen.days') });
  const list = h('section', { id: 'cn-day', class: 'cn-day' });
  const consult = h('section', { id: 'cn-consult', class: 'cn-consult', hidden: true });
  const mine = h('section', { id: 'cn-my-ratings', class: 'cn-section', hidden: true });
  replace(
    root,
    pageHeader('canteen.diner.title', h('a', { href: '/', class: 'btn small', id: 'full-console' }, t('approval.fullConsole'))),
    weekBar,
    dayBar,
    status,
    list,
    consult,
    mine,
  );

  async function load(): Promise<void> {
    try {
      week = await api.week(monday, signal);
      const days = weekDays(monday);
      if (!days.includes(day)) {
        // This week's remaining meals first; on a weekend with none left, next week's menu.
        day = firstMealDay(week.meals, days.includes(today) ? today : monday);
        if (!day && days.includes(today) && !q.get('week') && !moved) {
          moved = true;
          monday = addDays(monday, 7);
          return load();
        }
        day ||= days.includes(today) ? today : monday;
      }
      status.textContent = '';
      status.className = 'status';
      draw();
    } catch (err) {
      if (isAbort(err)) return;
      status.textContent = t('error.load', { message: errorText(err) });
      status.className = 'status error';
    }
  }

  function draw(): void {
    if (!week) return;
    history.replaceState(null, '', `/m/canteen?week=${monday}&day=${day}`);
    const w = week;
    replace(
      weekBar,
      h('button', { type: 'button', class: 'btn small', id: 'cn-prev', 'aria-label': t('canteen.prevWeek'), onclick: () => move(-7) }, '‹'),
      h(
        'div',
        { class: 'cn-weektitle' },
        h('strong', null, `${dayLabel(w.week_start)} – ${dayLabel(w.week_end)}`),
        ' ',
        h('span', { class: `badge cn-ws-${w.status}` }, w.status === 'published' ? t('canteen.published') : w.consultation ? t('canteen.consulting') : t('canteen.draft')),
      ),
      h('button', { type: 'button', class: 'btn small', id: 'cn-next', 'aria-label': t('canteen.nextWeek'), onclick: () => move(7) }, '›'),
    );
    replace(
      dayBar,
      weekDays(monday).map((d) => {
        const n = w.meals.filter((m) => m.date === d).length;
        return h(
          'button',
          { type: 'button', class: ['cn-daychip', d === day ? 'active' : '', d === today ? 'today' : '', n ? '' : 'empty'].join(' ').trim(), 'data-day': d, onclick: () => pick(d) },
          dayLabel(d),
        );
      }),
    );
    const meals = w.meals.filter((m) => m.date === day);
    replace(
      list,
      meals.length ? meals.map((m) => mealCard(m, w)) : h('p', { class: 'status empty' }, w.meals.length ? t('canteen.noMealsDay') : t('canteen.noMenu')),
    );
    drawConsult(w);
  }

  function move(days: number): void {
    monday = addDays(monday, days);
    day = '';
    void load();
  }

  function pick(d: string): void {
    day = d;
    draw();
  }

  function mealCard(m: Meal, w: Week): HTMLElement {
    const cut = cutoffState(m.cutoff_at, new Date());
    const rating = new Map<number, { score: number; comment: string }>();
    const rateBox = h('div', { class: 'cn-rate', hidden: true });
    const card = h(
      'article',
      { class: `card cn-meal cn-${m.status}`, id: `cn-meal-${m.id}`, 'data-meal-id': m.id, 'data-kind': m.kind, 'data-date': m.date },
      h(
        'header',
        { class: 'cn-meal-head' },
        h('h2', null, kindName(m.kind)),
        m.status === 'cancelled'
          ? h('span', { class: 'badge cn-cancelled-badge' }, t('canteen.cancelled'))
          : h('span', { class: cut.closed ? 'cn-cut closed' : 'cn-cut' }, cut.closed ? t('canteen.closedAt', { time: cutoffText(m) }) : t('canteen.cutoffAt', { time: cutoffText(m) })),
        h('span', { class: 'cn-count', title: t('canteen.bookedTitle') }, t('canteen.bookedN', { n: m.counts.total })),
      ),
      m.status === 'cancelled' && h('p', { class: 'warn-strong' }, t('canteen.cancelReason', { reason: m.cancel_reason })),
      h(
        'ul',
        { class: 'cn-dishes' },
        m.dishes.map((d) =>
          h(
            'li',
            { class: 'cn-dish', 'data-dish-id': d.id },
            h('span', { class: 'cn-dish-name' }, d.name),
            allergenChips(d),
            h('span', { class: 'cn-price' }, `¥${d.price.toFixed(d.price % 1 ? 2 : 0)}`),
            w.consultation && voteButtons(w, d.id),
            m.my_ratings[String(d.id)] ? h('span', { class: 'cn-myscore' }, '★'.repeat(m.my_ratings[String(d.id)])) : null,
          ),
        ),
      ),
      m.dishes.length === 0 && h('p', { class: 'muted' }, t('canteen.dishesTbd')),
      m.status === 'open' && bookingRow(m),
      m.rateable && m.dishes.length > 0 && h('button', { type: 'button', class: 'btn block', 'data-action': 'rate', onclick: () => openRate() }, t('canteen.rate')),
      rateBox,
    );

    function openRate(): void {
      rateBox.hidden = !rateBox.hidden;
      if (rateBox.hidden) return;
      replace(
        rateBox,
        m.dishes.map((d) => {
          const start = m.my_ratings[String(d.id)] ?? 0;
          if (start) rating.set(d.id, { score: start, comment: '' });
          const comment = h('input', { type: 'text', class: 'cn-comment', maxlength: 500, placeholder: t('canteen.commentPlaceholder'), 'aria-label': t('canteen.comment') });
          comment.addEventListener('input', () => {
            const r = rating.get(d.id);
            if (r) r.comment = comment.value;
          });
          return h(
            'div',
            { class: 'cn-rate-row', 'data-dish-id': d.id },
            h('span', { class: 'cn-dish-name' }, d.name),
            starInput(d.name, start, (score) => rating.set(d.id, { score, comment: comment.value })),
            comment,
          );
        }),
        h('button', { type: 'button', class: 'btn primary block', 'data-action': 'send-rating', onclick: () => sendRating() }, t('canteen.sendRating')),
      );
    }

    async function sendRating(): Promise<void> {
      const ratings = [...rating.entries()].map(([dish_id, r]) => ({ dish_id, score: r.score, comment: r.comment.trim() }));
      if (!ratings.length) {
        flash(t('canteen.pickStars'), 'error');
        return;
      }
      try {
        await api.rate(m.id, ratings, signal);
        flash(t('canteen.thanks'));
        await load();
        await loadMine();
      } catch (err) {
        if (!isAbort(err)) flash(errorText(err), 'error');
      }
    }
    return card;
  }

  function bookingRow(m: Meal): HTMLElement {
    const row = h('div', { class: 'cn-book', id: `cn-book-${m.id}` });
    if (m.mine) {
      const other: Point = m.mine.point === 'dine_in' ? 'takeaway' : 'dine_in';
      replace(
        row,
        h('span', { class: 'cn-mine', id: `cn-mine-${m.id}`, 'data-point': m.mine.point }, t('canteen.bookedAs', { point: tCode('point', m.mine.point) })),
        m.bookable && writable && h('button', { type: 'button', class: 'btn small', 'data-action': 'switch', onclick: () => act(() => api.changePoint(m.mine!.id, other, signal)) }, t('canteen.switchTo', { point: tCode('point', other) })),
        m.bookable && writable && h('button', { type: 'button', class: 'btn small danger', 'data-action': 'cancel', onclick: () => act(() => api.cancelBooking(m.mine!.id, signal), t('canteen.cancelledBooking')) }, t('canteen.cancelBooking')),
        m.mine.no_show && h('span', { class: 'badge cn-noshow' }, t('canteen.noShow')),
      );
      return row;
    }
    if (!m.bookable || !writable) {
      replace(row, h('span', { class: 'muted' }, m.bookable ? t('canteen.readOnly') : t('canteen.notBooked')));
      return row;
    }
    replace(
      row,
      (['dine_in', 'takeaway'] as Point[]).map((p) =>
        h('button', { type: 'button', class: p === 'dine_in' ? 'btn primary' : 'btn', 'data-action': 'book', 'data-point': p, onclick: () => act(() => api.book(m.id, p, signal), t('canteen.booked')) }, t('canteen.bookPoint', { point: tCode('point', p) })),
      ),
    );
    return row;
  }

  async function act(fn: () => Promise<unknown>, done?: string): Promise<void> {
    if (busy) return;
    busy = true;
    try {
      await fn();
      if (done) flash(done);
      await load();
    } catch (err) {
      if (!isAbort(err)) flash(errorText(err), 'error');
      await load();
    } finally {
      busy = false;
    }
  }

  function voteButtons(w: Week, dishId: number): HTMLElement {
    const v = voteOf(w.votes, dishId);
    const send = (value: number) => act(() => api.vote(w.id, dishId, v.mine === value ? 0 : value, signal));
    return h(
      'span',
      { class: 'cn-votes' },
      h('button', { type: 'button', class: v.mine === 1 ? 'cn-vote on' : 'cn-vote', 'data-vote': 'up', 'aria-pressed': String(v.mine === 1), title: t('canteen.voteUp'), onclick: () => send(1) }, t('canteen.upN', { n: v.up })),
      h('button', { type: 'button', class: v.mine === -1 ? 'cn-vote on' : 'cn-vote', 'data-vote': 'down', 'aria-pressed': String(v.mine === -1), title: t('canteen.voteDown'), onclick: () => send(-1) }, t('canteen.downN', { n: v.down })),
    );
  }

  async function drawConsult(w: Week): Promise<void> {
    consult.hidden = !w.id || !(w.consultation || w.comments > 0);
    if (consult.hidden) return;
    const input = h('textarea', { id: 'cn-comment-body', rows: 2, maxlength: 500, placeholder: t('canteen.consultPlaceholder') });
    const listBox = h('ul', { class: 'cn-comments' });
    replace(
      consult,
      h('h2', { class: 'section-title' }, t('canteen.consultTitle')),
      w.consultation && h('p', { class: 'muted' }, t('canteen.consultHint')),
      w.consultation && writable && h('div', { class: 'cn-comment-form' }, input, h('button', { type: 'button', class: 'btn primary', id: 'cn-comment-send', onclick: () => send() }, t('canteen.send'))),
      listBox,
    );
    async function send(): Promise<void> {
      if (!input.value.trim()) return;
      await act(() => api.addComment(w.id, input.value.trim(), null, signal), t('canteen.commentSent'));
    }
    try {
      const r = await api.weekComments(w.id, signal);
      replace(
        listBox,
        r.items.map((c) =>
          h(
            'li',
            { class: c.mine ? 'cn-c mine' : 'cn-c' },
            c.dish && h('span', { class: 'badge' }, c.dish),
            ' ',
            c.body,
            c.answer && h('div', { class: 'cn-answer' }, t('canteen.answer', { text: c.answer })),
          ),
        ),
      );
    } catch (err) {
      if (!isAbort(err)) listBox.textContent = errorText(err);
    }
  }

  async function loadMine(): Promise<void> {
    if (!writable) return;
    try {
      const r = await api.myRatings(signal);
      const answered = r.filter((x) => x.comment || x.answer).slice(0, 10);
      mine.hidden = answered.length === 0;
      replace(
        mine,
        h('h2', { class: 'section-title' }, t('canteen.myRatings')),
        h(
          'ul',
          { class: 'cn-comments' },
          answered.map((x) =>
            h(
              'li',
              { class: 'cn-c mine' },
              h('span', { class: 'muted' }, `${x.date} ${kindName(x.kind)} · ${x.dish} `),
              '★'.repeat(x.score),
              x.comment && h('div', null, x.comment),
              x.answer && h('div', { class: 'cn-answer' }, t('canteen.answer', { text: x.answer })),
            ),
          ),
        ),
      );
    } catch (err) {
      if (!isAbort(err)) console.warn('canteen: my ratings', err);
    }
  }

  void load();
  void loadMine();
}
