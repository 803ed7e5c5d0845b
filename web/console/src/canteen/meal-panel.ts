import { isAbort } from '../api';
import { askReason } from '../office/views';
import { confirmBox } from '../confirm';
import { h, replace } from '../dom';
import { flash } from '../flash';
import { t, tCode, type Key } from '../i18n';
import { errorText } from '../page';
import { formatTime } from '../time';
import * as api from './api';
import { field, openDialog } from './dialog';
import { clockOf, voteOf } from './plan';
import { categories, type Dish, type Meal, type Week } from './types';
import { allergenChips, dayLabel, kindName, starsText } from './views';

// The manager's panel of one meal: the kitchen's counts by serving point and the forecast, the
// dishes with their votes or scores, the bookings with no-shows, the waste, and the changes.

export interface PanelContext {
  signal: AbortSignal;
  writable: boolean;
  dishes: () => Dish[];
  reload: () => Promise<void>;
}

/** mealPanel fills host with a meal of week. */
export function mealPanel(host: HTMLElement, m: Meal, w: Week, pc: PanelContext): void {
  const served = Date.parse(m.serve_at) <= Date.now();
  const open = m.status === 'open';
  const bookings = h('div', { id: 'cn-bookings' }, t('common.loading'));
  replace(
    host,
    h(
      'div',
      { class: 'cn-panel-head' },
      h('h2', null, `${dayLabel(m.date)} ${kindName(m.kind)}`),
      h('span', { class: `badge cn-ms-${m.status}` }, tCode('mealStatus', m.status)),
      h('span', { class: 'muted' }, t('canteen.cutoffServe', { cutoff: formatTime(m.cutoff_at), serve: clockOf(m.serve_at) })),
    ),
    m.status === 'cancelled' && h('p', { class: 'warn-strong' }, t('canteen.cancelReason', { reason: m.cancel_reason })),
    countsBlock(m),
    h('h3', null, t('canteen.dishesOfMeal')),
    h(
      'ul',
      { class: 'cn-dishes' },
      m.dishes.map((d) => {
        const v = voteOf(w.votes, d.id);
        const sc = m.rating_avg?.[String(d.id)];
        return h(
          'li',
          { class: 'cn-dish', 'data-dish-id': d.id },
          h('span', { class: 'cn-dish-name' }, d.name),
          allergenChips(d),
          w.status === 'draft' && (v.up || v.down) ? h('span', { class: 'cn-votecount' }, `${t('canteen.upN', { n: v.up })} · ${t('canteen.downN', { n: v.down })}`) : null,
          sc ? h('span', { class: 'cn-score' }, starsText(sc.avg, sc.count)) : null,
        );
      }),
    ),
    m.dishes.length === 0 && h('p', { class: 'warn' }, t('canteen.noDishesYet')),
    pc.writable && open && !served && actions(m, w, pc),
    h('h3', null, t('canteen.bookingsList')),
    bookings,
    pc.writable && open && served && wasteForm(m, pc),
    m.waste && h('p', { class: m.waste.over_target ? 'warn-strong' : 'cn-ok', id: 'cn-waste-line' }, wasteLine(m)),
  );
  void loadBookings(bookings, m, served, pc);
}

/** countsBlock is what the kitchen cooks for: bookings by point, no-shows, the forecast. */
export function countsBlock(m: Meal): HTMLElement {
  const f = m.forecast;
  return h(
    'div',
    { class: 'cn-counts', id: 'cn-counts', 'data-meal-id': m.id },
    stat('canteen.point.dine_in', m.counts.dine_in, 'cn-count-dine_in'),
    stat('canteen.point.takeaway', m.counts.takeaway, 'cn-count-takeaway'),
    stat('canteen.total', m.counts.total, 'cn-count-total'),
    m.counts.no_shows > 0 && stat('canteen.noShows', m.counts.no_shows, 'cn-count-noshow'),
    f &&
      h(
        'div',
        { class: 'stat cn-forecast', id: 'cn-forecast', title: t(`canteen.basis.${f.basis}` as Key) },
        h('div', { class: 'stat-value' }, String(f.expected)),
        h('div', { class: 'stat-label' }, t('canteen.expected')),
        h('div', { class: 'sub' }, t(`canteen.basis.${f.basis}` as Key, { ratio: f.ratio, n: f.samples.length }), f.final ? '' : ` · ${t('canteen.stillOpen')}`),
      ),
  );
}

function stat(label: Key, n: number, cls: string): HTMLElement {
  return h('div', { class: 'stat' }, h('div', { class: `stat-value ${cls}` }, String(n)), h('div', { class: 'stat-label' }, t(label)));
}

function wasteLine(m: Meal): string {
  const w = m.waste!;
  return t('canteen.wasteLine', { plate: w.plate_kg, kitchen: w.kitchen_kg, diners: w.diners, g: w.g_per_diner, target: w.target_g });
}

function actions(m: Meal, w: Week, pc: PanelContext): HTMLElement {
  const run = async (fn: () => Promise<unknown>, done: string) => {
    try {
      await fn();
      flash(done);
      await pc.reload();
    } catch (err) {
      if (!isAbort(err)) flash(errorText(err), 'error');
    }
  };
  return h(
    'div',
    { class: 'cn-actions' },
    h('button', { type: 'button', class: 'btn primary', id: 'cn-edit-dishes', onclick: () => editDishes(m, w, pc) }, t('canteen.editDishes')),
    h('button', { type: 'button', class: 'btn', id: 'cn-edit-cutoff', onclick: () => editCutoff(m, w, pc) }, t('canteen.editCutoff')),
    h(
      'button',
      {
        type: 'button',
        class: 'btn danger',
        id: 'cn-cancel-meal',
        onclick: async () => {
          const reason = await askReason(t('canteen.cancelMealQ'), t('canteen.cancelMeal'), pc.signal, true);
          if (reason) await run(() => api.cancelMeal(m.id, reason, pc.signal), t('canteen.mealCancelled'));
        },
      },
      t('canteen.cancelMeal'),
    ),
    w.status === 'draft' &&
      m.counts.total === 0 &&
      h(
        'button',
        {
          type: 'button',
          class: 'btn danger',
          id: 'cn-delete-meal',
          onclick: async () => {
            if (await confirmBox(t('canteen.deleteMealQ'), t('common.delete'), pc.signal)) await run(() => api.deleteMeal(m.id, pc.signal), t('common.deleted'));
          },
        },
        t('common.delete'),
      ),
  );
}

/** editDishes picks a meal's dishes, grouped by category; a published week asks for a reason. */
function editDishes(m: Meal, w: Week, pc: PanelContext): void {
  const chosen = new Set(m.dishes.map((d) => d.id));
  const filter = h('input', { type: 'search', id: 'cn-dish-filter', placeholder: t('canteen.filterDishes') });
  const groups = h('div', { class: 'cn-dish-picker' });
  const reason = h('input', { type: 'text', id: 'cn-change-reason', maxlength: 500 });
  const draw = () => {
    const word = filter.value.trim();
    replace(
      groups,
      categories.map((c) => {
        const ds = pc.dishes().filter((d) => d.category === c && (d.active || chosen.has(d.id)) && (!word || d.name.includes(word)));
        if (!ds.length) return null;
        return h(
          'fieldset',
          { class: 'cn-pick-group' },
          h('legend', null, tCode('category', c)),
          ds.map((d) => {
            const box = h('input', { type: 'checkbox', value: String(d.id), checked: chosen.has(d.id), 'data-dish-id': d.id });
            box.addEventListener('change', () => (box.checked ? chosen.add(d.id) : chosen.delete(d.id)));
            return h('label', { class: 'cn-pick' }, box, ' ', d.name);
          }),
        );
      }),
    );
  };
  filter.addEventListener('input', draw);
  draw();
  openDialog({
    id: 'cn-dishes-form',
    title: t('canteen.editDishesTitle', { meal: `${dayLabel(m.date)} ${kindName(m.kind)}` }),
    signal: pc.signal,
    body: [filter, groups, w.status === 'published' ? field(t('canteen.changeReason'), reason, t('canteen.changeReasonHint')) : null],
    submit: async () => {
      const order = [...m.dishes.map((d) => d.id).filter((id) => chosen.has(id)), ...[...chosen].filter((id) => !m.dishes.some((d) => d.id === id))];
      await api.updateMeal(m.id, { dish_ids: order, reason: reason.value.trim() }, pc.signal);
      flash(t('common.saved'));
      await pc.reload();
    },
  });
}

function editCutoff(m: Meal, w: Week, pc: PanelContext): void {
  const local = new Date(Date.parse(m.cutoff_at) + 8 * 3600_000).toISOString().slice(0, 16);
  const input = h('input', { type: 'datetime-local', id: 'cn-cutoff', value: local });
  const reason = h('input', { type: 'text', id: 'cn-cutoff-reason', maxlength: 500 });
  openDialog({
    id: 'cn-cutoff-form',
    title: t('canteen.editCutoff'),
    signal: pc.signal,
    body: [field(t('canteen.cutoffLocal'), input), w.status === 'published' ? field(t('canteen.changeReason'), reason) : null],
    submit: async () => {
      // The county keeps China Standard Time all year: +08:00.
      await api.updateMeal(m.id, { cutoff_at: `${input.value}:00+08:00`, reason: reason.value.trim() }, pc.signal);
      flash(t('common.saved'));
      await pc.reload();
    },
  });
}

async function loadBookings(host: HTMLElement, m: Meal, served: boolean, pc: PanelContext): Promise<void> {
  try {
    const { items } = await api.mealBookings(m.id, pc.signal);
    if (!items.length) {
      replace(host, h('p', { class: 'muted' }, t('canteen.noBookings')));
      return;
    }
    replace(
      host,
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'data', id: 'cn-booking-table' },
          h('thead', null, h('tr', null, [t('canteen.diner'), t('canteen.unit'), t('canteen.pointCol'), t('canteen.noShow')].map((x) => h('th', null, x)))),
          h(
            'tbody',
            null,
            items.map((r) => {
              const box = h('input', { type: 'checkbox', checked: r.no_show, disabled: !pc.writable || !served || m.status !== 'open', 'aria-label': t('canteen.noShow') });
              box.addEventListener('change', async () => {
                try {
                  await api.markNoShow(r.id, box.checked, pc.signal);
                  await pc.reload();
                } catch (err) {
                  box.checked = !box.checked;
                  if (!isAbort(err)) flash(errorText(err), 'error');
                }
              });
              return h('tr', { 'data-id': r.id }, h('td', null, r.name ?? ''), h('td', null, r.unit ?? ''), h('td', null, tCode('point', r.point)), h('td', null, box));
            }),
          ),
        ),
      ),
    );
  } catch (err) {
    if (!isAbort(err)) replace(host, h('p', { class: 'status error' }, errorText(err)));
  }
}

function wasteForm(m: Meal, pc: PanelContext): HTMLElement {
  const plate = h('input', { type: 'number', id: 'cn-plate-kg', min: 0, step: 0.01, value: m.waste?.plate_kg ?? '' });
  const kitchen = h('input', { type: 'number', id: 'cn-kitchen-kg', min: 0, step: 0.01, value: m.waste?.kitchen_kg ?? '' });
  const diners = h('input', { type: 'number', id: 'cn-diners', min: 1, step: 1, value: m.waste?.diners ?? m.counts.total - m.counts.no_shows });
  const note = h('input', { type: 'text', id: 'cn-waste-note', maxlength: 1000, value: m.waste?.note ?? '' });
  const message = h('div', { class: 'form-error', hidden: true });
  const num = (el: HTMLInputElement) => (el.value.trim() === '' ? null : Number(el.value));
  return h(
    'form',
    {
      class: 'card cn-waste-form',
      id: 'cn-waste-form',
      // Typed-in values must survive the page's periodic refresh.
      oninput: (ev: Event) => (ev.currentTarget as HTMLElement).setAttribute('data-dirty', ''),
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        message.hidden = true;
        try {
          await api.recordWaste(m.id, { plate_kg: num(plate), kitchen_kg: num(kitchen), diners: num(diners), note: note.value }, pc.signal);
          flash(t('common.saved'));
          await pc.reload();
        } catch (err) {
          if (isAbort(err)) return;
          message.textContent = errorText(err);
          message.hidden = false;
        }
      },
    },
    h('h3', null, t('canteen.wasteTitle')),
    message,
    h('div', { class: 'cn-row' }, field(t('canteen.plateKg'), plate), field(t('canteen.kitchenKg'), kitchen), field(t('canteen.diners'), diners, t('canteen.dinersHint'))),
    field(t('canteen.note'), note),
    h('button', { type: 'submit', class: 'btn primary' }, t('canteen.saveWaste')),
  );
}
