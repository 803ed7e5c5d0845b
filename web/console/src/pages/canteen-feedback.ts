import '../office.css';
import '../canteen.css';
import { isAbort } from '../api';
import * as api from '../canteen/api';
import { addDays, todayIn } from '../canteen/plan';
import type { Comment, DishTrend, Rating } from '../canteen/types';
import { canteenTabs, kindName, starsText } from '../canteen/views';
import { h, replace } from '../dom';
import { flash } from '../flash';
import { t, tCode } from '../i18n';
import { table } from '../office/views';
import { field, openDialog } from '../canteen/dialog';
import { errorText, pageHeader, type PageContext } from '../page';

// Feedback (/canteen/feedback): each dish's scores over the weeks (the lowest first), the
// diners' rating comments and the draft menus' comments (菜谱征询), answered by the manager.

/** canteenFeedbackPage renders /canteen/feedback. */
export function canteenFeedbackPage(ctx: PageContext): void {
  const { root, signal, writable } = ctx;
  const to = todayIn();
  const from = addDays(to, -83);
  const trendBox = h('div', { id: 'cn-trends' }, t('common.loading'));
  const ratingBox = h('div', { id: 'cn-rating-comments' });
  const commentBox = h('div', { id: 'cn-draft-comments' });
  const onlyOpen = h('input', { type: 'checkbox', id: 'cn-only-open', checked: true });
  onlyOpen.addEventListener('change', () => void loadComments());
  root.classList.add('of-page', 'cn-page');
  replace(
    root,
    pageHeader('canteen.fb.title'),
    canteenTabs('feedback'),
    h('h2', { class: 'section-title' }, t('canteen.fb.trends', { from, to })),
    trendBox,
    h('div', { class: 'of-section-head' }, h('h2', { class: 'section-title' }, t('canteen.fb.comments')), h('label', null, onlyOpen, ' ', t('canteen.fb.onlyOpen'))),
    ratingBox,
    h('h2', { class: 'section-title' }, t('canteen.fb.draftComments')),
    commentBox,
  );

  async function loadTrends(): Promise<void> {
    try {
      const { items } = await api.trends(from, to, signal);
      replace(
        trendBox,
        items.length
          ? table<DishTrend>(
              'cn-trend-table',
              [
                { label: 'canteen.dishes.name', cell: (d) => h('strong', null, d.dish) },
                { label: 'canteen.dishes.category', cell: (d) => tCode('category', d.category) },
                { label: 'canteen.fb.avg', cell: (d) => h('span', { class: d.avg < 3 ? 'warn-strong' : null }, starsText(d.avg, d.count)), className: 'nowrap' },
                { label: 'canteen.fb.byWeek', cell: (d) => sparkline(d) },
              ],
              items,
              (d) => ({ 'data-dish-id': d.dish_id }),
            )
          : h('p', { class: 'status empty' }, t('canteen.fb.noRatings')),
      );
    } catch (err) {
      if (!isAbort(err)) replace(trendBox, h('p', { class: 'status error' }, errorText(err)));
    }
  }

  async function loadComments(): Promise<void> {
    try {
      const [rs, cs] = await Promise.all([api.ratings({ unanswered: onlyOpen.checked }, signal), api.comments(onlyOpen.checked, signal)]);
      const withText = rs.filter((r) => r.comment);
      replace(
        ratingBox,
        withText.length
          ? table<Rating>(
              'cn-rating-table',
              [
                { label: 'canteen.meal', cell: (r) => `${r.date} ${kindName(r.kind)}`, className: 'nowrap' },
                { label: 'canteen.dishes.name', cell: (r) => r.dish },
                { label: 'canteen.fb.score', cell: (r) => '★'.repeat(r.score), className: 'nowrap' },
                { label: 'canteen.comment', cell: (r) => [r.comment, h('div', { class: 'sub' }, `${r.author ?? ''} ${r.unit ?? ''}`)] },
                { label: 'canteen.fb.answer', cell: (r) => answerCell(r.answer, () => answer(r.id, 'rating')) },
              ],
              withText,
              (r) => ({ 'data-id': r.id }),
            )
          : h('p', { class: 'status empty' }, t('canteen.fb.noComments')),
      );
      replace(
        commentBox,
        cs.length
          ? table<Comment>(
              'cn-comment-table',
              [
                { label: 'canteen.fb.week', cell: (c) => c.week_start, className: 'nowrap' },
                { label: 'canteen.dishes.name', cell: (c) => c.dish || t('canteen.fb.wholeWeek') },
                { label: 'canteen.comment', cell: (c) => [c.body, h('div', { class: 'sub' }, `${c.author ?? ''} ${c.unit ?? ''}`)] },
                { label: 'canteen.fb.answer', cell: (c) => answerCell(c.answer, () => answer(c.id, 'comment')) },
              ],
              cs,
              (c) => ({ 'data-id': c.id }),
            )
          : h('p', { class: 'status empty' }, t('canteen.fb.noComments')),
      );
    } catch (err) {
      if (!isAbort(err)) replace(ratingBox, h('p', { class: 'status error' }, errorText(err)));
    }
  }

  function answerCell(text: string, onAnswer: () => void): HTMLElement | string {
    if (text) return text;
    return writable ? h('button', { type: 'button', class: 'btn small', 'data-action': 'answer', onclick: onAnswer }, t('canteen.fb.reply')) : t('common.none');
  }

  function answer(id: number, what: 'rating' | 'comment'): void {
    const text = h('textarea', { id: 'cn-answer-text', rows: 3, maxlength: 1000 });
    openDialog({
      id: 'cn-answer-form',
      title: t('canteen.fb.reply'),
      signal,
      body: [field(t('canteen.fb.answer'), text)],
      submit: async () => {
        if (what === 'rating') await api.answerRating(id, text.value.trim(), signal);
        else await api.answerComment(id, text.value.trim(), signal);
        flash(t('common.saved'));
        await loadComments();
      },
    });
  }

  void loadTrends();
  void loadComments();
}

/** sparkline draws a dish's weekly averages as bars 1–5 high. */
function sparkline(d: DishTrend): HTMLElement {
  return h(
    'span',
    { class: 'cn-spark', 'aria-label': d.weeks.map((w) => `${w.start} ${w.avg}`).join(', ') },
    d.weeks.map((w) => h('span', { class: w.avg < 3 ? 'cn-bar low' : 'cn-bar', style: `height:${Math.round((w.avg / 5) * 24)}px`, title: `${w.start}：${w.avg}（${w.count}）` })),
  );
}
