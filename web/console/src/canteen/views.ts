import { h, type Child } from '../dom';
import { t, tCode, type Key } from '../i18n';
import { addDays, clockOf, cutoffDay } from './plan';
import type { Dish, Meal } from './types';

// Pieces the canteen's pages share: the module's tabs, dish lines with allergens, stars.

const tabs: [string, string, Key][] = [
  ['menu', '/canteen', 'canteen.tab.menu'],
  ['dishes', '/canteen/dishes', 'canteen.tab.dishes'],
  ['feedback', '/canteen/feedback', 'canteen.tab.feedback'],
  ['waste', '/canteen/waste', 'canteen.tab.waste'],
  ['safety', '/canteen/safety', 'canteen.tab.safety'],
];

/** canteenTabs is the row of links between the manager's pages (#canteen-tabs a[data-tab]). */
export function canteenTabs(active: string): HTMLElement {
  return h(
    'nav',
    { id: 'canteen-tabs', class: 'of-tabs', 'aria-label': t('canteen.tabs') },
    tabs.map(([key, href, label]) =>
      h('a', { href, 'data-tab': key, class: key === active ? 'active' : null, 'aria-current': key === active ? 'page' : null }, t(label)),
    ),
  );
}

/** allergenChips shows a dish's allergens as small warning chips. */
export function allergenChips(d: Dish): HTMLElement | null {
  if (!d.allergens?.length) return null;
  return h('span', { class: 'cn-allergens', title: t('canteen.allergens') }, d.allergens.map((a) => h('span', { class: 'cn-allergen' }, tCode('allergen', a))));
}

/** dishLine is a dish's name, category, allergens and price. */
export function dishLine(d: Dish, extra?: Child): HTMLElement {
  return h(
    'li',
    { class: 'cn-dish', 'data-dish-id': d.id },
    d.photo ? h('img', { class: 'cn-thumb', src: d.photo, alt: '', loading: 'lazy', referrerpolicy: 'no-referrer' }) : null,
    h('span', { class: 'cn-dish-name' }, d.name),
    h('span', { class: 'cn-cat' }, tCode('category', d.category)),
    allergenChips(d),
    h('span', { class: 'cn-price' }, `¥${d.price.toFixed(d.price % 1 ? 2 : 0)}`),
    extra,
  );
}

/** starsText shows a score as ★★★☆☆ 3.0. */
export function starsText(avg: number, count?: number): string {
  const full = Math.round(avg);
  const s = '★'.repeat(full) + '☆'.repeat(Math.max(0, 5 - full));
  return count === undefined ? `${s} ${avg.toFixed(1)}` : `${s} ${avg.toFixed(1)}（${count}）`;
}

/** starInput is five buttons for a score 1–5; onChange gets the new score. */
export function starInput(name: string, value: number, onChange: (score: number) => void): HTMLElement {
  const box = h('span', { class: 'cn-stars', role: 'radiogroup', 'aria-label': name });
  const draw = (v: number): void => {
    box.replaceChildren(
      ...[1, 2, 3, 4, 5].map((n) =>
        h(
          'button',
          {
            type: 'button',
            class: n <= v ? 'cn-star on' : 'cn-star',
            role: 'radio',
            'aria-checked': n === v ? 'true' : 'false',
            'aria-label': t('canteen.stars', { n }),
            'data-score': n,
            onclick: () => {
              draw(n);
              onChange(n);
            },
          },
          n <= v ? '★' : '☆',
        ),
      ),
    );
  };
  draw(value);
  return box;
}

/** kindName is a meal kind in words. */
export function kindName(kind: string): string {
  return tCode('mealKind', kind);
}

/** dayLabel is "3月2日 周一" / "Mon 2 Mar" of a YYYY-MM-DD day. */
export function dayLabel(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const wd = t(`canteen.weekday.${(d.getUTCDay() + 6) % 7}` as Key);
  return t('canteen.dayLabel', { m: d.getUTCMonth() + 1, d: d.getUTCDate(), wd });
}

/** cutoffText is a meal's cut-off time, "前一天 20:00" when it falls on the day before. */
export function cutoffText(m: Meal): string {
  const time = clockOf(m.cutoff_at);
  const day = cutoffDay(m.cutoff_at);
  if (day === m.date) return time;
  return day < m.date && day === addDays(m.date, -1) ? t('canteen.dayBefore', { time }) : `${day.slice(5)} ${time}`;
}
